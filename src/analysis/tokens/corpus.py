"""Tokenizing a corpus: :func:`tokenize` (the token table) and :func:`cache_segments` (the segment cache
only), and the corpus's texts checked row by row."""

from __future__ import annotations

import ctypes.util
import functools

import jieba
import numpy as np
import pandas as pd

from ..cache import Segments
from ..options import SegmentOptions
from ..validation import InputError
from .assembly import Vocabulary, assemble_part, document_blocks, token_column
from .segmenter import Segmenter, segment_corpus
from .stopwords import resolve_stopwords, stopwords_fingerprint
from .tokenizer import get_tokenizer

COLUMNS = ["doc_id", "para_id", "sent_id", "token", "start", "end"]


def corpus_texts(corpus) -> tuple[pd.Index, list[str]]:
    """The ``doc_id`` index and the ``text_clean`` strings of a corpus, checked row by row.

    A str is a one-document corpus with ``doc_id`` ``"0"``.

    Examples
    --------
    >>> doc_ids, texts = corpus_texts("稳就业")
    >>> list(doc_ids), texts
    (['0'], ['稳就业'])
    """
    if isinstance(corpus, str):
        return pd.Index(["0"], name="doc_id"), [corpus]
    if not isinstance(corpus, pd.DataFrame):
        raise TypeError(f"corpus must be a DataFrame with doc_id and text_clean, or a str; got {type(corpus).__name__}")
    missing = [column for column in ("doc_id", "text_clean") if column not in corpus.columns]
    if missing:
        raise ValueError(f"corpus lacks column(s) {missing}; expected doc_id and text_clean (see analysis.corpus.load_corpus)")
    doc_ids = pd.Index(corpus["doc_id"], name="doc_id")
    if doc_ids.hasnans:
        rows = [i for i, is_na in enumerate(doc_ids.isna()) if is_na]
        raise ValueError(f"corpus rows {rows[:10]} have no doc_id")
    if doc_ids.has_duplicates:
        raise ValueError(f"corpus has duplicate doc_id values {doc_ids[doc_ids.duplicated()].unique().tolist()[:10]}")
    texts = corpus["text_clean"].tolist()
    paths = corpus["path"].tolist() if "path" in corpus.columns else None
    for row, (doc_id, text) in enumerate(zip(doc_ids, texts)):
        if not isinstance(text, str):
            where = f"corpus row {row}, doc_id {doc_id!r}" + (f" ({paths[row]})" if paths is not None else "")
            if text is None or (isinstance(text, float) and np.isnan(text)):
                raise TypeError(f"{where}: text_clean is missing; use an empty string for an empty document")
            raise TypeError(f"{where}: text_clean is {type(text).__name__} ({text!r}), expected str")
    return doc_ids, texts


@functools.cache
def _malloc_trim():
    library = ctypes.util.find_library("c")
    return getattr(ctypes.CDLL(library), "malloc_trim", None) if library else None


