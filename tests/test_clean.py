"""Tests for analysis.clean: cleaning one document and splitting a newspaper page."""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from collections import Counter

import pandas as pd
import pytest

from analysis import clean
from analysis.clean import (
    OcrFixesError,
    apply_ocr_fixes,
    clean_text,
    find_ocr_fixes,
    join_broken_lines,
    load_ocr_fixes,
    normalize_punctuation,
    normalize_width,
    pair_quotes,
    split_articles,
    strip_markup,
    traditional_share,
    traditional_to_simplified,
)

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
QUOTE_MARKS = re.compile("[\"'“”‘’]")


def han_counts(text: str) -> Counter:
    return Counter(HAN.findall(text))


# --------------------------------------------------------------------------
# Joining broken lines, keeping paragraphs and headings
# --------------------------------------------------------------------------


def test_line_broken_inside_a_sentence_is_joined():
    raw = (
        "王新亭强调,突出重点,结合实际抓好全国两会精神贯彻落实。围绕郑州国家中心\n\n\n\n"
        "城市和国家自主创新示范区建设,以重大项目为抓手。"
    )
    assert clean_text(raw) == (
        "王新亭强调，突出重点，结合实际抓好全国两会精神贯彻落实。"
        "围绕郑州国家中心城市和国家自主创新示范区建设，以重大项目为抓手。"
    )


def test_short_fragment_ending_in_a_connective_is_joined():
    raw = "当获悉湖北十堰人民医院发热门诊和\n\n隔离病房保洁工作急需支援时,薛荣带领突击队进驻该院。"
    assert clean_text(raw) == "当获悉湖北十堰人民医院发热门诊和隔离病房保洁工作急需支援时，薛荣带领突击队进驻该院。"


def test_word_split_across_lines_inside_a_quotation_is_joined():
    raw = (
        "王新亭指出,\"当前,郑州正在朝着加快推进具有黄河流域生态保护和高质量发展鲜明特征的国家中心城市建设的"
        "目标前进,市委、市政府对高新区定位更加清晰精准,作为全市发展'四梁八柱'之一,作为引\n\n"
        "领郑州'西美'功能布局的核心区域,我们要不辱使命、不负重托,以高质量发展的实际成效交好答卷\"。"
    )
    assert clean_text(raw) == (
        "王新亭指出，“当前，郑州正在朝着加快推进具有黄河流域生态保护和高质量发展鲜明特征的国家中心城市建设的"
        "目标前进，市委、市政府对高新区定位更加清晰精准，作为全市发展‘四梁八柱’之一，作为引领郑州‘西美’"
        "功能布局的核心区域，我们要不辱使命、不负重托，以高质量发展的实际成效交好答卷”。"
    )


def test_paragraphs_ending_a_sentence_stay_apart_separated_by_one_newline():
    raw = "会议传达了全国两会精神。\n\n\n王新亭就学习贯彻工作进行了部署！\n\n要求全区上下提高站位？"
    assert clean_text(raw) == "会议传达了全国两会精神。\n王新亭就学习贯彻工作进行了部署！\n要求全区上下提高站位？"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "一、2024年工作回顾\n\n\n过去一年，我国发展历程很不平凡。",
            "一、2024年工作回顾\n过去一年，我国发展历程很不平凡。",
        ),
        (
            "各位代表：\n\n现在，我代表国务院，向大会报告政府工作。",
            "各位代表：\n现在，我代表国务院，向大会报告政府工作。",
        ),
        (
            "（三）巩固和加强农业基础地位，促进农业稳定发展和农民持续增收\n\n今年要稳定粮食播种面积。",
            "（三）巩固和加强农业基础地位，促进农业稳定发展和农民持续增收\n今年要稳定粮食播种面积。",
        ),
        (
            "第一，必须把加强农业放在发展国民经济的重要战略地位\n\n在我们这样一个人口众多的大国里，农业是基础。",
            "第一，必须把加强农业放在发展国民经济的重要战略地位\n在我们这样一个人口众多的大国里，农业是基础。",
        ),
    ],
)
def test_headings_are_not_joined_to_the_next_paragraph(raw, expected):
    assert clean_text(raw) == expected


def test_hyperlinked_phrases_on_their_own_lines_are_joined():
    raw = (
        "各位代表：\n\n我們第一届全國人民代表大會第一次會議，在聽了劉少奇同志\n關於憲法草案的報告\n"
        "並進行了三天的討論以後，已經光榮地完成了一件歷史性的工作。"
    )
    assert clean_text(raw) == (
        "各位代表：\n我们第一届全国人民代表大会第一次会议，在听了刘少奇同志关于宪法草案的报告"
        "并进行了三天的讨论以后，已经光荣地完成了一件历史性的工作。"
    )


def test_phrase_split_off_before_its_punctuation_is_joined():
    raw = (
        "第十四届全国人民代表大会第三次会议听取和审议了国务院总理李强所作的\n政府工作报告\n"
        "。会议充分肯定国务院过去一年的工作。\n\n会议号召，全国各族人民团结奋斗。"
    )
    assert clean_text(raw) == (
        "第十四届全国人民代表大会第三次会议听取和审议了国务院总理李强所作的政府工作报告。"
        "会议充分肯定国务院过去一年的工作。\n会议号召，全国各族人民团结奋斗。"
    )


