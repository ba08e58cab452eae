import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis import explore  # noqa: E402

ENUMERATED_SIX_STABILITIES = "稳就业、稳金融、稳外贸、稳外资、稳投资、稳预期"


@pytest.fixture
def docs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": ["a", "b", "c"],
            "text_clean": [
                "做好“六稳”工作。",
                f"做好{ENUMERATED_SIX_STABILITIES}工作。",
                "没有提法(括号)。",
            ],
            "date": pd.to_datetime(["2020-01-10", "2020-03-20", None]),
        }
    )


@pytest.fixture
def partner_docs() -> tuple[pd.DataFrame, pd.DataFrame]:
    words = ["稳就业", "保民生", "稳就业", "保民生", "其他", "其他", "其他", "其他", "其他"]
    text = " ".join(words)
    rows, position = [], 0
    for word in words:
        rows.append({"doc_id": "p", "sent_id": 0, "token": word, "start": position, "end": position + len(word)})
        position += len(word) + 1
    corpus = pd.DataFrame({"doc_id": ["p"], "text_clean": [text], "date": pd.to_datetime(["2021-05-01"])})
    return corpus, pd.DataFrame(rows)


def test_a_slogan_query_finds_every_form_with_offsets_into_text_clean(docs):
    view = explore.explore_view(docs, "六稳", window=2)
    assert view.is_slogan and view.query == "六稳"
    assert view.kwic[["doc_id", "left", "match", "right"]].values.tolist() == [
        ["a", "好“", "六稳", "”工"],
        ["b", "做好", ENUMERATED_SIX_STABILITIES, "工作"],
    ]
    for row in view.kwic.itertuples():
        text = docs.set_index("doc_id").loc[row.doc_id, "text_clean"]
        assert text[row.start : row.end] == row.match


def test_the_slogan_id_is_accepted_and_shown_as_its_canonical_form(docs):
    view = explore.explore_view(docs, "liuwen")
    assert view.query == "六稳" and len(view.kwic) == 2


def test_a_typed_term_is_matched_literally_not_as_a_regular_expression(docs):
    view = explore.explore_view(docs, "(括号)", window=1)
    assert not view.is_slogan
    assert view.kwic[["doc_id", "left", "match", "right"]].values.tolist() == [["c", "法", "(括号)", "。"]]


def test_timeline_counts_per_period_with_gaps_and_undated_documents(docs):
    timeline = explore.explore_view(docs, "六稳").timeline
    assert list(timeline.columns) == explore.TIMELINE_COLUMNS
    assert [str(period) for period in timeline["period"]] == ["2020-01", "2020-02", "2020-03", "NaT"]
    assert timeline["mentions"].tolist()[0] == 1 and pd.isna(timeline["mentions"].iloc[1])
    assert timeline["mentions"].tolist()[2:] == [1, 0]
    # 1 mention in a document of 9 characters.
    assert timeline["per_10k_chars"].iloc[0] == pytest.approx(10_000 / 9)


def test_a_term_with_no_match_gives_zeros_not_gaps_where_there_are_documents(docs):
    timeline = explore.explore_view(docs, "不存在的词").timeline
    assert [str(period) for period in timeline["period"]] == ["2020-01", "2020-02", "2020-03", "NaT"]
    assert timeline["mentions"].iloc[0] == 0 and timeline["mentions"].iloc[2] == 0
    assert pd.isna(timeline["mentions"].iloc[1])


def test_the_period_limits_every_table_to_its_documents(docs):
    view = explore.explore_view(docs, "六稳", start="2020-02", end="2020-03")
    assert view.kwic["doc_id"].tolist() == ["b"]
    assert view.timeline["period"].astype(str).tolist() == ["2020-03"]
    assert view.period == ("2020-02", "2020-03")


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (None, None, ["a", "b", "c"]),
        ("2020-02-01", None, ["b"]),
        (None, "2020-01", ["a"]),
        (None, "2020", ["a", "b"]),
        ("2020-03-20", "2020-03-20", ["b"]),
    ],
)
def test_select_period_bounds_are_inclusive_and_drop_undated_documents(docs, start, end, expected):
    assert explore.select_period(docs, start=start, end=end)["doc_id"].tolist() == expected


def test_the_window_sets_the_context_width(docs):
    narrow = explore.explore_view(docs, "六稳", window=1).kwic
    wide = explore.explore_view(docs, "六稳", window=4).kwic
    assert narrow["left"].tolist() == ["“", "好"]
    assert wide["left"].tolist() == ["做好“", "做好"]
    assert wide["right"].tolist() == ["”工作。", "工作。"]


