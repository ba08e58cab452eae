"""Segmentation: the jieba and jieba-rs backends, worker processes, Dask and the segment cache; texts in,
:class:`analysis.cache.Segments` out."""

from __future__ import annotations

import re
import warnings

import jieba
import numpy as np

from .. import cache as cache_module
from ..cache import Segments, concat_segments
from ..options import dask_client
from .tokenizer import JIEBA_WORD, PolicyTokenizer, pos_tokenizer_for

# Work is handed out in contiguous chunks, several per worker so that a slow
# chunk does not leave the other workers idle, but never so small that
# shipping texts and results costs more than cutting them.
_CHUNKS_PER_WORKER = 4
_MIN_CHUNK_CHARACTERS = 50_000
# A chunk's Python lists of token ids and its memo of runs cost far more
# memory than its text; capping the chunk keeps a large corpus's peak low.
_MAX_CHUNK_CHARACTERS = 2_000_000


class _WordIndex(dict):
    """Gives each distinct string the next id on first sight (C-speed lookups afterwards)."""

    def __missing__(self, word: str) -> int:
        self[word] = len(self)
        return self[word]


def _rjieba_for(tokenizer: jieba.Tokenizer):
    """A jieba-rs segmenter holding exactly the tokenizer's dictionary.

    Every word with a non-zero frequency in the tokenizer (jieba's stock
    dictionary, lexicon forms, policy terms, user dictionaries, with the
    frequencies tuned by :func:`make_tokenizer`) is added to an empty jieba-rs
    dictionary; zero entries are jieba's prefix markers, not words. Built once
    per tokenizer (about half a second).
    """
    rjieba_tokenizer = getattr(tokenizer, "_analysis_rjieba", None)
    if rjieba_tokenizer is None:
        try:
            import rjieba
        except ImportError:
            raise ImportError("backend='rjieba' needs the rjieba package (pip install 'rjieba>=0.2.2')") from None
        tokenizer.check_initialized()
        rjieba_tokenizer = rjieba.Jieba.empty()
        add_word = rjieba_tokenizer.add_word
        for word, frequency in tokenizer.FREQ.items():
            if frequency:
                add_word(word, frequency, None)
        tokenizer._analysis_rjieba = rjieba_tokenizer
    return rjieba_tokenizer


# jieba-rs keeps a run of letters and digits joined by hyphens or dots
# (F-35, 2021-2025, BA.2.12.1, 2.3ZB) as one word where jieba splits it, as
# jieba's HMM fallback splits any non-Chinese block: letters and digits
# (decimals and a percent sign included) against everything else.
_JOINED = re.compile(r"[A-Za-z0-9.%-]*[.-][A-Za-z0-9.%-]*")
_JIEBA_ALNUM_HMM = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")
_JIEBA_ALNUM_NO_HMM = re.compile(r"([a-zA-Z0-9]+)")


def _split_like_jieba(words: list[str], dictionary: dict, hmm: bool) -> list[str]:
    """Split jieba-rs's joined letter-and-digit words the way jieba does."""
    pattern = _JIEBA_ALNUM_HMM if hmm else _JIEBA_ALNUM_NO_HMM
    fixed = []
    for word in words:
        if len(word) > 1 and not dictionary.get(word) and _JOINED.fullmatch(word):
            if hmm:
                fixed.extend(part for part in pattern.split(word) if part)
            else:
                fixed.extend(part for piece in pattern.split(word) if piece for part in ([piece] if piece[0].isalnum() else piece))
        else:
            fixed.append(word)
    return fixed


def _backend_version(backend: str) -> str:
    if backend == "jieba":
        return jieba.__version__
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(backend)
    except PackageNotFoundError:
        raise ImportError(f"backend={backend!r} needs the {backend} package (pip install {backend})") from None