def test_zero_width_line_inside_a_sentence_does_not_break_it():
    raw = "经济增速是综合性指标，今年预期目标设定\n\u200b\n为6%以上，考虑了经济运行恢复情况。\n\n下一段。"
    assert clean_text(raw) == "经济增速是综合性指标，今年预期目标设定为6%以上，考虑了经济运行恢复情况。\n下一段。"


def test_one_paragraph_per_line_keeps_headline_lines():
    raw = (
        "央视网消息（新闻联播）：\n跨境金融服务平台累计融资超1400亿美元\n"
        "国家外汇管理局最新数据显示，跨境金融服务平台推出三年以来，不断拓展平台功能。\n"
        "海军第39批护航编队今天返回青岛\n今天上午，编队返回青岛某军港。"
    )
    assert clean_text(raw) == raw


def test_join_broken_lines_alone_strips_lines_and_drops_blank_ones():
    assert join_broken_lines("  标题  \n\n\n\n第一段。\n\n第二段。  \n\n") == "标题\n第一段。\n第二段。"


# --------------------------------------------------------------------------
# Spaces
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "会议由高新区党工委书记、管委会 主任王新亭主持,张良才、李幸福等参加 会议。",
            "会议由高新区党工委书记、管委会主任王新亭主持，张良才、李幸福等参加会议。",
        ),
        (
            "随后,圆方集团总经理助理刘帅以一 名党员突击队长的身份讲述了他在湖北医 院隔离病区做消杀的真实故事。",
            "随后，圆方集团总经理助理刘帅以一名党员突击队长的身份讲述了他在湖北医院隔离病区做消杀的真实故事。",
        ),
        ("从圆方看高新区,在这次疫情防控中, 全区400多个基层党组织投身一线。", "从圆方看高新区，在这次疫情防控中，全区400多个基层党组织投身一线。"),
    ],
)
def test_stray_spaces_in_prose_are_removed(raw, expected):
    assert clean_text(raw) == expected


def test_ideographic_space_removed_between_chinese_and_normalised_otherwise():
    assert clean_text("\u3000\u3000１９５５年国家决算\u3000的收支总数，如下。") == "1955年国家决算的收支总数，如下。"
    assert clean_text("全年ＧＤＰ\u3000增长５％。") == "全年GDP 增长5%。"
    assert clean_text("本报讯 6月1日,郑州高新区召开会议。") == "本报讯 6月1日，郑州高新区召开会议。"


def test_spaces_separating_title_parts_names_and_cited_titles_are_kept():
    assert clean_text("区领导到荥阳东沟村 调研扶贫工作") == "区领导到荥阳东沟村 调研扶贫工作"
    assert clean_text("习近平\u3000李克强\u3000栗战书\u3000孙春兰（女）") == "习近平 李克强 栗战书 孙春兰（女）"
    assert clean_text("副主任：陈希\u3000苗华") == "副主任：陈希 苗华"
    assert clean_text("政府工作报告\n\n国务院总理\u3000\n李\u3000强\n\n各位代表：") == "政府工作报告\n国务院总理 李强\n各位代表："
    assert clean_text("发表题为《坚定信心\u3000勇毅前行》的讲话，主题为“专精特新\u3000强基固链”。") == (
        "发表题为《坚定信心 勇毅前行》的讲话，主题为“专精特新 强基固链”。"
    )


def test_trailing_byline_goes_on_its_own_line():
    raw = "张红军等参加宣讲活动。 记者 李颖 孙庆辉 文/图"
    assert clean_text(raw) == "张红军等参加宣讲活动。\n记者 李颖 孙庆辉 文/图"


# --------------------------------------------------------------------------
# Width and punctuation
# --------------------------------------------------------------------------


def test_full_width_digits_letters_and_symbols_become_half_width():
    assert normalize_width("１９５５年") == "1955年"
    assert normalize_width("ＧＤＰ增长３．６８％") == "GDP增长3.68%"
    assert normalize_width("好！是吗？（一）：；，") == "好！是吗？（一）：；，"
    assert clean_text("年终结余１，０１１，０３８，０００元，比１９５４年增长３．６８％。") == (
        "年终结余1,011,038,000元，比1954年增长3.68%。"
    )


def test_thousands_comma_is_told_from_a_pause_between_numbers():
    assert normalize_width("１９５５年，１９５６年") == "1955年，1956年"
    assert normalize_width("１，２，３项") == "1，2，3项"


def test_ascii_punctuation_in_chinese_text_becomes_full_width():
    raw = "本报讯 6月1日,郑州高新区召开会议:传达精神;部署工作!你准备好了吗?中国长城(郑州)创新基地"
    assert clean_text(raw) == (
        "本报讯 6月1日，郑州高新区召开会议：传达精神；部署工作！你准备好了吗？中国长城（郑州）创新基地"
    )


def test_ascii_punctuation_inside_numbers_latin_and_urls_is_kept():
    raw = "增长3.5%，达到1,000亿元，时间为10:30，详见https://www.gov.cn/a?b=1,2。"
    assert clean_text(raw) == raw
    assert clean_text("Hello, world! It's 3:30 (UTC).") == "Hello, world! It's 3:30 (UTC)."


