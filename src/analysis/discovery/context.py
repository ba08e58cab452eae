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

The phrase detector reads the contexts from what its counter already has: the spans of the sampled
uses of each phrase and of the lexicon's forms (found once, for all forms:
:func:`analysis.discovery.ngrams.find_forms`), the features of all of them built at once
(:func:`context_keys`, :meth:`ContextPrior.predict_uses`); :func:`contexts_in` and
:func:`context_features` are the same thing for one phrase at a time, as text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from ..validation import InputError, check_int, check_number
from .ngrams import PAIR_BASE
from .prior import LexiconPrior, fit_balanced

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


SIGN = 0x110000
"""The sign ``P`` (punctuation, the edge of the text, or the letter P itself, as
:func:`context_features` names them) among code points: one past the last of them."""

_KINDS = ("L1", "L2", "R1", "R2")
_KIND_BASE = PAIR_BASE * PAIR_BASE
_ALONE = SIGN * PAIR_BASE + SIGN  # L2=P: a pair that reaches past punctuation is the sign alone
_SIGN_CODES = np.array(sorted(map(ord, _PUNCTUATION | {"P"})))


def _signs(codes: np.ndarray, at: np.ndarray) -> np.ndarray:
    if not len(codes):
        return np.full(at.shape, SIGN, dtype=np.int64)
    inside = (at >= 0) & (at < len(codes))
    chars = np.where(inside, codes[np.clip(at, 0, len(codes) - 1)], SIGN)
    return np.where(np.isin(chars, _SIGN_CODES), SIGN, chars)


def context_keys(codes: np.ndarray, starts, ends) -> np.ndarray:
    """The features of :func:`context_features` of each use, as integers: one per use and
    feature (``L1``, ``L2``, ``R1``, ``R2``, in that order along a last axis of four), read
    from the code points of a text at once; :func:`feature_name` names them.

    Examples
    --------
    >>> codes = np.frombuffer("坚持科学发展观。".encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    >>> [feature_name(k) for k in context_keys(codes, [2], [7])[0]]
    ['L1=持', 'L2=坚持', 'R1=P', 'R2=P']
    """
    codes = np.asarray(codes, dtype=np.int64)
    starts, ends = np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64)
    near_left, far_left = _signs(codes, starts - 1), _signs(codes, starts - 2)
    near_right, far_right = _signs(codes, ends), _signs(codes, ends + 1)
    two_left = np.where(near_left == SIGN, _ALONE, far_left * PAIR_BASE + near_left)
    two_right = np.where(near_right == SIGN, _ALONE, near_right * PAIR_BASE + far_right)
    return np.stack([near_left, _KIND_BASE + two_left, 2 * _KIND_BASE + near_right, 3 * _KIND_BASE + two_right], axis=-1)


def _char(code: int) -> str:
    return "P" if code == SIGN else chr(code)


def feature_name(key: int) -> str:
    """The name in :func:`context_features` of a feature of :func:`context_keys`.

    Examples
    --------
    >>> feature_name(feature_key("L2=P落"))
    'L2=P落'
    """
    kind, value = divmod(int(key), _KIND_BASE)
    if kind in (0, 2):
        return f"{_KINDS[kind]}={_char(value)}"
    first, second = divmod(value, PAIR_BASE)
    return f"{_KINDS[kind]}=P" if value == _ALONE else f"{_KINDS[kind]}={_char(first)}{_char(second)}"


def feature_key(name: str) -> int:
    """The integer of :func:`context_keys` for a feature named as :func:`context_features` names it."""
    kind, value = _KINDS.index(name[:2]), name[3:]
    codes = [SIGN if char == "P" else ord(char) for char in value]
    if kind in (0, 2):
        return kind * _KIND_BASE + codes[0]
    return kind * _KIND_BASE + (_ALONE if len(codes) == 1 else codes[0] * PAIR_BASE + codes[1])


def features_at(codes: np.ndarray, starts, ends, found) -> list[dict[str, float]]:
    """:func:`context_features` of phrases from the spans of their uses in a text's code
    points: one row of ``starts``, ``ends`` and ``found`` (false where a row has no more uses)
    per phrase.

    Examples
    --------
    >>> codes = np.frombuffer("坚持科学发展观，落实科学发展观。".encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    >>> features_at(codes, [[2, 10]], [[7, 15]], [[True, True]]) == [context_features(["坚持", "落实"], ["，落", "。"])]
    True
    """
    found = np.asarray(found, dtype=bool)
    keys = context_keys(codes, starts, ends)
    names = {int(k): feature_name(k) for k in np.unique(keys[found])}
    rows = []
    for row_keys, row_found in zip(keys, found):
        uses = row_keys[row_found]
        features: dict[str, float] = {}
        share = 1.0 / len(uses) if len(uses) else 0.0
        for key in uses.ravel().tolist():
            name = names[key]
            features[name] = features.get(name, 0.0) + share
        rows.append(features)
    return rows


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


