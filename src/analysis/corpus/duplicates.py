"""Exact and near-duplicate documents (MinHash over character shingles): found, and dropped into the load record."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd

from .. import config
from .columns import PANDAS_INFERS_STR, is_missing
from .errors import CorpusWarning
from .record import Skips, load_record, set_load_record

DUPLICATE_COLUMNS = ["doc_id", "duplicate_of", "similarity", "kind"]
PERIOD_COLUMNS = ["period", "start", "documents", "gap"]
# Character 5-grams tell a reprint from an article on the same topic: two
# reports of one event share names and phrases, but not most of their 5-grams.
DEFAULT_SHINGLE_SIZE = 5
# MinHash bands of 4 rows; with the default 64 permutations (16 bands) a pair
# with Jaccard 0.9 shares a band with probability 1 - (1 - 0.9**4)**16 > 0.99999,
# at 0.8 still 0.9998, while a pair at 0.2 becomes a candidate only 2.5 % of the time.
_MINHASH_ROWS = 4
_DEFAULT_NUM_PERM = 64
_WHITESPACE = re.compile(r"\s+")


def _without_whitespace(text: str) -> str:
    return _WHITESPACE.sub("", text)


_WINDOW_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_MIX_MULTIPLIER = np.uint64(0xFF51AFD7ED558CCD)


def window_hashes(codes: np.ndarray, size: int) -> np.ndarray:
    """A 64-bit hash of every run of ``size`` consecutive code points: ``len(codes) - size + 1`` of them.

    The one character-window hash of the package: near-duplicate detection
    hashes each document's shingles with it, and text reuse
    (:func:`analysis.diffusion.find_reuse`) the windows it aligns. A
    polynomial rolling hash wrapping modulo 2**64, then mixed, so equal
    windows get equal hashes on every machine and run.

    Examples
    --------
    >>> codes = np.frombuffer("稳就业稳就业".encode("utf-32-le"), dtype=np.uint32)
    >>> hashed = window_hashes(codes, 3)
    >>> len(hashed), bool(hashed[0] == hashed[3]), bool(hashed[0] == hashed[1])
    (4, True, False)
    >>> len(window_hashes(codes, 7))
    0
    """
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


def _shingle_hashes(texts: list[str], *, shingle_size: int) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique 64-bit hashes of each text's character shingles, CSR style (values, indptr)."""
    chunks = []
    indptr = np.zeros(len(texts) + 1, dtype=np.int64)
    for number, text in enumerate(texts):
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        if 0 < len(codes) < shingle_size:
            # A text shorter than one shingle is its own single shingle.
            codes = np.concatenate([codes, np.zeros(shingle_size - len(codes), dtype=np.uint64)])
        unique = np.unique(window_hashes(codes, shingle_size))
        chunks.append(unique)
        indptr[number + 1] = indptr[number] + len(unique)
    values = np.concatenate(chunks) if chunks else np.empty(0, dtype=np.uint64)
    return values, indptr


def _minhash_signatures(values: np.ndarray, indptr: np.ndarray, *, num_perm: int, random_state: int) -> np.ndarray:
    """(documents, num_perm) MinHash signatures; multiply-shift hashing stands in for permutations."""
    rng = np.random.default_rng(random_state)
    top = np.iinfo(np.int64).max
    multipliers = rng.integers(0, top, size=num_perm, dtype=np.int64).astype(np.uint64) | np.uint64(1)
    offsets = rng.integers(0, top, size=num_perm, dtype=np.int64).astype(np.uint64)
    signatures = np.full((len(indptr) - 1, num_perm), np.iinfo(np.uint64).max, dtype=np.uint64)
    nonempty = np.diff(indptr) > 0
    if not len(values):
        return signatures
    starts = indptr[:-1][nonempty]
    shift = np.uint64(32)
    for column in range(num_perm):
        hashed = (values * multipliers[column] + offsets[column]) >> shift
        signatures[nonempty, column] = np.minimum.reduceat(hashed, starts)
    return signatures


