"""Counting slogan mentions: per slogan, document, form and period, life cycles, top slogans, timelines.

Every count goes through :func:`analysis.slogans.tagger.counted_mentions`: components are not mentions, and a
list next to its name in one sentence is one reference.
"""

from __future__ import annotations


import math
from typing import Sequence

import pandas as pd

from ..periods import PERIODS, check_period, choose_period, document_periods, thin_mask
from ..validation import InputError

from .compiled import COUNTED_FORMS, FORMS
from .tagger import as_corpus, check_columns, load_default_lexicon, select_forms

DORMANT_AFTER = 3
"""A slogan not seen in the last this-many periods of the corpus is dormant."""


def _document_table(corpus: pd.DataFrame, mentions: pd.DataFrame, period: str | None) -> pd.DataFrame:
    """doc_id, characters (and period) for every corpus document, in corpus order."""
    corpus = as_corpus(corpus)
    documents = pd.DataFrame(
        {
            "doc_id": corpus["doc_id"].to_numpy(),
            "characters": corpus["text_clean"].str.len().astype("int64").to_numpy(),
        }
    )
    unknown = sorted(set(mentions["doc_id"]) - set(documents["doc_id"]), key=str)
    if unknown:
        raise ValueError(f"mentions refer to documents not in the corpus: {unknown[:5]}")
    if period is not None:
        if "date" not in corpus.columns:
            raise InputError("counting by period needs a 'date' column in the corpus")
        documents["period"] = document_periods(corpus, period).array
    return documents


def _slogan_table(mentions: pd.DataFrame) -> pd.DataFrame:
    slogans = mentions[["slogan_id", "canonical"]].drop_duplicates("slogan_id")
    return slogans.sort_values("slogan_id", kind="stable").reset_index(drop=True)


def _normalise_by(by) -> list[str]:
    keys = [by] if isinstance(by, str) else list(by)
    unknown = [key for key in keys if key not in ("slogan", "document", "form", *PERIODS)]
    if unknown:
        raise InputError(f"by must name 'slogan', 'document', 'form' and/or a period {list(PERIODS)}, got {unknown}")
    if sum(key in PERIODS for key in keys) > 1:
        raise InputError(f"by names more than one period: {keys}")
    return keys


