"""The one period model: which unit to count by, how a date becomes a period, which periods are gaps or thin.

Every stage that groups documents over time (slogan counts and lifecycles, term
frequencies by period, keyness of the latest period, topic shares, period
comparisons of co-occurrence, the explorer, the corpus overview) asks this
module, so a report never counts by month in one table and by year in the next.
The report runner chooses the period once with :func:`choose_period` and passes
it to every notebook as the ``period`` parameter.

Rules
-----
- **Units** are ``"year"``, ``"quarter"``, ``"month"``, ``"week"`` and ``"day"``
  (:data:`PERIODS`); a period value is a :class:`pandas.Period` of that unit,
  shown as ``2025``, ``2025Q1``, ``2025-03`` or ``2025-03-05``.
- **Choice** (:func:`choose_period`): dates spanning more than three years are
  counted by year, more than two months by month, anything shorter by day; never
  finer than the coarsest ``date_precision`` of a dated document, so reports
  dated only by year are counted by year. An undated corpus has no period (None).
- **Gaps**: every period from the first to the last dated document is a row;
  one without documents is a *gap* (``gap=True``), shown as missing, never as zero.
- **Thin periods**: a rate computed from a few hundred characters is noise (the
  505-character 2020 NPC resolution would make 2020 the peak of every slogan it
  names). A period is *thin* when its text is shorter than
  :data:`MIN_PERIOD_CHARACTERS` or than :data:`MIN_PERIOD_SHARE` of the median
  period's text. Thin periods stay in every table, flagged ``thin=True``; charts
  grey or hatch them, and peaks are never taken from them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .validation import InputError, require_columns, require_unique

PERIODS = {"year": "Y", "quarter": "Q", "month": "M", "week": "W", "day": "D"}
"""Period units and their pandas frequency codes."""

MIN_PERIOD_CHARACTERS = 2_000
"""A period with less text than this (characters of ``text_clean``) is thin."""

MIN_PERIOD_SHARE = 0.1
"""A period with less text than this share of the median non-empty period is thin."""

SPAN_FOR_YEARS = pd.Timedelta(days=3 * 366)
SPAN_FOR_MONTHS = pd.Timedelta(days=62)

# How coarse a date_precision is; a period may not be finer than the coarsest.
_PRECISION_RANK = {"day": 0, "week": 0, "month": 1, "quarter": 2, "year": 3}
_UNIT_RANK = {"day": 0, "week": 0, "month": 1, "quarter": 2, "year": 3}

PERIOD_TABLE_COLUMNS = ["period", "start", "documents", "characters", "gap", "thin"]

UNDATED_NOTE = "The documents are undated (or all from one period)"


def check_period(period: str, *, name: str = "period") -> str:
    """Return ``period`` if it names a unit of :data:`PERIODS`; raise :class:`InputError` otherwise.

    Examples
    --------
    >>> check_period("year")
    'year'
    """
    if not isinstance(period, str) or period not in PERIODS:
        raise InputError(f"{name} must be one of {list(PERIODS)}, got {period!r}")
    return period


def _dates(values) -> pd.Series:
    if isinstance(values, pd.DataFrame):
        require_columns(values, ["date"], name="corpus")
        values = values["date"]
    return pd.to_datetime(pd.Series(values), errors="coerce")


def choose_period(corpus) -> str | None:
    """The unit to count a corpus by over time: ``"year"``, ``"month"``, ``"day"``, or None.

    Parameters
    ----------
    corpus : pandas.DataFrame or sequence of dates
        A corpus with a ``date`` column (and optionally ``date_precision``,
        as :func:`analysis.corpus.load_corpus` gives), or the dates themselves.

    Returns
    -------
    str or None
        ``"year"`` when the dates span more than three years, ``"month"`` when
        they span more than two months, ``"day"`` otherwise, but never finer
        than the coarsest ``date_precision``; None when nothing is dated.

    Examples
    --------
    >>> corpus = pd.DataFrame({"date": pd.to_datetime(["2022-01-01", "2022-12-31"])})
    >>> choose_period(corpus)
    'month'
    >>> choose_period(pd.to_datetime(["1954-09-23", "2025-03-05"]))
    'year'
    >>> choose_period([None]) is None
    True
    """
    dates = _dates(corpus)
    dated = dates.dropna()
    if dated.empty:
        return None
    span = dated.max() - dated.min()
    chosen = "year" if span > SPAN_FOR_YEARS else "month" if span > SPAN_FOR_MONTHS else "day"
    if isinstance(corpus, pd.DataFrame) and "date_precision" in corpus.columns:
        precisions = corpus["date_precision"][dates.notna().to_numpy()].dropna()
        coarsest = max((_PRECISION_RANK.get(p, 0) for p in set(precisions)), default=0)
        if coarsest > _UNIT_RANK[chosen]:
            chosen = {1: "month", 2: "quarter", 3: "year"}[coarsest]
    return chosen


def to_period(dates, period: str) -> pd.Series:
    """Dates as pandas Periods of the given unit; a missing date stays missing (NaT).

    Parameters
    ----------
    dates : sequence of dates or pandas.Series
        Anything :func:`pandas.to_datetime` reads; unreadable values become NaT.
    period : {"year", "quarter", "month", "week", "day"}

    Returns
    -------
    pandas.Series
        dtype ``period[<freq>]``, the same length (and index, for a Series).

    Examples
    --------
    >>> [str(p) for p in to_period(["2020-06-02", None], "month")]
    ['2020-06', 'NaT']
    """
    code = PERIODS[check_period(period)]
    index = dates.index if isinstance(dates, pd.Series) else None
    values = pd.to_datetime(pd.Series(dates), errors="coerce")
    if getattr(values.dt, "tz", None) is not None:
        values = values.dt.tz_localize(None)
    result = values.dt.to_period(code)
    if index is not None:
        result.index = index
    return result


def period_of(value, period: str, *, name: str = "since") -> pd.Period:
    """One date a user gives (a year such as ``2013``, ``"2013-03"``, a date) as a period of the unit.

    Parameters
    ----------
    value : int, str, datetime or pandas.Period
        A bare integer is a year.
    period : {"year", "quarter", "month", "week", "day"}
    name : str, default "since"
        The option's name for the error message.

    Returns
    -------
    pandas.Period

    Raises
    ------
    InputError
        When the value is not a date.

    Examples
    --------
    >>> str(period_of(2013, "year")), str(period_of("2022-03-05", "month"))
    ('2013', '2022-03')
    """
    code = PERIODS[check_period(period)]
    if isinstance(value, pd.Period):
        value = value.start_time
    if isinstance(value, bool) or value is None:
        raise InputError(f"{name} must be a year or a date, got {value!r}")
    if isinstance(value, (int, np.integer)):
        value = str(int(value))
    try:
        moment = pd.to_datetime(value, errors="coerce") if isinstance(value, str) else pd.Timestamp(value)
    except (TypeError, ValueError):
        moment = pd.NaT
    if pd.isna(moment):
        raise InputError(f"{name} must be a year or a date, got {value!r}")
    return moment.to_period(code)


def periods_before(periods, since, period: str) -> int:
    """How many of a corpus's sorted ``periods`` come before ``since`` (:func:`period_of`): the
    index of the first period a rise may start in when only what is new since then is asked.

    Examples
    --------
    >>> years = [pd.Period(str(y), "Y") for y in range(2010, 2016)]
    >>> periods_before(years, 2013, "year")
    3
    """
    first = period_of(since, period)
    return sum(p < first for p in periods)


def document_periods(corpus: pd.DataFrame, period: str) -> pd.Series:
    """The period of every document of a corpus, NaT where undated or dated too coarsely.

    A document dated only by year has no month: counting it in January would
    invent one, so with ``period="month"`` it gets NaT (it is undated at that
    resolution) instead.

    Parameters
    ----------
    corpus : pandas.DataFrame
        ``date`` and optionally ``date_precision``.
    period : {"year", "quarter", "month", "week", "day"}

    Returns
    -------
    pandas.Series
        ``period[<freq>]`` values aligned with the corpus rows.

    Examples
    --------
    >>> corpus = pd.DataFrame({"date": pd.to_datetime(["2020-01-01", "2020-06-02"]),
    ...                        "date_precision": ["year", "day"]})
    >>> [str(p) for p in document_periods(corpus, "month")]
    ['NaT', '2020-06']
    """
    require_columns(corpus, ["date"], name="corpus")
    periods = to_period(corpus["date"], period)
    if "date_precision" in corpus.columns:
        rank = corpus["date_precision"].map(lambda p: _PRECISION_RANK.get(p, 0) if isinstance(p, str) else 0)
        too_coarse = (rank > _UNIT_RANK[period]).to_numpy()
        periods = periods.mask(too_coarse)
    return periods


def period_range(periods, period: str) -> pd.PeriodIndex:
    """Every period from the first to the last of ``periods``, gaps included.

    Examples
    --------
    >>> [str(p) for p in period_range(to_period(["2019-05-01", "2021-01-01"], "year"), "year")]
    ['2019', '2020', '2021']
    """
    code = PERIODS[check_period(period)]
    present = pd.Series(periods).dropna()
    if present.empty:
        return pd.PeriodIndex([], freq=code)
    return pd.period_range(present.min(), present.max(), freq=code)


def thin_mask(characters, *, min_characters: int = MIN_PERIOD_CHARACTERS, min_share: float = MIN_PERIOD_SHARE):
    """Which periods are thin, given the characters of text in each (0 for a gap).

    A gap (no text at all) is not thin: it is a gap. A period is thin when it
    holds some text but less than ``min_characters`` or less than ``min_share``
    of the median of the periods that hold text.

    Examples
    --------
    >>> thin_mask([40_000, 505, 0, 38_000]).tolist()
    [False, True, False, False]
    """
    characters = pd.Series(characters, dtype="float64").fillna(0)
    present = characters[characters > 0]
    floor = max(float(min_characters), float(min_share) * float(present.median()) if len(present) else 0.0)
    return ((characters > 0) & (characters < floor)).to_numpy()


def period_table(
    corpus: pd.DataFrame,
    *,
    period: str | None = None,
    min_characters: int = MIN_PERIOD_CHARACTERS,
    min_share: float = MIN_PERIOD_SHARE,
) -> pd.DataFrame:
    """Documents and characters per period, gaps as gaps and thin periods flagged.

    Parameters
    ----------
    corpus : pandas.DataFrame
        ``date`` (and ``date_precision``); ``text_clean`` for the characters
        (without it, ``characters`` is missing and nothing is thin).
    period : {"year", "quarter", "month", "week", "day"}, optional
        Default :func:`choose_period`.
    min_characters, min_share
        The thin-period thresholds (see :func:`thin_mask`).

    Returns
    -------
    pandas.DataFrame
        ``period`` (pandas Period), ``start`` (first day, datetime64),
        ``documents`` (int64), ``characters`` (Int64), ``gap`` and ``thin``
        (bool). ``attrs["period"]`` names the unit, ``attrs["undated"]``
        counts the documents without a date at that resolution.

    Examples
    --------
    >>> corpus = pd.DataFrame({"date": pd.to_datetime(["2019-03-01", "2021-05-01", "2022-01-01"]),
    ...                        "text_clean": ["字" * 30_000, "字" * 500, "字" * 28_000]})
    >>> table = period_table(corpus, period="year")
    >>> table[["documents", "gap", "thin"]].values.tolist()
    [[1, False, False], [0, True, False], [1, False, True], [1, False, False]]
    """
    require_columns(corpus, ["date"], name="corpus")
    if period is None:
        period = choose_period(corpus) or "year"
    periods = document_periods(corpus, check_period(period)).reset_index(drop=True)
    slots = period_range(periods, period)
    documents = periods.value_counts().reindex(slots, fill_value=0)
    table = pd.DataFrame(
        {
            "period": pd.array(list(slots), dtype=f"period[{PERIODS[period]}]"),
            "start": pd.Series(slots.to_timestamp(), dtype="datetime64[ns]").to_numpy(),
            "documents": documents.to_numpy(dtype="int64"),
        }
    )
    if "text_clean" in corpus.columns:
        lengths = corpus["text_clean"].fillna("").astype(str).str.len().reset_index(drop=True)
        characters = lengths.groupby(periods).sum().reindex(slots, fill_value=0)
        table["characters"] = pd.array(characters.to_numpy(dtype="int64"), dtype="Int64")
        table["thin"] = thin_mask(table["characters"], min_characters=min_characters, min_share=min_share)
    else:
        table["characters"] = pd.array([pd.NA] * len(table), dtype="Int64")
        table["thin"] = False
    table["gap"] = table["documents"] == 0
    table = table[PERIOD_TABLE_COLUMNS]
    table.attrs["period"] = period
    table.attrs["undated"] = int(periods.isna().sum())
    return table


def split_periods(periods, *, period: str | None = None) -> tuple[list, list] | None:
    """Split periods into an earlier and a later half, by the calendar.

    Yearly periods are split at the middle of their range, so a run of missing
    years falls where the calendar says; other units by position in time.

    Parameters
    ----------
    periods : sequence of pandas.Period (or of values that sort in time)
    period : str, optional
        Unused for Periods; kept for symmetry with the other functions.

    Returns
    -------
    tuple of two lists, or None when there are fewer than two distinct periods.

    Examples
    --------
    >>> years = to_period(["1954", "1956", "2013", "2025"], "year")
    >>> [[str(p) for p in half] for half in split_periods(years)]
    [['1954', '1956'], ['2013', '2025']]
    """
    values = sorted(pd.Series(periods).dropna().unique().tolist())
    if len(values) < 2:
        return None
    if all(isinstance(value, pd.Period) and value.freqstr.startswith(("Y", "A")) for value in values):
        middle = (values[0].year + values[-1].year) / 2
        earlier = [value for value in values if value.year <= middle]
    elif all(isinstance(value, (int, float)) for value in values):
        middle = (values[0] + values[-1]) / 2
        earlier = [value for value in values if value <= middle]
    else:
        earlier = values[: (len(values) + 1) // 2]
    return earlier, values[len(earlier):]


def attach_groups(table: pd.DataFrame, columns: list[str], corpus, *, name: str = "tokens") -> pd.DataFrame:
    """Add the grouping columns that ``table`` lacks, taken from ``corpus`` or derived from its dates.

    A period unit (``"year"``, ``"month"``, ...) that is not a corpus column is
    derived from ``date`` as pandas Periods (:func:`document_periods`), so a
    document dated only by year has no month. Every other column is copied
    from the corpus by ``doc_id``.

    Parameters
    ----------
    table : pandas.DataFrame
        Rows with ``doc_id`` (tokens, document-topic shares).
    columns : list of str
        The grouping columns wanted.
    corpus : pandas.DataFrame or None
        Needed when a column is not already in ``table``.
    name : str
        How the caller calls ``table``, for messages.

    Examples
    --------
    >>> tokens = pd.DataFrame({"doc_id": ["a", "b"], "token": ["稳", "保"]})
    >>> corpus = pd.DataFrame({"doc_id": ["a", "b"], "date": pd.to_datetime(["2019-03-05", "2023-03-05"])})
    >>> attach_groups(tokens, ["year"], corpus)["year"].astype(str).tolist()
    ['2019', '2023']
    """
    needed = [column for column in columns if column not in table.columns]
    if not needed:
        return table
    if corpus is None:
        raise InputError(
            f"column(s) {needed} are not in {name}; pass corpus= to take them from the corpus "
            f"(where {list(PERIODS)} can also be derived from 'date')"
        )
    require_columns(corpus, ["doc_id"], name="corpus")
    require_unique(corpus["doc_id"], name="corpus doc_id")
    metadata = pd.DataFrame({"doc_id": corpus["doc_id"].to_numpy()})
    for column in needed:
        if column in corpus.columns:
            metadata[column] = corpus[column].reset_index(drop=True)
        elif column in PERIODS and "date" in corpus.columns:
            metadata[column] = document_periods(corpus, column).reset_index(drop=True)
        else:
            raise InputError(
                f"column '{column}' is neither in {name} nor in the corpus (corpus columns: "
                f"{list(corpus.columns)}); {list(PERIODS)} can be derived from a 'date' column"
            )
    # Each distinct doc_id is looked up once and the rows take their document's values by position:
    # a merge would hash millions of doc_id strings of a token table.
    rows, documents = pd.factorize(table["doc_id"], use_na_sentinel=False)
    positions = pd.Index(metadata["doc_id"]).get_indexer(documents)
    unknown = pd.Index(documents[positions < 0])
    if len(unknown):
        raise InputError(f"{len(unknown)} doc_id value(s) of {name} are not in the corpus, e.g. {list(unknown[:3])}")
    taken = positions[rows]
    attached = table.reset_index(drop=True)
    attached.attrs = {}  # as a merge with the corpus's metadata leaves them
    for column in needed:
        attached[column] = metadata[column].take(taken).reset_index(drop=True)
    return attached


def describe_periods(values) -> str:
    """A short description of a run of periods: all of them when few, first–last otherwise.

    Examples
    --------
    >>> describe_periods(to_period(["2019", "2020", "2021", "2022"], "year"))
    '2019–2022 (4 periods)'
    """
    values = [value for value in values]
    if len(values) <= 3:
        return ", ".join(str(value) for value in values)
    return f"{values[0]}–{values[-1]} ({len(values)} periods)"