def _candidate_pairs(signatures: np.ndarray, *, bands: int, rows: int) -> np.ndarray:
    """Pairs (i, j), i < j, that share at least one LSH band; sorted and unique."""
    pairs = []
    for band in range(bands):
        block = np.ascontiguousarray(signatures[:, band * rows : (band + 1) * rows])
        # One opaque key per row of the band: a 1-D unique, much faster than axis=0.
        keys = block.view(np.dtype((np.void, block.dtype.itemsize * rows))).ravel()
        _, bucket = np.unique(keys, return_inverse=True)
        bucket = bucket.ravel()
        order = np.argsort(bucket, kind="stable")
        sorted_buckets = bucket[order]
        same = sorted_buckets[1:] == sorted_buckets[:-1]
        # Each member is paired with the previous member and the first member of its
        # bucket: linear in the bucket size (a bucket of thousands of boilerplate
        # stubs costs no more than its size) and, with the kept-representative check
        # in find_duplicates, enough to reach every near-duplicate.
        first_of_bucket = np.maximum.accumulate(np.where(np.r_[True, ~same], np.arange(len(order)), 0))
        members = np.flatnonzero(same) + 1
        for left in (order[members - 1], order[first_of_bucket[members]]):
            pairs.append(np.column_stack([np.minimum(left, order[members]), np.maximum(left, order[members])]))
    if not pairs:
        return np.empty((0, 2), dtype=np.int64)
    stacked = np.concatenate(pairs).astype(np.int64)
    stacked = stacked[stacked[:, 0] != stacked[:, 1]]
    return np.unique(stacked, axis=0) if len(stacked) else np.empty((0, 2), dtype=np.int64)


def _jaccard(values: np.ndarray, indptr: np.ndarray, left, right) -> np.ndarray:
    scores = np.zeros(len(left))
    for number, (one, other) in enumerate(zip(left, right)):
        first = values[indptr[one] : indptr[one + 1]]
        second = values[indptr[other] : indptr[other + 1]]
        shared = len(np.intersect1d(first, second, assume_unique=True))
        union = len(first) + len(second) - shared
        scores[number] = shared / union if union else 0.0
    return scores