def slogan_counts(
    mentions: pd.DataFrame,
    *,
    by: str | Sequence[str] = "slogan",
    corpus: pd.DataFrame | None = None,
    period: str | None = None,
    forms: Sequence[str] | None = COUNTED_FORMS,
) -> pd.DataFrame:
    """Count slogan mentions per slogan, and per document, period or form.

    Parameters
    ----------
    mentions : pandas.DataFrame
        The table from :func:`tag_slogans`.
    by : str or list of str, default "slogan"
        Rows are always per slogan; add ``"document"`` for one row per
        document and slogan, ``"form"`` for one row per form, or a period
        unit (``"year"``, ``"month"``, ...) for one row per period in a column
        of that name, as :func:`analysis.textstat.term_frequency` does.
    corpus : pandas.DataFrame, optional
        The tagged corpus (``doc_id``, ``text_clean``, and ``date`` for
        periods). Without it, sizes and rates are missing.
    period : {"year", "quarter", "month", "week", "day"}, optional
        Group documents by the period of their ``date``, in a column named
        ``period`` (``by="year"`` does the same in a column ``year``). Every
        period from the first to the last dated document gets a row; undated
        documents form a last row with period ``NaT``. Rates are pooled: the
        mentions of a period over the characters of all its documents.
    forms : sequence of str or None, default ("compact", "enumerated", "expansion")
        Which forms to count; components are left out because they are not
        the slogan itself. ``None`` counts every form.

    Returns
    -------
    pandas.DataFrame
        ``doc_id`` (with ``by="document"``), ``slogan_id``, ``canonical``,
        ``form`` (with ``by="form"``), ``period`` (pandas Period, with
        ``period``), then:

        - ``mentions``: mentions in the group; ``<NA>`` in a period with no
          documents (a gap in the corpus, not a zero).
        - ``documents``: documents in the group (all of them, mentioning the
          slogan or not).
        - ``documents_mentioning``: those with at least one mention.
        - ``characters``: characters of ``text_clean`` in those documents.
        - ``per_10k_chars``: ``mentions`` per 10,000 characters, so corpora
          and periods of different size compare; NaN for gaps.
        - ``thin`` (with a period): the period holds too little text for its
          rate to be trusted (:data:`analysis.periods.MIN_PERIOD_CHARACTERS`,
          :func:`analysis.periods.thin_mask`); False without a corpus.

        One row per slogan with at least one mention of the selected forms,
        sorted by document order, ``slogan_id``, form and period.

    Examples
    --------
    >>> from analysis.slogans import tag_slogans
    >>> corpus = pd.DataFrame({"doc_id": ["a", "b"],
    ...                        "text_clean": ["做好“六稳”工作。", "没有提法。"],
    ...                        "date": pd.to_datetime(["2020-01-05", "2020-03-01"])})
    >>> counts = slogan_counts(tag_slogans(corpus), corpus=corpus, period="month")
    >>> counts["period"].astype(str).tolist()
    ['2020-01', '2020-02', '2020-03']
    >>> counts["mentions"].tolist()  # February has no document: a gap, not a zero
    [1, <NA>, 0]
    """
    check_columns(mentions, ("doc_id", "slogan_id", "canonical", "form"), producer="tag_slogans")
    keys = _normalise_by(by)
    period_column = "period"
    by_period = [key for key in keys if key in PERIODS]
    if by_period:
        if period is not None and period != by_period[0]:
            raise InputError(f"by={by!r} and period={period!r} name different periods")
        period, period_column = by_period[0], by_period[0]
    if period is not None:
        check_period(period)
    freq = PERIODS[period] if period is not None else None
    if freq is not None and corpus is None:
        raise InputError("counting by period needs the corpus (its 'date' column)")
    selected = select_forms(mentions, forms)
    slogans = _slogan_table(selected)
    form_values = [f for f in FORMS if forms is None or f in forms]
    by_document = "document" in keys
    by_form = "form" in keys

    documents = _document_table(corpus, mentions, period) if corpus is not None else None
    if documents is None:
        # Without a corpus only the documents with mentions are known.
        documents = pd.DataFrame({"doc_id": pd.unique(mentions["doc_id"])})
        documents["characters"] = pd.array([pd.NA] * len(documents), dtype="Int64")

    # The grid: every group that could hold mentions, so that zeros are rows.
    grid = slogans.copy()
    if by_form:
        grid = grid.merge(pd.DataFrame({"form": form_values}), how="cross")
    group_keys = ["slogan_id"] + (["form"] if by_form else [])
    tagged = selected.copy()

    if by_document:
        doc_frame = documents.reset_index(drop=True).assign(_order=lambda d: range(len(d)))
        grid = doc_frame.merge(grid, how="cross")
        counted = tagged.groupby(["doc_id", *group_keys], sort=False).size().rename("mentions")
        grid = grid.merge(counted.reset_index(), on=["doc_id", *group_keys], how="left")
        grid["mentions"] = grid["mentions"].fillna(0).astype("Int64")
        grid["documents"] = pd.array([1] * len(grid), dtype="Int64")
        grid["documents_mentioning"] = (grid["mentions"] > 0).astype("Int64")
        sort_by = ["_order", "slogan_id"] + (["_form_order"] if by_form else [])
    else:
        if freq is not None:
            doc_periods = documents.set_index("doc_id")["period"]
            tagged["period"] = tagged["doc_id"].map(doc_periods)
            group_keys = group_keys + ["period"]
            dated = documents["period"].dropna()
            periods = (
                list(pd.period_range(dated.min(), dated.max(), freq=freq)) if len(dated) else []
            )
            if documents["period"].isna().any():
                periods.append(pd.NaT)
            sizes = documents.groupby("period", dropna=False).agg(
                documents=("doc_id", "size"), characters=("characters", "sum")
            )
            slots = pd.DataFrame({"period": pd.array(periods, dtype=f"period[{freq}]")})
            slots = slots.merge(sizes.reset_index(), on="period", how="left")
            dated_slots = slots["period"].notna().to_numpy()
            thin = pd.Series(False, index=slots.index)
            thin[dated_slots] = thin_mask(slots.loc[dated_slots, "characters"].fillna(0))
            sizes = slots.assign(thin=thin.to_numpy()).set_index("period")
            grid = grid.merge(
                pd.DataFrame({"period": pd.array(periods, dtype=f"period[{freq}]")}), how="cross"
            )
            grid = grid.merge(sizes.reset_index(), on="period", how="left")
            grid["characters"] = grid["characters"].fillna(0)
        else:
            grid["documents"] = len(documents) if corpus is not None else pd.NA
            grid["characters"] = documents["characters"].sum() if corpus is not None else pd.NA
        counted = tagged.groupby(group_keys, sort=False, dropna=False).agg(
            mentions=("doc_id", "size"), documents_mentioning=("doc_id", "nunique")
        )
        grid = grid.merge(counted.reset_index(), on=group_keys, how="left")
        for column in ("mentions", "documents_mentioning"):
            grid[column] = grid[column].fillna(0).astype("Int64")
        if corpus is None:
            grid["documents"] = pd.array([pd.NA] * len(grid), dtype="Int64")
        else:
            grid["documents"] = grid["documents"].fillna(0).astype("Int64")
            gap = grid["documents"] == 0
            grid.loc[gap, ["mentions", "documents_mentioning"]] = pd.NA
        sort_by = ["slogan_id"] + (["_form_order"] if by_form else [])
        if freq is not None:
            sort_by.append("period")

    grid["characters"] = grid["characters"].astype("Int64")
    if freq is not None and not by_document:
        grid["thin"] = grid["thin"].fillna(False).astype(bool)
    if by_form:
        grid["_form_order"] = grid["form"].map({f: i for i, f in enumerate(FORMS)})
    rate = grid["mentions"].astype("Float64") / grid["characters"].astype("Float64") * 10_000
    grid["per_10k_chars"] = rate.astype("float64").where(grid["characters"].fillna(0) > 0)
    grid = grid.sort_values(sort_by, kind="stable", na_position="last").reset_index(drop=True)
    columns = (
        (["doc_id"] if by_document else [])
        + ["slogan_id", "canonical"]
        + (["form"] if by_form else [])
        + (["period"] if freq is not None else [])
        + ["mentions", "documents", "documents_mentioning", "characters", "per_10k_chars"]
        + (["thin"] if freq is not None and not by_document else [])
    )
    return grid[columns].rename(columns={"period": period_column})


