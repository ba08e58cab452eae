"""Tests for analysis.slogans: the tagger, counts, lifecycle and KWIC.

Most tests use a small lexicon built here, so they do not move when the shipped
lexicon grows; the seed and corpus tests use the shipped one.
"""

from __future__ import annotations

import importlib
import json
import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from analysis import slogans
from analysis.slogans import candidates as candidates_module
from analysis.slogans import compiled as compiled_module
from analysis.slogans import tagger as tagger_module
from analysis.slogans import (
    check_dictionary,
    discover_formulas,
    kwic,
    kwic_html,
    kwic_top_slogans,
    slogan_counts,
    slogan_lifecycle,
    slogan_timeline,
    tag_slogans,
    top_slogans,
)


def _entry(slogan_id, canonical, components=(), aliases=()):
    return {
        "id": slogan_id,
        "canonical": canonical,
        "aliases": list(aliases),
        "components": [
            {"text": c[0], "aliases": list(c[1:])} if isinstance(c, tuple) else {"text": c, "aliases": []}
            for c in components
        ],
    }


LEXICON = pd.DataFrame(
    [
        _entry("liuwen", "六稳", ["稳就业", "稳金融", "稳外贸", "稳外资", "稳投资", "稳预期"]),
        _entry(
            "liubao",
            "六保",
            [
                ("保居民就业", "保就业"),
                ("保基本民生", "保民生"),
                "保市场主体",
                "保粮食能源安全",
                "保产业链供应链稳定",
                "保基层运转",
            ],
        ),
        # The shipped lexicon lists the punctuated spelling as an alias too.
        _entry("kongbao", "控保稳进抬扛", list("控保稳进抬扛"), aliases=["控、保、稳、进、抬、扛"]),
        _entry("sanbao", "三保", ["保基本民生", "保工资", "保运转"]),
        _entry("wenzhong", "稳中求进", aliases=["稳中求进工作总基调"]),
        _entry("yibao", "以保促稳"),
        _entry("gaozhiliang", "高质量发展"),
        _entry("huanghe", "黄河流域生态保护和高质量发展"),
    ]
)


def tag(text, **options):
    return tag_slogans(text, lexicon=LEXICON, **options)


def rows(mentions, *columns):
    return [tuple(row) for row in mentions[list(columns)].itertuples(index=False)]


# --- forms -------------------------------------------------------------------


def test_compact_form_quoted_or_not_with_exact_offsets():
    text = "扎实做好“六稳”工作，落实六保任务。"
    mentions = tag(text)
    assert rows(mentions, "slogan_id", "form", "surface", "start", "end", "quoted") == [
        ("liuwen", "compact", "六稳", 5, 7, True),
        ("liubao", "compact", "六保", 13, 15, False),
    ]


def test_alias_is_one_compact_mention_not_two():
    mentions = tag("全面贯彻稳中求进工作总基调。")
    assert rows(mentions, "slogan_id", "form", "surface") == [("wenzhong", "compact", "稳中求进工作总基调")]


@pytest.mark.parametrize(
    "written",
    [
        "控、保、稳、进、抬、扛",
        "控，保，稳，进，抬，扛",
        "控,保,稳,进,抬,扛",
        "控 保 稳 进 抬 扛",
        "控\u3000保\u3000稳\u3000进\u3000抬\u3000扛",
        "控”“保”“稳”“进”“抬”“扛",
        "控”、“保”、“稳”、“进”、“抬”、“扛",
    ],
)
def test_enumerated_single_character_formula(written):
    text = f"把握好“{written}”六字要求"
    mentions = tag(text)
    assert rows(mentions, "slogan_id", "form", "surface", "start", "end") == [
        ("kongbao", "enumerated", written, 4, 4 + len(written))
    ]
    assert mentions["quoted"].tolist() == [True]


def test_enumeration_outside_quotes_is_found_and_not_quoted():
    mentions = tag("围绕市委控、保、稳、进、抬、扛的六字要求")
    assert rows(mentions, "form", "surface", "quoted") == [("enumerated", "控、保、稳、进、抬、扛", False)]


def test_compact_single_character_formula_is_compact_not_enumerated():
    mentions = tag("落实好“控保稳进抬扛”六字方针")
    assert rows(mentions, "slogan_id", "form", "quoted") == [("kongbao", "compact", True)]


@pytest.mark.parametrize(
    "text",
    [
        "守住“保”的底线，筑牢“稳”的基础，凝聚“进”的力量",  # ambiguous single characters
        "控、保、稳、进、抬",  # one part missing
        "保、控、稳、进、抬、扛",  # out of order
        "稳定就业，保持定力，进一步抬高标准",  # the characters inside ordinary words
    ],
)
def test_single_characters_are_never_mentions(text):
    assert tag(text).empty


def test_expansion_with_separators_counts_once_and_spans_first_to_last_part():
    listed = "保居民就业、保基本民生、保市场主体、保粮食能源安全、保产业链供应链稳定、保基层运转"
    text = f"持续做好“六稳”、“六保”工作，强化{listed}，以改革开放办法推动经济爬坡过坎。"
    mentions = tag(text)
    expansion = mentions[mentions["form"] == "expansion"]
    assert rows(expansion, "slogan_id", "surface") == [("liubao", listed)]
    start = text.index(listed)
    assert rows(expansion, "start", "end") == [(start, start + len(listed))]
    # The parts of the expansion are not also component mentions, of any family.
    assert mentions["form"].tolist() == ["compact", "compact", "expansion"]


def test_run_together_expansion_with_aliases():
    mentions = tag("特别是保就业保民生保市场主体，以保促稳、稳中求进。")
    assert rows(mentions, "slogan_id", "form", "surface") == [
        ("liubao", "expansion", "保就业保民生保市场主体"),
        ("yibao", "compact", "以保促稳"),
        ("wenzhong", "compact", "稳中求进"),
    ]


def test_expansion_may_end_with_a_connective_and_quotes():
    text = "着力“稳就业”“稳金融”“稳外贸”、稳外资、稳投资和稳预期。"
    mentions = tag(text)
    assert rows(mentions, "slogan_id", "form", "surface") == [
        ("liuwen", "expansion", "稳就业”“稳金融”“稳外贸”、稳外资、稳投资和稳预期")
    ]


def test_expansion_threshold_half_and_at_least_three():
    assert slogans.EXPANSION_MIN_PARTS == 3 and slogans.EXPANSION_MIN_SHARE == 0.5
    assert [slogans.expansion_minimum(n) for n in (1, 2, 3, 4, 5, 6, 7, 10)] == [None, 2, 3, 4, 5, 3, 4, 5]
    three_of_six = tag("稳就业、稳金融、稳外贸")
    assert rows(three_of_six, "form", "surface") == [("expansion", "稳就业、稳金融、稳外贸")]
    two_of_six = tag("稳就业、稳金融")
    assert rows(two_of_six, "form", "surface") == [("component", "稳就业"), ("component", "稳金融")]
    # The same part twice is still one part.
    repeated = tag("稳就业、稳就业、稳金融")
    assert set(repeated["form"]) == {"component"}


def test_formula_of_three_parts_needs_all_three():
    assert rows(tag("保工资、保运转"), "slogan_id", "form") == [
        ("sanbao", "component"),
        ("sanbao", "component"),
    ]
    complete = tag("落实保基本民生、保工资、保运转。")
    assert rows(complete, "slogan_id", "form", "surface") == [("sanbao", "expansion", "保基本民生、保工资、保运转")]


def test_parts_separated_by_other_words_are_not_an_expansion():
    mentions = tag("稳就业是前提，稳金融是保障，稳外贸是关键。")
    assert mentions["form"].tolist() == ["component"] * 3


def test_component_on_its_own_links_to_its_family():
    mentions = tag("高度重视稳就业，出台政策。")
    assert rows(mentions, "slogan_id", "canonical", "form", "surface") == [
        ("liuwen", "六稳", "component", "稳就业")
    ]


def test_single_character_component_is_never_a_component_mention():
    assert tag("保持定力，稳步推进，控制风险。").empty


SHORT_PARTS = pd.DataFrame(
    [
        _entry("xinlinian", "新发展理念", ["创新", "协调", "绿色", "开放", "共享"]),
        _entry("buju", "东强、南动、西美、北静、中优、外联", ["东强", "南动", "西美", "北静", "中优", "外联"]),
        _entry("fangyi", "外防输入、内防反弹", ["外防输入", "内防反弹"]),
    ]
)


@pytest.mark.parametrize(
    "text",
    [
        "坚持创新驱动，扩大对外开放，推进绿色转型。",  # everyday words
        "开辟“绿色通道”，保障物资运输。",  # quoted, but a different term
        "山东强省建设的生动实践",  # 东强 straddles a word boundary
    ],
)
def test_two_character_component_on_its_own_needs_quotes_of_its_own(text):
    assert tag_slogans(text, lexicon=SHORT_PARTS).empty


@pytest.mark.parametrize(
    "text",
    [
        "全面落实“绿色、共享、开放、廉洁”的办奥理念。",  # a motto: three parts of five
        "坚持开放创新、开放共享。",  # compounds, not a list of parts
        "坚持创新、协调、绿色、开放的原则。",  # four of five is another list
    ],
)
def test_a_small_formula_needs_every_part_and_mottos_are_not_expansions(text):
    assert "expansion" not in set(tag_slogans(text, lexicon=SHORT_PARTS)["form"])


