"""analysis.cooccurrence against hand-computed values and a brute-force pure-Python count."""

from __future__ import annotations

import itertools
import math
from collections import Counter

import networkx as nx
import pandas as pd
import pytest

from analysis.cooccurrence import compare_periods, cooccurrence, cooccurrence_network, count_cooccurrences, partners
from analysis.validation import InputError


def make_tokens(documents: dict[str, list[list[list[str]]]]) -> pd.DataFrame:
    """A token table: document -> paragraphs -> sentences -> tokens; sent_id counts within the document."""
    rows = []
    for doc_id, paragraphs in documents.items():
        offset, sent_id = 0, 0
        for para_id, sentences in enumerate(paragraphs):
            for sentence in sentences:
                for token in sentence:
                    rows.append((doc_id, para_id, sent_id, token, offset, offset + len(token)))
                    offset += len(token)
                offset += 1
                sent_id += 1
    return pd.DataFrame(rows, columns=["doc_id", "para_id", "sent_id", "token", "start", "end"])


def sentences(*units: list[str]) -> pd.DataFrame:
    """One document, one paragraph, one sentence per argument."""
    return make_tokens({"d": [list(units)]})


# Three documents, several paragraphs and sentences, repeated tokens and a lonely one.
TEXT = {
    "d1": [
        [["六稳", "六保", "工作"], ["六稳", "就业", "就业", "民生"]],
        [["六保", "民生", "工作", "六稳", "就业"]],
    ],
    "d2": [[["就业", "民生"], ["六稳", "工作", "六保", "六保"]], [["改革", "就业"]]],
    "d3": [[["改革"]]],
}


# ---------------------------------------------------------------- brute force (loops are fine here)


def brute_force_edges(documents, context: str, window: int = 5) -> dict[tuple[str, str], tuple]:
    """Every edge and its measures, counted the slow, obvious way."""
    if context == "window":
        pair_counts = Counter()
        for paragraphs in documents.values():
            for sentence in itertools.chain.from_iterable(paragraphs):
                for i, j in itertools.combinations(range(len(sentence)), 2):
                    if j - i <= window:
                        pair_counts[(sentence[i], sentence[j])] += 1
                        pair_counts[(sentence[j], sentence[i])] += 1
        marginal = Counter()
        for (a, _), count in pair_counts.items():
            marginal[a] += count
        total = sum(pair_counts.values())
        together = {pair: count for pair, count in pair_counts.items() if pair[0] < pair[1]}
    else:
        contexts = []
        for paragraphs in documents.values():
            if context == "document":
                contexts.append(set(itertools.chain.from_iterable(itertools.chain.from_iterable(paragraphs))))
            elif context == "paragraph":
                contexts.extend(set(itertools.chain.from_iterable(sentences)) for sentences in paragraphs)
            else:
                contexts.extend(set(sentence) for sentences in paragraphs for sentence in sentences)
        total = len(contexts)
        marginal = Counter(term for terms in contexts for term in terms)
        together = Counter(pair for terms in contexts for pair in itertools.combinations(sorted(terms), 2))
    edges = {}
    for (a, b), count in together.items():
        f_a, f_b = marginal[a], marginal[b]
        pmi = math.log2(count * total / (f_a * f_b))
        npmi = 1.0 if count == total else pmi / -math.log2(count / total)
        log_dice = 14 + math.log2(2 * count / (f_a + f_b))
        jaccard = count / (f_a + f_b - count)
        edges[(a, b)] = (count, pmi, npmi, log_dice, jaccard)
    return edges