def test_parentheses_are_converted_as_a_pair():
    assert normalize_punctuation("二十国集团(G20)财长会议") == "二十国集团（G20）财长会议"
    assert normalize_punctuation("昨天(1月20日）结束") == "昨天（1月20日）结束"
    assert normalize_punctuation("see (p. 5) here") == "see (p. 5) here"


# --------------------------------------------------------------------------
# Quotes
# --------------------------------------------------------------------------


def test_straight_quotes_are_paired_into_curly_quotes():
    assert pair_quotes('落实好"控保稳进抬扛"六字方针') == "落实好“控保稳进抬扛”六字方针"
    assert pair_quotes('带领"圆方战\'疫\'核心协调督导组",前往') == "带领“圆方战‘疫’核心协调督导组”,前往"
    assert pair_quotes('从"总书记给俺回信了""我是共产党员我上"等篇章') == "从“总书记给俺回信了”“我是共产党员我上”等篇章"


def test_corner_brackets_become_curly_quotes():
    assert clean_text("这就是「教条主义」和『公式』。") == "这就是“教条主义”和‘公式’。"


def test_apostrophe_in_latin_text_is_not_a_quote():
    assert pair_quotes("China's 'dual circulation'") == "China's 'dual circulation'"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('他说"要坚持', "他说“要坚持"),
        ('要坚持。"', "要坚持。”"),
        ('"甲"和"乙', "“甲”和“乙"),
        ('"甲"和乙",', "“甲”和乙”,"),
        ("作为'四梁八柱之一", "作为‘四梁八柱之一"),
    ],
)
def test_unbalanced_quotes_do_not_corrupt_the_text(raw, expected):
    paired = pair_quotes(raw)
    assert paired == expected
    assert QUOTE_MARKS.sub("", paired) == QUOTE_MARKS.sub("", raw)


def test_quotation_running_over_paragraphs_opens_each_paragraph():
    assert pair_quotes('"第一段话。\n"第二段话。"') == "“第一段话。\n“第二段话。”"


# --------------------------------------------------------------------------
# Traditional -> simplified
# --------------------------------------------------------------------------


def test_traditional_is_converted_by_default_and_kept_when_disabled():
    assert clean_text("我們的會議") == "我们的会议"
    assert clean_text("我們的會議", to_simplified=False) == "我們的會議"


def test_simplified_document_is_not_touched_by_t2s():
    # t2s would turn the name 王丙乾 into 王丙干.
    text = "国务委员王丙乾出席会议。" + "会议强调，要坚持稳中求进工作总基调，推动高质量发展。" * 20
    assert "王丙乾" in clean_text(text)
    assert traditional_to_simplified(text) == text
    assert traditional_to_simplified("国务委员王丙乾", min_share=0) == "国务委员王丙干"


def test_traditional_share_counts_changed_chinese_characters():
    assert traditional_share("我們開會") == 0.75
    assert traditional_share("我们开会") == 0.0
    assert traditional_share("GDP 2024") == 0.0


# --------------------------------------------------------------------------
# OCR fixes
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("深人困难群众家中了解生活", "深入困难群众家中了解生活"),
        ("累计收到近2000名党员、人党积极分子的请战书", "累计收到近2000名党员、入党积极分子的请战书"),
        ("他已递交人党申请书", "他已递交入党申请书"),
        ("工作己经完成", "工作已经完成"),
    ],
)
def test_ocr_fixes_fire_in_certain_contexts(raw, expected):
    assert apply_ocr_fixes(raw) == expected
    assert clean_text(raw) == expected
    assert clean_text(raw, fix_ocr=False) == raw


@pytest.mark.parametrize(
    "correct",
    [
        "要加强个人党性修养",
        "资深人士认为",
        "加深人民友谊",
        "加深人们对于资本主义的认识",
        "库尔德工人党武装人员",
        "愿意让自己经过千辛万苦",
        "深人的名字",
    ],
)
def test_ocr_fixes_do_not_fire_where_the_text_is_correct(correct):
    assert apply_ocr_fixes(correct) == correct
    assert find_ocr_fixes(correct).empty


def test_find_ocr_fixes_reports_offsets_and_rule():
    found = find_ocr_fixes("他们深人基层，看望人党积极分子。")
    assert list(found.columns) == ["start", "end", "wrong", "right", "line", "context"]
    assert found[["start", "end", "wrong", "right"]].values.tolist() == [[2, 4, "深人", "深入"], [9, 11, "人党", "入党"]]
    fixes = load_ocr_fixes()
    lines = fixes.set_index("wrong")["line"]
    assert found["line"].tolist() == [lines["深人"], lines["人党"]]


def test_shipped_ocr_fix_table_has_required_rows_with_notes():
    fixes = load_ocr_fixes()
    pairs = set(zip(fixes["wrong"], fixes["right"]))
    assert {("深人", "深入"), ("人党", "入党")} <= pairs
    assert (fixes["note"].str.len() > 20).all()
    assert len(fixes.attrs["sha256"]) == 64


