"""Discovery of coinages that are not in the lexicon yet.

Two detectors propose candidates for review:

``formula``
    :func:`analysis.slogans.discover_formulas`: quoted phrases, numbered
    formulas (四个意识), number pairs (四梁八柱), N字方针 and quoted
    enumerations. It sees only what is marked as a formula.
``phrase``
    :func:`discover_phrases`: recurrent phrases of plain text whose document
    frequency rises sharply in a period against the earlier periods of the
    same corpus (高质量发展, 全国统一大市场, 投资于人 written without quotes),
    ranked with the evidence that marks a coinage: quoted uses, known slogans
    nearby, and a form prior (:mod:`analysis.formprior`) learned from the
    lexicon it is given.

:func:`discover` runs both and returns one table with the evidence for each
candidate and a ``detector`` column.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .formprior import MAX_NEGATIVES, FormPrior, lexicon_forms, phrase_key
from .periods import to_period
from .validation import InputError, check_choice, check_int, require_columns

DETECTORS = ("formula", "phrase")

PHRASE_COLUMNS = [
    "candidate", "detector", "first_seen", "documents", "count", "growth", "rise_period", "quoted",
    "prior", "score", "example", "doc_id", "start", "end",
]  # fmt: skip
"""Columns of :func:`discover_phrases`; :func:`discover` keeps those of :data:`DISCOVERY_COLUMNS` and adds ``kind``."""

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
"""Uses of a candidate checked for word boundaries, quotes and known slogans nearby (see :func:`discover_phrases`)."""

HOLD_SHARE = 0.5
"""A longer phrase stands for a shorter one it holds in this share of the shorter one's uses."""

QUOTE_WEIGHT = 3.0
"""A candidate's score is multiplied by 1 + this times the share of its uses printed in quotes:
a phrase the text itself marks as a formula (“两学一做”) is a coinage, a generic phrase never is."""

NEAR_CHARS = 40
NEAR_WEIGHT = 2.0
"""The score is multiplied by 1 + this times the share of its uses with a known slogan within
:data:`NEAR_CHARS` characters: coinages are listed and explained beside the known ones."""

PRIOR_WEIGHT = 0.5
"""The score is multiplied by the form prior to this power (a square root: the prior ranks
among phrases that rise alike, it does not outweigh the rise)."""

