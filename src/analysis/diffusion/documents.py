"""The documents every diffusion measure reads: their level, region and date, checked once.

Also the shared checks of the measures' inputs and :class:`DiffusionError`, and
:func:`assign_dates` for dates known from outside the text.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .. import config
from ..validation import InputError, require_columns

CENTRAL = "central"
# Lexicon entries of the centre (the lexicon uses config.LEVELS too).
CENTRAL_LEXICON_LEVELS = ("central",)

PRECISION_RANK = {"day": 0, "month": 1, "year": 2}
"""How coarse a date precision is: a year-dated document is known least precisely."""


class DiffusionError(InputError):
    """A corpus given to a diffusion function lacks what the measure needs; the message says what."""


def require_input(table: pd.DataFrame, columns: Sequence[str], *, name: str, function: str) -> None:
    """:func:`analysis.validation.require_columns`, with the diffusion ``function`` named in the message.

    Examples
    --------
    >>> require_input(pd.DataFrame({"doc_id": []}), ["doc_id", "level"], name="the corpus", function="first_use")
    Traceback (most recent call last):
    ...
    analysis.validation.InputError: first_use: the corpus lacks column(s) ['level']; it has ['doc_id']
    """
    require_columns(table, columns, name=f"{function}: {name}")


def documents_with_levels(corpus: pd.DataFrame, *, function: str) -> pd.DataFrame:
    """doc_id, date, precision, level, region of every document, levels checked.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": [1], "date": ["2020-06-01"], "level": ["county"]})
    >>> documents_with_levels(corpus, function="first_use").columns.tolist()
    ['doc_id', 'date', 'precision', 'level', 'region']
    """
    require_input(corpus, ["doc_id", "date", "level"], name="the corpus", function=function)
    docs = pd.DataFrame({
        "doc_id": corpus["doc_id"].astype(str).to_numpy(),
        "date": pd.to_datetime(corpus["date"]).to_numpy(),
        "precision": (
            corpus["date_precision"].to_numpy(dtype=object) if "date_precision" in corpus.columns
            else np.full(len(corpus), "day", dtype=object)
        ),
        "level": corpus["level"].to_numpy(dtype=object),
        "region": corpus["region"].to_numpy(dtype=object) if "region" in corpus.columns else None,
    })
    docs["level"] = docs["level"].where(docs["level"].notna(), None)
    docs["region"] = docs["region"].where(docs["region"].notna(), None)
    unknown = sorted({level for level in docs["level"].dropna() if level not in config.LEVELS})
    if unknown:
        raise DiffusionError(f"{function}: unknown level(s) {unknown}; levels are {', '.join(config.LEVELS)}")
    if docs["level"].isna().all():
        raise DiffusionError(
            f"{function}: no document has a level; load the corpus with load_corpus(path, level=...) "
            "or combine corpora of known levels with combine_corpora"
        )
    return docs


def mentions_of_forms(mentions: pd.DataFrame, forms: Sequence[str] | None, *, function: str) -> pd.DataFrame:
    """A copy of the ``mentions`` in ``forms`` (all when None), ``doc_id`` as text.

    Examples
    --------
    >>> mentions = pd.DataFrame({"doc_id": [7, 7], "slogan_id": ["s1", "s1"], "canonical": ["六稳"] * 2,
    ...                          "form": ["compact", "component"]})
    >>> mentions_of_forms(mentions, ["compact"], function="first_use")["doc_id"].tolist()
    ['7']
    """
    require_input(mentions, ["doc_id", "slogan_id", "canonical", "form"], name="mentions", function=function)
    selected = mentions if forms is None else mentions[mentions["form"].isin(forms)]
    selected = selected.copy()
    selected["doc_id"] = selected["doc_id"].astype(str)
    return selected


def check_by(by: str) -> None:
    """Check that ``by`` is ``"level"`` or ``"region"``.

    Examples
    --------
    >>> check_by("province")
    Traceback (most recent call last):
    ...
    analysis.diffusion.documents.DiffusionError: by must be 'level' or 'region', got 'province'
    """
    if by not in ("level", "region"):
        raise DiffusionError(f"by must be 'level' or 'region', got {by!r}")


def coarser_precision(first, second):
    """The coarser of two date precisions (``"day"``, ``"month"``, ``"year"``); None when neither is known.

    Examples
    --------
    >>> coarser_precision("day", "year"), coarser_precision(None, "month"), coarser_precision(None, None)
    ('year', 'month', None)
    """
    ranks = [PRECISION_RANK.get(value, 0) for value in (first, second) if isinstance(value, str)]
    if not ranks:
        return None
    return next(name for name, rank in PRECISION_RANK.items() if rank == max(ranks))


def assign_dates(corpus: pd.DataFrame, dates: dict[str, str], *, strict: bool = True) -> pd.DataFrame:
    """Date documents from what is known outside their text (an issue date, an archive's record).

    A newspaper page's dateline (本报讯 6月1日) has no year, and the loader
    never guesses one; a researcher who knows the issue date gives it here.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Documents with ``doc_id`` (and ``path``).
    dates : dict
        Date (anything :func:`analysis.corpus.parse_date` reads) by
        ``doc_id`` or by file stem (which dates every article of the page).
    strict : bool, default True
        A key that matches no document is an error; with False it is listed
        in ``attrs["unmatched"]`` instead (a notebook's default dates, run on
        another corpus).

    Returns
    -------
    pandas.DataFrame
        A copy with ``date`` and ``date_precision`` set for those documents.

    Raises
    ------
    DiffusionError
        A date cannot be parsed, or (``strict``) a key matches no document.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["p-01", "p-02"], "path": ["x/p.txt"] * 2, "date": [pd.NaT] * 2})
    >>> assign_dates(corpus, {"p": "2020-06-01"})["date"].astype(str).tolist()
    ['2020-06-01', '2020-06-01']
    """
    from pathlib import PurePath

    from ..corpus import parse_date

    require_input(corpus, ["doc_id"], name="the corpus", function="assign_dates")
    result = corpus.copy()
    ids = result["doc_id"].astype(str)
    stems = (
        result["path"].map(lambda p: PurePath(p).stem if isinstance(p, str) else None)
        if "path" in result.columns else pd.Series(None, index=result.index)
    )
    result["date"] = pd.to_datetime(result["date"]).astype("datetime64[ns]") if "date" in result.columns else pd.NaT
    precision = result["date_precision"].astype(object) if "date_precision" in result.columns else None
    precision = precision if precision is not None else pd.Series(None, index=result.index, dtype=object)
    unmatched = []
    for key, value in dates.items():
        stamp, parsed_precision = parse_date(value)
        if pd.isna(stamp):
            raise DiffusionError(f"assign_dates: {value!r} (for {key!r}) is not a date")
        chosen = (ids == str(key)) | (stems == str(key))
        if not chosen.any():
            if strict:
                raise DiffusionError(f"assign_dates: {key!r} is neither a doc_id nor a file stem of the corpus")
            unmatched.append(key)
            continue
        result.loc[chosen, "date"] = stamp
        precision[chosen] = parsed_precision
    result["date_precision"] = precision
    result.attrs["unmatched"] = unmatched
    return result
