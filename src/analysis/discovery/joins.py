"""Joined long phrases: two rising or known phrases joined by 和, 与 or 及 into one name.

A strategy is often named by two phrases joined by a conjunction: 黄河流域生态保护和高质量发展
(14 characters), 长江经济带发展和长江大保护. Such a name is longer than the n-grams the counter
counts (:data:`analysis.discovery.MAX_CHARS`), holds a conjunction that marks ordinary language
in a short phrase (稳定和扩大), and often holds a known slogan whole (高质量发展). The joins are
counted here, from the phrases the counter already found: every "A 和/与/及 B" of
:data:`MIN_JOINED_CHARS` to :data:`MAX_JOINED_CHARS` characters whose A and B are each a rising
phrase of the corpus or a known slogan's name, with its rise computed as the counter computes it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .ngrams import BOUNDARY_SAMPLE, MIN_GROWTH, Joined, code_points, hash_powers

CONJUNCTIONS = "和与及"
"""Characters that join two phrases into one name."""

MIN_JOINED_CHARS = 13
MAX_JOINED_CHARS = 20
"""Lengths of a joined phrase (without commas): the longest n-gram counted is 12 characters, and
a shorter phrase with a conjunction inside is ordinary language (稳定和扩大) unless listed."""

JOIN_COLUMNS = [
    "length", "first", "documents", "count", "growth", "split", "share_after", "reference_documents",
    "left_share", "right_share", "uses", "rising", "key",
]  # fmt: skip
"""Columns of :func:`joined_phrases`: those of :func:`analysis.discovery.ngrams.rising_ngrams` and ``key``."""


def _crossed(joined: Joined, names: set[str]) -> np.ndarray:
    """Per position of ``joined.codes``: whether it lies strictly inside a use of a known name
    (a join may hold a known slogan whole, never cut one)."""
    size = len(joined.codes)
    inside = np.zeros(size + 2, dtype=np.int64)
    if names:
        is_name = np.array([form in names for form in joined.forms], dtype=bool)
        lengths = np.array([len(form) for form in joined.forms], dtype=np.int64)
        uses = is_name[joined.form_of_use] if len(joined.forms) else np.zeros(0, dtype=bool)
        starts = joined.form_start[uses]
        ends = starts + lengths[joined.form_of_use[uses]]
        first = np.searchsorted(joined.origin, starts)
        last = np.searchsorted(joined.origin, ends)
        np.add.at(inside, first + 1, 1)
        np.add.at(inside, last, -1)
    return np.cumsum(inside)[: size + 1] > 0


def joined_phrases(
    joined: Joined,
    parts: list[str],
    names: set[str],
    doc_period: np.ndarray,
    docs_per_period: np.ndarray,
    n_reference: int,
    *,
    min_documents: int,
    min_history: int,
) -> pd.DataFrame:
    """Every "A 和/与/及 B" of :data:`MIN_JOINED_CHARS` to :data:`MAX_JOINED_CHARS` characters in
    at least ``min_documents`` documents of the corpus, A and B each one of ``parts`` (the
    corpus's rising phrases and the known names, as keys), that cuts no use of a known name
    (``names``), with its rise at its best split as :func:`analysis.discovery.ngrams.rising_ngrams`
    computes it; only those that rise.

    Examples
    --------
    >>> texts = ["发展经济。"] * 4 + ["推进黄河流域生态保护和高质量发展。"] * 3
    >>> joined = Joined(texts, {"高质量发展"}, forms=["高质量发展"])
    >>> found = joined_phrases(joined, {"黄河流域生态保护", "高质量发展"}, {"高质量发展"},
    ...                        np.arange(7), np.ones(7, dtype=np.int64), 0, min_documents=3, min_history=1)
    >>> found["key"].tolist(), found["documents"].tolist()
    (['黄河流域生态保护和高质量发展'], [3])
    """
    codes = joined.codes
    size = len(codes)
    longest = MAX_JOINED_CHARS - 3
    parts = [part for part in parts if 2 <= len(part) <= longest]
    at = np.flatnonzero(np.isin(codes, [ord(c) for c in CONJUNCTIONS]))
    at = at[(at > joined.run_start[at]) & (at + 1 < joined.run_end[at])]
    if not parts or not len(at):
        return pd.DataFrame(columns=JOIN_COLUMNS)
    powers = hash_powers(longest)
    # The parts as one array of code points, read by length.
    part_lengths = np.array([len(part) for part in parts], dtype=np.int64)
    part_codes = code_points("".join(parts)).astype(np.uint64)
    part_starts = np.cumsum(part_lengths) - part_lengths
    # Which lengths of a part end just before each conjunction, and begin just after it: the
    # windows' hashes looked up among the parts', then their characters compared.
    left = np.zeros((len(at), longest + 1), dtype=bool)
    right = np.zeros((len(at), longest + 1), dtype=bool)
    for n in range(2, longest + 1):
        of_length = part_starts[part_lengths == n]
        if not len(of_length):
            continue
        table = part_codes[of_length[:, None] + np.arange(n)]
        hashes = (table * powers[-n:]).sum(axis=1)
        order = np.argsort(hashes, kind="stable")
        hashes, table = hashes[order], table[order]
        for side, first, fits in (
            (left, at - n, at - n >= joined.run_start[at]),
            (right, at + 1, at + 1 + n <= joined.run_end[at]),
        ):
            windows = codes[np.clip(first[fits, None] + np.arange(n), 0, size - 1)].astype(np.uint64)
            window_hashes = (windows * powers[-n:]).sum(axis=1)
            where = np.minimum(np.searchsorted(hashes, window_hashes), len(hashes) - 1)
            side[fits, n] = (hashes[where] == window_hashes) & (table[where] == windows).all(axis=1)
    crossed = _crossed(joined, names)
    found = []
    for a in range(2, longest + 1):
        for b in range(2, longest + 1):
            if not MIN_JOINED_CHARS <= a + 1 + b <= MAX_JOINED_CHARS:
                continue
            hit = at[left[:, a] & right[:, b]]
            hit = hit[~crossed[hit - a] & ~crossed[hit + 1 + b]]
            found.append(pd.DataFrame({"position": hit - a, "length": a + 1 + b}))
    uses = pd.concat(found, ignore_index=True)
    if not len(uses):
        return pd.DataFrame(columns=JOIN_COLUMNS)
    uses["key"] = joined.keys(uses["position"], uses["length"])
    uses["doc"] = joined.doc[uses["position"].to_numpy()]
    uses = uses.drop_duplicates(["key", "position"]).sort_values(["key", "position"], kind="stable").reset_index(drop=True)
    return _rise(joined, uses, doc_period, docs_per_period, n_reference, min_documents=min_documents, min_history=min_history)


def _rise(joined: Joined, uses: pd.DataFrame, doc_period, docs_per_period, n_reference: int, *, min_documents: int,
          min_history: int) -> pd.DataFrame:  # fmt: skip
    """The rise of each join from its uses (key, position, length, doc), as the counter computes an n-gram's."""
    cumulative = np.concatenate([[0], np.cumsum(docs_per_period)])
    total = cumulative[-1]
    reference = uses[uses["doc"] < n_reference].drop_duplicates(["key", "doc"]).groupby("key").size()
    uses = uses[uses["doc"] >= n_reference]
    in_docs = uses.drop_duplicates(["key", "doc"]).assign(period=lambda t: doc_period[t["doc"].to_numpy()])
    documents = in_docs.groupby("key").size()
    frequent = documents.index[documents >= min_documents]
    uses = uses[uses["key"].isin(frequent)]
    if not len(uses):
        return pd.DataFrame(columns=JOIN_COLUMNS)
    cells = in_docs[in_docs["key"].isin(frequent)].groupby(["key", "period"]).size().rename("docs").reset_index()
    cells["documents"] = cells["key"].map(documents).to_numpy()
    cells["reference"] = cells["key"].map(reference).fillna(0).astype(np.int64).to_numpy()
    before = cells.groupby("key")["docs"].cumsum().to_numpy() - cells["docs"].to_numpy()
    period = cells["period"].to_numpy()
    after = cells["documents"].to_numpy() - before
    n_before, n_after = cumulative[period] + n_reference, total - cumulative[period]
    growth = (after / (n_after + 1)) / ((before + cells["reference"].to_numpy() + 1) / (n_before + 1))
    cells["growth"] = np.where((period >= min_history) & (after >= min_documents), growth, -np.inf)
    cells["share_after"] = after / np.maximum(n_after, 1)
    # The best split, the earliest at the highest growth (as the counter takes it).
    best = cells.sort_values(["key", "growth", "period"], ascending=[True, False, True], kind="stable").drop_duplicates("key")
    best = best[best["growth"] >= MIN_GROWTH].set_index("key")
    uses = uses[uses["key"].isin(best.index)]
    if not len(uses):
        return pd.DataFrame(columns=JOIN_COLUMNS)
    at, length = uses["position"].to_numpy(), uses["length"].to_numpy()
    previous = joined.codes[np.maximum(at - 1, 0)]
    # A closing quote before a phrase is a neighbour too (as the counter takes it).
    left = np.where((at > joined.run_start[at]) | (previous == ord("”")), previous, -1)
    right = np.where(at + length < joined.run_end[at], joined.codes[np.minimum(at + length, len(joined.codes) - 1)], -1)
    groups = uses.groupby("key", sort=True)
    table = groups.agg(length=("length", "first"), first=("position", "first"), count=("position", "size"))
    table["uses"] = groups["position"].agg(lambda p: p.to_numpy()[np.minimum(np.arange(BOUNDARY_SAMPLE), len(p) - 1)])
    for name, neighbours in (("left_share", left), ("right_share", right)):
        side = pd.DataFrame({"key": uses["key"].to_numpy(), "n": neighbours})
        largest = side[side["n"] >= 0].groupby(["key", "n"]).size().groupby("key").max()
        table[name] = largest.reindex(table.index).fillna(0).to_numpy() / table["count"].to_numpy()
    table = table.join(best[["growth", "period", "share_after", "documents", "reference"]])
    table = table.rename(columns={"period": "split", "reference": "reference_documents"}).assign(rising=True)
    return table.reset_index()[JOIN_COLUMNS]
