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
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .periods import to_period
from .validation import InputError, check_choice, check_int, require_columns

DETECTORS = ("formula", "phrase")

PHRASE_COLUMNS = [
    "candidate", "detector", "first_seen", "documents", "count", "growth", "rise_period",
    "example", "doc_id", "start", "end",
]  # fmt: skip
"""Columns of :func:`discover_phrases`; :func:`discover` adds ``kind``."""

MIN_HISTORY = 5
"""Periods of a corpus that must precede a phrase's rise: without a history, nothing is new."""

MAX_CHARS = 12
"""Longest phrase considered: 供给侧结构性改革 has 8 characters, 大众创业、万众创新 9."""

MIN_GROWTH = 2.0
"""A phrase rises when its share of documents after the split is at least this many times its
(smoothed) share before: a boilerplate line printed a little more often later does not."""

MAX_NEIGHBOUR_SHARE = 0.8
"""A phrase preceded (or followed) by one and the same character in this share of its uses
is a fragment of the longer phrase: 质生产力 is always 新质生产力, 发展格局 mostly 新发展格局."""

BOUNDARY_SAMPLE = 5
"""Uses of a candidate checked for word boundaries (see :func:`discover_phrases`)."""

# A phrase is made of Han characters, digits and Latin letters (中国制造2025, 5G); the
# enumeration comma may stand inside it, so that a listed formula stays whole
# (大众创业、万众创新, 碳达峰、碳中和), but never at its edges.
_JOINER = "、"
# A phrase does not begin or end with a function word or a counting word: 的高质量发展 and
# 高质量发展的 are contexts of 高质量发展, and 年/月 make dates. 中, 上 and 下 end a context
# (在…中) but begin names (中国制造2025, 上海).
_END_CHARS = frozenset("的地得和与及或是在中上下为等以了要把对将从向于并都也就还又着过其之而个年月日这那我们各该" + _JOINER)
_START_CHARS = _END_CHARS - frozenset("中上下")
_NUMERAL_CHARS = frozenset("〇零一二两三四五六七八九十百千万亿0123456789")
_SENTENCE_END = re.compile(r"[。！？；!?;\n]")
_HASH_BASE = np.uint64(1_000_003)
# Numbers stand in formulas (四个全面, 三大攻坚战): such a phrase is not judged by its parts of speech.
_FORMULA_NUMERALS = frozenset("一二两三四五六七八九十百")


def _corpus_table(corpus, name: str = "corpus", columns=("doc_id", "text_clean", "date")) -> pd.DataFrame:
    return require_columns(corpus, list(columns), name=name, producer="analysis.corpus.load_corpus")


def _periods(dates: pd.Series, period: str) -> pd.Series:
    periods = to_period(dates, period)
    if periods.isna().all():
        raise InputError("corpus has no dates: a rising phrase needs periods to rise in")
    return periods


def _sentence(text: str, start: int, end: int) -> str:
    left = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, start - 200), start)), default=max(0, start - 200))
    right = _SENTENCE_END.search(text, end)
    return text[left : right.end() if right else min(len(text), end + 200)].strip()


def _known_forms(lexicon: pd.DataFrame | None) -> tuple[set[str], set[str]]:
    """(names, every form): canonical forms and aliases mark known slogans in the text;
    a candidate equal to any form, components included, is not new."""
    from .lexicon import load_lexicon, surface_forms

    lexicon = load_lexicon() if lexicon is None else lexicon
    if not len(lexicon):
        return set(), set()
    names = set()
    for row in lexicon.itertuples():
        aliases = getattr(row, "aliases", ())
        aliases = [] if not isinstance(aliases, (list, tuple)) else aliases
        names.update(form for form in [row.canonical, *aliases] if isinstance(form, str))
    names |= {form.replace(_JOINER, "") for form in names}
    forms = set(surface_forms(lexicon)) if "components" in lexicon.columns else set(names)
    return {f for f in names if len(f) >= 2}, names | forms | {f.replace(_JOINER, "") for f in forms}


