"""The context prior of the phrase ranking: how much a phrase is written the way known slogans are.

Slogans are introduced by the same few words and stand whole between punctuation: 坚持科学发展观，
实施人才强国战略, 高举和平、发展、合作旗帜, a formula in quotes or at the end of a clause. An
ordinary phrase is a fragment of running text, with a noun or a particle on either side
(小微企业贷款, 的经济社会发展). A :class:`ContextPrior` is a small logistic regression on the
characters beside each use of a phrase (:func:`context_features`), fitted on the uses of a
lexicon's forms (positives) against the uses of the ordinary phrases of a corpus (negatives);
:func:`analysis.discovery.discover_phrases` multiplies its rising-phrase score by it, as it does
by the form prior (:mod:`analysis.discovery.prior`).

Like the form prior, it learns only from what it is given: the lexicon's forms and the corpus it
is fitted on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from ..validation import InputError, check_int, check_number

CONTEXT_CHARS = 2
"""Characters read on each side of a use: one verb of two characters (坚持, 实施) or a tail (战略)."""

MAX_USES = 20
"""Uses of a lexicon form read when fitting (a candidate is judged on its sampled uses)."""

_PUNCTUATION = frozenset("，。、；：！？（）()“”‘’「」《》\"\n,.;:!?")

Contexts = tuple[Sequence[str], Sequence[str]]
"""A phrase's uses as two parallel sequences: the text just before each use, and just after it."""


def _sign(char: str) -> str:
    return "P" if not char or char in _PUNCTUATION else char


def context_features(lefts: Sequence[str], rights: Sequence[str]) -> dict[str, float]:
    """The features of a phrase's contexts: the share of its uses with each character (and
    pair of characters) just before and just after it, punctuation and the edges of the text
    counted as one sign ``P`` (``L2=P落`` is 落 after punctuation or at the start of the text).

    Examples
    --------
    >>> features = context_features(["坚持", "，坚"], ["战略", "。"])
    >>> features["L2=坚持"], features["R1=P"]
    (0.5, 0.5)
    """
    if len(lefts) != len(rights):
        raise InputError(f"contexts need as many left as right sides, got {len(lefts)} and {len(rights)}")
    features: dict[str, float] = {}
    if not len(lefts):
        return features
    share = 1.0 / len(lefts)
    for left, right in zip(lefts, rights):
        near_left = left[-1:] if left[-1:] and left[-1:] not in _PUNCTUATION else "P"
        near_right = right[:1] if right[:1] and right[:1] not in _PUNCTUATION else "P"
        # A pair that reaches past punctuation keeps the sign: ，落 and 。落 are both P落.
        two_left = "P" if near_left == "P" else _sign(left[-2:-1]) + near_left
        two_right = "P" if near_right == "P" else near_right + _sign(right[1:2])
        for name in (f"L1={near_left}", f"L2={two_left}", f"R1={near_right}", f"R2={two_right}"):
            features[name] = features.get(name, 0.0) + share
    return features


def contexts_in(text: str, phrase: str, *, limit: int = MAX_USES) -> Contexts:
    """The contexts of the first ``limit`` uses of ``phrase`` in ``text``.

    Examples
    --------
    >>> contexts_in("坚持科学发展观，落实科学发展观。", "科学发展观")
    (['坚持', '落实'], ['，落', '。'])
    """
    lefts, rights = [], []
    start = text.find(phrase) if phrase else -1
    while start != -1 and len(lefts) < limit:
        end = start + len(phrase)
        lefts.append(text[max(0, start - CONTEXT_CHARS) : start])
        rights.append(text[end : end + CONTEXT_CHARS])
        start = text.find(phrase, start + 1)
    return lefts, rights


class ContextPrior:
    """A fitted context prior: :meth:`predict` gives each phrase the probability, from the
    characters beside its uses, that it is written as the slogans of the lexicon it was fitted on.

    Build one with :meth:`fit` (or :func:`analysis.discovery.fit_context_prior`, which takes a
    lexicon and a corpus).

    Examples
    --------
    >>> slogans = [(["坚持", "实施"], ["，", "战略"]), (["坚持", "贯彻"], ["。", "，"])]
    >>> ordinary = [(["小微", "支持"], ["贷款", "融资"]), (["的", "业"], ["的工", "人"])]
    >>> prior = ContextPrior.fit(slogans, ordinary)
    >>> bool(prior.predict([(["坚持"], ["。"])])[0] > prior.predict([(["中小"], ["贷款"])])[0])
    True
    """

    def __init__(self, vectorizer, model, n_positive: int, n_negative: int):
        self.vectorizer = vectorizer
        self.model = model
        self.n_positive = n_positive
        self.n_negative = n_negative

    def __repr__(self) -> str:
        return f"ContextPrior({self.n_positive} slogan forms, {self.n_negative} ordinary phrases)"

    @classmethod
    def fit(
        cls,
        positives: Iterable[Contexts],
        negatives: Iterable[Contexts],
        *,
        C: float = 0.3,
        random_state: int = 0,
    ) -> ContextPrior:
        """Fit on the contexts of slogan forms (``positives``) against those of ordinary phrases.

        Parameters
        ----------
        positives, negatives : iterable of (lefts, rights)
            One item per phrase (see :func:`contexts_in`); a phrase without uses is left out.
        C : float, default 0.3
            Inverse regularisation strength of the logistic regression (as the form prior's).
        random_state : int, default 0
            Seed of the solver.

        Returns
        -------
        ContextPrior
        """
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression

        C = check_number(C, name="C", low=1e-6)
        random_state = check_int(random_state, name="random_state", minimum=0)
        positives = [context_features(*c) for c in positives if len(c[0])]
        negatives = [context_features(*c) for c in negatives if len(c[0])]
        if not positives or not negatives:
            raise InputError(
                f"a context prior needs uses of slogan forms and of ordinary phrases: got {len(positives)} forms "
                f"and {len(negatives)} ordinary phrases with uses"
            )
        vectorizer = DictVectorizer()
        # Balanced weights: tens of forms printed in the corpus against thousands of ordinary phrases.
        model = LogisticRegression(C=C, class_weight="balanced", max_iter=2000, random_state=random_state)
        model.fit(vectorizer.fit_transform(positives + negatives), [1] * len(positives) + [0] * len(negatives))
        return cls(vectorizer, model, len(positives), len(negatives))

    def predict(self, contexts: Sequence[Contexts]) -> np.ndarray:
        """The probability that each phrase, by its contexts, is written as a slogan (0 to 1).

        Parameters
        ----------
        contexts : sequence of (lefts, rights)

        Returns
        -------
        numpy.ndarray
            One probability per phrase.
        """
        if not len(contexts):
            return np.zeros(0)
        matrix = self.vectorizer.transform([context_features(*c) for c in contexts])
        return self.model.predict_proba(matrix)[:, 1]
