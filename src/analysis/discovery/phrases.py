"""The phrase detector: recurrent phrases of plain text whose document frequency rises."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..periods import periods_before
from ..validation import InputError, check_int, check_number
from .context import MAX_USES, ContextPrior
from .inputs import corpus_periods, corpus_table, default_lexicon, known_forms
from .joins import joined_phrases
from .ngrams import (
    MAX_NEIGHBOUR_SHARE,
    Joined,
    rising_ngrams,
)
from .prior import MAX_NEGATIVES, FormPrior, lexicon_forms, phrase_key
from .selection import (
    CONTEXT_HEADS,
    GenericFilter,
    formula_shaped_at,
    mostly_numerals,
    select_candidates,
    short_formula,
)

PHRASE_COLUMNS = [
    "candidate", "detector", "first_seen", "documents", "count", "growth", "rise_period", "quoted",
    "prior", "context", "score", "example", "doc_id", "start", "end",
]  # fmt: skip
"""Columns of :func:`discover_phrases`; :func:`discover` keeps those of :data:`DISCOVERY_COLUMNS` and adds ``kind``."""

MIN_HISTORY = 5
"""Periods of a corpus that must precede a phrase's rise: without a history, nothing is new."""

MAX_CHARS = 12
"""Longest phrase considered: 供给侧结构性改革 has 8 characters, 大众创业、万众创新 9."""

MIN_SHAPED_DOCUMENTS = 2
"""Fewest documents of a phrase shaped like a formula (:func:`selection.formula_shaped`: 三严三实,
外防输入、内防反弹): a new formula is often printed in two reports only."""

QUOTE_WEIGHT = 1.5
"""A candidate's score is multiplied by 1 + this times the share of its uses printed in quotes:
a phrase the text itself marks as a formula (“两学一做”) is a coinage, a generic phrase never is.
1.5, 2.0, 1.0 and 2.0 (:data:`NEAR_WEIGHT`, :data:`PRIOR_WEIGHT`, :data:`CONTEXT_WEIGHT`) are the
best of the grid ``benchmarks/discovery.py --sweep`` prints on its dev setting (recall first, then
precision; 3.0 before that protocol)."""

NEAR_CHARS = 40
NEAR_WEIGHT = 2.0
"""The score is multiplied by 1 + this times the share of its uses with a known slogan within
:data:`NEAR_CHARS` characters: coinages are listed and explained beside the known ones."""

PRIOR_WEIGHT = 1.0
"""The score is multiplied by the form prior to this power (0.5 before the context prior: with it,
1.0 ranks best on the dev setting)."""

CONTEXT_WEIGHT = 2.0
"""The score is multiplied by the context prior (:mod:`analysis.discovery.context`) to this
power; chosen, with the others, on the dev setting of ``benchmarks/discovery.py --sweep``
(on dev: 7/18 found and 19/30 slogans in the top 30, against 6/18 and 15/30 without it)."""



def default_min_history(*, reference: bool) -> int:
    """Periods that must precede a phrase's rise unless told: :data:`MIN_HISTORY`, or none when a
    reference corpus is the history (see :func:`discover_phrases`).

    Examples
    --------
    >>> default_min_history(reference=False) == MIN_HISTORY, default_min_history(reference=True)
    (True, 0)
    """
    return 0 if reference else MIN_HISTORY


@dataclass(frozen=True)
class RankWeights:
    """The weights of the evidence in a phrase's ``score`` (see :func:`discover_phrases`).

    ``quote`` (:data:`QUOTE_WEIGHT`), ``near`` (:data:`NEAR_WEIGHT`), ``prior``
    (:data:`PRIOR_WEIGHT`) and ``context`` (:data:`CONTEXT_WEIGHT`); zero leaves that
    evidence out of the ranking. The defaults were
    chosen on the development setting of ``benchmarks/discovery.py`` (entries of 2003–2012
    hidden, reports up to 2012), never on its test settings.

    Examples
    --------
    >>> RankWeights(quote=0.0).near == NEAR_WEIGHT
    True
    """

    quote: float = QUOTE_WEIGHT
    near: float = NEAR_WEIGHT
    prior: float = PRIOR_WEIGHT
    context: float = CONTEXT_WEIGHT

    def __post_init__(self):
        for name in ("quote", "near", "prior", "context"):
            check_number(getattr(self, name), name=f"weights.{name}", low=0.0)


