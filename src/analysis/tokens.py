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
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import hashlib
import logging
import os
import re
import threading
import warnings
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import jieba
import numpy as np
import pandas as pd

from . import cache as cache_module
from . import config
from . import lexicon as lexicon_module
from .cache import Segments, concat_segments
from .lexicon import load_lexicon, surface_forms
from .options import SegmentOptions, dask_client
from .validation import InputError

POLICY_TERMS_PATH = config.DICTIONARY_DIR / "policy_terms.txt"
PERSON_NAMES_PATH = config.DICTIONARY_DIR / "person_names.txt"
BOILERPLATE_STOPWORDS_PATH = config.STOPWORDS_DIR / "policy_boilerplate.txt"
EXTRA_GENERAL_STOPWORDS_PATH = config.STOPWORDS_DIR / "extra_general.txt"
JIEBA_CACHE_DIR = config.CACHE_DIR / "jieba"

COLUMNS = ["doc_id", "para_id", "sent_id", "token", "start", "end"]

# Part of every fingerprint: bump it whenever the way dictionaries become a
# tokenizer changes, so caches keyed on the fingerprint are invalidated.
BUILD_SCHEME = "1"

# Tag given to lexicon forms that jieba's POS table does not know: ``nz`` is
# jieba's tag for "other proper noun", the closest class for a named slogan.
LEXICON_POS_TAG = "nz"

_MAX_CACHED_TOKENIZERS = 8

# jieba only ever joins characters of this class into one word; a dictionary
# word with anything else in it (、, spaces, quotes) can never come out whole.
_JIEBA_WORD = jieba.re_han_default

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


class DictionaryError(ValueError):
    """A dictionary or word-list file is malformed; the message names the file and line."""


# ---------------------------------------------------------------------------
# Dictionaries and the tokenizer
# ---------------------------------------------------------------------------


@dataclass
class _DictionarySources:
    """Everything a tokenizer is built from, read once and hashed once."""

    lexicon_forms: list[str]
    # (word, frequency or None, tag or None) in file order, policy terms first.
    entries: list[tuple[str, int | None, str | None]]
    hmm: bool
    digest_parts: list[bytes] = field(default_factory=list)

    def fingerprint(self) -> str:
        digest = hashlib.sha256()
        for part in self.digest_parts:
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
        return digest.hexdigest()


class PolicyTokenizer(jieba.Tokenizer):
    """A ``jieba.Tokenizer`` that remembers what it was built from.

    Built by :func:`make_tokenizer`; use it as any ``jieba.Tokenizer``
    (``cut``, ``lcut``) or pass it to :func:`tokenize`.

    Attributes
    ----------
    hmm : bool
        Whether :func:`tokenize` lets jieba's HMM guess unknown words.
    fingerprint : str
        :func:`dictionary_fingerprint` of the dictionaries it holds.
    lexicon_forms : frozenset of str
        Every lexicon surface form, single characters included, and the parts
        of punctuated forms; these are never stopwords.
    dictionary_words : frozenset of str
        The words added on top of jieba's dictionary; they are never dropped
        as punctuation or numbers (十四五 is a plan, not a number).
    skipped_forms : tuple of str
        Lexicon forms with characters jieba never joins into a word
        (``大众创业、万众创新``): they cannot be single tokens, so their parts
        of two or more characters (大众创业, 万众创新) are added instead and
        the whole form is left to string matching in ``analysis.slogans``.
    """

    def __init__(self, *, hmm: bool = True):
        super().__init__()
        self.hmm = hmm
        self.fingerprint = ""
        self.lexicon_forms: frozenset[str] = frozenset()
        self.dictionary_words: frozenset[str] = frozenset()
        self.skipped_forms: tuple[str, ...] = ()
        # Kept here rather than in jieba's user_word_tag_tab, which
        # jieba.posseg empties the first time a POSTokenizer reads it.
        self.word_tags: dict[str, str] = {}
        self.default_tags: dict[str, str] = {}
        self._pos_tokenizer = None
        self._pos_lock = threading.Lock()
        self._sources: _DictionarySources | None = None

    def __reduce__(self):
        # jieba.Tokenizer holds a lock and cannot be pickled; worker processes
        # (spawn, Dask) rebuild the tokenizer from the same sources instead,
        # once per process thanks to the memo of get_tokenizer.
        if self._sources is None:
            raise TypeError("this PolicyTokenizer was not built by make_tokenizer and cannot be sent to another process")
        return (_tokenizer_from_sources, (self._sources,))

    def __repr__(self) -> str:
        return f"<PolicyTokenizer fingerprint={self.fingerprint[:12]} hmm={self.hmm}>"


