"""analysis.topics on hand-built token tables with known answers."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from analysis.topics import (
    DocumentTermMatrix,
    TopicModel,
    best_n_topics,
    build_dtm,
    choose_n_topics,
    coherence,
    fit_topics,
    top_tfidf_terms,
    topic_share,
)


def make_tokens(documents: dict[str, list[str]]) -> pd.DataFrame:
    rows = []
    for doc_id, tokens in documents.items():
        offset = 0
        for token in tokens:
            rows.append((doc_id, 0, 0, token, offset, offset + len(token)))
            offset += len(token)
    return pd.DataFrame(rows, columns=["doc_id", "para_id", "sent_id", "token", "start", "end"])


ECONOMY = ["经济", "增长", "投资", "消费"]
ECOLOGY = ["生态", "环境", "污染", "绿色"]
# Two clean themes: every document holds its theme's four terms, one of them twice.
THEMES = make_tokens(
    {**{f"econ{i}": ECONOMY + [ECONOMY[i]] for i in range(4)}, **{f"eco{i}": ECOLOGY + [ECOLOGY[i]] for i in range(4)}}
)
SMALL = make_tokens({"d1": ["经济", "发展", "经济"], "d2": ["改革", "发展"]})


# ---------------------------------------------------------------- build_dtm


def test_count_matrix_keeps_vocabulary_and_documents():
    dtm = build_dtm(SMALL, weighting="count")
    assert isinstance(dtm.matrix, sparse.csr_matrix)
    assert dtm.weighting == "count"
    assert dtm.vocabulary == ["发展", "改革", "经济"]  # code-point order
    assert dtm.doc_ids == ["d1", "d2"]
    assert dtm.matrix.toarray().tolist() == [[1, 0, 2], [1, 1, 0]]


def test_tfidf_matrix_uses_smoothed_idf_and_unit_rows():
    dtm = build_dtm(SMALL)
    idf_rare = math.log(3 / 2) + 1  # ln((1 + n) / (1 + df)) + 1 with n = 2, df = 1
    first = np.array([1.0, 0.0, 2 * idf_rare])
    second = np.array([1.0, idf_rare, 0.0])
    expected = np.vstack([first / np.linalg.norm(first), second / np.linalg.norm(second)])
    assert dtm.weighting == "tfidf"
    np.testing.assert_allclose(dtm.matrix.toarray(), expected)


def test_documents_keep_their_order_of_appearance():
    tokens = make_tokens({"z": ["甲"], "a": ["甲", "乙"]})
    dtm = build_dtm(tokens, weighting="count")
    assert dtm.doc_ids == ["z", "a"]  # not sorted by id: the corpus order is kept
    assert dtm.vocabulary == ["乙", "甲"]
    assert dtm.matrix.toarray().tolist() == [[0, 1], [1, 1]]


def test_document_frequency_limits_and_max_features_ties_by_term():
    assert build_dtm(SMALL, weighting="count", min_df=2).vocabulary == ["发展"]
    assert build_dtm(SMALL, weighting="count", max_df=1).vocabulary == ["改革", "经济"]
    tied = make_tokens({"d1": ["甲", "乙"], "d2": ["丙"]})
    # All three occur once; 丙 (U+4E19) and 乙 (U+4E59) come before 甲 (U+7532).
    dtm = build_dtm(tied, weighting="count", max_features=2)
    assert dtm.vocabulary == ["丙", "乙"]
    assert dtm.matrix.toarray().tolist() == [[0, 1], [1, 0]]


def test_build_dtm_explains_bad_input():
    with pytest.raises(ValueError, match="weighting must be one of"):
        build_dtm(SMALL, weighting="bm25")
    with pytest.raises(ValueError, match="tokens is empty"):
        build_dtm(SMALL.iloc[:0])
    with pytest.raises(ValueError, match="min_df=2"):
        build_dtm(make_tokens({"d1": ["甲"], "d2": ["乙"]}), min_df=2)
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['token'\]"):
        build_dtm(SMALL.drop(columns="token"))


# ---------------------------------------------------------------- top_tfidf_terms


def test_top_tfidf_terms_rank_by_weight_then_term():
    matrix = sparse.csr_matrix(np.array([[0.5, 0.5, 0.7], [0.0, 0.3, 0.0]]))
    dtm = DocumentTermMatrix(matrix=matrix, vocabulary=["甲", "乙", "丙"], doc_ids=["d1", "d2"], weighting="tfidf")
    table = top_tfidf_terms(dtm, n=2)
    expected = pd.DataFrame(
        {"doc_id": ["d1", "d1", "d2"], "term": ["丙", "乙", "乙"], "weight": [0.7, 0.5, 0.3], "rank": [1, 2, 1]}
    )
    pd.testing.assert_frame_equal(table, expected)


def test_top_tfidf_terms_needs_tfidf_weights():
    with pytest.raises(ValueError, match="needs a TF-IDF matrix"):
        top_tfidf_terms(build_dtm(SMALL, weighting="count"))
    with pytest.raises(ValueError, match="does not match"):
        DocumentTermMatrix(matrix=sparse.csr_matrix((2, 2)), vocabulary=["甲"], doc_ids=["d1", "d2"], weighting="count")


# ---------------------------------------------------------------- fit_topics


@pytest.mark.parametrize("method", ["nmf", "lda"])
def test_two_themes_become_two_topics(method):
    model = fit_topics(THEMES, n_topics=2, method=method, n_terms=4)
    assert isinstance(model, TopicModel) and model.method == method and model.n_topics == 2
    assert model.topic_terms.columns.tolist() == ["topic", "label", "term", "weight", "rank"]
    assert model.doc_topics.columns.tolist() == ["doc_id", "topic", "label", "weight"]
    themes = sorted(sorted(group["term"]) for _, group in model.topic_terms.groupby("topic"))
    assert themes == sorted([sorted(ECONOMY), sorted(ECOLOGY)])
    assert (model.topic_terms.groupby("topic")["rank"].apply(list) == [[1, 2, 3, 4]] * 2).all()
    for topic, group in model.topic_terms.groupby("topic"):
        assert model.labels[topic] == "·".join(group["term"].head(3))
        assert group["label"].unique().tolist() == [model.labels[topic]]
    economy_topic = int(model.topic_terms.loc[model.topic_terms["term"] == "经济", "topic"].iloc[0])
    shares = model.doc_topics[model.doc_topics["topic"] == economy_topic].set_index("doc_id")["weight"]
    assert (shares[[f"econ{i}" for i in range(4)]] > 0.8).all()
    assert (shares[[f"eco{i}" for i in range(4)]] < 0.2).all()
    totals = model.doc_topics.groupby("doc_id")["weight"].sum()
    np.testing.assert_allclose(totals, 1.0)


def test_nmf_ties_between_equally_weighted_terms_go_to_code_point_order():
    model = fit_topics(THEMES, n_topics=2, method="nmf", n_terms=4)
    # The four terms of a theme are interchangeable in the data, so only the term can order them.
    for _, group in model.topic_terms.groupby("topic"):
        assert group["term"].tolist() == sorted(group["term"])


@pytest.mark.parametrize("method", ["nmf", "lda"])
def test_fitting_twice_gives_identical_tables(method):
    first = fit_topics(THEMES, n_topics=3, method=method, random_state=4)
    second = fit_topics(THEMES, n_topics=3, method=method, random_state=4)
    pd.testing.assert_frame_equal(first.topic_terms, second.topic_terms)
    pd.testing.assert_frame_equal(first.doc_topics, second.doc_topics)


def test_too_many_topics_are_clamped_with_a_warning():
    with pytest.warns(UserWarning, match="fitting 8 topics"):
        model = fit_topics(THEMES, n_topics=20)
    assert model.n_topics == 8
    assert model.doc_topics["topic"].nunique() == 8


def test_each_method_insists_on_its_weighting():
    with pytest.raises(ValueError, match="'nmf' needs a tfidf matrix"):
        fit_topics(build_dtm(THEMES, weighting="count"), method="nmf")
    with pytest.raises(ValueError, match="'lda' needs a count matrix"):
        fit_topics(build_dtm(THEMES), method="lda")
    with pytest.raises(ValueError, match="method must be one of"):
        fit_topics(THEMES, method="lsa")
    # Given tokens, the right matrix is built.
    assert fit_topics(THEMES, n_topics=2, method="lda").dtm.weighting == "count"


# ---------------------------------------------------------------- coherence


def test_topics_of_always_co_occurring_terms_have_coherence_one():
    model = fit_topics(THEMES, n_topics=2, n_terms=4)
    table = coherence(model, THEMES, n_terms=4)
    assert table.columns.tolist() == ["topic", "label", "coherence"]
    assert table["coherence"].tolist() == pytest.approx([1.0, 1.0])
    assert table.attrs["overall"] == pytest.approx(1.0)
    by_matrix = coherence(model, model.dtm, n_terms=4)
    pd.testing.assert_frame_equal(by_matrix, table)


def test_coherence_matches_a_brute_force_npmi():
    documents = {
        "a": ["稳", "就业", "民生"],
        "b": ["稳", "就业"],
        "c": ["稳", "民生", "改革"],
        "d": ["改革", "开放"],
        "e": ["改革", "开放", "就业"],
        "f": ["开放", "民生"],
    }
    model = fit_topics(make_tokens(documents), n_topics=2, n_terms=3)
    table = coherence(model, make_tokens(documents), n_terms=3)
    sets = [set(tokens) for tokens in documents.values()]
    for topic, group in model.topic_terms.groupby("topic"):
        scores = []
        for a, b in itertools.combinations(group["term"], 2):
            p_a = sum(a in s for s in sets) / len(sets)
            p_b = sum(b in s for s in sets) / len(sets)
            p_ab = sum(a in s and b in s for s in sets) / len(sets)
            scores.append(-1.0 if p_ab == 0 else math.log2(p_ab / (p_a * p_b)) / -math.log2(p_ab))
        assert table.loc[topic, "coherence"] == pytest.approx(sum(scores) / len(scores))


def test_terms_missing_from_the_reference_never_co_occur():
    model = fit_topics(THEMES, n_topics=2, n_terms=4)
    economy_only = THEMES[THEMES["token"].isin(ECONOMY)]
    table = coherence(model, economy_only, n_terms=4).set_index("label")
    ecology_label = next(label for label in model.labels if ECOLOGY[0] in label or ECOLOGY[1] in label)
    economy_label = next(label for label in model.labels if label != ecology_label)
    assert table.loc[ecology_label, "coherence"] == -1.0
    assert table.loc[economy_label, "coherence"] == pytest.approx(1.0)


def test_choose_n_topics_reports_coherence_per_candidate():
    with pytest.warns(UserWarning, match=r"skipping n_topics \[12\]"):
        table = choose_n_topics(THEMES, candidates=[4, 2, 12], n_terms=4)
    assert table.columns.tolist() == ["n_topics", "coherence"]
    assert table["n_topics"].tolist() == [2, 4]
    # Two topics recover the two themes exactly; four must split them.
    assert table["coherence"].iloc[0] == pytest.approx(1.0)
    assert table["coherence"].iloc[1] < table["coherence"].iloc[0]


# ---------------------------------------------------------------- topic_share


def hand_model() -> TopicModel:
    doc_topics = pd.DataFrame(
        {
            "doc_id": ["d1", "d1", "d2", "d2", "d3", "d3", "d4", "d4"],
            "topic": [0, 1] * 4,
            "label": ["经济·增长", "生态·环境"] * 4,
            "weight": [0.8, 0.2, 0.4, 0.6, 0.1, 0.9, 0.5, 0.5],
        }
    )
    return TopicModel(
        topic_terms=pd.DataFrame(), doc_topics=doc_topics, labels=["经济·增长", "生态·环境"],
        model=None, dtm=None, method="nmf",
    )


def test_topic_share_averages_documents_per_year_and_keeps_the_undated():
    corpus = pd.DataFrame(
        {
            "doc_id": ["d1", "d2", "d3", "d4"],
            "date": pd.to_datetime(["2019-03-05", "2019-11-01", "2021-03-05", None]),
        }
    )
    table = topic_share(hand_model(), corpus, by="year")
    assert table.columns.tolist() == ["year", "topic", "label", "share", "documents"]
    assert [str(year) for year in table["year"].tolist()[:4]] == ["2019", "2019", "2021", "2021"]  # no 2020 row: a gap, not a zero
    assert table["year"].isna().tolist() == [False] * 4 + [True] * 2
    assert table["share"].tolist() == pytest.approx([0.6, 0.4, 0.1, 0.9, 0.5, 0.5])
    assert table["documents"].tolist() == [2, 2, 1, 1, 1, 1]
    assert table["label"].tolist() == ["经济·增长", "生态·环境"] * 3


def test_topic_share_groups_by_any_corpus_column():
    corpus = pd.DataFrame({"doc_id": ["d1", "d2", "d3", "d4"], "source": ["乙报", "甲报", "甲报", "乙报"]})
    table = topic_share(hand_model(), corpus, by="source")
    assert table["source"].tolist() == ["乙报", "乙报", "甲报", "甲报"]
    assert table["share"].tolist() == pytest.approx([0.65, 0.35, 0.25, 0.75])
    with pytest.raises(ValueError, match="'year' is neither"):
        topic_share(hand_model(), corpus)


# ---------------------------------------------------------------- real corpus


@pytest.mark.slow
def test_topics_of_the_government_work_reports_are_reproducible(gov_reports_path):
    from analysis.corpus import load_corpus
    from analysis.tokens import tokenize

    corpus = load_corpus(gov_reports_path)
    reports = corpus[corpus["date"].dt.year >= 2000]
    tokens = tokenize(reports)
    dtm = build_dtm(tokens, min_df=2, max_df=0.9)
    assert dtm.matrix.shape == (len(reports), len(dtm.vocabulary))
    assert dtm.matrix.nnz < 0.5 * dtm.matrix.shape[0] * dtm.matrix.shape[1]
    first = fit_topics(dtm, n_topics=5)
    second = fit_topics(dtm, n_topics=5)
    pd.testing.assert_frame_equal(first.topic_terms, second.topic_terms)
    pd.testing.assert_frame_equal(first.doc_topics, second.doc_topics)
    shares = topic_share(first, corpus)
    # Periods come from the documents: none is invented, none is lost.
    assert {period.year for period in shares["year"]} == set(reports["date"].dt.year)
    assert shares.groupby("year")["documents"].first().sum() == len(reports)
    per_year = shares.groupby("year")["share"].sum()
    np.testing.assert_allclose(per_year, 1.0)
    keywords = top_tfidf_terms(dtm, n=5)
    assert (keywords.groupby("doc_id").size() == 5).all()


# ---------------------------------------------------------------- choosing k, undated shares


def test_best_n_topics_takes_the_highest_coherence_and_the_fewer_topics_on_a_tie():
    sweep = pd.DataFrame({"n_topics": [2, 4, 6, 8], "coherence": [0.1, 0.3, 0.3 + 1e-13, np.nan]})
    assert best_n_topics(sweep) == 4
    assert best_n_topics(sweep.iloc[::-1]) == 4
    assert best_n_topics(pd.DataFrame({"n_topics": [3, 5], "coherence": [-0.2, -0.1]})) == 5
    with pytest.raises(ValueError, match="no candidate"):
        best_n_topics(sweep.iloc[3:])
    with pytest.raises(ValueError, match="coherence"):
        best_n_topics(sweep.drop(columns="coherence"))


def test_topic_share_by_none_picks_the_period_or_explains_an_undated_corpus():
    tokens = make_tokens({"a": ["稳", "就业"], "b": ["稳", "就业"], "c": ["保", "民生"]})
    model = fit_topics(tokens, n_topics=2)
    dated = pd.DataFrame({"doc_id": list("abc"), "date": pd.to_datetime(["2018-03-05", "2020-03-05", "2022-03-05"])})
    chosen = topic_share(model, dated, by=None)
    pd.testing.assert_frame_equal(chosen, topic_share(model, dated, by="year"))
    assert chosen.attrs["by"] == ("year",)
    undated = dated.assign(date=pd.NaT)
    empty = topic_share(model, undated, by=None)
    assert empty.empty and empty.columns.tolist() == ["topic", "label", "share", "documents"]
    assert "undated" in empty.attrs["note"]


@pytest.mark.slow
def test_topics_of_the_1950s_reports_and_of_the_2013_2025_reports_differ(gov_reports_path):
    # The same steps as notebook 04: resolutions out, boilerplate removed, capped TF-IDF, k chosen by
    # coherence, NMF, shares weighted by document length.
    from analysis.corpus import load_corpus, without_procedural
    from analysis.tokens import tokenize
    from analysis.topics import topic_dtm

    corpus = without_procedural(load_corpus(gov_reports_path))
    assert len(corpus) == 52  # the 20 NPC resolutions are out
    dtm = topic_dtm(tokenize(corpus, boilerplate=True))
    sweep = choose_n_topics(dtm, candidates=range(2, 13, 2))
    model = fit_topics(dtm, n_topics=best_n_topics(sweep))
    shares = topic_share(model, corpus, by="year")
    year = shares["year"].dt.year
    early = shares[year.between(1954, 1959)].groupby("topic")["share"].mean()
    late = shares[year.between(2013, 2025)].groupby("topic")["share"].mean()
    assert set(year[year.between(1954, 1959)]) >= {1954, 1955, 1956}
    assert set(model.doc_topics["doc_id"]) == set(corpus["doc_id"])
    assert early.idxmax() != late.idxmax()
    # Not a near tie: each period's leader clearly outweighs the other period's leader there.
    assert early.max() > early[late.idxmax()] + 0.1
    assert late.max() > late[early.idxmax()] + 0.1
    # The years after 1976 (四人帮, 拨乱反正) are an era of their own, not the 1950s or today.
    after_mao = shares[year.between(1978, 1980)].groupby("topic")["share"].mean()
    assert after_mao.idxmax() not in {early.idxmax(), late.idxmax()}
    # No topic is led by a word nearly every report uses (发展, 建设, 人民 ...).
    in_reports = tokenize(corpus).groupby("token", observed=True)["doc_id"].nunique() / len(corpus)
    leaders = model.topic_terms.groupby("topic").head(3)["term"]
    assert (in_reports.reindex(leaders).fillna(0) <= 0.8).all(), leaders.tolist()


def test_choose_n_topics_shows_a_progress_bar_only_when_asked(capsys):
    tokens = pd.DataFrame({"doc_id": list("aabbcc"), "token": ["稳", "就业", "稳", "就业", "保", "民生"]})
    quiet = choose_n_topics(tokens, candidates=[1, 2], n_terms=2)
    assert capsys.readouterr().err == ""
    loud = choose_n_topics(tokens, candidates=[1, 2], n_terms=2, progress=True)
    assert "topic models" in capsys.readouterr().err
    pd.testing.assert_frame_equal(quiet, loud)


def test_topic_share_weights_documents_by_their_length():
    """A 500-character resolution made one year 99 % one topic: documents count by their length."""
    corpus = pd.DataFrame(
        {
            "doc_id": ["d1", "d2", "d3", "d4"],
            "date": pd.to_datetime(["2019-03-05", "2019-11-01", "2021-03-05", None]),
            "text_clean": ["字" * 900, "字" * 100, "字" * 10, "字" * 10],
        }
    )
    weighted = topic_share(hand_model(), corpus, by="year")
    equal = topic_share(hand_model(), corpus, by="year", weight=None)
    shares_2019 = hand_model().doc_topics.query("doc_id in ['d1', 'd2']").pivot(index="doc_id", columns="topic", values="weight")
    expected = (shares_2019.loc["d1"] * 900 + shares_2019.loc["d2"] * 100) / 1000
    assert weighted["share"].iloc[:2].tolist() == pytest.approx(expected.tolist())
    assert equal["share"].iloc[:2].tolist() == pytest.approx(shares_2019.mean().tolist())
    assert "length" in weighted.attrs["note"]


def test_a_sweep_in_parallel_scores_exactly_as_one_process():
    dtm = build_dtm(THEMES)
    serial = choose_n_topics(dtm, candidates=[2, 3, 4])
    parallel = choose_n_topics(dtm, candidates=[2, 3, 4], n_jobs=2)
    pd.testing.assert_frame_equal(serial, parallel)
    with pytest.raises(ValueError, match="n_jobs"):
        choose_n_topics(dtm, candidates=[2], n_jobs=0)


def test_topic_dtm_caps_the_vocabulary_and_trims_rare_terms_only_in_large_corpora():
    from analysis.topics import TOPIC_MIN_DOCUMENTS, topic_dtm

    small = topic_dtm(THEMES, max_terms=3)
    assert len(small.vocabulary) == 3 and small.weighting == "tfidf"
    assert topic_dtm(THEMES, method="lda").weighting == "count"
    # Every document shares 发展; every one also has a word of its own, found nowhere else.
    documents = {f"d{i}": ["发展", f"词{i}", f"词{i}", "改革" if i % 2 else "开放"] for i in range(TOPIC_MIN_DOCUMENTS)}
    large = topic_dtm(make_tokens(documents), max_terms=None)
    assert large.vocabulary == ["开放", "改革"]  # singletons and the 100 % term are gone
    assert "发展" in topic_dtm(make_tokens(dict(list(documents.items())[:5])), max_terms=None).vocabulary