_SENTENCE_END = re.compile(r"[。！？；!?;\n]")

EXAMPLE_REACH = 120
"""Characters of an example sentence kept on either side of the phrase; a longer sentence is cut, with “…”."""


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around ``text[start:end]``, cut with “…” where it runs on beyond
    :data:`EXAMPLE_REACH` characters (a 总体要求 paragraph is one sentence of 400)."""
    reach = max(0, start - EXAMPLE_REACH)
    left = max((m.end() for m in _SENTENCE_END.finditer(text, reach, start)), default=None)
    right = _SENTENCE_END.search(text, end, min(len(text), end + EXAMPLE_REACH))
    head = "" if left is not None or reach == 0 else "…"
    tail = "" if right is not None or end + EXAMPLE_REACH >= len(text) else "…"
    body = text[reach if left is None else left : right.end() if right else min(len(text), end + EXAMPLE_REACH)]
    return head + body.strip() + tail



class Counted:
    """The recurrent phrases of a corpus (and its reference) with their rise, as counted once
    for :func:`discover_phrases` and :func:`fit_form_prior`."""

    def __init__(self, table, lexicon, reference, period, *, min_chars, max_chars, min_documents, min_history, keep_all,
                 random_state=0, min_shaped=None, since=None):
        references = None
        if reference is not None:
            references = corpus_table(reference, name="reference", columns=("doc_id", "text_clean"))
        if min_history is None:
            min_history = default_min_history(reference=references is not None)
        min_history = check_int(min_history, name="min_history", minimum=0 if references is not None else 1)
        names, forms = known_forms(lexicon)
        periods = corpus_periods(table["date"], period)
        self.period_list = sorted({p for p in periods if not pd.isna(p)})
        period_index = {p: i for i, p in enumerate(self.period_list)}
        dated = [i for i in range(len(table)) if not pd.isna(periods.iloc[i])]
        dated.sort(key=lambda i: (period_index[periods.iloc[i]], i))
        self.dated = dated
        self.texts = table["text_clean"].astype(str).tolist()
        reference_texts = [] if references is None else references["text_clean"].astype(str).tolist()
        self.n_reference = len(reference_texts)
        self.judge = GenericFilter()
        self.names = names
        # The lexicon's forms are searched once, with the known names: the context prior reads their uses.
        joined = Joined(reference_texts + [self.texts[i] for i in dated], names, self.judge.edge_words(),
                        forms=lexicon_forms(lexicon) if len(lexicon) else ())  # fmt: skip
        doc_period = np.array([-1] * len(reference_texts) + [period_index[periods.iloc[i]] for i in dated], dtype=np.int64)
        docs_per_period = np.bincount(doc_period[len(reference_texts) :], minlength=len(self.period_list))
        if since is not None:
            # A rise before ``since`` is not asked about: the first split allowed is its period.
            min_history = max(min_history, periods_before(self.period_list, since, period))
        self.doc_period, self.docs_per_period, self.min_history = doc_period, docs_per_period, min_history
        # Two-character numbered formulas (六稳) are counted too; discover_phrases keeps only those.
        found = rising_ngrams(
            joined, doc_period, docs_per_period, len(reference_texts),
            min_chars=min(2, min_chars), max_chars=max_chars, min_documents=min_documents,
            min_history=min_history, keep_all=keep_all, shaped=formula_shaped_at, min_shaped=min_shaped,
        )  # fmt: skip
        if keep_all:
            # The ordinary phrases are only a prior's negatives: a sample of them is enough.
            ordinary = np.flatnonzero(~found["rising"].to_numpy() & (found["length"].to_numpy() >= 3))
            if len(ordinary) > 2 * MAX_NEGATIVES:
                drop = np.random.default_rng(random_state).choice(ordinary, len(ordinary) - 2 * MAX_NEGATIVES, replace=False)
                found = found.drop(index=found.index[drop])
        found["key"] = joined.keys(found["first"], found["length"])
        unit = (found["left_share"] < MAX_NEIGHBOUR_SHARE) & (found["right_share"] < MAX_NEIGHBOUR_SHARE)
        known = {phrase_key(form) for form in forms}
        self.known_keys = known
        self.found = found[~found["key"].map(mostly_numerals) & ~found["key"].isin(known)].assign(unit=unit, joined=False)
        self.joined = joined


def _joins(counted: Counted, *, min_documents: int) -> pd.DataFrame:
    """The joined long phrases (:mod:`analysis.discovery.joins`) of the rising phrases and the
    known forms, as rows of ``counted.found``."""
    found = counted.found
    parts = found.loc[found["rising"], "key"].tolist() + sorted(counted.known_keys)
    joins = joined_phrases(
        counted.joined, parts, counted.names, counted.doc_period, counted.docs_per_period, counted.n_reference,
        min_documents=min_documents, min_history=counted.min_history,
    )  # fmt: skip
    joins = joins[~joins["key"].isin(counted.known_keys)]
    unit = (joins["left_share"] < MAX_NEIGHBOUR_SHARE) & (joins["right_share"] < MAX_NEIGHBOUR_SHARE)
    return joins.assign(unit=unit, joined=True).astype({"unit": bool, "joined": bool, "rising": bool})


def _fit_prior(counted: Counted, lexicon: pd.DataFrame, *, random_state: int) -> FormPrior | None:
    """A prior from the lexicon's forms against the phrases of the corpus that do not rise."""
    positives = lexicon_forms(lexicon) if len(lexicon) else []
    found = counted.found
    ordinary = found.loc[found["unit"] & ~found["rising"] & (found["length"] >= 3), "key"]
    if not positives or not len(ordinary):
        return None
    return FormPrior.fit(positives, ordinary.tolist(), random_state=random_state, tagger=counted.judge.pos)