def test_run_together_two_character_parts_name_the_formula_only_when_all_are_there():
    sannong = pd.DataFrame([_entry("sannong", "三农", ["农业", "农村", "农民"])])
    mentions = tag_slogans("农业农村农民问题是根本性问题。", lexicon=sannong)
    assert rows(mentions, "form", "surface") == [("expansion", "农业农村农民")]
    assert tag_slogans("发展农业农村经济。", lexicon=sannong).empty


def test_an_expansion_needs_a_decisive_share_of_its_list():
    text = "政策包括财政、货币金融、稳投资促消费、保粮食能源安全、保产业链供应链稳定、保基本民生六个方面。"
    mentions = tag(text)
    liubao = mentions[mentions["slogan_id"] == "liubao"]
    # Three 六保 parts among six items: the six areas of a package, not 六保.
    assert liubao["form"].tolist() == ["component"] * 3
    alone = tag("强化保粮食能源安全、保产业链供应链稳定、保基层运转。")
    assert rows(alone, "slogan_id", "form") == [("liubao", "expansion")]


def test_a_list_naming_every_part_of_one_formula_is_not_part_of_another():
    lexicon = pd.DataFrame(
        [
            _entry("liuwen", "六稳", ["稳就业", "稳金融", "稳外贸", "稳外资", "稳投资", "稳预期"]),
            _entry("siwen", "稳就业、稳企业、稳市场、稳预期", ["稳就业", "稳企业", "稳市场", "稳预期"]),
            _entry("sanwen", "三稳", ["稳就业", "稳金融", "稳外贸"]),
        ]
    )
    four = tag_slogans("做到稳就业、稳企业、稳市场、稳预期。", lexicon=lexicon)
    assert rows(four, "slogan_id", "form") == [("siwen", "compact")]
    spaced = tag_slogans("做到稳就业 稳企业 稳市场 稳预期。", lexicon=lexicon)
    assert rows(spaced, "slogan_id", "form") == [("siwen", "expansion")]
    # 稳就业、稳金融、稳外贸: all of 三稳, half of 六稳 on exactly the same span.
    three = tag_slogans("做到稳就业、稳金融、稳外贸。", lexicon=lexicon)
    assert rows(three, "slogan_id", "form") == [("sanwen", "expansion")]


def test_two_character_component_in_quotes_or_in_an_expansion_is_tagged():
    quoted = tag_slogans("把“创新”摆在首位。", lexicon=SHORT_PARTS)
    assert rows(quoted, "slogan_id", "form", "surface") == [("xinlinian", "component", "创新")]
    listed = tag_slogans("坚持创新、协调、绿色、开放、共享的发展理念。", lexicon=SHORT_PARTS)
    assert rows(listed, "slogan_id", "form", "surface") == [
        ("xinlinian", "expansion", "创新、协调、绿色、开放、共享")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "确保就业大局稳定。",  # 确保 + 就业
        "确保市场主体应享尽享。",
        "确保居民就业和收入持续增加。",
    ],
)
def test_no_mention_starts_inside_a_word(text):
    assert tag(text).empty


def test_the_lexicon_spelling_of_a_listed_formula_is_compact():
    mentions = tag_slogans("坚持外防输入、内防反弹。", lexicon=SHORT_PARTS)
    assert rows(mentions, "slogan_id", "form", "surface") == [("fangyi", "compact", "外防输入、内防反弹")]
    spaced = tag_slogans("“外防输入 内防反弹”", lexicon=SHORT_PARTS)
    assert rows(spaced, "slogan_id", "form", "surface") == [("fangyi", "expansion", "外防输入 内防反弹")]


# --- overlaps ------------------------------------------------------------------


NESTED = pd.DataFrame(
    [
        _entry("sigequanmian", "四个全面", ["全面建成小康社会", "全面深化改革", "全面依法治国", "全面从严治党"]),
        _entry("xiaokang", "小康社会"),
        _entry("gaozhiliang", "高质量发展"),
        _entry("huanghe", "黄河流域生态保护和高质量发展"),
        _entry("liubao", "六保", ["保居民就业", "保基本民生", "保市场主体", "保粮食能源安全", "保产业链供应链稳定", "保基层运转"]),
        _entry("sanbao", "三保", ["保基本民生", "保工资", "保运转"]),
    ]
)


def test_a_name_inside_a_longer_mention_of_another_slogan_is_still_a_mention():
    mentions = tag_slogans("如期全面建成小康社会，推动黄河流域生态保护和高质量发展。", lexicon=NESTED)
    assert rows(mentions, "slogan_id", "form", "surface", "start") == [
        ("sigequanmian", "component", "全面建成小康社会", 2),
        ("xiaokang", "compact", "小康社会", 6),
        ("huanghe", "compact", "黄河流域生态保护和高质量发展", 13),
        ("gaozhiliang", "compact", "高质量发展", 22),
    ]
    assert mentions["counted"].all()
    listed = tag_slogans("全面建成小康社会、全面深化改革、全面依法治国、全面从严治党", lexicon=NESTED)
    assert rows(listed, "slogan_id", "form") == [("sigequanmian", "expansion"), ("xiaokang", "compact")]


def test_a_name_that_begins_where_a_longer_mention_begins_is_not_a_mention():
    # The matcher takes the longest form at each position (data/lexicon/README.md, Nesting):
    # 新时代 at the start of the doctrine's name is not a mention; on its own, after 奋进, it is.
    lexicon = pd.DataFrame([_entry("xinshidai", "新时代"), _entry("qiangjun", "习近平强军思想", aliases=["新时代党的强军思想"])])
    mentions = tag_slogans("深入贯彻新时代党的强军思想，奋进新时代。", lexicon=lexicon)
    assert rows(mentions, "slogan_id", "surface", "start") == [("qiangjun", "新时代党的强军思想", 4), ("xinshidai", "新时代", 16)]


def test_a_part_inside_a_longer_mention_of_another_slogan_is_not_kept():
    text = "强化保居民就业、保基本民生、保市场主体、保粮食能源安全、保产业链供应链稳定、保基层运转。"
    mentions = tag_slogans(text, lexicon=NESTED)
    # 保基本民生 is also a part of 三保, but here it belongs to the 六保 list.
    assert rows(mentions, "slogan_id", "form") == [("liubao", "expansion")]


def test_within_one_slogan_the_longer_mention_still_wins():
    mentions = tag_slogans("全面建成小康社会、全面深化改革、全面依法治国、全面从严治党", lexicon=NESTED)
    assert (mentions["slogan_id"] == "sigequanmian").sum() == 1


# --- one reference, one count -------------------------------------------------------


def test_a_list_next_to_its_name_in_one_sentence_is_counted_once():
    listed = "保居民就业、保基本民生、保市场主体、保粮食能源安全、保产业链供应链稳定、保基层运转"
    text = f"强化{listed}“六保”任务。另起一句：{listed}。"
    corpus = pd.DataFrame({"doc_id": ["a"], "text_clean": [text], "date": pd.to_datetime(["2021-03-05"])})
    mentions = tag_slogans(corpus, lexicon=LEXICON)
    assert rows(mentions, "form", "counted") == [("expansion", False), ("compact", True), ("expansion", True)]
    counts = slogan_counts(mentions, corpus=corpus)
    assert counts.set_index("slogan_id").loc["liubao", "mentions"] == 2
    by_form = slogan_counts(mentions, by="form").set_index("form")
    assert by_form.loc["expansion", "mentions"] == 1 and by_form.loc["compact", "mentions"] == 1
    assert top_slogans(mentions)["mentions"].tolist() == [2]
    assert slogan_timeline(mentions, corpus, period="year")["mentions"].tolist() == [2]
    assert slogan_lifecycle(mentions, corpus)["mentions"].tolist() == [2]
    lines = kwic(corpus, "六保", lexicon=LEXICON)
    assert rows(lines, "form", "counted") == [("expansion", False), ("compact", True), ("expansion", True)]


def test_a_mention_table_without_counted_counts_every_row():
    mentions = tag("落实“六保”任务，强化保就业保民生保市场主体。").drop(columns="counted")
    assert slogan_counts(mentions)["mentions"].tolist() == [2]


# --- senses and scripts ----------------------------------------------------------------


def _with_context(**rules):
    lexicon = LEXICON.copy()
    for column, by_id in rules.items():
        lexicon[column] = [by_id.get(slogan_id) for slogan_id in lexicon["id"]]
    return lexicon


def test_strings_that_may_not_precede_or_follow_a_match_exclude_it():
    lexicon = _with_context(not_after={"liuwen": ("定",)}, not_before={"liubao": ("不",)})
    text = "实现“六稳定”，做好“六稳”工作，不六保，要六保。"
    mentions = tag_slogans(text, lexicon=lexicon)
    assert rows(mentions, "slogan_id", "start") == [
        ("liuwen", text.index("“六稳”") + 1),
        ("liubao", text.rindex("六保")),
    ]