def test_partners_are_the_tokens_over_represented_near_the_matches(partner_docs):
    corpus, tokens = partner_docs
    partners = explore.explore_view(corpus, "稳就业", tokens=tokens, window=4).partners
    assert list(partners.columns) == explore.PARTNER_COLUMNS
    assert partners[["term", "count_context", "count_elsewhere"]].values.tolist() == [["保民生", 2, 0]]
    assert partners["g2"].iloc[0] > 0


def test_partners_are_empty_without_tokens(partner_docs):
    corpus, _ = partner_docs
    partners = explore.explore_view(corpus, "稳就业", window=4).partners
    assert partners.empty and list(partners.columns) == explore.PARTNER_COLUMNS


def test_slogan_options_and_default_query_put_the_most_mentioned_slogan_first():
    corpus = pd.DataFrame({"doc_id": ["a", "b"], "text_clean": ["“六保”和“六保”", "“六稳”"]})
    options = explore.slogan_options(corpus)
    assert options[["canonical", "mentions"]].values.tolist() == [["六保", 2], ["六稳", 1]]
    assert explore.default_query(corpus) == "六保"
    assert explore.default_query(pd.DataFrame({"doc_id": ["a"], "text_clean": ["没有提法"]})) is None


@pytest.mark.parametrize(
    ("query", "options", "error"),
    [
        ("", {}, "slogan or a term"),
        ("六稳", {"window": -1}, "window"),
        ("六稳", {"window": 2.5}, "window"),
        ("六稳", {"start": "not a date"}, "start"),
    ],
)
def test_bad_queries_are_clear_errors(docs, query, options, error):
    with pytest.raises(ValueError, match=error):
        explore.explore_view(docs, query, **options)


def test_a_corpus_without_text_clean_is_named_as_the_problem():
    with pytest.raises(ValueError, match="text_clean"):
        explore.explore_view(pd.DataFrame({"doc_id": ["a"], "text": ["x"]}), "六稳")


def test_the_static_view_shows_all_three_parts(partner_docs):
    corpus, tokens = partner_docs
    static = explore.explorer(corpus, interactive=False, query="稳就业", window=4, tokens=tokens)
    assert isinstance(static, explore.StaticView)
    fragment = static._repr_html_()
    assert fragment.count("<mark>稳就业</mark>") == 2
    assert 'src="data:image/png;base64,' in fragment  # the timeline, inline
    partners_html = fragment.split("Strongest partners", 1)[1]
    assert "<td>保民生</td>" in partners_html
    assert 'class="report-table"' in partners_html and 'class="dataframe' not in partners_html
    assert static.view.kwic["match"].tolist() == ["稳就业", "稳就业"]


def test_the_static_view_escapes_corpus_text():
    hostile = pd.DataFrame(
        {"doc_id": ["<i>x</i>"], "text_clean": ["<script>alert(1)</script>做好“六稳”<img src=x onerror=alert(1)>"],
         "date": pd.to_datetime(["2020-06-01"])}
    )
    fragment = explore.explorer(hostile, interactive=False, window=30, tokens=pd.DataFrame(
        {"doc_id": [], "sent_id": [], "token": [], "start": [], "end": []}
    ))._repr_html_()
    assert "<script" not in fragment and "<img src=x" not in fragment and "<i>" not in fragment
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in fragment and "&lt;i&gt;x&lt;/i&gt;" in fragment


def test_headless_explorer_opens_on_the_most_mentioned_slogan(docs):
    static = explore.explorer(docs, interactive=False, tokens=pd.DataFrame(
        {"doc_id": [], "sent_id": [], "token": [], "start": [], "end": []}
    ))
    assert static.view.query == "六稳" and len(static.view.kwic) == 2