def test_custom_fix_table_is_used(tmp_path):
    path = tmp_path / "fixes.tsv"
    path.write_text(
        "wrong\tright\tbefore\tafter\tnot_before\tnot_after\tnote\n"
        "部暑\t部署\t\t\t\t\t暑 read as 署 in a test table\n",
        encoding="utf-8",
    )
    fixes = load_ocr_fixes(path)
    assert apply_ocr_fixes("作出部暑", fixes=fixes) == "作出部署"
    assert apply_ocr_fixes("深人基层", fixes=fixes) == "深人基层"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("wrong\tright\tnote\n", "line 1: header must be"),
        (
            "wrong\tright\tbefore\tafter\tnot_before\tnot_after\tnote\n深人\t深入\t\t\t\tnote\n",
            "line 2: expected 7 tab-separated fields, got 6",
        ),
        (
            "wrong\tright\tbefore\tafter\tnot_before\tnot_after\tnote\n深人\t深入\t\t(困难\t\t\t入 read as 人\n",
            "line 2: 'after' is not a valid regular expression",
        ),
        (
            "# comment\nwrong\tright\tbefore\tafter\tnot_before\tnot_after\tnote\n深人\t深入\t\t\t\t\t\n",
            "line 3: 'note' is empty",
        ),
        (
            "wrong\tright\tbefore\tafter\tnot_before\tnot_after\tnote\n深人\t深人\t\t\t\t\tsame\n",
            "line 2: 'wrong' and 'right' are both",
        ),
        (
            "wrong\tright\tbefore\tafter\tnot_before\tnot_after\tnote\n深人\t深入\t\t\t\t\ta\n深人\t深入\t\t\t\t\tb\n",
            "line 3: duplicates the rule on line 2",
        ),
        ("", "no header line"),
    ],
)
def test_malformed_fix_table_names_file_and_line(tmp_path, content, message):
    path = tmp_path / "bad.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(OcrFixesError) as error:
        load_ocr_fixes(path)
    assert str(path) in str(error.value)
    assert message in str(error.value)


def test_missing_fix_table_is_a_clear_error(tmp_path):
    with pytest.raises(OcrFixesError, match="not found"):
        load_ocr_fixes(tmp_path / "absent.tsv")


# --------------------------------------------------------------------------
# Markup and boilerplate
# --------------------------------------------------------------------------


def test_cctv_link_rule_and_timestamp_lines_are_dropped_and_lead_in_kept():
    raw = (
        "央视网消息（新闻联播）：今天上午，会议在北京召开。\n"
        "[查看原文](https://tv.cctv.com/2022/01/01/VIDEMfFv304JprRfJfiRKtIt220101.shtml)\n"
        "---\n"
        "更新时间：2023-09-04T14:18:08.371Z"
    )
    assert clean_text(raw) == "央视网消息（新闻联播）：今天上午，会议在北京召开。"


def test_inline_markdown_link_keeps_its_text_and_escapes_are_undone():
    assert clean_text("详见[通知全文](https://www.gov.cn/x.html)。") == "详见通知全文。"
    assert clean_text("中国稳居俄罗斯贸易伙伴之首。\\\n\\\n普京表示，中国是战略伙伴。") == (
        "中国稳居俄罗斯贸易伙伴之首。\n普京表示，中国是战略伙伴。"
    )
    assert clean_text("气温下降6\\~8℃，\\*\\*注意\\*\\*防寒。") == "气温下降6~8℃，注意防寒。"


def test_html_tags_and_entities_are_removed():
    assert clean_text("<p>改革&amp;开放</p><p>第二段&nbsp;内容。</p>") == "改革&开放\n第二段内容。"
    assert clean_text("第一行。<br/>第二行。") == "第一行。\n第二行。"
    assert clean_text("核酸检测Ct值<35，对解除隔离的人员进行复核。") == "核酸检测Ct值<35，对解除隔离的人员进行复核。"
    assert clean_text("R&D投入增长") == "R&D投入增长"


def test_newlines_are_normalised():
    assert strip_markup("第一段。\r\n第二段。\r第三段。") == "第一段。\n第二段。\n第三段。"
    assert clean_text("第一段。\r\n\r\n第二段。\r第三段。") == "第一段。\n第二段。\n第三段。"


def test_non_string_input_is_rejected():
    with pytest.raises(TypeError, match="clean_text expects the text as str, got NoneType"):
        clean_text(None)
    with pytest.raises(TypeError, match="split_articles expects the text as str, got bytes"):
        split_articles("标题".encode())


# --------------------------------------------------------------------------
# Splitting the seed page
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_page(seed_path) -> str:
    return seed_path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_articles(seed_page) -> list[dict]:
    return split_articles(seed_page)


def test_seed_splits_into_three_articles_with_titles(seed_articles):
    assert [QUOTE_MARKS.sub("", article["title"]) for article in seed_articles] == [
        "高新区召开领导干部大会 以人民为中心 落实好控保稳进抬扛六字方针",
        "弘扬劳动精神 争当出彩先锋",
        "区领导到荥阳东沟村 调研扶贫工作",
    ]
    assert [article["title"] for article in seed_articles] == [
        "高新区召开领导干部大会 以人民为中心 落实好“控保稳进抬扛”六字方针",
        "“弘扬劳动精神 争当出彩先锋”",
        "区领导到荥阳东沟村 调研扶贫工作",
    ]
    assert [article["subtitle"] for article in seed_articles] == [
        None,
        "网红书记薛荣团队走进高新区宣讲",
        "探索发展一条独具特色的 生态产业链",
    ]
    assert [article["byline"] for article in seed_articles] == [
        "记者 李颖 孙庆辉 文/图",
        "记者 李颖 孙庆辉 文/图",
        "记者 李颖 孙庆辉",
    ]


