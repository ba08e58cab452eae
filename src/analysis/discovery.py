"""Discovery of coinages that are not in the lexicon yet.

Two detectors propose candidates for review:

``formula``
    :func:`analysis.slogans.discover_formulas`: quoted phrases, numbered
    formulas (四个意识), number pairs (四梁八柱), N字方针 and quoted
    enumerations. It sees only what is marked as a formula.
``phrase``
    :func:`discover_phrases`: recurrent phrases of plain text whose document
    frequency rises sharply in a period against the earlier periods of the
    same corpus (高质量发展, 全国统一大市场, 投资于人 written without quotes).

:func:`discover` runs both and returns one table with the evidence for each
candidate and a ``detector`` column.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Sequence

import pandas as pd

from .periods import to_period
from .validation import InputError, check_choice, check_int, require_columns

DETECTORS = ("formula", "phrase")

PHRASE_COLUMNS = [
    "candidate", "detector", "first_seen", "documents", "count", "growth", "rise_period",
    "example", "doc_id",
]  # fmt: skip
"""Columns of :func:`discover_phrases`; :func:`discover` adds ``kind``."""

MIN_HISTORY = 5
"""Periods of a corpus that must precede a phrase's rise: without a history, nothing is new."""

_HAN_RUN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]+")
# A phrase does not begin or end with a function word or a counting word: 的高质量发展 and
# 高质量发展的 are contexts of 高质量发展, and 年/月 make dates.
_EDGE_CHARS = frozenset("的地得和与及或是在中上下为等以了要把对将从向于并都也就还又着过其之而个年月日这那我们各该")
_NUMERAL_CHARS = frozenset("〇零一二两三四五六七八九十百千万亿")
_SENTENCE_END = re.compile(r"[。！？；!?;\n]")
# Accessor variety: a unit is preceded and followed by several different characters;
# 质量发展 is always preceded by 高, so it is a fragment.
MIN_ACCESSOR_VARIETY = 3


def _corpus_table(corpus) -> pd.DataFrame:
    return require_columns(corpus, ["doc_id", "text_clean", "date"], name="corpus", producer="analysis.corpus.load_corpus")


def _periods(dates: pd.Series, period: str) -> pd.Series:
    periods = to_period(dates, period)
    if periods.isna().all():
        raise InputError("corpus has no dates: a rising phrase needs periods to rise in")
    return periods


def _sentence(text: str, start: int, end: int) -> str:
    left = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, start - 200), start)), default=max(0, start - 200))
    right = _SENTENCE_END.search(text, end)
    return text[left : right.end() if right else min(len(text), end + 200)].strip()


def _known_forms(lexicon: pd.DataFrame | None) -> set[str]:
    from .lexicon import load_lexicon, surface_forms

    lexicon = load_lexicon() if lexicon is None else lexicon
    if not len(lexicon):
        return set()

    return {form for form in surface_forms(lexicon) if len(form) >= 2}


# Part-of-speech flags of jieba that make a phrase a name of something; a candidate made of
# verbs, adverbs and adjectives only (防范化解, 更好统筹) is a generic instruction.
_NOUN_FLAGS = ("n", "vn", "j", "l", "i", "b", "s", "f")


class _GenericFilter:
    """Ordinary language by jieba's own stock dictionary (a fresh Tokenizer, never ``jieba.dt``)."""

    def __init__(self):
        import logging

        import jieba
        import jieba.posseg

        jieba.setLogLevel(logging.WARNING)
        self.tokenizer = jieba.Tokenizer()
        self.tokenizer.initialize()
        self.pos = jieba.posseg.POSTokenizer(self.tokenizer)

    def __call__(self, phrase: str) -> bool:
        if self.tokenizer.FREQ.get(phrase):
            return True  # a word of the general dictionary: 心理健康, 无障碍
        pairs = [(p.word, p.flag) for p in self.pos.cut(phrase)]
        if any(flag in ("c", "uj", "p") and word in "和与及或的" for word, flag in pairs):
            return True  # a coordination or a modifier phrase: 稳定和扩大, 党的二十大
        return not any(flag.startswith(_NOUN_FLAGS) for _, flag in pairs)


def _is_generic(ngram: str) -> bool:
    if ngram[0] in _EDGE_CHARS or ngram[-1] in _EDGE_CHARS:
        return True
    return sum(char in _NUMERAL_CHARS for char in ngram) * 2 >= len(ngram)