def test_a_document_dated_outside_the_sense_mentions_no_form_of_it():
    lexicon = _with_context(valid_from={"liubao": "2020-04"}, valid_until={"liubao": "2022"})
    text = "落实“六保”任务，保就业保民生保市场主体。"
    corpus = pd.DataFrame(
        {
            "doc_id": ["2019", "2020-03", "2020-04", "2022-12", "2023", "undated"],
            "text_clean": [text] * 6,
            "date": pd.to_datetime(["2019-03-05", "2020-03-31", "2020-04-01", "2022-12-31", "2023-01-01", None]),
        }
    )
    mentions = tag_slogans(corpus, lexicon=lexicon)
    assert sorted(set(mentions["doc_id"])) == ["2020-04", "2022-12", "undated"]
    # Without a date column nothing is judged by date.
    assert len(tag_slogans(text, lexicon=lexicon)) == 2


def test_old_lexicon_frames_without_context_columns_still_work():
    assert not set(slogans.CONTEXT_COLUMNS) & set(LEXICON.columns)
    assert len(tag("做好“六稳”工作。")) == 1


@pytest.mark.parametrize(
    "column, value, message",
    [
        ("not_before", [1], "not_before"),
        ("not_after", [""], "not_after"),
        ("valid_from", "March 2020", "valid_from"),
        ("valid_until", "2020-13", "valid_until"),
    ],
)
def test_bad_context_rules_are_named_in_the_error(column, value, message):
    lexicon = _with_context(**{column: {"liuwen": value}})
    with pytest.raises(ValueError, match=f"liuwen.*{message}"):
        tag_slogans("六稳", lexicon=lexicon)


def test_a_range_that_ends_before_it_starts_is_an_error():
    lexicon = _with_context(valid_from={"liuwen": "2021"}, valid_until={"liuwen": "2020"})
    with pytest.raises(ValueError, match="liuwen.*after"):
        tag_slogans("六稳", lexicon=lexicon)


def test_traditional_characters_of_a_slogan_in_a_simplified_document_are_found():
    text = "会议强调，要做好「六穩」工作，穩就業、穩金融、穩外貿。"
    mentions = tag(text)
    assert rows(mentions, "slogan_id", "form", "surface") == [
        ("liuwen", "compact", "六穩"),
        ("liuwen", "expansion", "穩就業、穩金融、穩外貿"),
    ]
    for row in mentions.itertuples():
        assert text[row.start : row.end] == row.surface
    assert mentions["quoted"].tolist() == [True, False]
    # Names elsewhere in the document are left as they are.
    assert tag("国务委员王丙乾出席。").empty


def test_same_span_claimed_by_two_families_goes_to_one_of_them():
    # No other part in the sentence supports either: the formula stated first (六保, 2020) takes it.
    mentions = tag("兜牢保基本民生底线。")
    assert rows(mentions, "slogan_id", "form", "surface", "start") == [("liubao", "component", "保基本民生", 2)]
    supported = tag("兜牢保基本民生、保工资、保运转底线。")
    assert set(supported["slogan_id"]) == {"sanbao"}


def test_no_character_is_counted_twice_within_a_family():
    text = (
        "做好“六稳”工作，稳就业、稳金融、稳外贸、稳外资、稳投资、稳预期，"
        "落实保就业保民生保市场主体和保基本民生、保工资、保运转，稳中求进工作总基调。"
    )
    mentions = tag(text)
    for _, family in mentions.groupby("slogan_id"):
        spans = sorted(zip(family["start"], family["end"]))
        assert all(end <= next_start for (_, end), (next_start, _) in zip(spans, spans[1:]))


# --- quoted, in_title, sentence, offsets ---------------------------------------------


@pytest.mark.parametrize(
    "text, quoted",
    [
        ("做好“六稳”工作", True),
        ("做好‘六稳’工作", True),
        ("做好「六稳」工作", True),
        ("做好『六稳』工作", True),
        ('做好"六稳"工作', True),
        ("做好“六稳工作”", True),  # a generic noun inside the quotes
        ("“落实六稳”", True),
        ("做好六稳工作", False),
        ("他说“要扎实做好六稳工作并长期坚持”", False),  # a quotation, not the slogan quoted
        ("“六稳”、“六保”", True),
    ],
)
def test_quoted(text, quoted):
    assert bool(tag(text)["quoted"].iloc[0]) is quoted


def test_in_title_uses_body_start():
    title = "落实好“控保稳进抬扛”六字方针"
    corpus = pd.DataFrame(
        {
            "doc_id": ["page-1"],
            "text_clean": [f"{title}\n\n本报讯 扎实做好“六稳”工作。"],
            "body_start": [len(title) + 2],
        }
    )
    mentions = tag_slogans(corpus, lexicon=LEXICON)
    assert rows(mentions, "canonical", "in_title") == [("控保稳进抬扛", True), ("六稳", False)]
    assert tag_slogans(corpus.drop(columns="body_start"), lexicon=LEXICON)["in_title"].tolist() == [
        False,
        False,
    ]


def test_sentence_is_the_sentence_holding_the_mention():
    text = "第一句没有。要做好“六稳”工作！第三句“六保”。”\n标题六稳"
    mentions = tag(text)
    assert mentions["sentence"].tolist() == ["要做好“六稳”工作！", "第三句“六保”。”", "标题六稳"]


def test_offsets_index_text_clean_in_every_form():
    text = (
        "标题：“控保稳进抬扛”\n把握好“控、保、稳、进、抬、扛”，做好“六稳”，"
        "保就业保民生保市场主体，稳就业。推动黄河流域生态保护和高质量发展。"
    )
    mentions = tag(text)
    assert set(mentions["form"]) == {"compact", "enumerated", "expansion", "component"}
    for surface, start, end in zip(mentions["surface"], mentions["start"], mentions["end"]):
        assert text[start:end] == surface


def test_plain_string_is_document_0_and_columns_are_documented():
    mentions = tag("六稳")
    assert mentions.columns.tolist() == slogans.MENTION_COLUMNS
    assert mentions["doc_id"].tolist() == ["0"]


def test_no_mentions_gives_an_empty_table_with_the_columns():
    mentions = tag("今天天气很好。")
    assert mentions.empty
    assert mentions.columns.tolist() == slogans.MENTION_COLUMNS
    assert str(mentions["start"].dtype) == "int64"


def test_order_is_document_order_then_start_and_deterministic():
    corpus = pd.DataFrame(
        {"doc_id": ["b", "a"], "text_clean": ["六保在后，六稳在后。", "六稳，六保"]}
    )
    first = tag_slogans(corpus, lexicon=LEXICON)
    assert rows(first, "doc_id", "start") == [("b", 0), ("b", 5), ("a", 0), ("a", 3)]
    pd.testing.assert_frame_equal(first, tag_slogans(corpus, lexicon=LEXICON))


def test_bad_corpus_is_named_in_the_error():
    with pytest.raises(ValueError, match="text_clean"):
        tag_slogans(pd.DataFrame({"doc_id": ["a"], "text": ["六稳"]}), lexicon=LEXICON)
    with pytest.raises(TypeError, match=r"document 'b' \(row 1\)"):
        tag_slogans(pd.DataFrame({"doc_id": ["a", "b"], "text_clean": ["六稳", None]}), lexicon=LEXICON)
    with pytest.raises(TypeError, match=r"row 0, path pages/p1.txt, record 7"):
        tag_slogans(
            pd.DataFrame({"doc_id": ["a"], "text_clean": [float("nan")], "path": ["pages/p1.txt"], "record": [7]}),
            lexicon=LEXICON,
        )
    with pytest.raises(ValueError, match="duplicate doc_id"):
        tag_slogans(pd.DataFrame({"doc_id": ["a", "a"], "text_clean": ["x", "y"]}), lexicon=LEXICON)


def test_bad_lexicon_is_named_in_the_error():
    with pytest.raises(ValueError, match="canonical"):
        tag_slogans("六稳", lexicon=pd.DataFrame({"id": ["x"]}))
    broken = pd.DataFrame([{"id": "x", "canonical": "六稳", "aliases": [], "components": [{"aliases": []}]}])
    with pytest.raises(ValueError, match="entry 1 \\('x'\\).*text"):
        tag_slogans("六稳", lexicon=broken)


def test_shipped_lexicon_is_the_default():
    mentions = tag_slogans("扎实做好“六稳”工作，全面落实“六保”任务。")
    assert {"六稳", "六保"} <= set(mentions["canonical"])
    assert "lexicon_sha256" in mentions.attrs


# --- counts ----------------------------------------------------------------------


DATED = pd.DataFrame(
    {
        "doc_id": ["jan", "mar-1", "mar-2", "undated"],
        "text_clean": ["做好“六稳”工作，稳就业。", "全面落实“六保”任务。" + "。" * 9, "没有提法。", "六稳"],
        "date": pd.to_datetime(["2020-01-10", "2020-03-02", "2020-03-20", None]),
    }
)


def test_counts_per_slogan_with_rates_over_the_whole_corpus():
    counts = slogan_counts(tag_slogans(DATED, lexicon=LEXICON), corpus=DATED)
    characters = 13 + 20 + 5 + 2
    assert counts["slogan_id"].tolist() == ["liubao", "liuwen"]
    assert counts["mentions"].tolist() == [1, 2]  # the component 稳就业 is counted apart
    assert counts["documents"].tolist() == [4, 4]
    assert counts["documents_mentioning"].tolist() == [1, 2]
    assert counts["characters"].tolist() == [characters, characters]
    assert counts["per_10k_chars"].tolist() == pytest.approx([1e4 / characters, 2e4 / characters])