def test_seed_articles_are_raw_slices_that_tile_the_page(seed_page, seed_articles):
    for article in seed_articles:
        assert seed_page[article["start"] : article["end"]] == article["text"]
    assert seed_articles[0]["start"] == 0
    assert [a["end"] for a in seed_articles[:-1]] == [a["start"] for a in seed_articles[1:]]
    assert seed_articles[-1]["end"] == len(seed_page)
    assert seed_articles[1]["text"].startswith('"弘扬劳动精神 争当出彩先锋"')
    assert seed_articles[2]["text"].startswith("区领导到荥阳东沟村 调研扶贫工作")


def test_seed_articles_lose_no_chinese_character(seed_page):
    articles = split_articles(seed_page, to_simplified=False, fix_ocr=False)
    kept = Counter()
    for article in articles:
        kept += han_counts(article["text_clean"]) + han_counts(article["byline"] or "")
    assert kept == han_counts(seed_page)


def test_seed_text_clean_has_title_block_then_body(seed_articles):
    first, second, third = seed_articles
    assert first["text_clean"][: first["body_start"]] == first["title"] + "\n\n"
    assert second["text_clean"][: second["body_start"]] == second["title"] + "\n\n" + second["subtitle"] + "\n\n"
    assert third["text_clean"][: third["body_start"]] == third["title"] + "\n\n" + third["subtitle"] + "\n\n"
    assert first["text_clean"][first["body_start"] :].startswith("本报讯 6月1日，郑州高新区召开全区领导干部会议")
    assert second["text_clean"][second["body_start"] :].startswith("“我是共产党员我上！不畏生死")
    assert third["text_clean"][third["body_start"] :].startswith("本报讯 5月23日，市政府副秘书长")
    for article in seed_articles:
        assert "记者" not in article["text_clean"]
        assert "\n\n" not in article["text_clean"][article["body_start"] :]


def test_seed_bodies_are_cleaned(seed_articles):
    first, second, third = (article["text_clean"] for article in seed_articles)
    assert len(first[seed_articles[0]["body_start"] :].split("\n")) == 5
    assert "围绕郑州国家中心城市和国家自主创新示范区建设" in first
    assert "努力在郑州“西美”功能布局中发挥引领作用" in first
    assert "管委会主任王新亭主持，张良才、李幸福等参加会议。" in first
    assert "当获悉湖北十堰人民医院发热门诊和隔离病房保洁工作急需支援时" in second
    assert "作为引领郑州‘西美’功能布局的核心区域" in second
    assert "带领“圆方战‘疫’核心协调督导组”" in second
    assert "入党积极分子" in second and "人党" not in second
    assert "\n【情怀】“我是共产党员我上”\n" in second
    assert "\n【责任】高新区要在郑州“西美”新布局中当好排头兵、领头羊\n" in second
    assert "刘帅以一名党员突击队长的身份讲述了他在湖北医院隔离病区" in second
    assert "深入困难群众家中了解生活" in third
    assert third.endswith("高新投控集团党委、政务服务中心党支部有关负责人陪同调研。")


# --------------------------------------------------------------------------
# Splitting other pages
# --------------------------------------------------------------------------

TWO_ARTICLE_PAGE = (
    "市委召开常委会议 研究部署防汛工作\n"
    "\n"
    "本报讯 7月2日,市委召开常委会议,听取全市防汛工作汇报。会议强调,要压实责任、\n"
    "\n"
    "细化措施,确保安全度汛。\n"
    "\n"
    "记者 王明\n"
    "\n"
    '"十大工程"开工建设\n'
    "\n"
    "总投资120亿元\n"
    "\n"
    '本报讯 7月3日,全市"十大工程"集中开工。市长张华出席并讲话。 通讯员 刘洋 记者 赵亮 摄\n'
)


def test_synthetic_page_splits_into_its_two_articles():
    articles = split_articles(TWO_ARTICLE_PAGE)
    assert len(articles) == 2
    first, second = articles
    assert first["title"] == "市委召开常委会议 研究部署防汛工作"
    assert first["subtitle"] is None
    assert first["byline"] == "记者 王明"
    assert first["text_clean"] == (
        "市委召开常委会议 研究部署防汛工作\n\n"
        "本报讯 7月2日，市委召开常委会议，听取全市防汛工作汇报。会议强调，要压实责任、细化措施，确保安全度汛。"
    )
    assert first["body_start"] == len("市委召开常委会议 研究部署防汛工作\n\n")
    assert second["title"] == "“十大工程”开工建设"
    assert second["subtitle"] == "总投资120亿元"
    assert second["byline"] == "通讯员 刘洋 记者 赵亮 摄"
    assert second["text_clean"] == (
        "“十大工程”开工建设\n\n总投资120亿元\n\n本报讯 7月3日，全市“十大工程”集中开工。市长张华出席并讲话。"
    )
    assert second["start"] == TWO_ARTICLE_PAGE.index('"十大工程"开工建设')
    assert first["text"] + second["text"] == TWO_ARTICLE_PAGE


