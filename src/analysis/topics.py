"""Document-term matrices, TF-IDF keywords and topic models (NMF, LDA).

The matrices stay sparse (scipy CSR) and carry their vocabulary and document
ids, so every weight can be traced back to a term and a document. Topic
models follow the usual pairing: NMF factorises TF-IDF weights, LDA models raw
counts; :func:`fit_topics` builds the right matrix when given a token table.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.decomposition import NMF, LatentDirichletAllocation
from threadpoolctl import threadpool_limits
from tqdm.auto import tqdm

from .dtm import DocumentTermMatrix, build_dtm, check_dtm, term_ranks
from .periods import UNDATED_NOTE, attach_groups, choose_period
from .textstat import association
from .validation import InputError, check_column_names, check_int, check_tokens, empty_table, require_columns

METHOD_WEIGHTING = {"nmf": "tfidf", "lda": "count"}
LABEL_TERMS = 3
LABEL_SEPARATOR = "·"
NMF_MAX_ITER = 1000
LDA_MAX_ITER = 10  # scikit-learn's default; each pass over a large corpus is slow


@dataclass(eq=False)
class TopicModel:
    """A fitted topic model and its tidy tables.

    Attributes
    ----------
    topic_terms : pandas.DataFrame
        ``topic, label, term, weight, rank``: the top terms of every topic.
    doc_topics : pandas.DataFrame
        ``doc_id, topic, label, weight``: every document's topic shares
        (summing to 1 per document unless the document has no weight at all).
    labels : list of str
        One label per topic, from its top three terms ("经济·发展·改革").
    model : sklearn.decomposition.NMF or LatentDirichletAllocation
        The fitted estimator.
    dtm : DocumentTermMatrix
        The matrix the model was fitted on.
    method : {"nmf", "lda"}
    """

    topic_terms: pd.DataFrame
    doc_topics: pd.DataFrame
    labels: list
    model: object
    dtm: DocumentTermMatrix
    method: str
    term_weights: np.ndarray | None = field(default=None, repr=False)  # topics x vocabulary

    @property
    def n_topics(self) -> int:
        return len(self.labels)


def top_tfidf_terms(dtm: DocumentTermMatrix, *, n: int = 10) -> pd.DataFrame:
    """The ``n`` highest-weighted terms of every document.

    Parameters
    ----------
    dtm : DocumentTermMatrix
        A TF-IDF matrix from :func:`build_dtm`.
    n : int, default 10

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``term``, ``weight``, ``rank`` (1 = highest weight, ties
        by term), in document order then rank. Terms of weight zero are never
        listed, so a short document may have fewer than ``n`` rows.

    Examples
    --------
    >>> tokens = pd.DataFrame({"doc_id": ["a", "a", "b"], "token": ["稳", "保", "稳"]})
    >>> top_tfidf_terms(build_dtm(tokens), n=1)[["doc_id", "term", "rank"]].to_dict("records")
    [{'doc_id': 'a', 'term': '保', 'rank': 1}, {'doc_id': 'b', 'term': '稳', 'rank': 1}]
    """
    dtm = check_dtm(dtm)
    if dtm.weighting != "tfidf":
        raise ValueError(f"top_tfidf_terms needs a TF-IDF matrix, got weighting={dtm.weighting!r}: "
                         "use build_dtm(tokens, weighting='tfidf')")
    if int(n) != n or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    entries = sparse.coo_matrix(dtm.matrix)
    positive = entries.data > 0
    rows, columns, weights = entries.row[positive], entries.col[positive], entries.data[positive]
    order = np.lexsort((term_ranks(dtm.vocabulary)[columns], -weights, rows))
    rows, columns, weights = rows[order], columns[order], weights[order]
    first_of_row = np.searchsorted(rows, rows, side="left")
    rank = np.arange(len(rows)) - first_of_row + 1
    keep = rank <= n
    doc_ids = np.asarray(dtm.doc_ids, dtype=object)
    vocabulary = np.asarray(dtm.vocabulary, dtype=object)
    return pd.DataFrame(
        {
            "doc_id": doc_ids[rows[keep]],
            "term": vocabulary[columns[keep]].astype(str),
            "weight": weights[keep].astype(float),
            "rank": rank[keep].astype(np.int64),
        }
    )


def _matrix_for(data, method: str) -> DocumentTermMatrix:
    needed = METHOD_WEIGHTING[method]
    if isinstance(data, pd.DataFrame):
        return build_dtm(data, weighting=needed)
    dtm = check_dtm(data)
    if dtm.weighting != needed:
        raise ValueError(
            f"method={method!r} needs a {needed} matrix but got weighting={dtm.weighting!r}: "
            f"build it with build_dtm(tokens, weighting={needed!r}) or pass the token table"
        )
    return dtm


def _top_term_indices(weights: np.ndarray, ranks: np.ndarray, n: int) -> np.ndarray:
    # Weights that are equal in exact arithmetic can differ in the last bits after
    # factorisation; rounding lets the term, not floating-point noise, break the tie.
    largest = float(np.max(weights)) if len(weights) else 0.0
    comparable = np.round(weights / largest, 10) if largest > 0 else weights
    order = np.lexsort((ranks, -comparable))
    return np.asarray([index for index in order[:n] if weights[index] > 0], dtype=np.int64)


def _fit(matrix, method: str, n_topics: int, random_state):
    """The fitted estimator, document-topic shares and topic-term weights."""
    if method == "nmf":
        estimator = NMF(n_components=n_topics, init="nndsvda", random_state=random_state, max_iter=NMF_MAX_ITER)
        document_weights = estimator.fit_transform(matrix)
        term_weights = estimator.components_
        row_sums = document_weights.sum(axis=1, keepdims=True)
        document_weights = np.divide(
            document_weights, row_sums, out=np.zeros_like(document_weights), where=row_sums > 0
        )
    else:
        estimator = LatentDirichletAllocation(
            n_components=n_topics, learning_method="batch", max_iter=LDA_MAX_ITER, random_state=random_state
        )
        document_weights = estimator.fit_transform(matrix)
        term_weights = estimator.components_ / estimator.components_.sum(axis=1, keepdims=True)
    return estimator, document_weights, term_weights


def fit_topics(
    dtm,
    *,
    n_topics: int = 10,
    method: str = "nmf",
    random_state: int = 0,
    n_terms: int = 10,
) -> TopicModel:
    """Fit an NMF or LDA topic model.

    Parameters
    ----------
    dtm : DocumentTermMatrix or pandas.DataFrame
        NMF needs a TF-IDF matrix, LDA a count matrix; a mismatch raises. A
        token table is turned into the right one with :func:`build_dtm`.
    n_topics : int, default 10
        Reduced, with a warning, to the number of documents or terms when it
        exceeds either.
    method : {"nmf", "lda"}, default "nmf"
        NMF uses the deterministic NNDSVDa start; LDA uses batch variational
        Bayes seeded by ``random_state``.
    random_state : int, default 0
    n_terms : int, default 10
        Terms listed per topic in ``topic_terms``.

    Returns
    -------
    TopicModel
        ``topic_terms`` weights are NMF component loadings, or, for LDA, the
        topic's word probabilities. ``doc_topics`` weights are each document's
        topic shares (NMF loadings divided by their row sum; LDA's document-
        topic distribution). The fit runs on one BLAS/OpenMP thread, since the
        thread count changes the last bits of the result. Topics are numbered
        from 0; labels join the top three terms with "·" (a topic number is
        added if two labels clash).

    Examples
    --------
    >>> tokens = pd.DataFrame({"doc_id": list("aabbcc"),
    ...                        "token": ["稳", "就业", "稳", "就业", "保", "民生"]})
    >>> model = fit_topics(tokens, n_topics=2, n_terms=2)
    >>> sorted(model.labels)
    ['保·民生', '就业·稳']
    """
    if method not in METHOD_WEIGHTING:
        raise ValueError(f"method must be one of {list(METHOD_WEIGHTING)}, got {method!r}")
    if int(n_topics) != n_topics or n_topics < 1:
        raise ValueError(f"n_topics must be a positive integer, got {n_topics!r}")
    if int(n_terms) != n_terms or n_terms < 1:
        raise ValueError(f"n_terms must be a positive integer, got {n_terms!r}")
    dtm = _matrix_for(dtm, method)
    n_documents, n_vocabulary = dtm.matrix.shape
    limit = min(n_documents, n_vocabulary)
    if n_topics > limit:
        warnings.warn(
            f"n_topics={n_topics} exceeds the {n_documents} documents or {n_vocabulary} terms; "
            f"fitting {limit} topics",
            stacklevel=2,
        )
        n_topics = limit
    n_topics = int(n_topics)
    # Parallel BLAS sums in an order that depends on the thread count, which would
    # make the weights differ in their last bits from one machine setting to another.
    with threadpool_limits(limits=1):
        estimator, document_weights, term_weights = _fit(dtm.matrix, method, n_topics, random_state)

    vocabulary = np.asarray(dtm.vocabulary, dtype=object)
    ranks = term_ranks(vocabulary)
    top_terms = [_top_term_indices(term_weights[topic], ranks, int(n_terms)) for topic in range(n_topics)]
    labels = [LABEL_SEPARATOR.join(vocabulary[indices[:LABEL_TERMS]]) for indices in top_terms]
    clashing = {label for label in labels if labels.count(label) > 1}
    labels = [f"{label} ({topic})" if label in clashing else label for topic, label in enumerate(labels)]

    topic_terms = pd.DataFrame(
        {
            "topic": np.repeat(np.arange(n_topics), [len(indices) for indices in top_terms]).astype(np.int64),
            "term": np.concatenate([vocabulary[indices] for indices in top_terms]).astype(str),
            "weight": np.concatenate([term_weights[topic][indices] for topic, indices in enumerate(top_terms)]),
            "rank": np.concatenate([np.arange(1, len(indices) + 1) for indices in top_terms]).astype(np.int64),
        }
    )
    topic_terms.insert(1, "label", np.asarray(labels, dtype=object)[topic_terms["topic"]].astype(str))
    doc_topics = pd.DataFrame(
        {
            "doc_id": np.repeat(np.asarray(dtm.doc_ids, dtype=object), n_topics),
            "topic": np.tile(np.arange(n_topics, dtype=np.int64), n_documents),
            "label": np.tile(np.asarray(labels, dtype=object), n_documents).astype(str),
            "weight": document_weights.ravel().astype(float),
        }
    )
    return TopicModel(
        topic_terms=topic_terms,
        doc_topics=doc_topics,
        labels=labels,
        model=estimator,
        dtm=dtm,
        method=method,
        term_weights=term_weights,
    )


def _document_incidence(reference) -> tuple[sparse.csc_matrix, pd.Index]:
    """Binary document x term matrix and its vocabulary, from tokens or a matrix."""
    if isinstance(reference, pd.DataFrame):
        check_tokens(reference, ["doc_id", "token"], name="tokens_or_dtm")
        documents = pd.factorize(reference["doc_id"])[0]
        terms, vocabulary = pd.factorize(reference["token"], sort=True)
        shape = (int(documents.max()) + 1 if len(documents) else 0, len(vocabulary))
        incidence = sparse.csc_matrix((np.ones(len(terms), dtype=np.int64), (documents, terms)), shape=shape)
        return (incidence > 0).astype(np.int64).tocsc(), pd.Index(vocabulary)
    dtm = check_dtm(reference)
    return (dtm.matrix > 0).astype(np.int64).tocsc(), pd.Index(dtm.vocabulary)


def coherence(model: TopicModel, tokens_or_dtm, *, n_terms: int = 10) -> pd.DataFrame:
    """NPMI coherence of every topic, from document co-occurrence.

    For each pair of a topic's top terms, NPMI = log2(p(a, b) / (p(a) p(b))) /
    -log2 p(a, b), where p is the share of reference documents containing the
    term(s); a pair never seen together scores -1, one seen in every document
    1. A topic's coherence is the mean over its pairs.

    Parameters
    ----------
    model : TopicModel
    tokens_or_dtm : pandas.DataFrame or DocumentTermMatrix
        The reference documents: a token table or any document-term matrix
        (only presence counts). A top term absent from them counts as never
        co-occurring.
    n_terms : int, default 10
        Top terms per topic (taken from the fitted weights, so it may exceed
        the ``n_terms`` the model was fitted with).

    Returns
    -------
    pandas.DataFrame
        ``topic``, ``label``, ``coherence`` (missing for a topic with fewer
        than two terms). ``attrs["overall"]`` holds the mean over topics.

    Examples
    --------
    >>> tokens = pd.DataFrame({"doc_id": list("aabbcc"),
    ...                        "token": ["稳", "就业", "稳", "就业", "保", "民生"]})
    >>> model = fit_topics(tokens, n_topics=2, n_terms=2)
    >>> coherence(model, tokens, n_terms=2)["coherence"].round(6).tolist()
    [1.0, 1.0]
    """
    if not isinstance(model, TopicModel):
        raise InputError(f"model must be a TopicModel from fit_topics, got {type(model).__name__}")
    if int(n_terms) != n_terms or n_terms < 2:
        raise InputError(f"n_terms must be an integer of at least 2, got {n_terms!r}")
    return _coherence(model, _document_incidence(tokens_or_dtm), n_terms=int(n_terms))


def _coherence(model: TopicModel, reference: tuple[sparse.csc_matrix, pd.Index], *, n_terms: int) -> pd.DataFrame:
    """Coherence against an incidence matrix built once (a sweep scores every candidate on it)."""
    incidence, vocabulary = reference
    n_documents = incidence.shape[0]
    if n_documents == 0:
        raise ValueError("tokens_or_dtm has no documents to measure coherence against")
    document_frequency = np.asarray(incidence.sum(axis=0)).ravel()
    model_vocabulary = np.asarray(model.dtm.vocabulary, dtype=object)
    ranks = term_ranks(model_vocabulary)
    scores = []
    for topic in range(model.n_topics):
        top = model_vocabulary[_top_term_indices(model.term_weights[topic], ranks, int(n_terms))]
        if len(top) < 2:
            scores.append(np.nan)
            continue
        columns = vocabulary.get_indexer(top)
        present = columns >= 0
        together = np.zeros((len(top), len(top)))
        frequency = np.zeros(len(top))
        if present.any():
            sub = incidence[:, columns[present]]
            together[np.ix_(present, present)] = (sub.T @ sub).toarray()
            frequency[present] = document_frequency[columns[present]]
        first, second = np.triu_indices(len(top), k=1)
        npmi = association(together[first, second], frequency[first], frequency[second], n_documents)["npmi"]
        scores.append(float(np.mean(npmi)))
    table = pd.DataFrame(
        {
            "topic": np.arange(model.n_topics, dtype=np.int64),
            "label": pd.array(model.labels, dtype="str"),
            "coherence": np.asarray(scores, dtype=float),
        }
    )
    table.attrs["overall"] = float(np.nanmean(scores)) if np.isfinite(scores).any() else float("nan")
    return table


def choose_n_topics(
    dtm,
    *,
    candidates=range(2, 21, 2),
    method: str = "nmf",
    random_state: int = 0,
    n_terms: int = 10,
    progress: bool = False,
    n_jobs: int = 1,
) -> pd.DataFrame:
    """Fit one model per candidate number of topics and report its coherence.

    Parameters
    ----------
    dtm : DocumentTermMatrix or pandas.DataFrame
        As for :func:`fit_topics`; coherence is measured on the same documents.
    candidates : iterable of int, default 2, 4, ..., 20
        Candidates above the number of documents or terms are skipped with a
        warning.
    method, random_state : see :func:`fit_topics`.
    n_terms : int, default 10
        Top terms per topic used for coherence.
    progress : bool, default False
        Show a progress bar over the candidates (a sweep fits one model each).
    n_jobs : int, default 1
        Candidates fitted at once in worker processes (-1: one per CPU). Each
        fit still runs on one thread, so the result is the same whatever
        ``n_jobs``; it pays on corpora of thousands of documents.

    Returns
    -------
    pandas.DataFrame
        ``n_topics``, ``coherence`` (mean NPMI over topics), by ``n_topics``.

    Examples
    --------
    >>> tokens = pd.DataFrame({"doc_id": list("aabbcc"),
    ...                        "token": ["稳", "就业", "稳", "就业", "保", "民生"]})
    >>> choose_n_topics(tokens, candidates=[1, 2], n_terms=2)["n_topics"].tolist()
    [1, 2]
    """
    if method not in METHOD_WEIGHTING:
        raise ValueError(f"method must be one of {list(METHOD_WEIGHTING)}, got {method!r}")
    dtm = _matrix_for(dtm, method)
    wanted = sorted({int(k) for k in candidates})
    if not wanted or wanted[0] < 1:
        raise ValueError(f"candidates must be positive integers, got {list(candidates)!r}")
    limit = min(dtm.matrix.shape)
    skipped = [k for k in wanted if k > limit]
    if skipped:
        warnings.warn(f"skipping n_topics {skipped}: more than the {limit} documents or terms", stacklevel=2)
    kept = [k for k in wanted if k <= limit]
    if not kept:
        raise ValueError(f"every candidate exceeds the {limit} documents or terms")
    reference = _document_incidence(dtm)
    workers = check_int(n_jobs, name="n_jobs", minimum=-1)
    if workers == 0:
        raise InputError("n_jobs must be a positive integer or -1 (one per CPU), got 0")
    bar = tqdm(kept, desc="topic models", unit="model", disable=not progress)
    if workers == 1 or len(kept) == 1:
        scores = [_sweep_score(dtm, reference, k, method, random_state, n_terms) for k in bar]
    else:
        from joblib import Parallel, delayed

        scores = Parallel(n_jobs=workers)(
            delayed(_sweep_score)(dtm, reference, k, method, random_state, n_terms) for k in bar
        )
    return pd.DataFrame({"n_topics": np.asarray(kept, dtype=np.int64), "coherence": np.asarray(scores, dtype=float)})


def _sweep_score(dtm, reference, n_topics: int, method: str, random_state, n_terms: int) -> float:
    model = fit_topics(dtm, n_topics=n_topics, method=method, random_state=random_state, n_terms=n_terms)
    return _coherence(model, reference, n_terms=n_terms).attrs["overall"]


TOPIC_MAX_TERMS = 5_000
"""Vocabulary of a topic model: the most frequent terms. Topics are described by their top
ten terms; the long tail of rare words costs time and memory and never reaches a label."""

TOPIC_MIN_DOCUMENTS = 20
"""From this many documents on, :func:`topic_dtm` also drops terms in a single document and
terms in more than :data:`TOPIC_MAX_DF` of them; a smaller corpus keeps every term (with a
handful of documents, "in most of them" says little)."""

TOPIC_MAX_DF = 0.8
"""Terms in more than this share of the documents are left out of a topic model (from
:data:`TOPIC_MIN_DOCUMENTS` documents on). Words every document uses (发展, 建设, 人民 in the
work reports) otherwise lead every topic, and a coherence measured on shared documents rewards
them: on the 52 work reports a cap of 0.95 gave two topics both led by 发展, a cap of 0.8 gives
six that follow the eras (the first five-year plan, the years after 1976, reform, the socialist
market economy, 2000s, 高质量发展). CCTV's short news items have no such terms and are unchanged."""


