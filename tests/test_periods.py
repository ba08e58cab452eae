"""The one period model: choice, Periods, gaps, thin periods, and every stage agreeing on them."""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
import pytest

from analysis import periods
from analysis.periods import (
    attach_groups,
    choose_period,
    document_periods,
    period_table,
    split_periods,
    thin_mask,
    to_period,
)
from analysis.validation import InputError

SRC = Path(periods.__file__).parent


def dated(*dates, precision="day"):
    return pd.DataFrame({"date": pd.to_datetime(list(dates)), "date_precision": [precision] * len(dates)})


def test_choose_period_follows_the_span_and_the_date_precision():
    assert choose_period(dated("2022-01-01", "2022-01-31")) == "day"
    assert choose_period(dated("2022-01-01", "2022-12-31")) == "month"
    assert choose_period(dated("2015-01-01", "2022-12-31")) == "year"
    # Dated only by year: never counted by month, whatever the span.
    assert choose_period(dated("2022-01-01", "2022-01-01", precision="year")) == "year"
    assert choose_period(dated("2021-01-01", "2022-01-01", precision="month")) == "month"
    assert choose_period(pd.DataFrame({"date": pd.to_datetime([None])})) is None
    assert choose_period(pd.to_datetime(["1954-09-23", "2025-03-05"])) == "year"
    with pytest.raises(InputError, match="date"):
        choose_period(pd.DataFrame({"doc_id": ["a"]}))


def test_to_period_returns_pandas_periods_and_keeps_missing_dates_missing():
    result = to_period(pd.Series(["2020-06-02", None, "bad"], index=[5, 6, 7]), "month")
    assert isinstance(result.dtype, pd.PeriodDtype)
    assert result.index.tolist() == [5, 6, 7]
    assert [str(p) for p in result] == ["2020-06", "NaT", "NaT"]
    assert str(to_period(["2025-03-05"], "year").iloc[0]) == "2025"
    with pytest.raises(InputError, match="period must be one of"):
        to_period(["2020"], "decade")


def test_a_document_dated_by_year_has_no_month():
    corpus = pd.DataFrame(
        {"date": pd.to_datetime(["2020-01-01", "2020-06-02"]), "date_precision": ["year", "day"]}
    )
    assert [str(p) for p in document_periods(corpus, "month")] == ["NaT", "2020-06"]
    assert document_periods(corpus, "year").astype(str).tolist() == ["2020", "2020"]


def test_period_table_marks_gaps_thin_periods_and_counts_undated():
    corpus = pd.DataFrame(
        {
            "date": pd.to_datetime(["2018-03-05", "2019-03-05", "2021-03-05", "2022-03-05", None]),
            "text_clean": ["字" * 30_000, "字" * 28_000, "字" * 505, "字" * 31_000, "字" * 10],
        }
    )
    table = period_table(corpus, period="year")
    assert list(table.columns) == ["period", "start", "documents", "characters", "gap", "thin"]
    assert table["period"].astype(str).tolist() == ["2018", "2019", "2020", "2021", "2022"]
    assert table["documents"].tolist() == [1, 1, 0, 1, 1]
    assert table["characters"].tolist() == [30_000, 28_000, 0, 505, 31_000]
    assert table["gap"].tolist() == [False, False, True, False, False]
    # The 505-character resolution is thin; the gap is a gap, not thin.
    assert table["thin"].tolist() == [False, False, False, True, False]
    assert table.attrs == {"period": "year", "undated": 1}


def test_thin_is_relative_to_the_median_period_as_well_as_absolute():
    assert thin_mask([100_000, 9_000, 120_000]).tolist() == [False, True, False]
    assert thin_mask([1_500, 0]).tolist() == [True, False]
    assert thin_mask([1_500], min_characters=1_000).tolist() == [False]


def test_split_periods_splits_years_by_the_calendar_and_months_by_position():
    years = to_period(["1954", "1957", "2013", "2025"], "year")
    earlier, later = split_periods(years)
    # The middle of 1954-2025 is 1989.5: the gap decides, not the number of documents.
    assert [str(p) for p in earlier] == ["1954", "1957"] and [str(p) for p in later] == ["2013", "2025"]
    months = to_period(["2022-01", "2022-02", "2022-03", None], "month")
    assert [[str(p) for p in half] for half in split_periods(months)] == [["2022-01", "2022-02"], ["2022-03"]]
    assert split_periods(to_period(["2022"], "year")) is None