class Segmenter:
    """Cuts texts into :class:`analysis.cache.Segments`; picklable for worker processes.

    The tokens spell each text exactly, whitespace included: filtering
    happens afterwards, in the parent, so cached and fresh segments agree.

    Examples
    --------
    >>> from analysis.tokens import get_tokenizer
    >>> segments = Segmenter(get_tokenizer(), backend="jieba", pos=False, hmm=True)(["做好六稳工作"])
    >>> [segments.words[i] for i in segments.word_ids]
    ['做好', '六稳', '工作']
    """

    def __init__(self, tokenizer: jieba.Tokenizer, *, backend: str, pos: bool, hmm: bool):
        self.tokenizer = tokenizer
        self.backend = backend
        self.pos = pos
        self.hmm = hmm

    def settings(self) -> dict:
        """What decides the segments: the cache namespace."""
        fingerprint = getattr(self.tokenizer, "fingerprint", "")
        if not fingerprint:
            return {}
        return {
            "dictionary": fingerprint,
            "backend": self.backend,
            "backend_version": _backend_version(self.backend),
            "hmm": self.hmm,
            "pos": self.pos,
        }

    def __call__(self, texts: list[str], advance=None) -> Segments:
        index = _WordIndex()
        word_ids: list[int] = []
        counts: list[int] = []
        tag_index = _WordIndex() if self.pos else None
        tag_ids: list[int] = []
        lookup = index.__getitem__
        if self.pos:
            cut = pos_tokenizer_for(self.tokenizer).cut
            for text in texts:
                before = len(word_ids)
                for pair in cut(text, HMM=self.hmm):
                    word_ids.append(lookup(pair.word))
                    tag_ids.append(tag_index[pair.flag])
                counts.append(len(word_ids) - before)
                if advance is not None:
                    advance(1)
        elif self.backend == "rjieba":
            cut = _rjieba_for(self.tokenizer).cut
            hmm = self.hmm
            dictionary = self.tokenizer.FREQ
            for text in texts:
                before = len(word_ids)
                words = cut(text, hmm)
                if "-" in text or "." in text:
                    words = _split_like_jieba(words, dictionary, hmm)
                word_ids.extend(map(lookup, words))
                counts.append(len(word_ids) - before)
                if advance is not None:
                    advance(1)
        else:
            # jieba cuts the runs of word characters between punctuation
            # independently, so a run seen before (a stock phrase, a repeated
            # clause) is not cut again.
            cut = self.tokenizer.cut
            hmm = self.hmm
            split_runs = JIEBA_WORD.split
            seen: dict[str, list[int]] = {}
            for text in texts:
                before = len(word_ids)
                for run in split_runs(text):
                    if run:
                        run_ids = seen.get(run)
                        if run_ids is None:
                            run_ids = seen[run] = list(map(lookup, cut(run, False, hmm)))
                        word_ids.extend(run_ids)
                counts.append(len(word_ids) - before)
                if advance is not None:
                    advance(1)
        return Segments(
            words=list(index),
            word_ids=np.fromiter(word_ids, dtype=np.int32, count=len(word_ids)),
            counts=np.asarray(counts, dtype=np.int64),
            tags=list(tag_index) if self.pos else None,
            tag_ids=np.fromiter(tag_ids, dtype=np.int32, count=len(tag_ids)) if self.pos else None,
        )


# The segmenter of a worker process, installed once by the pool initializer.
_worker_segmenter: Segmenter | None = None


def _install_worker_segmenter(segmenter: Segmenter) -> None:
    global _worker_segmenter
    _worker_segmenter = segmenter


def _segment_in_worker(encoded: list[bytes]) -> Segments:
    return _worker_segmenter([text.decode("utf-8", "surrogatepass") for text in encoded])


def _progress_bar(enabled: bool, *, total: int, desc: str, unit: str = "doc"):
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit=unit)


def _chunk_bounds(texts: list[str], start: int, stop: int, *, target: int) -> list[tuple[int, int]]:
    """Split documents ``start:stop`` into contiguous chunks of about ``target`` characters."""
    lengths = np.fromiter((len(texts[i]) for i in range(start, stop)), dtype=np.int64, count=stop - start)
    bounds = []
    chunk_start = start
    filled = 0
    for offset, length in enumerate(lengths):
        filled += int(length)
        if filled >= target:
            bounds.append((chunk_start, start + offset + 1))
            chunk_start, filled = start + offset + 1, 0
    if chunk_start < stop:
        bounds.append((chunk_start, stop))
    return bounds


def _pool_context():
    import multiprocessing

    # fork hands the parent's tokenizer (and its dictionary) to the workers
    # without rebuilding it; spawn rebuilds it from its sources, once per worker.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _run_local(segmenter: Segmenter, chunks: list[list[str]], *, n_jobs: int, bar) -> list[Segments]:
    advance = bar.update if bar is not None else None
    if n_jobs == 1 or len(chunks) == 1:
        return [segmenter(texts, advance) for texts in chunks]
    from concurrent.futures import ProcessPoolExecutor

    context = _pool_context()
    if context.get_start_method() != "fork" and not isinstance(segmenter.tokenizer, PolicyTokenizer):
        raise TypeError("n_jobs > 1 without fork rebuilds the tokenizer in each worker: use make_tokenizer or get_tokenizer")
    if context.get_start_method() == "fork":
        # The dictionary is loaded on first use: once here, and the forked workers share it.
        segmenter.tokenizer.check_initialized()
    with ProcessPoolExecutor(
        max_workers=min(n_jobs, len(chunks)),
        mp_context=context,
        initializer=_install_worker_segmenter,
        initargs=(segmenter,),
    ) as pool:
        # Texts go to the workers as UTF-8 bytes: pickling a str makes Python keep
        # its UTF-8 copy inside the string for as long as the string lives (the
        # whole tokenize call), as much memory again as the corpus text.
        # Only a few chunks wait in the queue at a time, so that the whole
        # corpus is never encoded and pickled at once.
        def submit(texts):
            return pool.submit(_segment_in_worker, [text.encode("utf-8", "surrogatepass") for text in texts])

        waiting = 2 * n_jobs
        futures = [submit(texts) for texts in chunks[:waiting]]
        results = []
        # Collected in submission order: the document order of the corpus.
        for position, texts in enumerate(chunks):
            results.append(futures[position].result())
            futures[position] = None
            if position + waiting < len(chunks):
                futures.append(submit(chunks[position + waiting]))
            if advance is not None:
                advance(len(texts))
        return results