class ContextPrior(LexiconPrior):
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
        super().__init__(vectorizer, model, n_positive, n_negative)
        self._columns = None  # the vectorizer's columns by feature key, for predict_uses

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
        positives = [context_features(*c) for c in positives if len(c[0])]
        negatives = [context_features(*c) for c in negatives if len(c[0])]
        return cls._fit(positives, negatives, C=C, random_state=random_state)

    @classmethod
    def fit_uses(
        cls,
        codes: np.ndarray,
        positives: tuple[np.ndarray, np.ndarray, np.ndarray],
        negatives: tuple[np.ndarray, np.ndarray, np.ndarray],
        *,
        C: float = 0.3,
        random_state: int = 0,
    ) -> ContextPrior:
        """:meth:`fit` from the spans of the uses in a text (its code points): ``positives``
        and ``negatives`` are (starts, ends, found) as :func:`features_at` takes them, one row
        per phrase; a row without uses is left out. The same prior as :meth:`fit` on the
        contexts of the same uses."""
        positives = [f for f, row in zip(features_at(codes, *positives), np.asarray(positives[2])) if row.any()]
        negatives = [f for f, row in zip(features_at(codes, *negatives), np.asarray(negatives[2])) if row.any()]
        return cls._fit(positives, negatives, C=C, random_state=random_state)

    @classmethod
    def _fit(cls, positives: list[dict], negatives: list[dict], *, C: float, random_state: int) -> ContextPrior:
        C = check_number(C, name="C", low=1e-6)
        random_state = check_int(random_state, name="random_state", minimum=0)
        if not positives or not negatives:
            raise InputError(
                f"a context prior needs uses of slogan forms and of ordinary phrases: got {len(positives)} forms "
                f"and {len(negatives)} ordinary phrases with uses"
            )
        vectorizer, model = fit_balanced(positives, negatives, C=C, random_state=random_state)
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

    def predict_uses(self, codes: np.ndarray, starts, ends, found) -> np.ndarray:
        """:meth:`predict` from the spans of the phrases' uses in a text (its code points), one
        row of ``starts``, ``ends`` and ``found`` per phrase (as :func:`features_at` takes them):
        the same probabilities, the features built at once as the fitted vectorizer builds them
        (each share summed use by use, as :func:`context_features` sums it).

        Returns
        -------
        numpy.ndarray
            One probability per phrase.
        """
        from scipy import sparse

        found = np.asarray(found, dtype=bool)
        if not len(found):
            return np.zeros(0)
        if self._columns is None:
            vocabulary = self.vectorizer.vocabulary_
            keys = np.array([feature_key(name) for name in vocabulary], dtype=np.int64)
            columns = np.array(list(vocabulary.values()), dtype=np.int64)
            order = np.argsort(keys)
            self._columns = (keys[order], columns[order])
        table, columns = self._columns
        n_rows, width = found.shape
        keys = context_keys(codes, starts, ends).reshape(n_rows, width * len(_KINDS))
        valid = np.repeat(found, len(_KINDS), axis=1)
        rows, keys = np.nonzero(valid)[0], keys[valid]
        at = np.minimum(np.searchsorted(table, keys), max(len(table) - 1, 0))
        known = table[at] == keys if len(table) else np.zeros(len(keys), dtype=bool)
        rows, cols = rows[known], columns[at[known]]
        # One entry per (phrase, feature), by column within the phrase (the vectorizer sorts them so).
        width_of_row = len(self.vectorizer.vocabulary_)
        cells, repeats = np.unique(rows * width_of_row + cols, return_counts=True)
        rows, cols = np.divmod(cells, width_of_row)
        uses = found.sum(axis=1)
        shares = _summed_shares(width)
        values = shares[uses[rows], repeats]
        indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n_rows))])
        matrix = sparse.csr_matrix((values, cols, indptr), shape=(n_rows, len(self.vectorizer.vocabulary_)))
        return self.model.predict_proba(matrix)[:, 1]


def _summed_shares(most: int) -> np.ndarray:
    """``[n, k]``: 1/n added k times from zero, one at a time, as :func:`context_features` adds them."""
    table = np.zeros((most + 1, most + 1))
    for n in range(1, most + 1):
        total = 0.0
        for k in range(1, n + 1):
            total += 1.0 / n
            table[n, k] = total
    return table