def find_duplicates(
    corpus: pd.DataFrame,
    *,
    threshold: float = 0.9,
    shingle_size: int = DEFAULT_SHINGLE_SIZE,
    num_perm: int = _DEFAULT_NUM_PERM,
    random_state: int = config.DEFAULT_RANDOM_STATE,
    text_col: str = "text_clean",
) -> pd.DataFrame:
    """Find exact and near-duplicate documents (reprints of the same article).

    Documents are compared on ``text_col`` with all whitespace removed, so a
    reprint that differs only in spacing or line breaks is an exact duplicate.
    Near duplicates are pairs whose sets of character ``shingle_size``-grams
    have a Jaccard similarity of at least ``threshold``; candidates come from
    MinHash locality-sensitive hashing (``num_perm / 4`` bands of 4 rows)
    over 64-bit shingle hashes, so the cost grows with the corpus, not with
    its square, and every candidate's similarity is then computed exactly (up
    to 64-bit hash collisions).

    The first document in table order is kept; a later one is its duplicate
    when it is similar enough to a kept document. A document similar only to
    another duplicate is compared with that duplicate's kept document and
    stays when it is not similar enough to it: nothing is marked a duplicate
    of something it does not resemble.

    Parameters
    ----------
    corpus : pandas.DataFrame
        A table with ``doc_id`` and ``text_col``.
    threshold : float, default 0.9
        Minimum Jaccard similarity, in (0, 1].
    shingle_size : int, default 5
        Characters per shingle.
    num_perm : int, default 64
        MinHash hash functions; a multiple of 4. More find pairs near
        ``threshold`` more surely, at a proportional cost.
    random_state : int, default config.DEFAULT_RANDOM_STATE
        Seeds the MinHash permutations. The result depends on it only through
        which candidate pairs are found (for pairs near ``threshold``).
    text_col : str, default "text_clean"

    Returns
    -------
    pandas.DataFrame
        One row per duplicate document, in corpus order: ``doc_id``,
        ``duplicate_of`` (the kept document's id), ``similarity`` (Jaccard,
        1.0 for exact duplicates) and ``kind`` (``"exact"`` or ``"near"``).

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a", "b", "c"],
    ...                        "text_clean": ["稳中求进工作总基调", "稳中求进 工作总基调", "六稳六保"]})
    >>> find_duplicates(corpus)[["doc_id", "duplicate_of", "kind"]].values.tolist()
    [['b', 'a', 'exact']]
    """
    missing = [name for name in ("doc_id", text_col) if name not in corpus.columns]
    if missing:
        raise ValueError(f"find_duplicates: the corpus has no column(s) {missing}")
    if not 0 < threshold <= 1:
        raise ValueError(f"find_duplicates: threshold must be in (0, 1], got {threshold!r}")
    if shingle_size < 1:
        raise ValueError(f"find_duplicates: shingle_size must be at least 1, got {shingle_size!r}")
    if num_perm < _MINHASH_ROWS or num_perm % _MINHASH_ROWS:
        raise ValueError(f"find_duplicates: num_perm must be a positive multiple of {_MINHASH_ROWS}, got {num_perm!r}")
    doc_ids = corpus["doc_id"].astype(str).tolist()
    texts = [_without_whitespace("" if is_missing(value) else str(value)) for value in corpus[text_col]]

    kept_of: dict[int, int] = {}  # duplicate row -> kept row
    similarity: dict[int, float] = {}
    kinds: dict[int, str] = {}
    first_with_text: dict[str, int] = {}
    for row, text in enumerate(texts):
        if not text:
            continue  # empty documents are not reprints of each other
        if text in first_with_text:
            kept_of[row], similarity[row], kinds[row] = first_with_text[text], 1.0, "exact"
        else:
            first_with_text[text] = row

    unique_rows = np.array([row for row, text in enumerate(texts) if row not in kept_of and text], dtype=np.int64)
    if len(unique_rows) > 1:
        values, indptr = _shingle_hashes([texts[row] for row in unique_rows], shingle_size=shingle_size)
        signatures = _minhash_signatures(values, indptr, num_perm=num_perm, random_state=random_state)
        pairs = _candidate_pairs(signatures, bands=num_perm // _MINHASH_ROWS, rows=_MINHASH_ROWS)
        scores = _jaccard(values, indptr, pairs[:, 0], pairs[:, 1])
        earlier: dict[int, list[tuple[int, float]]] = {}
        for (left, right), score in zip(pairs.tolist(), scores.tolist()):
            if score >= threshold:
                earlier.setdefault(right, []).append((left, score))
        local_kept: dict[int, tuple[int, float]] = {}
        for position in range(len(unique_rows)):
            best: tuple[int, float] | None = None
            for left, score in sorted(earlier.get(position, ())):
                if left in local_kept:
                    target = local_kept[left][0]
                    score = float(_jaccard(values, indptr, [target], [position])[0])
                    if score < threshold:
                        continue
                    left = target
                if best is None or score > best[1] or (score == best[1] and left < best[0]):
                    best = (left, score)
            if best is not None:
                local_kept[position] = best
        for position, (target, score) in local_kept.items():
            row = int(unique_rows[position])
            kept_of[row], similarity[row], kinds[row] = int(unique_rows[target]), score, "near"
        # Exact copies of a near duplicate point at the document it duplicates.
        for row, target in list(kept_of.items()):
            if kinds[row] == "exact" and target in kept_of:
                kept_of[row], similarity[row], kinds[row] = kept_of[target], similarity[target], kinds[target]

    rows = sorted(kept_of)
    result = pd.DataFrame(
        {
            "doc_id": pd.array([doc_ids[row] for row in rows], dtype="str" if PANDAS_INFERS_STR else object),
            "duplicate_of": pd.array(
                [doc_ids[kept_of[row]] for row in rows], dtype="str" if PANDAS_INFERS_STR else object
            ),
            "similarity": np.array([similarity[row] for row in rows], dtype=np.float64),
            "kind": pd.array([kinds[row] for row in rows], dtype="str" if PANDAS_INFERS_STR else object),
        },
        columns=DUPLICATE_COLUMNS,
    )
    return result


def drop_duplicates(
    corpus: pd.DataFrame,
    *,
    threshold: float = 0.9,
    shingle_size: int = DEFAULT_SHINGLE_SIZE,
    random_state: int = config.DEFAULT_RANDOM_STATE,
) -> pd.DataFrame:
    """Remove exact and near-duplicate documents, recording each as skipped.

    Runs :func:`find_duplicates` and drops the duplicates (the first document
    in table order stays). Each dropped document is appended to
    :func:`skipped` with its ``path`` and ``record`` and the reason
    ``"duplicate of <doc_id>"`` (``"near duplicate of <doc_id> (similarity
    0.93)"`` for near duplicates), so loaded + skipped still equals found,
    and a :class:`CorpusWarning` gives the count.

    Parameters
    ----------
    corpus : pandas.DataFrame
        A table from :func:`load_corpus`.
    threshold, shingle_size, random_state
        As in :func:`find_duplicates`.

    Returns
    -------
    pandas.DataFrame
        The corpus without its duplicates (index reset), its load record
        extended; call :func:`find_duplicates` for the table of pairs.

    Examples
    --------
    >>> from analysis.corpus import skipped
    >>> corpus = pd.DataFrame({"doc_id": ["a", "b"], "path": ["x.jsonl"] * 2, "record": [1, 2],
    ...                        "text_clean": ["稳中求进工作总基调", "稳中求进工作总基调"]})
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     deduplicated = drop_duplicates(corpus)
    >>> deduplicated["doc_id"].tolist(), skipped(deduplicated)["reason"].tolist()
    (['a'], ['duplicate of a'])
    """
    duplicates = find_duplicates(corpus, threshold=threshold, shingle_size=shingle_size, random_state=random_state)
    previous = load_record(corpus) or {"skipped": [], "damaged": []}
    is_duplicate = corpus["doc_id"].astype(str).isin(set(duplicates["doc_id"]))
    dropped = corpus.loc[is_duplicate]
    reasons = {
        doc_id: (f"duplicate of {kept}" if kind == "exact" else f"near duplicate of {kept} (similarity {score:.2f})")
        for doc_id, kept, score, kind in duplicates.itertuples(index=False)
    }
    added = Skips(strict=False)
    for doc_id, path, record in zip(
        dropped["doc_id"].astype(str),
        dropped["path"] if "path" in dropped.columns else [None] * len(dropped),
        dropped["record"] if "record" in dropped.columns else [None] * len(dropped),
    ):
        added.rows.append(
            {
                "path": None if is_missing(path) else str(path),
                "record": None if is_missing(record) else int(record),
                "reason": reasons[doc_id],
            }
        )
    result = corpus.loc[~is_duplicate].reset_index(drop=True)
    result.attrs = dict(corpus.attrs)
    set_load_record(result, skipped_rows=previous["skipped"] + added.rows, damaged_rows=previous["damaged"])
    if len(duplicates):
        exact = int((duplicates["kind"] == "exact").sum())
        warnings.warn(
            f"drop_duplicates: dropped {len(duplicates)} duplicate document(s) ({exact} exact, "
            f"{len(duplicates) - exact} near, threshold {threshold}); kept {len(result)}; "
            "see analysis.corpus.skipped(corpus)",
            CorpusWarning,
            stacklevel=2,
        )
    return result