@pytest.mark.parametrize(
    ("context", "window"),
    [("sentence", 5), ("paragraph", 5), ("document", 5), ("window", 1), ("window", 2), ("window", 5)],
)
def test_every_measure_matches_a_brute_force_count(context, window):
    edges = cooccurrence(make_tokens(TEXT), context=context, window=window, n=None, min_count=1)
    expected = brute_force_edges(TEXT, context, window)
    found = {
        (row.term_a, row.term_b): (row.count, row.pmi, row.npmi, row.log_dice, row.jaccard)
        for row in edges.itertuples()
    }
    assert set(found) == set(expected)
    for pair, values in expected.items():
        assert found[pair][0] == values[0], pair
        assert found[pair][1:] == pytest.approx(values[1:]), pair


@pytest.mark.parametrize("context", ["sentence", "paragraph", "document", "window"])
def test_partners_match_the_brute_force_count(context):
    table = partners(make_tokens(TEXT), "六稳", context=context, window=2)
    expected = {
        (b if a == "六稳" else a): values
        for (a, b), values in brute_force_edges(TEXT, context, 2).items()
        if "六稳" in (a, b)
    }
    assert set(table["term"]) == set(expected)
    for row in table.itertuples():
        assert row.count == expected[row.term][0]
        assert (row.pmi, row.npmi, row.log_dice, row.jaccard) == pytest.approx(expected[row.term][1:])


# ---------------------------------------------------------------- hand-computed values


def test_sentence_measures_by_hand():
    # N = 4 sentences; 甲 in 2, 乙 in 2, together in 1.
    edges = cooccurrence(sentences(["甲", "乙"], ["甲", "丙"], ["乙", "丁"], ["丙"]), n=None, min_count=1)
    row = edges[(edges["term_a"] == "乙") & (edges["term_b"] == "甲")].iloc[0]
    assert row["count"] == 1
    assert row["pmi"] == pytest.approx(0.0)  # log2(1 * 4 / (2 * 2))
    assert row["npmi"] == pytest.approx(0.0)
    assert row["log_dice"] == pytest.approx(13.0)  # 14 + log2(2 / 4)
    assert row["jaccard"] == pytest.approx(1 / 3)


def test_a_repeated_term_counts_one_context_only():
    edges = cooccurrence(sentences(["稳", "稳", "稳", "保"], ["保"]), n=None, min_count=1)
    assert edges[["term_a", "term_b", "count"]].values.tolist() == [["保", "稳", 1]]
    # 稳 is in 1 of 2 sentences, 保 in 2: pmi = log2(1 * 2 / (1 * 2)) = 0.
    assert edges["pmi"].iloc[0] == pytest.approx(0.0)
    assert edges["jaccard"].iloc[0] == pytest.approx(0.5)


def test_npmi_is_one_for_terms_that_only_occur_together():
    edges = cooccurrence(sentences(["稳", "保"], ["稳", "保"], ["发展"]), n=None, min_count=1)
    assert edges[["term_a", "term_b", "count"]].values.tolist() == [["保", "稳", 2]]
    assert edges["npmi"].iloc[0] == pytest.approx(1.0)
    assert edges["log_dice"].iloc[0] == pytest.approx(14.0)
    assert edges["jaccard"].iloc[0] == pytest.approx(1.0)
    everywhere = cooccurrence(sentences(["稳", "保"], ["稳", "保"]), n=None, min_count=1)
    assert everywhere["npmi"].iloc[0] == 1.0  # -log2 p(ab) is 0 here: the limit, not 0/0


def test_window_counts_position_pairs_within_the_distance_and_the_sentence():
    tokens = sentences(["甲", "乙", "丙", "甲"], ["丙", "乙"])
    near = cooccurrence(tokens, context="window", window=1, n=None, min_count=1).set_index(["term_a", "term_b"])
    # window 1: 甲乙, 乙丙, 丙甲 in the first sentence, 丙乙 in the second; 甲...丙 across the stop is not a pair.
    assert near["count"].to_dict() == {("丙", "乙"): 2, ("丙", "甲"): 1, ("乙", "甲"): 1}
    # M has row sums 甲 2, 乙 3, 丙 3 and total 8.
    assert near.loc[("乙", "甲"), "pmi"] == pytest.approx(math.log2(1 * 8 / (3 * 2)))
    assert near.loc[("丙", "乙"), "jaccard"] == pytest.approx(2 / (3 + 3 - 2))
    wide = cooccurrence(tokens, context="window", window=3, n=None, min_count=1).set_index(["term_a", "term_b"])
    # window 3 adds 甲丙 (0, 2), 乙甲 (1, 3) and the pair 甲甲 (0, 3), which is no edge.
    assert wide["count"].to_dict() == {("丙", "乙"): 2, ("丙", "甲"): 2, ("乙", "甲"): 2}
    assert wide.loc[("乙", "甲"), "pmi"] == pytest.approx(math.log2(2 * 14 / (4 * 6)))


