"""Helpers on a token table: the tokens a topic is about (:func:`content_tokens`, :func:`person_names`),
tokens in document order, tokens as integer codes, one list of tokens per document."""

from __future__ import annotations

import jieba
import numpy as np
import pandas as pd

from .tokenizer import get_tokenizer

# jieba's part-of-speech tags for person names (nr; nrfg and nrt for foreign and transliterated ones).
NAME_TAGS = frozenset({"nr", "nrfg", "nrt"})
# Shorter tokens are fragments (例, 新, 张) in topics and partners unless asked for.
MIN_CONTENT_CHARS = 2


def person_names(*, tokenizer: jieba.Tokenizer | None = None) -> frozenset[str]:
    """The person names a tokenizer's dictionaries declare (tag ``nr``): ``data/dictionaries/person_names.txt`` and user dictionaries.

    jieba's own dictionary is not used: it tags hundreds of ordinary words
    as names (养老, 建立健全, 公正).

    Parameters
    ----------
    tokenizer : jieba.Tokenizer, optional
        Defaults to :func:`get_tokenizer` ``()``.

    Returns
    -------
    frozenset of str

    Examples
    --------
    >>> "张红军" in person_names()
    True
    """
    tokenizer = get_tokenizer() if tokenizer is None else tokenizer
    tags = getattr(tokenizer, "word_tags", {})
    return frozenset(word for word, tag in tags.items() if tag in NAME_TAGS)


def content_tokens(
    tokens: pd.DataFrame,
    *,
    min_chars: int = MIN_CONTENT_CHARS,
    names: bool = False,
    tokenizer: jieba.Tokenizer | None = None,
) -> pd.DataFrame:
    """The tokens a topic or a list of partners is about: no fragments, no person names.

    Segmentation leaves single characters that are not words on their own
    (例 in 3例, 新 in 新冠, 张 of a name) and names that say who spoke, not
    what about. Topics and co-occurrence partners are read as subjects, so
    both are left out unless asked for. Lexicon forms (a slogan such as 稳 or
    六稳) are always kept.

    Parameters
    ----------
    tokens : pandas.DataFrame
        From :func:`tokenize`; a ``pos`` column, when present, also marks the
        names jieba guessed (tags in :data:`NAME_TAGS` on words outside the
        dictionaries).
    min_chars : int, default 2
        Drop tokens shorter than this (1 keeps everything).
    names : bool, default False
        Keep person names (:func:`person_names`).
    tokenizer : jieba.Tokenizer, optional
        Whose names and lexicon forms count; defaults to :func:`get_tokenizer` ``()``.

    Returns
    -------
    pandas.DataFrame
        The rows kept, index reset; ``attrs`` carried over, with
        ``attrs["dropped_tokens"]`` the number of rows removed.

    Examples
    --------
    >>> from analysis.tokens import tokenize
    >>> toks = tokenize("书记张红军到东沟村调研扶贫工作，新增确诊3例。", stopwords=None, cache=False)
    >>> content_tokens(toks)["token"].tolist()
    ['书记', '东沟', '调研', '扶贫', '工作', '新增', '确诊']
    """
    if not isinstance(tokens, pd.DataFrame) or "token" not in tokens.columns:
        raise ValueError("content_tokens: expected a token table with a token column (from tokenize)")
    if not isinstance(min_chars, int) or isinstance(min_chars, bool) or min_chars < 1:
        raise ValueError(f"content_tokens: min_chars must be a whole number >= 1, got {min_chars!r}")
    tokenizer = get_tokenizer() if tokenizer is None else tokenizer
    protected = getattr(tokenizer, "lexicon_forms", frozenset())
    column = tokens["token"]
    if isinstance(column.dtype, pd.CategoricalDtype) and "pos" not in tokens.columns:
        # Decided once per distinct word, then spread by the codes: a token table of 4 million rows
        # holds some 20,000 words. A missing token reads "nan", as astype("str") has it (code -1 is the last).
        words = pd.Series([*map(str, column.cat.categories), "nan"])
        keep_word = (words.str.len() >= min_chars) | words.isin(protected)
        if not names:
            keep_word &= ~words.isin(person_names(tokenizer=tokenizer)) | words.isin(protected)
        keep = pd.Series(keep_word.to_numpy()[column.cat.codes.to_numpy()], index=tokens.index)
    else:
        text = column.astype("str")
        keep = (text.str.len() >= min_chars) | text.isin(protected)
        if not names:
            is_name = text.isin(person_names(tokenizer=tokenizer))
            if "pos" in tokens.columns:
                known = getattr(tokenizer, "dictionary_words", frozenset())
                is_name |= tokens["pos"].isin(NAME_TAGS) & ~text.isin(known) & ~text.isin(tokenizer.FREQ)
            keep &= ~is_name | text.isin(protected)
    kept = tokens[keep.to_numpy()].reset_index(drop=True)
    kept.attrs = {**tokens.attrs, "dropped_tokens": int((~keep).sum())}
    return kept


