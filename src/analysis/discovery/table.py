"""The combined table of both detectors' candidates."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..periods import check_period, period_of, periods_before, to_period
from ..validation import InputError, check_choice, check_int
from .inputs import corpus_table
from .context import ContextPrior
from .ngrams import MIN_GROWTH
from .phrases import RankWeights, default_min_history, discover_phrases
from .prior import FormPrior, phrase_key
from .selection import NUMERAL_CHARS, numbered

DETECTORS = ("formula", "phrase")

NUMBERED_WEIGHT = 4.0
"""A formula candidate shaped like a numbered formula (:func:`analysis.discovery.selection.numbered`:
三严三实, 两学一做, 四个全面, 三农, 十一五) scores 1 + this times higher: a historian reads
the numbered formulas first and the quoted one-offs (“老工伤”, “形象工程”) after them. Chosen
on the dev setting of ``benchmarks/discovery.py`` (grid 0, 1, 2, 4, 8: dev precision of the
top 30 15, 17, 18, 19, 19 of 30, recall 3, 4, 4, 4, 4 of 18), never on its test settings."""


_NUMERAL_CLASS = "[" + "".join(sorted(NUMERAL_CHARS)) + "]"


def _growth_of(candidate: str, texts: list[str], doc_period: list[int | None], n_periods_docs: list[int], *,
               first_split: int = 0) -> tuple[float, str | None]:
    """Growth of a literal string as in :func:`discover_phrases`, at its best split from the
    period ``first_split`` on (NaN when it is not printed there)."""
    counts: dict[int, int] = {}
    # A numeral at an edge counts as the formula's own only where no numeral extends it: “五五”普法
    # is not the 五五 of 十五五.
    pattern = re.compile(
        (f"(?<!{_NUMERAL_CLASS})" if candidate[:1] in NUMERAL_CHARS else "") + re.escape(candidate)
        + (f"(?!{_NUMERAL_CLASS})" if candidate[-1:] in NUMERAL_CHARS else "")
    )  # fmt: skip
    for text, index in zip(texts, doc_period):
        if index is not None and candidate in text and pattern.search(text):
            counts[index] = counts.get(index, 0) + 1
    if not counts:
        return math.nan, None
    cumulative = [0]
    for n in n_periods_docs:
        cumulative.append(cumulative[-1] + n)
    total = cumulative[-1]
    best = (math.nan, None)
    for split in sorted(k for k in counts if k >= first_split):
        after = sum(v for k, v in counts.items() if k >= split)
        before = sum(v for k, v in counts.items() if k < split)
        growth = (after / (total - cumulative[split] + 1)) / ((before + 1) / (cumulative[split] + 1))
        if math.isnan(best[0]) or growth > best[0]:
            best = (growth, split)
    return best


DISCOVERY_COLUMNS = [
    "rank", "candidate", "detector", "kind", "first_seen", "documents", "count", "growth", "example", "doc_id",
    "start", "end",
]  # fmt: skip
"""Columns of :func:`discover`."""

FUSION_K = 20
"""The ranks of the two detectors are fused as in reciprocal rank fusion (Cormack, Clarke and
Büttcher 2009): a candidate scores ``weight / (FUSION_K + rank)`` in each detector that
proposes it, summed. The detectors' own scores are not on one scale; their ranks are, and a
candidate both propose (四个意识, quoted and rising) comes first. 20 and the formula weight
:data:`FORMULA_FUSION_WEIGHT` are one of the two best cells of the grid k 10, 20, 30, 45 by
weight 0.25, 0.4, 0.5, 0.6, 0.75, 1.0 on the dev setting of ``benchmarks/discovery.py`` (8 of
18 found, 20 of 30 slogans; k 45 with weight 0.4 ties), never chosen on its test settings."""

FORMULA_FUSION_WEIGHT = 0.5
"""The weight of a formula candidate's rank in the fused ranking (a phrase's is 1): the formula
detector proposes every quoted one-off too (“老工伤”), and on the dev setting its ranks weigh
half as much as the phrase detector's."""

