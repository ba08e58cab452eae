"""First use and lag by level or region, and the adoption curve: when central slogans reach lower levels."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .. import config
from ..periods import PERIODS, check_period, choose_period, to_period
from ..slogans import COUNTED_FORMS
from .documents import (
    CENTRAL,
    CENTRAL_LEXICON_LEVELS,
    PRECISION_RANK,
    DiffusionError,
    check_by,
    coarser_precision,
    documents_with_levels,
    mentions_of_forms,
)

STATUSES = (
    "central", "adopted", "left-censored", "same period", "before central", "not observed", "no central date",
)
"""Status of a level's (region's) first use of a slogan, see :func:`adoption_lags`."""

FIRST_USE_COLUMNS = [
    "slogan_id", "canonical", "level", "region", "first_date", "precision", "first_doc_id",
    "documents", "undated_documents", "archive_start", "archive_end", "archive_documents",
]
LAG_COLUMNS = FIRST_USE_COLUMNS + ["central_first", "central_precision", "central_source", "lag_days", "status"]
CURVE_COLUMNS = [
    "slogan_id", "canonical", "period", "start", "regions", "regions_observed", "regions_adopted",
    "share", "share_observed",
]


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
    docs = documents_with_levels(corpus, function="first_use")
    check_by(by)
    without_level = int(docs["level"].isna().sum())
    docs = docs[docs["level"].notna()].copy()
    if by == "level":
        docs["region"] = None
    used = mentions_of_forms(mentions, forms, function="first_use")
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
    from ..corpus import parse_date

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
    coarse = coarser_precision(precision, other_precision) or "day"
    code = PERIODS[coarse]
    if stamp.to_period(code) != other.to_period(code):
        return stamp < other
    return PRECISION_RANK.get(precision, 0) < PRECISION_RANK.get(other_precision, 0) or stamp < other


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
        from ..lexicon import load_lexicon

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
        and coarser_precision(precision, centre_precision) not in (None, "day")
        and first.to_period(PERIODS[coarser_precision(precision, centre_precision)])
        == centre.to_period(PERIODS[coarser_precision(precision, centre_precision)])
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
    docs = documents_with_levels(corpus, function="adoption_curve")
    docs = docs[docs["level"].notna() & (docs["level"] != CENTRAL)]
    if level is not None:
        if level not in config.LEVELS:
            raise DiffusionError(f"adoption_curve: level {level!r} is not one of {', '.join(config.LEVELS)}")
        docs = docs[docs["level"] == level]
    docs = docs.assign(region=[r if r is not None else f"({lv})" for lv, r in zip(docs["level"], docs["region"])])
    scope = corpus[corpus["doc_id"].astype(str).isin(set(docs["doc_id"]))]
    period = choose_period(scope) if period is None else check_period(period)
    code = PERIODS[period] if period is not None else None
    used = mentions_of_forms(mentions, forms, function="adoption_curve").merge(
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