# A phrase is made of Han characters, digits and Latin letters (中国制造2025, 5G); the
# enumeration comma may stand inside it, so that a listed formula stays whole
# (大众创业、万众创新, 碳达峰、碳中和), but never at its edges. Phrases are counted without
# it: a formula printed with and without the comma is one candidate.
_JOINER = "、"
# A phrase does not begin or end with a function word or a counting word: 的高质量发展 and
# 高质量发展的 are contexts of 高质量发展, and 年/月 make dates. 中, 上 and 下 end a context
# (在…中) but begin names (中国制造2025, 上海).
_END_CHARS = frozenset("的地得和与及或是在中上下为等以了要把对将从向于并都也就还又着过其之而个年月日这那我们各该")
_START_CHARS = _END_CHARS - frozenset("中上下")
_NUMERAL_CHARS = frozenset("〇零一二两三四五六七八九十百千万亿0123456789")
_SENTENCE_END = re.compile(r"[。！？；!?;\n]")
_HASH_BASE = np.uint64(1_000_003)
_PAIR_BASE = 1 << 21  # above every code point: two characters as one integer
_OPENING_QUOTES = frozenset("“‘「『《\"")
_CLOSING_QUOTES = frozenset("”’」』》\"")
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
    return han | digits | latin


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
    """Documents joined into one array of code points, one line each, reference documents first.

    The enumeration comma is left out of the array, so that a listed formula and its
    spelling without the comma are one phrase (碳达峰、碳中和 and 碳达峰碳中和); ``origin``
    maps each position of the array back to ``text``, which keeps it."""

    def __init__(self, texts: list[str], names: set[str], edge_words: np.ndarray | None = None):
        starts = np.cumsum([0] + [len(t) + 1 for t in texts])[:-1]
        self.text = "\n".join(texts)
        codes = _code_points(self.text)
        keep = codes != ord(_JOINER)
        self.origin = np.flatnonzero(keep)
        self.text_starts = starts
        self.starts = np.searchsorted(self.origin, starts)
        self.codes = codes[keep]
        size = len(self.codes)
        inside = _phrase_chars(self.codes)
        breaks = np.flatnonzero(~inside)
        index = np.arange(size)
        ends = np.append(breaks, size)
        self.run_end = ends[np.searchsorted(ends, index)]
        before = np.searchsorted(breaks, index) - 1
        self.run_start = np.where(before >= 0, breaks[np.maximum(before, 0)] + 1, 0)
        self.doc = np.searchsorted(self.starts, index, side="right") - 1
        self.known = None
        if names:
            self.known = np.concatenate([[0], np.cumsum(_known_mask(self.text, names)[keep])])
        self.bad_start = np.isin(self.codes, [ord(c) for c in _START_CHARS])
        self.bad_end = np.isin(self.codes, [ord(c) for c in _END_CHARS])
        if edge_words is not None and size > 1:
            # A function character that is part of a word at the phrase's edge does not end it:
            # 碳中和 ends in 中和, 和谐社会 begins with 和谐.
            pairs = self.codes[:-1] * _PAIR_BASE + self.codes[1:]
            at = np.flatnonzero(self.bad_start[:-1])
            self.bad_start[at[np.isin(pairs[at], edge_words)]] = False
            at = np.flatnonzero(self.bad_end[1:]) + 1
            self.bad_end[at[np.isin(pairs[at - 1], edge_words)]] = False

    def spans(self, n: int) -> np.ndarray:
        """Whether the n characters from each position make a phrase clear of known slogans."""
        positions = np.arange(len(self.codes) - n + 1)
        ok = positions + n <= self.run_end[: len(positions)]
        if self.known is not None:
            ok &= self.known[positions + n] == self.known[positions]
        return ok

    def span(self, position: int, n: int) -> tuple[int, int]:
        """Where the n characters from ``position`` stand in ``text`` (commas inside included)."""
        return int(self.origin[position]), int(self.origin[position + n - 1]) + 1

    def quoted(self, position: int, n: int) -> bool:
        start, end = self.span(position, n)
        return self.text[start - 1 : start] in _OPENING_QUOTES and self.text[end : end + 1] in _CLOSING_QUOTES


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
    keep_all: bool = False,
) -> pd.DataFrame:
    """Every n-gram of ``min_chars`` to ``max_chars`` in at least ``min_documents`` documents of
    the corpus, with its growth at its best split; only those that rise unless ``keep_all``
    (the others are the corpus's ordinary phrases). Hashes of the n-grams (64 bits, computed
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
        # A closing quote before a phrase is a neighbour too: 重要思想 after “三个代表” is a tail.
        previous = joined.codes[np.maximum(positions - 1, 0)]
        left = np.where((positions > joined.run_start[positions]) | (previous == ord("”")), previous, -1)
        right_at = np.minimum(positions + n, size - 1)
        right = np.where(positions + n < joined.run_end[positions], joined.codes[right_at], -1)
        samples = [positions[np.minimum(np.flatnonzero(starts) + j, np.append(np.flatnonzero(starts)[1:], len(group)) - 1)]
                   for j in range(BOUNDARY_SAMPLE)]  # fmt: skip
        rising = best_growth >= MIN_GROWTH
        if keep_all:
            rising = np.ones(len(best_growth), dtype=bool)
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
                    "rising": (best_growth >= MIN_GROWTH)[rising],
                }
            )
        )
    if not rows:
        return pd.DataFrame(columns=["length", "first", "documents", "count", "growth", "split",
                                     "share_after", "reference_documents", "left_share", "right_share", "uses", "rising"])  # fmt: skip
    return pd.concat(rows, ignore_index=True)


# Part-of-speech flags of jieba that make a phrase a name of something; a candidate made of
# verbs, adverbs and adjectives only (防范化解, 更好统筹) is a generic instruction.
_NOUN_FLAGS = ("n", "vn", "j", "l", "i", "b", "s", "f")
_CONTENT_TAGS = frozenset("nvabsijlz")
_CONTEXT_TAGS = frozenset({"v", "vd", "vn", "a", "ad", "d", "p"})
_VERB_TAGS = frozenset({"v", "vd", "a", "ad", "d"})
_CONTEXT_HEADS = (2, 4)
"""Lengths of a verb before a phrase: one word of two characters or two (推进, 深入贯彻)."""
_NAME_TAGS = ("m", "ns", "nr", "nt", "nz", "eng", "j")
_EDGE_WORD_FREQ = 100
"""Dictionary frequency of an edge word: rare entries of jieba's dictionary are often odd splits."""
# What a numeral counts (三年, 五个, 两岸 aside): a numeral and one of these is no formula.
_COUNTED = frozenset("个年月日天次项条种位名家批件届周岁倍成亿万千百十点元人是号期季度")