def test_counts_by_month_show_gaps_as_missing_and_silence_as_zero():
    counts = slogan_counts(tag_slogans(DATED, lexicon=LEXICON), corpus=DATED, period="month")
    liuwen = counts[counts["slogan_id"] == "liuwen"]
    assert [str(p) for p in liuwen["period"]] == ["2020-01", "2020-02", "2020-03", "NaT"]
    assert liuwen["documents"].tolist() == [1, 0, 2, 1]
    assert liuwen["characters"].tolist() == [13, 0, 25, 2]
    mentions = liuwen["mentions"].tolist()
    assert mentions[0] == 1 and mentions[1] is pd.NA and mentions[2] == 0 and mentions[3] == 1
    rates = liuwen["per_10k_chars"].tolist()
    assert rates[0] == pytest.approx(1e4 / 13)
    assert pd.isna(rates[1])
    assert rates[2] == 0


def test_counts_by_year_cover_only_the_dated_range():
    counts = slogan_counts(tag_slogans(DATED, lexicon=LEXICON), corpus=DATED, period="year")
    assert [str(p) for p in counts[counts["slogan_id"] == "liubao"]["period"]] == ["2020", "NaT"]


def test_counts_per_document_include_zeros_in_corpus_order():
    counts = slogan_counts(tag_slogans(DATED, lexicon=LEXICON), by="document", corpus=DATED)
    liuwen = counts[counts["slogan_id"] == "liuwen"]
    assert liuwen["doc_id"].tolist() == ["jan", "mar-1", "mar-2", "undated"]
    assert liuwen["mentions"].tolist() == [1, 0, 0, 1]
    assert liuwen["per_10k_chars"].tolist() == pytest.approx([1e4 / 13, 0, 0, 1e4 / 2])


def test_counts_by_form_and_with_components():
    mentions = tag_slogans(DATED, lexicon=LEXICON)
    by_form = slogan_counts(mentions, by="form")
    liuwen = by_form[by_form["slogan_id"] == "liuwen"]
    assert liuwen["form"].tolist() == ["compact", "enumerated", "expansion"]
    assert liuwen["mentions"].tolist() == [2, 0, 0]
    every = slogan_counts(mentions, by="form", forms=None)
    components = every[(every["slogan_id"] == "liuwen") & (every["form"] == "component")]
    assert components["mentions"].tolist() == [1]


def test_counts_without_corpus_leave_sizes_missing():
    counts = slogan_counts(tag_slogans(DATED, lexicon=LEXICON))
    assert counts["mentions"].tolist() == [1, 2]
    assert counts["characters"].isna().all() and counts["per_10k_chars"].isna().all()


def test_counts_reject_bad_options():
    mentions = tag_slogans(DATED, lexicon=LEXICON)
    with pytest.raises(ValueError, match="corpus"):
        slogan_counts(mentions, period="month")
    with pytest.raises(ValueError, match="period"):
        slogan_counts(mentions, corpus=DATED, period="decade")
    with pytest.raises(ValueError, match="different periods"):
        slogan_counts(mentions, corpus=DATED, by="year", period="month")
    with pytest.raises(ValueError, match="by"):
        slogan_counts(mentions, by="author")
    with pytest.raises(ValueError, match="form"):
        slogan_counts(mentions, forms=["abbreviation"])
    with pytest.raises(ValueError, match="not in the corpus"):
        slogan_counts(mentions, corpus=DATED.iloc[:1])


# --- lifecycle ---------------------------------------------------------------------


def test_lifecycle_first_last_peak_shares_and_status():
    corpus = pd.DataFrame(
        {
            "doc_id": ["1", "2", "3", "4", "5", "6"],
            "text_clean": [
                "六稳标题\n正文做好“六稳”工作。",
                "六稳。" + "无" * 97,
                "无",
                "无",
                "落实“六保”任务。",
                "无",
            ],
            "body_start": [5, 0, 0, 0, 0, 0],
            "date": pd.to_datetime(
                ["2021-01-05", "2021-02-01", "2021-03-01", "2021-04-01", "2021-05-01", "2021-06-30"]
            ),
            "page": [1, 2, 1, 1, 3, 1],
        }
    )
    life = slogan_lifecycle(tag_slogans(corpus, lexicon=LEXICON), corpus)
    assert life["slogan_id"].tolist() == ["liuwen", "liubao"]
    liuwen, liubao = (life.iloc[i] for i in range(2))
    assert liuwen["first_seen"] == pd.Timestamp("2021-01-05")
    assert liuwen["last_seen"] == pd.Timestamp("2021-02-01")
    assert str(liuwen["peak_period"]) == "2021-01"  # 2 in 16 characters beats 1 in 100
    assert liuwen["peak_per_10k_chars"] == pytest.approx(2e4 / 16)
    assert liuwen["mentions"] == 3 and liuwen["documents"] == 2
    assert liuwen["quoted_share"] == pytest.approx(1 / 3)
    assert liuwen["title_share"] == pytest.approx(1 / 3)
    assert liuwen["front_page_share"] == pytest.approx(2 / 3)
    assert liuwen["periods_since_last"] == 4 and liuwen["status"] == "dormant"
    assert liubao["periods_since_last"] == 1 and liubao["status"] == "active"
    assert liubao["front_page_share"] == 0
    assert slogan_lifecycle(tag_slogans(corpus, lexicon=LEXICON), corpus, dormant_after=5)[
        "status"
    ].tolist() == ["active", "active"]


def test_lifecycle_reads_a_corpus_s_first_sighting_against_the_lexicon_s_dates():
    corpus = pd.DataFrame({"doc_id": ["a", "b"], "text_clean": ["做好“六稳”工作。", "落实“六保”任务。"],
                           "date": pd.to_datetime(["2019-03-05", "2021-03-05"])})
    mentions = tag_slogans(corpus, lexicon=LEXICON)
    dated = LEXICON.assign(introduced_date=LEXICON["id"].map({"liuwen": "2018-07-31"}),
                           attested_date=LEXICON["id"].map({"liubao": "2020-05"}))
    life = slogan_lifecycle(mentions, corpus, lexicon=dated).set_index("slogan_id")
    assert life.loc["liuwen", "introduced"] == "2018-07-31" and pd.isna(life.loc["liuwen", "attested"])
    assert pd.isna(life.loc["liubao", "introduced"]) and life.loc["liubao", "attested"] == "2020-05"
    assert list(life.columns[:3]) == ["canonical", "introduced", "attested"]
    # By default the shipped lexicon's: 六稳 first stated at the Politburo meeting of 2018-07-31.
    assert slogan_lifecycle(mentions, corpus).set_index("slogan_id").loc["liuwen", "introduced"] == "2018-07-31"
    # A lexicon without dates (or without the slogan) leaves them empty.
    bare = slogan_lifecycle(mentions, corpus, lexicon=LEXICON[["id", "canonical"]])
    assert bare["introduced"].isna().all() and bare["attested"].isna().all()


def test_lifecycle_without_page_column_and_undated_only():
    corpus = pd.DataFrame(
        {"doc_id": ["a", "b"], "text_clean": ["六稳", "六保"], "date": pd.to_datetime(["2020-01-01", None])}
    )
    life = slogan_lifecycle(tag_slogans(corpus, lexicon=LEXICON), corpus).set_index("slogan_id")
    assert pd.isna(life.loc["liuwen", "front_page_share"])
    assert life.loc["liuwen", "status"] == "active"
    assert life.loc["liubao", "status"] == "unknown" and pd.isna(life.loc["liubao", "first_seen"])


def test_lifecycle_needs_dates():
    corpus = pd.DataFrame({"doc_id": ["a"], "text_clean": ["六稳"]})
    with pytest.raises(ValueError, match="date"):
        slogan_lifecycle(tag_slogans(corpus, lexicon=LEXICON), corpus)


# --- KWIC --------------------------------------------------------------------------


KWIC_CORPUS = pd.DataFrame(
    {
        "doc_id": ["d1", "d2"],
        "text_clean": ["前文做好“六稳”工作，稳就业。", "把握“控、保、稳、进、抬、扛”。\n六稳后文"],
        "date": pd.to_datetime(["2020-06-01", "2020-06-02"]),
    }
)


def test_kwic_by_slogan_id_uses_the_tagger():
    table = kwic(KWIC_CORPUS, "kongbao", window=3, lexicon=LEXICON)
    assert table.columns.tolist() == [
        "doc_id", "date", "form", "counted", "left", "match", "right", "start", "end"
    ]  # fmt: skip
    assert rows(table, "doc_id", "form", "left", "match", "right", "start", "end") == [
        ("d2", "enumerated", "把握“", "控、保、稳、进、抬、扛", "”。 ", 3, 14)
    ]
    assert table["date"].tolist() == [pd.Timestamp("2020-06-02")]


def test_kwic_of_a_slogan_leaves_its_components_out_unless_asked():
    default = kwic(KWIC_CORPUS, "六稳", window=2, lexicon=LEXICON)
    assert rows(default, "doc_id", "form", "match") == [("d1", "compact", "六稳"), ("d2", "compact", "六稳")]
    everything = kwic(KWIC_CORPUS, "六稳", window=2, lexicon=LEXICON, forms=None)
    assert rows(everything, "doc_id", "form", "match") == [
        ("d1", "compact", "六稳"),
        ("d1", "component", "稳就业"),
        ("d2", "compact", "六稳"),
    ]
    compact = kwic(KWIC_CORPUS, "六稳", window=2, lexicon=LEXICON, forms=["compact"])
    assert rows(compact, "doc_id", "match", "left") == [("d1", "六稳", "好“"), ("d2", "六稳", "。 ")]
    with pytest.raises(ValueError, match="unknown form"):
        kwic(KWIC_CORPUS, "六稳", lexicon=LEXICON, forms=["whole"])