def test_attach_groups_derives_periods_as_pandas_periods():
    tokens = pd.DataFrame({"doc_id": ["a", "b"], "token": ["稳", "保"]})
    corpus = pd.DataFrame(
        {"doc_id": ["a", "b"], "date": pd.to_datetime(["2019-03-05", "2023-03-05"]), "source": ["x", "y"]}
    )
    attached = attach_groups(tokens, ["year", "month", "source"], corpus)
    assert isinstance(attached["year"].dtype, pd.PeriodDtype)
    assert attached["month"].astype(str).tolist() == ["2019-03", "2023-03"]
    assert attached["source"].tolist() == ["x", "y"]
    with pytest.raises(InputError, match="pass corpus="):
        attach_groups(tokens, ["year"], None)


def test_one_choose_period_in_the_package():
    """Five rules once chose the period in five modules; now there is one definition."""
    definers = []
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name in {
                "choose_period", "default_period", "default_periods", "_period_freq", "_automatic_period",
            }:
                definers.append(f"{path.name}:{node.name}")
    assert definers == ["periods.py:choose_period"]


def test_every_stage_counts_a_corpus_by_the_same_period():
    """A corpus of 2.5 years was counted by month in the explorer and by year in the notebooks."""
    from analysis import explore
    from analysis.slogans import slogan_timeline, tag_slogans

    corpus = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c"],
            "text_clean": ["做好“六稳”工作。" * 300] * 3,
            "date": pd.to_datetime(["2019-06-01", "2020-06-01", "2021-12-01"]),
        }
    )
    chosen = choose_period(corpus)
    assert chosen == "month"  # 2.5 years: the explorer said month, textstat said year (three calendar years)
    assert explore.explore_view(corpus, "六稳").timeline["period"].dtype == pd.PeriodDtype("M")
    assert slogan_timeline(tag_slogans(corpus), corpus).attrs["period"] == chosen


def test_no_module_imports_another_modules_private_name():
    offenders = []
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level >= 1:
                offenders += [f"{path.name}: {alias.name}" for alias in node.names if alias.name.startswith("_") and not alias.name.startswith("__")]
    assert offenders == []


def test_tokens_does_not_import_topics_or_dtm():
    # tokens is a subpackage: its modules import the package's stages with level 2.
    paths = sorted((SRC / "tokens").glob("*.py"))
    assert len(paths) > 1
    imported = set()
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level == 2}
        imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level == 2
                     and node.module is None for alias in node.names}
    assert "cache" in imported  # the scan reaches the package's other stages
    assert not imported & {"topics", "dtm"}


def test_attach_groups_gives_what_a_merge_on_doc_id_gives():
    corpus = pd.DataFrame({
        "doc_id": ["c", "a", "b", "d"],
        "date": pd.to_datetime(["2021-05-01", "2019-03-05", None, "2021-07-01"]),
        "source": ["报", "网", "报", None],
        "level": pd.Categorical(["central", "county", "central", "provincial"]),
    })
    # Rows out of document order, a document without tokens, an index that is not a range.
    tokens = pd.DataFrame({"doc_id": ["b", "a", "c", "a", "b", "c"], "token": list("甲乙丙丁戊己")}, index=[5, 3, 9, 1, 0, 7])
    tokens.attrs["doc_ids"] = ("a", "b", "c", "d")
    columns = ["year", "month", "source", "level"]
    expected = tokens.merge(
        pd.DataFrame({"doc_id": corpus["doc_id"], "year": document_periods(corpus, "year"),
                      "month": document_periods(corpus, "month"), "source": corpus["source"], "level": corpus["level"]}),
        on="doc_id", how="left", validate="many_to_one",
    )
    attached = attach_groups(tokens, columns, corpus)
    pd.testing.assert_frame_equal(attached, expected, check_exact=True)
    assert attached.attrs == expected.attrs == {}


def test_period_of_reads_a_year_a_date_or_a_period():
    import datetime

    from analysis.periods import period_of

    assert str(period_of(2013, "year")) == "2013"
    assert str(period_of("2013-05-04", "month")) == "2013-05"
    assert str(period_of(datetime.date(2020, 2, 1), "quarter")) == "2020Q1"
    assert str(period_of(pd.Period("2021-07", "M"), "year")) == "2021"
    for bad in ("soon", None, True, 3.5j):
        with pytest.raises(InputError, match="since must be a year or a date"):
            period_of(bad, "year")


def test_periods_before_counts_the_periods_ahead_of_since():
    from analysis.periods import periods_before

    months = [pd.Period(f"2022-{m:02d}", "M") for m in range(1, 13)]
    assert periods_before(months, "2022-03-15", "month") == 2
    assert periods_before(months, 2022, "month") == 0
    assert periods_before(months, "2023-01", "month") == 12
