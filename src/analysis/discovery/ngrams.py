"""Recurrent n-grams of characters counted at once over a corpus, with their rise."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .inputs import JOINER

MIN_GROWTH = 2.0
"""A phrase rises when its share of documents after the split is at least this many times its
(smoothed) share before: a boilerplate line printed a little more often later does not."""

MAX_NEIGHBOUR_SHARE = 0.8
"""A phrase preceded (or followed) by one and the same character in this share of its uses
is a fragment of the longer phrase: 质生产力 is always 新质生产力, 发展格局 mostly 新发展格局."""

BOUNDARY_SAMPLE = 5
"""Uses of a candidate checked for word boundaries, quotes and known slogans nearby (see :func:`discover_phrases`)."""

# A phrase is made of Han characters, digits and Latin letters (中国制造2025, 5G); the
# enumeration comma may stand inside it, so that a listed formula stays whole
# (大众创业、万众创新, 碳达峰、碳中和), but never at its edges. Phrases are counted without
# it: a formula printed with and without the comma is one candidate.
# A phrase does not begin or end with a function word or a counting word: 的高质量发展 and
# 高质量发展的 are contexts of 高质量发展, and 年/月 make dates. 中, 上 and 下 end a context
# (在…中) but begin names (中国制造2025, 上海).
_END_CHARS = frozenset("的地得和与及或是在中上下为等以了要把对将从向于并都也就还又着过其之而个年月日这那我们各该")
_START_CHARS = _END_CHARS - frozenset("中上下")
_SENTENCE_END = re.compile(r"[。！？；!?;\n]")
HASH_BASE = np.uint64(1_000_003)
"""The base of the n-grams' polynomial hashes (64 bits, wrapping)."""
PAIR_BASE = 1 << 21  # above every code point: two characters as one integer
_OPENING_QUOTES = frozenset("“‘「『《\"")
_CLOSING_QUOTES = frozenset("”’」』》\"")
_OPENING_CODES = np.array(sorted(map(ord, _OPENING_QUOTES)))
_CLOSING_CODES = np.array(sorted(map(ord, _CLOSING_QUOTES)))


def find_forms(codes: np.ndarray, forms) -> tuple[np.ndarray, np.ndarray]:
    """Every use of each form in an array of code points, overlapping uses too (what
    ``str.find`` from one past each use finds), for all forms at once: one pass over the text
    for their first characters, then one comparison per length at the few places left.

    Returns (form, start): the index of the form in ``forms`` and the position of each use,
    sorted by form, then position.

    Examples
    --------
    >>> form, start = find_forms(code_points("坚持科学发展观，落实科学发展观"), ["科学发展观", "发展"])
    >>> form.tolist(), start.tolist()
    ([0, 0, 1, 1], [2, 10, 4, 12])
    """
    codes = np.asarray(codes, dtype=np.int64)
    forms = [code_points(f) for f in forms]
    found_form, found_start = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    lengths = sorted({len(f) for f in forms if len(f)})
    size = len(codes)
    if lengths and size:
        # Where a form could begin: one of the forms' first characters there (a look-up table
        # by code point), then its first two characters.
        first = np.zeros(max(int(codes.max()), max(int(f[0]) for f in forms if len(f))) + 1, dtype=bool)
        first[[f[0] for f in forms if len(f)]] = True
        candidates = np.flatnonzero(first[codes])
        heads = codes[candidates] * PAIR_BASE + np.append(codes, -1)[candidates + 1]
        # Each two first characters with the lengths of the forms they begin, as bits (one look-up).
        form_heads = np.array([f[0] * PAIR_BASE + f[1] for f in forms if len(f) > 1], dtype=np.int64)
        form_bits = np.array([1 << len(f) for f in forms if len(f) > 1], dtype=np.int64)
        table_heads, inverse = np.unique(form_heads, return_inverse=True)
        bits = np.zeros(len(table_heads), dtype=np.int64)
        np.bitwise_or.at(bits, inverse, form_bits)
        where, hit = _lookup(table_heads, heads)
        lengths_at = np.where(hit, bits[where] if len(bits) else 0, 0)
        powers = hash_powers(max(lengths))
        for n in lengths:
            index = np.array([i for i, f in enumerate(forms) if len(f) == n], dtype=np.int64)
            table = np.stack([forms[i] for i in index])
            if n == 1:
                places = candidates[np.isin(codes[candidates], table[:, 0])]
            else:
                places = candidates[(lengths_at >> n) & 1 == 1]
                places = places[places + n <= size]
            windows = codes[places[:, None] + np.arange(n)]
            # A window is a use when its hash is a form's and its characters are the form's.
            table_hashes = (table.astype(np.uint64) * powers[-n:]).sum(axis=1)
            order = np.argsort(table_hashes, kind="stable")
            where, match = _lookup(table_hashes[order], (windows.astype(np.uint64) * powers[-n:]).sum(axis=1))
            form = index[order[where]]
            match &= (windows == table[order[where]]).all(axis=1)
            found_form.append(form[match])
            found_start.append(places[match])
    form, start = np.concatenate(found_form), np.concatenate(found_start)
    order = np.lexsort((start, form))
    return form[order], start[order]