def test_kwic_of_a_pattern_has_no_form_and_counts():
    table = kwic(KWIC_CORPUS, "稳就业", lexicon=LEXICON)
    assert table["form"].isna().all() and table["counted"].all()


def test_kwic_regex_literal_and_windows_at_the_edges():
    table = kwic(KWIC_CORPUS, r"稳.业", window=50, lexicon=LEXICON)
    assert rows(table, "left", "match", "right") == [("前文做好“六稳”工作，", "稳就业", "。")]
    assert kwic(KWIC_CORPUS, "稳.业", regex=False, lexicon=LEXICON).empty
    compiled = kwic(KWIC_CORPUS, re.compile("六稳"), window=1, lexicon=LEXICON)
    assert rows(compiled, "doc_id", "start") == [("d1", 5), ("d2", 17)]
    with pytest.raises(ValueError, match="empty string"):
        kwic(KWIC_CORPUS, "x*", lexicon=LEXICON)


def test_kwic_html_escapes_all_corpus_text():
    corpus = pd.DataFrame(
        {
            "doc_id": ['<img src=x onerror="alert(1)">'],
            "text_clean": ["<script>alert('x')</script>落实“六保”任务&<b>更多</b>"],
        }
    )
    page = kwic_html(kwic(corpus, "六保", window=40, lexicon=LEXICON))
    assert "<script>" not in page and "<b>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<mark>六保</mark>" in page
    assert "任务&amp;&lt;b&gt;" in page
    assert page.startswith('<table class="kwic">') and page.endswith("</table>")


def test_kwic_html_escapes_a_match_that_contains_markup():
    corpus = pd.DataFrame({"doc_id": ["x"], "text_clean": ["a<b>c"]})
    page = kwic_html(kwic(corpus, re.compile("<b>"), window=1))
    assert "<mark>&lt;b&gt;</mark>" in page


def test_kwic_html_shows_dates_as_precisely_as_they_are_known():
    # Dates that all fall on 1 January are years (the work reports); news dates keep their day.
    reports = pd.DataFrame({"doc_id": ["a", "b"], "text_clean": ["落实“六保”任务", "做好六保工作"],
                            "date": pd.to_datetime(["2025-01-01", "2024-01-01"])})
    page = kwic_html(kwic(reports, "六保", window=4, lexicon=LEXICON))
    assert "<td>2025</td>" in page and "<td>2024</td>" in page and "-01-01" not in page
    news = reports.assign(date=pd.to_datetime(["2022-06-02", "2022-06-03"]))
    assert "<td>2022-06-02</td>" in kwic_html(kwic(news, "六保", window=4, lexicon=LEXICON))


# --- dictionary check --------------------------------------------------------------


class _CharacterTokenizer:
    def lcut(self, text, HMM=True):
        return list(text)


class _WholeTokenizer:
    def lcut(self, text, HMM=True):
        return [text]


def test_check_dictionary_reports_split_forms_of_two_characters_or_more():
    report = check_dictionary(LEXICON[LEXICON["id"] == "liubao"], tokenizer=_CharacterTokenizer())
    assert report.columns.tolist() == ["slogan_id", "form", "kind", "tokens"]
    assert ("六保", "canonical") in rows(report, "form", "kind")
    assert ("保就业", "component_alias") in rows(report, "form", "kind")
    assert report.set_index("form").loc["保市场主体", "tokens"] == list("保市场主体")
    single = check_dictionary(LEXICON[LEXICON["id"] == "kongbao"], tokenizer=_CharacterTokenizer())
    assert single["form"].tolist() == ["控保稳进抬扛"]  # one-character components are not checked
    assert check_dictionary(LEXICON, tokenizer=_WholeTokenizer()).empty


def test_shipped_lexicon_segments_whole_with_the_package_tokenizer():
    problems = check_dictionary()
    assert problems.empty, problems.to_string()


# --- discovery of new formulas ----------------------------------------------------

NO_LEXICON = pd.DataFrame(columns=["id", "canonical", "aliases", "components"])


def discover(text_or_corpus, **options):
    options.setdefault("lexicon", NO_LEXICON)
    return discover_formulas(text_or_corpus, **options)


def test_discovery_columns_and_a_quoted_single_character_enumeration():
    text = "落实“控、保、稳、进、抬、扛”六字要求。围绕“控，保，稳，进，抬，扛”推进。"
    found = discover(text)
    assert list(found.columns) == [
        "candidate", "kind", "count", "documents", "quoted", "first_seen", "example", "doc_id",
    ]  # fmt: skip
    first = found.iloc[0]
    assert (first["candidate"], first["kind"], first["count"], first["documents"], first["quoted"]) == (
        "控保稳进抬扛", "enumeration", 2, 1, 2,
    )  # fmt: skip
    assert first["example"] == "落实“控、保、稳、进、抬、扛”六字要求。"
    assert pd.isna(first["first_seen"])


def test_discovery_numbered_formulas_stop_before_function_words_and_grow_while_predictable():
    text = (
        "增强四个意识。牢固树立四个意识。坚持三个代表重要思想。践行三个代表。"
        "做好三个方面的工作。抓好三大攻坚战。打好三大攻坚战。"
    )
    found = discover(text).set_index("candidate")
    assert found.loc["四个意识", "kind"] == "numbered" and found.loc["四个意识", "count"] == 2
    assert found.loc["三大攻坚战", "count"] == 2  # grows past 三大攻坚: every use goes on
    # 三个代表 is followed by 重要思想 once in two: it stops at 三个代表.
    assert found.loc["三个代表", "count"] == 2 and "三个代表重要思想" not in found.index
    assert "三个方面" not in found.index  # a generic head


@pytest.mark.parametrize(
    "text",
    [
        "增长1.5个百分点，又增长3.3个百分点。",  # digits count things
        "迎接党的二十大胜利召开。学习党的二十大精神。二十大精神。",  # a party congress
        "这是一个重要时期。又是一个重要时期。",  # the indefinite article
        "第二个百年奋斗目标。第二个百年奋斗目标。",  # an ordinal
    ],
)
def test_discovery_leaves_out_numbers_that_are_not_formulas(text):
    assert discover(text, kinds=["numbered"]).empty


def test_discovery_number_pairs_and_n_character_phrases():
    text = "构建四梁八柱。夯实四梁八柱。落实六字要求。坚持十六字方针，牢记六字要求。增长三年三倍。"
    found = discover(text).set_index("candidate")
    assert found.loc["四梁八柱", "kind"] == "number_pair" and found.loc["四梁八柱", "count"] == 2
    assert found.loc["六字要求", "kind"] == "n_character" and found.loc["六字要求", "count"] == 2
    assert "三年三倍" not in found.index  # 年 and 倍 count things


def test_discovery_recurring_short_quoted_phrases_only():
    text = (
        "实施“走出去”战略。坚持“走出去”。"
        "他说“我们一定要把这件事情做好做实做细”。他说“我们一定要把这件事情做好做实做细”。"
        "一次“请战书”。"
    )
    found = discover(text, kinds=["quoted"])
    assert found["candidate"].tolist() == ["走出去"]
    assert discover(text, kinds=["quoted"], min_count=1)["candidate"].tolist() == ["走出去", "请战书"]


def test_discovery_excludes_every_surface_form_of_the_lexicon():
    text = "扎实做好“六稳”。扎实做好“六稳”。坚持“稳就业”。坚持“稳就业”。落实“控、保、稳、进、抬、扛”。落实“控、保、稳、进、抬、扛”。"
    assert discover(text, lexicon=LEXICON).empty
    # A piece of a known slogan is no candidate either: 三角一体 in 长三角一体化.
    cities = pd.DataFrame([_entry("csj", "长三角一体化")])
    assert discover("推进长三角一体化。长三角一体化发展。", lexicon=cities).empty


def test_discovery_ranks_by_count_then_documents_and_dates_first_sightings():
    corpus = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c"],
            "text_clean": ["坚持“走出去”。推动“引进来”。", "坚持“引进来”。", "继续“走出去”。再说“走出去”。"],
            "date": pd.to_datetime(["2001-03-05", "1999-03-05", "2003-03-05"]),
        }
    )
    found = discover(corpus)
    assert found[["candidate", "count", "documents"]].values.tolist() == [
        ["走出去", 3, 2],
        ["引进来", 2, 2],
    ]
    assert found["first_seen"].tolist() == [pd.Timestamp("2001-03-05"), pd.Timestamp("1999-03-05")]
    # The example comes from the earliest dated document.
    assert found["doc_id"].tolist() == ["a", "b"]
    assert found["example"].tolist() == ["坚持“走出去”。", "坚持“引进来”。"]
    assert discover(corpus, min_documents=2)["candidate"].tolist() == ["走出去", "引进来"]
    assert discover(corpus, min_count=3)["candidate"].tolist() == ["走出去"]
    pd.testing.assert_frame_equal(found, discover(corpus.iloc[::-1].reset_index(drop=True)))


