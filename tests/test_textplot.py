import io
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from analysis import textplot  # noqa: E402

CHINESE_TERMS = pd.DataFrame(
    {"term": ["发展", "稳就业", "保市场主体", "全面建成小康社会"], "count": [12, 7, 7, 3]}
)


KEYNESS = pd.DataFrame(
    {"term": ["六保", "六稳", "市场主体", "阶级斗争", "人民公社"], "g2": [30.0, 20.0, 5.0, -8.0, -25.0]}
)
TOPIC_TERMS = pd.DataFrame(
    {
        "topic": [0, 0, 0, 1, 1],
        "label": ["工业·农业·生产"] * 3 + ["六稳·六保"] * 2,
        "term": ["工业", "农业", "生产", "六稳", "六保"],
        "weight": [0.9, 0.6, 0.3, 0.5, 0.25],
        "rank": [1, 2, 3, 1, 2],
    }
)
# 2021 has no document: the chart must leave it blank.
SHARES = pd.DataFrame(
    {
        "year": [2019, 2019, 2020, 2020, 2022, 2022],
        "label": ["工业·农业", "六稳·六保"] * 3,
        "share": [0.8, 0.2, 0.6, 0.4, 0.1, 0.9],
    }
)


LAGS = pd.DataFrame(
    {
        "canonical": ["六稳", "六稳", "六保", "六保", "六保"],
        "level": ["central", "county", "central", "provincial", "county"],
        "region": [None, "郑州高新区", None, "河南省", "郑州高新区"],
        "lag_days": pd.array([None, 671, None, 33, None], dtype="Int64"),
        "status": ["central", "left-censored", "central", "adopted", "not observed"],
    }
)
CURVE = pd.DataFrame(
    {
        "canonical": ["六保"] * 3,
        "start": pd.to_datetime(["2020-04-01", "2020-05-01", "2020-06-01"]),
        "share": [0.0, 0.5, 1.0],
        "share_observed": [0.0, 1.0, 1.0],
    }
)


def _graph():
    import networkx as nx

    graph = nx.Graph(measure="npmi")
    graph.add_edge("六稳", "六保", weight=0.9, count=8)
    graph.add_edge("六稳", "就业", weight=0.3, count=2)
    graph.add_edge("改革", "开放", weight=0.6, count=5)
    for node, community in {"六稳": 0, "六保": 0, "就业": 0, "改革": 1, "开放": 1}.items():
        graph.nodes[node]["community"] = community
    return graph


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _render(figure: Figure, fmt: str = "png") -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt)
    return buffer.getvalue()


def _all_charts(ax_factory):
    """Draw every chart type with Chinese labels; ax_factory() gives the ax= to use."""
    periods = pd.DataFrame(
        {
            "year": [2019, 2021, 2019, 2021],
            "rate": [1.0, 2.0, 0.5, 1.5],
            "提法": ["六稳", "六稳", "六保", "六保"],
        }
    )
    counts = pd.DataFrame(
        {"canonical": ["六稳", "六稳", "六保"], "form": ["compact", "enumerated", "compact"], "mentions": [3, 1, 2]}
    )
    matrix = pd.DataFrame([[1.0, 0.5], [0.5, 1.0]], index=["六稳", "六保"], columns=["六稳", "六保"])
    corpus = pd.DataFrame({"date": pd.to_datetime(["2020-01-05", "2020-03-01"]), "source": ["人民日报", "人民日报"]})
    return [
        textplot.bar_terms(CHINESE_TERMS, ax=ax_factory(), title="高频词"),
        textplot.timeline(periods, x="year", y="rate", group="提法", ax=ax_factory(), title="每万字"),
        textplot.bar_counts(counts, category="canonical", value="mentions", group="form", ax=ax_factory(), title="提法"),
        textplot.heatmap(matrix, ax=ax_factory(), title="共现"),
        textplot.documents_over_time(corpus, ax=ax_factory(), title="文档"),
        textplot.keyness_bars(KEYNESS, ax=ax_factory(), title="关键词"),
        textplot.topic_terms_heatmap(TOPIC_TERMS, ax=ax_factory(), title="主题"),
        textplot.topic_share_area(SHARES, ax=ax_factory(), title="主题份额"),
        textplot.network(_graph(), ax=ax_factory(), title="共现网络"),
        textplot.lag_heatmap(LAGS, ax=ax_factory(), title="滞后"),
        textplot.adoption_curve(CURVE, ax=ax_factory(), title="采用"),
    ]


