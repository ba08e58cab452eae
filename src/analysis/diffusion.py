"""Diffusion: how central slogans reach lower levels, how faithfully, and what they coin.

The corpus carries each document's administrative ``level`` (one of
:data:`analysis.config.LEVELS`) and, where known, its ``region``; see
:func:`analysis.corpus.load_corpus` and :func:`analysis.corpus.combine_corpora`.
Four measures build on it:

First use and lag (:func:`first_use`, :func:`adoption_lags`)
    The first dated document of a level (or region) that mentions a slogan in
    a counted form (compact, enumerated, expansion: a lone component is not a
    mention), and how long after the central first use that came. The central
    first use is the earliest central document of the corpus or, when earlier
    or when the corpus has none, the date the lexicon records for the first
    statement (``introduced``), so a central archive with gaps (no 2020 work
    report) does not delay it; ``central_source`` says which.

    An archive that starts late cannot show an early use. When a level's (or
    region's) first dated document is later than the central first use, its
    first observed use is only an upper bound of its uptake: the row is
    ``left-censored``, not "lagging". A level that never mentions the slogan
    within its archive is ``not observed`` (right-censored at the archive's
    end). Year-dated documents stand on 1 January of their year; the
    ``precision`` columns say how far a lag can be trusted.

Adoption curve (:func:`adoption_curve`)
    Per period, the share of regions that have used a slogan by the end of
    that period, of all regions and of the regions whose archive had started.

Fidelity (:func:`uptakes`, :func:`local_formulas`)
    For every lower-level document that takes up a central formula, the most
    faithful form in which it does: the ``full expansion`` (every component
    named), the ``compact`` name, a ``partial list`` (an expansion naming
    some components), or a ``local variant`` (a local formula of the same
    numeral pattern sharing characters with it, such as 控保稳进抬扛 beside
    六稳 and 六保). :func:`local_formulas` lists the local formulas with the
    central formula each most resembles.

Text reuse (:func:`find_reuse`, :func:`reuse_table`, :func:`reuse_by_document`, :func:`reuse_by_period`)
    Passages of at least :data:`REUSE_MIN_CHARS` characters that a local
    document shares word for word with a central one. Characters are compared
    without whitespace and punctuation (a reprint that changes a comma still
    counts), and lengths and shares count those characters only; offsets
    (``start``, ``end``, ``central_start``, ``central_end``) index
    ``text_clean`` of each document. Candidates come from an index of the
    hashes of every :data:`REUSE_MIN_CHARS`-character window of the central
    texts, so the cost grows with the corpus, not with the number of pairs;
    each passage is then checked character by character.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence

import numpy as np
import pandas as pd

from . import config
from .periods import PERIODS, check_period, choose_period, to_period
from .slogans import COUNTED_FORMS
from .validation import InputError, require_columns

CENTRAL = "central"
# Lexicon entries of the centre (the lexicon uses config.LEVELS too).
CENTRAL_LEXICON_LEVELS = ("central",)

STATUSES = (
    "central", "adopted", "left-censored", "same period", "before central", "not observed", "no central date",
)
"""Status of a level's (region's) first use of a slogan, see :func:`adoption_lags`."""

FIDELITY_CLASSES = ("full expansion", "compact", "partial list", "local variant")
"""Fidelity of an uptake, most faithful first; see :func:`uptakes`."""

REUSE_MIN_CHARS = 30
"""Shortest passage counted as text reuse, in characters other than spaces and punctuation.