_SHIPPED_FORMS_CACHE: dict[str, list[str]] = {}


def _lexicon_forms(lexicon: pd.DataFrame | None) -> list[str]:
    """Surface forms of ``lexicon``, or of the shipped lexicon file.

    Parsing the YAML file costs a quarter of a second, too much for every
    get_tokenizer() call; the shipped file's forms are kept per content hash,
    so an edited file is read again.
    """
    if lexicon is not None:
        return surface_forms(lexicon)
    key = hashlib.sha256(lexicon_module.LEXICON_PATH.read_bytes()).hexdigest()
    forms = _SHIPPED_FORMS_CACHE.get(key)
    if forms is None:
        forms = _SHIPPED_FORMS_CACHE[key] = surface_forms(load_lexicon())
    return list(forms)


def _word_parts(form: str) -> list[str]:
    """The parts of a form that can be dictionary words.

    jieba cuts text at punctuation before looking words up, so a punctuated
    form (大众创业、万众创新) can only ever come out as its parts; each part of
    two or more characters is then a word. Single characters (the components
    控, 保, ...) are never words: they would break 确保 or 保障 apart.
    """
    return [part for part in _JIEBA_WORD.findall(form) if len(part) >= 2]


def _protected_forms(forms: Iterable[str]) -> frozenset[str]:
    """Lexicon forms and the word parts of punctuated ones: never stopwords."""
    forms = list(forms)
    return frozenset(forms).union(*(_word_parts(form) for form in forms))


def _as_path_tuple(user_dicts) -> tuple[Path, ...]:
    if isinstance(user_dicts, (str, os.PathLike)):
        user_dicts = (user_dicts,)
    return tuple(config.resolve_path(path) for path in user_dicts)