FUSION_DEPTH = 3
"""With ``n``, each detector's first ``FUSION_DEPTH * n`` candidates are fused."""


def discover(
    corpus,
    *,
    lexicon: pd.DataFrame | None = None,
    detectors: Sequence[str] = DETECTORS,
    n: int | None = None,
    period: str = "year",
    min_documents: int = 3,
    reference=None,
    since=None,
    prior: FormPrior | bool = True,
    context: ContextPrior | bool = True,
    weights: RankWeights | None = None,
    random_state: int = 0,
    combined: bool = True,
) -> pd.DataFrame:
    """Both detectors' candidates in one table, with the evidence for each.

    Parameters
    ----------
    corpus : pandas.DataFrame
        A table with ``doc_id``, ``text_clean`` and ``date``.
    lexicon : pandas.DataFrame, optional
        Known slogans to leave out; defaults to the shipped lexicon.
    detectors : sequence of {"formula", "phrase"}
        Which detectors to run (default both).
    n : int, optional
        Keep the first ``n`` candidates (of each detector's ranking when
        ``combined=False``).
    period : {"year", "quarter", "month", "week", "day"}, default "year"
        Period for ``growth``.
    min_documents : int, default 3
        Fewest documents a ``phrase`` candidate needs after its rise; a
        ``formula`` candidate needs two occurrences (its own default).
    reference : pandas.DataFrame, optional
        A background corpus whose phrases count as earlier than the corpus
        (see :func:`discover_phrases`); it bears on ``phrase`` candidates.
    since : int, str or date, optional
        Only what is new since this period (a year such as 2013, or a date):
        phrases that rise from it on (see :func:`discover_phrases`), and
        formulas whose growth from it on is at least
        :data:`~analysis.discovery.MIN_GROWTH` (a formula not printed as one
        string: first seen from it on).
    prior : FormPrior or bool, default True
        The form prior of the ``phrase`` ranking (see :func:`discover_phrases`).
    context : ContextPrior or bool, default True
        The context prior of the ``phrase`` ranking (see :func:`discover_phrases`).
    weights : RankWeights, optional
        The weights of the ``phrase`` ranking (see :func:`discover_phrases`).
    random_state : int, default 0
        Seed of the prior learned when ``prior=True``.
    combined : bool, default True
        One ranking across both detectors, one row per candidate (see
        below); False gives each detector's rows in its own ranking,
        ``formula`` first.

    A candidate printed only in procedural texts (``doc_type`` "procedural": the
    resolutions approving a report, see :func:`analysis.corpus.without_procedural`)
    is the procedure's own wording (批准这个报告), not a coinage, and is left
    out; those texts still count as documents of their period, since a
    resolution repeats the formulas its report stresses.

    The phrase detector needs dated documents in :data:`~analysis.discovery.MIN_HISTORY` + 1
    periods: on a corpus with fewer (an undated page, a single year
    counted by year) it is left out and the table's ``attrs["note"]`` says
    why (:func:`phrase_skip_reason`); the formula detector runs on any
    corpus, without ``growth`` on an undated one.

    Returns
    -------
    pandas.DataFrame
        ``rank`` (from 1), ``candidate``, ``detector`` ("formula", "phrase", or
        "formula+phrase" for a candidate both propose, written the same
        without commas and quotes), ``kind`` (the formula pattern, or
        "rising" for phrases), ``first_seen``, ``documents``, ``count``
        (occurrences), ``growth`` (as in :func:`discover_phrases`, computed
        for formula candidates too; NaN when the candidate is not printed as
        one string, like a quoted enumeration), ``example``, ``doc_id`` and
        ``start``, ``end`` (offsets of the candidate's first use in that
        document's ``text_clean``; missing for a formula not printed as one
        string). Formulas rank by
        ``growth`` times the log of one plus the occurrences (a formula not
        printed as one string counts growth 1), times ``1 + NUMBERED_WEIGHT``
        for a numbered formula's shape (三严三实, 四个全面), phrases as in
        :func:`discover_phrases`. Combined, the rows are ranked by the fused
        ranks of the detectors (:data:`FUSION_K`,
        :data:`FORMULA_FUSION_WEIGHT`), ties by the better rank within a
        detector, then by the candidate; a candidate both propose takes the
        evidence of the detector that ranks it higher, and both kinds
        (``quoted+rising``).

    Examples
    --------
    >>> dates = pd.to_datetime([f"{y}-03-05" for y in range(2000, 2010)])
    >>> new = "落实“六个坚持”。推进新型城镇化，坚持新型城镇化道路。新型城镇化是大事。"
    >>> texts = ["要发展经济。"] * 6 + ["要发展经济。" + new] * 4
    >>> corpus = pd.DataFrame({"doc_id": range(10), "text_clean": texts, "date": dates})
    >>> table = discover(corpus, lexicon=pd.DataFrame(columns=["id", "canonical"]))
    >>> list(zip(table["rank"], table["candidate"], table["detector"]))
    [(1, '六个坚持', 'formula+phrase'), (2, '新型城镇化', 'phrase')]
    """
    from ..slogans import discover_formulas

    table = corpus_table(corpus)
    detectors = [detectors] if isinstance(detectors, str) else list(detectors)
    for detector in detectors:
        check_choice(detector, DETECTORS, name="detector")
    n = check_int(n, name="n", allow_none=True)
    each = n if n is None or not combined else FUSION_DEPTH * n
    check_period(period)
    note = phrase_skip_reason(table, period, reference=reference is not None) if "phrase" in detectors else None
    if note is not None:
        detectors = [detector for detector in detectors if detector != "phrase"]
    periods = to_period(table["date"], period)
    dated = periods.notna()
    if since is not None and not dated.any():
        raise InputError("since needs dated documents: the corpus has none")
    parts = []
    if "formula" in detectors:
        formulas = discover_formulas(table, lexicon=lexicon)
        texts = table["text_clean"].astype(str).tolist()
        if dated.any():
            period_list = sorted({p for p in periods if not pd.isna(p)})
            index = {p: i for i, p in enumerate(period_list)}
            doc_period = [None if pd.isna(p) else index[p] for p in periods]
            per_period = [doc_period.count(i) for i in range(len(period_list))]
            first_split = 0 if since is None else periods_before(period_list, since, period)
            growth = [_growth_of(c, texts, doc_period, per_period, first_split=first_split)[0] for c in formulas["candidate"]]
        else:
            growth = math.nan  # a rise needs dates: the formulas rank by their occurrences alone
        formulas = formulas.assign(detector="formula", growth=growth)
        if since is not None:
            # Not new since then: printed before and not risen after (三通, 八项主张 after 2012).
            # A growth means it is printed; only the others are looked for in the texts.
            printed = formulas["growth"].notna().to_numpy().copy()
            printed[~printed] = [any(c in t for t in texts) for c in formulas["candidate"].to_numpy()[~printed]]
            seen_since = (to_period(formulas["first_seen"], period) >= period_of(since, period)).to_numpy(dtype=bool)
            new = (formulas["growth"] >= MIN_GROWTH).to_numpy() | (~printed & seen_since)
            formulas = formulas[new]
        # New formulas first, as for phrases: a rise seen in more places ranks higher; numbered
        # formulas before quoted one-offs.
        shaped = formulas["candidate"].map(numbered).astype(float)
        score = formulas["growth"].fillna(1.0) * formulas["count"].map(math.log1p) * (1 + NUMBERED_WEIGHT * shaped)
        formulas = formulas.assign(score=score).sort_values(
            ["score", "documents", "candidate"], ascending=[False, False, True], kind="stable"
        )
        if each is not None:
            formulas = formulas.head(each)
        text_of = dict(zip(table["doc_id"], texts))
        starts = [text_of[d].find(c) for c, d in zip(formulas["candidate"], formulas["doc_id"])]
        starts = pd.array([s if s >= 0 else None for s in starts], dtype="Int64")
        formulas = formulas.assign(start=starts, end=starts + formulas["candidate"].str.len().to_numpy())
        parts.append(formulas.assign(rank=np.arange(1, len(formulas) + 1))[DISCOVERY_COLUMNS].reset_index(drop=True))
    if "phrase" in detectors:
        phrases = discover_phrases(
            table, lexicon=lexicon, reference=reference, period=period, min_documents=min_documents, n=each, since=since,
            prior=prior, context=context, weights=weights, random_state=random_state,
        )  # fmt: skip
        phrases = phrases.astype({"start": "Int64", "end": "Int64"})
        parts.append(phrases.assign(kind="rising", rank=np.arange(1, len(phrases) + 1))[DISCOVERY_COLUMNS])
    found = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=DISCOVERY_COLUMNS)
    found = found[~_procedural_only(found["candidate"], table)]
    found = fuse_ranks(found, n=n) if combined else found
    if note is not None:
        found.attrs["note"] = note
    return found