def _registrations() -> int:
    return sum(entry.fname == str(textplot.chinese_font_path()) for entry in font_manager.fontManager.ttflist)


def test_use_chinese_font_selects_the_bundled_noto_font_and_is_idempotent():
    family = textplot.use_chinese_font()
    settings = (
        list(matplotlib.rcParams["font.family"]),
        list(matplotlib.rcParams["font.sans-serif"]),
        matplotlib.rcParams["axes.unicode_minus"],
    )
    registrations = _registrations()

    assert family == "Noto Sans CJK SC"
    assert textplot.use_chinese_font() == family
    assert settings == (
        list(matplotlib.rcParams["font.family"]),
        list(matplotlib.rcParams["font.sans-serif"]),
        matplotlib.rcParams["axes.unicode_minus"],
    )
    assert registrations >= 1
    assert _registrations() == registrations
    assert matplotlib.rcParams["font.sans-serif"][0] == "Noto Sans CJK SC"
    assert matplotlib.rcParams["font.sans-serif"].count("Noto Sans CJK SC") == 1
    assert matplotlib.rcParams["axes.unicode_minus"] is False


def test_the_default_font_would_draw_tofu_so_the_glyph_check_below_can_fail():
    # Guard for the next test: DejaVu Sans has no CJK glyphs, and matplotlib says so.
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        figure, ax = plt.subplots()
        ax.set_title("六稳六保")
        with pytest.warns(UserWarning, match="missing from font"):
            _render(figure)


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_charts_with_chinese_labels_render_without_missing_glyphs(fmt):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        axes = _all_charts(lambda: None)
        for ax in axes:
            _render(ax.figure, fmt)
    label = axes[0].get_yticklabels()[0]
    assert label.get_text() == "发展"
    resolved = font_manager.findfont(label.get_fontproperties(), fallback_to_default=False)
    assert resolved == str(textplot.chinese_font_path())


def test_charts_on_axes_made_before_the_font_was_set_still_use_it():
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"], "font.sans-serif": ["DejaVu Sans"]}):
        figure, ax = plt.subplots()
        textplot.bar_terms(CHINESE_TERMS, ax=ax)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            _render(figure)


def test_every_plot_function_returns_the_axes_it_was_given():
    figure, grid = plt.subplots(3, 4)
    supplied = iter(grid.flat)
    given = []

    def next_ax():
        given.append(next(supplied))
        return given[-1]

    returned = _all_charts(next_ax)
    assert all(isinstance(ax, Axes) for ax in returned)
    assert [id(ax) for ax in returned] == [id(ax) for ax in given]
    assert plt.get_fignums() == [figure.number]


def test_without_ax_each_chart_gets_its_own_new_figure():
    before = set(plt.get_fignums())
    returned = _all_charts(lambda: None)
    assert all(isinstance(ax, Axes) for ax in returned)
    assert len(set(plt.get_fignums()) - before) == len(returned)