def document_order(tokens: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The row order of :func:`in_document_order`, and each row's document number, without reordering the table.

    Returns
    -------
    order : numpy.ndarray
        Row positions: the tokens of each document together and in text order
        (by ``start`` when present, else as given), documents in order of first appearance.
    documents : numpy.ndarray
        The document number (0, 1, ... in order of first appearance) of each
        row of ``tokens``, in the table's own order (take ``documents[order]``
        for the reordered rows).

    Examples
    --------
    >>> tokens = pd.DataFrame({"doc_id": ["a", "b", "a"], "token": ["乙", "丙", "甲"], "start": [1, 0, 0]})
    >>> order, documents = document_order(tokens)
    >>> order.tolist(), documents.tolist()
    ([2, 0, 1], [0, 1, 0])
    """
    documents = pd.factorize(tokens["doc_id"])[0]
    # The table of tokenize is already in this order; checking that costs far less than sorting.
    next_document = np.diff(documents)
    if "start" in tokens.columns:
        starts = tokens["start"].to_numpy()
        if (next_document >= 0).all() and ((next_document > 0) | (np.diff(starts) >= 0)).all():
            return np.arange(len(documents)), documents
        order = np.lexsort((starts, documents))
    elif (next_document >= 0).all():
        return np.arange(len(documents)), documents
    else:
        order = np.argsort(documents, kind="stable")
    return order, documents


def in_document_order(tokens: pd.DataFrame) -> pd.DataFrame:
    """Tokens of each document together and in text order, documents in order of first appearance.

    Without a ``start`` column the rows of a document keep their given order.

    Examples
    --------
    >>> tokens = pd.DataFrame({"doc_id": ["a", "b", "a"], "token": ["乙", "丙", "甲"], "start": [1, 0, 0]})
    >>> in_document_order(tokens)["token"].tolist()
    ['甲', '乙', '丙']
    """
    order, _ = document_order(tokens)
    if (order[1:] > order[:-1]).all():
        return tokens.reset_index(drop=True)
    return tokens.iloc[order].reset_index(drop=True)


def token_codes(tokens: pd.DataFrame, *, used_only: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The token column as integer codes into a vocabulary in code-point order.

    Counting over codes (``numpy.bincount``, sparse matrices) instead of
    grouping strings is what keeps statistics over millions of tokens fast.
    The codes of :func:`tokenize`'s categorical column are used as they are;
    any other column is factorised. Since the vocabulary is sorted, sorting by
    code sorts by term.

    Parameters
    ----------
    tokens : pandas.DataFrame
        A token table (a ``token`` column without missing values).
    used_only : bool, default False
        Leave out of the vocabulary the categories no row uses (a categorical
        column keeps its categories when rows are filtered out).

    Returns
    -------
    codes : numpy.ndarray
        One int64 code per row of ``tokens``, in the table's order.
    vocabulary : numpy.ndarray
        The terms (object array of str), in code-point order; with a
        categorical column and ``used_only=False`` it may hold categories no
        row uses.

    Examples
    --------
    >>> codes, vocabulary = token_codes(pd.DataFrame({"token": ["稳", "六", "稳"]}))
    >>> codes.tolist(), vocabulary.tolist()
    ([1, 0, 1], ['六', '稳'])
    """
    column = tokens["token"]
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy().astype(np.int64)
        vocabulary = np.asarray(column.cat.categories, dtype=object)
    else:
        codes, uniques = pd.factorize(column)
        codes = codes.astype(np.int64, copy=False)
        vocabulary = np.asarray(uniques, dtype=object)
    if (codes < 0).any():
        raise ValueError("token_codes: the token column has missing values (see analysis.validation.check_tokens)")
    order = np.argsort(vocabulary, kind="stable")
    if (order != np.arange(len(order))).any():
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        codes, vocabulary = rank[codes], vocabulary[order]
    if used_only:
        used = np.bincount(codes, minlength=len(vocabulary)) > 0
        if not used.all():
            codes, vocabulary = (np.cumsum(used) - 1)[codes], vocabulary[used]
    return codes, vocabulary


