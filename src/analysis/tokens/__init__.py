"""Word segmentation of cleaned text with a policy-aware ``jieba.Tokenizer``.

jieba's stock dictionary cuts slogans apart (控保稳进抬扛 becomes 控保 / 稳进 /
抬 / 扛, 疫情防控 becomes 疫情 / 防控), which would make every count and topic
downstream miss them. This module builds a private ``jieba.Tokenizer`` that
also knows every surface form of the slogan lexicon (``data/lexicon``), the
policy vocabulary of ``data/dictionaries/policy_terms.txt`` and any user
dictionary, and turns a corpus into a tidy token table whose offsets index
``text_clean``.

The process-wide ``jieba.dt`` is never used or modified, so other code in the
same process that calls ``jieba.cut`` keeps the stock behaviour.

Segmentation dominates the cost of a large corpus, so :func:`tokenize` can
reuse earlier segmentations (``cache=``, see :mod:`analysis.cache`), cut in
worker processes (``n_jobs=``), use jieba-rs with the same dictionary
(``backend="rjieba"``) or run on a Dask cluster (``engine="dask"``); the
table is the same whichever is used. :func:`count_terms` reduces a corpus to
sparse term counts on either engine.

The subpackage has one module per object or stage:
:mod:`~analysis.tokens.tokenizer` (the dictionaries, :class:`PolicyTokenizer`,
:func:`make_tokenizer`, :func:`get_tokenizer`),
:mod:`~analysis.tokens.stopwords`, :mod:`~analysis.tokens.segmenter` (the
jieba and jieba-rs backends, worker processes, Dask and the segment cache),
:mod:`~analysis.tokens.assembly` (the token table built from segments),
:mod:`~analysis.tokens.corpus` (:func:`tokenize`, :func:`cache_segments`) and
:mod:`~analysis.tokens.table` (helpers on a token table:
:func:`content_tokens`, :func:`in_document_order`, :func:`token_codes`, :func:`select_documents`,
:func:`tokens_to_documents`). Every public name is importable from
``analysis.tokens`` itself.
"""

from __future__ import annotations

from .tokenizer import (  # noqa: F401
    BUILD_SCHEME,
    JIEBA_CACHE_DIR,
    LEXICON_POS_TAG,
    PERSON_NAMES_PATH,
    POLICY_TERMS_PATH,
    DictionaryError,
    PolicyTokenizer,
    dictionary_fingerprint,
    get_tokenizer,
    make_tokenizer,
)
from .stopwords import (  # noqa: F401
    BOILERPLATE_STOPWORDS_PATH,
    EXTRA_GENERAL_STOPWORDS_PATH,
    load_stopwords,
)
from .corpus import (  # noqa: F401
    COLUMNS,
    cache_segments,
    corpus_texts,
    tokenize,
)
from .table import (  # noqa: F401
    MIN_CONTENT_CHARS,
    NAME_TAGS,
    content_tokens,
    document_order,
    in_document_order,
    person_names,
    select_documents,
    token_codes,
    tokens_to_documents,
)

__all__ = [
    "BOILERPLATE_STOPWORDS_PATH",
    "BUILD_SCHEME",
    "COLUMNS",
    "DictionaryError",
    "EXTRA_GENERAL_STOPWORDS_PATH",
    "JIEBA_CACHE_DIR",
    "LEXICON_POS_TAG",
    "MIN_CONTENT_CHARS",
    "NAME_TAGS",
    "PERSON_NAMES_PATH",
    "POLICY_TERMS_PATH",
    "PolicyTokenizer",
    "cache_segments",
    "content_tokens",
    "corpus_texts",
    "dictionary_fingerprint",
    "document_order",
    "get_tokenizer",
    "in_document_order",
    "load_stopwords",
    "make_tokenizer",
    "person_names",
    "select_documents",
    "token_codes",
    "tokenize",
    "tokens_to_documents",
]