def test_plot_functions_never_save(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a plot function called savefig")

    monkeypatch.setattr(Figure, "savefig", refuse)
    _all_charts(lambda: None)


def test_bar_terms_puts_the_largest_on_top_and_cuts_at_top_n_with_stable_ties():
    ax = textplot.bar_terms(CHINESE_TERMS, n=3)
    labels = [label.get_text() for label in ax.get_yticklabels()]
    widths_by_position = [bar.get_width() for bar in sorted(ax.patches, key=lambda bar: bar.get_y())]
    # With the y axis inverted, position 0 (the first label) is drawn at the top.
    assert ax.yaxis_inverted()
    assert labels == ["发展", "保市场主体", "稳就业"]
    assert widths_by_position == [12, 7, 7]


def test_bar_terms_names_a_missing_column():
    with pytest.raises(KeyError, match="per_10k_tokens"):
        textplot.bar_terms(CHINESE_TERMS, value="per_10k_tokens")


def test_timeline_shows_an_absent_year_as_a_gap_not_a_zero():
    table = pd.DataFrame({"year": [2018, 2019, 2021], "rate": [1.0, 2.0, 3.0]})
    line = textplot.timeline(table, x="year", y="rate").get_lines()[0]
    assert list(line.get_xdata()) == [2018, 2019, 2020, 2021]
    y = np.asarray(line.get_ydata(), dtype=float)
    assert y[:2].tolist() == [1.0, 2.0] and np.isnan(y[2]) and y[3] == 3.0


def test_timeline_breaks_the_line_at_missing_values_and_fills_period_gaps():
    table = pd.DataFrame(
        {
            "month": pd.PeriodIndex(["2022-01", "2022-02", "2022-05"], freq="M"),
            "mentions": pd.array([2, pd.NA, 4], dtype="Int64"),
        }
    )
    line = textplot.timeline(table, x="month", y="mentions").get_lines()[0]
    y = np.asarray(line.get_ydata(), dtype=float)
    assert len(y) == 5  # January to May
    assert y[0] == 2 and np.isnan(y[1:4]).all() and y[4] == 4


def test_timeline_with_datetimes_fills_gaps_only_when_told_the_frequency():
    table = pd.DataFrame({"date": pd.to_datetime(["2022-01-01", "2022-03-01"]), "n": [1, 2]})
    assert len(textplot.timeline(table, x="date", y="n").get_lines()[0].get_xdata()) == 2
    assert len(textplot.timeline(table, x="date", y="n", freq="MS").get_lines()[0].get_xdata()) == 3


def test_timeline_draws_one_labelled_line_per_group():
    table = pd.DataFrame({"year": [2020, 2021, 2020], "rate": [1, 2, 3], "slogan": ["六稳", "六稳", "六保"]})
    ax = textplot.timeline(table, x="year", y="rate", group="slogan")
    assert sorted(line.get_label() for line in ax.get_lines()) == ["六保", "六稳"]
    assert [text.get_text() for text in ax.get_legend().get_texts()] == ["六保", "六稳"]


def test_bar_counts_stacks_groups_and_orders_categories_by_total():
    counts = pd.DataFrame(
        {"canonical": ["六保", "六稳", "六稳"], "form": ["compact", "compact", "enumerated"], "mentions": [3, 2, 2]}
    )
    ax = textplot.bar_counts(counts, category="canonical", value="mentions", group="form")
    assert [label.get_text() for label in ax.get_yticklabels()] == ["六稳", "六保"]
    right_edges = {}
    for bar in ax.patches:
        row = round(bar.get_y() + bar.get_height() / 2)
        right_edges[row] = max(right_edges.get(row, 0), bar.get_x() + bar.get_width())
    assert right_edges == {0: 4, 1: 3}


def test_bar_counts_side_by_side_draws_one_bar_per_group():
    counts = pd.DataFrame({"canonical": ["六稳", "六稳"], "form": ["compact", "enumerated"], "count": [2, 1]})
    ax = textplot.bar_counts(counts, category="canonical", group="form", stacked=False)
    assert sorted(bar.get_width() for bar in ax.patches) == [1, 2]
    assert len({bar.get_y() for bar in ax.patches}) == 2


def test_heatmap_labels_rows_and_columns_and_rejects_text():
    matrix = pd.DataFrame([[1.0, np.nan], [0.25, 1.0]], index=["六稳", "六保"], columns=["甲", "乙"])
    ax = textplot.heatmap(matrix)
    assert [label.get_text() for label in ax.get_xticklabels()] == ["甲", "乙"]
    assert [label.get_text() for label in ax.get_yticklabels()] == ["六稳", "六保"]
    assert ax.images[0].get_array().mask.tolist() == [[False, True], [False, False]]
    with pytest.raises(TypeError, match="numeric"):
        textplot.heatmap(pd.DataFrame({"a": ["x"]}))


def test_edges_to_matrix_is_symmetric_and_keeps_the_strongest_terms():
    edges = pd.DataFrame(
        {"term_a": ["六稳", "六稳", "就业"], "term_b": ["六保", "就业", "民生"], "count": [5, 2, 1]}
    )
    matrix = textplot.edges_to_matrix(edges, n=3)
    assert list(matrix.index) == ["六稳", "六保", "就业"]
    assert list(matrix.columns) == ["六稳", "六保", "就业"]
    assert matrix.loc["六稳", "六保"] == matrix.loc["六保", "六稳"] == 5
    assert matrix.loc["六保", "就业"] == 0
    assert np.diag(matrix.to_numpy()).tolist() == [0, 0, 0]


def test_documents_over_time_leaves_empty_years_empty_and_reports_undated():
    corpus = pd.DataFrame({"date": pd.to_datetime(["2019-03-01", "2019-09-01", "2022-05-01", None])})
    ax = textplot.documents_over_time(corpus, period="year")
    assert [bar.get_height() for bar in ax.patches] == [2, 0, 0, 1]
    assert "1 undated" in ax.get_xlabel()


def test_documents_over_time_counts_sources_when_nothing_is_dated():
    corpus = pd.DataFrame({"date": pd.to_datetime([None, None, None]), "source": ["人民日报", "人民日报", None]})
    ax = textplot.documents_over_time(corpus)
    assert [label.get_text() for label in ax.get_yticklabels()] == ["人民日报", "(no source)"]
    assert sorted(bar.get_width() for bar in ax.patches) == [1, 2]


def test_empty_tables_draw_a_no_data_note_instead_of_failing():
    ax = textplot.bar_terms(CHINESE_TERMS.iloc[:0])
    assert any("no data" in text.get_text() for text in ax.texts)


# ---------------------------------------------------------------- keyness, topics, networks, word cloud


def _bar_widths_by_label(ax):
    labels = [label.get_text() for label in ax.get_yticklabels()]
    ordered = sorted(ax.patches, key=lambda bar: bar.get_y())
    return dict(zip(labels, [bar.get_width() for bar in ordered]))


def test_keyness_bars_put_target_terms_right_and_reference_terms_left():
    ax = textplot.keyness_bars(KEYNESS, n=2)
    # Target-typical on top (strongest first), reference-typical below (strongest last).
    assert [label.get_text() for label in ax.get_yticklabels()] == ["六保", "六稳", "阶级斗争", "人民公社"]
    assert _bar_widths_by_label(ax) == {"六保": 30.0, "六稳": 20.0, "阶级斗争": -8.0, "人民公社": -25.0}
    colours = {bar.get_facecolor() for bar in ax.patches if bar.get_width() > 0}
    assert len(colours) == 1
    assert colours.isdisjoint({bar.get_facecolor() for bar in ax.patches if bar.get_width() < 0})


def test_keyness_bars_skip_zero_scores_and_name_a_missing_column():
    table = pd.DataFrame({"term": ["甲", "乙"], "g2": [0.0, 3.0]})
    assert [label.get_text() for label in textplot.keyness_bars(table).get_yticklabels()] == ["乙"]
    with pytest.raises(KeyError, match="log_ratio"):
        textplot.keyness_bars(table, value="log_ratio")
    empty = textplot.keyness_bars(KEYNESS.iloc[:0])
    assert any("no data" in text.get_text() for text in empty.texts)


def test_topic_terms_heatmap_writes_each_term_in_its_topic_row_and_rank_column():
    ax = textplot.topic_terms_heatmap(TOPIC_TERMS, n_terms=2)
    assert [label.get_text() for label in ax.get_yticklabels()] == ["0  工业·农业·生产", "1  六稳·六保"]
    assert [label.get_text() for label in ax.get_xticklabels()] == ["1", "2"]
    cells = {(round(text.get_position()[1]), round(text.get_position()[0])): text.get_text() for text in ax.texts}
    assert cells == {(0, 0): "工业", (0, 1): "农业", (1, 0): "六稳", (1, 1): "六保"}
    grid = ax.images[0].get_array()
    # Colours are relative to the topic's strongest term.
    np.testing.assert_allclose(grid.filled(np.nan), [[1.0, 0.6 / 0.9], [1.0, 0.5]])


def test_topic_share_area_stacks_to_one_and_leaves_a_year_without_documents_blank():
    ax = textplot.topic_share_area(SHARES)
    assert len(ax.collections) == 2
    assert [text.get_text() for text in ax.get_legend().get_texts()] == ["六稳·六保", "工业·农业"]
    top_layer = ax.collections[1].get_paths()
    covered = set()
    for path in top_layer:
        xs = path.vertices[:, 0]
        covered.update(np.round(xs).astype(int).tolist())
        # The top of the stack reaches 1 (the shares of a year add up).
        assert path.vertices[:, 1].max() == pytest.approx(1.0)
    assert 2021 not in covered
    assert {2019, 2020} <= covered
    # 2022 has no neighbour with documents, so it is drawn as a bar rather than lost.
    assert any(round(bar.get_x() + bar.get_width() / 2) == 2022 for bar in ax.patches)
    assert "blank: no documents" in ax.get_xlabel()


def test_an_isolated_period_on_a_date_axis_is_a_bar_with_a_width():
    # The notebooks pass pandas Periods (the 1964 and 1975 work reports stand alone between gaps).
    shares = SHARES.assign(year=pd.PeriodIndex(SHARES["year"].astype(str), freq="Y"))
    ax = textplot.topic_share_area(shares)
    bars = [bar for bar in ax.patches if bar.get_height() > 0]
    assert bars and all(100 < bar.get_width() < 365 for bar in bars)  # days: seen, and within its year
    months = SHARES.assign(year=pd.PeriodIndex(["2022-01", "2022-01", "2022-02", "2022-02", "2022-04", "2022-04"],
                                               freq="M"))
    bars = [bar for bar in textplot.topic_share_area(months).patches if bar.get_height() > 0]
    assert bars and all(5 < bar.get_width() < 28 for bar in bars)  # an isolated month stays inside its month


def test_topic_share_area_without_a_period_draws_a_no_data_note():
    ax = textplot.topic_share_area(SHARES.drop(columns="year"), x=None)
    assert any("no data" in text.get_text() for text in ax.texts)


def test_network_sizes_nodes_by_frequency_and_colours_them_by_community():
    frequencies = pd.DataFrame({"term": ["六稳", "六保", "就业", "改革", "开放"], "count": [50, 40, 5, 30, 10]})
    ax = textplot.network(_graph(), frequencies=frequencies)
    nodes = ax.collections[-1]
    labels = [text.get_text() for text in ax.texts]
    assert sorted(labels) == ["六保", "六稳", "就业", "开放", "改革"]
    size = dict(zip(sorted(["六稳", "六保", "就业", "改革", "开放"], key=str), nodes.get_sizes()))
    assert size["六稳"] > size["六保"] > size["改革"] > size["开放"] > size["就业"]
    colour = dict(zip(sorted(["六稳", "六保", "就业", "改革", "开放"], key=str), map(tuple, nodes.get_facecolors())))
    assert colour["六稳"] == colour["六保"] == colour["就业"] != colour["改革"] == colour["开放"]
    widths = ax.collections[0].get_linewidths()
    assert max(widths) > min(widths)


def test_network_layout_is_the_same_for_the_same_seed_and_drops_rare_nodes_beyond_max_nodes():
    first = [text.get_position() for text in textplot.network(_graph(), random_state=3).texts]
    second = [text.get_position() for text in textplot.network(_graph(), random_state=3).texts]
    assert first == second
    ax = textplot.network(_graph(), max_nodes=2, title="网络")
    assert sorted(text.get_text() for text in ax.texts) == ["六保", "六稳"]
    assert "3 less frequent terms not drawn" in ax.get_title()


def test_network_labels_do_not_overlap_on_a_denser_graph():
    import networkx as nx

    graph = nx.barabasi_albert_graph(40, 2, seed=1)
    graph = nx.relabel_nodes(graph, {n: f"词语{n:02d}号" for n in graph.nodes})
    for a, b in graph.edges:
        graph[a][b]["weight"] = 0.5
    ax = textplot.network(graph)
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    boxes = [text.get_window_extent(renderer) for text in ax.texts]
    overlaps = [(i, j) for i in range(len(boxes)) for j in range(i + 1, len(boxes)) if boxes[i].overlaps(boxes[j])]
    assert overlaps == []
    figure_box = ax.figure.bbox
    assert all(figure_box.contains(box.x0, box.y0) and figure_box.contains(box.x1, box.y1) for box in boxes)


def test_network_rejects_what_is_not_a_graph():
    with pytest.raises(TypeError, match="networkx Graph"):
        textplot.network(pd.DataFrame())


def test_wordcloud_draws_an_image_with_the_cjk_font():
    pytest.importorskip("wordcloud", reason="the optional wordcloud extra is not installed")
    ax = textplot.wordcloud(CHINESE_TERMS, random_state=1)
    image = ax.images[0].get_array()
    assert image.shape[2] == 3 and (image < 255).any()
    again = textplot.wordcloud(CHINESE_TERMS, random_state=1).images[0].get_array()
    np.testing.assert_array_equal(image, again)


def test_wordcloud_without_the_package_names_the_extra(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def refuse_wordcloud(name, *args, **kwargs):
        if name == "wordcloud":
            raise ImportError("No module named 'wordcloud'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", refuse_wordcloud)
    with pytest.raises(ImportError, match=r"analysis\[wordcloud\]"):
        textplot.wordcloud(CHINESE_TERMS)


def test_timeline_with_a_single_integer_period_labels_it_as_an_integer():
    ax = textplot.timeline(pd.DataFrame({"n_topics": [2], "coherence": [0.4]}), x="n_topics", y="coherence")
    ax.figure.canvas.draw()
    assert [label.get_text() for label in ax.get_xticklabels()] == ["2"]


def test_keyness_bars_of_an_empty_table_show_the_reason_it_is_empty():
    empty = KEYNESS.iloc[:0].copy()
    empty.attrs["note"] = "The documents are undated: nothing to compare."
    ax = textplot.keyness_bars(empty)
    assert any("no data" in text.get_text() for text in ax.texts)
    assert ax.get_xlabel() == "The documents are undated: nothing to compare."


# --- Slogans by period and associations ------------------------------------------------------------


def _slogan_timeline(n_slogans: int, years: range, *, gap_years=(), seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for number in range(n_slogans):
        first = years.start + number % len(years)
        for year in years:
            gap = year in gap_years
            rate = np.nan if gap else (float(rng.integers(1, 9)) if year >= first else 0.0)
            rows.append({"canonical": f"口号{number:02d}", "period": pd.Period(str(year), freq="Y"),
                         "mentions": 0 if np.isnan(rate) else int(rate), "per_10k_chars": rate})
    return pd.DataFrame(rows)


def test_slogan_heatmap_orders_rows_by_first_use_and_shows_gaps_and_thin_periods():
    table = pd.DataFrame({
        "canonical": ["新常态"] * 4 + ["六稳"] * 4,
        "period": pd.PeriodIndex(["2014", "2015", "2016", "2017"] * 2, freq="Y"),
        "per_10k_chars": [0.0, 3.0, np.nan, 1.0, 2.0, 0.0, np.nan, 5.0],
    })
    ax = textplot.slogan_heatmap(table, thin=[pd.Period("2017", freq="Y")])
    assert [label.get_text() for label in ax.get_yticklabels()] == ["六稳", "新常态"]
    hatched = [patch for patch in ax.patches if patch.get_hatch()]
    assert len(hatched) == 1 and hatched[0].get_x() == pytest.approx(1.5), "2016 has no documents: one gap column"
    markers = [collection for collection in ax.collections if len(collection.get_offsets())]
    assert [list(c.get_offsets()[:, 0]) for c in markers] == [[3.0]], "one triangle over 2017"
    image = ax.get_images()[0].get_array()
    assert image.mask[1, 0] and not image.mask[0, 0], "a zero is blank (not mentioned), a rate is coloured"


def test_slogan_heatmap_reads_a_thin_column_and_stays_legible_at_forty_slogans():
    table = _slogan_timeline(40, range(1954, 2026), gap_years={1970, 1971, 2020})
    table["thin"] = table["period"] == pd.Period("1990", freq="Y")
    ax = textplot.slogan_heatmap(table)
    figure = ax.figure
    figure.canvas.draw()
    labels = ax.get_yticklabels()
    assert len(labels) == 40
    boxes = [label.get_window_extent() for label in labels]
    assert not any(a.overlaps(b) for a, b in zip(boxes, boxes[1:])), "row labels must not touch"
    ticks = [label.get_window_extent() for label in ax.get_xticklabels()]
    assert not any(a.overlaps(b) for a, b in zip(ticks, ticks[1:])), "period labels must not touch"
    assert figure.get_size_inches()[1] >= 0.25 * 40
    assert sum(1 for patch in ax.patches if patch.get_hatch()) == 3


def test_one_extreme_thin_period_does_not_set_the_heatmap_scale():
    # Every slogan's rate jumps in one short period (the 2020 work report is a resolution of a page).
    table = _slogan_timeline(20, range(1990, 2020))
    table.loc[table["period"] == pd.Period("2010", freq="Y"), "per_10k_chars"] = 500.0
    ax = textplot.slogan_heatmap(table)
    assert ax.get_images()[0].get_clim()[1] < 500.0


def test_small_multiples_draw_the_top_slogans_each_on_its_own_scale_capping_thin_periods():
    table = _slogan_timeline(15, range(2000, 2010))
    table.loc[(table["canonical"] == "口号00") & (table["period"] == pd.Period("2005", freq="Y")),
              ["mentions", "per_10k_chars"]] = [900, 900.0]
    ax = textplot.slogan_small_multiples(table, n=12, thin=[pd.Period("2005", freq="Y")])
    assert len(ax.get_yticklabels()) == 12
    peaks = [text.get_text() for text in ax.texts if text.get_text().startswith("peak")]
    assert len(peaks) == 12 and "peak 900" not in peaks, "the thin period's rate does not set the scale"
    with pytest.raises(ValueError, match="n must be"):
        textplot.slogan_small_multiples(table, n=0)


def test_small_multiples_draw_a_period_standing_alone_between_gaps():
    # 1964 and 1975 are the only work reports between 1960 and 1978: each stands between gaps.
    table = _slogan_timeline(1, range(1960, 1967), gap_years={1961, 1962, 1963, 1965})
    ax = textplot.slogan_small_multiples(table, n=1)
    column = 1964 - 1960
    drawn = [line for line in ax.lines
             if np.isfinite(line.get_ydata()).any() and min(line.get_xdata()) <= column <= max(line.get_xdata())
             and len(line.get_xdata()) == 2]
    assert drawn, "the isolated year has a visible step"


def test_slogan_charts_say_no_data_for_an_undated_corpus():
    empty = pd.DataFrame({"canonical": [], "period": [], "per_10k_chars": []})
    for chart in (textplot.slogan_heatmap, textplot.slogan_small_multiples):
        ax = chart(empty)
        assert any("no data" in text.get_text() for text in ax.texts)


def test_association_heatmap_picks_terms_by_association_not_frequency_and_clusters_them():
    edges = pd.DataFrame({
        "term_a": ["发展", "发展", "经济", "六稳", "脱贫", "发展"],
        "term_b": ["经济", "工作", "工作", "六保", "攻坚", "六稳"],
        "count": [900, 800, 700, 5, 4, 3],
        "npmi": [0.05, 0.02, 0.03, 0.92, 0.88, -0.2],
    })
    ax = textplot.association_heatmap(edges, n=4)
    shown = [label.get_text() for label in ax.get_xticklabels()]
    assert sorted(shown) == ["六保", "六稳", "攻坚", "脱贫"], "the strongest pairs, not the most frequent terms"
    assert abs(shown.index("六稳") - shown.index("六保")) == 1 and abs(shown.index("脱贫") - shown.index("攻坚")) == 1
    low, high = ax.get_images()[0].get_clim()
    assert low == pytest.approx(-high), "npmi is centred on independence"


TARGETS = pd.DataFrame(
    {
        "indicator_id": ["gdp_growth"] * 4 + ["cpi"],
        "year": [2016, 2018, 2019, 2021, 2018],
        "low": [6.5, 6.5, np.nan, 6.0, 3.0],
        "high": [7.0, 6.5, np.nan, 6.0, 3.0],
        "unit": ["%"] * 5,
        "qualifier": ["区间", "左右", "not stated", "以上", "左右"],
    }
)


def test_targets_over_time_draws_points_bands_gaps_and_years_without_a_target():
    ax = textplot.targets_over_time(TARGETS)
    line = ax.get_lines()[0]
    assert [int(year) for year in line.get_xdata()] == [2016, 2017, 2018, 2019, 2020, 2021]
    middle = np.asarray(line.get_ydata(), dtype=float)
    assert middle[0] == pytest.approx(6.75) and middle[2] == 6.5 and middle[5] == 6.0
    assert np.isnan(middle[1]) and np.isnan(middle[4]), "a year without a document is a gap, not a zero"
    crosses = [line for line in ax.get_lines() if line.get_label() == "no target set or stated"]
    assert [int(year) for year in crosses[0].get_xdata()] == [2019]
    labels = [text.get_text() for text in ax.texts]
    assert labels == ["6.5–7", "6.5左右", "6以上"]
    assert ax.get_ylabel() == "%"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing CJK glyph warns
        _render(ax.figure)


def test_targets_over_time_filters_the_indicator_and_draws_on_a_given_axes():
    figure, given = plt.subplots()
    ax = textplot.targets_over_time(TARGETS, indicator_id="cpi", ax=given)
    assert ax is given
    assert [int(year) for year in ax.get_lines()[0].get_xdata()] == [2018]
    empty = textplot.targets_over_time(TARGETS, indicator_id="deficit_ratio")
    assert "无数据" in empty.texts[0].get_text()
    with pytest.raises(KeyError, match="low"):
        textplot.targets_over_time(TARGETS.drop(columns="low"))
    plt.close("all")


def test_targets_over_time_draws_gnp_and_gdp_as_distinct_series_by_target_year():
    targets = pd.DataFrame(
        {
            "indicator_id": ["gnp_growth", "gdp_growth", "gdp_growth", "gdp_growth", "gdp_growth", "output_growth"],
            "indicator": ["GNP growth (国民生产总值增长)", "GDP growth (国内生产总值增长)", "GDP growth (国内生产总值增长)",
                          "GDP growth (国内生产总值增长)", "GDP growth (国内生产总值增长)", "output"],
            "year": [1993, 1993, 1994, 1995, 2001, 1980],
            "target_year": [1993, 1993, 1994, 1995, 2001, 1981],
            "low": [8.0, np.nan, 9.0, 8.0, np.nan, 5.5],
            "high": [8.0, np.nan, 9.0, 9.0, np.nan, 5.5],
            "unit": ["%"] * 6,
            "qualifier": ["", "not stated", "", "区间", "not stated", ""],
        }
    )
    ax = textplot.targets_over_time(targets, indicator_id=["gdp_growth", "gnp_growth"])
    series = {line.get_label(): line for line in ax.get_lines()}
    gdp, gnp = series["GDP growth (国内生产总值增长)"], series["GNP growth (国民生产总值增长)"]
    assert gdp.get_marker() != gnp.get_marker() and gdp.get_color() != gnp.get_color()
    assert [int(year) for year in gdp.get_xdata()] == list(range(1993, 2002)), "from the first target, not 1980"
    assert np.isnan(gdp.get_ydata()[0]) and gnp.get_ydata()[0] == 8.0, "1993 is a GNP year, not a GDP one"
    # 1993 has a GNP target, so it is no year without a target; 2001 is.
    crosses = series["no target set or stated"]
    assert [int(year) for year in crosses.get_xdata()] == [2001]
    assert ax.get_xlabel() == "year the target is for"
    one = textplot.targets_over_time(targets, indicator_id="output_growth")
    assert [int(year) for year in one.get_lines()[0].get_xdata()] == [1981], "placed at the year it is for"
    with pytest.raises(ValueError, match="indicator_id"):
        textplot.targets_over_time(targets, indicator_id=[])
    plt.close("all")


def test_lag_heatmap_marks_censored_and_unobserved_cells():
    ax = textplot.lag_heatmap(LAGS, unit_days=1)
    labels = {text.get_text() for text in ax.texts}
    # 671 days left-censored is an upper bound; the county never used 六保 in its archive.
    assert labels == {"≤671", "33", "—"}
    assert [label.get_text() for label in ax.get_xticklabels()] == ["provincial", "county"]
    hatched = [patch for patch in ax.patches if patch.get_hatch()]
    assert len(hatched) == 1


def test_lag_heatmap_by_region_names_each_region_with_its_level():
    ax = textplot.lag_heatmap(LAGS, by="region")
    assert [label.get_text() for label in ax.get_xticklabels()] == ["河南省 (provincial)", "郑州高新区 (county)"]


def test_adoption_curve_draws_the_share_of_all_and_of_observed_regions():
    ax = textplot.adoption_curve(CURVE)
    solid, dotted = ax.get_lines()
    assert list(solid.get_ydata()) == [0.0, 0.5, 1.0]
    assert list(dotted.get_ydata()) == [0.0, 1.0, 1.0] and dotted.get_linestyle() == ":"