# ---------------------------------------------------------------- selection, filtering, order


def test_top_n_keeps_the_most_frequent_terms_with_ties_broken_by_term():
    tokens = sentences(["甲", "乙", "丙", "丁"], ["甲", "乙", "丙"], ["甲", "丁"])
    # Frequencies: 甲 3, then 乙, 丙, 丁 tied at 2: the tie goes to the first by code point, 丁 (U+4E01).
    edges = cooccurrence(tokens, n=2, min_count=1)
    assert edges[["term_a", "term_b"]].values.tolist() == [["丁", "甲"]]
    assert edges["count"].tolist() == [2]


def test_named_terms_restrict_the_edges_and_unknown_ones_warn():
    tokens = make_tokens(TEXT)
    edges = cooccurrence(tokens, terms=["六稳", "六保", "民生"], min_count=1)
    assert set(edges["term_a"]) | set(edges["term_b"]) <= {"六稳", "六保", "民生"}
    assert len(edges) == 3
    with pytest.warns(UserWarning, match="稳增长"):
        edges = cooccurrence(tokens, terms=["六稳", "稳增长"], min_count=1)
    assert edges.empty


def test_min_count_drops_rare_edges_but_not_their_contexts():
    tokens = make_tokens(TEXT)
    every = cooccurrence(tokens, n=None, min_count=1)
    frequent = cooccurrence(tokens, n=None, min_count=2)
    assert (frequent["count"] >= 2).all()
    assert len(frequent) == (every["count"] >= 2).sum()
    kept = every[every["count"] >= 2].reset_index(drop=True)
    pd.testing.assert_frame_equal(frequent, kept)


def test_edges_are_unordered_sorted_and_independent_of_row_order():
    tokens = make_tokens(TEXT)
    edges = cooccurrence(tokens, n=None, min_count=1)
    assert (edges["term_a"] < edges["term_b"]).all()
    assert not edges.duplicated(["term_a", "term_b"]).any()
    expected_order = edges.sort_values(["count", "term_a", "term_b"], ascending=[False, True, True])
    assert edges.index.tolist() == expected_order.index.tolist()
    for context in ("sentence", "window"):
        ordered = cooccurrence(tokens, context=context, n=None, min_count=1)
        shuffled = cooccurrence(tokens.sample(frac=1, random_state=11), context=context, n=None, min_count=1)
        pd.testing.assert_frame_equal(shuffled, ordered)


def test_cooccurrence_explains_bad_input():
    tokens = make_tokens(TEXT)
    with pytest.raises(ValueError, match="context must be one of"):
        cooccurrence(tokens, context="clause")
    with pytest.raises(ValueError, match="window must be"):
        cooccurrence(tokens, context="window", window=0)
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['para_id'\]"):
        cooccurrence(tokens.drop(columns="para_id"), context="paragraph")
    with pytest.raises(ValueError, match="n must be"):
        cooccurrence(tokens, n=0)


# ---------------------------------------------------------------- partners


