"""Tests for analysis.discovery.table: the formula detector's ranking in the combined table."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.discovery import NUMBERED_WEIGHT, discover
from analysis.validation import InputError

EMPTY = pd.DataFrame(columns=["id", "canonical", "aliases", "components"])


def corpus(late: list[str], n_old: int = 6) -> pd.DataFrame:
    years = range(2000, 2000 + n_old + len(late))
    texts = ["要发展经济，改善人民生活。"] * n_old + late
    return pd.DataFrame({"doc_id": [f"r{y}" for y in years], "text_clean": texts,
                         "date": pd.to_datetime([f"{y}-03-05" for y in years])})  # fmt: skip


def test_numbered_formulas_rank_above_quoted_one_offs():
    # The quoted one-off is printed more often, the numbered formula less: by growth and
    # occurrences alone the one-off would come first.
    late = [
        "落实“三严三实”。加强“形象工程”治理，整治“形象工程”，清理“形象工程”。",
        "坚持“三严三实”。防止“形象工程”，不搞“形象工程”，反对“形象工程”。",
    ]
    table = discover(corpus(late), lexicon=EMPTY, detectors=["formula"])
    order = table["candidate"].tolist()
    counts = dict(zip(table["candidate"], table["count"]))
    assert counts["形象工程"] > counts["三严三实"]
    assert order.index("三严三实") < order.index("形象工程")
    assert NUMBERED_WEIGHT > 0


def test_since_keeps_formulas_new_or_grown_from_then_on():
    # “三北” is an old formula printed again later without growing much; “六稳” is new;
    # “两个大局” is old but printed far more from 2008 on.
    late = ["加强“三北”建设，做好“六稳”，统筹“两个大局”。"] * 2 + ["统筹“两个大局”，做好“六稳”。"] * 2
    old = ["加强“三北”建设，统筹“两个大局”。"] + ["加强“三北”建设。"] * 5
    years = range(2000, 2010)
    table = pd.DataFrame({"doc_id": [f"r{y}" for y in years], "text_clean": old + late,
                          "date": pd.to_datetime([f"{y}-03-05" for y in years])})  # fmt: skip
    every = set(discover(table, lexicon=EMPTY, detectors=["formula"])["candidate"])
    assert {"三北", "六稳", "两个大局"} <= every
    since = set(discover(table, lexicon=EMPTY, detectors=["formula"], since=2006)["candidate"])
    assert since == {"六稳", "两个大局"}


def test_a_formula_s_growth_does_not_count_it_inside_a_longer_number():
    # “五五”普法 of 2000 is not printed again: 十五五 of the later reports is another formula.
    late = ["实现“十五五”良好开局，编制“十五五”规划。"] * 4
    old = ["开展“五五”普法。"] * 2 + ["要发展经济。"] * 4
    years = range(2000, 2010)
    table = pd.DataFrame({"doc_id": [f"r{y}" for y in years], "text_clean": old + late,
                          "date": pd.to_datetime([f"{y}-03-05" for y in years])})  # fmt: skip
    growth = discover(table, lexicon=EMPTY, detectors=["formula"]).set_index("candidate")["growth"]
    assert growth["十五五"] > 2
    assert growth["五五"] < 1


def yearly(years, *, new_from=None) -> pd.DataFrame:
    new = "落实“六个坚持”。推进新型城镇化，坚持新型城镇化道路。新型城镇化是大事。"
    texts = ["要发展经济。" + (new if new_from is not None and year >= new_from else "") for year in years]
    return pd.DataFrame({"doc_id": [f"r{year}" for year in years], "text_clean": texts,
                         "date": pd.to_datetime([f"{year}-03-05" for year in years])})  # fmt: skip


def test_the_phrase_detector_runs_from_min_history_plus_one_periods_on():
    from analysis.discovery import MIN_HISTORY, phrase_skip_reason

    enough = yearly(range(2000, 2001 + MIN_HISTORY))
    assert phrase_skip_reason(enough, "year") is None
    short = enough.iloc[1:]
    reason = phrase_skip_reason(short, "year")
    assert reason.startswith("The phrase detector did not run:") and f"fall in {MIN_HISTORY} years" in reason
    assert phrase_skip_reason(short, "year", reference=True) is None, "a reference corpus is the history"
    # Counted by month the same documents are as many periods; None chooses the period from the dates.
    assert phrase_skip_reason(enough, None) is None
    assert "no document of the corpus is dated" in phrase_skip_reason(enough.assign(date=pd.NaT), None)
    assert "no document of the corpus is dated" in phrase_skip_reason(enough.drop(columns="date"), None)


def test_discover_leaves_the_phrase_detector_out_of_a_short_corpus_and_says_why():
    table = discover(yearly(range(2000, 2003), new_from=2001), lexicon=EMPTY)
    assert set(table["detector"]) == {"formula"} and "六个坚持" in set(table["candidate"])
    assert table.attrs["note"].startswith("The phrase detector did not run: the corpus's dated documents fall in 3 years")
    assert "note" not in discover(yearly(range(2000, 2010), new_from=2006), lexicon=EMPTY).attrs


def test_discover_finds_formulas_in_an_undated_corpus_without_growth():
    corpus = pd.DataFrame({"doc_id": ["a", "b"], "date": [pd.NaT, pd.NaT],
                           "text_clean": ["落实“四个坚持”。要“四个坚持”。", "发展经济。"]})  # fmt: skip
    table = discover(corpus, lexicon=EMPTY)
    assert table[["candidate", "detector", "count"]].values.tolist() == [["四个坚持", "formula", 2]]
    assert table["growth"].isna().all() and (table["start"].tolist(), table["end"].tolist()) == ([3], [7])
    assert "no document of the corpus is dated" in table.attrs["note"]
    with pytest.raises(InputError, match="since needs dated documents"):
        discover(corpus, lexicon=EMPTY, since=2020)