def _return_free_memory() -> None:
    """Hand the C heap's free pages back to the system (glibc only; elsewhere a no-op).

    Segmenting and assembling a large corpus frees far more than it keeps, but glibc
    holds freed pages for reuse, so they stay in the process's resident memory and
    add to its peak: 720 -> 674 MB for load + tokenize + co-occurrence of 40 MB of
    text. The results do not depend on it.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def tokenize(
    corpus,
    *,
    tokenizer: jieba.Tokenizer | None = None,
    stopwords="default",
    boilerplate: bool = False,
    drop_punct: bool = True,
    drop_numbers: bool = True,
    pos: bool = False,
    progress: bool = False,
    options=None,
    n_jobs: int | None = None,
    backend: str | None = None,
    cache=None,
    engine: str | None = None,
    scheduler=None,
) -> pd.DataFrame:
    """Segment every document into tokens with offsets into ``text_clean``.

    Paragraphs are the non-blank lines of ``text_clean``; sentences end at
    。！？；!?; (with any closing quotes or brackets that follow) and at line
    breaks. Both are numbered from 0 within each document, counting every
    paragraph and sentence that has any non-space character, so ids do not
    depend on which tokens the filters keep.

    Parameters
    ----------
    corpus : pandas.DataFrame or str
        A frame with ``doc_id`` (unique) and ``text_clean`` columns, as
        returned by ``analysis.corpus.load_corpus``; or one text, which
        becomes the document ``"0"``.
    tokenizer : jieba.Tokenizer, optional
        Defaults to :func:`get_tokenizer` ``()``. A :class:`PolicyTokenizer`
        brings its ``hmm`` setting; a plain ``jieba.Tokenizer`` runs with HMM.
    stopwords : "default", None or iterable of str, default "default"
        ``"default"`` is :func:`load_stopwords` with the general list and
        ``boilerplate`` as given, minus the tokenizer's lexicon forms.
        ``None`` keeps every token that ``drop_punct`` and ``drop_numbers``
        keep. An iterable is used exactly as given.
    boilerplate : bool, default False
        With ``stopwords="default"``, also drop policy boilerplate
        (``data/stopwords/policy_boilerplate.txt``).
    drop_punct : bool, default True
        Drop tokens without a letter or digit (punctuation, symbols) and stray
        single Latin letters. Whitespace is always dropped.
    drop_numbers : bool, default True
        Drop numbers: 1955, 3.5%, １９５５, ①, 一, 二十, 第三. Words of the
        tokenizer's dictionaries (十四五) are never dropped as numbers or
        punctuation.
    pos : bool, default False
        Add jieba's part-of-speech tag in a ``pos`` column (jieba.posseg on
        the same tokenizer; dictionary words that jieba's POS table does
        not know and that have no tag in their file are tagged ``nz``). Dictionary words come out the same, but jieba.posseg guesses
        unknown words with its own HMM and splits digits and symbols its own
        way, so a few tokens differ from plain mode.
    progress : bool, default False
        Show tqdm progress bars (``tqdm.auto``: text in a terminal, a widget
        in a notebook) over the documents being segmented and, for corpora of
        several cache shards, over the cache reads.
    options : analysis.options.SegmentOptions or dict, optional
        The speed options below as one object (as the report hands them to
        the notebooks); the keywords below, when given, override it.
    n_jobs : int, default 1
        Worker processes for segmentation (``-1``: one per CPU). Documents go
        to the workers in contiguous chunks and come back in corpus order, so
        the table is the same whatever ``n_jobs``.
    backend : {"jieba", "rjieba"}, default "jieba"
        ``"rjieba"`` segments with jieba-rs (the ``rjieba`` package), fed the
        tokenizer's complete dictionary with the same frequencies: several
        times faster, with the same tokens (letter-and-digit runs joined by
        hyphens or dots, such as ``F-35``, are split as jieba does; residual
        differences, if any, are listed by ``benchmarks/backends.py``). Not
        available with ``pos=True``.
    cache : bool or path-like, default True
        Reuse segmentations stored under ``config.CACHE_DIR / "segments"`` (or
        under the given folder), keyed by each document's content hash and
        the tokenizer's :func:`dictionary_fingerprint`, the backend, ``hmm``
        and ``pos``; see :mod:`analysis.cache`. Filters and stopwords are
        applied after the cache, so changing them reuses it. ``False``
        neither reads nor writes. A plain ``jieba.Tokenizer`` (no
        fingerprint) is never cached.
    engine : {"local", "dask"}, default "local"
        ``"dask"`` segments the chunks as partitions of a ``dask.bag``, on
        ``scheduler`` or on Dask's default scheduler; the tokenizer must come
        from :func:`make_tokenizer` or :func:`get_tokenizer` (workers rebuild
        it from its sources).
    scheduler : str or distributed.Client, optional
        With ``engine="dask"``, the address of a running Dask scheduler
        (``"tcp://host:8786"``) or a connected client.

    Returns
    -------
    pandas.DataFrame
        One row per token in document order: ``doc_id`` (dtype of the
        corpus column), ``para_id``, ``sent_id`` (int32), ``token`` (a
        pandas categorical: integer codes into the vocabulary, categories in
        code-point order, so the table costs a fraction of one string per
        token), ``start``, ``end`` (int32; ``text_clean[start:end] == token``) and,
        with ``pos=True``, ``pos`` (str). ``attrs`` holds
        ``dictionary_fingerprint``, ``stopwords_fingerprint`` (None without
        stopwords), ``options`` and ``doc_ids`` (every document of the corpus
        in order, including those left without tokens).

    Raises
    ------
    ValueError, TypeError
        The corpus lacks columns, has missing or duplicate ``doc_id`` values
        or a non-str ``text_clean`` (the message names the row and document),
        or the options contradict each other or are unknown.

    Examples
    --------
    >>> text = "扎实做好“六稳”工作。坚决落实“六保”任务！"
    >>> tokens = tokenize(text)
    >>> tokens[["sent_id", "token", "start", "end"]].values.tolist()
    [[0, '扎实', 0, 2], [0, '做好', 2, 4], [0, '六稳', 5, 7], [0, '工作', 8, 10], [1, '坚决', 11, 13], [1, '落实', 13, 15], [1, '六保', 16, 18], [1, '任务', 19, 21]]
    >>> tokenize(text, boilerplate=True)["token"].tolist()
    ['六稳', '六保']
    """
    doc_ids, texts = corpus_texts(corpus)
    options = SegmentOptions.from_value(
        options, n_jobs=n_jobs, backend=backend, cache=cache, engine=engine, scheduler=scheduler
    )
    if pos and options.backend != "jieba":
        raise InputError(f"pos=True needs backend='jieba' (jieba.posseg); backend={options.backend!r} has no matching tagger")
    n_jobs, backend, cache, engine, scheduler = (
        options.workers, options.backend, options.cache, options.engine, options.scheduler
    )
    if tokenizer is None:
        tokenizer = get_tokenizer()
    elif not isinstance(tokenizer, jieba.Tokenizer):
        raise TypeError(f"tokenizer must be a jieba.Tokenizer (see make_tokenizer), got {type(tokenizer).__name__}")
    hmm = bool(getattr(tokenizer, "hmm", True))
    stopword_set, stopwords_mode = resolve_stopwords(stopwords, boilerplate=boilerplate, tokenizer=tokenizer)
    vocabulary = Vocabulary(
        stopwords=stopword_set or frozenset(),
        protected=getattr(tokenizer, "dictionary_words", frozenset()),
        drop_punct=drop_punct,
        drop_numbers=drop_numbers,
    )
    segmenter = Segmenter(tokenizer, backend=backend, pos=pos, hmm=hmm)
    parts = segment_corpus(texts, segmenter, n_jobs=n_jobs, engine=engine, scheduler=scheduler, cache=cache, progress=progress)
    # Assembly needs only the texts' lengths: the strings (a copy of the corpus) go now.
    text_lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    texts = None
    _return_free_memory()

    # Each part's distinct words are classified once; everything after that is
    # vectorised over the part's tokens, so the package adds little to the
    # segmenter's own cost (no Python-level work per token), and the
    # temporaries of one part (a few hundred thousand documents' worth at most)
    # are all that is alive besides the compact result.
    pieces = []
    first_document = 0
    for part in parts:
        word_codes = vocabulary.encode(part.words)
        word_lengths = np.fromiter(map(len, part.words), dtype=np.int64, count=len(part.words))
        token_ends = np.cumsum(np.asarray(part.counts, dtype=np.int64))
        for low, high in document_blocks(token_ends):
            token_low = int(token_ends[low - 1]) if low else 0
            token_high = int(token_ends[high - 1]) if high else 0
            block = Segments(
                words=part.words,
                word_ids=part.word_ids[token_low:token_high],
                counts=part.counts[low:high],
                tags=part.tags,
                tag_ids=part.tag_ids[token_low:token_high] if pos else None,
            )
            begin = first_document + low
            pieces.append(list(
                assemble_part(block, text_lengths[begin : first_document + high], (word_codes, word_lengths),
                               first_document=begin, doc_ids=doc_ids, backend=backend, pos=pos)
            ))
        first_document += part.n_documents
        _return_free_memory()
    # The loop's names would hold the last part (all of a one-shard corpus) alive otherwise.
    parts = part = block = None
    if first_document != len(text_lengths):
        raise RuntimeError(f"segmentation covered {first_document} of {len(text_lengths)} documents")

    columns = []
    for index in range(6):
        columns.append(np.concatenate([piece[index] for piece in pieces]) if pieces else np.empty(0, dtype=np.int32))
        for piece in pieces:
            piece[index] = None  # each block's column goes as soon as it is copied: one column of overhead, not six
    doc_of_token, para_ids, sent_ids, vocabulary_ids, kept_starts, kept_ends = columns
    tags = (np.concatenate([piece[6] for piece in pieces]) if pieces else np.empty(0, dtype=object)) if pos else None
    del pieces, columns
    _return_free_memory()
    # copy=False: the columns are this function's own arrays, and a copy of
    # them all would be the largest allocation of the whole function.
    frame = pd.DataFrame(
        {
            "doc_id": doc_ids.take(doc_of_token),
            "para_id": para_ids,
            "sent_id": sent_ids,
            "token": token_column(vocabulary.words, vocabulary_ids),
            "start": kept_starts,
            "end": kept_ends,
        },
        copy=False,
    )
    if pos:
        frame["pos"] = pd.array(tags, dtype="str")
    frame.attrs = {
        "dictionary_fingerprint": getattr(tokenizer, "fingerprint", None) or None,
        "stopwords_fingerprint": stopwords_fingerprint(stopword_set),
        "options": {
            "stopwords": stopwords_mode,
            "boilerplate": bool(boilerplate),
            "drop_punct": bool(drop_punct),
            "drop_numbers": bool(drop_numbers),
            "pos": bool(pos),
            "hmm": hmm,
            "backend": backend,
        },
        "doc_ids": tuple(doc_ids),
    }
    return frame


def cache_segments(corpus, *, tokenizer: jieba.Tokenizer | None = None, options=None, progress: bool = False) -> int:
    """Segment a corpus into the segment cache, without building a token table.

    A later :func:`tokenize` of the same documents with the same tokenizer and
    cache then only reads the cache. The report calls this once before its
    notebooks run, so notebooks running at the same time share one
    segmentation instead of each segmenting the corpus.

    Parameters
    ----------
    corpus : pandas.DataFrame or str
        As for :func:`tokenize`.
    tokenizer : jieba.Tokenizer, optional
        Defaults to :func:`get_tokenizer` ``()``, as in :func:`tokenize`.
    options : analysis.options.SegmentOptions or dict, optional
        ``n_jobs``, ``backend``, ``engine``, ``scheduler`` and ``cache``,
        which must be True or a folder.
    progress : bool, default False
        Show progress bars, as in :func:`tokenize`.

    Returns
    -------
    int
        The number of documents now in the cache.

    Raises
    ------
    analysis.validation.InputError
        If ``options`` has ``cache=False``: there would be nowhere to keep the result.

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> cache_segments("扎实做好“六稳”工作。", options={"cache": folder})
    1
    >>> tokenize("扎实做好“六稳”工作。", cache=folder)["token"].tolist()
    ['扎实', '做好', '六稳', '工作']
    """
    _, texts = corpus_texts(corpus)
    options = SegmentOptions.from_value(options)
    if options.cache is False:
        raise InputError("cache_segments needs a segment cache (cache=True or a folder), got cache=False")
    if tokenizer is None:
        tokenizer = get_tokenizer()
    elif not isinstance(tokenizer, jieba.Tokenizer):
        raise TypeError(f"tokenizer must be a jieba.Tokenizer (see make_tokenizer), got {type(tokenizer).__name__}")
    segmenter = Segmenter(tokenizer, backend=options.backend, pos=False, hmm=bool(getattr(tokenizer, "hmm", True)))
    parts = segment_corpus(
        texts, segmenter, n_jobs=options.workers, engine=options.engine, scheduler=options.scheduler,
        cache=options.cache, progress=progress,
    )
    return sum(part.n_documents for part in parts)