def test_partners_include_rare_terms_and_sort_by_npmi_then_count():
    tokens = sentences(["六稳", "六保", "工作"], ["六稳", "六保"], ["六稳", "民生"], ["工作"], ["民生", "工作"])
    table = partners(tokens, "六稳")
    # N = 5; 六稳 in 3; 六保 2 (both 2), 工作 3 (both 1), 民生 2 (both 1).
    assert table["term"].tolist() == ["六保", "民生", "工作"]
    assert table["count"].tolist() == [2, 1, 1]
    assert table["npmi"].tolist() == pytest.approx(
        [
            math.log2(2 * 5 / (3 * 2)) / -math.log2(2 / 5),
            math.log2(1 * 5 / (3 * 2)) / -math.log2(1 / 5),
            math.log2(1 * 5 / (3 * 3)) / -math.log2(1 / 5),
        ]
    )
    assert partners(tokens, "六稳", min_count=2)["term"].tolist() == ["六保"]


def test_partners_by_log_dice_put_frequent_company_before_a_pair_seen_twice():
    # 六稳 in 20 of 60 sentences: 工作 with it 10 times (and 30 times without), 归结 twice, never alone.
    rows = [["六稳", "工作"]] * 10 + [["六稳", "归结"]] * 2 + [["六稳"]] * 8 + [["工作"]] * 30 + [["民生"]] * 10
    tokens = sentences(*rows)
    assert partners(tokens, "六稳")["term"].tolist() == ["归结", "工作"]
    by_dice = partners(tokens, "六稳", measure="log_dice")
    assert by_dice["term"].tolist() == ["工作", "归结"]
    assert by_dice["log_dice"].is_monotonic_decreasing
    assert partners(tokens, "六稳", measure="count")["count"].tolist() == [10, 2]
    with pytest.raises(ValueError, match="measure must be one of"):
        partners(tokens, "六稳", measure="dice")


def test_partners_reject_an_absent_term():
    with pytest.raises(ValueError, match="'六稳' does not occur"):
        partners(sentences(["六保", "工作"]), "六稳")


# ---------------------------------------------------------------- network


def edge_table(rows):
    return pd.DataFrame(rows, columns=["term_a", "term_b", "count", "pmi", "npmi", "log_dice", "jaccard"])


TWO_CLUSTERS = edge_table(
    [
        ("乙", "甲", 5, 2.0, 0.9, 13.5, 0.8),
        ("丙", "甲", 5, 2.0, 0.8, 13.4, 0.7),
        ("丙", "乙", 5, 2.0, 0.85, 13.4, 0.7),
        ("丁", "戊", 4, 2.0, 0.9, 13.5, 0.8),
        ("丁", "己", 4, 2.0, 0.8, 13.4, 0.7),
        ("己", "戊", 4, 2.0, 0.85, 13.4, 0.7),
        ("丁", "丙", 1, 0.1, 0.05, 10.0, 0.1),
        ("庚", "甲", 1, -1.0, -0.2, 9.0, 0.05),
    ]
)


def test_network_finds_the_two_clusters_and_drops_negative_associations():
    graph = cooccurrence_network(TWO_CLUSTERS)
    assert graph.graph["measure"] == "npmi"
    assert "庚" not in graph  # its only edge is rarer than chance
    assert graph.number_of_edges() == 7
    community = nx.get_node_attributes(graph, "community")
    assert community["甲"] == community["乙"] == community["丙"]
    assert community["丁"] == community["戊"] == community["己"]
    assert community["甲"] != community["丁"]
    # Equal sizes: the community holding the smallest term (丁, U+4E01) is numbered 0.
    assert community["丁"] == 0
    assert graph["甲"]["乙"]["weight"] == 0.9
    assert graph["甲"]["乙"]["count"] == 5


def test_network_keeps_only_the_strongest_edges():
    graph = cooccurrence_network(TWO_CLUSTERS, measure="log_dice", top_edges=2)
    assert sorted(tuple(sorted(edge)) for edge in graph.edges) == [("丁", "戊"), ("乙", "甲")]
    assert graph["丁"]["戊"]["weight"] == 13.5