Thirty characters is a long sentence: set phrases (习近平新时代中国特色社会主义思想,
16 characters) and whole slogans stay below it, while a copied sentence of a
central document does not.
"""

FIRST_USE_COLUMNS = [
    "slogan_id", "canonical", "level", "region", "first_date", "precision", "first_doc_id",
    "documents", "undated_documents", "archive_start", "archive_end", "archive_documents",
]
LAG_COLUMNS = FIRST_USE_COLUMNS + ["central_first", "central_precision", "central_source", "lag_days", "status"]
CURVE_COLUMNS = [
    "slogan_id", "canonical", "period", "start", "regions", "regions_observed", "regions_adopted",
    "share", "share_observed",
]
UPTAKE_COLUMNS = [
    "doc_id", "date", "level", "region", "slogan_id", "canonical", "fidelity", "variant",
    "mentions", "parts_named", "parts", "start", "end",
]
LOCAL_FORMULA_COLUMNS = [
    "slogan_id", "formula", "level", "region", "parts", "first_date", "documents",
    "closest_id", "closest", "closest_parts", "same_numeral", "shared_components", "shared_characters",
]
REUSE_COLUMNS = [
    "doc_id", "central_doc_id", "start", "end", "central_start", "central_end", "length", "passage",
]
REUSE_TABLE_COLUMNS = ["doc_id", "central_doc_id", "passages", "longest", "reused_chars", "chars", "share"]
REUSE_DOCUMENT_COLUMNS = [
    "doc_id", "date", "level", "region", "chars", "reused_chars", "share", "central_docs", "passages",
]
REUSE_PERIOD_COLUMNS = ["period", "start", "documents", "documents_reusing", "chars", "reused_chars", "share"]

_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}
_NUMERALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
# Characters of a numbered formula that carry no content: 四个全面, 五大发展理念.
_COUNTER_CHARS = set("个大项条")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


class DiffusionError(InputError):
    """A corpus given to a diffusion function lacks what the measure needs; the message says what."""


def _require(table: pd.DataFrame, columns: Sequence[str], *, name: str, function: str) -> None:
    require_columns(table, columns, name=f"{function}: {name}")


def _documents(corpus: pd.DataFrame, *, function: str) -> pd.DataFrame:
    """doc_id, date, precision, level, region of every document, levels checked."""
    _require(corpus, ["doc_id", "date", "level"], name="the corpus", function=function)
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


def _counted(mentions: pd.DataFrame, forms: Sequence[str] | None, *, function: str) -> pd.DataFrame:
    _require(mentions, ["doc_id", "slogan_id", "canonical", "form"], name="mentions", function=function)
    selected = mentions if forms is None else mentions[mentions["form"].isin(forms)]
    selected = selected.copy()
    selected["doc_id"] = selected["doc_id"].astype(str)
    return selected


def _check_by(by: str) -> None:
    if by not in ("level", "region"):
        raise DiffusionError(f"by must be 'level' or 'region', got {by!r}")


def _coarser(first, second):
    ranks = [_PRECISION_RANK.get(value, 0) for value in (first, second) if isinstance(value, str)]
    if not ranks:
        return None
    return next(name for name, rank in _PRECISION_RANK.items() if rank == max(ranks))


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

    from .corpus import parse_date

    _require(corpus, ["doc_id"], name="the corpus", function="assign_dates")
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


# ------------------------------------------------------------------ first use and lag


def first_use(
    corpus: pd.DataFrame,
    mentions: pd.DataFrame,
    *,
    by: str = "level",
    forms: Sequence[str] | None = COUNTED_FORMS,
) -> pd.DataFrame:
    """The first dated use of each slogan at each level (or in each region), with the archive's span.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Documents with ``doc_id``, ``date``, ``level`` (and ``region``,
        ``date_precision`` when known), e.g. from
        :func:`analysis.corpus.combine_corpora`.
    mentions : pandas.DataFrame
        From :func:`analysis.slogans.tag_slogans` on that corpus.
    by : {"level", "region"}
        One row per slogan and level, or per slogan and region (documents
        without a region form one group per level, region NA).
    forms : sequence of str, optional
        Forms that count as a use; default the counted forms (a lone
        component, 稳就业, is not a use of 六稳). None counts every form.

    Returns
    -------
    pandas.DataFrame
        One row per slogan mentioned anywhere and per group that has
        documents (:data:`FIRST_USE_COLUMNS`): ``slogan_id``, ``canonical``,
        ``level``, ``region`` (NA with ``by="level"``), ``first_date`` and its
        ``precision`` (NaT when the group never uses it in a dated
        document), ``first_doc_id``, ``documents`` (mentioning it),
        ``undated_documents`` (mentioning it without a date, so left out of
        ``first_date``), and the group's archive: ``archive_start``,
        ``archive_end``, ``archive_documents`` (dated documents). Documents
        without a level are left out; their number is in
        ``attrs["without_level"]``.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["c", "p"], "level": ["central", "provincial"],
    ...                        "date": pd.to_datetime(["2020-04-17", "2020-05-20"])})
    >>> mentions = pd.DataFrame({"doc_id": ["c", "p"], "slogan_id": ["liubao"] * 2,
    ...                          "canonical": ["六保"] * 2, "form": ["compact"] * 2})
    >>> first_use(corpus, mentions)[["level", "first_date"]].astype(str).values.tolist()
    [['central', '2020-04-17'], ['provincial', '2020-05-20']]
    """
    docs = _documents(corpus, function="first_use")
    _check_by(by)
    without_level = int(docs["level"].isna().sum())
    docs = docs[docs["level"].notna()].copy()
    if by == "level":
        docs["region"] = None
    used = _counted(mentions, forms, function="first_use")
    used = used.drop_duplicates(["doc_id", "slogan_id"]).merge(docs, on="doc_id", how="inner")

    docs["_group"] = list(zip(docs["level"], docs["region"]))
    used["_group"] = list(zip(used["level"], used["region"]))
    dated_docs = docs[docs["date"].notna()]
    archives = {
        group: (frame["date"].min(), frame["date"].max(), len(frame))
        for group, frame in dated_docs.groupby("_group", sort=False)
    }
    groups = sorted(
        set(docs["_group"]),
        key=lambda g: (config.LEVELS.index(g[0]), g[1] is not None, "" if g[1] is None else str(g[1])),
    )
    slogans = (
        used[["slogan_id", "canonical"]].drop_duplicates("slogan_id").sort_values("slogan_id", kind="stable")
    )
    rows = []
    by_pair = {key: frame for key, frame in used.groupby(["slogan_id", "_group"], sort=False)}
    for slogan_id, canonical in slogans.itertuples(index=False):
        for group in groups:
            frame = by_pair.get((slogan_id, group))
            archive_start, archive_end, archive_documents = archives.get(group, (pd.NaT, pd.NaT, 0))
            row = {
                "slogan_id": slogan_id, "canonical": canonical, "level": group[0], "region": group[1],
                "first_date": pd.NaT, "precision": None, "first_doc_id": None, "documents": 0,
                "undated_documents": 0, "archive_start": archive_start, "archive_end": archive_end,
                "archive_documents": archive_documents,
            }
            if frame is not None:
                dated = frame[frame["date"].notna()].sort_values(["date", "doc_id"], kind="stable")
                row["documents"] = len(frame)
                row["undated_documents"] = len(frame) - len(dated)
                if len(dated):
                    first = dated.iloc[0]
                    row.update(first_date=first["date"], precision=first["precision"], first_doc_id=first["doc_id"])
            rows.append(row)
    table = pd.DataFrame(rows, columns=FIRST_USE_COLUMNS)
    for column in ("first_date", "archive_start", "archive_end"):
        table[column] = pd.to_datetime(table[column]).astype("datetime64[ns]")
    table = table.astype({"documents": "int64", "undated_documents": "int64", "archive_documents": "int64"})
    table.attrs["without_level"] = without_level
    table.attrs["by"] = by
    return table


def _lexicon_dates(lexicon: pd.DataFrame) -> dict[str, tuple[pd.Timestamp, str]]:
    """slogan id -> (date, precision) of the first statement the lexicon records for central entries."""
    from .corpus import parse_date

    dates = {}
    for row in lexicon.itertuples():
        if row.level not in CENTRAL_LEXICON_LEVELS or not isinstance(row.introduced_date, str):
            continue
        stamp, precision = parse_date(row.introduced_date)
        if stamp is not pd.NaT and not pd.isna(stamp):
            dates[row.id] = (stamp, precision)
    return dates


def _earlier_or_finer(stamp, precision, other, other_precision) -> bool:
    """Whether a recorded date beats the corpus's: earlier, or within its period and more precise.

    A report dated only by its year (2020) stands on 1 January; a statement
    recorded as 2020-04-17 falls inside that year and says more.
    """
    coarse = _coarser(precision, other_precision) or "day"
    code = PERIODS[coarse]
    if stamp.to_period(code) != other.to_period(code):
        return stamp < other
    return _PRECISION_RANK.get(precision, 0) < _PRECISION_RANK.get(other_precision, 0) or stamp < other


def adoption_lags(
    corpus: pd.DataFrame,
    mentions: pd.DataFrame,
    *,
    by: str = "level",
    forms: Sequence[str] | None = COUNTED_FORMS,
    lexicon: pd.DataFrame | None = None,
    lexicon_dates: bool = True,
) -> pd.DataFrame:
    """How long after the central first use each level (or region) first used each slogan.

    Parameters
    ----------
    corpus, mentions, by, forms
        As in :func:`first_use`.
    lexicon : pandas.DataFrame, optional
        For the recorded dates of first statement; default the shipped one.
    lexicon_dates : bool, default True
        Let the lexicon's ``introduced`` date of a central entry stand for the
        central first use when it is earlier than the corpus's central
        documents (or they never use the slogan). False uses the corpus only.

    Returns
    -------
    pandas.DataFrame
        The :func:`first_use` table (:data:`LAG_COLUMNS`) plus
        ``central_first`` and ``central_precision`` (NaT/NA when unknown),
        ``central_source`` (``"corpus"`` or ``"lexicon"``), ``lag_days``
        (``first_date - central_first`` in days; NA without both) and
        ``status``, one of :data:`STATUSES`:

        - ``central``: the central level's own row (``lag_days`` NA).
        - ``adopted``: first used on or after the central first use, by a
          level whose archive covers that date: the lag is observed.
        - ``left-censored``: the archive starts after the central first use,
          so the level may have used the slogan before its archive begins;
          ``lag_days`` is an upper bound.
        - ``same period``: first used in the same year (or month) as the
          central first use, with one of the two dated only that precisely:
          which came first is unknown.
        - ``before central``: used before the central first use known here.
        - ``not observed``: never used in the level's dated documents.
        - ``no central date``: no central first use is known.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["c", "p"], "level": ["central", "provincial"],
    ...                        "date": pd.to_datetime(["2020-04-17", "2020-05-20"])})
    >>> mentions = pd.DataFrame({"doc_id": ["c", "p"], "slogan_id": ["liubao"] * 2,
    ...                          "canonical": ["六保"] * 2, "form": ["compact"] * 2})
    >>> adoption_lags(corpus, mentions, lexicon_dates=False)[["level", "lag_days", "status"]].values.tolist()
    [['central', <NA>, 'central'], ['provincial', 33, 'left-censored']]
    """
    table = first_use(corpus, mentions, by=by, forms=forms)
    if lexicon_dates:
        from .lexicon import load_lexicon

        recorded = _lexicon_dates(load_lexicon() if lexicon is None else lexicon)
    else:
        recorded = {}
    central_rows = table[(table["level"] == CENTRAL) & table["first_date"].notna()]
    central = {}
    for slogan_id, frame in central_rows.groupby("slogan_id", sort=False):
        first = frame.sort_values("first_date", kind="stable").iloc[0]
        central[slogan_id] = (first["first_date"], first["precision"], "corpus")
    for slogan_id, (stamp, precision) in recorded.items():
        if slogan_id not in central or _earlier_or_finer(stamp, precision, *central[slogan_id][:2]):
            central[slogan_id] = (stamp, precision, "lexicon")
    known = table["slogan_id"].map(lambda s: central.get(s, (pd.NaT, None, None)))
    table["central_first"] = pd.to_datetime([value[0] for value in known]).astype("datetime64[ns]")
    table["central_precision"] = [value[1] for value in known]
    table["central_source"] = [value[2] for value in known]
    lag = (table["first_date"] - table["central_first"]).dt.days
    table["lag_days"] = lag.astype("Int64").where(table["level"] != CENTRAL)
    same_period = [
        not pd.isna(first) and not pd.isna(centre)
        and _coarser(precision, centre_precision) not in (None, "day")
        and first.to_period(PERIODS[_coarser(precision, centre_precision)])
        == centre.to_period(PERIODS[_coarser(precision, centre_precision)])
        for first, precision, centre, centre_precision in zip(
            table["first_date"], table["precision"], table["central_first"], table["central_precision"]
        )
    ]
    status = np.select(
        [
            table["level"] == CENTRAL,
            table["first_date"].isna(),
            table["central_first"].isna(),
            np.array(same_period, dtype=bool),
            table["first_date"] < table["central_first"],
            table["archive_start"] > table["central_first"],
        ],
        ["central", "not observed", "no central date", "same period", "before central", "left-censored"],
        default="adopted",
    )
    table["status"] = pd.Series(status, index=table.index, dtype=object)
    return table[LAG_COLUMNS]


def adoption_curve(
    corpus: pd.DataFrame,
    mentions: pd.DataFrame,
    *,
    level: str | None = None,
    slogans: Sequence[str] | None = None,
    period: str | None = None,
    forms: Sequence[str] | None = COUNTED_FORMS,
) -> pd.DataFrame:
    """Share of regions that have used each slogan by the end of each period.

    Parameters
    ----------
    corpus, mentions, forms
        As in :func:`first_use`.
    level : str, optional
        Count the regions of this level only; default every region below the
        centre.
    slogans : sequence of str, optional
        Slogan ids or canonical forms; default every slogan used by a region.
    period : str, optional
        A unit of :data:`analysis.periods.PERIODS`; default
        :func:`analysis.periods.choose_period` of the documents in scope.

    Returns
    -------
    pandas.DataFrame
        One row per slogan and period from the first to the last dated
        document (:data:`CURVE_COLUMNS`): ``period`` (label), ``start``,
        ``regions`` (all regions in scope), ``regions_observed`` (those
        whose archive had started by the end of the period),
        ``regions_adopted`` (first use by then), ``share`` (adopted of all)
        and ``share_observed`` (adopted of observed; NaN before any archive
        starts). Documents without a region count as one region per level,
        named after the level in parentheses.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a", "b"], "level": ["county"] * 2, "region": ["甲", "乙"],
    ...                        "date": pd.to_datetime(["2020-01-05", "2020-03-01"])})
    >>> mentions = pd.DataFrame({"doc_id": ["a"], "slogan_id": ["liuwen"], "canonical": ["六稳"],
    ...                          "form": ["compact"]})
    >>> adoption_curve(corpus, mentions, period="month")["share"].tolist()
    [0.5, 0.5, 0.5]
    """
    docs = _documents(corpus, function="adoption_curve")
    docs = docs[docs["level"].notna() & (docs["level"] != CENTRAL)]
    if level is not None:
        if level not in config.LEVELS:
            raise DiffusionError(f"adoption_curve: level {level!r} is not one of {', '.join(config.LEVELS)}")
        docs = docs[docs["level"] == level]
    docs = docs.assign(region=[r if r is not None else f"({lv})" for lv, r in zip(docs["level"], docs["region"])])
    scope = corpus[corpus["doc_id"].astype(str).isin(set(docs["doc_id"]))]
    period = choose_period(scope) if period is None else check_period(period)
    code = PERIODS[period] if period is not None else None
    used = _counted(mentions, forms, function="adoption_curve").merge(
        docs[["doc_id", "date", "region"]], on="doc_id", how="inner"
    )
    if slogans is not None:
        wanted = set(slogans)
        used = used[used["slogan_id"].isin(wanted) | used["canonical"].isin(wanted)]
    dated = docs[docs["date"].notna()]
    regions = sorted(set(docs["region"]))
    rows = []
    if len(dated) and regions and code is not None:
        slots = pd.period_range(dated["date"].min().to_period(code), dated["date"].max().to_period(code), freq=code)
        starts = to_period(dated.groupby("region")["date"].min(), period)
        for (slogan_id, canonical), frame in used[used["date"].notna()].groupby(["slogan_id", "canonical"], sort=True):
            firsts = to_period(frame.groupby("region")["date"].min(), period)
            for slot in slots:
                observed = int((starts <= slot).sum())
                adopted = int((firsts <= slot).sum())
                rows.append({
                    "slogan_id": slogan_id, "canonical": canonical, "period": str(slot),
                    "start": slot.to_timestamp(), "regions": len(regions), "regions_observed": observed,
                    "regions_adopted": adopted, "share": adopted / len(regions),
                    "share_observed": adopted / observed if observed else np.nan,
                })
    table = pd.DataFrame(rows, columns=CURVE_COLUMNS)
    table["start"] = pd.to_datetime(table["start"]).astype("datetime64[ns]")
    table = table.astype({"regions": "int64", "regions_observed": "int64", "regions_adopted": "int64",
                          "share": "float64", "share_observed": "float64"})
    table.attrs["period"] = period
    return table


# ------------------------------------------------------------------ fidelity and local formulas


def _parts(row) -> list[dict]:
    """Components of a lexicon row, as {"text", "aliases"} dicts."""
    components = row.components if isinstance(row.components, list) else []
    return [c if isinstance(c, dict) else {"text": str(c), "aliases": []} for c in components]


def _numeral_count(canonical: str) -> int | None:
    """6 for 六稳, 4 for 四个全面; None when the formula does not open with a numeral."""
    if canonical and canonical[0] in _NUMERALS:
        return _NUMERALS[canonical[0]]
    return None


def _pattern_size(row) -> int | None:
    """How many parts a formula has: its numeral (六稳), else its components (two or more)."""
    numeral = _numeral_count(row.canonical)
    if numeral is not None:
        return numeral
    parts = _parts(row)
    return len(parts) if len(parts) >= 2 else None


def _key_characters(canonical: str) -> set[str]:
    """The Han characters of a formula's name that carry content (六稳 -> 稳, 四个全面 -> 全面)."""
    return {ch for ch in canonical if _HAN.match(ch) and ch not in _NUMERALS and ch not in _COUNTER_CHARS}


