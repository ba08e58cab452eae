"""The form prior of the phrase ranking: how much a phrase is shaped like the slogans already known.

Slogans share shapes that ordinary phrases rarely have: a numeral and a counting word in
front (四个全面, 三大攻坚战), two numerals (两学一做, 三去一降一补), a heading 新 (新常态), a
tail such as 强国, 战略, 攻坚战 or 观. A :class:`FormPrior` is a small logistic regression on
such features, fitted on the forms of a lexicon (positives) against the ordinary phrases
of a corpus (negatives); :func:`analysis.discovery.discover_phrases` multiplies its
rising-phrase score by the prior, so that among phrases that rise alike the one shaped
like a slogan ranks first.

The prior learns only from what it is given: the lexicon's own forms and the phrases of the
corpus it is fitted on. Fitted on a lexicon with some entries held out, it knows nothing of
them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from ..validation import InputError, check_int, check_number

NUMERALS = frozenset("一二两三四五六七八九十百千万双")
"""Characters that count in a numbered formula (两学一做, 双循环)."""

COUNTING_WORDS = frozenset("个大项条篇点字")
"""A counting word after a numeral makes a numbered formula's head (四个, 三大, 八项)."""

MAX_NEGATIVES = 4000
"""Ordinary phrases sampled as negatives: enough for a few hundred features, fitted in well under a second."""

_NOT_PHRASE = re.compile(r"[^0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff]")


def phrase_key(phrase: str) -> str:
    """A phrase without its enumeration commas, quotes and signs: 碳达峰、碳中和 is 碳达峰碳中和.

    Examples
    --------
    >>> phrase_key("大众创业、万众创新")
    '大众创业万众创新'
    """
    return _NOT_PHRASE.sub("", phrase)


@functools.lru_cache(maxsize=1)
def stock_tagger():
    """jieba's part-of-speech tagger on a Tokenizer of its stock dictionary (never ``jieba.dt``).

    One per process: loading the dictionary takes a second, and nothing ever adds a word to
    this tagger, so every caller sees the same stock dictionary."""
    import logging
    import sys

    import jieba

    first_import = "jieba.posseg" not in sys.modules
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    # POSTokenizer(tokenizer) would read the dictionary's tags again, a line at a time (1.2 s).
    tagger = jieba.posseg.POSTokenizer.__new__(jieba.posseg.POSTokenizer)
    tagger.tokenizer = tokenizer
    if first_import and jieba.dt.dictionary is None:
        # Importing jieba.posseg has just read the stock table for its module tagger, before any
        # word a user adds could be merged into it (that happens at its first cut): a copy of it
        # is the stock table, read once instead of twice.
        tagger.word_tag_tab = dict(jieba.posseg.dt.word_tag_tab)
    else:
        handle = tokenizer.get_dict_file()
        try:
            lines = handle.read().decode("utf-8").splitlines()
        finally:
            handle.close()
        tagger.word_tag_tab = {}
        for line in lines:
            parts = line.split(" ")
            if len(parts) == 3:
                tagger.word_tag_tab[parts[0]] = parts[2]
    return tagger


_HAN_ONLY = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")


@functools.lru_cache(maxsize=1)
def _rjieba_stock():
    """jieba-rs on its own copy of jieba's stock dictionary, or None without the [fast] extra."""
    try:
        import rjieba
    except ImportError:
        return None
    return rjieba.Jieba()


def plain_tags(text: str, tagger) -> list[tuple[str, str]]:
    """(word, part of speech) of a text by the stock dictionary alone, without the HMM's guesses.

    On Chinese characters, jieba-rs (the [fast] extra) gives the same words and tags as
    jieba's tagger from the same stock dictionary, several times faster; digits and Latin
    letters (2025 in 中国制造2025), which the two tag differently, and a tagger other than
    :func:`stock_tagger` go to the tagger itself.

    Examples
    --------
    >>> plain_tags("三大攻坚战", stock_tagger())
    [('三', 'm'), ('大', 'a'), ('攻坚战', 'i')]
    """
    fast = _rjieba_stock() if tagger is stock_tagger() and _HAN_ONLY.fullmatch(text) else None
    if fast is not None:
        return [(word, flag) for word, flag in fast.tag(text, False)]
    return [(pair.word, pair.flag) for pair in tagger.cut(text, HMM=False)]


def form_features(phrase: str, tagger) -> dict[str, int]:
    """The features of one phrase's form: its length, first and last characters and words with
    their parts of speech, the characters it holds, and the numbered-formula shapes.

    Examples
    --------
    >>> features = form_features("三大攻坚战", stock_tagger())
    >>> features["numbered"], features["last=战"]
    (1, 1)
    """
    s = phrase_key(phrase)
    if not s:
        return {}
    f = {
        f"len={min(len(s), 10)}": 1,
        f"first={s[0]}": 1,
        f"last={s[-1]}": 1,
        f"last2={s[-2:]}": 1,
        f"first2={s[:2]}": 1,
    }
    f.update({f"has={c}": 1 for c in set(s)})
    if s[0] in NUMERALS:
        f["numeral_first"] = 1
        if len(s) > 1 and s[1] in COUNTING_WORDS:
            f["numbered"] = 1
    if sum(c in NUMERALS for c in s) >= 2:
        f["two_numerals"] = 1
    if len(s) >= 4 and s[0] == s[2]:
        f["parallel"] = 1  # 联防联控, 一老一小
    if re.search(r"[0-9A-Za-z]", s):
        f["latin_or_digits"] = 1
    words = plain_tags(s, tagger)  # the HMM guesses slowly at new words
    f[f"words={min(len(words), 4)}"] = 1
    f[f"first_tag={words[0][1][:2]}"] = 1
    f[f"last_tag={words[-1][1][:2]}"] = 1
    f[f"last_word={words[-1][0]}"] = 1
    return f


