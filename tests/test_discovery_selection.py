"""Tests for analysis.discovery.selection: which rising phrases are candidates, the same on every run."""

from __future__ import annotations

import pandas as pd

from analysis.discovery.selection import GenericFilter, select_candidates

TEXT = "推进蓝色海湾，蓝色海湾建设。"


class Key(str):
    """A phrase whose hash is set: a set of such phrases iterates in the order the hashes give
    it, as a set of plain strings does in the order PYTHONHASHSEED gives it."""

    def __new__(cls, text: str, hashed: int):
        key = super().__new__(cls, text)
        key.hashed = hashed
        return key

    def __hash__(self) -> int:
        return self.hashed

    __eq__ = str.__eq__


def candidates(first_hash: int, second_hash: int) -> list[tuple[str, float]]:
    # 蓝色海湾 lies inside two kept phrases of one length: 推进蓝色海湾 (a verb in front: it
    # gives way to 蓝色海湾) and 蓝色海湾建设 (it does not).
    found = pd.DataFrame(
        {
            # object dtype: the phrases stay themselves, with their hashes
            "key": pd.Series([Key("蓝色海湾建设", first_hash), Key("推进蓝色海湾", second_hash), "蓝色海湾"], dtype=object),
            "score": [3.0, 2.0, 1.0],
            "count": [4, 4, 8],
            "quoted": [0.0, 0.0, 0.0],
            "spans": [[(7, 13)], [(0, 6)], [(2, 6), (7, 11)]],
            "joined": [False, False, False],
        }
    )
    kept = select_candidates(found, GenericFilter(), TEXT, n=None, generic=False, fragments={})
    return [(str(row.key), row.score) for row in kept]


def test_a_tie_between_holders_goes_by_their_text_not_by_set_order():
    # Either order of the two holders in a set gives the same candidates: the first holder by
    # its text (推进蓝色海湾) gives way to 蓝色海湾, which takes its rank.
    assert candidates(1, 2) == candidates(2, 1) == [("蓝色海湾建设", 3.0), ("蓝色海湾", 2.0)]


def kept_of(rows: list[tuple[str, float, int]], text: str) -> list[tuple[str, float]]:
    """The candidates kept of (phrase, score, count) rows, each printed as it is written."""
    return kept_printed([(key, key, score, count) for key, score, count in rows], text)


def test_a_phrase_replaces_a_higher_one_that_is_it_with_the_rest_of_its_clause():
    # 以…为主线 is said every year: 供给侧结构性改革为主线 ranked first, but the name is the phrase
    # inside it, which takes its rank; 为主线 is left to rank on its own.
    text = "坚持以供给侧结构性改革为主线。深化供给侧结构性改革。"
    rows = [("供给侧结构性改革为主线", 3.0, 4), ("供给侧结构性改革", 2.0, 8), ("为主线", 1.0, 4)]
    kept = kept_of(rows, text)
    assert kept[0] == ("供给侧结构性改革", 3.0)
    assert "供给侧结构性改革为主线" not in dict(kept)


def test_a_phrase_does_not_replace_a_higher_one_that_adds_more_of_its_name():
    # 发展 after 高质量 is more of the name, not the rest of a clause.
    text = "推动高质量发展。高质量教育。"
    kept = kept_of([("高质量发展", 3.0, 4), ("高质量", 2.0, 8)], text)
    assert kept == [("高质量发展", 3.0)]


def test_every_higher_phrase_that_is_it_after_a_verb_gives_way_at_the_best_rank():
    # 贯彻新发展理念 and 坚持新发展理念 both ranked above 新发展理念: one candidate, not two
    # rows of one slogan, at the better of their ranks.
    text = "贯彻新发展理念。坚持新发展理念。新发展理念。"
    rows = [("贯彻新发展理念", 3.0, 4), ("坚持新发展理念", 2.0, 4), ("新发展理念", 1.0, 12)]
    assert kept_of(rows, text) == [("新发展理念", 3.0)]


