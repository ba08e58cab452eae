"""Assembly of the token table from segments: each distinct token classified once (kept, dropped, space,
line break, terminator), paragraph and sentence ids, offsets, the token column."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..cache import Segments

_TERMINATORS = frozenset("。！？；!?;｡")
# Closing quotes and brackets right after a terminator still belong to the
# sentence it ends (…工作。” is one sentence, not two).
_CLOSERS = frozenset("”’」』）)】》〉]}\"'")
_LINE_BREAKS = frozenset(["\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"])

# Financial numerals 陆 伍 拾 are left out: as single tokens they are far more
# often the words "land", "team" and "pick up" than numbers.
_CJK_NUMERALS = frozenset("〇零一二两三四五六七八九十百千万亿壹贰叁肆柒捌玖佰仟廿卅")
_NUMBER_JOINERS = frozenset(".,，．:：/%％‰+-−")

# Each distinct token string is classified once per tokenize() call into
# code = 8 * (vocabulary id + 1) + kind, where id -1 means "dropped".
_ORDINARY = 0
_SPACE = 1
_LINE_BREAK = 2
_TERMINATOR = 3
_CLOSER = 4
_KIND_BITS = 3


def _is_cjk_ideograph(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or char >= "\U00020000"


# A year spelled digit by digit: 一九五八年, 二〇二〇, 五八年 (not 一年 or 百年, which are words).
_SPELLED_YEAR = re.compile("[〇零一二三四五六七八九]{2,4}年?")


def _is_number(token: str) -> bool:
    """1955, 3.5%, １９５５, ①, 二十, 第十三, 百分之二十, 一九五八年; 十四五 is spared earlier, as a dictionary word."""
    if _SPELLED_YEAR.fullmatch(token):
        return True
    body = token
    for prefix in ("第", "百分之", "负"):
        if len(body) > len(prefix) and body.startswith(prefix):
            body = body[len(prefix) :]
            break
    has_numeral = False
    for char in body:
        if char in _CJK_NUMERALS or (char.isnumeric() and not _is_cjk_ideograph(char)):
            has_numeral = True
        elif char not in _NUMBER_JOINERS:
            return False
    return has_numeral


def _is_punct_or_letter(token: str) -> bool:
    if len(token) == 1 and ("A" <= token <= "Z" or "a" <= token <= "z" or "Ａ" <= token <= "Ｚ" or "ａ" <= token <= "ｚ"):
        return True
    return not any(char.isalnum() for char in token)


class Vocabulary(dict):
    """Maps each distinct token string to its code, classifying it on first sight.

    A dict subclass so that looking codes up runs at C speed through
    ``map(vocabulary.__getitem__, tokens)``; only unseen strings reach Python.

    Examples
    --------
    >>> vocabulary = Vocabulary(stopwords=frozenset({"的"}), protected=frozenset(), drop_punct=True, drop_numbers=True)
    >>> codes = vocabulary.encode(["六稳", "的", "六稳", "。"])
    >>> vocabulary.words, [int(code) >> 3 for code in codes]
    (['六稳'], [1, 0, 1, 0])
    """

    def __init__(self, *, stopwords: frozenset[str], protected: frozenset[str], drop_punct: bool, drop_numbers: bool):
        super().__init__()
        self.stopwords = stopwords
        self.protected = protected
        self.drop_punct = drop_punct
        self.drop_numbers = drop_numbers
        self.words: list[str] = []

    def _kept(self, token: str) -> bool:
        if token in self.stopwords:
            return False
        if token in self.protected:
            return True
        if self.drop_punct and _is_punct_or_letter(token):
            return False
        return not (self.drop_numbers and _is_number(token))

    def __missing__(self, token: str) -> int:
        if token.isspace():
            code = _LINE_BREAK if token in _LINE_BREAKS else _SPACE
        else:
            code = _TERMINATOR if token in _TERMINATORS else _CLOSER if token in _CLOSERS else _ORDINARY
            if self._kept(token):
                self.words.append(token)
                code |= len(self.words) << _KIND_BITS
        self[token] = code
        return code

    def encode(self, tokens: list[str]) -> np.ndarray:
        return np.fromiter(map(self.__getitem__, tokens), dtype=np.int64, count=len(tokens))


def _number_within_documents(opens: np.ndarray, doc_of_token: np.ndarray, n_docs: int) -> np.ndarray:
    """Running count of ``opens`` from 0 within each document (tokens grouped by document)."""
    running = np.cumsum(opens) - 1
    per_document = np.bincount(doc_of_token, weights=opens, minlength=n_docs).astype(np.int64)
    before_document = np.concatenate(([0], np.cumsum(per_document)[:-1]))
    return running - before_document[doc_of_token]


def _sentence_and_paragraph_ids(kinds: np.ndarray, doc_of_token: np.ndarray, first_token: np.ndarray, n_docs: int):
    """Paragraph and sentence ids of the visible (non-space) tokens.

    A paragraph opens at the first visible token after a line break or the
    start of a document. A sentence opens there too, and at the first ordinary
    token after a terminator: terminators and closing quotes that follow one
    stay in the sentence it ends.
    """
    visible = (kinds != _SPACE) & (kinds != _LINE_BREAK)
    # Line breaks and document starts seen up to each token.
    breaks = np.cumsum((kinds == _LINE_BREAK) | first_token)
    visible_index = np.flatnonzero(visible)
    visible_kinds = kinds[visible_index]
    visible_breaks = breaks[visible_index]
    opens_paragraph = np.diff(visible_breaks, prepend=0) > 0

    # A visible token "resets" the sentence state when it opens a paragraph
    # or is ordinary; an ordinary token opens a sentence when a terminator
    # came after the last reset before it.
    resets = opens_paragraph | (visible_kinds == _ORDINARY)
    positions = np.arange(len(visible_index))
    last_reset = np.maximum.accumulate(np.where(resets, positions, -1))
    previous_reset = np.concatenate(([0], last_reset[:-1]))
    terminators_before = np.concatenate(([0], np.cumsum(visible_kinds == _TERMINATOR)))
    terminators_since_reset = terminators_before[positions] - terminators_before[previous_reset]
    opens_sentence = opens_paragraph | ((visible_kinds == _ORDINARY) & (terminators_since_reset > 0))

    visible_docs = doc_of_token[visible_index]
    return (
        visible,
        _number_within_documents(opens_paragraph, visible_docs, n_docs),
        _number_within_documents(opens_sentence, visible_docs, n_docs),
    )


# Tokens assembled at once: the vectorised assembly holds a dozen temporaries a token, so a
# large corpus is assembled in blocks of whole documents and only the compact result grows.
_ASSEMBLY_BLOCK_TOKENS = 200_000


def document_blocks(token_ends: np.ndarray) -> list[tuple[int, int]]:
    """Ranges of whole documents holding about ``_ASSEMBLY_BLOCK_TOKENS`` tokens each.

    ``token_ends`` is the running count of tokens at the end of each document.

    Examples
    --------
    >>> document_blocks(np.array([3, 5, 9]))
    [(0, 3)]
    """
    n_docs = len(token_ends)
    if n_docs == 0:
        return [(0, 0)]
    bounds = np.searchsorted(token_ends, np.arange(_ASSEMBLY_BLOCK_TOKENS, token_ends[-1], _ASSEMBLY_BLOCK_TOKENS), side="right")
    edges = sorted({0, n_docs, *(int(bound) for bound in bounds)})
    return [(low, high) for low, high in zip(edges[:-1], edges[1:]) if high > low]


def assemble_part(part: Segments, text_lengths: np.ndarray, word_table: tuple, *, first_document: int,
                   doc_ids: pd.Index, backend: str, pos: bool) -> tuple:
    """The kept tokens of a block of documents: document index, paragraph and sentence ids, vocabulary id,
    offsets (int32). ``word_table`` is the block's words' codes and lengths.

    Examples
    --------
    >>> from analysis.cache import Segments
    >>> part = Segments(words=["六稳", "。"], word_ids=np.array([0, 1], dtype=np.int32), counts=np.array([2]))
    >>> vocabulary = Vocabulary(stopwords=frozenset(), protected=frozenset(), drop_punct=True, drop_numbers=True)
    >>> columns = assemble_part(part, np.array([3]), (vocabulary.encode(part.words), np.array([2, 1])),
    ...                         first_document=0, doc_ids=pd.Index(["a"]), backend="jieba", pos=False)
    >>> [column.tolist() for column in columns[:6]]
    [[0], [0], [0], [0], [0], [2]]
    """
    word_codes, word_lengths = word_table
    codes = word_codes[part.word_ids]
    lengths = word_lengths[part.word_ids]
    counts = np.asarray(part.counts, dtype=np.int64)
    n_docs = len(text_lengths)
    doc_of_token = np.repeat(np.arange(n_docs, dtype=np.int32), counts)
    covered = np.bincount(doc_of_token, weights=lengths, minlength=n_docs).astype(np.int64)
    if not np.array_equal(covered, text_lengths):
        # Offsets are only right if the tokens spell each text exactly.
        bad = int(np.flatnonzero(covered != text_lengths)[0])
        raise RuntimeError(
            f"doc_id {doc_ids[first_document + bad]!r}: {backend}'s tokens cover {covered[bad]} "
            f"of {text_lengths[bad]} characters"
        )
    doc_starts = np.concatenate(([0], np.cumsum(text_lengths)[:-1]))
    starts = np.cumsum(lengths) - lengths - doc_starts[doc_of_token]
    kinds = codes & ((1 << _KIND_BITS) - 1)
    first_token = np.zeros(len(codes), dtype=bool)
    first_token[(np.cumsum(counts) - counts)[counts > 0]] = True
    visible, para_ids, sent_ids = _sentence_and_paragraph_ids(kinds, doc_of_token, first_token, n_docs)
    kept = (codes[visible] >> _KIND_BITS) > 0
    kept_index = np.flatnonzero(visible)[kept]
    kept_starts = starts[kept_index]
    tags = np.asarray(part.tags, dtype=object)[part.tag_ids[kept_index]] if pos else None
    return (
        (doc_of_token[kept_index] + first_document).astype(np.int32),
        para_ids[kept].astype(np.int32),
        sent_ids[kept].astype(np.int32),
        ((codes[kept_index] >> _KIND_BITS) - 1).astype(np.int32),
        kept_starts.astype(np.int32),
        (kept_starts + lengths[kept_index]).astype(np.int32),
        tags,
    )


def token_column(words: list[str], ids: np.ndarray) -> pd.Categorical:
    """Tokens as integer codes into their vocabulary, the vocabulary in code-point order.

    A categorical costs four bytes a token instead of a string each; with the
    categories sorted, sorting by token still sorts by the text.

    Examples
    --------
    >>> column = token_column(["稳", "六"], np.array([0, 1, 0]))
    >>> list(column), list(column.categories)
    (['稳', '六', '稳'], ['六', '稳'])
    """
    if not words:
        return pd.Categorical([], categories=pd.Index([], dtype="str"))
    words = np.asarray(words, dtype=object)
    # Only the words some token uses become categories (a word seen only among dropped tokens of a
    # block is not one); counting them is far cheaper than remove_unused_categories' unique().
    used = np.bincount(ids, minlength=len(words)) > 0
    order = np.argsort(words, kind="stable")
    order = order[used[order]]
    rank = np.full(len(words), -1, dtype=np.int32)
    rank[order] = np.arange(len(order), dtype=np.int32)
    return pd.Categorical.from_codes(rank[ids], categories=pd.Index(words[order], dtype="str"))