def _fit_context(counted: Counted, lexicon: pd.DataFrame, *, random_state: int) -> ContextPrior | None:
    """A context prior from the uses of the lexicon's forms in the corpus (the first
    :data:`~analysis.discovery.context.MAX_USES` of each, found by the counter) against the
    sampled uses of the phrases of the corpus that do not rise (as :func:`_fit_prior`)."""
    joined = counted.joined
    forms = sorted(set(lexicon_forms(lexicon)) | counted.names) if len(lexicon) else []
    positives = joined.form_uses(forms, limit=MAX_USES)
    found = counted.found
    ordinary = found[found["unit"] & ~found["rising"] & (found["length"] >= 3)]
    negatives = joined.use_spans(np.stack(ordinary["uses"].tolist()) if len(ordinary) else np.zeros((0, 1)),
                                 ordinary["length"].to_numpy())  # fmt: skip
    if not positives[2].any() or not len(ordinary):
        return None
    return ContextPrior.fit_uses(joined.text_codes, positives, negatives, random_state=random_state)


def _counted_for_priors(corpus, lexicon, period, min_documents, random_state):
    """The corpus counted as the priors learn from it: every recurrent phrase kept, risen or not."""
    table = corpus_table(corpus)
    lexicon = default_lexicon(lexicon)
    min_documents = check_int(min_documents, name="min_documents")
    random_state = check_int(random_state, name="random_state", minimum=0)
    counted = Counted(
        table, lexicon, None, period, min_chars=3, max_chars=MAX_CHARS, min_documents=min_documents,
        min_history=None, keep_all=True, random_state=random_state,
    )  # fmt: skip
    return counted, lexicon, random_state


def fit_context_prior(
    corpus,
    *,
    lexicon: pd.DataFrame | None = None,
    period: str = "year",
    min_documents: int = 3,
    random_state: int = 0,
) -> ContextPrior:
    """Fit a :class:`analysis.discovery.ContextPrior` on a lexicon and a corpus.

    The contexts of the uses of the lexicon's forms in the corpus (canonical forms, aliases,
    components of three characters or more) are the positives; those of the corpus's ordinary
    phrases, recurring in at least ``min_documents`` documents without rising, the negatives.
    Pass the result as ``context=`` to :func:`discover_phrases` or :func:`discover`.

    Parameters
    ----------
    corpus : pandas.DataFrame
        A table with ``doc_id``, ``text_clean`` and ``date``.
    lexicon : pandas.DataFrame, optional
        Known slogans; defaults to the shipped lexicon.
    period : {"year", "quarter", "month", "week", "day"}, default "year"
        The period phrases rise in.
    min_documents : int, default 3
        Fewest documents of an ordinary phrase.
    random_state : int, default 0
        Seed of the negative sample and the solver.

    Returns
    -------
    ContextPrior

    Examples
    --------
    >>> dates = pd.to_datetime([f"{y}-03-05" for y in range(2000, 2010)])
    >>> texts = ["坚持四项基本原则，发展经济，改善人民生活，加强社会管理。"] * 10
    >>> corpus = pd.DataFrame({"doc_id": range(10), "text_clean": texts, "date": dates})
    >>> lexicon = pd.DataFrame({"canonical": ["四项基本原则"], "aliases": [[]]})
    >>> fit_context_prior(corpus, lexicon=lexicon).n_positive
    1
    """
    counted, lexicon, random_state = _counted_for_priors(corpus, lexicon, period, min_documents, random_state)
    context = _fit_context(counted, lexicon, random_state=random_state)
    if context is None:
        raise InputError("a context prior needs lexicon forms printed in the corpus and recurrent phrases that do not rise")
    return context


