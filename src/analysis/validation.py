"""The checks every public function makes on its inputs, with one exception type.

Every input a user can get wrong (a table without the columns a function needs,
a count that is not a positive whole number, a window of negative size, an
option outside its choices) raises :class:`InputError`, whose message names the
function's argument and what was wrong. :class:`InputError` is a
:class:`ValueError` and a :class:`TypeError`, so callers that caught either keep
working; the module-specific errors (``CorpusError``, ``LexiconError``,
``DictionaryError``) derive from it, so ``except InputError`` catches every
complaint about input.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd


class InputError(ValueError, TypeError):
    """An argument, table or file given to the package is not what it needs."""


def require_dataframe(table, *, name: str, producer: str | None = None) -> pd.DataFrame:
    """Return ``table`` if it is a DataFrame; raise :class:`InputError` naming ``name`` otherwise.

    Examples
    --------
    >>> require_dataframe(pd.DataFrame(), name="tokens").empty
    True
    """
    if not isinstance(table, pd.DataFrame):
        hint = f" (the table from {producer})" if producer else ""
        raise InputError(f"{name} must be a pandas DataFrame{hint}, got {type(table).__name__}")
    return table


def require_columns(
    table, columns: Iterable[str | None], *, name: str, producer: str | None = None
) -> pd.DataFrame:
    """Check that ``table`` is a DataFrame holding ``columns`` (None entries are ignored).

    Parameters
    ----------
    table : pandas.DataFrame
    columns : iterable of str
        The columns the caller needs.
    name : str
        How the caller calls the table (``"tokens"``, ``"corpus"``).
    producer : str, optional
        The function that makes such a table, named in the message.

    Returns
    -------
    pandas.DataFrame
        ``table`` itself.

    Examples
    --------
    >>> require_columns(pd.DataFrame({"doc_id": []}), ["token"], name="tokens")
    Traceback (most recent call last):
    ...
    analysis.validation.InputError: tokens lacks column(s) ['token']; it has ['doc_id']
    """
    require_dataframe(table, name=name, producer=producer)
    missing = [column for column in columns if column is not None and column not in table.columns]
    if missing:
        hint = f"; pass the table from {producer}" if producer else ""
        raise InputError(f"{name} lacks column(s) {missing}; it has {list(table.columns)}{hint}")
    return table


def require_no_missing(table: pd.DataFrame, columns: Iterable[str], *, name: str) -> None:
    """Raise :class:`InputError` naming the first row where one of ``columns`` is missing.

    Examples
    --------
    >>> require_no_missing(pd.DataFrame({"token": ["稳", None]}), ["token"], name="tokens")
    Traceback (most recent call last):
    ...
    analysis.validation.InputError: tokens row 1 has no token (1 such rows)
    """
    for column in columns:
        missing = table[column].isna().to_numpy()
        if missing.any():
            row = table.index[int(missing.argmax())]
            raise InputError(f"{name} row {row!r} has no {column} ({int(missing.sum())} such rows)")


def require_unique(values: pd.Series, *, name: str) -> None:
    """Raise :class:`InputError` when ``values`` repeat (e.g. duplicate ``doc_id``).

    Examples
    --------
    >>> require_unique(pd.Series(["a", "b"]), name="corpus doc_id")
    """
    duplicated = values[values.duplicated()].unique().tolist()
    if duplicated:
        raise InputError(f"{name} has duplicate values, e.g. {duplicated[:5]}")


def check_int(value, *, name: str, minimum: int | None = 1, allow_none: bool = False) -> int | None:
    """Return ``value`` as int if it is a whole number ``>= minimum``; raise :class:`InputError` otherwise.

    Booleans are refused (``True`` is not a count); a float that is whole
    (``3.0``) is accepted.

    Examples
    --------
    >>> check_int(3, name="n")
    3
    >>> check_int(0, name="window", minimum=0)
    0
    """
    if value is None and allow_none:
        return None
    whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if isinstance(value, bool) or not whole or (minimum is not None and value < minimum):
        bound = f" >= {minimum}" if minimum is not None else ""
        raise InputError(f"{name} must be a whole number{bound}, got {value!r}")
    return int(value)


def check_number(value, *, name: str, low: float | None = None, high: float | None = None) -> float:
    """Return ``value`` as float if it is a number within ``[low, high]``.

    Examples
    --------
    >>> check_number(0.5, name="share", low=0, high=1)
    0.5
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise InputError(f"{name} must be a number, got {value!r}")
    if (low is not None and value < low) or (high is not None and value > high):
        raise InputError(f"{name} must be between {low} and {high}, got {value!r}")
    return float(value)


def check_choice(value, choices: Sequence, *, name: str):
    """Return ``value`` if it is one of ``choices``; raise :class:`InputError` listing them otherwise.

    Examples
    --------
    >>> check_choice("nmf", ("nmf", "lda"), name="method")
    'nmf'
    """
    if value not in choices:
        raise InputError(f"{name} must be one of {list(choices)}, got {value!r}")
    return value


def check_column_names(by, *, name: str = "by") -> list[str]:
    """A column name or a list of them as a list; None is the empty list.

    Examples
    --------
    >>> check_column_names("year"), check_column_names(None)
    (['year'], [])
    """
    if by is None:
        return []
    columns = [by] if isinstance(by, str) else list(by)
    for column in columns:
        if not isinstance(column, str):
            raise InputError(f"{name} must be a column name or a list of names, got {column!r}")
    duplicated = sorted({column for column in columns if columns.count(column) > 1})
    if duplicated:
        raise InputError(f"{name} names {duplicated} more than once")
    return columns


def check_tokens(tokens, columns=("doc_id", "token"), *, name: str = "tokens") -> pd.DataFrame:
    """Check a token table: a DataFrame holding ``columns``, with no missing ``doc_id`` or ``token``.

    Examples
    --------
    >>> check_tokens(pd.DataFrame({"doc_id": ["a"], "token": ["稳"]})).shape
    (1, 2)
    """
    columns = list(columns)
    require_columns(tokens, columns, name=name)
    require_no_missing(tokens, [column for column in ("doc_id", "token") if column in columns], name=name)
    return tokens


def empty_table(dtypes: dict[str, str], **attrs) -> pd.DataFrame:
    """A table with no rows but the usual columns and dtypes, ``attrs`` saying why it is empty.

    Only scalars and lists of scalars belong in ``attrs`` (a note, the periods
    compared): pandas compares attrs when tables are concatenated.

    Examples
    --------
    >>> empty_table({"term": "str", "count": "int64"}, note="No tokens.").attrs["note"]
    'No tokens.'
    """
    table = pd.DataFrame({column: pd.Series(dtype=dtype) for column, dtype in dtypes.items()})
    table.attrs.update(attrs)
    return table
