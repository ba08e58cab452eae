"""Tests for analysis.discovery.context: the context prior read from the spans of uses at once
gives what the straightforward way (a text search per form, a dict of features per phrase) gives."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.discovery import (
    ContextPrior,
    context_features,
    contexts_in,
    discover_phrases,
)
from analysis.discovery.context import (
    MAX_USES,
    context_keys,
    feature_key,
    feature_name,
    features_at,
)
from analysis.discovery.phrases import MAX_CHARS, Counted
from analysis.discovery.prior import lexicon_forms

# Punctuation, the edges of the text, a line break, the letter P (named as the sign P) and
# the enumeration comma beside uses.
TEXT = "坚持科教兴国，实施科教兴国战略。P科教兴国与人才强国、科教兴国\n“科教兴国”小微企业贷款。科教兴国"


def codes_of(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)


def spans_table(rows: list[list[tuple[int, int]]], width: int):
    starts = np.zeros((len(rows), width), dtype=np.int64)
    ends = np.zeros((len(rows), width), dtype=np.int64)
    found = np.zeros((len(rows), width), dtype=bool)
    for i, row in enumerate(rows):
        for j, (s, e) in enumerate(row):
            starts[i, j], ends[i, j], found[i, j] = s, e, True
    return starts, ends, found


def sliced(text: str, row: list[tuple[int, int]]):
    return [text[max(0, s - 2) : s] for s, _ in row], [text[e : e + 2] for _, e in row]


def every_span_rows(text: str) -> list[list[tuple[int, int]]]:
    """Phrases of one to three uses, the uses every span of two to five characters."""
    spans = [(s, s + n) for n in range(2, 6) for s in range(len(text) - n + 1)]
    rng = np.random.default_rng(0)
    return [[spans[i] for i in rng.choice(len(spans), size=k, replace=False)] for k in (1, 2, 3) for _ in range(40)] + [[]]


def test_features_at_once_are_the_features_of_the_sliced_contexts():
    rows = every_span_rows(TEXT)
    expected = [context_features(*sliced(TEXT, row)) for row in rows]
    assert features_at(codes_of(TEXT), *spans_table(rows, 3)) == expected
    # the features keep the order in which their uses name them (a vectorizer builds rows in it)
    assert [list(f) for f in features_at(codes_of(TEXT), *spans_table(rows, 3))] == [list(f) for f in expected]


def test_feature_keys_and_names_are_one_to_one():
    keys = np.unique(context_keys(codes_of(TEXT), *np.divmod(np.arange(len(TEXT) * 4), 4)))
    names = [feature_name(k) for k in keys]
    assert len(set(names)) == len(keys)
    assert [feature_key(name) for name in names] == keys.tolist()
    assert feature_name(feature_key("L2=P")) == "L2=P" and feature_name(feature_key("R2=战P")) == "R2=战P"


def test_predicting_from_spans_gives_exactly_the_probabilities_of_predict():
    rows = every_span_rows(TEXT)
    prior = ContextPrior.fit([sliced(TEXT, r) for r in rows[:60]], [sliced(TEXT, r) for r in rows[60:]])
    expected = prior.predict([sliced(TEXT, r) for r in rows])
    assert prior.predict_uses(codes_of(TEXT), *spans_table(rows, 3)).tolist() == expected.tolist()
    # a use whose features the prior never saw, and a phrase without uses
    other = "甲乙科教兴国丙丁"
    unseen = [[(2, 6)], []]
    assert prior.predict_uses(codes_of(other), *spans_table(unseen, 1)).tolist() == prior.predict(
        [sliced(other, r) for r in unseen]
    ).tolist()
    assert prior.predict_uses(codes_of(TEXT), *spans_table([], 1)).size == 0


def test_fitting_from_spans_fits_the_same_prior():
    rows = every_span_rows(TEXT)
    from_spans = ContextPrior.fit_uses(codes_of(TEXT), spans_table(rows[:60], 3), spans_table(rows[60:], 3))
    from_contexts = ContextPrior.fit([sliced(TEXT, r) for r in rows[:60]], [sliced(TEXT, r) for r in rows[60:]])
    assert from_spans.vectorizer.vocabulary_ == from_contexts.vectorizer.vocabulary_
    assert from_spans.model.coef_.tolist() == from_contexts.model.coef_.tolist()
    assert (from_spans.n_positive, from_spans.n_negative) == (from_contexts.n_positive, from_contexts.n_negative)
    with pytest.raises(ValueError, match="context prior needs"):
        ContextPrior.fit_uses(codes_of(TEXT), spans_table(rows[:60], 3), spans_table([[]], 1))


# A small corpus: known slogans written as slogans are, two phrases that rise alike.
OLD = "坚持四项基本原则，实施科教兴国战略。坚持可持续发展，落实三个代表。发展经济，改善人民生活，加强社会管理。"
NEW = "要坚持蓝色海湾，实施蓝色海湾。支持金色沙滩贷款，扩大金色沙滩融资。“四项基本原则”和科教兴国。"
LEXICON = pd.DataFrame(
    {
        "id": ["a", "b", "c", "d"],
        "canonical": ["四项基本原则", "科教兴国", "可持续发展", "三个代表"],
        "aliases": [[], [], [], []],
        "components": [[], [], [], [{"text": "代表先进生产力", "aliases": []}]],
    }
)


def test_the_context_scores_of_candidates_are_those_of_the_straightforward_way():
    years = range(2000, 2012)
    corpus = pd.DataFrame(
        {
            "doc_id": [f"d{y}" for y in years],
            "text_clean": [OLD] * 8 + [OLD + NEW] * 4,
            "date": pd.to_datetime([f"{y}-03-05" for y in years]),
        }
    )
    found = discover_phrases(corpus, lexicon=LEXICON, prior=False, generic=True)
    assert len(found) >= 2 and found["context"].notna().all()

    # The straightforward way: each form searched in the text, the contexts of each sampled use sliced.
    counted = Counted(corpus, LEXICON, None, "year", min_chars=3, max_chars=MAX_CHARS, min_documents=3,
                      min_history=None, keep_all=True)  # fmt: skip
    joined, table = counted.joined, counted.found
    text = joined.text
    forms = sorted(set(lexicon_forms(LEXICON)) | counted.names)
    positives = [contexts_in(text, form, limit=MAX_USES) for form in forms]

    def contexts(uses, length):
        return sliced(text, [joined.span(u, length) for u in dict.fromkeys(uses.tolist())])

    ordinary = table[table["unit"] & ~table["rising"] & (table["length"] >= 3)]
    prior = ContextPrior.fit([c for c in positives if c[0]], [contexts(u, k) for u, k in zip(ordinary["uses"], ordinary["length"])])
    rows = {key: (uses, length) for key, uses, length in zip(table["key"], table["uses"], table["length"])}
    expected = prior.predict([contexts(*rows[candidate]) for candidate in found["candidate"]])
    assert found["context"].tolist() == [round(float(p), 3) for p in expected]