def slogan_lifecycle(
    mentions: pd.DataFrame,
    corpus: pd.DataFrame,
    *,
    period: str | None = None,
    dormant_after: int = DORMANT_AFTER,
    forms: Sequence[str] | None = COUNTED_FORMS,
    lexicon: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """When each slogan appears, peaks and falls silent, and how it is written.

    Parameters
    ----------
    mentions : pandas.DataFrame
        The table from :func:`tag_slogans`.
    corpus : pandas.DataFrame
        The tagged corpus with ``doc_id``, ``text_clean`` and ``date``; a
        ``page`` column adds the share of mentions on page 1.
    period : {"year", "quarter", "month", "week", "day"}, optional
        The unit for the peak and for dormancy; by default
        :func:`analysis.periods.choose_period` of the corpus (months when
        nothing is dated).
    dormant_after : int, default 3
        A slogan is ``dormant`` when it was not seen in the last
        ``dormant_after`` periods of the corpus (counting the last period that
        holds a dated document), otherwise ``active``.
    forms : sequence of str or None, default ("compact", "enumerated", "expansion")
        Which forms count as a sighting.
    lexicon : pandas.DataFrame, optional
        The lexicon the mentions were tagged with (:func:`analysis.lexicon.load_lexicon`),
        for its dates; defaults to the shipped one.

    Returns
    -------
    pandas.DataFrame
        One row per slogan, sorted by ``first_seen`` then ``slogan_id``:
        ``slogan_id``, ``canonical``, ``introduced`` and ``attested`` (the
        lexicon's date of the slogan's first statement, or where that is not
        known, of the earliest use found in print: ``YYYY[-MM[-DD]]``, missing
        where the lexicon has none;
        see ``data/lexicon/README.md``), so that a corpus's own
        ``first_seen`` can be read against them, ``first_seen``, ``last_seen`` (dates of
        the first and last dated document mentioning it), ``peak_period``
        (highest mentions per 10,000 characters among the periods that are
        not thin, see :mod:`analysis.periods`, unless every period is thin;
        the earliest on a tie),
        ``peak_per_10k_chars``, ``mentions``, ``documents`` (documents
        mentioning it), ``per_10k_chars`` (over the whole corpus),
        ``quoted_share``, ``title_share``, ``front_page_share`` (NaN without a
        ``page`` column), ``periods_since_last`` and ``status``
        (``active``, ``dormant``, or ``unknown`` when only undated documents
        mention it).

    Examples
    --------
    >>> from analysis.slogans import tag_slogans
    >>> corpus = pd.DataFrame({"doc_id": ["a", "b"],
    ...                        "text_clean": ["做好“六稳”工作。", "没有提法。"],
    ...                        "date": pd.to_datetime(["2020-01-05", "2020-06-01"])})
    >>> life = slogan_lifecycle(tag_slogans(corpus), corpus)
    >>> life[["canonical", "periods_since_last", "status"]].values.tolist()
    [['六稳', 5, 'dormant']]
    """
    needed = ("doc_id", "slogan_id", "canonical", "form", "quoted", "in_title")
    check_columns(mentions, needed, producer="tag_slogans")
    if not isinstance(dormant_after, int) or dormant_after < 1:
        raise ValueError(f"dormant_after must be a positive whole number, got {dormant_after!r}")
    corpus = as_corpus(corpus)
    if period is None:
        period = (choose_period(corpus) if "date" in corpus.columns else None) or "month"
    freq = PERIODS[check_period(period)]
    documents = _document_table(corpus, mentions, period)
    documents["date"] = pd.to_datetime(corpus["date"], errors="coerce").to_numpy()
    if "page" in corpus.columns:
        documents["front_page"] = (pd.to_numeric(corpus["page"], errors="coerce") == 1).to_numpy()
    selected = select_forms(mentions, forms)[list(needed)].merge(documents, on="doc_id", how="left")
    dated_periods = documents["period"].dropna()
    corpus_end = dated_periods.max() if len(dated_periods) else None
    total_characters = int(documents["characters"].sum())

    by_period = slogan_counts(mentions, corpus=corpus, period=period, forms=forms)
    by_period = by_period[by_period["period"].notna() & by_period["per_10k_chars"].notna()]
    # A peak is only believable where the period holds enough text: never a thin one, unless the
    # whole corpus is thin (a page or two), where every rate is equally fragile.
    if (~by_period["thin"]).any():
        by_period = by_period[~by_period["thin"]]

    rows = []
    for slogan_id, group in selected.groupby("slogan_id", sort=True):
        seen = group["date"].dropna()
        peaks = by_period[by_period["slogan_id"] == slogan_id]
        peak = peaks.loc[peaks["per_10k_chars"].idxmax()] if len(peaks) else None
        if len(seen) and corpus_end is not None:
            last_period = seen.max().to_period(freq)
            since = (corpus_end - last_period).n
            status = "dormant" if since >= dormant_after else "active"
        else:
            since, status = pd.NA, "unknown"
        rows.append(
            {
                "slogan_id": slogan_id,
                "canonical": group["canonical"].iloc[0],
                "first_seen": seen.min() if len(seen) else pd.NaT,
                "last_seen": seen.max() if len(seen) else pd.NaT,
                "peak_period": peak["period"] if peak is not None else pd.NaT,
                "peak_per_10k_chars": float(peak["per_10k_chars"]) if peak is not None else math.nan,
                "mentions": len(group),
                "documents": group["doc_id"].nunique(),
                "per_10k_chars": len(group) / total_characters * 10_000 if total_characters else math.nan,
                "quoted_share": float(group["quoted"].mean()),
                "title_share": float(group["in_title"].mean()),
                "front_page_share": (
                    float(group["front_page"].mean()) if "front_page" in group.columns else math.nan
                ),
                "periods_since_last": since,
                "status": status,
            }
        )
    if lexicon is None:
        lexicon = load_default_lexicon()
    for column in ("introduced", "attested"):
        dated = {}
        if {"id", f"{column}_date"} <= set(lexicon.columns):
            dated = {i: d for i, d in zip(lexicon["id"], lexicon[f"{column}_date"]) if isinstance(d, str) and d}
        for row in rows:
            row[column] = dated.get(row["slogan_id"])
    columns = [
        "slogan_id", "canonical", "introduced", "attested", "first_seen", "last_seen", "peak_period", "peak_per_10k_chars",
        "mentions", "documents", "per_10k_chars", "quoted_share", "title_share",
        "front_page_share", "periods_since_last", "status",
    ]  # fmt: skip
    result = pd.DataFrame(rows, columns=columns)
    result["first_seen"] = pd.to_datetime(result["first_seen"])
    result["last_seen"] = pd.to_datetime(result["last_seen"])
    result["peak_period"] = pd.array(result["peak_period"].tolist(), dtype=f"period[{freq}]")
    result["mentions"] = result["mentions"].astype("int64")
    result["documents"] = result["documents"].astype("int64")
    result["periods_since_last"] = result["periods_since_last"].astype("Int64")
    result["status"] = result["status"].astype("str")
    return result.sort_values(
        ["first_seen", "slogan_id"], kind="stable", na_position="last"
    ).reset_index(drop=True)


# --------------------------------------------------------------------------
# Helpers for the slogans notebook
# --------------------------------------------------------------------------


def top_slogans(mentions: pd.DataFrame, *, n: int = 10, forms: Sequence[str] | None = COUNTED_FORMS) -> pd.DataFrame:
    """The ``n`` slogans with the most mentions.

    Parameters
    ----------
    mentions : pandas.DataFrame
        The table from :func:`tag_slogans`.
    n : int, default 10
        How many slogans.
    forms : sequence of str or None, default ("compact", "enumerated", "expansion")
        Which forms count (``None``: all, components included).

    Returns
    -------
    pandas.DataFrame
        ``slogan_id``, ``canonical``, ``mentions``, ``documents_mentioning``;
        most mentions first, ties broken by ``slogan_id``.

    Examples
    --------
    >>> from analysis.slogans import tag_slogans
    >>> mentions = tag_slogans("做好“六稳”工作，落实“六保”任务，六保是底线。")
    >>> top_slogans(mentions, n=1)[["canonical", "mentions"]].values.tolist()
    [['六保', 2]]
    """
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError(f"n must be a whole number >= 1, got {n!r}")
    counts = slogan_counts(mentions, forms=forms)[["slogan_id", "canonical", "mentions", "documents_mentioning"]]
    counts = counts.astype({"mentions": "int64", "documents_mentioning": "int64"})
    return (
        counts.sort_values(["mentions", "slogan_id"], ascending=[False, True], kind="stable")
        .head(n)
        .reset_index(drop=True)
    )


TIMELINE_COLUMNS = ["slogan_id", "canonical", "period", "mentions", "documents", "per_10k_chars", "thin"]


def slogan_timeline(
    mentions: pd.DataFrame,
    corpus: pd.DataFrame,
    *,
    period: str | None = None,
    n: int = 8,
    forms: Sequence[str] | None = COUNTED_FORMS,
) -> pd.DataFrame:
    """Rates of the top slogans per period, ready for :func:`analysis.textplot.timeline`.

    Parameters
    ----------
    mentions : pandas.DataFrame
        The table from :func:`tag_slogans`.
    corpus : pandas.DataFrame
        The tagged corpus (``doc_id``, ``text_clean``, ``date``).
    period : {"year", "quarter", "month", "week", "day"}, optional
        Defaults to :func:`analysis.periods.choose_period` of the corpus.
    n : int, default 8
        The slogans shown: the ``n`` most mentioned (:func:`top_slogans`).
    forms : sequence of str or None, default ("compact", "enumerated", "expansion")
        Which forms count.

    Returns
    -------
    pandas.DataFrame
        ``slogan_id``, ``canonical``, ``period`` (pandas Period), ``mentions``,
        ``documents``, ``per_10k_chars``, ``thin`` (the period holds too little
        text for its rate to be trusted, see :func:`slogan_counts`): every
        period from the first to the last dated document, with ``<NA>``/NaN
        for periods without documents (gaps, not zeros). Undated documents are
        left out. When nothing is
        dated the table is empty and ``attrs["note"]`` says why.

    Examples
    --------
    >>> from analysis.slogans import tag_slogans
    >>> corpus = pd.DataFrame({"doc_id": ["a", "b"],
    ...                        "text_clean": ["做好“六稳”工作。", "做好“六稳”工作。"],
    ...                        "date": pd.to_datetime(["2019-05-01", "2021-05-01"])})
    >>> table = slogan_timeline(tag_slogans(corpus), corpus, period="year")
    >>> table["mentions"].tolist()
    [1, <NA>, 1]
    """
    corpus = as_corpus(corpus)
    period = choose_period(corpus) if period is None and "date" in corpus.columns else period
    if period is None:
        empty = pd.DataFrame({column: pd.Series(dtype="object") for column in TIMELINE_COLUMNS})
        empty.attrs["note"] = "No document is dated, so there is no timeline."
        return empty
    chosen = top_slogans(mentions, n=n, forms=forms)["slogan_id"] if len(mentions) else []
    counts = slogan_counts(mentions, corpus=corpus, period=period, forms=forms)
    counts = counts[counts["slogan_id"].isin(chosen) & counts["period"].notna()]
    table = counts[TIMELINE_COLUMNS].reset_index(drop=True)
    table.attrs["period"] = period
    if table.empty:
        table.attrs["note"] = "No slogan of the lexicon is mentioned in a dated document."
    return table