def topic_dtm(tokens: pd.DataFrame, *, method: str = "nmf", max_terms: int | None = TOPIC_MAX_TERMS) -> DocumentTermMatrix:
    """The document-term matrix a topic model should be fitted on, with the documented vocabulary cap.

    Parameters
    ----------
    tokens : pandas.DataFrame
        Token table (boilerplate already removed, as notebook 04 does).
    method : {"nmf", "lda"}, default "nmf"
        TF-IDF for NMF, counts for LDA.
    max_terms : int or None, default 5000
        Keep the most frequent terms (:data:`TOPIC_MAX_TERMS`); None keeps all.
        From :data:`TOPIC_MIN_DOCUMENTS` (20) documents on, terms found in one
        document only, or in more than :data:`TOPIC_MAX_DF` (80 %) of them, are
        left out first.

    Returns
    -------
    DocumentTermMatrix

    Examples
    --------
    >>> tokens = pd.DataFrame({"doc_id": list("aabb"), "token": ["稳", "就业", "稳", "民生"]})
    >>> topic_dtm(tokens, max_terms=2).vocabulary
    ['就业', '稳']
    """
    if method not in METHOD_WEIGHTING:
        raise InputError(f"method must be one of {list(METHOD_WEIGHTING)}, got {method!r}")
    check_tokens(tokens, ["doc_id", "token"])
    large = tokens["doc_id"].nunique() >= TOPIC_MIN_DOCUMENTS
    return build_dtm(
        tokens,
        weighting=METHOD_WEIGHTING[method],
        min_df=2 if large else 1,
        max_df=TOPIC_MAX_DF if large else 1.0,
        max_features=max_terms,
    )