def test_text_before_the_first_title_is_an_untitled_article():
    page = "接上版的报道，代表们继续审议了有关报告。\n\n" + TWO_ARTICLE_PAGE
    articles = split_articles(page)
    assert [article["title"] for article in articles] == [
        None,
        "市委召开常委会议 研究部署防汛工作",
        "“十大工程”开工建设",
    ]
    lead_in = articles[0]
    assert lead_in["text"] == "接上版的报道，代表们继续审议了有关报告。\n\n"
    assert lead_in["text_clean"] == "接上版的报道，代表们继续审议了有关报告。"
    assert (lead_in["start"], lead_in["end"], lead_in["body_start"]) == (0, articles[1]["start"], 0)


def test_fragments_section_heads_and_bylines_do_not_start_articles():
    page = (
        "市领导调研防汛工作\n\n"
        "本报讯 7月2日,市领导到各区调研防汛工作,看望一线人员。 记者 王明\n\n"
        "【观点】压实责任\n\n"
        "市领导强调,要把确保人民群众生命安全放在第一位。\n\n"
        "当获悉下游村庄转移群众急需帐篷和\n\n"
        "7月3日,救援物资已经送达转移安置点。\n\n"
        "记者 赵亮\n\n"
        "各区负责同志陪同调研。"
    )
    articles = split_articles(page)
    assert len(articles) == 1
    assert articles[0]["title"] == "市领导调研防汛工作"
    assert articles[0]["byline"] == "记者 王明；记者 赵亮"
    assert articles[0]["text_clean"].split("\n")[2:] == [
        "本报讯 7月2日，市领导到各区调研防汛工作，看望一线人员。",
        "【观点】压实责任",
        "市领导强调，要把确保人民群众生命安全放在第一位。",
        "当获悉下游村庄转移群众急需帐篷和7月3日，救援物资已经送达转移安置点。",
        "各区负责同志陪同调研。",
    ]


def test_page_without_article_structure_is_one_untitled_article():
    page = "央视网消息（新闻联播）：今天上午，会议在北京召开。\n与会代表认为，会议开得很成功。\n"
    articles = split_articles(page)
    assert articles == [
        {
            "title": None,
            "subtitle": None,
            "byline": None,
            "text": page,
            "start": 0,
            "end": len(page),
            "text_clean": clean_text(page),
            "body_start": 0,
        }
    ]
    assert articles[0]["text_clean"] == "央视网消息（新闻联播）：今天上午，会议在北京召开。\n与会代表认为，会议开得很成功。"


def test_traditional_page_gives_simplified_titles_and_body():
    page = "市政府召開會議\n\n本報訊 5月1日，市政府召開全體會議，研究部署當前工作。"
    (article,) = split_articles(page)
    assert article["title"] == "市政府召开会议"
    assert article["text_clean"] == "市政府召开会议\n\n本报讯 5月1日，市政府召开全体会议，研究部署当前工作。"
    (kept,) = split_articles(page, to_simplified=False)
    assert kept["title"] == "市政府召開會議"


def test_split_is_deterministic(seed_page):
    assert split_articles(seed_page) == split_articles(seed_page)


def test_cleaning_clean_text_again_changes_nothing(seed_page):
    once = clean_text(seed_page)
    assert clean_text(once) == once


def test_empty_page_gives_one_empty_article():
    assert clean_text(" \n\n\u3000") == ""
    assert split_articles("\n\n") == [
        {
            "title": None,
            "subtitle": None,
            "byline": None,
            "text": "\n\n",
            "start": 0,
            "end": 2,
            "text_clean": "",
            "body_start": 0,
        }
    ]


# --------------------------------------------------------------------------
# Development corpora
# --------------------------------------------------------------------------