def _read_user_dictionary(path: Path) -> tuple[bytes, list[tuple[str, int | None, str | None]]]:
    """Parse a jieba user dictionary that may contain ``#`` comment lines."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise FileNotFoundError(f"user dictionary {path} does not exist") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DictionaryError(f"{path}: not UTF-8 ({error})") from error
    entries = []
    for lineno, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split()
        tag = frequency = None
        if len(fields) > 1 and fields[-1].isascii() and fields[-1].isalpha() and fields[-1].islower():
            tag = fields.pop()
        if len(fields) > 1 and fields[-1].isascii() and fields[-1].isdigit():
            frequency = int(fields.pop())
        where = f"{path}, line {lineno}"
        if len(fields) != 1:
            raise DictionaryError(f"{where}: expected 'word [frequency] [tag]', got {line!r}")
        word = fields[0]
        if frequency == 0:
            # jieba implements frequency 0 with process-wide state
            # (finalseg.add_force_split) that would leak into jieba.dt.
            raise DictionaryError(f"{where}: frequency 0 (deleting '{word}') is not supported")
        if not _JIEBA_WORD.fullmatch(word):
            raise DictionaryError(
                f"{where}: '{word}' contains characters jieba never joins into one word "
                "(only CJK, Latin letters, digits and + # & . _ % -)"
            )
        entries.append((word, frequency, tag))
    return raw, entries


def _collect_sources(lexicon: pd.DataFrame | None, user_dicts, hmm: bool) -> _DictionarySources:
    forms = _lexicon_forms(lexicon)
    parts = [
        f"scheme={BUILD_SCHEME};jieba={jieba.__version__};hmm={bool(hmm)}".encode(),
        "\n".join(forms).encode("utf-8"),
    ]
    entries = []
    for path in (POLICY_TERMS_PATH, PERSON_NAMES_PATH, *_as_path_tuple(user_dicts)):
        raw, file_entries = _read_user_dictionary(path)
        # Content, not the path: moving a file must not invalidate caches.
        parts.append(raw)
        entries.extend(file_entries)
    return _DictionarySources(lexicon_forms=forms, entries=entries, hmm=bool(hmm), digest_parts=parts)


def dictionary_fingerprint(*, lexicon: pd.DataFrame | None = None, user_dicts=(), hmm: bool = True) -> str:
    """Hash of everything that decides how text is segmented.

    Covers the lexicon's surface forms (so a filtered or extended lexicon gets
    its own fingerprint), the content of ``policy_terms.txt`` and of every user
    dictionary, the ``hmm`` setting, the jieba version and this module's build
    scheme. Use it as (part of) a cache key for anything derived from tokens.

    Parameters
    ----------
    lexicon : pandas.DataFrame, optional
        As returned by :func:`analysis.lexicon.load_lexicon`; defaults to the
        shipped lexicon.
    user_dicts : sequence of path-like, optional
        Extra jieba user dictionaries (``word [frequency] [tag]`` per line,
        ``#`` comments allowed); relative paths start at the project root.
    hmm : bool, default True
        Whether jieba's HMM guesses words missing from the dictionaries.

    Returns
    -------
    str
        64 hexadecimal characters (SHA-256).

    Examples
    --------
    >>> fingerprint = dictionary_fingerprint()
    >>> len(fingerprint), fingerprint == dictionary_fingerprint(hmm=False)
    (64, False)
    """
    return _collect_sources(lexicon, user_dicts, hmm).fingerprint()


def _initialise_stock_dictionary(tokenizer: jieba.Tokenizer) -> None:
    try:
        JIEBA_CACHE_DIR.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass  # jieba then caches in the system temp dir; only start-up gets slower
    else:
        tokenizer.tmp_dir = str(JIEBA_CACHE_DIR)
    # jieba reuses the cache of its own dictionary without checking it against
    # the installed version, so the version goes into the name.
    tokenizer.cache_file = f"jieba-{jieba.__version__}.cache"
    with _quiet_jieba():
        tokenizer.initialize()


@contextlib.contextmanager
def _quiet_jieba():
    """Keep jieba's start-up lines ("Building prefix dict ...") off stderr unless asked for.

    jieba logs them at DEBUG through a handler of its own, whatever the
    application configured. They are let through when the ``analysis`` logger
    is enabled for DEBUG (``logging.getLogger("analysis").setLevel(logging.DEBUG)``).
    """
    jieba_logger = jieba.default_logger
    if logging.getLogger("analysis").isEnabledFor(logging.DEBUG):
        yield
        return
    previous = jieba_logger.level
    jieba_logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        jieba_logger.setLevel(previous)


def _comes_out_whole(tokenizer: jieba.Tokenizer, word: str) -> bool:
    return tokenizer.lcut(word, HMM=False) == [word]


def _build(sources: _DictionarySources) -> PolicyTokenizer:
    tokenizer = PolicyTokenizer(hmm=sources.hmm)
    _initialise_stock_dictionary(tokenizer)

    frequencies: dict[str, int | None] = {}
    explicit_tags: dict[str, str] = {}
    skipped = []
    for form in sources.lexicon_forms:
        if not _JIEBA_WORD.fullmatch(form):
            skipped.append(form)
        for word in _word_parts(form):
            frequencies.setdefault(word, None)
    for word, frequency, tag in sources.entries:
        frequencies.setdefault(word, None)
        if frequency is not None:
            frequencies[word] = frequency
        if tag:
            explicit_tags[word] = tag

    automatic = []
    for word, frequency in frequencies.items():
        if frequency is not None:
            tokenizer.add_word(word, frequency)
            continue
        automatic.append(word)
        if not (tokenizer.FREQ.get(word) and _comes_out_whole(tokenizer, word)):
            # The smallest frequency that makes the word beat its own split:
            # a larger one would let it swallow characters of its neighbours
            # (保就业 inside 确保就业).
            tokenizer.suggest_freq(word, tune=True)
    # A word added later can make an earlier one lose again (a shorter form
    # inside a longer one); re-tune until every word comes out whole.
    for _ in range(5):
        losing = [word for word in automatic if not _comes_out_whole(tokenizer, word)]
        if not losing:
            break
        for word in losing:
            tokenizer.suggest_freq(word, tune=True)
    else:
        raise RuntimeError(f"could not make jieba keep these words whole: {losing}")

    tokenizer.fingerprint = sources.fingerprint()
    tokenizer.lexicon_forms = _protected_forms(sources.lexicon_forms)
    tokenizer.dictionary_words = frozenset(frequencies)
    tokenizer.skipped_forms = tuple(skipped)
    tokenizer.word_tags = explicit_tags
    tokenizer.default_tags = {word: LEXICON_POS_TAG for word in frequencies if word not in explicit_tags}
    tokenizer._sources = sources
    return tokenizer


def make_tokenizer(*, lexicon: pd.DataFrame | None = None, user_dicts=(), hmm: bool = True) -> PolicyTokenizer:
    """Build a fresh jieba tokenizer that keeps slogans and policy terms whole.

    Starts from jieba's stock dictionary (its cache lives in
    ``data/cache/jieba/``) and adds every lexicon surface form of two or more
    characters (canonical forms, aliases, components, component aliases; the
    parts of a punctuated form such as 大众创业、万众创新), the words of
    ``data/dictionaries/policy_terms.txt`` and of ``user_dicts``.
    A word without a frequency gets the smallest one that makes it come out as
    one token; a word with a frequency keeps it. Costs about a second: prefer
    :func:`get_tokenizer`, which reuses instances.

    Parameters
    ----------
    lexicon : pandas.DataFrame, optional
        As returned by :func:`analysis.lexicon.load_lexicon`, possibly filtered
        or extended; defaults to the shipped lexicon.
    user_dicts : sequence of path-like, optional
        Extra jieba user dictionaries (``word [frequency] [tag]`` per line,
        ``#`` comments allowed), applied after ``policy_terms.txt``.
    hmm : bool, default True
        Whether :func:`tokenize` lets jieba's HMM guess words missing from the
        dictionaries (names, new coinages).

    Returns
    -------
    PolicyTokenizer
        A ``jieba.Tokenizer`` subclass; the global ``jieba.dt`` is untouched.

    Raises
    ------
    DictionaryError
        A dictionary line is malformed; the message names the file and line.
    FileNotFoundError
        A user dictionary does not exist.

    Examples
    --------
    >>> tokenizer = make_tokenizer()
    >>> tokenizer.lcut("落实好控保稳进抬扛六字方针")
    ['落实', '好', '控保稳进抬扛', '六字', '方针']
    """
    return _build(_collect_sources(lexicon, user_dicts, hmm))


_TOKENIZER_CACHE: OrderedDict[str, PolicyTokenizer] = OrderedDict()
_TOKENIZER_CACHE_LOCK = threading.Lock()


def get_tokenizer(*, lexicon: pd.DataFrame | None = None, user_dicts=(), hmm: bool = True) -> PolicyTokenizer:
    """Return a shared tokenizer for these dictionaries, building it once.

    Instances are memoised by :func:`dictionary_fingerprint`, i.e. by the
    content of the lexicon and dictionary files, so editing a file gives a new
    tokenizer while repeated calls in notebooks and tests cost a few
    milliseconds. The returned tokenizer is shared: do not mutate it
    (``add_word``, ``del_word``, ``load_userdict``, ``suggest_freq(...,
    tune=True)``); build your own with :func:`make_tokenizer` or pass
    ``user_dicts`` instead.

    Parameters
    ----------
    lexicon, user_dicts, hmm
        As for :func:`make_tokenizer`.

    Returns
    -------
    PolicyTokenizer

    Examples
    --------
    >>> get_tokenizer() is get_tokenizer()
    True
    >>> get_tokenizer().lcut("扎实做好六稳工作")
    ['扎实', '做好', '六稳', '工作']
    """
    return _tokenizer_from_sources(_collect_sources(lexicon, user_dicts, hmm))


def _tokenizer_from_sources(sources: _DictionarySources) -> PolicyTokenizer:
    key = sources.fingerprint()
    with _TOKENIZER_CACHE_LOCK:
        cached = _TOKENIZER_CACHE.get(key)
        if cached is not None:
            _TOKENIZER_CACHE.move_to_end(key)
            return cached
    tokenizer = _build(sources)
    with _TOKENIZER_CACHE_LOCK:
        tokenizer = _TOKENIZER_CACHE.setdefault(key, tokenizer)
        _TOKENIZER_CACHE.move_to_end(key)
        while len(_TOKENIZER_CACHE) > _MAX_CACHED_TOKENIZERS:
            _TOKENIZER_CACHE.popitem(last=False)
    return tokenizer


def _pos_tokenizer(tokenizer: jieba.Tokenizer):
    import jieba.posseg

    if not isinstance(tokenizer, PolicyTokenizer):
        return jieba.posseg.POSTokenizer(tokenizer)
    # Reading jieba's POS table takes about half a second: keep one per tokenizer.
    with tokenizer._pos_lock:
        if tokenizer._pos_tokenizer is None:
            pos_tokenizer = jieba.posseg.POSTokenizer(tokenizer)
            for word, tag in tokenizer.default_tags.items():
                pos_tokenizer.word_tag_tab.setdefault(word, tag)
            pos_tokenizer.word_tag_tab.update(tokenizer.word_tags)
            tokenizer._pos_tokenizer = pos_tokenizer
        return tokenizer._pos_tokenizer


# ---------------------------------------------------------------------------
# Stopwords
# ---------------------------------------------------------------------------

_WORD_LIST_CACHE: dict[tuple[str, int, int], frozenset[str]] = {}


def _read_word_list(path: Path) -> frozenset[str]:
    """One word per line, ``#`` comments; cached on the file's size and mtime."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise FileNotFoundError(f"word list {path} does not exist") from None
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    cached = _WORD_LIST_CACHE.get(key)
    if cached is not None:
        return cached
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DictionaryError(f"{path}: not UTF-8 ({error})") from error
    words = set()
    for lineno, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if len(line.split()) != 1:
            raise DictionaryError(f"{path}, line {lineno}: expected one word, got {line!r}")
        words.add(line)
    result = frozenset(words)
    _WORD_LIST_CACHE[key] = result
    return result


def _base_stopwords(*, general: bool, boilerplate: bool) -> frozenset[str]:
    words: set[str] = set()
    if general:
        import stopwordsiso

        words |= stopwordsiso.stopwords("zh")
        words |= _read_word_list(EXTRA_GENERAL_STOPWORDS_PATH)
    if boilerplate:
        words |= _read_word_list(BOILERPLATE_STOPWORDS_PATH)
    return frozenset(words)


def _check_words(words, *, name: str) -> list[str]:
    if isinstance(words, (str, bytes)):
        raise TypeError(f"{name} must be an iterable of words, not a single string: {words!r}")
    checked = []
    for word in words:
        if not isinstance(word, str) or not word or word != word.strip():
            raise ValueError(f"{name}: every stopword must be a non-empty str without surrounding space, got {word!r}")
        checked.append(word)
    return checked


def load_stopwords(
    *,
    general: bool = True,
    boilerplate: bool = False,
    extra: Iterable[str] = (),
    lexicon: pd.DataFrame | None = None,
) -> frozenset[str]:
    """Stopwords for Chinese policy text, never containing a slogan form.

    Parameters
    ----------
    general : bool, default True
        The general Chinese list of the maintained ``stopwords-iso`` project
        (``stopwordsiso.stopwords("zh")``, function words such as 的 了 和 是)
        plus ``data/stopwords/extra_general.txt`` (modal verbs and time words
        it lacks, such as 必须 已经 今年).
    boilerplate : bool, default False
        Add ``data/stopwords/policy_boilerplate.txt``: policy-speak that fills
        every sentence whatever the topic (进一步 加强 坚持 推进 全面 工作 …)
        and the CCTV lead-in (央视网消息, 新闻联播).
    extra : iterable of str, optional
        More words to add.
    lexicon : pandas.DataFrame, optional
        Its surface forms (canonical forms, aliases, components, component
        aliases, single characters included, and the parts of punctuated
        forms) are removed from the result, so
        稳中求进 or 稳 survive whatever the lists say; defaults to the shipped
        lexicon.

    Returns
    -------
    frozenset of str

    Examples
    --------
    >>> words = load_stopwords(boilerplate=True, extra=["同比"])
    >>> "的" in words, "进一步" in words, "同比" in words, "稳中求进" in words
    (True, True, True, False)
    >>> "进一步" in load_stopwords()
    False
    """
    extra_words = _check_words(extra, name="extra")
    words = _base_stopwords(general=general, boilerplate=boilerplate) | frozenset(extra_words)
    return frozenset(words - _protected_forms(_lexicon_forms(lexicon)))


def _stopwords_fingerprint(words: frozenset[str] | None) -> str | None:
    if words is None:
        return None
    return hashlib.sha256("\n".join(sorted(words)).encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------
# Tokenizing a corpus
# ---------------------------------------------------------------------------


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


class _Vocabulary(dict):
    """Maps each distinct token string to its code, classifying it on first sight.

    A dict subclass so that looking codes up runs at C speed through
    ``map(vocabulary.__getitem__, tokens)``; only unseen strings reach Python.
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


def _resolve_stopwords(stopwords, *, boilerplate: bool, tokenizer: jieba.Tokenizer) -> tuple[frozenset[str] | None, str]:
    if isinstance(stopwords, str):
        if stopwords != "default":
            raise ValueError(f"stopwords must be 'default', None or an iterable of words, got {stopwords!r}")
        base = _base_stopwords(general=True, boilerplate=boilerplate)
        lexicon_forms = getattr(tokenizer, "lexicon_forms", None)
        if lexicon_forms is None:
            lexicon_forms = _protected_forms(_lexicon_forms(None))
        return base - lexicon_forms, "default"
    if boilerplate:
        raise ValueError(
            "boilerplate=True applies to stopwords='default' only; for a custom set pass "
            "stopwords=load_stopwords(boilerplate=True, ...)"
        )
    if stopwords is None:
        return None, "none"
    return frozenset(_check_words(stopwords, name="stopwords")), "custom"


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


# ---------------------------------------------------------------------------
# Segmentation: backends, worker processes, Dask and the cache
# ---------------------------------------------------------------------------


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


class _Segmenter:
    """Cuts texts into :class:`analysis.cache.Segments`; picklable for worker processes.

    The tokens spell each text exactly, whitespace included: filtering
    happens afterwards, in the parent, so cached and fresh segments agree.
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
            cut = _pos_tokenizer(self.tokenizer).cut
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
            split_runs = _JIEBA_WORD.split
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
_worker_segmenter: _Segmenter | None = None


def _install_worker_segmenter(segmenter: _Segmenter) -> None:
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


def _run_local(segmenter: _Segmenter, chunks: list[list[str]], *, n_jobs: int, bar) -> list[Segments]:
    advance = bar.update if bar is not None else None
    if n_jobs == 1 or len(chunks) == 1:
        return [segmenter(texts, advance) for texts in chunks]
    from concurrent.futures import ProcessPoolExecutor

    context = _pool_context()
    if context.get_start_method() != "fork" and not isinstance(segmenter.tokenizer, PolicyTokenizer):
        raise TypeError("n_jobs > 1 without fork rebuilds the tokenizer in each worker: use make_tokenizer or get_tokenizer")
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


def _run_dask(segmenter: _Segmenter, chunks: list[list[str]], *, scheduler, bar) -> list[Segments]:
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


def _segment_corpus(texts: list[str], segmenter: _Segmenter, *, n_jobs: int, engine: str, scheduler, cache, progress: bool) -> list[Segments]:
    """Segments covering the documents in order, from the cache where possible."""
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


# Tokens assembled at once: the vectorised assembly holds a dozen temporaries a token, so a
# large corpus is assembled in blocks of whole documents and only the compact result grows.
_ASSEMBLY_BLOCK_TOKENS = 200_000


def _document_blocks(token_ends: np.ndarray) -> list[tuple[int, int]]:
    """Ranges of whole documents holding about ``_ASSEMBLY_BLOCK_TOKENS`` tokens each."""
    n_docs = len(token_ends)
    if n_docs == 0:
        return [(0, 0)]
    bounds = np.searchsorted(token_ends, np.arange(_ASSEMBLY_BLOCK_TOKENS, token_ends[-1], _ASSEMBLY_BLOCK_TOKENS), side="right")
    edges = sorted({0, n_docs, *(int(bound) for bound in bounds)})
    return [(low, high) for low, high in zip(edges[:-1], edges[1:]) if high > low]


def _assemble_part(part: Segments, text_lengths: np.ndarray, word_table: tuple, *, first_document: int,
                   doc_ids: pd.Index, backend: str, pos: bool) -> tuple:
    """The kept tokens of a block of documents: document index, paragraph and sentence ids, vocabulary id,
    offsets (int32). ``word_table`` is the block's words' codes and lengths."""
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


def _token_column(words: list[str], ids: np.ndarray) -> pd.Categorical:
    """Tokens as integer codes into their vocabulary, the vocabulary in code-point order.

    A categorical costs four bytes a token instead of a string each; with the
    categories sorted, sorting by token still sorts by the text.
    """
    if not words:
        return pd.Categorical([], categories=pd.Index([], dtype="str"))
    order = np.argsort(np.asarray(words, dtype=object), kind="stable")
    rank = np.empty(len(words), dtype=np.int32)
    rank[order] = np.arange(len(words), dtype=np.int32)
    categories = pd.Index(np.asarray(words, dtype=object)[order], dtype="str")
    return pd.Categorical.from_codes(rank[ids], categories=categories).remove_unused_categories()


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
    stopword_set, stopwords_mode = _resolve_stopwords(stopwords, boilerplate=boilerplate, tokenizer=tokenizer)
    vocabulary = _Vocabulary(
        stopwords=stopword_set or frozenset(),
        protected=getattr(tokenizer, "dictionary_words", frozenset()),
        drop_punct=drop_punct,
        drop_numbers=drop_numbers,
    )
    segmenter = _Segmenter(tokenizer, backend=backend, pos=pos, hmm=hmm)
    parts = _segment_corpus(texts, segmenter, n_jobs=n_jobs, engine=engine, scheduler=scheduler, cache=cache, progress=progress)
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
        for low, high in _document_blocks(token_ends):
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
                _assemble_part(block, text_lengths[begin : first_document + high], (word_codes, word_lengths),
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
            "token": _token_column(vocabulary.words, vocabulary_ids),
            "start": kept_starts,
            "end": kept_ends,
        },
        copy=False,
    )
    if pos:
        frame["pos"] = pd.array(tags, dtype="str")
    frame.attrs = {
        "dictionary_fingerprint": getattr(tokenizer, "fingerprint", None) or None,
        "stopwords_fingerprint": _stopwords_fingerprint(stopword_set),
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
    segmenter = _Segmenter(tokenizer, backend=options.backend, pos=False, hmm=bool(getattr(tokenizer, "hmm", True)))
    parts = _segment_corpus(
        texts, segmenter, n_jobs=options.workers, engine=options.engine, scheduler=options.scheduler,
        cache=options.cache, progress=progress,
    )
    return sum(part.n_documents for part in parts)


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
    text = tokens["token"].astype("str")
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


def in_document_order(tokens: pd.DataFrame) -> pd.DataFrame:
    """Tokens of each document together and in text order, documents in order of first appearance.

    Without a ``start`` column the rows of a document keep their given order.

    Examples
    --------
    >>> tokens = pd.DataFrame({"doc_id": ["a", "b", "a"], "token": ["乙", "丙", "甲"], "start": [1, 0, 0]})
    >>> in_document_order(tokens)["token"].tolist()
    ['甲', '乙', '丙']
    """
    document_codes = pd.factorize(tokens["doc_id"])[0]
    if "start" in tokens.columns:
        order = np.lexsort((tokens["start"].to_numpy(), document_codes))
    else:
        order = np.argsort(document_codes, kind="stable")
    return tokens.iloc[order].reset_index(drop=True)


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