def _procedural_only(candidates: pd.Series, corpus: pd.DataFrame) -> np.ndarray:
    """Whether each candidate is printed in the corpus's procedural texts and in no other.

    False throughout for a corpus without a ``doc_type`` column, and for a
    candidate not printed as one string (a quoted enumeration).

    Examples
    --------
    >>> corpus = pd.DataFrame({"text_clean": ["决定批准这个报告。", "推进新型城镇化。"],
    ...                        "doc_type": ["procedural", "text"]})
    >>> _procedural_only(pd.Series(["批准这个报告", "新型城镇化", "六个坚持"]), corpus).tolist()
    [True, False, False]
    """
    mask = np.zeros(len(candidates), dtype=bool)
    if "doc_type" not in corpus.columns or not len(candidates):
        return mask
    procedural = corpus["doc_type"].eq("procedural").to_numpy()
    if not procedural.any():
        return mask
    texts = corpus["text_clean"].astype(str).to_numpy()
    # Procedural texts are short: look there first, and in the rest only for what they print.
    in_procedural = "\n".join(texts[procedural])
    others = "\n".join(texts[~procedural])
    for i, candidate in enumerate(candidates):
        mask[i] = candidate in in_procedural and candidate not in others
    return mask


def phrase_skip_reason(corpus: pd.DataFrame, period: str | None, *, reference: bool = False) -> str | None:
    """Why the phrase detector cannot run on a corpus counted by ``period``, or None when it can.

    It sees a phrase rise against its history: it needs dated documents in at least
    :data:`~analysis.discovery.MIN_HISTORY` + 1 periods (the history and the period of the
    rise). :func:`discover` leaves it out of a corpus with fewer and keeps this sentence in
    its table's ``attrs["note"]``.

    Parameters
    ----------
    corpus : pandas.DataFrame
        A corpus with ``date`` (:func:`analysis.corpus.load_corpus`).
    period : {"year", "quarter", "month", "week", "day"} or None
        The unit phrases rise in; None chooses it from the dates
        (:func:`analysis.periods.choose_period`).
    reference : bool, default False
        Whether a reference corpus is the history (then one dated period is enough).

    Returns
    -------
    str or None
        One sentence for a reader, or None.

    Examples
    --------
    >>> dates = pd.to_datetime([f"{year}-03-05" for year in range(2015, 2021)])
    >>> phrase_skip_reason(pd.DataFrame({"date": dates}), "year") is None
    True
    >>> print(phrase_skip_reason(pd.DataFrame({"date": dates[:1]}), "year"))
    The phrase detector did not run: the corpus's dated documents fall in 1 year, and it needs at least 6 (5 before a phrase's rise and the one it rises in); only the formula detector's candidates are shown.
    >>> print(phrase_skip_reason(pd.DataFrame({"date": [pd.NaT]}), None))
    The phrase detector did not run: no document of the corpus is dated, and it needs dates to see a phrase rise; only the formula detector's candidates are shown, without growth (which needs dates too).
    """
    from ..periods import choose_period

    if period is None and "date" in corpus.columns:
        period = choose_period(corpus)
    periods = pd.Series(dtype=object)
    if period is not None and "date" in corpus.columns:
        periods = to_period(corpus["date"], period).dropna()
    if periods.empty:
        return ("The phrase detector did not run: no document of the corpus is dated, and it needs dates to see a "
                "phrase rise; only the formula detector's candidates are shown, without growth (which needs dates too).")
    needed, count = default_min_history(reference=reference) + 1, periods.nunique()
    if count < needed:
        return (f"The phrase detector did not run: the corpus's dated documents fall in {count} {period}"
                f"{'' if count == 1 else 's'}, and it needs at least {needed} ({needed - 1} before a phrase's rise "
                "and the one it rises in); only the formula detector's candidates are shown.")
    return None