def test_network_explains_bad_input():
    with pytest.raises(ValueError, match="measure must be one of"):
        cooccurrence_network(TWO_CLUSTERS, measure="dice")
    with pytest.raises(ValueError, match="more than once"):
        cooccurrence_network(pd.concat([TWO_CLUSTERS, TWO_CLUSTERS.head(1)]))
    empty = cooccurrence_network(TWO_CLUSTERS.iloc[:0])
    assert empty.number_of_nodes() == 0


# ---------------------------------------------------------------- periods

PERIODS = {
    "y2021": [[["六稳", "六保"], ["六稳", "六保"], ["发展", "改革"]]],
    "y2023": [[["六稳", "六保"], ["发展", "改革"], ["发展", "改革"], ["创新", "发展"]]],
}
PERIOD_CORPUS = pd.DataFrame({"doc_id": ["y2021", "y2023"], "date": pd.to_datetime(["2021-03-05", "2023-03-05"])})


def test_compare_periods_reports_appearing_and_changing_edges():
    table = compare_periods(make_tokens(PERIODS), PERIOD_CORPUS, period_a=2021, period_b=2023, min_count=1)
    assert table.columns.tolist() == [
        "term_a", "term_b", "status", "count_a", "count_b", "npmi_a", "npmi_b", "change",
    ]
    assert table[["term_a", "term_b", "status", "count_a", "count_b"]].values.tolist() == [
        ["创新", "发展", "appeared", 0, 1],
        ["发展", "改革", "changed", 1, 2],
        ["六保", "六稳", "changed", 2, 1],
    ]
    # 2023: N = 4, 发展 in 3, 改革 in 2, together in 2 -> npmi = log2(4/3) / 1; 2021: 1.
    assert table["npmi_b"].iloc[1] == pytest.approx(math.log2(4 / 3))
    assert table["change"].iloc[1] == pytest.approx(math.log2(4 / 3) - 1)
    assert table["change"].iloc[2] == pytest.approx(0.0)
    assert pd.isna(table["npmi_a"].iloc[0]) and pd.isna(table["change"].iloc[0])


def test_compare_periods_reports_vanishing_edges_and_applies_min_count():
    tokens = make_tokens(PERIODS)
    backwards = compare_periods(tokens, PERIOD_CORPUS, period_a=[2023], period_b=[2021], min_count=1)
    assert backwards.iloc[0][["term_a", "term_b", "status"]].tolist() == ["创新", "发展", "vanished"]
    frequent = compare_periods(tokens, PERIOD_CORPUS, period_a=2021, period_b=2023, min_count=2)
    assert frequent["status"].tolist() == ["changed", "changed"]


def test_compare_periods_explains_bad_periods():
    tokens = make_tokens(PERIODS)
    with pytest.raises(ValueError, match=r"period_b=2022 matches no tokens; 'year' has the values \['2021', '2023'\]"):
        compare_periods(tokens, PERIOD_CORPUS, period_a=2021, period_b=2022)
    with pytest.raises(ValueError, match="overlap"):
        compare_periods(tokens, PERIOD_CORPUS, period_a=[2021, 2023], period_b=2023)


# ---------------------------------------------------------------- real corpus


@pytest.mark.slow
def test_liubao_is_the_closest_partner_of_liuwen_in_the_2021_2023_reports(gov_reports_path):
    from analysis.corpus import load_corpus
    from analysis.tokens import tokenize

    corpus = load_corpus(gov_reports_path)
    recent = corpus[corpus["date"].dt.year.between(2021, 2023)]
    tokens = tokenize(recent)
    liuwen_sentences = tokens.loc[tokens["token"] == "六稳", ["doc_id", "sent_id"]].drop_duplicates()
    assert len(liuwen_sentences) >= 6  # 2021: 2, 2022: 3, 2023: 1 in the reports alone
    table = partners(tokens, "六稳", context="sentence")
    # The reports always pair them ("六稳"、"六保"): 六保 shares every sentence of 六稳.
    assert table["term"].iloc[0] == "六保"
    assert table["npmi"].iloc[0] == pytest.approx(1.0)
    assert table.set_index("term").loc["六保", "count"] == len(liuwen_sentences)
    by_count = table.sort_values(["count", "term"], ascending=[False, True])
    assert "六保" in by_count["term"].head(10).tolist()
    edges = cooccurrence(tokens, terms=["六稳", "六保", "工作"], min_count=1)
    assert ("六保", "六稳") in set(zip(edges["term_a"], edges["term_b"]))


