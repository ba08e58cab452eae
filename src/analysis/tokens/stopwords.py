"""Stopword lists: the general and boilerplate lists, :func:`load_stopwords`, and the stopwords of a tokenize call."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterable

import jieba
import pandas as pd

from .. import config
from .tokenizer import DictionaryError, forms_of_lexicon, protected_forms

BOILERPLATE_STOPWORDS_PATH = config.STOPWORDS_DIR / "policy_boilerplate.txt"
EXTRA_GENERAL_STOPWORDS_PATH = config.STOPWORDS_DIR / "extra_general.txt"


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
    return frozenset(words - protected_forms(forms_of_lexicon(lexicon)))


def stopwords_fingerprint(words: frozenset[str] | None) -> str | None:
    """SHA-256 of a stopword set, whatever its order; None without stopwords. Kept in a token table's ``attrs``.

    Examples
    --------
    >>> stopwords_fingerprint(frozenset({"的", "了"})) == stopwords_fingerprint(frozenset({"了", "的"}))
    True
    >>> stopwords_fingerprint(None) is None
    True
    """
    if words is None:
        return None
    return hashlib.sha256("\n".join(sorted(words)).encode("utf-8")).hexdigest()


def resolve_stopwords(stopwords, *, boilerplate: bool, tokenizer: jieba.Tokenizer) -> tuple[frozenset[str] | None, str]:
    """The stopwords of a :func:`~analysis.tokens.tokenize` call, and their mode (``default``, ``none``, ``custom``).

    ``"default"`` is the general list (and the boilerplate list) minus the
    tokenizer's lexicon forms; None is no stopwords; an iterable is used as given.

    Examples
    --------
    >>> words, mode = resolve_stopwords(["的"], boilerplate=False, tokenizer=None)
    >>> sorted(words), mode
    (['的'], 'custom')
    """
    if isinstance(stopwords, str):
        if stopwords != "default":
            raise ValueError(f"stopwords must be 'default', None or an iterable of words, got {stopwords!r}")
        base = _base_stopwords(general=True, boilerplate=boilerplate)
        lexicon_forms = getattr(tokenizer, "lexicon_forms", None)
        if lexicon_forms is None:
            lexicon_forms = protected_forms(forms_of_lexicon(None))
        return base - lexicon_forms, "default"
    if boilerplate:
        raise ValueError(
            "boilerplate=True applies to stopwords='default' only; for a custom set pass "
            "stopwords=load_stopwords(boilerplate=True, ...)"
        )
    if stopwords is None:
        return None, "none"
    return frozenset(_check_words(stopwords, name="stopwords")), "custom"