@pytest.mark.parametrize(
    "options, message",
    [
        ({"min_count": 0}, "min_count"),
        ({"min_documents": 1.5}, "min_documents"),
        ({"kinds": ["acronym"]}, "unknown kind"),
    ],
)
def test_discovery_rejects_bad_options(options, message):
    with pytest.raises(ValueError, match=message):
        discover("坚持“走出去”。", **options)


def test_discovery_on_the_seed_finds_the_local_formula_once_it_is_unknown(seed_path):
    from analysis.corpus import load_corpus
    from analysis.lexicon import load_lexicon

    corpus = load_corpus(seed_path)
    lexicon = load_lexicon()
    assert "控保稳进抬扛" not in set(discover_formulas(corpus, lexicon=lexicon)["candidate"])
    without = lexicon[lexicon["canonical"] != "控保稳进抬扛"]
    found = discover_formulas(corpus, lexicon=without).set_index("candidate")
    # Two quoted enumerations and the quoted compact form in the headline.
    assert found.loc["控保稳进抬扛", "count"] == 3
    assert found.loc["控保稳进抬扛", "kind"] == "enumeration"


# --- notebook helpers ----------------------------------------------------------------


def test_top_slogans_most_mentioned_first_ties_by_id():
    mentions = tag("做好“六稳”，落实“六保”，六保是底线，稳中求进，稳中求进，稳就业。")
    table = top_slogans(mentions, n=2)
    assert table[["slogan_id", "mentions"]].values.tolist() == [["liubao", 2], ["wenzhong", 2]]
    assert len(top_slogans(mentions, n=10)) == 3  # the component is not counted
    with pytest.raises(ValueError, match="n must"):
        top_slogans(mentions, n=0)


def test_slogan_timeline_keeps_gaps_and_the_top_slogans():
    corpus = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c"],
            "text_clean": ["“六稳”“六保”", "“六稳”", "没有"],
            "date": pd.to_datetime(["2018-03-05", "2021-03-05", "2022-03-05"]),
        }
    )
    mentions = tag_slogans(corpus, lexicon=LEXICON)
    table = slogan_timeline(mentions, corpus, n=1)
    assert table.attrs["period"] == "year"
    assert table["slogan_id"].unique().tolist() == ["liuwen"]
    assert table["period"].astype(str).tolist() == ["2018", "2019", "2020", "2021", "2022"]
    assert table["mentions"].tolist() == [1, pd.NA, pd.NA, 1, 0]
    # The heat map marks thin periods from this column: a two-word text is far below the minimum.
    assert table["thin"].tolist() == [True, False, False, True, True]


def test_slogan_timeline_of_an_undated_corpus_is_empty_with_a_note():
    corpus = pd.DataFrame({"doc_id": ["a"], "text_clean": ["“六稳”"], "date": [pd.NaT]})
    table = slogan_timeline(tag_slogans(corpus, lexicon=LEXICON), corpus)
    assert table.empty and "dated" in table.attrs["note"]
    assert list(table.columns) == ["slogan_id", "canonical", "period", "mentions", "documents", "per_10k_chars", "thin"]


def test_lifecycle_period_defaults_to_the_corpus_span():
    corpus = pd.DataFrame(
        {
            "doc_id": ["a", "b"],
            "text_clean": ["“六稳”，其他内容。", "“六稳”“六稳”"],
            "date": pd.to_datetime(["2017-05-01", "2021-05-01"]),
        }
    )
    life = slogan_lifecycle(tag_slogans(corpus, lexicon=LEXICON), corpus)
    assert str(life.loc[0, "peak_period"]) == "2021"
    undated = corpus.assign(date=pd.NaT)
    life = slogan_lifecycle(tag_slogans(undated, lexicon=LEXICON), undated)
    assert life.loc[0, "status"] == "unknown"


def test_kwic_top_slogans_lines_per_slogan_in_rank_order():
    corpus = pd.DataFrame(
        {"doc_id": ["a", "b"], "text_clean": ["做好“六保”与“六稳”。", "“六保”“六保”“六保”"]}
    )
    mentions = tag_slogans(corpus, lexicon=LEXICON)
    table = kwic_top_slogans(corpus, mentions, n=2, lines=2, window=2)
    assert table[["canonical", "doc_id", "left", "match", "right"]].values.tolist() == [
        ["六保", "a", "好“", "六保", "”与"],
        ["六保", "b", "“", "六保", "”“"],
        ["六稳", "a", "与“", "六稳", "”。"],
    ]
    assert kwic_top_slogans(corpus, mentions.iloc[0:0]).empty


# --- the annotated evaluation set -------------------------------------------------------

EVAL_PATH = Path(__file__).parent / "data" / "slogan_eval.jsonl"
"""Sentences annotated by hand: real ones from the seed page and the development corpora,
and synthetic ones (``source`` "synthetic") only where the corpora have no case.

Each line: ``id`` (doc_id@offset of the sentence in that document's text_clean),
``source`` (the file, or "synthetic"), ``doc_id``, ``title``, ``offset``,
``date`` (of the document, ISO; null when undated), ``text`` (the cleaned
sentence), an optional ``note`` saying why the sentence is there, and
``mentions``: the gold mentions, each with ``slogan_id``, ``form``,
``start``/``end`` into ``text``, ``surface`` and, for a duplicate reference,
``counted: false``. Gold follows the rules of the module docstring: a
component is any component of three or more characters standing as a word of
its own outside a longer mention, or a two-character one quoted alone;
确保就业 holds no 保就业; a name nested in another slogan's mention counts.

Synthetic sentences: the enumerated form (no corpus writes a lexicon formula
out character by character except the seed page), 隐患动态清零 and
零就业家庭动态清零, 六稳定, 开放创新、开放共享, and traditional script in
simplified text. The motto 绿色、共享、开放、廉洁, 四位一体 lists and the
pollution sense of 联防联控 are real.
"""


def _evaluation_set():
    with EVAL_PATH.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def test_evaluation_set_is_well_formed_and_covers_every_form():
    records = _evaluation_set()
    assert len(records) >= 150
    assert len({record["text"] for record in records}) == len(records)
    sources = {record["source"] for record in records}
    assert {"seeds/000_fb9efe5851bc9182.txt", "gov_work_reports.jsonl", "cctv_news_2022.jsonl"} <= sources
    forms = Counter()
    for record in records:
        for mention in record["mentions"]:
            assert record["text"][mention["start"] : mention["end"]] == mention["surface"], record["id"]
            forms[mention["form"]] += 1
    assert set(forms) == set(slogans.FORMS)
    assert all(count >= 30 for count in forms.values()), forms
    negatives = [record for record in records if not record["mentions"]]
    assert len(negatives) >= 50
    for case in ("混双循环赛", "隐患动态清零", "零就业家庭动态清零", "六稳定", "绿色、共享、开放、廉洁",
                 "开放创新、开放共享", "区域联防联控"):  # fmt: skip
        assert any(case in record["text"] for record in negatives), case
    assert any("守住“保”的底线" in record["text"] for record in records)
    assert any("穩" in record["text"] and record["mentions"] for record in records)
    assert all(record["source"] != "synthetic" or record.get("note") for record in records)


def test_evaluation_precision_and_recall_per_form(capsys):
    records = _evaluation_set()
    corpus = pd.DataFrame(
        {
            "doc_id": [r["id"] for r in records],
            "text_clean": [r["text"] for r in records],
            "date": pd.to_datetime([r["date"] for r in records]),
        }
    )
    predicted = {
        (row.doc_id, row.slogan_id, row.form, row.start, row.end)
        for row in tag_slogans(corpus).itertuples()
    }
    gold = {
        (r["id"], m["slogan_id"], m["form"], m["start"], m["end"]) for r in records for m in r["mentions"]
    }
    lines = [f"{'form':<11} {'gold':>5} {'found':>5} {'right':>5} {'precision':>9} {'recall':>6}"]
    scores = {}
    for form in slogans.FORMS:
        form_gold = {m for m in gold if m[2] == form}
        form_found = {m for m in predicted if m[2] == form}
        right = len(form_gold & form_found)
        precision = right / len(form_found) if form_found else 1.0
        recall = right / len(form_gold) if form_gold else 1.0
        scores[form] = (precision, recall)
        lines.append(
            f"{form:<11} {len(form_gold):>5} {len(form_found):>5} {right:>5} {precision:>9.3f} {recall:>6.3f}"
        )
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    wrong = sorted(predicted ^ gold)
    assert all(p >= 0.95 and r >= 0.95 for p, r in scores.values()), (scores, wrong[:20])
    # One reference, one count: the duplicates marked by hand are the ones the tagger marks.
    counted = {
        (row.doc_id, row.slogan_id, row.form, row.start, row.end): row.counted
        for row in tag_slogans(corpus).itertuples()
    }
    gold_counted = {
        (r["id"], m["slogan_id"], m["form"], m["start"], m["end"]): m.get("counted", True)
        for r in records for m in r["mentions"]
    }
    assert sum(not value for value in gold_counted.values()) >= 10
    disagree = [key for key in gold & predicted if counted[key] != gold_counted[key]]
    assert not disagree, disagree


# --- real text ---------------------------------------------------------------------


SEED_COUNTS = {
    "控保稳进抬扛": 3,
    "六稳": 3,
    "六保": 3,
    "四梁八柱": 1,
    "西美": 6,
    "以保促稳": 1,
    "稳中求进": 1,
}