def select_documents(tokens: pd.DataFrame, corpus: pd.DataFrame) -> pd.DataFrame:
    """The tokens of the documents of ``corpus``, as :func:`tokenize` of that corpus would give them.

    Segments are cached by the run of documents they cover, so tokenizing a
    subset of a corpus (the texts that are not procedural) cuts it again even
    when the whole corpus was segmented. Tokenizing the whole corpus and
    keeping the subset's rows reads the segments back instead; the table is
    the same, since every document is segmented on its own.

    Parameters
    ----------
    tokens : pandas.DataFrame
        From :func:`tokenize` of a corpus holding every document of ``corpus``.
    corpus : pandas.DataFrame
        The documents wanted (``doc_id``), e.g. ``without_procedural(corpus)``.

    Returns
    -------
    pandas.DataFrame
        The rows of those documents, index reset; a categorical ``token``
        keeps only the words still used; ``attrs["doc_ids"]`` lists the
        corpus's documents.

    Examples
    --------
    >>> from analysis.tokens import tokenize
    >>> corpus = pd.DataFrame({"doc_id": ["a", "b"], "text_clean": ["扎实做好六稳工作。", "落实六保任务。"]})
    >>> select_documents(tokenize(corpus), corpus.iloc[1:])["token"].tolist()
    ['落实', '六保', '任务']
    """
    if not isinstance(corpus, pd.DataFrame) or "doc_id" not in corpus.columns:
        raise ValueError("select_documents: corpus must be a DataFrame with a doc_id column")
    wanted = pd.Index(corpus["doc_id"])
    known = tokens.attrs.get("doc_ids")
    if known is not None:
        unknown = wanted.difference(pd.Index(known))
        if len(unknown):
            raise ValueError(f"select_documents: {len(unknown)} document(s) of corpus were not tokenized, e.g. {list(unknown[:3])}")
    # Each distinct doc_id is looked up once, not every row's.
    rows, documents = pd.factorize(tokens["doc_id"])
    kept = tokens[wanted.get_indexer(documents)[rows] >= 0].reset_index(drop=True)
    column = kept["token"]
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy()
        used = np.bincount(codes, minlength=len(column.cat.categories)) > 0
        kept["token"] = pd.Categorical.from_codes(
            (np.cumsum(used) - 1)[codes].astype(np.int32), categories=column.cat.categories[used]
        )
    kept.attrs = {**tokens.attrs, "doc_ids": tuple(wanted)}
    return kept


def tokens_to_documents(tokens: pd.DataFrame, *, doc_ids=None) -> pd.Series:
    """One list of tokens per document, ready for scikit-learn vectorizers.

    Parameters
    ----------
    tokens : pandas.DataFrame
        As returned by :func:`tokenize` (possibly filtered): ``doc_id`` and
        ``token`` columns, rows in document order.
    doc_ids : sequence, optional
        Which documents, in which order. Defaults to ``tokens.attrs["doc_ids"]``
        (every document of the tokenized corpus, so documents left without
        tokens get an empty list and rows stay aligned with the corpus), else
        the order in which documents first appear.

    Returns
    -------
    pandas.Series
        Lists of str, named ``tokens``, indexed by ``doc_id``.

    Raises
    ------
    ValueError
        ``tokens`` has rows for a document missing from ``doc_ids``.

    Examples
    --------
    >>> from sklearn.feature_extraction.text import CountVectorizer
    >>> from analysis.tokens import tokenize
    >>> documents = tokens_to_documents(tokenize("稳就业、稳金融。稳就业！"))
    >>> documents.tolist()
    [['稳就业', '稳金融', '稳就业']]
    >>> vectorizer = CountVectorizer(analyzer=lambda tokens: tokens)
    >>> vectorizer.fit_transform(documents).toarray().tolist(), list(vectorizer.get_feature_names_out())
    ([[2, 1]], ['稳就业', '稳金融'])
    """
    missing = [column for column in ("doc_id", "token") if column not in tokens.columns]
    if missing:
        raise ValueError(f"tokens lacks column(s) {missing}; expected the output of analysis.tokens.tokenize")
    if doc_ids is None:
        doc_ids = tokens.attrs.get("doc_ids")
    if doc_ids is None:
        doc_ids = pd.unique(tokens["doc_id"])
    index = pd.Index(list(doc_ids), name="doc_id")
    if index.has_duplicates:
        raise ValueError(f"doc_ids has duplicates {index[index.duplicated()].unique().tolist()[:10]}")
    lists: dict = {doc_id: [] for doc_id in index}
    for doc_id, token in zip(tokens["doc_id"].tolist(), tokens["token"].tolist()):
        try:
            lists[doc_id].append(token)
        except KeyError:
            raise ValueError(f"tokens has rows for doc_id {doc_id!r}, which is not in doc_ids") from None
    return pd.Series(list(lists.values()), index=index, name="tokens", dtype=object)
