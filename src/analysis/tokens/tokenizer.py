"""The policy-aware tokenizer: dictionaries read and fingerprinted, :class:`PolicyTokenizer` built from them
(:func:`make_tokenizer`) and shared (:func:`get_tokenizer`), and its part-of-speech twin."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import jieba
import pandas as pd

from .. import config
from .. import lexicon as lexicon_module
from ..lexicon import load_lexicon, surface_forms

POLICY_TERMS_PATH = config.DICTIONARY_DIR / "policy_terms.txt"
PERSON_NAMES_PATH = config.DICTIONARY_DIR / "person_names.txt"


JIEBA_CACHE_DIR = config.CACHE_DIR / "jieba"


# Part of every fingerprint: bump it whenever the way dictionaries become a
# tokenizer changes, so caches keyed on the fingerprint are invalidated.
BUILD_SCHEME = "1"

# Tag given to lexicon forms that jieba's POS table does not know: ``nz`` is
# jieba's tag for "other proper noun", the closest class for a named slogan.
LEXICON_POS_TAG = "nz"

_MAX_CACHED_TOKENIZERS = 8

#: jieba only ever joins characters of this class into one word; a dictionary
#: word with anything else in it (、, spaces, quotes) can never come out whole.
JIEBA_WORD = jieba.re_han_default


class DictionaryError(ValueError):
    """A dictionary or word-list file is malformed; the message names the file and line."""


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
        # Set before jieba's __init__, whose first act is to assign FREQ through the property below.
        self._dictionary_lock = threading.RLock()
        self._pending_words: tuple[dict, list] | None = None
        self._loading = False
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

    # jieba's stock dictionary (half a million prefixes, about half a second to read) and the tuning
    # of the added words are only needed to segment. A notebook whose segments come from the cache
    # never segments, so they are loaded on first use: by jieba's own check before every cut, or by
    # any read of FREQ.

    @property
    def FREQ(self) -> dict:  # noqa: N802 - jieba's attribute name
        if self._pending_words is not None:
            self.check_initialized()
        return self.__dict__["_frequencies"]

    @FREQ.setter
    def FREQ(self, value: dict) -> None:  # noqa: N802
        self.__dict__["_frequencies"] = value

    def check_initialized(self):
        if self._pending_words is None:
            super().check_initialized()
            return
        with self._dictionary_lock:
            # The loading thread comes back here through add_word and suggest_freq: it goes on.
            if self._pending_words is not None and not self._loading:
                self._loading = True
                try:
                    _load_dictionary(self, *self._pending_words)
                    self._pending_words = None
                finally:
                    self._loading = False

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


def forms_of_lexicon(lexicon: pd.DataFrame | None) -> list[str]:
    """Surface forms of ``lexicon``, or of the shipped lexicon file.

    Parsing the YAML file costs a quarter of a second, too much for every
    get_tokenizer() call; the shipped file's forms are kept per content hash,
    so an edited file is read again.

    Examples
    --------
    >>> "六稳" in forms_of_lexicon(None)
    True
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
    return [part for part in JIEBA_WORD.findall(form) if len(part) >= 2]


def protected_forms(forms: Iterable[str]) -> frozenset[str]:
    """Lexicon forms and the word parts of punctuated ones: never stopwords.

    Examples
    --------
    >>> sorted(protected_forms(["大众创业、万众创新"]))
    ['万众创新', '大众创业', '大众创业、万众创新']
    """
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
        if not JIEBA_WORD.fullmatch(word):
            raise DictionaryError(
                f"{where}: '{word}' contains characters jieba never joins into one word "
                "(only CJK, Latin letters, digits and + # & . _ % -)"
            )
        entries.append((word, frequency, tag))
    return raw, entries


def _collect_sources(lexicon: pd.DataFrame | None, user_dicts, hmm: bool) -> _DictionarySources:
    forms = forms_of_lexicon(lexicon)
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
    """The tokenizer and what it knows of its words; jieba's dictionary is loaded on first use."""
    tokenizer = PolicyTokenizer(hmm=sources.hmm)
    frequencies: dict[str, int | None] = {}
    explicit_tags: dict[str, str] = {}
    skipped = []
    for form in sources.lexicon_forms:
        if not JIEBA_WORD.fullmatch(form):
            skipped.append(form)
        for word in _word_parts(form):
            frequencies.setdefault(word, None)
    for word, frequency, tag in sources.entries:
        frequencies.setdefault(word, None)
        if frequency is not None:
            frequencies[word] = frequency
        if tag:
            explicit_tags[word] = tag

    tokenizer.fingerprint = sources.fingerprint()
    tokenizer.lexicon_forms = protected_forms(sources.lexicon_forms)
    tokenizer.dictionary_words = frozenset(frequencies)
    tokenizer.skipped_forms = tuple(skipped)
    tokenizer.word_tags = explicit_tags
    tokenizer.default_tags = {word: LEXICON_POS_TAG for word in frequencies if word not in explicit_tags}
    tokenizer._sources = sources
    tokenizer._pending_words = (frequencies, [word for word, frequency in frequencies.items() if frequency is None])
    return tokenizer


def _load_dictionary(tokenizer: PolicyTokenizer, frequencies: dict, automatic: list) -> None:
    """jieba's stock dictionary plus the tokenizer's words, tuned so that each comes out whole."""
    _initialise_stock_dictionary(tokenizer)
    for word, frequency in frequencies.items():
        if frequency is not None:
            tokenizer.add_word(word, frequency)
            continue
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


def make_tokenizer(*, lexicon: pd.DataFrame | None = None, user_dicts=(), hmm: bool = True) -> PolicyTokenizer:
    """Build a fresh jieba tokenizer that keeps slogans and policy terms whole.

    Starts from jieba's stock dictionary (its cache lives in
    ``data/cache/jieba/``) and adds every lexicon surface form of two or more
    characters (canonical forms, aliases, components, component aliases; the
    parts of a punctuated form such as 大众创业、万众创新), the words of
    ``data/dictionaries/policy_terms.txt`` and of ``user_dicts``.
    A word without a frequency gets the smallest one that makes it come out as
    one token; a word with a frequency keeps it. The dictionary files are
    read at once (a malformed line raises here), but jieba's dictionary is
    loaded and the words are tuned on first use, about a second (by a cut,
    or any read of ``FREQ``): a :func:`tokenize` whose segments all come
    from the cache never pays it. Prefer :func:`get_tokenizer`, which reuses
    instances.

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


def pos_tokenizer_for(tokenizer: jieba.Tokenizer):
    """jieba.posseg's tokenizer on ``tokenizer``'s dictionary; its dictionary words tagged as their files say.

    Words without a tag in their file get :data:`LEXICON_POS_TAG` where
    jieba's POS table does not know them. One per :class:`PolicyTokenizer`,
    built on first use.

    Examples
    --------
    >>> [(pair.word, pair.flag) for pair in pos_tokenizer_for(get_tokenizer()).cut("要控保稳进抬扛")]
    [('要', 'v'), ('控保稳进抬扛', 'nz')]
    """
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