def test_seed_page_acceptance_counts(seed_path):
    from analysis.corpus import load_corpus

    corpus = load_corpus("seeds")
    corpus = corpus[corpus["path"].astype(str).str.endswith(seed_path.name)]
    mentions = tag_slogans(corpus)
    counted = mentions[mentions["form"].isin(slogans.COUNTED_FORMS)]
    counts = counted.groupby("canonical").size()
    assert {name: int(counts.get(name, 0)) for name in SEED_COUNTS} == SEED_COUNTS
    kongbao = counted[counted["canonical"] == "控保稳进抬扛"]
    assert sorted(kongbao["form"]) == ["compact", "enumerated", "enumerated"]
    assert kongbao[kongbao["form"] == "compact"]["in_title"].tolist() == [True]
    # 守住“保”的底线，筑牢“稳”的基础: no enumerated form except the two real ones.
    assert (counted["form"] == "enumerated").sum() == 2
    texts = corpus.set_index("doc_id")["text_clean"]
    for doc_id, surface, start, end in zip(
        mentions["doc_id"], mentions["surface"], mentions["start"], mentions["end"]
    ):
        assert texts[doc_id][start:end] == surface


def _read_jsonl(path):
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


@pytest.mark.slow
def test_government_work_reports_expansions(gov_reports_path):
    records = _read_jsonl(gov_reports_path)
    corpus = pd.DataFrame(
        {
            "doc_id": [f"{i}-{r['year']}" for i, r in enumerate(records)],
            "text_clean": [r["content"] for r in records],
        }
    )
    mentions = tag_slogans(corpus)
    liubao = mentions[(mentions["slogan_id"] == "liubao") & (mentions["form"] == "expansion")]
    by_year = {year: liubao[liubao["doc_id"].str.endswith(f"-{year}")] for year in ("2021", "2023")}
    assert by_year["2023"]["surface"].tolist() == [
        "保居民就业、保基本民生、保市场主体、保粮食能源安全、保产业链供应链稳定、保基层运转"
    ]
    assert by_year["2021"]["surface"].tolist() == ["保就业保民生保市场主体"] * 2
    liuwen_2019 = mentions[
        mentions["doc_id"].str.endswith("-2019") & (mentions["slogan_id"] == "liuwen")
    ]
    assert liuwen_2019[liuwen_2019["form"] == "expansion"]["surface"].tolist() == [
        "稳就业、稳金融、稳外贸、稳外资、稳投资、稳预期"
    ] * 2


@pytest.mark.slow
def test_government_work_reports_nested_names_and_kwic_forms(gov_reports_path):
    from analysis.corpus import load_corpus

    docs = load_corpus(gov_reports_path)
    mentions = tag_slogans(docs)
    xiaokang = mentions[(mentions["canonical"] == "小康社会") & (mentions["form"] == "compact")]
    substrings = int(docs["text_clean"].str.count("小康社会").sum())
    assert len(xiaokang) >= 0.95 * substrings
    lines = kwic(docs, "六稳")
    assert len(lines) and set(lines["form"]) <= set(slogans.COUNTED_FORMS)
    # Every 六稳 line is 六稳 itself or a list of at least three of its parts.
    assert all(match == "六稳" or match.count("稳") >= 3 for match in lines["match"])


@pytest.mark.slow
def test_discovery_on_the_government_work_reports(gov_reports_path):
    from analysis.corpus import load_corpus
    from analysis.lexicon import load_lexicon, surface_forms

    # 四项基本原则, 四个现代化 and 港人治港 joined the lexicon (issue 11): hide them to see them found.
    lexicon = load_lexicon()
    lexicon = lexicon[~lexicon["canonical"].isin(["四项基本原则", "四个现代化", "港人治港"])]
    found = discover_formulas(load_corpus(gov_reports_path), lexicon=lexicon)
    top = found.head(30)
    for formula in ("四项基本原则", "四个现代化", "港人治港", "两个积极性"):
        assert formula in set(top["candidate"]), formula
    assert not set(found["candidate"]) & set(surface_forms(lexicon))
    assert not top["candidate"].str.contains(r"[0-9]|百分点|二十大").any()
    assert (found["count"] >= 2).all() and found["first_seen"].notna().all()


@pytest.mark.slow
def test_cctv_news_liuwen_fades_out(cctv_news_path):
    records = _read_jsonl(cctv_news_path)
    corpus = pd.DataFrame(
        {
            "doc_id": [r["id"] for r in records],
            "text_clean": [r["text"] for r in records],
            "date": pd.to_datetime([r["date"] for r in records]),
        }
    )
    mentions = tag_slogans(corpus)
    compact = mentions[mentions["form"] == "compact"].groupby("canonical").size()
    assert compact["六稳"] == 11 and compact["六保"] == 11
    life = slogan_lifecycle(mentions, corpus).set_index("slogan_id")
    assert life.loc["liuwen", "last_seen"] < pd.Timestamp("2022-09-01")
    assert life.loc["liuwen", "status"] == "dormant"
    counts = slogan_counts(mentions, corpus=corpus, period="month")
    assert len(counts[counts["slogan_id"] == "liuwen"]) == 12


def test_counts_by_a_period_work_like_term_frequency_by_year():
    counts = slogan_counts(tag_slogans(DATED, lexicon=LEXICON), corpus=DATED, by="year")
    assert "year" in counts.columns and "period" not in counts.columns
    assert counts["year"].dtype == pd.PeriodDtype("Y")


def test_a_tiny_document_does_not_make_its_year_the_peak():
    """The 505-character 2020 NPC resolution made 2020 the peak of five slogans."""
    report = "做好“六稳”工作。" + "经济社会发展取得新成就。" * 2_500
    corpus = pd.DataFrame(
        {
            "doc_id": ["r2019", "res2020", "r2021"],
            "text_clean": [report, "会议同意报告，要求做好“六稳”“六保”工作。" * 20, report * 2],
            "date": pd.to_datetime(["2019-03-05", "2020-05-28", "2021-03-05"]),
        }
    )
    mentions = tag_slogans(corpus, lexicon=LEXICON)
    counts = slogan_counts(mentions, corpus=corpus, period="year")
    liuwen = counts[counts["slogan_id"] == "liuwen"].set_index(counts.loc[counts["slogan_id"] == "liuwen", "period"].astype(str))
    # Pooled rates: the tiny year has by far the highest rate, and is flagged thin.
    assert liuwen.loc["2020", "per_10k_chars"] > 10 * liuwen.loc["2019", "per_10k_chars"]
    assert liuwen["thin"].tolist() == [False, True, False]
    life = slogan_lifecycle(mentions, corpus, period="year").set_index("slogan_id")
    assert str(life.loc["liuwen", "peak_period"]) != "2020"


def test_a_lone_part_shared_by_two_formulas_goes_to_the_one_the_sentence_supports():
    corpus = pd.DataFrame(
        {
            "doc_id": ["a", "b"],
            "text_clean": ["要保就业保基本民生。", "财政要保基本民生。"],
            "date": pd.to_datetime(["2022-03-05", "2022-03-05"]),
        }
    )
    mentions = tag_slogans(corpus)
    parts = mentions[mentions["surface"] == "保基本民生"]
    # 保就业 is another part of 六保 in the same sentence; with no support, the formula stated first wins.
    assert parts["slogan_id"].tolist() == ["liubao", "liubao"]
    assert parts.groupby("doc_id").size().tolist() == [1, 1]


def test_a_part_is_not_a_component_of_a_formula_stated_later():
    """普惠金融 in 2022 is a kind of finance; from 2023 it is one of the 五篇大文章."""
    corpus = pd.DataFrame(
        {
            "doc_id": ["before", "after"],
            "text_clean": ["发展“普惠金融”。", "发展“普惠金融”。"],
            "date": pd.to_datetime(["2022-06-19", "2024-03-05"]),
        }
    )
    mentions = tag_slogans(corpus)
    assert mentions.loc[mentions["slogan_id"] == "wupiandawenzhang", "doc_id"].tolist() == ["after"]


@pytest.mark.slow
def test_on_the_work_reports_no_slogan_peaks_in_a_thin_year(gov_reports_path):
    """The 505-character 2020 NPC resolution made 2020 the peak of five slogans."""
    from analysis.corpus import load_corpus
    from analysis.periods import period_table

    docs = load_corpus(gov_reports_path)
    table = period_table(docs, period="year")
    thin = set(table.loc[table["thin"], "period"])
    assert pd.Period("2020", freq="Y") in thin
    life = slogan_lifecycle(tag_slogans(docs), docs, period="year")
    peaks = set(life["peak_period"].dropna())
    assert peaks and not peaks & thin


# --- the fast tagger against a straightforward one ------------------------------


def _tricky_document(seed: int = 0) -> str:
    """The evaluation texts in one document, shuffled, with traditional characters, NULs, quotes and line breaks."""
    import random

    texts = [json.loads(line)["text"] for line in EVAL_PATH.open(encoding="utf-8")]
    rng = random.Random(seed)
    rng.shuffle(texts)
    pieces = []
    for number, text in enumerate(texts):
        if number % 7 == 0:
            text = text.replace("稳", "穩").replace("发展", "發展")
        pieces.append(text)
        pieces.append(rng.choice(["。", "\n", "”。", "！\n", "\0", "、", "", "；"]))
    return "".join(pieces)