class _GenericFilter:
    """Ordinary language by jieba's own stock dictionary (a fresh Tokenizer, never ``jieba.dt``)."""

    def __init__(self):
        from .formprior import stock_tagger

        self.pos = stock_tagger()
        self.tokenizer = self.pos.tokenizer
        try:  # jieba-rs (the [fast] extra) cuts the same words from the same dictionary, far faster
            import rjieba

            self.cut = lambda text: rjieba.cut(text, False)
        except ImportError:
            self.cut = lambda text: self.tokenizer.cut(text, HMM=False)

    def edge_words(self) -> np.ndarray:
        """Two-character content words of the dictionary (nouns, verbs, adjectives, names), as
        pairs of code points: a phrase may begin or end with one though its outer character
        is a function character (和谐, 中和)."""
        pairs = [
            ord(word[0]) * _PAIR_BASE + ord(word[1])
            for word, tag in self.pos.word_tag_tab.items()
            if len(word) == 2 and tag[:1] in _CONTENT_TAGS and self.tokenizer.FREQ.get(word, 0) >= _EDGE_WORD_FREQ
        ]
        return np.unique(np.array(pairs, dtype=np.int64))

    def ordinary(self, phrase: str) -> bool:
        if self.tokenizer.FREQ.get(phrase):
            return True  # a word of the general dictionary: 心理健康, 无障碍
        pairs = [(p.word, p.flag) for p in self.pos.cut(phrase)]
        if any(flag in ("c", "uj", "p") and word in "和与及或的" for word, flag in pairs[1:-1]):
            # a coordination or a modifier phrase: 稳定和扩大, 党的二十大 (at an edge, 和 is part of
            # a word the tagger split: 碳中和)
            return True
        if all(flag.startswith("nr") for _, flag in pairs):
            return True  # a person's name
        if any(char in _FORMULA_NUMERALS for char in phrase):
            return False  # a numbered formula: 四个自信 has no noun by jieba's tags
        return not any(flag.startswith(_NOUN_FLAGS) for _, flag in pairs)

    def is_context(self, part: str) -> bool:
        """Whether a part beside a phrase is its context (构建, 全面推进, 落实; 建设 after a name):
        it holds a verb, adjective or adverb and no name or number (京津冀, 2025)."""
        flags = [p.flag for p in self.pos.cut(part)] if part else []
        return any(f in _CONTEXT_TAGS for f in flags) and not any(f.startswith(_NAME_TAGS) for f in flags)

    def is_name(self, part: str) -> bool:
        """Whether a part is a name or a number (2025, 京津冀 as a place)."""
        return any(p.flag.startswith(_NAME_TAGS) for p in self.pos.cut(part))

    def is_verb_head(self, phrase: str, k: int) -> bool:
        """Whether the first ``k`` characters of a phrase are verbs or adverbs, cut as words
        (推进 in 推进碳达峰碳中和; not 供给 in 供给侧结构性改革, a noun)."""
        words, length = [], 0
        for word in self.pos.cut(phrase):
            if length >= k:
                break
            words.append(word)
            length += len(word.word)
        return length == k and all(w.flag in _VERB_TAGS for w in words)

    def cuts_words(self, text: str, spans: Sequence[tuple[int, int]]) -> bool:
        """Whether the phrase starts or ends inside a word in most of its sampled uses (业数字化 in 产业数字化)."""
        inside = 0
        for start, end in spans:
            left, right = max(0, start - 6), min(len(text), end + 6)
            bounds, offset = set(), left
            for word in self.cut(text[left:right]):
                bounds.add(offset)
                offset += len(word)
            bounds.add(offset)
            inside += start not in bounds or end not in bounds
        return inside * 2 > len(spans)