def _central_entries(lexicon: pd.DataFrame) -> pd.DataFrame:
    return lexicon[lexicon["level"].isin(CENTRAL_LEXICON_LEVELS)]


def resemblance(local: pd.Series, central: pd.DataFrame) -> pd.DataFrame:
    """How much a local formula resembles each central formula.

    Parameters
    ----------
    local : pandas.Series
        A lexicon row (``id``, ``canonical``, ``components``).
    central : pandas.DataFrame
        Lexicon rows of central formulas.

    Returns
    -------
    pandas.DataFrame
        One row per central formula: ``closest_id``, ``closest``,
        ``closest_parts`` (its numeral or number of components),
        ``same_numeral`` (as many parts as the local formula),
        ``shared_components`` (components printed alike in both) and
        ``shared_characters`` (content characters of the central name found
        in the local formula's name or components, as a string), sorted most
        alike first: same numeral, then shared components, then shared
        characters.

    Examples
    --------
    >>> from analysis.lexicon import load_lexicon
    >>> lexicon = load_lexicon()
    >>> local = lexicon[lexicon["id"] == "kongbaowenjintaikang"].iloc[0]
    >>> resemblance(local, lexicon[lexicon["level"] == "central"]).head(2)["closest"].tolist()
    ['六保', '六稳']
    """
    size = _pattern_size(local)
    local_parts = {part["text"] for part in _parts(local)}
    local_chars = set(local.canonical) | {ch for part in local_parts for ch in part}
    rows = []
    for entry in central.itertuples():
        parts = {part["text"] for part in _parts(entry)}
        entry_size = _pattern_size(entry)
        shared_chars = "".join(sorted(_key_characters(entry.canonical) & local_chars))
        rows.append({
            "closest_id": entry.id, "closest": entry.canonical, "closest_parts": entry_size,
            "same_numeral": size is not None and entry_size == size,
            "shared_components": len(parts & local_parts), "shared_characters": shared_chars,
        })
    table = pd.DataFrame(rows, columns=["closest_id", "closest", "closest_parts", "same_numeral",
                                        "shared_components", "shared_characters"])
    table["_chars"] = table["shared_characters"].str.len()
    table = table.sort_values(
        ["same_numeral", "shared_components", "_chars", "closest_id"],
        ascending=[False, False, False, True], kind="stable",
    )
    return table.drop(columns="_chars").reset_index(drop=True)