def _longest_surface_everywhere(text, compiled):
    by_first = {}
    for surface in compiled.surfaces:
        by_first.setdefault(surface[0], []).append(surface)
    found = []
    for start, char in enumerate(text):
        ends = [start + len(surface) for surface in by_first.get(char, ()) if text.startswith(surface, start)]
        if ends:
            found.append((start, max(ends)))
    return found


def _resolve_by_the_rule(candidates):
    """The nesting rule of the module docstring, every candidate against every kept one."""
    kept = []
    for candidate in sorted(set(candidates_module._drop_partial_lists(candidates)), key=candidates_module._Candidate.key):
        allowed = True
        for other in kept:
            if other.end <= candidate.start or candidate.end <= other.start:
                continue
            if other.family == candidate.family:
                allowed = False
            elif (other.start, other.end) == (candidate.start, candidate.end):
                continue
            elif other.start <= candidate.start and candidate.end <= other.end:
                allowed = candidate.form in compiled_module.NAME_FORMS
            else:
                allowed = False
            if not allowed:
                break
        if allowed:
            kept.append(candidate)
    return sorted(kept, key=lambda c: (c.start, c.end, c.family))


@pytest.mark.parametrize("block", [5, 64, compiled_module.SCAN_BLOCK])
def test_the_screen_finds_the_longest_surface_at_every_position(block, monkeypatch):
    # The screen reads the block size from its own module.
    monkeypatch.setattr(compiled_module, "SCAN_BLOCK", block)
    compiled = compiled_module.compile_lexicon(tagger_module.load_default_lexicon())
    text = compiled.simplified_view(_tricky_document()[:6000])
    expected = _longest_surface_everywhere(text, compiled)
    assert len(expected) > 100
    assert compiled_module.surface_matches(text, compiled) == expected
    # Screened together with other texts, each text gets its own starts.
    texts = [text[:50], "", text[50:3000], "稳", text[3000:]]
    for part, starts in zip(texts, compiled.screen.starts_each(texts)):
        assert compiled_module.surface_matches(part, compiled, starts=starts) == _longest_surface_everywhere(part, compiled)


def test_the_simplified_view_translates_the_traditional_runs_only_and_exactly():
    compiled = compiled_module.compile_lexicon(tagger_module.load_default_lexicon())
    for text in [_tricky_document(), "穩", "穩就業", "王丙乾", "", "六穩”工作穩"]:
        assert compiled.simplified_view(text) == text.translate(compiled.traditional)


def test_sentence_spans_shared_by_mentions_are_those_found_one_by_one():
    text = _tricky_document(seed=1)[:20000] + "“六稳”。”\n\n“六保”"
    mentions = [candidates_module._Candidate(start, end, 0, "compact") for start, end in _spans_every(text, step=7)]
    expected = [candidates_module._sentence_span(text, c.start, c.end) for c in mentions]
    assert candidates_module.sentence_spans(text, mentions) == expected


def _spans_every(text, *, step):
    # Mentions of one to three characters at every step-th position, sentence ends included.
    for start in range(0, len(text) - 3, step):
        yield start, start + 1 + start % 3


def test_tagging_a_large_tricky_document_equals_the_straightforward_tagger(monkeypatch):
    lexicon = tagger_module.load_default_lexicon()
    document = _tricky_document(seed=2) * 3
    corpus = pd.DataFrame({"doc_id": ["big", "short", "empty"], "text_clean": [document, document[:500], ""]})
    fast = tag_slogans(corpus, lexicon=lexicon)
    assert len(fast) > 1000
    compiled_class = compiled_module.CompiledLexicon
    monkeypatch.setattr(compiled_class, "simplified_view", lambda self, text: text.translate(self.traditional))
    # Each name is patched where it is looked up: find_candidates (candidates) calls surface_matches,
    # tag_slogans (tagger) calls resolve and sentence_spans.
    monkeypatch.setattr(candidates_module, "surface_matches", lambda text, compiled, starts=None: _longest_surface_everywhere(text, compiled))
    monkeypatch.setattr(tagger_module, "resolve", _resolve_by_the_rule)
    monkeypatch.setattr(
        tagger_module, "sentence_spans", lambda text, mentions: [candidates_module._sentence_span(text, c.start, c.end) for c in mentions]
    )
    pd.testing.assert_frame_equal(fast, tag_slogans(corpus, lexicon=lexicon))


def test_resolving_group_by_group_equals_the_rule_over_every_candidate():
    import random

    rng = random.Random(3)
    candidates = []
    for _ in range(3000):
        start = rng.randrange(2000)
        form = rng.choice(compiled_module.FORMS)
        candidates.append(
            candidates_module._Candidate(start, start + rng.randint(1, 9), rng.randrange(4), form, form == "expansion" and start % 3 == 0)
        )
    assert candidates_module.resolve(candidates) == _resolve_by_the_rule(candidates)


# --------------------------------------------------------------------------
# Tagging once: the mentions cache and mentions= passed on
# --------------------------------------------------------------------------

CACHED_DOCS = pd.DataFrame(
    {
        "doc_id": ["a", "b"],
        "text_clean": ["标题\n要做好“六稳”工作，稳就业、稳金融、稳外贸、稳外资、稳投资、稳预期。", "落实“六保”任务，坚持稳中求进，首先要稳就业。"],
        "body_start": [3, 0],
        "date": pd.to_datetime(["2020-06-01", "2021-03-05"]),
    }
)


def _no_tagging(*args, **kwargs):
    raise AssertionError("the corpus was tagged again")


def test_a_cached_tagging_gives_the_fresh_table_and_does_not_tag_again(tmp_path, monkeypatch):
    fresh = tag_slogans(CACHED_DOCS, lexicon=LEXICON)
    assert len(fresh) > 3
    first = tag_slogans(CACHED_DOCS, lexicon=LEXICON, cache=tmp_path)
    assert len(list(tmp_path.glob("*.parquet"))) == 1
    monkeypatch.setattr(tagger_module, "_tag", _no_tagging)
    again = tag_slogans(CACHED_DOCS, lexicon=LEXICON, cache=tmp_path)
    for table in (first, again):
        pd.testing.assert_frame_equal(table, fresh)
        assert table.attrs == fresh.attrs


def test_a_changed_lexicon_or_text_tags_again(tmp_path):
    tag_slogans(CACHED_DOCS, lexicon=LEXICON, cache=tmp_path)
    # A user's own lexicon: 六稳 only, so 稳中求进 and 六保 are no longer found.
    own = LEXICON[LEXICON["id"] == "liuwen"].reset_index(drop=True)
    mentions = tag_slogans(CACHED_DOCS, lexicon=own, cache=tmp_path)
    assert set(mentions["slogan_id"]) == {"liuwen"}
    edited = CACHED_DOCS.assign(text_clean=CACHED_DOCS["text_clean"].str.replace("六保", "以保促稳"))
    assert "yibao" in set(tag_slogans(edited, lexicon=LEXICON, cache=tmp_path)["slogan_id"])
    assert len(list(tmp_path.glob("*.parquet"))) == 3
    pd.testing.assert_frame_equal(tag_slogans(CACHED_DOCS, lexicon=own, cache=tmp_path), mentions)


def test_tagging_without_a_cache_writes_nothing(tmp_path, monkeypatch):
    from analysis import config

    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")
    tag_slogans(CACHED_DOCS, lexicon=LEXICON)
    tag_slogans(CACHED_DOCS, lexicon=LEXICON, cache=False)
    assert not (tmp_path / "cache").exists()
    tag_slogans(CACHED_DOCS, lexicon=LEXICON, cache=True)
    assert len(list((tmp_path / "cache" / "mentions").glob("*.parquet"))) == 1


def test_the_cached_mentions_of_the_work_reports_are_the_fresh_ones(gov_reports_path, tmp_path):
    from analysis.corpus import load_corpus

    docs = load_corpus(gov_reports_path)
    fresh = tag_slogans(docs)
    tag_slogans(docs, cache=tmp_path)
    stored = tag_slogans(load_corpus(gov_reports_path), cache=tmp_path)
    assert len(fresh) > 1000 and len(list(tmp_path.glob("*.parquet"))) == 1
    pd.testing.assert_frame_equal(stored, fresh)
    assert stored.attrs == fresh.attrs


def test_kwic_reads_a_slogan_from_the_mentions_it_is_given(monkeypatch):
    mentions = tag_slogans(CACHED_DOCS, lexicon=LEXICON)
    expected = kwic(CACHED_DOCS, "六稳", lexicon=LEXICON, window=3)
    everything = kwic(CACHED_DOCS, "六稳", lexicon=LEXICON, window=3, forms=None)
    # The module, not the function of the same name that analysis.slogans exports.
    monkeypatch.setattr(importlib.import_module("analysis.slogans.kwic"), "tag_slogans", _no_tagging)
    pd.testing.assert_frame_equal(kwic(CACHED_DOCS, "六稳", lexicon=LEXICON, window=3, mentions=mentions), expected)
    pd.testing.assert_frame_equal(
        kwic(CACHED_DOCS, "liuwen", lexicon=LEXICON, window=3, forms=None, mentions=mentions), everything
    )
    assert len(everything) > len(expected) > 0
    with pytest.raises(ValueError, match="not in the corpus"):
        kwic(CACHED_DOCS.iloc[:1], "六稳", lexicon=LEXICON, mentions=mentions)
    with pytest.raises(ValueError, match="tag_slogans"):
        kwic(CACHED_DOCS, "六稳", lexicon=LEXICON, mentions=mentions.drop(columns="form"))