def test_a_higher_phrase_that_goes_on_after_it_stays_beside_the_verb_one_giving_way():
    # 依法治军 replaces 坚持依法治军 (a verb in front), but 依法治军从严治军 is a longer name
    # (从严 is an adverb, as in the rest of a clause), which stays.
    text = "坚持依法治军。依法治军从严治军。依法治军。"
    rows = [("依法治军从严治军", 3.0, 4), ("坚持依法治军", 2.0, 4), ("依法治军", 1.0, 12)]
    assert kept_of(rows, text) == [("依法治军从严治军", 3.0), ("依法治军", 2.0)]


def found_frame(rows: list[tuple[str, float, int, list[tuple[int, int]]]]) -> pd.DataFrame:
    """Ranked phrases as select_candidates reads them, from (phrase, score, count, spans) rows."""
    return pd.DataFrame(
        {
            "key": [key for key, _, _, _ in rows],
            "score": [float(score) for _, score, _, _ in rows],
            "count": [count for _, _, count, _ in rows],
            "quoted": 0.0,
            "spans": [spans for _, _, _, spans in rows],
            "joined": False,
        }
    )


def kept_printed(rows: list[tuple[str, str, float, int]], text: str) -> list[tuple[str, float]]:
    """As kept_of, each phrase with the form it is printed in (a list keeps its commas)."""
    found = found_frame([(key, score, count, [(text.find(printed), text.find(printed) + len(printed))])
                         for key, printed, score, count in rows])  # fmt: skip
    kept = select_candidates(found, GenericFilter(), text, n=None, generic=False, fragments={})
    return [(str(row.key), row.score) for row in kept]


def test_an_item_of_a_list_does_not_replace_the_list_as_if_the_other_item_were_its_verb():
    # By jieba's tags 精准扶贫 is 精准/n 扶贫/v, which reads as a verb in front of 精准脱贫. Printed
    # as a list, the two are items of one formula: the list stays the candidate.
    rows = [("精准扶贫精准脱贫", "精准扶贫、精准脱贫", 3.0, 4), ("精准脱贫", "精准脱贫", 2.0, 8)]
    listed = "实施精准扶贫、精准脱贫方略。精准脱贫。"
    assert kept_printed(rows, listed) == [("精准扶贫精准脱贫", 3.0)]
    # The same words without the comma are one clause, and the phrase after the verb replaces it.
    rows[0] = ("精准扶贫精准脱贫", "精准扶贫精准脱贫", 3.0, 4)
    assert kept_printed(rows, listed.replace("、", "")) == [("精准脱贫", 3.0)]


def test_a_verb_with_the_first_character_of_its_object_is_not_a_candidate():
    # 党 after 全面贯彻落实 begins 党的二十大精神 and 党中央: the phrase stops inside its object.
    text = "全面贯彻落实党的二十大精神。全面贯彻落实党中央决策部署。全面贯彻落实党的基本路线。"
    spans = [(m, m + 7) for m in (0, 14, 28)]
    assert text[slice(*spans[1])] == "全面贯彻落实党"
    judge = GenericFilter()
    assert judge.ends_in_modifier("全面贯彻落实党", text, spans)
    found = found_frame([("全面贯彻落实党", 1.0, 3, spans)])
    assert select_candidates(found, judge, text, n=None, generic=False, fragments={}) == []
    # A one-character noun that ends the formula stays: 以阶级斗争为纲 (为 is no verb), 投资于人.
    old = "抛弃以阶级斗争为纲的错误方针。"
    assert not judge.ends_in_modifier("以阶级斗争为纲", old, [(2, 9)])
    assert not judge.ends_in_modifier("投资于人", "坚持投资于人。", [(2, 6)])


def test_a_name_with_a_title_is_ordinary_a_named_doctrine_is_not():
    judge = GenericFilter()
    assert judge.ordinary("江泽民同志") and judge.ordinary("习近平总书记")
    assert not judge.ordinary("习近平新时代中国特色社会主义思想")