def topic_share(
    model: TopicModel, corpus: pd.DataFrame | None = None, *, by="year", weight: str | None = "length"
) -> pd.DataFrame:
    """Share of each topic per period (or any document group), for stacked charts.

    Parameters
    ----------
    model : TopicModel
    corpus : pandas.DataFrame, optional
        Supplies the ``by`` column(s) by ``doc_id``; ``"year"`` and
        ``"month"`` are derived from its ``date`` when it has no such column.
    by : str or list of str or None, default "year"
        None lets :func:`analysis.textstat.choose_period` pick ``"year"`` or
        ``"month"`` from ``corpus``; when the corpus is undated (or from one
        month) the table is then empty, with ``attrs["note"]`` saying why.

    weight : {"length", None}, default "length"
        ``"length"`` weights each document by the characters of its
        ``text_clean`` (when the corpus has that column), so a 500-character
        resolution counts for what it holds, not as much as a 30,000-character
        report; None gives every document the same weight.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, ``topic``, ``label``, ``share`` (mean topic weight
        of the group's documents, weighted as ``weight`` says, so the shares of
        a group sum to 1 when every document has some weight) and ``documents`` (how many). Sorted by the
        ``by`` columns (undated last), then topic. Periods without documents
        have no rows: a chart shows them as gaps, not zeros. ``attrs["by"]``
        holds the grouping column(s) used.

    Examples
    --------
    >>> tokens = pd.DataFrame({"doc_id": list("aabbcc"),
    ...                        "token": ["稳", "就业", "稳", "就业", "保", "民生"]})
    >>> corpus = pd.DataFrame({"doc_id": list("abc"),
    ...                        "date": pd.to_datetime(["2021-03-05", "2021-06-01", "2022-03-05"])})
    >>> topic_share(fit_topics(tokens, n_topics=2), corpus)["documents"].tolist()
    [2, 2, 1, 1]
    """
    if not isinstance(model, TopicModel):
        raise TypeError(f"model must be a TopicModel from fit_topics, got {type(model).__name__}")
    if by is None and corpus is not None:
        by = choose_period(corpus)
        if by is None:
            return empty_table({"topic": "int64", "label": "str", "share": "float64", "documents": "int64"},
                                by=(), note=f"{UNDATED_NOTE}: no topic share over time.")
    keys = check_column_names(by)
    if not keys:
        raise ValueError("by must name at least one column (or be None with a dated corpus)")
    if {"topic", "label", "weight"} & set(keys):
        raise ValueError("by cannot be 'topic', 'label' or 'weight'")
    if weight not in ("length", None):
        raise InputError(f"weight must be 'length' or None, got {weight!r}")
    table = attach_groups(model.doc_topics, keys, corpus, name="model.doc_topics")
    if weight == "length" and corpus is not None and "text_clean" in corpus.columns:
        lengths = pd.Series(corpus["text_clean"].str.len().to_numpy(dtype=float), index=corpus["doc_id"].to_numpy())
        table = table.assign(_size=table["doc_id"].map(lengths).fillna(1.0).clip(lower=1.0))
    else:
        table = table.assign(_size=1.0)
    table = table.assign(_weighted=table["weight"] * table["_size"])
    grouped = table.groupby(keys + ["topic"], dropna=False, sort=True, observed=True)
    shares = grouped.agg(_weighted=("_weighted", "sum"), _size=("_size", "sum"), documents=("doc_id", "nunique"))
    shares["share"] = shares["_weighted"] / shares["_size"]
    shares = shares.reset_index()
    shares = shares.sort_values(keys + ["topic"], na_position="last", kind="stable").reset_index(drop=True)
    shares["documents"] = shares["documents"].astype(np.int64)
    shares.insert(len(keys) + 1, "label", np.asarray(model.labels, dtype=object)[shares["topic"]].astype(str))
    shares = shares[keys + ["topic", "label", "share", "documents"]]
    weighting = "weighted by their length in characters" if table["_size"].ne(1.0).any() else "each counted once"
    shares.attrs.update(
        by=tuple(keys), note=f"Mean topic share of the documents of each {' and '.join(keys)}, {weighting}."
    )
    return shares


def best_n_topics(sweep: pd.DataFrame) -> int:
    """The number of topics with the highest coherence in a :func:`choose_n_topics` sweep.

    Ties (and coherences equal to 10 decimals) go to the smaller number: of
    two equally coherent models the one with fewer topics is easier to read.

    Parameters
    ----------
    sweep : pandas.DataFrame
        ``n_topics`` and ``coherence`` columns.

    Returns
    -------
    int

    Raises
    ------
    ValueError
        When no candidate has a coherence (all missing).

    Examples
    --------
    >>> best_n_topics(pd.DataFrame({"n_topics": [2, 4, 6], "coherence": [0.1, 0.3, 0.3]}))
    4
    """
    require_columns(sweep, ["n_topics", "coherence"], name="sweep")
    scored = sweep.dropna(subset=["coherence"])
    if scored.empty:
        raise ValueError("sweep has no candidate with a coherence: fit topics with at least two terms each")
    ranked = scored.assign(_rounded=scored["coherence"].astype(float).round(10)).sort_values(
        ["_rounded", "n_topics"], ascending=[False, True], kind="stable"
    )
    return int(ranked["n_topics"].iloc[0])