def _is_generic(ngram: str) -> bool:
    """Mostly numerals (二〇一五年): not a coinage. The edges were checked on the text."""
    return sum(char in _NUMERAL_CHARS for char in ngram) * 2 > len(ngram)


def _short_formula(ngram: str) -> bool:
    """A two-character numbered formula (六稳, 双减): a numeral and a character that does not count."""
    return len(ngram) == 2 and ngram[0] in _FORMULA_NUMERALS | {"双"} and ngram[1] not in _COUNTED


def _lexicon(lexicon: pd.DataFrame | None) -> pd.DataFrame:
    from .lexicon import load_lexicon

    return load_lexicon() if lexicon is None else lexicon


class _Counted:
    """The recurrent phrases of a corpus (and its reference) with their rise, as counted once
    for :func:`discover_phrases` and :func:`fit_form_prior`."""

    def __init__(self, table, lexicon, reference, period, *, min_chars, max_chars, min_documents, min_history, keep_all,
                 random_state=0):
        references = None
        if reference is not None:
            references = _corpus_table(reference, name="reference", columns=("doc_id", "text_clean"))
        if min_history is None:
            min_history = 0 if references is not None else MIN_HISTORY
        min_history = check_int(min_history, name="min_history", minimum=0 if references is not None else 1)
        names, forms = _known_forms(lexicon)
        periods = _periods(table["date"], period)
        self.period_list = sorted({p for p in periods if not pd.isna(p)})
        period_index = {p: i for i, p in enumerate(self.period_list)}
        dated = [i for i in range(len(table)) if not pd.isna(periods.iloc[i])]
        dated.sort(key=lambda i: (period_index[periods.iloc[i]], i))
        self.dated = dated
        self.texts = table["text_clean"].astype(str).tolist()
        reference_texts = [] if references is None else references["text_clean"].astype(str).tolist()
        self.n_reference = len(reference_texts)
        self.judge = _GenericFilter()
        joined = _Joined(reference_texts + [self.texts[i] for i in dated], names, self.judge.edge_words())
        doc_period = np.array([-1] * len(reference_texts) + [period_index[periods.iloc[i]] for i in dated], dtype=np.int64)
        docs_per_period = np.bincount(doc_period[len(reference_texts) :], minlength=len(self.period_list))
        # Two-character numbered formulas (六稳) are counted too; discover_phrases keeps only those.
        found = _rising_ngrams(
            joined, doc_period, docs_per_period, len(reference_texts),
            min_chars=min(2, min_chars), max_chars=max_chars, min_documents=min_documents,
            min_history=min_history, keep_all=keep_all,
        )  # fmt: skip
        if keep_all:
            # The ordinary phrases are only a prior's negatives: a sample of them is enough.
            ordinary = np.flatnonzero(~found["rising"].to_numpy() & (found["length"].to_numpy() >= 3))
            if len(ordinary) > 2 * MAX_NEGATIVES:
                drop = np.random.default_rng(random_state).choice(ordinary, len(ordinary) - 2 * MAX_NEGATIVES, replace=False)
                found = found.drop(index=found.index[drop])
        codes = joined.codes
        found["key"] = ["".join(map(chr, codes[f : f + k])) for f, k in zip(found["first"], found["length"])]
        unit = (found["left_share"] < MAX_NEIGHBOUR_SHARE) & (found["right_share"] < MAX_NEIGHBOUR_SHARE)
        known = {phrase_key(form) for form in forms}
        self.found = found[~found["key"].map(_is_generic) & ~found["key"].isin(known)].assign(unit=unit)
        self.joined = joined