def _run_dask(segmenter: Segmenter, chunks: list[list[str]], *, scheduler, bar) -> list[Segments]:
    try:
        import dask.bag
    except ImportError:
        raise ImportError("engine='dask' needs dask (pip install 'dask[bag]>=2024.1' 'distributed>=2024.1')") from None
    if not isinstance(segmenter.tokenizer, PolicyTokenizer):
        raise TypeError("engine='dask' ships the tokenizer to workers by its sources: use make_tokenizer or get_tokenizer")
    # One partition per chunk keeps the chunks' order and boundaries.
    bag = dask.bag.from_sequence(chunks, npartitions=len(chunks)).map(segmenter)
    client, owned = dask_client(scheduler)
    try:
        if client is not None:
            results = client.compute(bag, sync=True)
        else:
            results = bag.compute()
    finally:
        if owned:
            client.close()
    if bar is not None:
        bar.update(sum(len(texts) for texts in chunks))
    return list(results)


def segment_corpus(texts: list[str], segmenter: Segmenter, *, n_jobs: int, engine: str, scheduler, cache, progress: bool) -> list[Segments]:
    """Segments covering the documents in order, from the cache where possible.

    Examples
    --------
    >>> from analysis.tokens import get_tokenizer
    >>> segmenter = Segmenter(get_tokenizer(), backend="jieba", pos=False, hmm=True)
    >>> parts = segment_corpus(["六稳", "六保"], segmenter, n_jobs=1, engine="local", scheduler=None, cache=False,
    ...                        progress=False)
    >>> sum(part.n_documents for part in parts)
    2
    """
    root = cache_module.resolve_folder(cache)
    settings = segmenter.settings() if root is not None else {}
    store = None
    if root is not None and settings:
        # A tokenizer without a fingerprint (a plain jieba.Tokenizer) has no
        # stable identity to key a cache on, so it is never cached.
        keys = cache_module.document_keys(texts)
        shards = cache_module.shard_bounds(keys, modulus=cache_module.SHARD_MODULUS, max_documents=cache_module.MAX_SHARD_DOCUMENTS)
        store = cache_module.SegmentStore(root, settings)
        store.remove_stale_temporary_files()
    else:
        keys = None
        shards = [(0, len(texts))] if texts else []

    results: list[Segments | None] = [None] * len(shards)
    if store is not None:
        bar = _progress_bar(progress, total=len(shards), desc="tokenize: cache", unit="shard")
        for position, (start, stop) in enumerate(shards):
            cached = store.read(keys[start:stop])
            # Keys are content hashes, but the file is only trusted if it spells the documents.
            results[position] = cached if cached is not None and cache_module.spells(cached, texts[start:stop]) else None
            if bar is not None:
                bar.update(1)
        if bar is not None:
            bar.close()

    missing = [position for position, result in enumerate(results) if result is None]
    if missing:
        workers = n_jobs if engine == "local" else max(n_jobs, 2)
        parallel = workers > 1
        missing_characters = sum(len(texts[i]) for position in missing for i in range(*shards[position]))
        if parallel:
            chunk_target = max(_MIN_CHUNK_CHARACTERS, -(-missing_characters // (workers * _CHUNKS_PER_WORKER)))
            chunk_target = min(chunk_target, _MAX_CHUNK_CHARACTERS)
        else:
            chunk_target = _MAX_CHUNK_CHARACTERS
        chunk_shards, chunk_bounds = [], []
        for position in missing:
            start, stop = shards[position]
            bounds = _chunk_bounds(texts, start, stop, target=chunk_target)
            chunk_bounds.extend(bounds)
            chunk_shards.extend([position] * len(bounds))
        chunks = [texts[start:stop] for start, stop in chunk_bounds]
        bar = _progress_bar(progress, total=sum(map(len, chunks)), desc="tokenize")
        try:
            if engine == "dask":
                computed = _run_dask(segmenter, chunks, scheduler=scheduler, bar=bar)
            else:
                computed = _run_local(segmenter, chunks, n_jobs=n_jobs, bar=bar)
        finally:
            if bar is not None:
                bar.close()
        if store is None and len(results) == 1:
            # Nothing to write: the chunks are already parts in document order, and joining them
            # into one would copy every token id once more (40 MB corpus: peak 671 -> 631 MB).
            return computed
        for position in missing:
            pieces = [segments for segments, owner in zip(computed, chunk_shards) if owner == position]
            results[position] = concat_segments(pieces)
            if store is not None:
                start, stop = shards[position]
                try:
                    store.write(keys[start:stop], results[position])
                except OSError as error:
                    warnings.warn(f"segment cache {store.folder} is not writable ({error}); continuing without caching", stacklevel=3)
                    store = None
    return results
