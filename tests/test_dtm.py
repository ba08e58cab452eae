"""analysis.dtm: the matrix counted over integer codes against scikit-learn's vectorisers fed token lists."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

from analysis.dtm import build_dtm, term_ranks
from analysis.validation import InputError

WORDS = ["发展", "经济", "改革", "开放", "稳", "六保", "六稳", "民生", "就业", "创新", "乡村", "振兴"]


def random_tokens(seed: int) -> pd.DataFrame:
    """Documents of random words; even seeds categorical (categories unsorted, one unused), odd seeds shuffled."""
    rng = np.random.default_rng(seed)
    rows = []
    for document in range(int(rng.integers(1, 9))):
        start = 0
        for _ in range(int(rng.integers(1, 30))):
            token = WORDS[int(rng.integers(0, len(WORDS)))]
            rows.append((f"d{8 - document}", token, start))
            start += len(token)
    tokens = pd.DataFrame(rows, columns=["doc_id", "token", "start"])
    if seed % 2 == 0:
        tokens["token"] = pd.Categorical(tokens["token"], categories=[*WORDS[::-1], "未用"])
    else:
        tokens = tokens.sample(frac=1, random_state=seed).reset_index(drop=True)
    return tokens


def reference_dtm(tokens: pd.DataFrame, *, weighting: str, min_df, max_df, max_features):
    """The matrix as build_dtm made it before: CountVectorizer over each document's token list in text order."""
    codes = pd.factorize(tokens["doc_id"])[0]
    ordered = tokens.iloc[np.lexsort((tokens["start"].to_numpy(), codes))]
    document_codes, doc_ids = pd.factorize(ordered["doc_id"])
    words = ordered["token"].to_numpy(dtype=object)
    documents = [part.tolist() for part in np.split(words, np.flatnonzero(np.diff(document_codes)) + 1)]
    vectorizer = CountVectorizer(analyzer=lambda document: document, min_df=min_df, max_df=max_df, lowercase=False)
    counts = vectorizer.fit_transform(documents).astype(np.int64)
    vocabulary = np.asarray(vectorizer.get_feature_names_out(), dtype=object)
    if max_features is not None and max_features < len(vocabulary):
        totals = np.asarray(counts.sum(axis=0)).ravel()
        chosen = np.sort(np.lexsort((term_ranks(vocabulary), -totals))[:max_features])
        counts, vocabulary = counts[:, chosen], vocabulary[chosen]
    matrix = counts if weighting == "count" else TfidfTransformer().fit_transform(counts)
    matrix = matrix.tocsr()
    matrix.sort_indices()
    return matrix, [str(term) for term in vocabulary], list(doc_ids)


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize(
    "options",
    [
        {"weighting": "tfidf", "min_df": 1, "max_df": 1.0, "max_features": None},
        {"weighting": "count", "min_df": 1, "max_df": 1.0, "max_features": None},
        {"weighting": "tfidf", "min_df": 2, "max_df": 0.8, "max_features": 5},
        {"weighting": "count", "min_df": 0.2, "max_df": 3, "max_features": 3},
    ],
)
def test_build_dtm_equals_scikit_learn_vectorisers_to_the_last_bit(seed, options):
    tokens = random_tokens(seed)
    try:
        expected, vocabulary, doc_ids = reference_dtm(tokens, **options)
    except ValueError as error:  # limits that leave no term: build_dtm must refuse as well
        with pytest.raises(InputError, match="no terms remain|< documents than min_df"):
            build_dtm(tokens, **options)
        assert "no terms remain" in str(error) or "min_df" in str(error)
        return
    dtm = build_dtm(tokens, **options)
    assert dtm.vocabulary == vocabulary
    assert dtm.doc_ids == doc_ids
    assert dtm.matrix.dtype == expected.dtype
    # TF-IDF normalises each row in the order its terms are stored: the same layout gives the same bits.
    assert np.array_equal(dtm.matrix.indptr, expected.indptr)
    assert np.array_equal(dtm.matrix.indices, expected.indices)
    assert dtm.matrix.data.tobytes() == expected.data.tobytes()


@pytest.mark.parametrize("limit", [0, -1, 1.5, True, "2"])
def test_build_dtm_rejects_document_frequency_limits_that_are_neither_counts_nor_shares(limit):
    tokens = random_tokens(1)
    with pytest.raises(InputError, match="min_df must be"):
        build_dtm(tokens, min_df=limit)