def fit_form_prior(
    corpus,
    *,
    lexicon: pd.DataFrame | None = None,
    period: str = "year",
    min_documents: int = 3,
    random_state: int = 0,
) -> FormPrior:
    """Fit a :class:`analysis.discovery.FormPrior` on a lexicon and a corpus.

    The lexicon's forms (canonical forms, aliases, components of three characters or more)
    are the positives; the corpus's ordinary phrases, those recurring in at least
    ``min_documents`` documents that do not rise (counted as in :func:`discover_phrases`),
    are the negatives. Pass the result as ``prior=`` to :func:`discover_phrases` or
    :func:`discover` to score another corpus, or a later part of the same one, with it.

    Parameters
    ----------
    corpus : pandas.DataFrame
        A table with ``doc_id``, ``text_clean`` and ``date``.
    lexicon : pandas.DataFrame, optional
        Known slogans; defaults to the shipped lexicon.
    period : {"year", "quarter", "month", "week", "day"}, default "year"
        The period phrases rise in.
    min_documents : int, default 3
        Fewest documents of an ordinary phrase.
    random_state : int, default 0
        Seed of the negative sample and the solver.

    Returns
    -------
    FormPrior

    Examples
    --------
    >>> dates = pd.to_datetime([f"{y}-03-05" for y in range(2000, 2010)])
    >>> texts = ["要发展经济，改善人民生活，加强社会管理。"] * 10
    >>> corpus = pd.DataFrame({"doc_id": range(10), "text_clean": texts, "date": dates})
    >>> lexicon = pd.DataFrame({"canonical": ["四项基本原则", "三个代表"], "aliases": [[], []]})
    >>> fit_form_prior(corpus, lexicon=lexicon).n_positive
    2
    """
    counted, lexicon, random_state = _counted_for_priors(corpus, lexicon, period, min_documents, random_state)
    prior = _fit_prior(counted, lexicon, random_state=random_state)
    if prior is None:
        raise InputError("a form prior needs a lexicon with forms and a corpus with recurrent phrases that do not rise")
    return prior