def discover_phrases(
    corpus,
    *,
    lexicon: pd.DataFrame | None = None,
    period: str = "year",
    min_chars: int = 3,
    max_chars: int = 9,
    min_documents: int = 3,
    min_history: int = MIN_HISTORY,
    generic: bool = False,
) -> pd.DataFrame:
    """Propose recurrent phrases whose document frequency rises sharply.

    Every run of Han characters is cut into character n-grams of
    ``min_chars`` to ``max_chars``. For each n-gram the periods split the
    corpus into *before* and *after* at every period it occurs in; its
    ``growth`` at a split is the share of documents after the split that
    contain it, divided by the (add-one smoothed) share before, and the split
    with the highest growth is its ``rise_period``. A candidate must

    - occur in at least ``min_documents`` documents after its rise, with at
      least ``min_history`` periods of the corpus before the rise;
    - not be, contain or lie inside a surface form of the lexicon;
    - not begin or end with a function or counting word, nor be mostly
      numerals (以及, 二〇一五年 are not coinages);
    - not be ordinary language (unless ``generic=True``): a word of jieba's
      general dictionary (心理健康), a phrase with 和/与/及/的 inside (稳定和
      扩大), or one without a noun by jieba's part-of-speech tags (防范化解,
      更好统筹);
    - be a unit: preceded and followed by at least
      :data:`MIN_ACCESSOR_VARIETY` different characters (质量发展, always
      after 高, is a fragment of 高质量发展);
    - not be a fragment of a longer candidate found in nearly as many places
      (at least 80 % of its occurrences), nor a longer phrase that merely
      extends a shorter candidate found in at least 1.5 times as many places.

    Parameters
    ----------
    corpus : pandas.DataFrame or str
        A table with ``doc_id``, ``text_clean`` and ``date``.
    lexicon : pandas.DataFrame, optional
        Known slogans to leave out; defaults to the shipped lexicon.
    period : {"year", "quarter", "month", "week", "day"}, default "year"
        The period phrases rise in (:func:`analysis.periods.to_period`).
    min_chars, max_chars : int
        Lengths of the n-grams considered.
    min_documents : int, default 3
        Fewest documents after the rise.
    min_history : int, default :data:`MIN_HISTORY`
        Fewest periods before the rise.
    generic : bool, default False
        Keep ordinary language (see above).

    Returns
    -------
    pandas.DataFrame
        One row per candidate, highest ``growth`` times the log of one plus
        its occurrences first (a rise seen in more places ranks higher), then
        most documents, then candidate: ``candidate``, ``detector`` ("phrase"),
        ``first_seen`` (date of the earliest document with it),
        ``documents`` (documents it occurs in), ``count`` (occurrences),
        ``growth``, ``rise_period`` (the first period after the split, as a
        string), ``example`` (its sentence in the first document) and
        ``doc_id`` (that document).

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
    table = _corpus_table(corpus)
    min_chars = check_int(min_chars, name="min_chars", minimum=2)
    max_chars = check_int(max_chars, name="max_chars", minimum=min_chars)
    min_documents = check_int(min_documents, name="min_documents")
    min_history = check_int(min_history, name="min_history")
    known = _known_forms(lexicon)
    periods = _periods(table["date"], period)
    order = sorted(range(len(table)), key=lambda i: (pd.isna(periods.iloc[i]), periods.iloc[i] if not pd.isna(periods.iloc[i]) else 0, i))
    texts = table["text_clean"].astype(str).tolist()
    period_list = sorted({p for p in periods if not pd.isna(p)})
    period_index = {p: i for i, p in enumerate(period_list)}
    docs_per_period = [0] * len(period_list)
    doc_period = []
    for i in range(len(table)):
        p = periods.iloc[i]
        doc_period.append(None if pd.isna(p) else period_index[p])
        if not pd.isna(p):
            docs_per_period[period_index[p]] += 1
    cumulative = [0]
    for n in docs_per_period:
        cumulative.append(cumulative[-1] + n)
    total_docs = cumulative[-1]

    # Document frequency per period of every n-gram that is not generic.
    df: dict[str, dict[int, int]] = defaultdict(dict)
    for position in order:
        index = doc_period[position]
        if index is None:
            continue
        seen = set()
        for run in _HAN_RUN.findall(texts[position]):
            for n in range(min_chars, min(max_chars, len(run)) + 1):
                for start in range(len(run) - n + 1):
                    seen.add(run[start : start + n])
        for ngram in seen:
            counts = df[ngram]
            counts[index] = counts.get(index, 0) + 1

    candidates: dict[str, tuple[float, int, int]] = {}
    for ngram, counts in df.items():
        if sum(counts.values()) < min_documents or _is_generic(ngram):
            continue
        best = None
        for split in sorted(counts):
            if split < min_history:
                continue
            after = sum(v for k, v in counts.items() if k >= split)
            if after < min_documents:
                break
            before = sum(v for k, v in counts.items() if k < split)
            n_after = total_docs - cumulative[split]
            n_before = cumulative[split]
            growth = (after / (n_after + 1)) / ((before + 1) / (n_before + 1))
            if best is None or growth > best[0]:
                best = (growth, split, after)
        if best is not None and best[0] > 1:
            candidates[ngram] = best
    if known:
        candidates = {c: v for c, v in candidates.items()
                      if not any(form in c or c in form for form in known if len(form) <= len(c) + 8)}  # fmt: skip

    # Occurrences, neighbours and examples of the survivors.
    occurrences: dict[str, list[tuple[int, int]]] = {c: [] for c in candidates}
    left: dict[str, set[str]] = defaultdict(set)
    right: dict[str, set[str]] = defaultdict(set)
    if candidates:
        lengths = sorted({len(c) for c in candidates})
        for position in order:
            text = texts[position]
            # Overlapping matches of every length: scan each length separately.
            for n in lengths:
                for start in range(len(text) - n + 1):
                    piece = text[start : start + n]
                    if piece in candidates:
                        occurrences[piece].append((position, start))
                        left[piece].add(text[start - 1] if start else "^")
                        right[piece].add(text[start + n] if start + n < len(text) else "$")
    counts = {c: len(v) for c, v in occurrences.items()}
    units = {c for c in candidates
             if len(left[c]) >= MIN_ACCESSOR_VARIETY and len(right[c]) >= MIN_ACCESSOR_VARIETY}  # fmt: skip
    kept = set(units)
    for shorter in units:
        for longer in units:
            if shorter != longer and shorter in longer:
                if counts[longer] >= 0.8 * counts[shorter]:
                    kept.discard(shorter)
                elif counts[shorter] >= 1.5 * counts[longer]:
                    kept.discard(longer)

    if not generic and kept:
        is_generic = _GenericFilter()
        kept = {c for c in kept if not is_generic(c)}
    rows = []
    for candidate in kept:
        growth, split, _ = candidates[candidate]
        first_position, first_start = occurrences[candidate][0]
        positions = {p for p, _ in occurrences[candidate]}
        rows.append(
            {
                "candidate": candidate,
                "detector": "phrase",
                "first_seen": pd.to_datetime(table["date"].iloc[first_position], errors="coerce"),
                "documents": len(positions),
                "count": counts[candidate],
                "growth": round(growth, 3),
                "score": growth * math.log1p(counts[candidate]),
                "rise_period": str(period_list[split]),
                "example": _sentence(texts[first_position], first_start, first_start + len(candidate)),
                "doc_id": table["doc_id"].iloc[first_position],
            }
        )
    result = pd.DataFrame(rows, columns=[*PHRASE_COLUMNS, "score"])
    result["first_seen"] = pd.to_datetime(result["first_seen"])
    result = result.astype({"candidate": "str", "detector": "str", "documents": "int64", "count": "int64",
                            "growth": "float64", "rise_period": "str", "example": "str"})  # fmt: skip
    result = result.sort_values(
        ["score", "documents", "candidate"], ascending=[False, False, True], kind="stable"
    ).reset_index(drop=True)
    return result[PHRASE_COLUMNS]


def _growth_of(candidate: str, texts: list[str], doc_period: list[int | None], n_periods_docs: list[int]) -> tuple[float, str | None]:
    """Growth of a literal string as in :func:`discover_phrases` (NaN when it is never printed)."""
    counts: dict[int, int] = {}
    for text, index in zip(texts, doc_period):
        if index is not None and candidate in text:
            counts[index] = counts.get(index, 0) + 1
    if not counts:
        return math.nan, None
    cumulative = [0]
    for n in n_periods_docs:
        cumulative.append(cumulative[-1] + n)
    total = cumulative[-1]
    best = (math.nan, None)
    for split in sorted(counts):
        after = sum(v for k, v in counts.items() if k >= split)
        before = sum(v for k, v in counts.items() if k < split)
        growth = (after / (total - cumulative[split] + 1)) / ((before + 1) / (cumulative[split] + 1))
        if math.isnan(best[0]) or growth > best[0]:
            best = (growth, split)
    return best


DISCOVERY_COLUMNS = [
    "candidate", "detector", "kind", "first_seen", "documents", "count", "growth", "example", "doc_id",
]  # fmt: skip
"""Columns of :func:`discover`."""


def discover(
    corpus,
    *,
    lexicon: pd.DataFrame | None = None,
    detectors: Sequence[str] = DETECTORS,
    n: int | None = None,
    period: str = "year",
    min_documents: int = 3,
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
        Keep each detector's first ``n`` candidates.
    period : {"year", "quarter", "month", "week", "day"}, default "year"
        Period for ``growth``.
    min_documents : int, default 3
        Fewest documents a ``phrase`` candidate needs after its rise; a
        ``formula`` candidate needs two occurrences (its own default).

    Returns
    -------
    pandas.DataFrame
        ``candidate``, ``detector``, ``kind`` (the formula pattern, or
        "rising" for phrases), ``first_seen``, ``documents``, ``count``
        (occurrences), ``growth`` (as in :func:`discover_phrases`, computed
        for formula candidates too; NaN when the candidate is not printed as
        one string, like a quoted enumeration), ``example`` and ``doc_id``;
        each detector's rows in its ranking, ``formula`` first. Both rank by
        ``growth`` times the log of one plus the occurrences (a formula not
        printed as one string counts growth 1).

    Examples
    --------
    >>> dates = pd.to_datetime([f"{y}-03-05" for y in range(2000, 2010)])
    >>> new = "落实“六个坚持”。推进新型城镇化，坚持新型城镇化道路。新型城镇化是大事。"
    >>> texts = ["要发展经济。"] * 6 + ["要发展经济。" + new] * 4
    >>> corpus = pd.DataFrame({"doc_id": range(10), "text_clean": texts, "date": dates})
    >>> table = discover(corpus, lexicon=pd.DataFrame(columns=["id", "canonical"]))
    >>> sorted(set(zip(table["detector"], table["candidate"])))
    [('formula', '六个坚持'), ('phrase', '新型城镇化')]
    """
    from .slogans import discover_formulas

    table = _corpus_table(corpus)
    detectors = [detectors] if isinstance(detectors, str) else list(detectors)
    for detector in detectors:
        check_choice(detector, DETECTORS, name="detector")
    n = check_int(n, name="n", allow_none=True)
    parts = []
    if "formula" in detectors:
        formulas = discover_formulas(table, lexicon=lexicon)
        periods = _periods(table["date"], period)
        period_list = sorted({p for p in periods if not pd.isna(p)})
        index = {p: i for i, p in enumerate(period_list)}
        doc_period = [None if pd.isna(p) else index[p] for p in periods]
        per_period = [doc_period.count(i) for i in range(len(period_list))]
        texts = table["text_clean"].astype(str).tolist()
        growth = [_growth_of(c, texts, doc_period, per_period)[0] for c in formulas["candidate"]]
        formulas = formulas.assign(detector="formula", growth=growth)
        # New formulas first, as for phrases: a rise seen in more places ranks higher.
        score = formulas["growth"].fillna(1.0) * formulas["count"].map(math.log1p)
        formulas = formulas.assign(score=score).sort_values(
            ["score", "documents", "candidate"], ascending=[False, False, True], kind="stable"
        )
        if n is not None:
            formulas = formulas.head(n)
        parts.append(formulas[DISCOVERY_COLUMNS].reset_index(drop=True))
    if "phrase" in detectors:
        phrases = discover_phrases(table, lexicon=lexicon, period=period, min_documents=min_documents)
        if n is not None:
            phrases = phrases.head(n)
        parts.append(phrases.assign(kind="rising")[DISCOVERY_COLUMNS])
    if not parts:
        return pd.DataFrame(columns=DISCOVERY_COLUMNS)
    return pd.concat(parts, ignore_index=True)