def hash_powers(n: int) -> np.ndarray:
    """The powers of :data:`HASH_BASE` that hash n code points at once: ``(window * hash_powers(n)[-k:]).sum()``
    of k of them (as unsigned 64-bit integers) is the hash the counter computes one character at a time."""
    powers = np.cumprod(np.full(n, HASH_BASE, dtype=np.uint64))  # wrapping, as the hashes do
    return np.concatenate([np.ones(1, dtype=np.uint64), powers[:-1]])[::-1]


def code_points(text: str) -> np.ndarray:
    """The code points of a text as integers (what the counter reads)."""
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
    # One sort of (group, neighbour) packed in one integer: a neighbour is a code point or -1.
    width = PAIR_BASE + 1
    cells = np.sort(groups.astype(np.int64) * width + (neighbours + 1))
    starts = np.flatnonzero(_group_starts(cells))
    sizes = np.diff(np.append(starts, len(cells)))
    sizes = np.where(cells[starts] % width == 0, 0, sizes)
    cell_group = cells[starts] // width
    group_starts = np.flatnonzero(_group_starts(cell_group))
    largest = np.zeros(len(counts), dtype=np.int64)
    if len(group_starts):
        largest[cell_group[group_starts]] = np.maximum.reduceat(sizes, group_starts)
    return largest / counts