def _best_matches(local, central: pd.DataFrame) -> pd.DataFrame:
    """The central formulas tied for most alike, among those patterned alike or sharing components.

    A character in common alone (西 of 西美 and 西部大开发) is chance; with the
    same numeral pattern (控保稳进抬扛 and 六稳) it is a pattern.
    """
    table = resemblance(local, central)
    table = table[
        (table["shared_components"] > 0)
        | (table["same_numeral"] & (table["shared_characters"].str.len() > 0))
    ]
    if table.empty:
        return table
    key = ["same_numeral", "shared_components"]
    best = table.iloc[0]
    tied = (table[key] == best[key]).all(axis=1) & (
        table["shared_characters"].str.len() == len(best["shared_characters"])
    )
    return table[tied]


def local_formulas(
    corpus: pd.DataFrame,
    mentions: pd.DataFrame,
    *,
    lexicon: pd.DataFrame | None = None,
    forms: Sequence[str] | None = COUNTED_FORMS,
) -> pd.DataFrame:
    """Local formulas used below the centre, each beside the central formula it most resembles.

    A local formula is a lexicon entry whose level is not central
    (provincial, municipal) that documents of a lower level use. Its closest
    central formulas are those with the same numeral pattern (as many parts:
    控保稳进抬扛 has six, like 六稳 and 六保), then the most components
    printed alike, then the most content characters in common (稳 of 六稳 and
    保 of 六保 are both in 控保稳进抬扛); formulas tied on all three are all
    listed, one row each. Only central formulas that share a component, or
    share a character and the numeral pattern, count as resembling; a local
    formula without any has one row with the ``closest`` columns empty.

    Parameters
    ----------
    corpus, mentions, forms
        As in :func:`first_use`.
    lexicon : pandas.DataFrame, optional
        Default the shipped one.

    Returns
    -------
    pandas.DataFrame
        :data:`LOCAL_FORMULA_COLUMNS`: ``slogan_id``, ``formula``, the
        lexicon's ``level`` and ``region``, ``parts``, ``first_date`` and
        ``documents`` of its use below the centre, and of the closest
        central formula ``closest_id``, ``closest``, ``closest_parts``,
        ``same_numeral``, ``shared_components``, ``shared_characters``.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["z"], "level": ["county"], "date": pd.to_datetime(["2020-06-01"])})
    >>> mentions = pd.DataFrame({"doc_id": ["z"], "slogan_id": ["kongbaowenjintaikang"],
    ...                          "canonical": ["控保稳进抬扛"], "form": ["compact"]})
    >>> local_formulas(corpus, mentions)["closest"].tolist()
    ['六保', '六稳']
    """
    from .lexicon import load_lexicon

    lexicon = load_lexicon() if lexicon is None else lexicon
    docs = _documents(corpus, function="local_formulas")
    lower = docs[docs["level"].notna() & (docs["level"] != CENTRAL)]
    used = _counted(mentions, forms, function="local_formulas").merge(lower, on="doc_id", how="inner")
    entries = lexicon.set_index("id", drop=False)
    local_ids = [
        slogan_id for slogan_id in sorted(set(used["slogan_id"]))
        if slogan_id in entries.index and entries.loc[slogan_id, "level"] not in CENTRAL_LEXICON_LEVELS
    ]
    central = _central_entries(lexicon)
    rows = []
    for slogan_id in local_ids:
        entry = entries.loc[slogan_id]
        frame = used[used["slogan_id"] == slogan_id]
        base = {
            "slogan_id": slogan_id, "formula": entry["canonical"], "level": entry["level"],
            "region": entry["region"], "parts": _pattern_size(entry), "first_date": frame["date"].min(),
            "documents": frame["doc_id"].nunique(),
        }
        matches = _best_matches(entry, central)
        if matches.empty:
            rows.append({**base, "closest_id": None, "closest": None, "closest_parts": None,
                         "same_numeral": False, "shared_components": 0, "shared_characters": ""})
        for match in matches.to_dict("records"):
            rows.append({**base, **match})
    table = pd.DataFrame(rows, columns=LOCAL_FORMULA_COLUMNS)
    table["first_date"] = pd.to_datetime(table["first_date"]).astype("datetime64[ns]")
    table["parts"] = table["parts"].astype("Int64")
    table["closest_parts"] = table["closest_parts"].astype("Int64")
    table = table.astype({"documents": "int64", "same_numeral": "bool", "shared_components": "int64"})
    return table