def _fit_prior(counted: _Counted, lexicon: pd.DataFrame, *, random_state: int) -> FormPrior | None:
    """A prior from the lexicon's forms against the phrases of the corpus that do not rise."""
    positives = lexicon_forms(lexicon) if len(lexicon) else []
    found = counted.found
    ordinary = found.loc[found["unit"] & ~found["rising"] & (found["length"] >= 3), "key"]
    if not positives or not len(ordinary):
        return None
    return FormPrior.fit(positives, ordinary.tolist(), random_state=random_state, tagger=counted.judge.pos)


def fit_form_prior(
    corpus,
    *,
    lexicon: pd.DataFrame | None = None,
    period: str = "year",
    min_documents: int = 3,
    random_state: int = 0,
) -> FormPrior:
    """Fit a :class:`analysis.formprior.FormPrior` on a lexicon and a corpus.

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
    table = _corpus_table(corpus)
    lexicon = _lexicon(lexicon)
    min_documents = check_int(min_documents, name="min_documents")
    random_state = check_int(random_state, name="random_state", minimum=0)
    counted = _Counted(
        table, lexicon, None, period, min_chars=3, max_chars=MAX_CHARS, min_documents=min_documents,
        min_history=None, keep_all=True, random_state=random_state,
    )  # fmt: skip
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
    min_history: int | None = None,
    generic: bool = False,
    prior: FormPrior | bool = True,
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
      the phrase: 碳达峰碳中和 for 推进碳达峰碳中和), and not start or end
      inside a word in most of
      its first :data:`BOUNDARY_SAMPLE` uses by jieba's stock dictionary
      (业数字化 in 产业数字化);
    - not be ordinary language (unless ``generic=True``): a word of jieba's
      general dictionary (心理健康), a phrase with 和/与/及/的 inside (稳定和
      扩大), a person's name, or a phrase without a noun by jieba's
      part-of-speech tags (防范化解, 更好统筹) unless a number stands in it
      (四个自信);
    - not lie inside, nor hold, a candidate ranked higher (the higher one
      stands for both: 高质量发展 before 推动高质量发展), except that a phrase
      replaces a higher one that is itself with a verb in front (新发展格局
      for 构建新发展格局), or that it holds in at least :data:`HOLD_SHARE` of
      its uses, or quoted, adding a name or a number (京津冀协同发展 for
      协同发展, 中国制造2025 for 中国制造).

    Candidates rank by ``score``: ``growth`` times the share of the
    documents after the split that contain it times the log of one plus its
    occurrences (a rise seen in more places, and carried by more of the later
    documents), times ``1 + QUOTE_WEIGHT * quoted`` (the share of its sampled
    uses printed in quotes: the text marks it as a formula), times
    ``1 + NEAR_WEIGHT * near`` (the share with a known slogan within
    :data:`NEAR_CHARS` characters), times the form prior to the power
    :data:`PRIOR_WEIGHT`. The prior (:class:`analysis.formprior.FormPrior`)
    is the probability that the phrase is shaped like a form of the lexicon,
    learned by default from ``lexicon`` against the corpus's recurrent phrases
    that do not rise; it learns nothing but what it is given (with a lexicon
    that leaves entries out, it knows nothing of them).

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
    prior : FormPrior or bool, default True
        True learns the form prior from ``lexicon`` and this corpus (no prior
        when the lexicon has no forms); a :class:`~analysis.formprior.FormPrior`
        (from :func:`fit_form_prior`, say on an earlier corpus) is used as it
        is; False ranks without one.
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
        quotes), ``prior`` (the form prior; NaN without one), ``score``,
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
    table = _corpus_table(corpus)
    min_chars = check_int(min_chars, name="min_chars", minimum=2)
    max_chars = check_int(max_chars, name="max_chars", minimum=min_chars)
    min_documents = check_int(min_documents, name="min_documents")
    n = check_int(n, name="n", allow_none=True)
    random_state = check_int(random_state, name="random_state", minimum=0)
    if not isinstance(prior, (bool, FormPrior)):
        raise InputError(f"prior must be True, False or a FormPrior, got {prior!r}")
    lexicon = _lexicon(lexicon)
    counted = _Counted(
        table, lexicon, reference, period,
        min_chars=min_chars, max_chars=max_chars, min_documents=min_documents, min_history=min_history,
        keep_all=prior is True, random_state=random_state,
    )  # fmt: skip
    found, joined, judge = counted.found, counted.joined, counted.judge
    if prior is True:
        prior = _fit_prior(counted, lexicon, random_state=random_state)
    found = found[found["rising"] & ((found["length"] >= min_chars) | found["key"].map(_short_formula).astype(bool))]
    # A fragment by its neighbours may still be the phrase inside a context: 碳达峰碳中和, mostly
    # after 推进, is the phrase of 推进碳达峰碳中和. Such fragments stay, for _select.
    heads = {key[k:] for key in found.loc[found["unit"], "key"] for k in _CONTEXT_HEADS}
    found = found[found["unit"] | found["key"].isin(heads)]

    # Evidence beyond the rise: quoted uses, known slogans nearby, and the prior on the form.
    spans = [[joined.span(u, k) for u in dict.fromkeys(uses)] for uses, k in zip(found["uses"], found["length"])]
    quoted = [np.mean([joined.quoted(u, k) for u in dict.fromkeys(uses)]) for uses, k in zip(found["uses"], found["length"])]
    near = np.zeros(len(found))
    if joined.known is not None:
        last = len(joined.known) - 1
        near = [np.mean([joined.known[min(u + k + NEAR_CHARS, last)] > joined.known[max(u - NEAR_CHARS, 0)]
                         for u in dict.fromkeys(uses)]) for uses, k in zip(found["uses"], found["length"])]  # fmt: skip
    form = prior.predict(found["key"].tolist(), tagger=judge.pos) if isinstance(prior, FormPrior) else np.full(len(found), np.nan)
    rise = found["growth"] * found["share_after"] * np.log1p(found["count"].astype(float))
    score = rise * (1 + QUOTE_WEIGHT * np.asarray(quoted, dtype=float)) * (1 + NEAR_WEIGHT * np.asarray(near, dtype=float))
    if isinstance(prior, FormPrior):
        score = score * form**PRIOR_WEIGHT
    found = found.assign(spans=spans, quoted=quoted, prior=form, score=score)
    found = found.sort_values(["score", "documents", "key"], ascending=[False, False, True], kind="stable")
    fragments = {row.key: row for row in found[~found["unit"]].itertuples()}
    kept = _select(found[found["unit"]], judge, joined.text, n=n, generic=generic, fragments=fragments)

    rows = []
    for row in kept:
        doc = int(joined.doc[row.first])
        position = counted.dated[doc - counted.n_reference]
        start, end = (offset - int(joined.text_starts[doc]) for offset in joined.span(row.first, row.length))
        rows.append(
            {
                "candidate": counted.texts[position][start:end],
                "detector": "phrase",
                "first_seen": pd.to_datetime(table["date"].iloc[position], errors="coerce"),
                "documents": int(row.documents),
                "count": int(row.count),
                "growth": round(float(row.growth), 3),
                "rise_period": str(counted.period_list[row.split]),
                "quoted": round(float(row.quoted), 3),
                "prior": round(float(row.prior), 3) if not math.isnan(row.prior) else math.nan,
                "score": round(float(row.score), 3),
                "example": _sentence(counted.texts[position], start, end),
                "doc_id": table["doc_id"].iloc[position],
                "start": start,
                "end": end,
            }
        )
    result = pd.DataFrame(rows, columns=PHRASE_COLUMNS)
    result["first_seen"] = pd.to_datetime(result["first_seen"])
    return result.astype({"candidate": "str", "detector": "str", "documents": "int64", "count": "int64",
                          "growth": "float64", "rise_period": "str", "quoted": "float64", "prior": "float64",
                          "score": "float64", "example": "str", "start": "int64", "end": "int64"})  # fmt: skip


def _select(found: pd.DataFrame, judge: _GenericFilter, text: str, *, n: int | None, generic: bool, fragments: dict) -> list:
    """The candidates in rank order, one per nest of phrases inside each other.

    A phrase inside a kept one, or holding one, is not a candidate of its own, with two
    exceptions that replace the kept one at its rank: the kept phrase is this one with a verb
    in front (构建新发展格局 gives way to 新发展格局), or this one holds the kept one in at
    least :data:`HOLD_SHARE` of the kept one's uses (or is quoted) and adds a name or a number,
    not a verb or a common noun (京津冀协同发展 for 协同发展, 中国制造2025 for 中国制造,
    大众创业、万众创新 for 万众创新; not 大众创业万众创新政策)."""
    kept: dict[str, object] = {}
    owners: dict[str, set[str]] = {}

    def parts(key: str):
        return {key[i : i + m] for m in range(2, len(key) + 1) for i in range(len(key) - m + 1)}

    def acceptable(row) -> bool:
        if not generic and judge.ordinary(row.key):
            return False
        return not judge.cuts_words(text, row.spans)

    def replace(old: list[str], row) -> None:
        nonlocal kept
        for key in old:
            for part in parts(key):
                owners[part].discard(key)
        row = row._replace(score=max(row.score, kept[old[0]].score))  # it takes the rank of the one it replaces
        kept = {(row.key if k == old[0] else k): (row if k == old[0] else v) for k, v in kept.items() if k not in old[1:]}
        for part in parts(row.key):
            owners.setdefault(part, set()).add(row.key)

    for row in found.itertuples():
        if n is not None and len(kept) >= n:
            break
        for k in _CONTEXT_HEADS:
            rest = row.key[k:]
            if len(rest) >= 3 and rest in fragments and judge.is_verb_head(row.key, k):
                row = fragments[rest]._replace(score=row.score)
                break
        key = row.key
        outer = owners.get(key)
        if outer:
            holder = min(outer, key=len)
            if holder.endswith(key) and judge.is_context(holder[: -len(key)]) and acceptable(row):
                replace([holder], row)
            continue
        inner = [part for part in parts(key) if part in kept and part != key]
        if inner:
            left = key[: min(key.find(part) for part in inner)]
            right = key[max(key.find(part) + len(part) for part in inner) :]
            # The text marks the longer one as the unit when it quotes it (“中国制造2025”).
            holds = row.quoted >= 0.5 or all(row.count >= HOLD_SHARE * kept[part].count for part in inner)
            # A name in front (京津冀) or a number behind (2025) names a new thing; 政策 behind does not.
            if holds and not judge.is_context(left) and (not right or judge.is_name(right)) and acceptable(row):
                replace(sorted(inner, key=list(kept).index), row)
            continue
        if acceptable(row):
            kept[key] = row
            for part in parts(key):
                owners.setdefault(part, set()).add(key)
    return list(kept.values())


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
    prior: FormPrior | bool = True,
    random_state: int = 0,
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
    prior : FormPrior or bool, default True
        The form prior of the ``phrase`` ranking (see :func:`discover_phrases`).
    random_state : int, default 0
        Seed of the prior learned when ``prior=True``.

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
            table, lexicon=lexicon, reference=reference, period=period, min_documents=min_documents, n=n,
            prior=prior, random_state=random_state,
        )  # fmt: skip
        phrases = phrases.astype({"start": "Int64", "end": "Int64"})
        parts.append(phrases.assign(kind="rising")[DISCOVERY_COLUMNS])
    if not parts:
        return pd.DataFrame(columns=DISCOVERY_COLUMNS)
    return pd.concat(parts, ignore_index=True)