def _known_mask(text: str, names: set[str]) -> np.ndarray:
    """Where known slogans stand in ``text``: a use overlapping one is a use of the known slogan."""
    mask = np.zeros(len(text) + 1, dtype=np.int64)
    for form in names:
        start = text.find(form)
        while start != -1:
            mask[start] += 1
            mask[start + len(form)] -= 1
            start = text.find(form, start + 1)
    return np.cumsum(mask)[:-1] > 0


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)


def _phrase_chars(codes: np.ndarray) -> np.ndarray:
    han = ((codes >= 0x3400) & (codes <= 0x4DBF)) | ((codes >= 0x4E00) & (codes <= 0x9FFF))
    digits = (codes >= 0x30) & (codes <= 0x39)
    latin = ((codes >= 0x41) & (codes <= 0x5A)) | ((codes >= 0x61) & (codes <= 0x7A))
    return han | digits | latin | (codes == ord(_JOINER))


def _group_starts(keys: np.ndarray) -> np.ndarray:
    starts = np.ones(len(keys), dtype=bool)
    starts[1:] = keys[1:] != keys[:-1]
    return starts


def _largest_share(groups: np.ndarray, neighbours: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Per group, the share of its uses next to its commonest neighbouring character
    (``neighbours`` < 0 marks a phrase boundary, which is never shared)."""
    order = np.lexsort((neighbours, groups))
    g, c = groups[order], neighbours[order]
    starts = np.flatnonzero(_group_starts(g) | _group_starts(c))
    sizes = np.diff(np.append(starts, len(order)))
    sizes = np.where(c[starts] < 0, 0, sizes)
    largest = np.zeros(len(counts), dtype=np.int64)
    np.maximum.at(largest, g[starts], sizes)
    return largest / counts


class _Joined:
    """Documents joined into one array of code points, one line each, reference documents first."""

    def __init__(self, texts: list[str], names: set[str]):
        self.starts = np.cumsum([0] + [len(t) + 1 for t in texts])[:-1]
        self.text = "\n".join(texts)
        self.codes = _code_points(self.text)
        size = len(self.codes)
        inside = _phrase_chars(self.codes)
        breaks = np.flatnonzero(~inside)
        index = np.arange(size)
        ends = np.append(breaks, size)
        self.run_end = ends[np.searchsorted(ends, index)]
        before = np.searchsorted(breaks, index) - 1
        self.run_start = np.where(before >= 0, breaks[np.maximum(before, 0)] + 1, 0)
        self.doc = np.searchsorted(self.starts, index, side="right") - 1
        known = np.concatenate([[0], np.cumsum(_known_mask(self.text, names))]) if names else None
        self.known = known
        self.bad_start = np.isin(self.codes, [ord(c) for c in _START_CHARS])
        self.bad_end = np.isin(self.codes, [ord(c) for c in _END_CHARS])

    def spans(self, n: int) -> np.ndarray:
        """Whether the n characters from each position make a phrase clear of known slogans."""
        positions = np.arange(len(self.codes) - n + 1)
        ok = positions + n <= self.run_end[: len(positions)]
        if self.known is not None:
            ok &= self.known[positions + n] == self.known[positions]
        return ok


def _rising_ngrams(
    joined: _Joined,
    doc_period: np.ndarray,
    docs_per_period: np.ndarray,
    n_reference: int,
    *,
    min_chars: int,
    max_chars: int,
    min_documents: int,
    min_history: int,
) -> pd.DataFrame:
    """Every n-gram of ``min_chars`` to ``max_chars`` in at least ``min_documents`` documents of
    the corpus, with its growth at its best split. Hashes of the n-grams (64 bits, computed
    for all lengths at once) stand for the strings; the candidate's text is read back at its
    first use, so a collision could at worst merge the counts of two rare strings."""
    codes = joined.codes.astype(np.uint64)
    size = len(codes)
    doc_of = joined.doc
    first_target = joined.starts[n_reference] if n_reference < len(joined.starts) else size
    cumulative = np.concatenate([[0], np.cumsum(docs_per_period)])
    total = cumulative[-1]
    hashes = np.zeros(size, dtype=np.uint64)
    frequent = None
    rows = []
    for n in range(1, max_chars + 1):
        hashes = hashes[: size - n + 1] * _HASH_BASE + codes[n - 1 :]
        spans = joined.spans(n)
        ok = spans.copy()
        if frequent is not None:
            ok &= frequent[: size - n + 1] & frequent[1 : size - n + 2]
        positions = np.flatnonzero(ok[first_target:]) + first_target
        if not len(positions):
            break
        positions = positions[np.argsort(hashes[positions], kind="stable")]
        keys = hashes[positions]
        docs = doc_of[positions]
        starts = _group_starts(keys)
        group = np.cumsum(starts) - 1
        first_of_group = np.flatnonzero(starts)
        new_doc = starts.copy()
        new_doc[1:] |= docs[1:] != docs[:-1]
        documents = np.add.reduceat(new_doc.astype(np.int64), first_of_group)
        frequent = np.zeros(size, dtype=bool)
        frequent[positions[(documents >= min_documents)[group]]] = True
        if n < min_chars:
            continue
        first = positions[first_of_group]
        chosen = (documents >= min_documents) & ~joined.bad_start[first] & ~joined.bad_end[first + n - 1]
        if not chosen.any():
            continue
        # Keep the chosen groups' uses, renumbered.
        keep = chosen[group]
        positions, docs, keys = positions[keep], docs[keep], keys[keep]
        group = np.cumsum(chosen)[group[keep]] - 1
        first, documents = first[chosen], documents[chosen]
        starts = _group_starts(group)
        counts = np.diff(np.append(np.flatnonzero(starts), len(group)))

        # Documents with the n-gram per period, as cells sorted by group and period.
        new_doc = starts.copy()
        new_doc[1:] |= docs[1:] != docs[:-1]
        doc_group, doc_period_of = group[new_doc], doc_period[docs[new_doc]]
        cell_start = _group_starts(doc_group) | _group_starts(doc_period_of)
        cell_index = np.flatnonzero(cell_start)
        cell_group, cell_period = doc_group[cell_index], doc_period_of[cell_index]
        cell_docs = np.diff(np.append(cell_index, len(doc_group)))

        # Reference documents with the n-gram.
        reference_docs = np.zeros(len(first), dtype=np.int64)
        if n_reference:
            ref_positions = np.flatnonzero(spans[:first_target])
            ref_keys = hashes[ref_positions]
            group_keys = keys[np.flatnonzero(starts)]
            hit = np.isin(ref_keys, group_keys)
            if hit.any():
                pairs = np.unique(np.stack([ref_keys[hit], doc_of[ref_positions[hit]].astype(np.uint64)], axis=1), axis=0)
                found, per_key = np.unique(pairs[:, 0], return_counts=True)
                reference_docs[np.searchsorted(group_keys, found)] = per_key

        # Growth at every split, the best one per group.
        before = np.cumsum(cell_docs) - cell_docs
        group_first_cell = np.flatnonzero(_group_starts(cell_group))
        before = before - np.repeat(before[group_first_cell], np.diff(np.append(group_first_cell, len(cell_group))))
        after = documents[cell_group] - before
        n_before = cumulative[cell_period]
        n_after = total - n_before
        before = before + reference_docs[cell_group]
        n_before = n_before + n_reference
        growth = (after / (n_after + 1)) / ((before + 1) / (n_before + 1))
        valid = (cell_period >= min_history) & (after >= min_documents)
        growth = np.where(valid, growth, -np.inf)
        best = np.lexsort((-growth, cell_group))
        best = best[_group_starts(cell_group[best])]
        best_growth, best_period = growth[best], cell_period[best]
        best_share = (after / np.maximum(n_after, 1))[best]

        # Neighbouring characters (a phrase boundary is a neighbour of its own).
        left = np.where(positions > joined.run_start[positions], joined.codes[np.maximum(positions - 1, 0)], -1)
        right_at = np.minimum(positions + n, size - 1)
        right = np.where(positions + n < joined.run_end[positions], joined.codes[right_at], -1)
        samples = [positions[np.minimum(np.flatnonzero(starts) + j, np.append(np.flatnonzero(starts)[1:], len(group)) - 1)]
                   for j in range(BOUNDARY_SAMPLE)]  # fmt: skip
        rising = best_growth >= MIN_GROWTH
        rows.append(
            pd.DataFrame(
                {
                    "length": n,
                    "first": first[rising],
                    "documents": documents[rising],
                    "count": counts[rising],
                    "growth": best_growth[rising],
                    "split": best_period[rising],
                    "share_after": best_share[rising],
                    "reference_documents": reference_docs[rising],
                    "left_share": _largest_share(group, left, counts)[rising],
                    "right_share": _largest_share(group, right, counts)[rising],
                    "uses": list(np.stack(samples, axis=1)[rising]),
                }
            )
        )
    if not rows:
        return pd.DataFrame(columns=["length", "first", "documents", "count", "growth", "split",
                                     "reference_documents", "left_share", "right_share", "uses"])  # fmt: skip
    return pd.concat(rows, ignore_index=True)


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
        try:  # jieba-rs (the [fast] extra) cuts the same words from the same dictionary, far faster
            import rjieba

            self.cut = lambda text: rjieba.cut(text, False)
        except ImportError:
            self.cut = lambda text: self.tokenizer.cut(text, HMM=False)

    def ordinary(self, phrase: str) -> bool:
        if self.tokenizer.FREQ.get(phrase):
            return True  # a word of the general dictionary: 心理健康, 无障碍
        pairs = [(p.word, p.flag) for p in self.pos.cut(phrase)]
        if any(flag in ("c", "uj", "p") and word in "和与及或的" for word, flag in pairs):
            return True  # a coordination or a modifier phrase: 稳定和扩大, 党的二十大
        if all(flag.startswith("nr") for _, flag in pairs):
            return True  # a person's name
        if any(char in _FORMULA_NUMERALS for char in phrase):
            return False  # a numbered formula: 四个自信 has no noun by jieba's tags
        return not any(flag.startswith(_NOUN_FLAGS) for _, flag in pairs)

    def cuts_words(self, text: str, uses: Sequence[int], length: int) -> bool:
        """Whether the phrase starts or ends inside a word in most of its sampled uses (业数字化 in 产业数字化)."""
        inside = 0
        for start in dict.fromkeys(uses):
            left, right = max(0, start - 6), min(len(text), start + length + 6)
            bounds, offset = set(), left
            for word in self.cut(text[left:right]):
                bounds.add(offset)
                offset += len(word)
            bounds.add(offset)
            inside += start not in bounds or start + length not in bounds
        return inside * 2 > len(dict.fromkeys(uses))


def _is_generic(ngram: str) -> bool:
    if ngram[0] in _START_CHARS or ngram[-1] in _END_CHARS:
        return True
    return sum(char in _NUMERAL_CHARS for char in ngram) * 2 > len(ngram)


def _covered(candidate: str, kept: set[str], kept_parts: set[str], min_chars: int) -> bool:
    """Whether a candidate lies inside a kept one or holds one."""
    if candidate in kept_parts:
        return True
    n = len(candidate)
    return any(candidate[i : i + k] in kept for k in range(min_chars, n) for i in range(n - k + 1))


def discover_phrases(
    corpus,
    *,
    lexicon: pd.DataFrame | None = None,
    reference=None,
    period: str = "year",
    min_chars: int = 3,
    max_chars: int = MAX_CHARS,
    min_documents: int = 3,
    min_history: int | None = None,
    generic: bool = False,
    n: int | None = None,
) -> pd.DataFrame:
    """Propose recurrent phrases whose document frequency rises sharply.

    Every phrase of ``min_chars`` to ``max_chars`` characters (Han characters,
    digits, Latin letters, and 、 inside a listed formula) that recurs in at
    least ``min_documents`` documents is counted at once, longer ones only
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
    - not begin or end with a function or counting word or with 、, nor be
      mostly numerals (以及, 二〇一五年 are not coinages);
    - be a unit: not preceded (or followed) by one and the same character in
      :data:`MAX_NEIGHBOUR_SHARE` of its uses (质生产力, always after 新, is a
      fragment of 新质生产力), and not start or end inside a word in most of
      its first :data:`BOUNDARY_SAMPLE` uses by jieba's stock dictionary
      (业数字化 in 产业数字化);
    - not be ordinary language (unless ``generic=True``): a word of jieba's
      general dictionary (心理健康), a phrase with 和/与/及/的 inside (稳定和
      扩大), a person's name, or a phrase without a noun by jieba's
      part-of-speech tags (防范化解, 更好统筹) unless a number stands in it
      (四个自信);
    - not lie inside, nor hold, a candidate ranked higher (the higher one
      stands for both: 高质量发展 before 推动高质量发展).

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
    min_history : int, optional
        Fewest periods of the corpus before the rise: :data:`MIN_HISTORY`
        without a reference, 0 with one.
    generic : bool, default False
        Keep ordinary language (see above).
    n : int, optional
        Stop after the first ``n`` candidates.

    Returns
    -------
    pandas.DataFrame
        One row per candidate, highest score first (``growth`` times the
        share of the documents after the split that contain it times the log
        of one plus its occurrences: a rise seen in more places, and carried
        by more of the later documents, ranks higher), then most documents,
        then candidate: ``candidate`` (as first printed),
        ``detector`` ("phrase"), ``first_seen`` (date of the earliest
        document with it), ``documents`` (documents it occurs in), ``count``
        (occurrences), ``growth``, ``rise_period`` (the first period after the
        split, as a string), ``example`` (its sentence in the first
        document), ``doc_id`` (that document) and ``start``, ``end`` (the
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
    table = _corpus_table(corpus)
    min_chars = check_int(min_chars, name="min_chars", minimum=2)
    max_chars = check_int(max_chars, name="max_chars", minimum=min_chars)
    min_documents = check_int(min_documents, name="min_documents")
    n = check_int(n, name="n", allow_none=True)
    references = None
    if reference is not None:
        references = _corpus_table(reference, name="reference", columns=("doc_id", "text_clean"))
    if min_history is None:
        min_history = 0 if references is not None else MIN_HISTORY
    min_history = check_int(min_history, name="min_history", minimum=0 if references is not None else 1)
    names, forms = _known_forms(lexicon)
    periods = _periods(table["date"], period)
    period_list = sorted({p for p in periods if not pd.isna(p)})
    period_index = {p: i for i, p in enumerate(period_list)}
    dated = [i for i in range(len(table)) if not pd.isna(periods.iloc[i])]
    dated.sort(key=lambda i: (period_index[periods.iloc[i]], i))
    texts = table["text_clean"].astype(str).tolist()
    reference_texts = [] if references is None else references["text_clean"].astype(str).tolist()
    joined = _Joined(reference_texts + [texts[i] for i in dated], names)
    doc_period = np.array([-1] * len(reference_texts) + [period_index[periods.iloc[i]] for i in dated], dtype=np.int64)
    docs_per_period = np.bincount(doc_period[len(reference_texts) :], minlength=len(period_list))
    found = _rising_ngrams(
        joined, doc_period, docs_per_period, len(reference_texts),
        min_chars=min_chars, max_chars=max_chars, min_documents=min_documents, min_history=min_history,
    )  # fmt: skip
    found["candidate"] = [joined.text[f : f + k] for f, k in zip(found["first"], found["length"])]
    unit = (found["left_share"] < MAX_NEIGHBOUR_SHARE) & (found["right_share"] < MAX_NEIGHBOUR_SHARE)
    found = found[unit & ~found["candidate"].map(_is_generic) & ~found["candidate"].isin(forms)]
    # Evidence: a rise seen in more places, and carried by more of the later documents, ranks higher.
    found = found.assign(score=found["growth"] * found["share_after"] * np.log1p(found["count"].astype(float)))
    found = found.sort_values(["score", "documents", "candidate"], ascending=[False, False, True], kind="stable")

    judge = _GenericFilter()
    kept: dict[str, object] = {}
    kept_parts: set[str] = set()
    for row in found.itertuples():
        if n is not None and len(kept) >= n:
            break
        if _covered(row.candidate, kept, kept_parts, min_chars):
            continue
        if not generic and judge.ordinary(row.candidate):
            continue
        if judge.cuts_words(joined.text, row.uses, row.length):
            continue
        kept[row.candidate] = row
        k = len(row.candidate)
        kept_parts.update(row.candidate[i : i + m] for m in range(min_chars, k + 1) for i in range(k - m + 1))

    rows = []
    for candidate, row in kept.items():
        doc = int(joined.doc[row.first])
        position = dated[doc - len(reference_texts)]
        start = int(row.first - joined.starts[doc])
        rows.append(
            {
                "candidate": candidate,
                "detector": "phrase",
                "first_seen": pd.to_datetime(table["date"].iloc[position], errors="coerce"),
                "documents": int(row.documents),
                "count": int(row.count),
                "growth": round(float(row.growth), 3),
                "rise_period": str(period_list[row.split]),
                "example": _sentence(texts[position], start, start + len(candidate)),
                "doc_id": table["doc_id"].iloc[position],
                "start": start,
                "end": start + len(candidate),
            }
        )
    result = pd.DataFrame(rows, columns=PHRASE_COLUMNS)
    result["first_seen"] = pd.to_datetime(result["first_seen"])
    return result.astype({"candidate": "str", "detector": "str", "documents": "int64", "count": "int64",
                          "growth": "float64", "rise_period": "str", "example": "str",
                          "start": "int64", "end": "int64"})  # fmt: skip


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
    "start", "end",
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
    reference=None,
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
    reference : pandas.DataFrame, optional
        A background corpus whose phrases count as earlier than the corpus
        (see :func:`discover_phrases`); it bears on ``phrase`` candidates.

    Returns
    -------
    pandas.DataFrame
        ``candidate``, ``detector``, ``kind`` (the formula pattern, or
        "rising" for phrases), ``first_seen``, ``documents``, ``count``
        (occurrences), ``growth`` (as in :func:`discover_phrases`, computed
        for formula candidates too; NaN when the candidate is not printed as
        one string, like a quoted enumeration), ``example``, ``doc_id`` and
        ``start``, ``end`` (offsets of the candidate's first use in that
        document's ``text_clean``; missing for a formula not printed as one
        string); each detector's rows in its ranking, ``formula`` first. Formulas rank by
        ``growth`` times the log of one plus the occurrences (a formula not
        printed as one string counts growth 1), phrases as in
        :func:`discover_phrases`.

    Examples
    --------
    >>> dates = pd.to_datetime([f"{y}-03-05" for y in range(2000, 2010)])
    >>> new = "落实“六个坚持”。推进新型城镇化，坚持新型城镇化道路。新型城镇化是大事。"
    >>> texts = ["要发展经济。"] * 6 + ["要发展经济。" + new] * 4
    >>> corpus = pd.DataFrame({"doc_id": range(10), "text_clean": texts, "date": dates})
    >>> table = discover(corpus, lexicon=pd.DataFrame(columns=["id", "canonical"]))
    >>> sorted(set(zip(table["detector"], table["candidate"])))
    [('formula', '六个坚持'), ('phrase', '六个坚持'), ('phrase', '新型城镇化')]
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
        text_of = dict(zip(table["doc_id"], texts))
        starts = [text_of[d].find(c) for c, d in zip(formulas["candidate"], formulas["doc_id"])]
        starts = pd.array([s if s >= 0 else None for s in starts], dtype="Int64")
        formulas = formulas.assign(start=starts, end=starts + formulas["candidate"].str.len().to_numpy())
        parts.append(formulas[DISCOVERY_COLUMNS].reset_index(drop=True))
    if "phrase" in detectors:
        phrases = discover_phrases(
            table, lexicon=lexicon, reference=reference, period=period, min_documents=min_documents, n=n
        )
        phrases = phrases.astype({"start": "Int64", "end": "Int64"})
        parts.append(phrases.assign(kind="rising")[DISCOVERY_COLUMNS])
    if not parts:
        return pd.DataFrame(columns=DISCOVERY_COLUMNS)
    return pd.concat(parts, ignore_index=True)