def test_compare_periods_defaults_to_the_earlier_and_later_half_of_the_dated_range():
    tokens = make_tokens(PERIODS)
    chosen = compare_periods(tokens, PERIOD_CORPUS, min_count=1)
    explicit = compare_periods(tokens, PERIOD_CORPUS, period_a=[2021], period_b=[2023], min_count=1)
    pd.testing.assert_frame_equal(chosen, explicit)
    assert chosen.attrs["period_a"] == ("2021",) and chosen.attrs["period_b"] == ("2023",)
    assert chosen.attrs["note"] == "Period a: year 2021; period b: year 2023."
    # by=None picks the period from the corpus dates by the one rule (two years apart: months).
    assert compare_periods(tokens, PERIOD_CORPUS, by=None, min_count=1).attrs["period_b"] == ("2023-03",)


def test_compare_periods_of_an_undated_corpus_is_an_empty_table_with_a_note():
    tokens = make_tokens(PERIODS)
    undated = PERIOD_CORPUS.assign(date=pd.NaT)
    for by in (None, "year"):
        table = compare_periods(tokens, undated, by=by)
        assert table.empty
        assert table.columns.tolist() == [
            "term_a", "term_b", "status", "count_a", "count_b", "npmi_a", "npmi_b", "change",
        ]
        assert table.attrs["note"].startswith("No period comparison")
    assert "undated" in compare_periods(tokens, undated, by=None).attrs["note"]
    with pytest.raises(ValueError, match="give both"):
        compare_periods(tokens, PERIOD_CORPUS, period_a=2021)


def test_partners_with_missing_empty_returns_an_empty_table_with_a_note():
    tokens = sentences(["六稳", "六保"], ["六稳", "六保"])
    for term, reason in ((None, "No term was given"), ("六证", "'六证' does not occur")):
        table = partners(tokens, term, missing="empty")
        assert table.empty and table.columns.tolist() == ["term", "count", "pmi", "npmi", "log_dice", "jaccard"]
        assert reason in table.attrs["note"]
    with pytest.raises(ValueError, match="does not occur"):
        partners(tokens, "六证")
    with pytest.raises(ValueError, match="missing must be"):
        partners(tokens, "六稳", missing="ignore")
    found = partners(tokens, "六稳", missing="empty")
    assert found["term"].tolist() == ["六保"]
    assert found.attrs["note"] == "Partners of '六稳' by sentence."


def test_partners_leave_out_single_character_fragments_unless_asked():
    tokens = sentences(["高质量发展", "和量", "量", "就业"], ["高质量发展", "量", "就业"])
    assert partners(tokens, "高质量发展")["term"].tolist() == ["就业", "和量"]
    assert "量" in partners(tokens, "高质量发展", min_chars=1)["term"].tolist()
    with pytest.raises(ValueError, match="min_chars"):
        partners(tokens, "高质量发展", min_chars=0)