def _read_jsonl(path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


@pytest.mark.slow
def test_gov_reports_come_out_simplified_half_width_with_headings(gov_reports_path):
    reports = {row["year"]: row for row in _read_jsonl(gov_reports_path) if row["year"]}
    report_1954 = clean_text(reports["1954"]["content"])
    assert not re.search("[們會議國這爲經濟]", report_1954)
    assert "我们" in report_1954 and "会议" in report_1954
    assert "在听了刘少奇同志关于宪法草案的报告并进行了三天的讨论以后" in report_1954
    for year in ("1955", "1956"):
        cleaned = clean_text(reports[year]["content"])
        assert not re.search("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u3000]", cleaned), year
    assert "1955年国家决算的收支总数如下：1955年本年收入合计27,203,319,000元" in clean_text(
        reports["1956"]["content"]
    )
    report_2025 = clean_text(reports["2025"]["content"])
    assert report_2025.startswith("各位代表：\n现在，我代表国务院，向大会报告政府工作")
    assert "\n一、2024年工作回顾\n过去一年，我国发展历程很不平凡。" in report_2025


@pytest.mark.slow
def test_cctv_items_lose_link_lines_but_keep_the_lead_in(cctv_news_path):
    items = _read_jsonl(cctv_news_path)
    lead_in = "央视网消息（新闻联播）："
    for item in items:
        cleaned = clean_text(item["text"])
        assert "[查看原文]" not in cleaned, item["id"]
        assert "更新时间" not in cleaned, item["id"]
        if item["text"].startswith(lead_in):
            assert cleaned.startswith(lead_in), item["id"]


@pytest.mark.slow
def test_ocr_fixes_never_fire_on_the_typed_corpora(gov_reports_path, cctv_news_path):
    # Both corpora are typed, not OCR'd: every fix there would be a false positive.
    texts = [row["content"] for row in _read_jsonl(gov_reports_path)]
    texts += [row["text"] for row in _read_jsonl(cctv_news_path)]
    found = find_ocr_fixes("\n".join(clean_text(text, fix_ocr=False) for text in texts))
    assert found.empty, found.head().to_string()


@pytest.mark.slow
def test_gov_report_cleaning_is_deterministic(gov_reports_path):
    rows = _read_jsonl(gov_reports_path)[:5]
    assert [clean_text(row["content"]) for row in rows] == [clean_text(row["content"]) for row in rows]


def test_module_exposes_documented_helpers():
    # clean is a subpackage: every public function of each of its modules has an example.
    modules = [importlib.import_module(f"{clean.__name__}.{info.name}") for info in pkgutil.iter_modules(clean.__path__)]
    checked = []
    for module in [clean, *modules]:
        for name, item in vars(module).items():
            if callable(item) and not name.startswith("_") and getattr(item, "__module__", "") == module.__name__:
                if isinstance(item, type):
                    continue
                checked.append(name)
                assert "Examples" in (item.__doc__ or ""), f"{module.__name__}.{name}"
    assert {"clean_text", "split_articles", "strip_markup"} <= set(checked)


# ------------------------------------------------------- boilerplate and untrusted markup


@pytest.mark.parametrize(
    "line",
    [
        "下载 打印 全屏 收藏",
        "【打印】【关闭】",
        "【字体：大 中 小】",
        "字体：大 中 小",
        "分享到：微信 微博 QQ空间",
        "责任编辑：王某",
        "扫一扫在手机打开当前页",
        "CONTENT NOTFOUND",
        "下载 打印 全屏 收藏 【字号 大 中 小】",
        "【字号 大 中 小】",
        "【打印】【关闭】扫一扫在手机打开当前页",
        "扫一扫在手机打开当前页面",
        "相关报道：",
        "延伸阅读",
        "本作品在全世界都属于公有领域，因为作者逝世已经超过100年，并且于1929年1月1日之前出版。",
    ],
)
def test_menu_and_placeholder_lines_are_dropped(line):
    assert clean_text(f"会议强调要稳中求进。\n{line}\n六稳六保落实到位。") == "会议强调要稳中求进。\n六稳六保落实到位。"


@pytest.mark.parametrize(
    "text",
    [
        "请下载打印本通知并收藏。",  # menu words inside a sentence
        "分享到：这是一个很长的句子，说明了分享的意义，不是菜单而是正文，里面有很多内容需要保留下来，一直写到超过六十个字为止，确认没有被删除。",
        "责任编辑：王某某说，要稳中求进。",
        "本作品是一部纪录片。",
        "相关报道称，经济稳中向好。",
        "字号大的企业要带头稳就业。",
    ],
)
def test_lines_that_only_resemble_boilerplate_are_kept(text):
    assert clean_text(text) == text


def test_html_script_style_tags_and_entities_are_removed():
    raw = (
        "<!DOCTYPE html><html><head><title>标题</title><style>p {color: red}</style>"
        "<script type='text/javascript'>alert('六稳')</script></head>"
        "<body><p>稳中求进&lt;六稳&gt;&amp;六保&#12290;</p><img src=x onerror=alert(1)></body></html>"
    )
    assert clean_text(raw) == "标题\n稳中求进<六稳>&六保。"


def test_unclosed_html_comment_and_script_keep_the_text():
    assert clean_text("正文<!-- 没有结束的注释") == "正文<!-- 没有结束的注释"
    assert clean_text("<!-- 注释 -->正文") == "正文"
    assert "正文" in clean_text("<script>未结束 正文")


def test_boilerplate_can_be_kept_on_request():
    raw = "会议强调要稳中求进。\n下载 打印 全屏 收藏"
    assert clean_text(raw, drop_boilerplate=False) == raw


def test_find_boilerplate_lines_names_rule_and_kind():
    found = clean.find_boilerplate_lines("正文。\n下载 打印 全屏 收藏\nCONTENT NOTFOUND")
    assert list(found.columns) == ["line_number", "text", "rule", "kind"]
    assert found["line_number"].tolist() == [2, 3]
    assert found["kind"].tolist() == ["menu", "placeholder"]
    table = clean.load_boilerplate_lines()
    rules = dict(zip(table["line"], table["pattern"]))
    assert rules[int(found["rule"].iloc[1])] == "CONTENT NOTFOUND"


def test_shipped_boilerplate_table_is_valid_with_notes():
    table = clean.load_boilerplate_lines()
    assert list(table.columns) == ["line", "pattern", "kind", "note"]
    assert set(table["kind"]) == {"menu", "licence", "placeholder"}
    assert table["note"].str.len().gt(20).all()
    assert len(table.attrs["sha256"]) == 64


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("pattern\tkind\n", "header must be"),
        ("pattern\tkind\tnote\nabc\tmenu\n", "line 2: expected 3"),
        ("pattern\tkind\tnote\nabc\twidget\tseen somewhere\n", "line 2: kind must be one of"),
        ("pattern\tkind\tnote\n(abc\tmenu\tbroken\n", "line 2: 'pattern' is not a valid regular expression"),
        ("pattern\tkind\tnote\n(?:abc)?\tmenu\tmatches nothing\n", "line 2: pattern .* matches an empty line"),
        ("pattern\tkind\tnote\nabc\tmenu\tone\nabc\tmenu\ttwo\n", "line 3: duplicates the pattern on line 2"),
        ("# only a comment\n", "no header line"),
    ],
)
def test_malformed_boilerplate_table_names_file_and_line(tmp_path, content, message):
    path = tmp_path / "boilerplate.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(clean.BoilerplateError, match=message) as error:
        clean.load_boilerplate_lines(path)
    assert str(path) in str(error.value)