def _named_parts(surface: str, parts: list[dict]) -> set[int]:
    """Indexes of the components a mention's text names (by their text or an alias)."""
    return {
        number for number, part in enumerate(parts)
        if any(form and form in surface for form in [part["text"], *part.get("aliases", [])])
    }


def uptakes(
    corpus: pd.DataFrame,
    mentions: pd.DataFrame,
    *,
    lexicon: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Each take-up of a central formula by a lower-level document, classed by fidelity.

    A document takes up a central formula when it mentions it in a counted
    form or uses a local formula patterned on it (see
    :func:`local_formulas`). The class (:data:`FIDELITY_CLASSES`) is the most
    faithful form the document uses: ``full expansion`` when an expansion
    names every component, else ``compact`` (the name, 六稳, or its
    character-by-character enumeration), else ``partial list`` (an expansion
    naming some of the components). A local formula gives a separate row of
    class ``local variant`` for each central formula it most resembles, with
    the local formula in ``variant``. A lone component (稳就业) is not an
    uptake.

    Parameters
    ----------
    corpus, mentions
        As in :func:`first_use`; mentions need ``surface``, ``start`` and
        ``end`` too.
    lexicon : pandas.DataFrame, optional
        Default the shipped one.

    Returns
    -------
    pandas.DataFrame
        :data:`UPTAKE_COLUMNS`, one row per document and central formula
        (and variant): ``doc_id``, ``date``, ``level``, ``region``,
        ``slogan_id``, ``canonical`` (the central formula), ``fidelity``,
        ``variant`` (the local formula, or NA), ``mentions``, ``parts_named``
        (distinct components named in its expansions), ``parts`` (components
        of the formula), and ``start``/``end`` of its first mention in
        ``text_clean``.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["z"], "level": ["county"], "date": pd.to_datetime(["2020-06-01"])})
    >>> mentions = pd.DataFrame({"doc_id": ["z"], "slogan_id": ["liuwen"], "canonical": ["六稳"],
    ...                          "form": ["compact"], "surface": ["六稳"], "start": [3], "end": [5]})
    >>> uptakes(corpus, mentions)[["canonical", "fidelity"]].values.tolist()
    [['六稳', 'compact']]
    """
    from .lexicon import load_lexicon

    lexicon = load_lexicon() if lexicon is None else lexicon
    docs = _documents(corpus, function="uptakes")
    lower = docs[docs["level"].notna() & (docs["level"] != CENTRAL)]
    used = _counted(mentions, COUNTED_FORMS, function="uptakes")
    _require(used, ["surface", "start", "end"], name="mentions", function="uptakes")
    used = used.merge(lower, on="doc_id", how="inner")
    entries = lexicon.set_index("id", drop=False)
    central = _central_entries(lexicon)
    central_ids = set(central["id"])
    rows = []
    for (doc_id, slogan_id), frame in used.groupby(["doc_id", "slogan_id"], sort=True):
        if slogan_id not in entries.index:
            continue
        entry = entries.loc[slogan_id]
        base = {column: frame.iloc[0][column] for column in ("doc_id", "date", "level", "region")}
        first = frame.sort_values("start", kind="stable").iloc[0]
        if slogan_id in central_ids:
            parts = _parts(entry)
            expansions = frame[frame["form"] == "expansion"]
            named = set().union(*[_named_parts(s, parts) for s in expansions["surface"]]) if len(expansions) else set()
            if parts and len(named) == len(parts):
                fidelity = "full expansion"
            elif frame["form"].isin(["compact", "enumerated"]).any():
                fidelity = "compact"
            else:
                fidelity = "partial list"
            rows.append({**base, "slogan_id": slogan_id, "canonical": entry["canonical"], "fidelity": fidelity,
                         "variant": None, "mentions": len(frame), "parts_named": len(named),
                         "parts": len(parts), "start": first["start"], "end": first["end"]})
        elif entry["level"] not in CENTRAL_LEXICON_LEVELS:
            for match in _best_matches(entry, central).itertuples():
                parts = _parts(entries.loc[match.closest_id])
                rows.append({**base, "slogan_id": match.closest_id, "canonical": match.closest,
                             "fidelity": "local variant", "variant": entry["canonical"], "mentions": len(frame),
                             "parts_named": 0, "parts": len(parts), "start": first["start"], "end": first["end"]})
    table = pd.DataFrame(rows, columns=UPTAKE_COLUMNS)
    table["date"] = pd.to_datetime(table["date"]).astype("datetime64[ns]")
    table = table.astype({"mentions": "int64", "parts_named": "int64", "parts": "int64",
                          "start": "int64", "end": "int64"})
    return table


# ------------------------------------------------------------------ text reuse


@functools.lru_cache(maxsize=1)
def _kept_characters() -> np.ndarray:
    """Lookup over the Basic Multilingual Plane: True for characters compared in reuse."""
    keep = np.ones(0x10000, dtype=bool)
    for code in range(0x10000):
        # Spaces, punctuation, symbols and controls do not make a passage the same text.
        if unicodedata.category(chr(code))[0] in "ZPSC":
            keep[code] = False
    return keep


def _normalised(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Code points compared in reuse and their offsets in ``text``."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    keep = np.ones(len(codes), dtype=bool)
    in_bmp = codes < 0x10000
    keep[in_bmp] = _kept_characters()[codes[in_bmp]]
    offsets = np.flatnonzero(keep)
    return codes[offsets], offsets


def normalised_length(text: str) -> int:
    """Characters of ``text`` that text reuse compares: all but spaces, punctuation and symbols.

    Examples
    --------
    >>> normalised_length("稳就业、稳金融。")
    6
    """
    return len(_normalised(text if isinstance(text, str) else "")[1])


_WINDOW_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_MIX_MULTIPLIER = np.uint64(0xFF51AFD7ED558CCD)


def _window_hashes(codes: np.ndarray, size: int) -> np.ndarray:
    """64-bit hash of every window of ``size`` code points (len(codes) - size + 1 of them)."""
    count = len(codes) - size + 1
    if count <= 0:
        return np.empty(0, dtype=np.uint64)
    wide = codes.astype(np.uint64)
    hashed = np.zeros(count, dtype=np.uint64)
    for offset in range(size):
        # Polynomial hash, wrapping modulo 2**64 as numpy integer arrays do.
        hashed = hashed * _WINDOW_MULTIPLIER + wide[offset : offset + count]
    hashed ^= hashed >> np.uint64(33)
    hashed *= _MIX_MULTIPLIER
    hashed ^= hashed >> np.uint64(33)
    return hashed


class _Texts:
    """The normalised texts of one table, concatenated, with their offsets and document bounds."""

    def __init__(self, texts: list[str]):
        pieces = [_normalised(text if isinstance(text, str) else "") for text in texts]
        lengths = np.array([len(codes) for codes, _ in pieces], dtype=np.int64)
        self.bounds = np.concatenate([[0], np.cumsum(lengths)])
        self.codes = np.concatenate([codes for codes, _ in pieces]) if pieces else np.empty(0, np.uint32)
        self.offsets = [offsets for _, offsets in pieces]
        self.lengths = lengths

    def windows(self, size: int) -> tuple[np.ndarray, np.ndarray]:
        """Hashes and global starts of the windows that lie inside one document."""
        hashed = _window_hashes(self.codes, size)
        starts = np.arange(len(hashed), dtype=np.int64)
        document = np.searchsorted(self.bounds, starts, side="right") - 1
        inside = starts + size <= self.bounds[document + 1]
        return hashed[inside], starts[inside]


def find_reuse(
    local: pd.DataFrame,
    central: pd.DataFrame,
    *,
    min_chars: int = REUSE_MIN_CHARS,
    earlier_only: bool = True,
    text_col: str = "text_clean",
) -> pd.DataFrame:
    """Passages a local document shares word for word with a central one.

    Every passage of at least ``min_chars`` characters (spaces, punctuation
    and symbols not counted, nor compared) that occurs in both a local and a
    central document is found, maximal: it cannot be extended on either
    side. A passage repeated in a document is reported at each place.

    Parameters
    ----------
    local, central : pandas.DataFrame
        Documents with ``doc_id`` and ``text_col`` (and ``date`` for
        ``earlier_only``), e.g. the lower levels and the central level of one
        combined corpus.
    min_chars : int, default :data:`REUSE_MIN_CHARS`
        Shortest passage, in compared characters.
    earlier_only : bool, default True
        Leave out pairs whose central document is dated later than the local
        one (a central text cannot be the source of an earlier local one).
        Pairs with an undated document are kept.
    text_col : str, default "text_clean"

    Returns
    -------
    pandas.DataFrame
        :data:`REUSE_COLUMNS`, one row per passage, ordered by local
        document, central document and ``start``: ``doc_id`` (local),
        ``central_doc_id``, ``start``/``end`` (offsets into the local
        ``text_col``), ``central_start``/``central_end`` (into the central
        one), ``length`` (compared characters) and ``passage`` (the local
        text). ``attrs["min_chars"]`` records the minimum.

    Examples
    --------
    >>> shared = "坚持稳中求进工作总基调，完整准确全面贯彻新发展理念，加快构建新发展格局"
    >>> local = pd.DataFrame({"doc_id": ["l"], "text_clean": ["会议要求：" + shared + "。"]})
    >>> central = pd.DataFrame({"doc_id": ["c"], "text_clean": ["我们" + shared + "，着力推动高质量发展。"]})
    >>> find_reuse(local, central, earlier_only=False)[["start", "end", "central_start", "length"]].values.tolist()
    [[5, 40, 2, 33]]
    """
    for name, table in (("local", local), ("central", central)):
        _require(table, ["doc_id", text_col], name=f"the {name} corpus", function="find_reuse")
    if earlier_only:
        for name, table in (("local", local), ("central", central)):
            _require(table, ["date"], name=f"the {name} corpus (earlier_only=True)", function="find_reuse")
    if not isinstance(min_chars, (int, np.integer)) or min_chars < 2:
        raise DiffusionError(f"find_reuse: min_chars must be an integer of at least 2, got {min_chars!r}")
    local_texts = local[text_col].tolist()
    central_texts = central[text_col].tolist()
    ours, theirs = _Texts(local_texts), _Texts(central_texts)
    local_hash, local_start = ours.windows(min_chars)
    central_hash, central_start = theirs.windows(min_chars)

    order = np.argsort(central_hash, kind="stable")
    central_hash, central_start = central_hash[order], central_start[order]
    left = np.searchsorted(central_hash, local_hash, side="left")
    right = np.searchsorted(central_hash, local_hash, side="right")
    hits = right - left
    matched = np.flatnonzero(hits)
    repeat = hits[matched]
    local_positions = np.repeat(local_start[matched], repeat)
    first = np.repeat(left[matched], repeat)
    within = np.arange(len(first)) - np.repeat(np.cumsum(repeat) - repeat, repeat)
    central_positions = central_start[first + within]

    local_doc = np.searchsorted(ours.bounds, local_positions, side="right") - 1
    central_doc = np.searchsorted(theirs.bounds, central_positions, side="right") - 1
    diagonal = central_positions - local_positions
    order = np.lexsort((local_positions, diagonal, central_doc, local_doc))
    local_positions, central_positions = local_positions[order], central_positions[order]
    local_doc, central_doc, diagonal = local_doc[order], central_doc[order], diagonal[order]
    # Windows on one diagonal one character apart are one passage.
    new_run = np.ones(len(order), dtype=bool)
    if len(order) > 1:
        new_run[1:] = (
            (local_doc[1:] != local_doc[:-1]) | (central_doc[1:] != central_doc[:-1])
            | (diagonal[1:] != diagonal[:-1]) | (local_positions[1:] != local_positions[:-1] + 1)
        )
    run_starts = np.flatnonzero(new_run)
    run_ends = np.r_[run_starts[1:], len(order)] - 1

    local_ids = local["doc_id"].astype(str).tolist()
    central_ids = central["doc_id"].astype(str).tolist()
    local_dates = pd.to_datetime(local["date"]).tolist() if earlier_only else None
    central_dates = pd.to_datetime(central["date"]).tolist() if earlier_only else None
    rows = []
    for head, tail in zip(run_starts.tolist(), run_ends.tolist()):
        one, other = int(local_doc[head]), int(central_doc[head])
        if local_ids[one] == central_ids[other]:
            continue  # a document shared by both tables is not reused from itself
        if earlier_only:
            ours_date, theirs_date = local_dates[one], central_dates[other]
            if not pd.isna(ours_date) and not pd.isna(theirs_date) and theirs_date > ours_date:
                continue
        a, b = int(local_positions[head]), int(local_positions[tail]) + min_chars
        c = int(central_positions[head])
        d = c + (b - a)
        if not np.array_equal(ours.codes[a:b], theirs.codes[c:d]):
            continue  # a 64-bit hash collision, not shared text
        a_local, b_local = a - ours.bounds[one], b - ours.bounds[one]
        c_local, d_local = c - theirs.bounds[other], d - theirs.bounds[other]
        start = int(ours.offsets[one][a_local])
        end = int(ours.offsets[one][b_local - 1]) + 1
        rows.append({
            "doc_id": local_ids[one], "central_doc_id": central_ids[other],
            "start": start, "end": end,
            "central_start": int(theirs.offsets[other][c_local]),
            "central_end": int(theirs.offsets[other][d_local - 1]) + 1,
            "length": b - a, "passage": local_texts[one][start:end],
        })
    table = pd.DataFrame(rows, columns=REUSE_COLUMNS)
    table = table.astype({"start": "int64", "end": "int64", "central_start": "int64",
                          "central_end": "int64", "length": "int64"})
    table = table.sort_values(["doc_id", "central_doc_id", "start", "central_start"], kind="stable")
    table = table.reset_index(drop=True)
    table.attrs["min_chars"] = int(min_chars)
    return table


def _reused_characters(spans: pd.DataFrame, text: str) -> int:
    """Compared characters of ``text`` covered by at least one span (overlaps counted once)."""
    _, offsets = _normalised(text)
    covered = np.zeros(len(offsets), dtype=bool)
    for start, end in zip(spans["start"], spans["end"]):
        covered[np.searchsorted(offsets, start) : np.searchsorted(offsets, end)] = True
    return int(covered.sum())


def reuse_table(reuse: pd.DataFrame, local: pd.DataFrame, *, text_col: str = "text_clean") -> pd.DataFrame:
    """One row per local and central document that share passages.

    Parameters
    ----------
    reuse : pandas.DataFrame
        From :func:`find_reuse`.
    local : pandas.DataFrame
        The local documents given to it (``doc_id``, ``text_col``).

    Returns
    -------
    pandas.DataFrame
        :data:`REUSE_TABLE_COLUMNS`: ``doc_id``, ``central_doc_id``,
        ``passages``, ``longest`` (compared characters),
        ``reused_chars`` (characters of the local document in any shared
        passage), ``chars`` (its compared characters) and ``share``
        (``reused_chars / chars``), by share, largest first.

    Examples
    --------
    >>> reuse = pd.DataFrame({"doc_id": ["l"], "central_doc_id": ["c"], "start": [0], "end": [4], "length": [4]})
    >>> reuse_table(reuse, pd.DataFrame({"doc_id": ["l"], "text_clean": ["六稳六保，稳中求进"]}))["share"].tolist()
    [0.5]
    """
    _require(reuse, ["doc_id", "central_doc_id", "start", "end", "length"], name="reuse", function="reuse_table")
    _require(local, ["doc_id", text_col], name="the local corpus", function="reuse_table")
    texts = dict(zip(local["doc_id"].astype(str), local[text_col]))
    rows = []
    for (doc_id, central_doc_id), frame in reuse.groupby(["doc_id", "central_doc_id"], sort=True):
        text = texts.get(str(doc_id))
        if text is None:
            raise DiffusionError(f"reuse_table: document {doc_id!r} of the reuse table is not in the local corpus")
        chars = normalised_length(text)
        reused = _reused_characters(frame, text)
        rows.append({"doc_id": doc_id, "central_doc_id": central_doc_id, "passages": len(frame),
                     "longest": int(frame["length"].max()), "reused_chars": reused, "chars": chars,
                     "share": reused / chars if chars else 0.0})
    table = pd.DataFrame(rows, columns=REUSE_TABLE_COLUMNS)
    table = table.astype({"passages": "int64", "longest": "int64", "reused_chars": "int64", "chars": "int64",
                          "share": "float64"})
    return table.sort_values(["share", "doc_id", "central_doc_id"], ascending=[False, True, True],
                             kind="stable").reset_index(drop=True)


def reuse_by_document(reuse: pd.DataFrame, local: pd.DataFrame, *, text_col: str = "text_clean") -> pd.DataFrame:
    """Share of each local document that is reused from central ones, every document listed.

    Parameters
    ----------
    reuse : pandas.DataFrame
        From :func:`find_reuse`.
    local : pandas.DataFrame
        The local documents (``doc_id``, ``text_col``; ``date``, ``level``,
        ``region`` when present).

    Returns
    -------
    pandas.DataFrame
        :data:`REUSE_DOCUMENT_COLUMNS`, in the local corpus's order:
        ``doc_id``, ``date``, ``level``, ``region``, ``chars`` (compared
        characters), ``reused_chars`` (in a passage shared with any central
        document), ``share``, ``central_docs`` and ``passages``; documents
        without reuse have zeros.

    Examples
    --------
    >>> reuse = pd.DataFrame({"doc_id": ["l"], "central_doc_id": ["c"], "start": [0], "end": [4], "length": [4]})
    >>> local = pd.DataFrame({"doc_id": ["l", "m"], "text_clean": ["六稳六保，稳中求进", "无"]})
    >>> reuse_by_document(reuse, local)["share"].tolist()
    [0.5, 0.0]
    """
    _require(reuse, ["doc_id", "central_doc_id", "start", "end"], name="reuse", function="reuse_by_document")
    _require(local, ["doc_id", text_col], name="the local corpus", function="reuse_by_document")
    groups = {str(doc_id): frame for doc_id, frame in reuse.groupby("doc_id", sort=False)}
    ids = local["doc_id"].astype(str).tolist()
    chars, reused, central_docs, passages = [], [], [], []
    for doc_id, text in zip(ids, local[text_col]):
        text = text if isinstance(text, str) else ""
        frame = groups.get(doc_id)
        if frame is None:
            # Counting needs no offsets: only documents with passages pay for the full pass.
            chars.append(normalised_length(text))
            reused.append(0)
            central_docs.append(0)
            passages.append(0)
            continue
        _, offsets = _normalised(text)
        covered = np.zeros(len(offsets), dtype=bool)
        for start, end in zip(frame["start"], frame["end"]):
            covered[np.searchsorted(offsets, start) : np.searchsorted(offsets, end)] = True
        chars.append(len(offsets))
        reused.append(int(covered.sum()))
        central_docs.append(frame["central_doc_id"].nunique())
        passages.append(len(frame))
    absent = pd.Series([None] * len(local), dtype=object)
    rows = {
        "doc_id": ids,
        "date": local["date"].to_numpy() if "date" in local.columns else pd.Series([pd.NaT] * len(local)),
        "level": local["level"].to_numpy(dtype=object) if "level" in local.columns else absent,
        "region": local["region"].to_numpy(dtype=object) if "region" in local.columns else absent,
        "chars": chars, "reused_chars": reused,
        "share": [r / c if c else 0.0 for r, c in zip(reused, chars)],
        "central_docs": central_docs, "passages": passages,
    }
    table = pd.DataFrame(rows, columns=REUSE_DOCUMENT_COLUMNS)
    table["date"] = pd.to_datetime(table["date"]).astype("datetime64[ns]")
    return table.astype({"chars": "int64", "reused_chars": "int64", "share": "float64",
                         "central_docs": "int64", "passages": "int64"})


def reuse_by_period(by_document: pd.DataFrame, *, period: str | None = None) -> pd.DataFrame:
    """Reuse over time: per period, the pooled share of local text reused from central documents.

    Parameters
    ----------
    by_document : pandas.DataFrame
        From :func:`reuse_by_document`.
    period : str, optional
        A unit of :data:`analysis.periods.PERIODS`; default
        :func:`analysis.periods.choose_period` of the documents' dates.

    Returns
    -------
    pandas.DataFrame
        :data:`REUSE_PERIOD_COLUMNS`, every period from the first to the last
        dated document (periods without documents have zeros, a gap rather
        than no reuse): ``period``, ``start``, ``documents``,
        ``documents_reusing``, ``chars``, ``reused_chars`` and ``share``
        (reused over all characters of the period, NaN without documents).
        Undated documents are counted in ``attrs["undated"]``.

    Examples
    --------
    >>> table = pd.DataFrame({"date": pd.to_datetime(["2020-01-01", "2022-01-01"]),
    ...                       "chars": [10, 10], "reused_chars": [5, 0]})
    >>> reuse_by_period(table, period="year")["share"].tolist()
    [0.5, nan, 0.0]
    """
    _require(by_document, ["date", "chars", "reused_chars"], name="by_document", function="reuse_by_period")
    dates = pd.to_datetime(by_document["date"])
    period = choose_period(dates) if period is None else check_period(period)
    code = PERIODS[period] if period is not None else None
    dated = by_document[dates.notna()]
    rows = []
    if len(dated) and code is not None:
        dated = dated.assign(_slot=to_period(dates[dates.notna()], period).to_numpy())
        grouped = dated.groupby("_slot")
        for slot in pd.period_range(dated["_slot"].min(), dated["_slot"].max(), freq=code):
            frame = grouped.get_group(slot) if slot in grouped.groups else dated.iloc[0:0]
            chars, reused = int(frame["chars"].sum()), int(frame["reused_chars"].sum())
            rows.append({"period": str(slot), "start": slot.to_timestamp(), "documents": len(frame),
                         "documents_reusing": int((frame["reused_chars"] > 0).sum()), "chars": chars,
                         "reused_chars": reused, "share": reused / chars if chars else np.nan})
    table = pd.DataFrame(rows, columns=REUSE_PERIOD_COLUMNS)
    table["start"] = pd.to_datetime(table["start"]).astype("datetime64[ns]")
    table = table.astype({"documents": "int64", "documents_reusing": "int64", "chars": "int64",
                          "reused_chars": "int64", "share": "float64"})
    table.attrs["undated"] = int(dates.isna().sum())
    table.attrs["period"] = period
    return table