def test_without_ipywidgets_the_interactive_explorer_says_why_it_is_static(docs, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_widgets(name, *args, **kwargs):
        if name == "ipywidgets":
            raise ImportError("No module named 'ipywidgets'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_widgets)
    static = explore.explorer(docs, interactive=True, tokens=pd.DataFrame(
        {"doc_id": [], "sent_id": [], "token": [], "start": [], "end": []}
    ))
    assert isinstance(static, explore.StaticView)
    assert "ipywidgets is not installed" in static._repr_html_()


def test_the_widget_explorer_updates_its_output_when_a_control_changes(docs):
    tokens = pd.DataFrame({"doc_id": ["a"], "sent_id": [0], "token": ["工作"], "start": [6], "end": [8]})
    box = explore.explorer(docs, interactive=True, window=4, tokens=tokens)
    (slogan, term), (period, window), output = box.children[0].children, box.children[1].children, box.children[2]
    assert slogan.value == "六稳" and period.options == ("2020-01", "2020-02", "2020-03")
    assert output.value.count("<mark>") == 2

    period.value = ("2020-03", "2020-03")
    assert output.value.count("<mark>") == 1 and ENUMERATED_SIX_STABILITIES in output.value

    period.value = ("2020-01", "2020-03")
    window.value = 2
    assert "好“" in output.value
    assert "做好“" not in output.value

    term.value = "工作"
    assert output.value.count("<mark>工作</mark>") == 2
    assert "term (literal)" in output.value


def test_a_slogan_query_leaves_out_its_components_standing_alone():
    corpus = pd.DataFrame(
        {
            "doc_id": ["a", "b"],
            "text_clean": ["高度重视稳就业，保就业是重点。", "落实“六保”任务。"],
            "date": pd.to_datetime(["2019-03-05", "2021-03-05"]),
        }
    )
    view = explore.explore_view(corpus, "六保")
    assert view.kwic[["doc_id", "form", "match"]].values.tolist() == [["b", "compact", "六保"]]
    assert view.timeline["mentions"].dropna().tolist() == [0, 1]


def test_the_timeline_counts_a_list_next_to_its_name_once():
    listed = "保居民就业、保基本民生、保市场主体、保粮食能源安全、保产业链供应链稳定、保基层运转"
    corpus = pd.DataFrame(
        {"doc_id": ["a"], "text_clean": [f"强化{listed}“六保”任务。"], "date": pd.to_datetime(["2021-03-05"])}
    )
    view = explore.explore_view(corpus, "六保")
    assert view.kwic["counted"].tolist() == [False, True]
    assert view.timeline["mentions"].tolist() == [1]


@pytest.mark.slow
def test_on_the_work_reports_the_explorer_finds_no_liubao_before_2020(gov_reports_path):
    from analysis.corpus import load_corpus

    docs = load_corpus(gov_reports_path)
    view = explore.explore_view(docs, "六保")
    assert len(view.kwic) and view.kwic["date"].min() >= pd.Timestamp("2020-01-01")
    assert set(view.kwic["form"]) <= {"compact", "enumerated", "expansion"}


def test_the_kwic_and_partner_headings_name_the_query():
    docs = pd.DataFrame({"doc_id": ["a", "b"], "text_clean": ["坚持“六稳”，稳就业。", "做好“六稳”工作。"],
                         "date": pd.to_datetime(["2019-05-01", "2020-05-01"])})
    page = explore.view_html(explore.explore_view(docs, "六稳"))
    assert "<h4>KWIC: 六稳</h4>" in page and "<h4>Strongest partners of 六稳</h4>" in page


def _count_tagging(monkeypatch) -> list:
    """Record every time the corpus is tagged, wherever the explorer tags it."""
    import importlib

    from analysis import slogans

    calls = []
    real = slogans.tag_slogans

    def counting(corpus, **options):
        calls.append(len(corpus))
        return real(corpus, **options)

    monkeypatch.setattr(explore, "tag_slogans", counting)
    monkeypatch.setattr(importlib.import_module("analysis.slogans.kwic"), "tag_slogans", counting)
    return calls


def test_given_mentions_the_explorer_tags_nothing_and_shows_the_same(docs, monkeypatch):
    from analysis.slogans import tag_slogans

    mentions = tag_slogans(docs)
    expected = explore.explore_view(docs, "六稳", start="2020-03-01", window=4)
    options = explore.slogan_options(docs)
    calls = _count_tagging(monkeypatch)
    view = explore.explore_view(docs, "六稳", start="2020-03-01", window=4, mentions=mentions)
    # The mentions of the whole corpus serve a view of one period.
    assert view.kwic["doc_id"].tolist() == ["b"]
    pd.testing.assert_frame_equal(view.kwic, expected.kwic)
    pd.testing.assert_frame_equal(view.timeline, expected.timeline)
    pd.testing.assert_frame_equal(explore.slogan_options(docs, mentions=mentions), options)
    assert explore.default_query(docs, mentions=mentions) == options["canonical"].iloc[0]
    static = explore.explorer(docs, interactive=False, tokens=pd.DataFrame(columns=["doc_id", "start", "end", "token"]),
                              mentions=mentions)
    assert static.view.query == options["canonical"].iloc[0]
    assert calls == []


def test_the_explorer_tags_the_corpus_once_for_its_list_and_its_views(docs, monkeypatch):
    calls = _count_tagging(monkeypatch)
    tokens = pd.DataFrame(columns=["doc_id", "start", "end", "token"])
    explore.explorer(docs, interactive=False, tokens=tokens)
    assert calls == [len(docs)]
    pytest.importorskip("ipywidgets")
    calls.clear()
    box = explore.explorer(docs, interactive=True, tokens=tokens)
    period, window = box.children[1].children
    period.value = ("2020-03", "2020-03")
    window.value = 2
    assert box.children[2].value.count("<mark>") == 1
    assert calls == [len(docs)]