def discover_phrases(
    corpus,
    *,
    lexicon: pd.DataFrame | None = None,
    reference=None,
    period: str = "year",
    min_chars: int = 3,
    max_chars: int = MAX_CHARS,
    min_documents: int = 3,
    min_shaped_documents: int = MIN_SHAPED_DOCUMENTS,
    min_history: int | None = None,
    since=None,
    generic: bool = False,
    prior: FormPrior | bool = True,
    context: ContextPrior | bool = True,
    weights: RankWeights | None = None,
    random_state: int = 0,
    n: int | None = None,
) -> pd.DataFrame:
    """Propose recurrent phrases whose document frequency rises sharply.

    Every phrase of ``min_chars`` to ``max_chars`` characters (Han characters,
    digits, Latin letters, and 、 inside a listed formula) that recurs in at
    least ``min_documents`` documents is counted at once (without its commas,
    so that 碳达峰、碳中和 and 碳达峰碳中和 are one phrase, shown as first printed), longer ones only
    where their shorter parts recur. The periods split the corpus into
    *before* and *after* at every period a phrase occurs in; its ``growth``
    at a split is the share of documents after the split that contain it,
    divided by the (add-one smoothed) share before, and the split with the
    highest growth is its ``rise_period``. A long absence followed by use in
    most later documents is a large growth. Documents of ``reference`` count
    as *before* every split: a phrase the reference corpus already uses is
    not new.

    A candidate must

    - occur in at least ``min_documents`` documents after its rise, with at
      least ``min_history`` periods of the corpus before the rise, and grow
      at least :data:`MIN_GROWTH` times;
    - not be a form of the lexicon; uses that overlap a known slogan's name
      (canonical form or alias) do not count, so 贯彻新发展理念 is not new once
      新发展理念 is known;
    - not begin or end with a function or counting word, unless it is part of
      a two-character content word of jieba's dictionary there (碳中和, 和谐),
      nor be mostly numerals (以及, 二〇一五年 are not coinages); a phrase of
      two characters (below ``min_chars``) only as a numbered formula (六稳,
      双减; not 三年);
    - be a unit: not preceded (or followed) by one and the same character in
      :data:`MAX_NEIGHBOUR_SHARE` of its uses (质生产力, always after 新, is a
      fragment of 新质生产力; but a fragment that a verb always precedes is
      the phrase: 碳达峰碳中和 for 推进碳达峰碳中和, where the verb is one the
      corpus writes before known slogans, as 推进 is and 富强 of
      富强民主文明和谐 is not; any verb when none is printed), and not start or end
      inside a word in most of
      its first :data:`BOUNDARY_SAMPLE` uses by jieba's stock dictionary
      (业数字化 in 产业数字化), nor stand inside a longer title of a work, 《…》,
      in most of them (县城看发展 of the programme 《走进县城看发展》), nor be
      printed as a whole title in every one of them
      (:data:`~analysis.discovery.selection.WHOLE_TITLE_SHARE`: 《走进县城看发展》
      itself; 《中国制造2025》 is also written bare);
    - not be ordinary language (unless ``generic=True``): a word of jieba's
      general dictionary (心理健康), a phrase with 和/与/及/的 inside (稳定和
      扩大), a trend reported (a noun, then 持续, 继续 or 不断 and a verb:
      经济持续回升向好), a person's name (with a title: 江泽民同志), a meeting's name
      (中央经济工作会议) and what a meeting said or decided named by the meeting
      (二十大精神, 党中央决策部署), a verb with the first
      character of its object (全面贯彻落实党, of 党的二十大精神 and 党中央), or a phrase without a noun by jieba's
      part-of-speech tags (防范化解, 更好统筹) unless a number stands in it
      (四个自信). A *joined* phrase is counted too, beyond ``max_chars``: two
      phrases that each rise or are known slogans' forms, joined by 和, 与 or
      及 into 13 to 20 characters (黄河流域生态保护和高质量发展,
      :mod:`analysis.discovery.joins`); it may hold a known slogan whole, and
      its 和 does not make it ordinary;
    - not lie inside, nor hold, a candidate ranked higher (the higher one
      stands for both: 高质量发展 before 推动高质量发展), except that a phrase
      replaces a higher one that is itself with a verb in front (新发展格局
      for 构建新发展格局), or that it holds in at least :data:`HOLD_SHARE` of
      its uses, or quoted, adding a name or a number (京津冀协同发展 for
      协同发展, 中国制造2025 for 中国制造). A joined phrase is nested only
      with other joined phrases: it stands beside the phrases it joins
      (黄河流域生态保护和高质量发展 and 高质量发展 are both candidates).

    Candidates rank by ``score``: ``growth`` times the share of the
    documents after the split that contain it times the log of one plus its
    occurrences (a rise seen in more places, and carried by more of the later
    documents), times ``1 + QUOTE_WEIGHT * quoted`` (the share of its sampled
    uses printed in quotes: the text marks it as a formula), times
    ``1 + NEAR_WEIGHT * near`` (the share with a known slogan within
    :data:`NEAR_CHARS` characters before or after it), times the form prior to the power
    :data:`PRIOR_WEIGHT`, times the context prior to the power
    :data:`CONTEXT_WEIGHT`. The prior (:class:`analysis.discovery.FormPrior`)
    is the probability that the phrase is shaped like a form of the lexicon,
    learned by default from ``lexicon`` against the corpus's recurrent phrases
    that do not rise; it learns nothing but what it is given (with a lexicon
    that leaves entries out, it knows nothing of them). The context prior
    (:class:`analysis.discovery.ContextPrior`) is the probability, from the
    characters beside its sampled uses, that the phrase is written as the
    lexicon's forms are in the corpus (坚持…, 实施…战略, between punctuation),
    learned the same way.

    Parameters
    ----------
    corpus : pandas.DataFrame
        A table with ``doc_id``, ``text_clean`` and ``date``; documents
        without a date take no part.
    lexicon : pandas.DataFrame, optional
        Known slogans to leave out; defaults to the shipped lexicon.
    reference : pandas.DataFrame, optional
        A background corpus with ``doc_id`` and ``text_clean`` (dates are not
        needed) whose documents all count as earlier than the corpus: the
        work reports as background for a provincial corpus. With a
        reference, ``min_history`` defaults to 0 (the reference is the
        history).
    period : {"year", "quarter", "month", "week", "day"}, default "year"
        The period phrases rise in (:func:`analysis.periods.to_period`).
    min_chars, max_chars : int
        Lengths of the phrases considered (3 and :data:`MAX_CHARS`).
    min_documents : int, default 3
        Fewest documents after the rise.
    min_shaped_documents : int, default :data:`MIN_SHAPED_DOCUMENTS`
        Fewest documents after the rise of a phrase shaped like a formula:
        two numerals with one in front (三严三实, 两学一做) or two parallel
        halves (外防输入、内防反弹); at most ``min_documents``.
    min_history : int, optional
        Fewest periods of the corpus before the rise: :data:`MIN_HISTORY`
        without a reference, 0 with one.
    since : int, str or date, optional
        Only phrases that rise in or after this period (a year such as
        2013, or a date): what is new since a lexicon was last brought up to
        date. The growth is then the best at a split from ``since`` on, and
        the uses before it count as *before*.
    generic : bool, default False
        Keep ordinary language (see above).
    prior : FormPrior or bool, default True
        True learns the form prior from ``lexicon`` and this corpus (no prior
        when the lexicon has no forms); a :class:`~analysis.discovery.FormPrior`
        (from :func:`fit_form_prior`, say on an earlier corpus) is used as it
        is; False ranks without one.
    context : ContextPrior or bool, default True
        The context prior, as ``prior`` (from :func:`fit_context_prior`).
    weights : RankWeights, optional
        The weights of quoted uses, known slogans nearby and the prior in the
        score (default :class:`RankWeights`).
    random_state : int, default 0
        Seed of the prior's negative sample and solver.
    n : int, optional
        Stop after the first ``n`` candidates.

    Returns
    -------
    pandas.DataFrame
        One row per candidate in rank order (highest ``score`` first, see
        above; a phrase that replaced a higher one takes its place), then
        most documents, then candidate: ``candidate`` (as first printed),
        ``detector`` ("phrase"), ``first_seen`` (date of the earliest
        document with it), ``documents`` (documents it occurs in), ``count``
        (occurrences), ``growth``, ``rise_period`` (the first period after the
        split, as a string), ``quoted`` (share of its sampled uses in
        quotes), ``prior`` (the form prior; NaN without one), ``context``
        (the context prior; NaN without one), ``score``,
        ``example`` (its sentence in the first document), ``doc_id`` (that document) and ``start``, ``end`` (the
        offsets of that first use in the document's ``text_clean``).

    Examples
    --------
    >>> dates = pd.to_datetime([f"{y}-03-05" for y in range(2000, 2010)])
    >>> new = "推进新型城镇化，坚持新型城镇化道路。新型城镇化是大事。"
    >>> texts = ["要发展经济，改善民生。"] * 6 + ["要发展经济，改善民生。" + new] * 4
    >>> corpus = pd.DataFrame({"doc_id": range(10), "text_clean": texts, "date": dates})
    >>> found = discover_phrases(corpus, lexicon=pd.DataFrame(columns=["canonical"]), min_history=3)
    >>> found["candidate"].iloc[0], found["rise_period"].iloc[0]
    ('新型城镇化', '2006')
    """
    table = corpus_table(corpus)
    min_chars = check_int(min_chars, name="min_chars", minimum=2)
    max_chars = check_int(max_chars, name="max_chars", minimum=min_chars)
    min_documents = check_int(min_documents, name="min_documents")
    min_shaped_documents = check_int(min_shaped_documents, name="min_shaped_documents")
    n = check_int(n, name="n", allow_none=True)
    random_state = check_int(random_state, name="random_state", minimum=0)
    if not isinstance(prior, (bool, FormPrior)):
        raise InputError(f"prior must be True, False or a FormPrior, got {prior!r}")
    if not isinstance(context, (bool, ContextPrior)):
        raise InputError(f"context must be True, False or a ContextPrior, got {context!r}")
    if weights is None:
        weights = RankWeights()
    if not isinstance(weights, RankWeights):
        raise InputError(f"weights must be a RankWeights, got {weights!r}")
    lexicon = default_lexicon(lexicon)
    counted = Counted(
        table, lexicon, reference, period,
        min_chars=min_chars, max_chars=max_chars, min_documents=min_documents, min_history=min_history,
        keep_all=prior is True or context is True, random_state=random_state, min_shaped=min_shaped_documents,
        since=since,
    )  # fmt: skip
    found, joined, judge = counted.found, counted.joined, counted.judge
    if prior is True:
        prior = _fit_prior(counted, lexicon, random_state=random_state)
    if context is True:
        context = _fit_context(counted, lexicon, random_state=random_state)
    found = found[found["rising"] & ((found["length"] >= min_chars) | found["key"].map(short_formula).astype(bool))]
    found = pd.concat([found, _joins(counted, min_documents=min_documents)], ignore_index=True)
    # A fragment by its neighbours may still be the phrase inside a context: 碳达峰碳中和, mostly
    # after 推进, is the phrase of 推进碳达峰碳中和. Such fragments stay, for select_candidates.
    heads = {key[k:] for key in found.loc[found["unit"], "key"] for k in CONTEXT_HEADS}
    found = found[found["unit"] | found["key"].isin(heads)]

    # Evidence beyond the rise: quoted uses, known slogans nearby, and the prior on the form.
    spans, quoted, near = joined.evidence(np.stack(found["uses"].tolist()) if len(found) else np.zeros((0, 1)),
                                          found["length"].to_numpy(), NEAR_CHARS)  # fmt: skip
    form = prior.predict(found["key"].tolist(), tagger=judge.pos) if isinstance(prior, FormPrior) else np.full(len(found), np.nan)
    rise = found["growth"] * found["share_after"] * np.log1p(found["count"].astype(float))
    score = rise * (1 + weights.quote * np.asarray(quoted, dtype=float)) * (1 + weights.near * np.asarray(near, dtype=float))
    if isinstance(prior, FormPrior):
        score = score * form**weights.prior
    written = np.full(len(found), np.nan)
    if isinstance(context, ContextPrior):
        uses = np.stack(found["uses"].tolist()) if len(found) else np.zeros((0, 1))
        written = context.predict_uses(joined.text_codes, *joined.use_spans(uses, found["length"].to_numpy()))
        score = score * written**weights.context
    found = found.assign(spans=spans, quoted=quoted, prior=form, context=written, score=score)
    found = found.sort_values(["score", "documents", "key"], ascending=[False, False, True], kind="stable")
    fragments = {row.key: row for row in found[~found["unit"]].itertuples()}
    heads = joined.form_heads(CONTEXT_HEADS) or None
    kept = select_candidates(found[found["unit"]], judge, joined.text, n=n, generic=generic, fragments=fragments, heads=heads)

    dates, doc_ids = table["date"].tolist(), table["doc_id"].tolist()
    rows = []
    for row in kept:
        doc = int(joined.doc[row.first])
        position = counted.dated[doc - counted.n_reference]
        start, end = (offset - int(joined.text_starts[doc]) for offset in joined.span(row.first, row.length))
        rows.append(
            {
                "candidate": counted.texts[position][start:end],
                "detector": "phrase",
                "first_seen": pd.to_datetime(dates[position], errors="coerce"),
                "documents": int(row.documents),
                "count": int(row.count),
                "growth": round(float(row.growth), 3),
                "rise_period": str(counted.period_list[row.split]),
                "quoted": round(float(row.quoted), 3),
                "prior": round(float(row.prior), 3) if not math.isnan(row.prior) else math.nan,
                "context": round(float(row.context), 3) if not math.isnan(row.context) else math.nan,
                "score": round(float(row.score), 3),
                "example": _sentence(counted.texts[position], start, end),
                "doc_id": doc_ids[position],
                "start": start,
                "end": end,
            }
        )
    result = pd.DataFrame(rows, columns=PHRASE_COLUMNS)
    result["first_seen"] = pd.to_datetime(result["first_seen"])
    return result.astype({"candidate": "str", "detector": "str", "documents": "int64", "count": "int64",
                          "growth": "float64", "rise_period": "str", "quoted": "float64", "prior": "float64", "context": "float64",
                          "score": "float64", "example": "str", "start": "int64", "end": "int64"})  # fmt: skip
