"""Tests for analysis.discovery.joins: two rising or known phrases joined by 和 into one long name."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.discovery import RankWeights, discover_phrases
from analysis.discovery.joins import MAX_JOINED_CHARS, joined_phrases
from analysis.discovery.ngrams import Joined

OLD = "今年要发展经济，改善人民生活，加强社会管理，稳定物价水平。"
# 高质量发展 ranks first (printed three times a report); the strategy joins it to another
# rising phrase: 14 characters, 和 inside, 高质量发展 whole inside.
NEW = ("坚持高质量发展，推动高质量发展。{verb}黄河流域生态保护和高质量发展，促进区域协调。"
       "稳定和扩大就业，稳定和扩大消费。")  # fmt: skip
EMPTY = pd.DataFrame(columns=["id", "canonical", "aliases", "components"])
KNOWN = pd.DataFrame({"id": ["g"], "canonical": ["高质量发展"], "aliases": [[]], "components": [[]]})
JOINED = "黄河流域生态保护和高质量发展"


def reports(new: str = NEW, n_old: int = 8, n_new: int = 4) -> pd.DataFrame:
    years = range(2000, 2000 + n_old + n_new)
    verbs = ["推进", "推动", "促进", "扎实推进"]
    texts = [OLD] * n_old + [OLD + new.format(verb=verbs[i % len(verbs)]) for i in range(n_new)]
    return pd.DataFrame({"doc_id": [f"r{y}" for y in years], "text_clean": texts,
                         "date": pd.to_datetime([f"{y}-03-05" for y in years])})  # fmt: skip


def test_a_joined_strategy_is_proposed_beside_the_slogan_it_holds():
    found = discover_phrases(reports(), lexicon=EMPTY, prior=False, context=False).set_index("candidate")
    assert JOINED in found.index and "高质量发展" in found.index
    assert list(found.index).index("高质量发展") < list(found.index).index(JOINED)
    row = found.loc[JOINED]
    assert row["documents"] == 4 and row["count"] == 4 and row["rise_period"] == "2008"
    assert JOINED in row["example"]
    # a short coordination stays ordinary language, and the join's own fragments are no candidates
    assert not found.index.str.contains("稳定和扩大").any()
    assert not [c for c in found.index if c != JOINED and c in JOINED and len(c) > len("高质量发展")]


def test_a_join_may_hold_a_known_slogan_whole():
    found = discover_phrases(reports(), lexicon=KNOWN, prior=False, context=False)
    assert JOINED in set(found["candidate"]) and "高质量发展" not in set(found["candidate"])
    # once the joined name is known itself, it is not new
    both = pd.concat([KNOWN, pd.DataFrame({"id": ["h"], "canonical": [JOINED], "aliases": [[]], "components": [[]]})])
    assert JOINED not in set(discover_phrases(reports(), lexicon=both, prior=False, context=False)["candidate"])


def test_a_join_needs_rising_or_known_parts_and_its_length():
    # 改善人民生活 is printed throughout: joined to a rising phrase it is no new name.
    plain = "坚持高质量发展。改善人民生活和城乡区域协调发展，城乡区域协调发展。"
    found = discover_phrases(reports(plain), lexicon=EMPTY, prior=False, context=False)
    assert not found["candidate"].str.contains("和").any()


def test_joins_are_counted_as_the_counter_counts_and_never_cut_a_known_name():
    texts = ["发展经济。"] * 4 + ["推进黄河流域生态保护和高质量发展。"] * 3 + ["黄河流域生态保护和高质量发展观"] * 2
    joined = Joined(texts, {"高质量发展观"}, forms=["高质量发展观"])
    periods = np.arange(len(texts))
    found = joined_phrases(joined, {"黄河流域生态保护", "高质量发展"}, {"高质量发展观"}, periods,
                           np.ones(len(texts), dtype=np.int64), 0, min_documents=3, min_history=1)  # fmt: skip
    # the uses that cut 高质量发展观 do not count: three documents, not five
    assert found["key"].tolist() == [JOINED] and found["documents"].tolist() == [3]
    assert found["split"].tolist() == [4] and found["left_share"].tolist() == [1.0]
    too_long = joined_phrases(Joined(["甲" * 10 + "和" + "乙" * 10] * 6, set()), {"甲" * 10, "乙" * 10}, set(),
                              np.arange(6), np.ones(6, dtype=np.int64), 0, min_documents=3, min_history=1)  # fmt: skip
    assert 21 > MAX_JOINED_CHARS and too_long.empty


def test_the_slogan_a_join_holds_is_not_evidence_of_a_slogan_nearby():
    apart = "坚持高质量发展。" + OLD * 2 + "{verb}黄河流域生态保护和高质量发展，促进区域协调。" + OLD * 2
    with_near = discover_phrases(reports(apart), lexicon=KNOWN, prior=False, context=False).set_index("candidate")
    without = discover_phrases(reports(apart), lexicon=KNOWN, prior=False, context=False,
                               weights=RankWeights(near=0.0)).set_index("candidate")  # fmt: skip
    assert with_near.loc[JOINED, "score"] == without.loc[JOINED, "score"]
    # a known slogan beside it still is
    beside = discover_phrases(reports(), lexicon=KNOWN, prior=False, context=False).set_index("candidate")
    assert beside.loc[JOINED, "score"] > with_near.loc[JOINED, "score"]


def test_a_conjunction_inside_a_word_joins_nothing():
    # 党和国家 is one word: 新时代党 and 国家治理体系现代化 (each rising) are not joined by its 和.
    inside = "{verb}新时代党和国家治理体系现代化，推进新时代党，国家治理体系现代化。"
    found = discover_phrases(reports(inside), lexicon=EMPTY, prior=False, context=False, generic=True)
    assert not found["candidate"].str.contains("党和国家").any()
    assert JOINED in set(discover_phrases(reports(), lexicon=EMPTY, prior=False, context=False, generic=True)["candidate"])