def lexicon_forms(
    lexicon: pd.DataFrame, *, min_chars: int = 2, max_chars: int = 12
) -> list[str]:
    """The forms of a lexicon a prior learns from: canonical forms, aliases and components of
    three characters or more (稳就业, 去产能; 创新 alone is ordinary), as keys (:func:`phrase_key`).

    Examples
    --------
    >>> lexicon = pd.DataFrame({"canonical": ["六稳"], "aliases": [[]],
    ...                         "components": [[{"text": "稳就业"}, {"text": "稳金融"}]]})
    >>> lexicon_forms(lexicon)
    ['六稳', '稳就业', '稳金融']
    """
    forms = []
    for row in lexicon.itertuples():
        aliases = getattr(row, "aliases", ())
        forms += [
            row.canonical,
            *(aliases if isinstance(aliases, (list, tuple)) else []),
        ]
        components = getattr(row, "components", ())
        for component in components if isinstance(components, (list, tuple)) else ():
            text = component.get("text") if isinstance(component, dict) else component
            if isinstance(text, str) and len(phrase_key(text)) >= 3:
                forms.append(text)
    keys = (phrase_key(f) for f in forms if isinstance(f, str))
    return sorted({k for k in keys if min_chars <= len(k) <= max_chars})


def fit_balanced(positives: list[dict], negatives: list[dict], *, C: float, random_state: int):
    """The model of both priors: a ``DictVectorizer`` and a class-balanced logistic regression fitted on
    feature dicts of slogan forms (``positives``) against ordinary phrases; returns (vectorizer, model)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer()
    # Balanced weights: tens or hundreds of forms against thousands of ordinary phrases.
    model = LogisticRegression(C=C, class_weight="balanced", max_iter=2000, random_state=random_state)
    model.fit(vectorizer.fit_transform(positives + negatives), [1] * len(positives) + [0] * len(negatives))
    return vectorizer, model


class LexiconPrior:
    """What a prior learned from a lexicon holds: its vectorizer and model, and how many slogan
    forms and ordinary phrases it was fitted on."""

    def __init__(self, vectorizer, model, n_positive: int, n_negative: int):
        self.vectorizer = vectorizer
        self.model = model
        self.n_positive = n_positive
        self.n_negative = n_negative

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.n_positive} slogan forms, {self.n_negative} ordinary phrases)"


class FormPrior(LexiconPrior):
    """A fitted form prior: :meth:`predict` gives each phrase the probability that it is shaped
    like a slogan of the lexicon it was fitted on.

    Build one with :meth:`fit` (or :func:`analysis.discovery.fit_form_prior`, which takes a
    lexicon and a corpus).

    Examples
    --------
    >>> prior = FormPrior.fit(["四个全面", "三个代表", "两个维护", "新常态", "中国梦"],
    ...                       ["经济增长", "人民生活", "工作任务", "财政收入", "对外贸易"])
    >>> bool(prior.predict(["五个必须"])[0] > prior.predict(["财政支出"])[0])
    True
    """

    @classmethod
    def fit(
        cls,
        positives: Iterable[str],
        negatives: Iterable[str],
        *,
        C: float = 0.3,
        max_negatives: int = MAX_NEGATIVES,
        random_state: int = 0,
        tagger=None,
    ) -> FormPrior:
        """Fit on slogan forms (``positives``) against ordinary phrases (``negatives``).

        Parameters
        ----------
        positives, negatives : iterable of str
            Phrases; a negative that is also a positive is dropped, and at most
            ``max_negatives`` negatives are drawn (with ``random_state``).
        C : float, default 0.3
            Inverse regularisation strength of the logistic regression (chosen by
            cross-validation on the shipped lexicon's own forms).
        random_state : int, default 0
            Seed of the negative sample and of the solver.
        tagger : jieba POSTokenizer, optional
            Defaults to :func:`stock_tagger`.

        Returns
        -------
        FormPrior
        """
        C = check_number(C, name="C", low=1e-6)
        max_negatives = check_int(max_negatives, name="max_negatives")
        positives = sorted({phrase_key(p) for p in positives} - {""})
        negatives = sorted({phrase_key(n) for n in negatives} - {""} - set(positives))
        if not positives or not negatives:
            raise InputError(
                f"a form prior needs slogan forms and ordinary phrases: got {len(positives)} forms "
                f"and {len(negatives)} ordinary phrases"
            )
        if len(negatives) > max_negatives:
            pick = np.random.default_rng(random_state).choice(
                len(negatives), max_negatives, replace=False
            )
            negatives = [negatives[i] for i in sorted(pick)]
        tagger = stock_tagger() if tagger is None else tagger
        vectorizer, model = fit_balanced(
            [form_features(p, tagger) for p in positives], [form_features(n, tagger) for n in negatives],
            C=C, random_state=random_state,
        )
        return cls(vectorizer, model, len(positives), len(negatives))

    def predict(self, phrases: Sequence[str], *, tagger=None) -> np.ndarray:
        """The probability that each phrase is shaped like a slogan (0 to 1).

        Parameters
        ----------
        phrases : sequence of str
        tagger : jieba POSTokenizer, optional
            Defaults to :func:`stock_tagger`.

        Returns
        -------
        numpy.ndarray
            One probability per phrase.
        """
        if not len(phrases):
            return np.zeros(0)
        tagger = stock_tagger() if tagger is None else tagger
        matrix = self.vectorizer.transform([form_features(p, tagger) for p in phrases])
        return self.model.predict_proba(matrix)[:, 1]
