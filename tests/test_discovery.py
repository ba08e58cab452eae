"""Tests for analysis.discovery: rising phrases and the combined candidate table."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import discovery
from analysis.discovery import DISCOVERY_COLUMNS, PHRASE_COLUMNS, discover, discover_phrases
from analysis.slogans import discover_formulas

EMPTY = pd.DataFrame(columns=["id", "canonical", "aliases", "components"])

OLD = "今年要发展经济，改善人民生活，加强社会管理，稳定物价水平。"
NEW = (
    "我们要推进新型城镇化，坚持以人为核心的新型城镇化，也要推进新型城镇化试点，"
    "新型城镇化是大事。要防范化解风险，必须防范化解债务。防范化解，重在落实。"
)


def reports(n_old: int = 8, n_new: int = 4, new: str = NEW) -> pd.DataFrame:
    years = range(2000, 2000 + n_old + n_new)
    texts = [OLD] * n_old + [OLD + new] * n_new
    return pd.DataFrame(
        {"doc_id": [f"r{y}" for y in years], "text_clean": texts, "date": pd.to_datetime([f"{y}-03-05" for y in years])}
    )


def test_phrase_that_appears_late_is_proposed_with_its_rise():
    found = discover_phrases(reports(), lexicon=EMPTY).set_index("candidate")
    assert "新型城镇化" in found.index
    row = found.loc["新型城镇化"]
    assert row["rise_period"] == "2008"
    assert row["first_seen"] == pd.Timestamp("2008-03-05")
    assert row["documents"] == 4 and row["count"] == 16
    assert row["growth"] > 1
    assert "新型城镇化" in row["example"] and row["doc_id"] == "r2008"
    assert list(found.reset_index().columns) == PHRASE_COLUMNS


def test_phrases_present_throughout_are_not_new():
    found = discover_phrases(reports(), lexicon=EMPTY)
    assert not found["candidate"].isin(["发展经济", "改善人民生活", "社会管理"]).any()


def test_fragments_and_generic_verb_phrases_are_left_out():
    candidates = set(discover_phrases(reports(), lexicon=EMPTY)["candidate"])
    assert not {"型城镇化", "新型城镇", "城镇化"} & candidates  # fragments of 新型城镇化
    assert "防范化解" not in candidates  # verbs only
    assert "防范化解" in set(discover_phrases(reports(), lexicon=EMPTY, generic=True)["candidate"])


def test_lexicon_forms_are_not_proposed():
    lexicon = pd.DataFrame(
        {"id": ["xxczh"], "canonical": ["新型城镇化"], "aliases": [[]], "components": [[]]}
    )
    assert "新型城镇化" not in set(discover_phrases(reports(), lexicon=lexicon)["candidate"])


def test_too_few_documents_or_too_short_a_history_finds_nothing():
    assert discover_phrases(reports(n_new=2), lexicon=EMPTY).empty
    assert discover_phrases(reports(n_old=3), lexicon=EMPTY).empty


def test_phrases_need_dates():
    corpus = reports().assign(date=pd.NaT)
    with pytest.raises(ValueError, match="dates"):
        discover_phrases(corpus, lexicon=EMPTY)
    with pytest.raises(ValueError, match="date"):
        discover_phrases(reports().drop(columns="date"), lexicon=EMPTY)


@pytest.mark.parametrize("option", ["min_chars", "max_chars", "min_documents", "min_history"])
def test_phrase_options_are_checked(option):
    with pytest.raises(ValueError, match=option):
        discover_phrases(reports(), lexicon=EMPTY, **{option: 0})


def test_discover_combines_both_detectors():
    corpus = reports(new=NEW + "落实“六个坚持”。贯彻“六个坚持”。")
    table = discover(corpus, lexicon=EMPTY)
    assert list(table.columns) == DISCOVERY_COLUMNS
    pairs = set(zip(table["detector"], table["candidate"]))
    assert ("phrase", "新型城镇化") in pairs
    assert ("formula", "六个坚持") in pairs
    formula = table[table["detector"] == "formula"].set_index("candidate").loc["六个坚持"]
    assert formula["kind"] == "numbered" and formula["growth"] > 1
    assert set(table.loc[table["detector"] == "phrase", "kind"]) == {"rising"}


def test_discover_formula_rows_are_those_of_discover_formulas():
    corpus = reports(new=NEW + "落实“六个坚持”。贯彻“六个坚持”。")
    formulas = discover_formulas(corpus, lexicon=EMPTY)
    table = discover(corpus, lexicon=EMPTY, detectors=["formula"])
    assert set(table["candidate"]) == set(formulas["candidate"])


def test_discover_top_n_and_detectors():
    corpus = reports(new=NEW + "落实“六个坚持”。贯彻“六个坚持”。推进“双千工程”，“双千工程”好。")
    table = discover(corpus, lexicon=EMPTY, n=1)
    assert table.groupby("detector").size().to_dict() == {"formula": 1, "phrase": 1}
    assert set(discover(corpus, lexicon=EMPTY, detectors=["phrase"])["detector"]) == {"phrase"}
    with pytest.raises(ValueError, match="detector"):
        discover(corpus, lexicon=EMPTY, detectors=["ngram"])
    with pytest.raises(ValueError, match="n must be"):
        discover(corpus, lexicon=EMPTY, n=0)


def test_slogans_module_still_offers_discover_formulas():
    from analysis import slogans

    assert slogans.discover_formulas is discover_formulas
    assert "formula" in discovery.DETECTORS