def test_counts_are_the_same_whether_contexts_stand_together_or_are_scattered():
    # tokenize's order (document by document, sentence by sentence) takes the
    # run-based count; any other order the grouping one: both must agree.
    tokens = pd.DataFrame(
        {
            "doc_id": ["b", "b", "b", "b", "a", "a", "a", "a", "a"],
            "sent_id": [0, 0, 1, 1, 0, 0, 0, 2, 2],
            "token": ["稳就业", "保民生", "稳就业", "稳就业", "保民生", "稳就业", "稳就业", "保民生", "扩内需"],
        }
    )
    for context in ("sentence", "document", "window"):
        in_order = cooccurrence(tokens, context=context, n=None, min_count=1)
        scattered = cooccurrence(tokens.iloc[[4, 0, 7, 1, 5, 2, 8, 3, 6]], context=context, n=None, min_count=1)
        pd.testing.assert_frame_equal(in_order, scattered)
    edges = cooccurrence(tokens, context="sentence", n=None, min_count=1).set_index(["term_a", "term_b"])["count"]
    # Sentences: b0 {稳就业, 保民生}, b1 {稳就业}, a0 {保民生, 稳就业}, a2 {保民生, 扩内需}.
    assert edges.to_dict() == {("保民生", "稳就业"): 2, ("保民生", "扩内需"): 1}


# ---------------------------------------------------------------- counts counted once, against a count by hand

WORDS = ["发展", "经济", "改革", "开放", "稳", "六保", "六稳", "民生", "就业"]


def random_sentences(seed: int) -> pd.DataFrame:
    import numpy as np

    rng = np.random.default_rng(seed)
    rows = []
    for document in range(int(rng.integers(1, 5))):
        start = 0
        for paragraph in range(int(rng.integers(1, 3))):
            for sentence in range(int(rng.integers(1, 4))):
                for _ in range(int(rng.integers(1, 8))):
                    token = WORDS[int(rng.integers(0, len(WORDS)))]
                    rows.append((f"d{document}", paragraph, paragraph * 10 + sentence, token, start))
                    start += len(token)
    tokens = pd.DataFrame(rows, columns=["doc_id", "para_id", "sent_id", "token", "start"])
    if seed % 2:
        tokens["token"] = pd.Categorical(tokens["token"], categories=[*WORDS[::-1], "未用"])
    return tokens


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("context", ["sentence", "paragraph", "document"])
def test_pair_counts_are_the_contexts_holding_both_terms(seed, context):
    tokens = random_sentences(seed)
    keys = {"sentence": ["doc_id", "sent_id"], "paragraph": ["doc_id", "para_id"], "document": ["doc_id"]}[context]
    contexts = [set(group["token"].astype(str)) for _, group in tokens.groupby(keys, sort=False)]
    together = Counter(pair for terms in contexts for pair in itertools.combinations(sorted(terms), 2))
    edges = cooccurrence(tokens, context=context, n=None, min_count=1)
    assert {(row.term_a, row.term_b): row.count for row in edges.itertuples()} == dict(together)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("context", ["sentence", "document", "window"])
def test_counts_counted_once_give_the_tables_of_the_token_table(seed, context):
    tokens = random_sentences(seed)
    counts = count_cooccurrences(tokens, context=context, window=3)
    for n, min_count in ((3, 1), (None, 2)):
        pd.testing.assert_frame_equal(
            cooccurrence(counts, n=n, min_count=min_count),
            cooccurrence(tokens, context=context, window=3, n=n, min_count=min_count),
            check_exact=True,
        )
    for term in ("发展", "稳"):
        if term in set(tokens["token"].astype(str)):
            found = partners(counts, term, min_count=1, min_chars=1, measure="log_dice")
            expected = partners(tokens, term, context=context, window=3, min_count=1, min_chars=1, measure="log_dice")
            pd.testing.assert_frame_equal(found, expected, check_exact=True)
            assert found.attrs == expected.attrs


def test_counts_refuse_another_context_than_their_own():
    counts = count_cooccurrences(random_sentences(1), context="document")
    with pytest.raises(InputError, match="counts are of context 'document'"):
        cooccurrence(counts, context="sentence")
    with pytest.raises(InputError, match="counts are of window 3"):
        partners(count_cooccurrences(random_sentences(1), context="window", window=3), "发展", window=2)
