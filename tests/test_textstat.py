"""analysis.textstat on hand-built token tables with hand-computed answers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency

from analysis.textstat import (
    collocations,
    keyness,
    keyness_latest_period,
    most_frequent,
    term_frequency,
)


def make_tokens(documents: dict[str, list[list[str]]]) -> pd.DataFrame:
    """A token table in the shape tokens.tokenize returns: one sentence per inner list."""
    rows = []
    for doc_id, sentences in documents.items():
        offset = 0
        for sent_id, sentence in enumerate(sentences):
            for token in sentence:
                rows.append((doc_id, 0, sent_id, token, offset, offset + len(token)))
                offset += len(token)
            offset += 1  # the sentence-final punctuation the tokenizer dropped
    return pd.DataFrame(rows, columns=["doc_id", "para_id", "sent_id", "token", "start", "end"])


def flat(tokens: list[str]) -> pd.DataFrame:
    return make_tokens({"d": [tokens]})


# ---------------------------------------------------------------- term_frequency

TWO_DOCS = {"d1": [["经济", "发展"], ["经济"]], "d2": [["经济", "改革"]]}


def test_term_frequency_counts_documents_and_rates():
    table = term_frequency(make_tokens(TWO_DOCS))
    expected = pd.DataFrame(
        {
            "term": ["经济", "发展", "改革"],
            "count": [3, 1, 1],
            "doc_freq": [2, 1, 1],
            "per_10k_tokens": [6000.0, 2000.0, 2000.0],
            "rank": [1, 2, 3],
        }
    )
    pd.testing.assert_frame_equal(table, expected)


def test_term_frequency_breaks_ties_by_term_whatever_the_row_order():
    tokens = make_tokens({"d1": [["乙", "甲", "丙", "甲"]], "d2": [["丙", "乙"]]})
    table = term_frequency(tokens)
    # 丙 (U+4E19) < 乙 (U+4E59): equal counts are ordered by code point.
    assert table["term"].tolist() == ["丙", "乙", "甲"]
    assert table["rank"].tolist() == [1, 2, 3]
    shuffled = tokens.sample(frac=1, random_state=3)
    pd.testing.assert_frame_equal(term_frequency(shuffled), table)


def test_term_frequency_groups_by_a_column_of_the_tokens():
    tokens = make_tokens(TWO_DOCS)
    tokens["source"] = tokens["doc_id"].map({"d1": "人民日报", "d2": "新华社"})
    table = term_frequency(tokens, by="source")
    assert table.columns.tolist() == ["source", "term", "count", "doc_freq", "per_10k_tokens", "rank"]
    first = table[table["source"] == "人民日报"]
    assert first["term"].tolist() == ["经济", "发展"]
    assert first["count"].tolist() == [2, 1]
    assert first["per_10k_tokens"].tolist() == pytest.approx([20000 / 3, 10000 / 3])
    second = table[table["source"] == "新华社"]
    assert second["term"].tolist() == ["改革", "经济"]
    assert second["per_10k_tokens"].tolist() == [5000.0, 5000.0]
    assert second["rank"].tolist() == [1, 2]


def test_term_frequency_derives_year_from_the_corpus_date_and_keeps_undated_documents():
    tokens = make_tokens({**TWO_DOCS, "d3": [["改革"]]})
    corpus = pd.DataFrame(
        {"doc_id": ["d1", "d2", "d3"], "date": pd.to_datetime(["2021-03-05", "2022-03-05", None])}
    )
    table = term_frequency(tokens, by="year", corpus=corpus)
    assert table["year"].dtype == pd.PeriodDtype("Y")
    assert [str(year) for year in table["year"].tolist()[:4]] == ["2021", "2021", "2022", "2022"]
    assert table["year"].isna().tolist() == [False, False, False, False, True]
    assert table["term"].tolist() == ["经济", "发展", "改革", "经济", "改革"]
    assert table["count"].tolist() == [2, 1, 1, 1, 1]
    assert table["rank"].tolist() == [1, 2, 1, 2, 1]
    assert table["per_10k_tokens"].tolist() == pytest.approx([20000 / 3, 10000 / 3, 5000, 5000, 10000])


def test_term_frequency_derives_month_but_not_from_a_year_only_date():
    tokens = make_tokens({"d1": [["稳"]], "d2": [["保"]]})
    corpus = pd.DataFrame(
        {
            "doc_id": ["d1", "d2"],
            "date": pd.to_datetime(["2022-03-05", "2020-01-01"]),
            "date_precision": ["day", "year"],
        }
    )
    table = term_frequency(tokens, by="month", corpus=corpus)
    assert str(table["month"].iloc[0]) == "2022-03"
    assert table["term"].tolist() == ["稳", "保"]
    assert pd.isna(table["month"].iloc[1])


def test_term_frequency_prefers_an_explicit_corpus_column_to_a_derived_one():
    tokens = make_tokens({"d1": [["稳"]]})
    corpus = pd.DataFrame({"doc_id": ["d1"], "date": pd.to_datetime(["2022-03-05"]), "year": ["二〇二一"]})
    assert term_frequency(tokens, by="year", corpus=corpus)["year"].tolist() == ["二〇二一"]


def test_term_frequency_groups_by_several_columns():
    tokens = make_tokens({"d1": [["稳"]], "d2": [["稳"]], "d3": [["稳", "保"]]})
    corpus = pd.DataFrame(
        {
            "doc_id": ["d1", "d2", "d3"],
            "source": ["甲报", "甲报", "乙报"],
            "date": pd.to_datetime(["2021-01-01", "2021-05-01", "2021-01-01"]),
        }
    )
    table = term_frequency(tokens, by=["source", "year"], corpus=corpus)
    assert table.assign(year=table["year"].astype(str))[["source", "year", "term", "count", "doc_freq"]].values.tolist() == [
        ["乙报", "2021", "保", 1, 1],
        ["乙报", "2021", "稳", 1, 1],
        ["甲报", "2021", "稳", 2, 2],
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"by": "source"}, "pass corpus="),
        ({"by": "source", "corpus": pd.DataFrame({"doc_id": ["d1", "d2"]})}, "neither in tokens nor in the corpus"),
        ({"by": "year", "corpus": pd.DataFrame({"doc_id": ["d1"], "year": [2021]})}, "not in the corpus"),
        ({"by": "year", "corpus": pd.DataFrame({"doc_id": ["d1", "d1", "d2"], "year": [1, 2, 3]})}, "duplicate"),
        ({"by": "token"}, "cannot be"),
    ],
)
def test_term_frequency_explains_bad_grouping(kwargs, message):
    with pytest.raises(ValueError, match=message):
        term_frequency(make_tokens(TWO_DOCS), **kwargs)


def test_term_frequency_rejects_incomplete_tokens():
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['token'\]"):
        term_frequency(pd.DataFrame({"doc_id": ["d1"]}))
    broken = make_tokens(TWO_DOCS)
    broken.loc[2, "token"] = None
    with pytest.raises(ValueError, match="row 2 has no token"):
        term_frequency(broken)


# ---------------------------------------------------------------- keyness

# Hand-built 2x2 table: 稳就业 is 10 of 100 target tokens and 5 of 200 reference tokens.
TARGET = flat(["稳就业"] * 10 + ["发展"] * 90)
REFERENCE = flat(["稳就业"] * 5 + ["发展"] * 195)
# Expected cells: E = row total x column total / 300 -> 5, 10, 95, 190.
G2_BY_HAND = 2 * (10 * math.log(10 / 5) + 5 * math.log(5 / 10) + 90 * math.log(90 / 95) + 195 * math.log(195 / 190))
# Yates: |O - E| = 5 in every cell, reduced to 4.5.
CHI2_BY_HAND = 4.5**2 * (1 / 5 + 1 / 10 + 1 / 95 + 1 / 190)


def test_keyness_matches_the_hand_computed_two_by_two_table():
    table = keyness(TARGET, REFERENCE, min_count=1)
    assert table.columns.tolist() == [
        "term", "count_target", "count_reference", "per_10k_tokens_target", "per_10k_tokens_reference",
        "g2", "chi2", "p_value", "log_ratio",
    ]
    row = table.iloc[0]
    assert row["term"] == "稳就业"
    assert (row["count_target"], row["count_reference"]) == (10, 5)
    assert (row["per_10k_tokens_target"], row["per_10k_tokens_reference"]) == (1000.0, 250.0)
    assert G2_BY_HAND == pytest.approx(7.3298, abs=1e-4)
    assert row["g2"] == pytest.approx(G2_BY_HAND)
    assert row["chi2"] == pytest.approx(CHI2_BY_HAND)
    # For one degree of freedom the chi² tail is erfc(sqrt(x / 2)).
    assert row["p_value"] == pytest.approx(math.erfc(math.sqrt(G2_BY_HAND / 2)))
    assert row["log_ratio"] == pytest.approx(math.log2((10.5 / 100) / (5.5 / 200)))


def test_keyness_agrees_with_scipy_contingency_tests():
    table = keyness(TARGET, REFERENCE, min_count=1).set_index("term")
    observed = np.array([[10, 5], [90, 195]])
    g2, p_value, *_ = chi2_contingency(observed, correction=False, lambda_="log-likelihood")
    chi2, *_ = chi2_contingency(observed, correction=True)
    assert table.loc["稳就业", "g2"] == pytest.approx(g2)
    assert table.loc["稳就业", "p_value"] == pytest.approx(p_value)
    assert table.loc["稳就业", "chi2"] == pytest.approx(chi2)


def test_keyness_signs_reference_typical_terms_negative_and_sorts_them_last():
    table = keyness(TARGET, REFERENCE, min_count=1)
    assert table["term"].tolist() == ["稳就业", "发展"]
    reference_typical = table.iloc[1]
    # 发展's table is the mirror image of 稳就业's: same statistics, opposite sign.
    assert reference_typical["g2"] == pytest.approx(-G2_BY_HAND)
    assert reference_typical["chi2"] == pytest.approx(-CHI2_BY_HAND)
    assert reference_typical["log_ratio"] == pytest.approx(math.log2((90.5 / 100) / (195.5 / 200)))
    assert reference_typical["log_ratio"] < 0


def test_keyness_gives_a_finite_log_ratio_for_a_term_absent_from_the_reference():
    table = keyness(flat(["六保"] * 4 + ["发展"] * 4), flat(["发展"] * 8), min_count=1).set_index("term")
    assert table.loc["六保", "count_reference"] == 0
    assert table.loc["六保", "log_ratio"] == pytest.approx(math.log2((4.5 / 8) / (0.5 / 8)))


def test_keyness_min_count_drops_rare_terms_but_not_their_tokens_from_the_totals():
    table = keyness(flat(["甲"] * 3 + ["乙"]), flat(["甲"] * 2 + ["丙"] * 2), min_count=3)
    assert table["term"].tolist() == ["甲"]
    assert table["per_10k_tokens_target"].tolist() == [7500.0]
    assert table["per_10k_tokens_reference"].tolist() == [5000.0]


def test_keyness_accepts_term_frequency_tables():
    from_tokens = keyness(TARGET, REFERENCE, min_count=1)
    from_frequencies = keyness(term_frequency(TARGET), term_frequency(REFERENCE), min_count=1)
    pd.testing.assert_frame_equal(from_frequencies, from_tokens)
    by_hand = keyness(
        pd.DataFrame({"term": ["稳就业", "发展"], "count": [10, 90]}),
        pd.DataFrame({"term": ["发展", "稳就业"], "count": [195, 5]}),
        min_count=1,
    )
    pd.testing.assert_frame_equal(by_hand, from_tokens)


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (pd.DataFrame({"word": ["稳"]}), "must have a 'token' column"),
        (pd.DataFrame({"term": ["稳", "稳"], "count": [1, 2]}), "more than once"),
        (pd.DataFrame({"term": ["稳"], "count": [-1]}), "not a non-negative integer"),
        (pd.DataFrame({"token": pd.Series([], dtype="str")}), "target has no tokens"),
    ],
)
def test_keyness_explains_bad_input(target, message):
    with pytest.raises(ValueError, match=message):
        keyness(target, REFERENCE)


# ---------------------------------------------------------------- collocations

# Five sentences; bigrams: 保就业 x3, 就业民生, 民生保, 继续保, 就业工作. N = 7.
# "继续 保 | 就业 工作" puts 保 next to 就业 only across a sentence boundary.
SENTENCES = {"d": [["保", "就业", "民生"], ["保", "就业"], ["民生", "保", "就业"], ["继续", "保"], ["就业", "工作"]]}


def test_collocations_score_bigrams_by_hand():
    table = collocations(make_tokens(SENTENCES), min_count=1).set_index("collocation")
    assert sorted(table.index) == sorted(["保就业", "就业民生", "民生保", "继续保", "就业工作"])
    top = table.loc["保就业"]
    assert (top["term_a"], top["term_b"], top["count"]) == ("保", "就业", 3)
    # f(保_) = 3, f(_就业) = 3; the table is [[3, 0], [0, 4]] with expectations 9/7, 12/7, 12/7, 16/7.
    assert top["pmi"] == pytest.approx(math.log2(3 * 7 / (3 * 3)))
    assert top["g2"] == pytest.approx(2 * (3 * math.log(7 / 3) + 4 * math.log(7 / 4)))
    rare = table.loc["就业民生"]
    # f(就业_) = 2, f(_民生) = 1; table [[1, 1], [0, 5]], expectations 2/7, 12/7, 5/7, 30/7.
    assert rare["pmi"] == pytest.approx(math.log2(7 / 2))
    assert rare["g2"] == pytest.approx(2 * (math.log(7 / 2) + math.log(7 / 12) + 5 * math.log(7 / 6)))


def test_collocations_never_cross_a_sentence_but_may_cross_when_asked():
    tokens = make_tokens(SENTENCES)
    by_sentence = collocations(tokens, min_count=2)
    assert by_sentence[["collocation", "count"]].values.tolist() == [["保就业", 3]]
    by_document = collocations(tokens, min_count=2, by="document")
    assert by_document.set_index("collocation").loc["保就业", "count"] == 4


def test_collocations_restore_text_order_and_sort_deterministically():
    tokens = make_tokens(SENTENCES)
    expected = collocations(tokens, min_count=1)
    assert expected["g2"].is_monotonic_decreasing
    shuffled = tokens.sample(frac=1, random_state=7)
    pd.testing.assert_frame_equal(collocations(shuffled, min_count=1), expected)


def test_collocations_explain_bad_input():
    with pytest.raises(ValueError, match="by must be one of"):
        collocations(make_tokens(SENTENCES), by="clause")
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['para_id'\]"):
        collocations(make_tokens(SENTENCES).drop(columns="para_id"), by="paragraph")


# ---------------------------------------------------------------- real corpus


@pytest.mark.slow
def test_liubao_is_key_to_2021_2023_against_2011_2013(gov_reports_path):
    from analysis.corpus import load_corpus
    from analysis.tokens import tokenize

    corpus = load_corpus(gov_reports_path)
    years = corpus["date"].dt.year
    recent = corpus[years.between(2021, 2023)]
    earlier = corpus[years.between(2011, 2013)]
    assert len(recent) >= 3 and len(earlier) >= 3
    table = keyness(tokenize(recent), tokenize(earlier)).set_index("term")
    liubao = table.loc["六保"]
    assert liubao["count_reference"] == 0
    # 六保 appears only from 2020 on; every use in the text must have been counted.
    assert liubao["count_target"] == sum(text.count("六保") for text in recent["text_clean"])
    assert liubao["g2"] > 10 and liubao["p_value"] < 0.01
    frequencies = term_frequency(tokenize(recent), by="year", corpus=corpus)
    assert {period.year for period in frequencies["year"].dropna()} == {2021, 2022, 2023}


# ---------------------------------------------------------------- choices made for notebooks


def test_most_frequent_breaks_ties_by_term_and_returns_none_when_nothing_matches():
    tokens = flat(["改革", "六稳", "六保", "六保", "六稳", "发展"])
    assert most_frequent(tokens, among=["六稳", "六保"]) == "六保"  # a 2-2 tie: 保 (U+4FDD) sorts before 稳 (U+7A33)
    assert most_frequent(tokens, among="改革") == "改革"
    assert most_frequent(tokens, among=[]) is None
    assert most_frequent(tokens.iloc[:0]) is None


def test_keyness_latest_period_compares_the_last_period_with_all_earlier_ones():
    tokens = make_tokens({"a": [["发展"] * 6], "b": [["发展"] * 4 + ["改革"] * 2], "c": [["六保"] * 5 + ["发展"]],
                          "u": [["六保"] * 9]})
    corpus = pd.DataFrame({"doc_id": ["a", "b", "c", "u"],
                           "date": pd.to_datetime(["2019-03-05", "2020-03-05", "2022-03-05", None])})
    table = keyness_latest_period(tokens, corpus, by="year")
    expected = keyness(make_tokens({"c": [["六保"] * 5 + ["发展"]]}), make_tokens({"a": [["发展"] * 6],
                       "b": [["发展"] * 4 + ["改革"] * 2]}))
    # The undated document takes part in neither side.
    pd.testing.assert_frame_equal(table, expected)
    assert table.attrs["target"] == ("2022",) and table.attrs["reference"] == ("2019", "2020")
    assert table.attrs["note"] == "Target: year 2022; reference: year 2019, 2020."
    assert table["term"].iloc[0] == "六保" and table["g2"].iloc[0] > 0


def test_keyness_latest_period_is_empty_with_a_note_when_there_is_nothing_to_compare():
    tokens = make_tokens({"a": [["发展"] * 3], "b": [["改革"] * 3]})
    undated = pd.DataFrame({"doc_id": ["a", "b"], "date": pd.to_datetime([None, None])})
    table = keyness_latest_period(tokens, undated)
    assert table.empty and table.columns.tolist() == keyness(tokens, tokens).columns.tolist()
    assert "undated" in table.attrs["note"]
    one_year = undated.assign(date=pd.to_datetime(["2021-01-01", "2021-06-01"]))
    assert "Only 1 year" in keyness_latest_period(tokens, one_year, by="year").attrs["note"]


@pytest.mark.slow
def test_top_50_terms_of_the_government_work_reports_are_content_words(gov_reports_path):
    # The table notebook 03 exports first: load_corpus, default tokenize, term_frequency.
    import re

    from analysis.corpus import load_corpus
    from analysis.tokens import load_stopwords, tokenize

    corpus = load_corpus(gov_reports_path)
    top = term_frequency(tokenize(corpus)).head(50)["term"].tolist()
    stopwords = load_stopwords()
    function_words = set("的 了 和 是 在 与 及 等 对 为 将 把 被 从 以 而 也 都 就 要 并 着 之 其 这 那 有 个 年 中 上 下 又 再 于 我 们".split())
    for term in top:
        assert re.fullmatch(r"\w+", term), f"{term!r} holds punctuation or spaces"
        assert not re.search(r"\d", term), f"{term!r} holds a digit"
        assert term not in function_words, f"{term!r} is a function word"
        assert term not in stopwords, f"{term!r} is a stopword"
    assert {"发展", "改革", "经济"} <= set(top)


# ---------------------------------------------------------------- fast paths against straightforward references

WORDS = ["发展", "经济", "改革", "开放", "稳", "六保", "六稳", "民生", "就业", "创新", "乡村", "振兴"]


def random_tokens(seed: int, *, categorical: bool, shuffled: bool) -> pd.DataFrame:
    """A token table of random sentences; optionally categorical with an unused category, rows shuffled."""
    rng = np.random.default_rng(seed)
    rows = []
    for document in range(int(rng.integers(1, 7))):
        offset = 0
        for sent_id in range(int(rng.integers(1, 5))):
            for _ in range(int(rng.integers(1, 9))):
                token = WORDS[int(rng.integers(0, len(WORDS)))]
                rows.append((f"d{document}", 0, sent_id, token, offset, offset + len(token)))
                offset += len(token)
            offset += 1
    tokens = pd.DataFrame(rows, columns=["doc_id", "para_id", "sent_id", "token", "start", "end"])
    if categorical:
        # Categories deliberately not in code-point order, one of them unused.
        tokens["token"] = pd.Categorical(tokens["token"], categories=[*WORDS[::-1], "未用"])
    if shuffled:
        tokens = tokens.sample(frac=1, random_state=seed).reset_index(drop=True)
    return tokens


def reference_collocations(tokens: pd.DataFrame, *, min_count: int, unit: str | None) -> pd.DataFrame:
    """Bigrams counted by grouping strings, as collocations did before it counted over codes."""
    codes = pd.factorize(tokens["doc_id"])[0]
    ordered = tokens.iloc[np.lexsort((tokens["start"].to_numpy(), codes))].reset_index(drop=True)
    documents = pd.factorize(ordered["doc_id"])[0]
    same_unit = documents[1:] == documents[:-1]
    if unit:
        units = ordered[unit].to_numpy()
        same_unit &= units[1:] == units[:-1]
    words = ordered["token"].to_numpy(dtype=object)
    pairs = pd.DataFrame({"term_a": words[:-1][same_unit], "term_b": words[1:][same_unit]})
    table = pairs.groupby(["term_a", "term_b"], sort=True).size().rename("count").reset_index()
    table = table[table["count"] >= min_count].reset_index(drop=True)
    f_ab = table["count"].to_numpy(dtype=float)
    f_a = pairs["term_a"].value_counts().reindex(table["term_a"]).to_numpy(dtype=float)
    f_b = pairs["term_b"].value_counts().reindex(table["term_b"]).to_numpy(dtype=float)
    n = len(pairs)
    table["collocation"] = table["term_a"] + table["term_b"]
    table["count"] = table["count"].astype("int64")
    table["pmi"] = np.log2(f_ab * n / (f_a * f_b))
    o11, o12, o21, o22 = f_ab, f_a - f_ab, f_b - f_ab, n - f_a - f_b + f_ab
    row1, row2, col1, col2 = o11 + o12, o21 + o22, o11 + o21, o12 + o22
    expected = (row1 * col1 / n, row1 * col2 / n, row2 * col1 / n, row2 * col2 / n)
    from scipy.special import xlogy

    g2 = np.maximum(2 * sum(xlogy(o, o) - xlogy(o, e) for o, e in zip((o11, o12, o21, o22), expected)), 0.0)
    table["g2"] = np.sign(o11 - expected[0]) * g2
    table = table.sort_values(["g2", "count", "term_a", "term_b"], ascending=[False, False, True, True], kind="stable")
    return table.reset_index(drop=True)[["term_a", "term_b", "collocation", "count", "pmi", "g2"]]


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("categorical", [False, True])
def test_collocations_over_codes_equal_the_string_grouping(seed, categorical):
    tokens = random_tokens(seed, categorical=categorical, shuffled=seed % 2 == 1)
    for min_count, by, unit in ((1, "sentence", "sent_id"), (2, "document", None)):
        expected = reference_collocations(tokens, min_count=min_count, unit=unit)
        found = collocations(tokens, min_count=min_count, by=by)
        pd.testing.assert_frame_equal(found, expected.astype({column: "str" for column in ("term_a", "term_b", "collocation")}), check_exact=True)


def reference_term_frequency(tokens: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Term counts by grouping strings, as term_frequency did before it counted over codes."""
    grouped = tokens.groupby(keys + ["token"], dropna=False, sort=False, observed=True)
    counts = grouped["doc_id"].agg(["size", "nunique"]).reset_index()
    counts = counts.rename(columns={"token": "term", "size": "count", "nunique": "doc_freq"})
    counts = counts.astype({"count": "int64", "doc_freq": "int64"})
    if keys:
        total = counts.groupby(keys, dropna=False, sort=False, observed=True)["count"].transform("sum")
    else:
        total = counts["count"].sum()
    counts["per_10k_tokens"] = counts["count"] / total * 10_000
    counts = counts.sort_values(keys + ["count", "term"], ascending=[True] * len(keys) + [False, True],
                                na_position="last", kind="stable").reset_index(drop=True)
    if keys:
        counts["rank"] = counts.groupby(keys, dropna=False, sort=False, observed=True).cumcount() + 1
    else:
        counts["rank"] = np.arange(1, len(counts) + 1)
    counts["rank"] = counts["rank"].astype("int64")
    return counts[keys + ["term", "count", "doc_freq", "per_10k_tokens", "rank"]]


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("categorical", [False, True])
def test_term_frequency_over_codes_equals_the_string_grouping(seed, categorical):
    tokens = random_tokens(seed, categorical=categorical, shuffled=seed % 2 == 1)
    # A group column with a missing value: undated documents form their own group, sorted last.
    tokens["year"] = tokens["doc_id"].map({"d0": 2019.0, "d1": np.nan, "d2": 2021.0}).astype("float64")
    for keys in ([], ["year"], ["sent_id"], ["year", "sent_id"], ["doc_id"]):
        found = term_frequency(tokens, by=keys or None)
        pd.testing.assert_frame_equal(found, reference_term_frequency(tokens, keys), check_exact=True)
        assert found.attrs == {}