def fuse_ranks(table: pd.DataFrame, *, n: int | None = None) -> pd.DataFrame:
    """One ranking of :func:`discover`'s rows by detector (``combined=False``): each candidate
    once, by its fused rank (:data:`FUSION_K`, :data:`FORMULA_FUSION_WEIGHT`).

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`discover`'s table with ``combined=False``: each detector's rows in its ranking.
    n : int, optional
        Keep the first ``n``.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`DISCOVERY_COLUMNS`, ``rank`` now the fused rank (from 1).

    Examples
    --------
    >>> rows = pd.DataFrame({"rank": [1, 2, 1], "candidate": ["六稳", "三农", "六稳"],
    ...                      "detector": ["formula", "formula", "phrase"]})
    >>> fused = fuse_ranks(rows.reindex(columns=DISCOVERY_COLUMNS).assign(**rows))
    >>> list(zip(fused["rank"], fused["candidate"], fused["detector"]))
    [(1, '六稳', 'formula+phrase'), (2, '三农', 'formula')]
    """
    if not len(table):
        return table.reindex(columns=DISCOVERY_COLUMNS)
    weight = np.where(table["detector"].to_numpy() == "formula", FORMULA_FUSION_WEIGHT, 1.0)
    ranked = table.assign(_key=table["candidate"].map(phrase_key), _part=weight / (FUSION_K + table["rank"].to_numpy()))
    detectors = ranked.groupby("_key", sort=False)["detector"].agg(lambda d: "+".join(sorted(set(d), key=DETECTORS.index)))
    # A candidate both detectors propose keeps both findings: quoted+rising says the text marks it and its use rises.
    by_detector = ranked.assign(_order=ranked["detector"].map(DETECTORS.index)).sort_values("_order", kind="stable")
    kinds = by_detector.groupby("_key", sort=False)["kind"].agg(lambda k: "+".join(dict.fromkeys(k.dropna().astype(str))))
    fused = ranked.groupby("_key", sort=False)["_part"].sum()
    ranked = ranked.assign(_fused=ranked["_key"].map(fused), detector=ranked["_key"].map(detectors),
                           kind=ranked["_key"].map(kinds).replace("", None))  # fmt: skip
    # Each candidate once, with the evidence of the detector that ranks it higher.
    ranked = ranked.sort_values(["_fused", "_part", "candidate"], ascending=[False, False, True], kind="stable")
    ranked = ranked.drop_duplicates("_key")
    if n is not None:
        ranked = ranked.head(n)
    ranked = ranked.assign(rank=np.arange(1, len(ranked) + 1))
    return ranked[DISCOVERY_COLUMNS].reset_index(drop=True)
