import pandas as pd
import pytest

from analysis.display import (
    format_dates,
    label_documents,
    set_page_language,
    table_html,
    table_link_html,
)


def test_dates_known_only_to_the_year_read_as_years():
    assert format_dates(pd.to_datetime(["1954-01-01", "2025-01-01", None])).tolist() == ["1954", "2025", ""]
    # One real day among them: everything is shown to the day.
    assert format_dates(pd.to_datetime(["2025-01-01", "2025-03-05"])).tolist() == ["2025-01-01", "2025-03-05"]


def test_a_precision_column_decides_each_date():
    dates = pd.to_datetime(["2025-01-01", "2022-06-01", "2022-06-02"])
    assert format_dates(dates, ["year", "month", "day"]).tolist() == ["2025", "2022-06", "2022-06-02"]
    with pytest.raises(ValueError, match="unknown date precision"):
        format_dates(dates, "decade")


def test_label_documents_puts_the_label_before_the_id_and_refuses_unknown_ids():
    corpus = pd.DataFrame({"doc_id": ["a"], "date": pd.to_datetime(["2020-06-02"]), "title": ["高新区新闻"]})
    table = pd.DataFrame({"doc_id": ["a"], "term": ["扶贫"]})
    table.attrs["note"] = "kept"
    labelled = label_documents(table, corpus)
    assert labelled.to_dict("records") == [{"document": "2020-06-02 高新区新闻", "doc_id": "a", "term": "扶贫"}]
    assert labelled.attrs["note"] == "kept"
    with pytest.raises(ValueError, match="not in the corpus"):
        label_documents(pd.DataFrame({"doc_id": ["b"]}), corpus)


def test_table_html_shows_the_whole_table_escaped_with_numbers_right_and_text_left():
    table = pd.DataFrame({"term": ["<script>x</script>"] + [f"词{i}" for i in range(99)],
                          "count": range(100), "share": [0.123456] * 100,
                          "sentence": ["这是一个很长的句子，用来检查长文本列能否换行显示而不挤在一起。"] * 100})
    page = table_html(table, href="tables/t.csv", caption="Top terms")
    assert page.count("<tr>") == 101
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert '<th class="num">count</th>' in page and '<td class="num">0.1235</td>' in page
    assert "<th>term</th>" in page and '<th class="long">sentence</th>' in page
    assert "Top terms · 100 rows" in page and 'href="tables/t.csv"' in page
    assert "The table is empty" in table_html(table.head(0))


def test_table_link_names_the_rows_and_the_csv():
    line = table_link_html(pd.DataFrame({"a": range(3)}), href="tables/x y.csv", caption="Pairs")
    assert line.startswith('<p class="report-table-caption">Pairs · 3 rows')
    assert 'href="tables/x%20y.csv"' in line


def test_page_language_replaces_or_adds_the_lang_attribute():
    assert set_page_language('<html lang="en"><body></body></html>') == '<html lang="zh-Hans"><body></body></html>'
    assert set_page_language("<html><body></body></html>") == '<html lang="zh-Hans"><body></body></html>'