def test_a_meeting_and_what_it_said_are_ordinary_a_spirit_named_without_a_meeting_is_not():
    judge = GenericFilter()
    for phrase in ("二十大精神", "中央经济工作会议部署", "党中央决策部署", "二十大报告", "十九届六中全会精神",
                   "中央经济工作会议", "二十届二中三中全会", "第十五次缔约方大会"):
        assert judge.ordinary(phrase), phrase
    for phrase in ("伟大建党精神", "钉钉子精神", "上海精神"):
        assert not judge.ordinary(phrase), phrase


def test_a_phrase_inside_a_longer_title_or_always_a_whole_title_names_a_work_not_a_formula():
    from analysis.discovery.selection import in_title

    text = "推出特别报道《走进县城看发展》。《走进县城看发展》明天播出。实施《中国制造2025》，推进中国制造2025。"
    programme = [(m, m + 5) for m in (9, 19)]
    assert all(text[a:b] == "县城看发展" for a, b in programme)
    assert in_title(text, programme)
    # The programme's whole title is a title in every use; the plan is also written bare.
    assert in_title(text, [(m - 2, m + 5) for m in (9, 19)])
    plan = [(text.index("中国制造2025"), text.index("中国制造2025") + 8), (text.rindex("中国制造2025"), text.rindex("中国制造2025") + 8)]
    assert not in_title(text, plan)
    assert not in_title(text, [])
    found = found_frame([("县城看发展", 2.0, 2, programme), ("走进县城看发展", 1.0, 2, [(m - 2, m + 5) for m in (9, 19)])])
    assert select_candidates(found, GenericFilter(), text, n=None, generic=False, fragments={}) == []


def test_a_trend_reported_is_ordinary_a_formula_with_an_adverb_is_not():
    # A noun, then an adverb of continuation and a verb or adjective: the text reports a trend.
    judge = GenericFilter()
    for phrase in ("经济持续回升向好", "主要污染物排放量继续下降", "经济社会持续健康发展"):
        assert judge.ordinary(phrase), phrase
    # Other adverbs stand in formulas: 东部地区率先发展 (of 东部率先), 国内国际双循环相互促进.
    for phrase in ("东部地区率先发展", "国内国际双循环相互促进"):
        assert not judge.ordinary(phrase), phrase


def test_a_fragment_replaces_its_phrase_only_after_a_word_that_governs_known_slogans():
    # jieba tags 富强 a verb, but it is the first of the goal's adjectives (富强民主文明和谐), not
    # a verb the corpus writes before its slogans as it writes 推进 or 建成.
    text = "建成富强民主文明和谐的社会主义现代化国家。推进碳达峰碳中和。"
    judge = GenericFilter()
    assert judge.is_verb_head("富强民主文明和谐", 2)

    def kept(phrase: str, fragment: str, heads):
        fragments = found_frame([(fragment, 1.0, 3, [(text.find(fragment), text.find(fragment) + len(fragment))])])
        found = found_frame([(phrase, 2.0, 3, [(text.find(phrase), text.find(phrase) + len(phrase))])])
        rows = select_candidates(found, judge, text, n=None, generic=False, heads=heads,
                                 fragments={row.key: row for row in fragments.itertuples()})  # fmt: skip
        return [(row.key, row.score) for row in rows]

    governing = frozenset({"推进", "建成"})
    assert kept("富强民主文明和谐", "民主文明和谐", governing) == [("富强民主文明和谐", 2.0)]
    assert kept("推进碳达峰碳中和", "碳达峰碳中和", governing) == [("碳达峰碳中和", 2.0)]
    # Without known slogans in the corpus to learn from, any verb in front is context.
    assert kept("富强民主文明和谐", "民主文明和谐", None) == [("民主文明和谐", 2.0)]