def test_custom_boilerplate_table_is_used(tmp_path):
    path = tmp_path / "boilerplate.txt"
    path.write_text("pattern\tkind\tnote\n来源：本站\tmenu\tsite credit\n", encoding="utf-8")
    table = clean.load_boilerplate_lines(path)
    assert clean.strip_boilerplate_lines("来源：本站\n正文", table=table) == "正文"
    assert clean.strip_boilerplate_lines("下载 打印\n正文", table=table) == "下载 打印\n正文"


def test_prose_line_longer_than_any_boilerplate_is_never_tested():
    long_line = "分享到：" + "稳" * 1000
    assert clean.strip_boilerplate_lines(long_line) == long_line


@pytest.mark.slow
def test_gov_reports_lose_only_the_wikisource_licence_lines(gov_reports_path):
    removed = Counter()
    for record in _read_jsonl(gov_reports_path):
        kept = clean_text(record["content"], drop_boilerplate=False)
        found = clean.find_boilerplate_lines(kept)
        removed.update(found["text"].str[:12])
        dropped = set(found["line_number"])
        expected = "\n".join(line for number, line in enumerate(kept.split("\n"), 1) if number not in dropped)
        assert clean_text(record["content"]) == expected, record["title"]
        assert set(found["kind"]) <= {"licence"}
    assert removed == {
        "Public domai": 65,
        "本作品是中华人民共和国的": 52,
        "注：中文维基文库社群认为": 52,
        "本作品来自中华人民共和国": 13,
        "本模板所指的决定包括由中": 12,
    }


@pytest.mark.slow
def test_cctv_loses_only_the_content_notfound_stubs_to_the_list(cctv_news_path):
    kinds = Counter()
    for record in _read_jsonl(cctv_news_path):
        found = clean.find_boilerplate_lines(clean_text(record["text"], drop_boilerplate=False))
        kinds.update(found["text"])
    assert kinds == {"CONTENT NOTFOUND": 6}


def test_every_boilerplate_rule_says_why_and_every_comment_line_is_a_comment():
    path = clean.BOILERPLATE_LINES_PATH
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rules = [line for line in lines if not line.startswith("#")][1:]  # after the header
    assert len(rules) == len(clean.load_boilerplate_lines())
    for line in rules:
        pattern, kind, note = line.split("\t")
        assert kind in clean.BOILERPLATE_KINDS and len(note) > 40, note  # where it was seen and why


# ------------------------------------------------ spaced-out enumerations


@pytest.mark.parametrize(
    "text",
    [
        "围绕市委“控 保 稳 进 抬 扛”的六字要求，抓好当前工作。",
        "落实好控 保 稳 进 抬 扛六字方针",
        "把握好控　保　稳　进　抬　扛六字要求。",
    ],
)
def test_space_separated_enumeration_survives_cleaning_and_is_tagged(text):
    from analysis.slogans import tag_slogans

    cleaned = clean_text(text)
    assert "控保稳进抬扛" in cleaned
    docs = pd.DataFrame({"doc_id": ["a"], "text_clean": [cleaned], "body_start": [0]})
    assert "控保稳进抬扛" in set(tag_slogans(docs)["canonical"])


def test_padded_names_in_a_list_stay_apart():
    assert clean_text("习近平　李　强　赵乐际") == "习近平 李强 赵乐际"


# ------------------------------------------------ pages, not articles


ONE_ARTICLE_WITH_SUBHEADINGS = """全市推进营商环境改革工作会议召开

本报讯 6月2日，全市推进营商环境改革工作会议召开，会议总结了前一阶段工作，部署了下一步任务。

优化审批流程

“一网通办”已经覆盖全部政务服务事项，群众办事更加便利。会议要求继续压缩审批时限。

强化要素保障

5月以来，各区县加快土地、资金等要素配置，重点项目开工率明显提高。

一、持续深化改革

“放管服”改革要向纵深推进，不断激发市场主体活力。
"""


def test_one_article_with_subheadings_is_not_split_at_them():
    articles = split_articles(ONE_ARTICLE_WITH_SUBHEADINGS)
    assert len(articles) == 1
    assert articles[0]["title"] == "全市推进营商环境改革工作会议召开"
    assert "优化审批流程" in articles[0]["text_clean"]


def test_a_press_lead_still_starts_a_new_article_mid_page():
    page = ONE_ARTICLE_WITH_SUBHEADINGS + "\n高新区召开大会\n\n本报讯 6月1日，高新区召开全区大会，部署稳就业工作。\n"
    assert [a["title"] for a in split_articles(page)] == ["全市推进营商环境改革工作会议召开", "高新区召开大会"]