class Joined:
    """Documents joined into one array of code points, one line each, reference documents first.

    The enumeration comma is left out of the array, so that a listed formula and its
    spelling without the comma are one phrase (碳达峰、碳中和 and 碳达峰碳中和); ``origin``
    maps each position of the array back to ``text``, which keeps it."""

    def __init__(self, texts: list[str], names: set[str], edge_words: np.ndarray | None = None, *, forms=()):
        starts = np.cumsum([0] + [len(t) + 1 for t in texts])[:-1]
        self.text = "\n".join(texts)
        codes = code_points(self.text)
        keep = codes != ord(JOINER)
        self.origin = np.flatnonzero(keep)
        self.text_starts = starts
        self.starts = np.searchsorted(self.origin, starts)
        self.codes = codes[keep]
        self.text_codes = codes
        size = len(self.codes)
        inside = _phrase_chars(self.codes)
        breaks = np.flatnonzero(~inside)
        index = np.arange(size)
        ends = np.append(breaks, size)
        self.run_end = ends[np.searchsorted(ends, index)]
        before = np.searchsorted(breaks, index) - 1
        self.run_start = np.where(before >= 0, np.append(breaks, 0)[np.maximum(before, 0)] + 1, 0)  # text without breaks: one run
        self.doc = np.searchsorted(self.starts, index, side="right") - 1
        self.known = None
        self._compact = None
        # Every use of the known forms, found once: the known slogans' names mask the n-grams
        # that overlap them, and the context prior reads the uses of all forms.
        self.forms = sorted(set(names) | set(forms))
        self.form_of_use, self.form_start = find_forms(codes, self.forms)
        if names:
            lengths = np.array([len(f) for f in self.forms], dtype=np.int64)
            is_name = np.array([f in names for f in self.forms], dtype=bool)[self.form_of_use]
            starts_of_names = self.form_start[is_name]
            mask = np.zeros(len(codes) + 1, dtype=np.int64)
            np.add.at(mask, starts_of_names, 1)
            np.add.at(mask, starts_of_names + lengths[self.form_of_use[is_name]], -1)
            self.known = np.concatenate([[0], np.cumsum((np.cumsum(mask)[:-1] > 0)[keep])])
        self.bad_start = np.isin(self.codes, [ord(c) for c in _START_CHARS])
        self.bad_end = np.isin(self.codes, [ord(c) for c in _END_CHARS])
        if edge_words is not None and size > 1:
            # A function character that is part of a word at the phrase's edge does not end it:
            # 碳中和 ends in 中和, 和谐社会 begins with 和谐.
            pairs = self.codes[:-1] * PAIR_BASE + self.codes[1:]
            at = np.flatnonzero(self.bad_start[:-1])
            self.bad_start[at[np.isin(pairs[at], edge_words)]] = False
            at = np.flatnonzero(self.bad_end[1:]) + 1
            self.bad_end[at[np.isin(pairs[at - 1], edge_words)]] = False

    def spans(self, n: int) -> np.ndarray:
        """Whether the n characters from each position make a phrase clear of known slogans."""
        return self.spans_at(np.arange(len(self.codes) - n + 1), n)

    def spans_at(self, positions: np.ndarray, n: int) -> np.ndarray:
        """:meth:`spans` at some positions only (each at most ``len(codes) - n``)."""
        ok = positions + n <= self.run_end[positions]
        if self.known is not None:
            ok &= self.known[positions + n] == self.known[positions]
        return ok

    @property
    def compact(self) -> str:
        """The documents as one string without the enumeration comma: ``compact[p : p + n]`` is
        the n-gram at position ``p``."""
        if self._compact is None:
            self._compact = self.codes.astype(np.uint32).tobytes().decode("utf-32-le")
        return self._compact

    def keys(self, firsts, lengths) -> list[str]:
        """The n-grams (without commas) at ``firsts``, of ``lengths`` characters."""
        compact = self.compact
        return [compact[f : f + k] for f, k in zip(np.asarray(firsts).tolist(), np.asarray(lengths).tolist())]

    def span(self, position: int, n: int) -> tuple[int, int]:
        """Where the n characters from ``position`` stand in ``text`` (commas inside included)."""
        return int(self.origin[position]), int(self.origin[position + n - 1]) + 1

    def use_spans(self, uses: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Where sampled ``uses`` stand in ``text`` (one row per n-gram, of its ``length``; a
        use repeated at the end of a row counts once): (starts, ends, distinct), arrays of the
        rows' shape, ``distinct`` false at a repeated use."""
        uses = np.asarray(uses, dtype=np.int64).reshape(len(lengths), -1 if len(lengths) else 1)
        lengths = np.asarray(lengths, dtype=np.int64)[:, None]
        distinct = np.ones(uses.shape, dtype=bool)
        distinct[:, 1:] = uses[:, 1:] != uses[:, :-1]
        return self.origin[uses], self.origin[uses + lengths - 1] + 1, distinct

    def form_heads(self, lengths) -> frozenset[str]:
        """The ``lengths`` characters before every use of a known form (推进, 深入贯彻 before
        新发展理念): the words the corpus governs its slogans with."""
        text = self.text
        return frozenset(text[start - k : start] for start in self.form_start.tolist() for k in lengths if start >= k)

    def form_uses(self, forms, *, limit: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The first ``limit`` uses in ``text`` of each of ``forms`` (forms the text was searched
        for: see ``forms`` of the constructor), as :meth:`use_spans` gives them: (starts, ends,
        found), one row per form, ``found`` false past its last use."""
        index = {form: i for i, form in enumerate(self.forms)}
        row_of = np.full(len(self.forms), -1, dtype=np.int64)
        for row, form in enumerate(forms):
            if form in index:
                row_of[index[form]] = row
        group_start = np.flatnonzero(_group_starts(self.form_of_use))
        rank = np.arange(len(self.form_of_use)) - np.repeat(group_start, np.diff(np.append(group_start, len(self.form_of_use))))
        rows = row_of[self.form_of_use]
        keep = (rows >= 0) & (rank < limit)
        starts = np.zeros((len(forms), limit), dtype=np.int64)
        found = np.zeros((len(forms), limit), dtype=bool)
        starts[rows[keep], rank[keep]] = self.form_start[keep]
        found[rows[keep], rank[keep]] = True
        ends = starts + np.array([len(form) for form in forms], dtype=np.int64).reshape(-1, 1)
        return starts, ends, found

    def evidence(self, uses: np.ndarray, lengths: np.ndarray, near_chars: int) -> tuple[list, np.ndarray, np.ndarray]:
        """For each row of sampled ``uses`` (one row per n-gram, of its ``length``; a use
        repeated at the end of a row counts once): the spans of its distinct uses in ``text``,
        the share of them printed in quotes (:meth:`quoted`), and the share with a known slogan
        within ``near_chars`` characters before or after it (zeros without known slogans)."""
        uses = np.asarray(uses, dtype=np.int64).reshape(len(lengths), -1 if len(lengths) else 1)
        starts, ends, distinct = self.use_spans(uses, lengths)
        lengths = np.asarray(lengths, dtype=np.int64)[:, None]
        codes = self.text_codes
        before = np.where(starts > 0, codes[np.maximum(starts - 1, 0)], -1)
        after = np.where(ends < len(codes), codes[np.minimum(ends, len(codes) - 1)], -1)
        quoted = np.isin(before, _OPENING_CODES) & np.isin(after, _CLOSING_CODES)
        n_distinct = distinct.sum(axis=1)
        near = np.zeros(len(uses))
        if self.known is not None:
            last = len(self.known) - 1
            # Beside the use, not inside it: a joined phrase may hold a known slogan whole.
            end = np.minimum(uses + lengths, last)
            close = (self.known[np.minimum(uses + lengths + near_chars, last)] > self.known[end]) | (
                self.known[uses] > self.known[np.maximum(uses - near_chars, 0)]
            )
            near = (close & distinct).sum(axis=1) / n_distinct
        spans = [list(zip(s[m].tolist(), e[m].tolist())) for s, e, m in zip(starts, ends, distinct)]
        return spans, (quoted & distinct).sum(axis=1) / n_distinct, near

    def quoted(self, position: int, n: int) -> bool:
        start, end = self.span(position, n)
        return self.text[start - 1 : start] in _OPENING_QUOTES and self.text[end : end + 1] in _CLOSING_QUOTES


def _lookup(table: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each value stands in a sorted table of unique values, and whether it is there."""
    if not len(table):
        return np.zeros(len(values), dtype=np.int64), np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(table, values), len(table) - 1)
    return at, table[at] == values


def _documents_per_key(at: np.ndarray, docs: np.ndarray, n_keys: int) -> np.ndarray:
    """Distinct documents per key, from the keys' indices and the documents of their uses."""
    order = np.lexsort((docs, at))
    at, docs = at[order], docs[order]
    new = _group_starts(at) | _group_starts(docs)
    return np.bincount(at[new], minlength=n_keys).astype(np.int64)


def rising_ngrams(
    joined: Joined,
    doc_period: np.ndarray,
    docs_per_period: np.ndarray,
    n_reference: int,
    *,
    min_chars: int,
    max_chars: int,
    min_documents: int,
    min_history: int,
    keep_all: bool = False,
    shaped=None,
    min_shaped: int | None = None,
) -> pd.DataFrame:
    """Every n-gram of ``min_chars`` to ``max_chars`` in at least ``min_documents`` documents of
    the corpus, with its growth at its best split; only those that rise unless ``keep_all``
    (the others are the corpus's ordinary phrases). Hashes of the n-grams (64 bits, computed
    for all lengths at once) stand for the strings; the candidate's text is read back at its
    first use, so a collision could at worst merge the counts of two rare strings.

    ``shaped`` (a function of the code points, the n-grams' first positions and their length,
    returning a mask: :func:`analysis.discovery.selection.formula_shaped_at`) marks n-grams that
    need only ``min_shaped`` documents: a formula's shape (三严三实, 外防输入、内防反弹) is evidence enough that two
    documents are not chance."""
    low = min_documents if shaped is None or min_shaped is None else min(min_shaped, min_documents)
    codes = joined.codes.astype(np.uint64)
    size = len(codes)
    doc_of = joined.doc
    first_target = joined.starts[n_reference] if n_reference < len(joined.starts) else size
    cumulative = np.concatenate([[0], np.cumsum(docs_per_period)])
    total = cumulative[-1]
    hashes = np.zeros(size, dtype=np.uint64)
    # Where the (n-1)-gram is frequent in the corpus (at least ``low`` documents): an n-gram
    # can be frequent only where both its (n-1)-grams are, so each length looks only there.
    # The reference is looked at the same way, where its (n-1)-grams are frequent in the corpus.
    frequent = ref_frequent = None
    rows = []
    for n in range(1, max_chars + 1):
        hashes = hashes[: size - n + 1] * HASH_BASE + codes[n - 1 :]
        if frequent is None:
            candidates = np.arange(first_target, size - n + 1)
        else:
            candidates = np.flatnonzero(frequent[first_target : size - n + 1] & frequent[first_target + 1 : size - n + 2])
            candidates += first_target
        positions = candidates[joined.spans_at(candidates, n)]
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
        is_frequent = documents >= low
        frequent = np.zeros(size, dtype=bool)
        frequent[positions[is_frequent[group]]] = True
        frequent_keys = keys[first_of_group[is_frequent]]
        if n_reference:
            if ref_frequent is None:
                reference = np.arange(min(first_target, size - n + 1))
            else:
                reference = np.flatnonzero(ref_frequent[:-1] & ref_frequent[1:])
            reference = reference[joined.spans_at(reference, n)]
            at, hit = _lookup(frequent_keys, hashes[reference])
            ref_frequent = np.zeros(first_target + 1, dtype=bool)
            ref_frequent[reference[hit]] = True
            ref_per_key = _documents_per_key(at[hit], doc_of[reference[hit]], len(frequent_keys))
        if n < min_chars:
            continue
        first = positions[first_of_group]
        chosen = is_frequent & ~joined.bad_start[first] & ~joined.bad_end[first + n - 1]
        if low < min_documents:
            few = np.flatnonzero(chosen & (documents < min_documents))
            chosen[few] = shaped(joined.codes, first[few], n)
        if not chosen.any():
            continue
        reference_docs = ref_per_key[(np.cumsum(is_frequent) - 1)[chosen]] if n_reference else np.zeros(chosen.sum(), dtype=np.int64)
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
        needed = np.where(documents < min_documents, low, min_documents)
        valid = (cell_period >= min_history) & (after >= needed[cell_group])
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
