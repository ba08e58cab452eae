"""Document-term matrices: sparse counts or TF-IDF weights with their vocabulary and documents.

A :class:`DocumentTermMatrix` is the hand-off between segmentation and every
model that works on bags of words (TF-IDF keywords, NMF and LDA topics,
coherence). :func:`build_dtm` makes one from a token table;
:func:`count_terms` segments and counts in one go, on this machine or on a Dask
cluster, sending back only sparse counts. The matrices stay sparse (scipy CSR),
so every weight can be traced back to a term and a document.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from .options import SegmentOptions, dask_client
from .tokens import PolicyTokenizer, corpus_texts, document_order, get_tokenizer, token_codes, tokenize
from .validation import InputError, check_int, check_tokens

WEIGHTINGS = ("tfidf", "count")


@dataclass(eq=False)
class DocumentTermMatrix:
    """A sparse document x term matrix with its row and column labels.

    Attributes
    ----------
    matrix : scipy.sparse.csr_matrix
        One row per document (in ``doc_ids`` order), one column per term (in
        ``vocabulary`` order); integer counts or float TF-IDF weights.
    vocabulary : list of str
        The terms, in code-point order.
    doc_ids : list
        The documents, in order of first appearance in the token table.
    weighting : {"tfidf", "count"}
    """

    matrix: sparse.csr_matrix
    vocabulary: list
    doc_ids: list
    weighting: str

    def __post_init__(self):
        if self.weighting not in WEIGHTINGS:
            raise InputError(f"weighting must be one of {list(WEIGHTINGS)}, got {self.weighting!r}")
        if not sparse.issparse(self.matrix):
            raise InputError(f"matrix must be a scipy sparse matrix, got {type(self.matrix).__name__}")
        expected = (len(self.doc_ids), len(self.vocabulary))
        if self.matrix.shape != expected:
            raise InputError(f"matrix shape {self.matrix.shape} does not match (documents, terms) = {expected}")


def term_ranks(vocabulary) -> np.ndarray:
    """Position of each vocabulary entry in code-point order, to break ties by term.

    Examples
    --------
    >>> term_ranks(["稳", "保"]).tolist()
    [1, 0]
    """
    ranks = np.empty(len(vocabulary), dtype=np.int64)
    ranks[np.argsort(np.asarray(vocabulary, dtype=object), kind="stable")] = np.arange(len(vocabulary))
    return ranks


def _count_matrix(tokens: pd.DataFrame) -> tuple[sparse.csr_matrix, np.ndarray, list]:
    """Term counts per document over integer codes, laid out as scikit-learn's CountVectorizer lays them out.

    Rows are documents in order of first appearance; within a row, the terms
    stand in order of their first occurrence in the document's text, as
    CountVectorizer stores them. TF-IDF sums each row in that stored order, so
    the same layout gives the same weights to the last bit.
    """
    order, documents = document_order(tokens)
    # Categories no row uses (after filtering a categorical token table) are no terms.
    codes, vocabulary = token_codes(tokens, used_only=True)
    size = len(vocabulary)
    # Factorising (document, term) keys in text order keeps their first occurrence order.
    pair_codes, pairs = pd.factorize(documents[order].astype(np.int64) * size + codes[order])
    values = np.bincount(pair_codes, minlength=len(pairs)).astype(np.int64)
    pair_documents = pairs // size
    n_documents = int(documents.max()) + 1
    indptr = np.zeros(n_documents + 1, dtype=np.int64)
    np.cumsum(np.bincount(pair_documents, minlength=n_documents), out=indptr[1:])
    index_type = np.int32 if max(len(pairs), size) < np.iinfo(np.int32).max else np.int64
    matrix = sparse.csr_matrix(
        (values, (pairs % size).astype(index_type), indptr.astype(index_type)), shape=(n_documents, size)
    )
    return matrix, vocabulary, list(pd.factorize(tokens["doc_id"])[1])


def _document_count(limit, *, name: str, n_documents: int):
    """A document-frequency limit in documents: an int is a count (>= 1), a float a share in [0, 1]."""
    if isinstance(limit, numbers.Integral) and not isinstance(limit, bool):
        if limit < 1:
            raise InputError(f"{name} must be at least 1 document or a share in [0.0, 1.0], got {limit!r}")
        return limit
    if isinstance(limit, numbers.Real) and not isinstance(limit, bool) and 0 <= limit <= 1:
        return limit * n_documents
    raise InputError(f"{name} must be a whole number of documents (>= 1) or a share in [0.0, 1.0], got {limit!r}")


def build_dtm(
    tokens: pd.DataFrame,
    *,
    weighting: str = "tfidf",
    min_df: int | float = 1,
    max_df: int | float = 1.0,
    max_features: int | None = None,
) -> DocumentTermMatrix:
    """Build a sparse document-term matrix from a token table.

    Counting is done over the token column's integer codes (no
    re-segmentation, no lower-casing), giving the matrix scikit-learn's
    ``CountVectorizer`` gives for the documents' token lists with the same
    ``min_df`` and ``max_df``; weighting is by ``TfidfTransformer`` with its
    defaults (smoothed idf ``ln((1 + n) / (1 + df)) + 1``, rows
    L2-normalised) - together exactly what ``TfidfVectorizer`` does.

    Parameters
    ----------
    tokens : pandas.DataFrame
        Token table with ``doc_id`` and ``token`` (``start`` restores text
        order when present).
    weighting : {"tfidf", "count"}, default "tfidf"
    min_df, max_df : int or float
        Document-frequency limits as in scikit-learn: an int is a number of
        documents, a float a fraction of them.
    max_features : int, optional
        Keep the most frequent terms (total count, ties by term) that pass the
        document-frequency limits. The idf is computed after this selection.

    Returns
    -------
    DocumentTermMatrix
        Rows in order of first appearance of ``doc_id``; documents without
        tokens are absent, since the token table has no row for them.

    Examples
    --------
    >>> tokens = pd.DataFrame({"doc_id": ["a", "a", "b"], "token": ["稳", "保", "稳"]})
    >>> dtm = build_dtm(tokens, weighting="count")
    >>> dtm.vocabulary, dtm.doc_ids, dtm.matrix.toarray().tolist()
    (['保', '稳'], ['a', 'b'], [[1, 1], [0, 1]])
    """
    if weighting not in WEIGHTINGS:
        raise InputError(f"weighting must be one of {list(WEIGHTINGS)}, got {weighting!r}")
    check_int(max_features, name="max_features", allow_none=True)
    check_tokens(tokens)
    if tokens.empty:
        raise InputError("tokens is empty: there is no document to build a matrix from")
    counts, vocabulary, doc_ids = _count_matrix(tokens)
    n_documents = counts.shape[0]
    high = _document_count(max_df, name="max_df", n_documents=n_documents)
    low = _document_count(min_df, name="min_df", n_documents=n_documents)
    document_frequency = np.bincount(counts.indices, minlength=counts.shape[1])
    kept = np.flatnonzero((document_frequency <= high) & (document_frequency >= low))
    if high < low or len(kept) == 0:
        problem = ("max_df corresponds to < documents than min_df" if high < low
                   else "After pruning, no terms remain. Try a lower min_df or a higher max_df.")
        raise InputError(
            f"cannot build a document-term matrix from {n_documents} documents with "
            f"min_df={min_df!r}, max_df={max_df!r}: {problem}"
        )
    # Always a column selection, even of every column, as scikit-learn's CountVectorizer makes one.
    counts, vocabulary = counts[:, kept], vocabulary[kept]
    counts = sparse.csr_matrix(counts, dtype=np.int64)
    if max_features is not None and max_features < len(vocabulary):
        # scikit-learn's own max_features breaks ties by an unstable sort; ours breaks them by term.
        totals = np.asarray(counts.sum(axis=0)).ravel()
        chosen = np.sort(np.lexsort((term_ranks(vocabulary), -totals))[: int(max_features)])
        counts, vocabulary = counts[:, chosen], vocabulary[chosen]
    if weighting == "tfidf":
        from sklearn.feature_extraction.text import TfidfTransformer  # only TF-IDF needs scikit-learn here
    matrix = counts if weighting == "count" else TfidfTransformer().fit_transform(counts)
    matrix = sparse.csr_matrix(matrix)
    matrix.sort_indices()
    return DocumentTermMatrix(
        matrix=matrix,
        vocabulary=[str(term) for term in vocabulary],
        doc_ids=list(doc_ids),
        weighting=weighting,
    )


def check_dtm(dtm) -> DocumentTermMatrix:
    """Return ``dtm`` if it is a :class:`DocumentTermMatrix`; raise :class:`InputError` otherwise."""
    if not isinstance(dtm, DocumentTermMatrix):
        raise InputError(f"expected a DocumentTermMatrix from build_dtm, got {type(dtm).__name__}")
    return dtm


def _count_partition(corpus: pd.DataFrame, options: dict):
    tokens = tokenize(corpus, **options)
    return None if tokens.empty else build_dtm(tokens, weighting="count")


def _merge_counts(parts: list):
    """Stack per-partition count matrices over the union of their vocabularies."""
    vocabulary = sorted(set().union(*(part.vocabulary for part in parts)))
    column_of = {term: column for column, term in enumerate(vocabulary)}
    blocks, doc_ids = [], []
    for part in parts:
        columns = np.fromiter(map(column_of.__getitem__, part.vocabulary), dtype=np.int64, count=len(part.vocabulary))
        matrix = part.matrix.tocoo()
        blocks.append(sparse.csr_matrix((matrix.data, (matrix.row, columns[matrix.col])), shape=(matrix.shape[0], len(vocabulary)), dtype=np.int64))
        doc_ids.extend(part.doc_ids)
    matrix = sparse.csr_matrix(sparse.vstack(blocks, format="csr"), dtype=np.int64)
    matrix.sort_indices()
    return DocumentTermMatrix(matrix=matrix, vocabulary=vocabulary, doc_ids=doc_ids, weighting="count")


def count_terms(
    corpus,
    *,
    options=None,
    partitions: int | None = None,
    n_jobs: int | None = None,
    engine: str | None = None,
    scheduler=None,
    **tokenize_options,
):
    """Sparse term counts of a corpus, on this machine or on a Dask cluster.

    The local engine is ``build_dtm(tokenize(corpus, ...), weighting="count")``.
    The Dask engine splits the corpus into contiguous partitions, tokenizes
    and counts each on a worker and stacks the partial matrices over the
    union of their vocabularies: the same matrix, vocabulary and documents,
    while only sparse counts (never token tables) travel back.

    Parameters
    ----------
    corpus : pandas.DataFrame or str
        As for :func:`tokenize`.
    options : analysis.options.SegmentOptions or dict, optional
        The segmentation speed options; ``n_jobs``, ``engine`` and
        ``scheduler`` given as keywords override them.
    engine : {"local", "dask"}, default "local"
    scheduler : str or distributed.Client, optional
        With ``engine="dask"``: a scheduler address or client; Dask's
        default scheduler otherwise.
    n_jobs : int, default 1
        Worker processes of the local engine (see :func:`tokenize`).
    partitions : int, optional
        Number of Dask partitions; defaults to about one per 2,000 documents
        (at least 2).
    **tokenize_options
        Passed to :func:`tokenize` (``tokenizer``, ``stopwords``,
        ``boilerplate``, ``backend``, ``cache``, ...).

    Returns
    -------
    analysis.topics.DocumentTermMatrix
        ``weighting="count"``, int64 CSR counts, vocabulary in code-point
        order, rows for the documents that kept at least one token.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a", "b"], "text_clean": ["稳就业、稳金融。", "稳就业！"]})
    >>> dtm = count_terms(corpus, stopwords=None)
    >>> dtm.vocabulary, dtm.doc_ids, dtm.matrix.toarray().tolist()
    (['稳就业', '稳金融'], ['a', 'b'], [[1, 1], [1, 0]])
    """
    options = SegmentOptions.from_value(options, n_jobs=n_jobs, engine=engine, scheduler=scheduler)
    if options.engine == "local":
        return build_dtm(tokenize(corpus, options=options, **tokenize_options), weighting="count")
    scheduler = options.scheduler
    # Workers segment their own partition: no nested pools, no Dask inside Dask.
    tokenize_options["options"] = SegmentOptions(backend=options.backend, cache=options.cache)
    if isinstance(corpus, str):
        corpus = pd.DataFrame({"doc_id": ["0"], "text_clean": [corpus]})
    corpus_texts(corpus)  # the corpus is checked here, with row numbers, not on a worker
    tokenize_options.pop("progress", None)  # a bar per worker would only clutter the workers' logs
    try:
        import dask.bag
    except ImportError:
        raise ImportError("engine='dask' needs dask (pip install 'dask[bag]>=2024.1' 'distributed>=2024.1')") from None
    tokenizer = tokenize_options.get("tokenizer")
    if tokenizer is None:
        tokenize_options["tokenizer"] = get_tokenizer()
    elif not isinstance(tokenizer, PolicyTokenizer):
        raise InputError("engine='dask' ships the tokenizer to workers by its sources: use make_tokenizer or get_tokenizer")
    n_partitions = partitions or max(2, -(-len(corpus) // 2000))
    bounds = np.linspace(0, len(corpus), min(n_partitions, max(len(corpus), 1)) + 1).astype(int)
    pieces = [corpus.iloc[start:stop][["doc_id", "text_clean"]] for start, stop in zip(bounds[:-1], bounds[1:])]
    bag = dask.bag.from_sequence(pieces, npartitions=len(pieces)).map(_count_partition, tokenize_options)
    client, owned = dask_client(scheduler)
    try:
        parts = client.compute(bag, sync=True) if client is not None else bag.compute()
    finally:
        if owned:
            client.close()
    parts = [part for part in parts if part is not None]
    if not parts:
        raise InputError("no document kept any token: there is nothing to count")
    return _merge_counts(parts)
