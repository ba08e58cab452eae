from pathlib import Path

import pandas as pd
import pytest

from analysis import workreport
from analysis.corpus import load_corpus
from analysis.slogans import tag_slogans
from analysis.validation import InputError
from analysis.workreport import (
    assign_sections,
    extract_targets,
    parse_number,
    sections,
    slogan_counts_by_section,
)

GOLD_PATH = Path(__file__).parent / "data" / "workreport_targets_gold.csv"

# A report shaped like those of 2019-2025: preamble, review with subsections,
# requirements and targets, tasks with subsections, a closing to the deputies.
MODERN = (
    "各位代表：\n现在，我代表国务院，向大会报告政府工作。\n"
    "一、2024年工作回顾\n过去一年，国内生产总值增长5%，城镇新增就业1256万人。\n"
    "（一）稳住经济大盘。做好“六稳”工作。\n（二）保障民生。全面落实“六保”任务。\n"
    "二、2025年经济社会发展总体要求和政策取向\n"
    "今年发展主要预期目标是：国内生产总值增长5%左右；城镇调查失业率5.5%左右，城镇新增就业1200万人以上；"
    "居民消费价格涨幅2%左右；粮食产量1.4万亿斤左右；单位国内生产总值能耗降低3%左右。\n"
    "今年赤字率拟按4%左右安排、比上年提高1个百分点。拟安排地方政府专项债券4.4万亿元、比上年增加5000亿元。\n"
    "三、2025年政府工作任务\n今年任务十分繁重。\n"
    "（一）大力提振消费。做好“六稳”工作，全面落实“六保”任务。\n（二）发展新质生产力。加快建设现代化产业体系。\n"
    "我们要坚持独立自主的和平外交政策。\n"
    "各位代表！让我们团结奋斗。"
)


def _doc(text, doc_id="r", date="2025-03-05"):
    return pd.DataFrame({"doc_id": [doc_id], "text_clean": [text], "date": pd.to_datetime([date])})


def _row(table, section_id):
    rows = table[table["section_id"] == section_id]
    assert len(rows) == 1, f"expected one row {section_id!r}, got {len(rows)}"
    return rows.iloc[0]


# --------------------------------------------------------------------------
# Sections, on synthetic reports


def test_a_modern_report_is_split_into_typed_sections_with_offsets():
    table = sections(MODERN)
    assert table["section_id"].tolist() == ["0", "1", "1.0", "1.1", "1.2", "2", "3", "3.0", "3.1", "3.2", "closing"]
    assert table["part"].tolist() == [
        "preamble", "section", "lead_in", "subsection", "subsection", "section", "section", "lead_in",
        "subsection", "subsection", "closing",
    ]
    top = table[table["level"] == 1].set_index("section_id")
    assert top.loc[["1", "2", "3"], "section_type"].tolist() == ["review", "targets", "tasks"]
    assert top.loc["1", "heading"] == "2024年工作回顾"
    assert _row(table, "1.1")["heading"] == "稳住经济大盘"
    assert _row(table, "3.1")["section_type"] == "tasks"
    # Offsets index text_clean: a section starts at its numeral, a subsection at its bracket.
    assert MODERN[top.loc["2", "start"]:].startswith("二、2025年")
    assert MODERN[_row(table, "3.2")["start"]:].startswith("（二）发展新质生产力")
    assert MODERN[_row(table, "closing")["start"]:].startswith("各位代表！")
    # Level-1 rows tile the text from 0 to its end.
    level1 = table[table["level"] == 1]
    assert level1["start"].iloc[0] == 0 and level1["end"].iloc[-1] == len(MODERN)
    assert (level1["start"].iloc[1:].to_numpy() == level1["end"].iloc[:-1].to_numpy()).all()
    assert table["number"].dtype == "Int64"


def test_targets_stated_at_the_head_of_a_tasks_section_make_its_lead_in_a_targets_part():
    # 2023, 2021, 2016: the targets open the tasks section (对今年政府工作的建议).
    text = (
        "一、过去一年和五年工作回顾\n成绩来之不易。\n二、对今年政府工作的建议\n"
        "今年发展主要预期目标是：国内生产总值增长5%左右。\n（一）着力扩大国内需求。把恢复消费摆在优先位置。\n"
        "（二）加快建设现代化产业体系。强化科技创新。\n"
    )
    table = sections(text)
    assert _row(table, "2")["section_type"] == "tasks"
    assert _row(table, "2.0")["section_type"] == "targets"
    assert _row(table, "2.1")["section_type"] == "tasks"
    # Without a targets statement the lead-in keeps its section's type.
    plain = sections(text.replace("今年发展主要预期目标是：国内生产总值增长5%左右。", "今年要做好以下工作。"))
    assert _row(plain, "2.0")["section_type"] == "tasks"


def test_keywordless_sections_after_the_targets_are_tasks_and_government_building_is_other():
    # 2015 and 2007 give their tasks as several top-level sections.
    text = (
        "一、2014年工作回顾\n回顾。\n二、2015年工作总体部署\n部署。\n三、把改革开放扎实推向纵深\n改革。\n"
        "四、持续推进民生改善和社会建设\n民生。\n五、切实加强政府自身建设\n建设。\n六、关于外交工作\n外交。\n"
    )
    types = sections(text).set_index("section_id")["section_type"]
    assert types.loc[["1", "2", "3", "4", "5", "6"]].tolist() == ["review", "targets", "tasks", "tasks", "other", "other"]


def test_an_older_report_without_review_or_targets_is_other():
    text = "一、关于社会主义革命\n革命。\n二、关于社会主义建设\n建设。\n"
    assert sections(text)["section_type"].tolist() == ["other", "other"]


def test_a_numbered_list_inside_a_section_is_not_taken_for_sections():
    # 1986: section 二 lists 一…四 (with a nested 一…三 inside its 二) before section 三 comes.
    text = (
        "一、“六五”计划执行情况的回顾\n回顾。\n二、“七五”时期的基本任务和主要建设方针\n"
        "一、确定适度的经济增长率\n增长。\n二、规定恰当的投资规模\n一、继续增加能源投资。\n"
        "二、控制非生产性建设投资的增长。\n三、把更多的资金用于技术改造。\n三、坚持把科技进步放在重要的战略地位\n"
        "科技。\n四、以增强出口创汇能力为中心\n出口。\n三、“七五”时期的经济体制改革\n改革。\n"
    )
    top = sections(text)
    top = top[top["level"] == 1]
    assert top["heading"].tolist() == ["“六五”计划执行情况的回顾", "“七五”时期的基本任务和主要建设方针", "“七五”时期的经济体制改革"]
    assert text[top["start"].iloc[2]:].startswith("三、“七五”时期的经济体制改革")


def test_list_items_ending_in_punctuation_are_not_headings():
    # 1988 and 1982: numbered measures that end with ；or 。 are list items.
    text = "前言。\n一、合理调整价格；\n二、适当提高运价；\n三、加强物价管理。\n正文。\n"
    table = sections(text)
    assert table.empty
    assert "No work-report sections were found" in table.attrs["note"]


def test_bracketed_numbers_can_be_the_top_level():
    # 1981, 1983, 1985: （一） on top, 一、 inside.
    text = "（一）当前的经济形势\n形势。\n（二）今后经济建设的方针\n一、依靠政策和科学，加快农业的发展\n农业。\n二、提高能源的利用效率\n能源。\n（三）我国经济发展的前景\n前景。\n"
    table = sections(text)
    assert table["section_id"].tolist() == ["1", "2", "2.1", "2.2", "3"]
    assert table["level"].tolist() == [1, 1, 2, 2, 1]
    assert _row(table, "2.2")["heading"] == "提高能源的利用效率"


def test_a_document_without_numbered_headings_has_no_sections():
    table = sections(pd.DataFrame({"doc_id": ["a"], "text_clean": ["人民日报记者报道：今天召开会议。"]}))
    assert table.empty and list(table.columns) == workreport.SECTION_COLUMNS
    assert "No work-report sections were found" in table.attrs["note"]


def test_sections_refuses_bad_input():
    with pytest.raises(ValueError, match="text_clean"):
        sections(pd.DataFrame({"doc_id": ["a"], "text": ["x"]}))
    with pytest.raises(TypeError, match="document 'b'"):
        sections(pd.DataFrame({"doc_id": ["a", "b"], "text_clean": ["x", None]}))
    with pytest.raises(InputError):
        sections(["一、回顾"])
    with pytest.raises(InputError, match="duplicate"):
        sections(pd.DataFrame({"doc_id": ["a", "a"], "text_clean": ["x", "y"]}))


# --------------------------------------------------------------------------
# Joining spans to sections; slogans by section type


def test_mentions_tokens_and_kwic_lines_are_joined_to_their_section():
    corpus = pd.DataFrame({"doc_id": ["r", "plain"], "text_clean": [MODERN, "做好“六稳”工作。"]})
    table = sections(corpus)
    mentions = tag_slogans(corpus)
    joined = assign_sections(mentions, table)
    assert len(joined) == len(mentions), "no mention may be dropped"
    by_doc = joined.set_index(["doc_id", "start"])
    review_mention = MODERN.index("六稳")
    tasks_mention = MODERN.index("六稳", MODERN.index("三、"))
    assert by_doc.loc[("r", review_mention), "section_id"] == "1.1"
    assert by_doc.loc[("r", review_mention), "section_type"] == "review"
    assert by_doc.loc[("r", review_mention), "subsection_heading"] == "稳住经济大盘"
    assert by_doc.loc[("r", tasks_mention), "section_type"] == "tasks"
    assert by_doc.loc[("r", tasks_mention), "section_heading"] == "2025年政府工作任务"
    assert by_doc.loc[("plain", 3), "section_type"] == workreport.UNSECTIONED
    # Any table with doc_id and start works: tokens-like spans, a KWIC line.
    spans = pd.DataFrame({"doc_id": ["r", "r"], "start": [0, MODERN.index("各位代表！")], "end": [2, 6]})
    assert assign_sections(spans, table)["section_type"].tolist() == ["other", "other"]
    assert assign_sections(spans, table)["section_id"].tolist() == ["0", "closing"]


def test_assign_sections_names_what_is_missing():
    with pytest.raises(ValueError, match="start"):
        assign_sections(pd.DataFrame({"doc_id": ["r"]}), sections(MODERN))
    with pytest.raises(ValueError, match="workreport.sections"):
        assign_sections(pd.DataFrame({"doc_id": ["r"], "start": [0]}), pd.DataFrame({"doc_id": []}))


def test_slogan_counts_by_section_type_with_rates_per_type():
    counts = slogan_counts_by_section(tag_slogans(MODERN), sections(MODERN))
    table = counts.set_index(["section_type", "canonical"])
    assert table.loc[("review", "六稳"), "mentions"] == 1
    assert table.loc[("tasks", "六稳"), "mentions"] == 1
    assert table.loc[("tasks", "六保"), "mentions"] == 1
    tiles = workreport.section_tiles(sections(MODERN))
    review_chars = int((tiles["end"] - tiles["start"])[tiles["section_type"] == "review"].sum())
    assert table.loc[("review", "六稳"), "characters"] == review_chars
    assert table.loc[("review", "六稳"), "per_10k_chars"] == pytest.approx(1 / review_chars * 10_000)
    assert counts["section_type"].tolist() == sorted(
        counts["section_type"], key=lambda kind: list(workreport.SECTION_TYPES).index(kind)
    )


def test_slogan_counts_by_section_count_a_list_next_to_its_name_once():
    text = "三、2025年政府工作任务\n全面落实“六保”任务，强化保就业保民生保市场主体。\n"
    mentions = tag_slogans(text)
    assert sorted(mentions["form"]) == ["compact", "expansion"]
    counts = slogan_counts_by_section(mentions, sections(text)).set_index("canonical")
    assert counts.loc["六保", "mentions"] == 1


# --------------------------------------------------------------------------
# Targets, on synthetic reports


def test_targets_of_a_central_report():
    targets = extract_targets(_doc(MODERN)).set_index("indicator_id")
    expected = {
        "gdp_growth": (5.0, 5.0, "%", "左右"),
        "cpi": (2.0, 2.0, "%", "左右"),
        "urban_jobs": (1200.0, 1200.0, "万人", "以上"),
        "surveyed_unemployment": (5.5, 5.5, "%", "左右"),
        "deficit_ratio": (4.0, 4.0, "%", "左右"),
        "special_bonds": (44000.0, 44000.0, "亿元", ""),
        "grain_output": (14000.0, 14000.0, "亿斤", "左右"),
        "energy_intensity": (3.0, 3.0, "%", "左右"),
    }
    assert sorted(targets.index) == sorted(expected)
    for indicator, (low, high, unit, qualifier) in expected.items():
        row = targets.loc[indicator]
        assert (row["low"], row["high"], row["unit"], row["qualifier"]) == (low, high, unit, qualifier), indicator
        assert MODERN[row["start"]:row["end"]] == row["surface"]
        assert row["surface"] in row["sentence"]
    assert "国内生产总值" in targets.loc["gdp_growth", "indicator"]
    assert targets["year"].unique().tolist() == [2025]
    # The review's results (国内生产总值增长5%, 城镇新增就业1256万人) are not targets.
    assert targets.loc["urban_jobs", "start"] > MODERN.index("二、")


def test_ranges_floors_and_ceilings():
    text = (
        "今年经济社会发展的主要预期目标是：国内生产总值增长6%-6.5%；城镇新增就业人数不低于900万人，"
        "城镇登记失业率低于4.6%；居民消费价格总水平涨幅在 3%以内；城镇调查失业率全年控制在5.5%以内。"
    )
    targets = extract_targets(text).set_index("indicator_id")
    assert (targets.loc["gdp_growth", "low"], targets.loc["gdp_growth", "high"]) == (6.0, 6.5)
    assert targets.loc["gdp_growth", "qualifier"] == "区间"
    assert targets.loc["urban_jobs", "qualifier"] == "不低于"
    assert targets.loc["registered_unemployment", "qualifier"] == "低于"
    assert (targets.loc["cpi", "low"], targets.loc["cpi", "qualifier"]) == (3.0, "以内")
    assert targets.loc["surveyed_unemployment", "qualifier"] == "以内"


def test_targets_listed_on_the_line_after_their_cue():
    # 2010-2012 put the list on its own line after "主要预期目标是：".
    text = "今年经济社会发展的主要预期目标是：\n国内生产总值增长7.5%；城镇新增就业900万人以上。\n"
    row = extract_targets(text).set_index("indicator_id").loc["gdp_growth"]
    assert (row["low"], row["qualifier"]) == (7.5, "")
    assert row["sentence"].startswith("今年经济社会发展的主要预期目标是：")


def test_a_provincial_report_written_the_same_way():
    text = (
        "一、2024年工作回顾\n全省地区生产总值增长5.1%。\n二、2025年工作总体要求和目标任务\n"
        "今年全省经济社会发展的主要预期目标是：地区生产总值增长5.5%左右；城镇新增就业60万人以上，"
        "城镇调查失业率5.5%左右；居民消费价格涨幅2%左右；粮食产量稳定在700亿斤以上；"
        "单位地区生产总值能耗下降2.5%左右。\n三、2025年重点工作\n（一）扩大有效投资。今年安排省级预算内投资100亿元。\n"
    )
    targets = extract_targets(_doc(text, doc_id="province")).set_index("indicator_id")
    assert (targets.loc["gdp_growth", "low"], targets.loc["gdp_growth", "qualifier"]) == (5.5, "左右")
    assert targets.loc["urban_jobs", "low"] == 60.0
    assert (targets.loc["grain_output", "low"], targets.loc["grain_output", "unit"]) == (700.0, "亿斤")
    assert targets.loc["energy_intensity", "low"] == 2.5
    assert "deficit_ratio" not in targets.index
    assert sections(text).set_index("section_id").loc["2", "section_type"] == "targets"


def test_a_report_that_sets_no_gdp_target_says_so():
    # The 2020 report: no growth target, jobs and prices still targeted.
    text = (
        "今年发展主要预期目标是：城镇新增就业900万人以上，城镇调查失业率6%左右；居民消费价格涨幅3.5%左右。"
        "需要说明的是，我们没有提出全年经济增速具体目标，主要因为全球疫情和经贸形势不确定性很大。\n"
    )
    targets = extract_targets(_doc(text, date="2020-05-22")).set_index("indicator_id")
    gdp = targets.loc["gdp_growth"]
    assert gdp["qualifier"] == workreport.NO_TARGET
    assert pd.isna(gdp["low"]) and pd.isna(gdp["high"])
    assert "没有提出全年经济增速具体目标" in gdp["sentence"]
    assert text[gdp["start"]:gdp["end"]] == gdp["surface"]
    assert targets.loc["urban_jobs", "low"] == 900.0


def test_a_work_report_without_a_readable_gdp_target_gets_a_not_stated_row():
    text = "一、去年工作回顾\n回顾。\n二、今年主要任务\n任务。\n"
    gdp = extract_targets(text).set_index("indicator_id").loc["gdp_growth"]
    assert gdp["qualifier"] == workreport.NOT_STATED and pd.isna(gdp["low"]) and pd.isna(gdp["start"])
    # A document that is no work report gets no row at all.
    assert extract_targets("今天召开会议，国内生产总值增长5%。").empty


def test_five_year_and_past_figures_are_not_annual_targets():
    text = (
        "今后五年，我国经济增长预期目标是在提高质量的基础上年均增长7%。\n"
        "过去一年赤字率拟按2.8%安排的政策取得成效。去年安排地方政府专项债券3.65万亿元。\n"
    )
    targets = extract_targets(text)
    assert targets.empty or set(targets["indicator_id"]) <= {"gdp_growth"}
    assert targets.empty or targets["low"].isna().all()


def test_targets_by_year_writes_each_target_as_the_report_does():
    text = (
        "今年经济社会发展的主要预期目标是：国内生产总值增长6%-6.5%；城镇新增就业1100万人以上，"
        "城镇登记失业率低于4.6%。今年赤字率拟按2.8%安排。\n"
    )
    corpus = pd.DataFrame(
        {"doc_id": ["a", "b"], "text_clean": [text, "一、回顾\n回顾。\n二、主要任务\n任务。\n"],
         "date": pd.to_datetime(["2019-03-05", "2020-05-22"])}
    )
    wide = workreport.targets_by_year(extract_targets(corpus))
    assert wide["doc_id"].tolist() == ["b", "a"], "latest year first"
    assert list(wide.columns) == ["doc_id", "year", "gdp_growth", "urban_jobs", "registered_unemployment", "deficit_ratio"]
    row = wide.set_index("doc_id").loc["a"]
    assert (row["gdp_growth"], row["urban_jobs"], row["registered_unemployment"], row["deficit_ratio"]) == (
        "6–6.5%", "1100万人以上", "低于4.6%", "2.8%"
    )
    assert wide.set_index("doc_id").loc["b", "gdp_growth"] == workreport.NOT_STATED
    assert wide.set_index("doc_id").loc["b", "deficit_ratio"] == ""


def test_extract_targets_refuses_bad_input():
    with pytest.raises(ValueError, match="doc_id"):
        extract_targets(pd.DataFrame({"text_clean": ["x"]}))
    with pytest.raises(ValueError, match="workreport.sections"):
        extract_targets("x", sections_table=pd.DataFrame({"doc_id": []}))


def test_an_empty_corpus_gives_empty_tables_with_their_columns():
    empty = pd.DataFrame({"doc_id": pd.Series(dtype=str), "text_clean": pd.Series(dtype=str)})
    assert list(sections(empty).columns) == workreport.SECTION_COLUMNS
    assert list(extract_targets(empty).columns) == workreport.TARGET_COLUMNS


def test_chinese_numerals_are_read_like_digits():
    assert [parse_number(text) for text in ["九", "十", "十五", "七点五", "三千九百二十", "一万零五百", "34,250", "4 9 2 5 0"]] == [
        9.0, 10.0, 15.0, 7.5, 3920.0, 10500.0, 34250.0, 49250.0
    ]
    assert parse_number("三亿六千万") == 360_000_000.0
    with pytest.raises(InputError, match="not a number"):
        parse_number("百分之")
    cases = {
        "今年计划国内生产总值增长百分之九。": (9.0, 9.0, ""),
        "今年经济增长速度的宏观调控目标，定为百分之八至九。": (8.0, 9.0, "区间"),
        "今年经济增长预期目标为百分之七点五。": (7.5, 7.5, ""),
        "今年经济增长预期目标为百分之十以上。": (10.0, 10.0, "以上"),
        "今年经济增长预期目标为百分之八到百分之九。": (8.0, 9.0, "区间"),
    }
    for text, expected in cases.items():
        row = extract_targets(text).set_index("indicator_id").loc["gdp_growth"]
        assert (row["low"], row["high"], row["qualifier"]) == expected, text
        assert text[row["start"]:row["end"]] == row["surface"]


def test_gnp_targets_are_never_taken_for_gdp():
    for text in ("今年国民生产总值计划增长百分之八，是留有余地的。", "今年计划要求，国民生产总值增长6%，全社会固定资产投资增长百分之八。"):
        targets = extract_targets(text).set_index("indicator_id")
        assert targets.loc["gnp_growth", "low"] in (8.0, 6.0)
        assert "国民生产总值" in targets.loc["gnp_growth", "indicator"]
        assert targets.loc["gdp_growth", "qualifier"] == workreport.NOT_STATED, "a GNP target is no GDP target"
    both = extract_targets("今年发展主要预期目标是：国内生产总值增长9%，国民生产总值增长8%。").set_index("indicator_id")
    assert (both.loc["gdp_growth", "low"], both.loc["gnp_growth", "low"]) == (9.0, 8.0)


def test_price_targets_keep_the_index_the_report_names():
    text = (
        "今年计划要求，国民生产总值增长百分之六，零售物价上涨幅度控制在百分之六以内。\n"
        "宏观调控的目标是，确保物价上涨幅度比去年有明显回落，力争控制在百分之十五左右。\n"
    )
    targets = extract_targets(text).set_index("indicator_id")
    assert (targets.loc["retail_prices", "low"], targets.loc["retail_prices", "qualifier"]) == (6.0, "以内")
    assert (targets.loc["prices", "low"], targets.loc["prices", "qualifier"]) == (15.0, "左右")
    assert "cpi" not in targets.index


def test_next_years_plan_is_dated_to_next_year_and_past_plans_are_skipped():
    # The 1980 report lists the plan for 1981; the 1981 report states 1982's.
    text = (
        "二、1981年国民经济计划的任务和主要指标\n根据上述要求，1981年国民经济计划主要指标安排如下。\n"
        "工农业总产值，比1980年预计增长5.5%，其中，农业总产值增长4%。\n农业，粮食产量34,250万吨，比1980年预计增加1,000万吨。\n"
        "三、其他\n工农业总产值的增长速度，1979年计划为百分之八，实际达到百分之八点五。\n"
    )
    targets = extract_targets(_doc(text, date="1980-08-30")).set_index("indicator_id")
    assert targets.loc["output_growth", ["low", "target_year", "year"]].tolist() == [5.5, 1981, 1980]
    assert targets.loc["grain_output", ["low", "unit", "target_year"]].tolist() == [6850.0, "亿斤", 1981]
    wide = workreport.targets_by_year(extract_targets(_doc(text, date="1980-08-30")))
    assert wide.loc[0, "output_growth"] == "5.5% (for 1981)"
    plan = "1982年的计划，要求工农业总产值的增长速度由今年预计的3%提高到4%。国民收入也安排为比今年增长4%左右。"
    targets = extract_targets(_doc(plan, date="1981-11-30")).set_index("indicator_id")
    assert targets.loc["output_growth", ["low", "target_year"]].tolist() == [4.0, 1982]
    assert targets.loc["national_income_growth", ["low", "qualifier", "target_year"]].tolist() == [4.0, "左右", 1982]
    # A plan of an earlier year, or an increase rather than a level, is no target.
    past = "一九五八年计划工农业总产值增长百分之十。今年计划粮食产量增加三千亿斤。"
    assert set(extract_targets(_doc(past, date="1959-04-18"))["indicator_id"]) <= {"gdp_growth"}


def test_a_document_titled_a_work_report_is_a_report_even_without_sections():
    corpus = pd.DataFrame({
        "doc_id": ["r2002", "resolution", "news"],
        "title": ["2002年中华人民共和国国务院政府工作报告", "第九届全国人民代表大会第五次会议关于政府工作报告的决议", "新闻"],
        "text_clean": ["各位代表：今年要继续扩大内需。", "会议批准政府工作报告。", "今天召开会议。"],
        "date": pd.to_datetime(["2002-03-05"] * 3),
    })
    targets = extract_targets(corpus)
    assert targets["doc_id"].tolist() == ["r2002"]
    assert targets.loc[0, "qualifier"] == workreport.NOT_STATED


# --------------------------------------------------------------------------
# The government work reports 1954-2025 (skipped without the shared corpus)


@pytest.fixture(scope="module")
def reports(gov_reports_path):
    corpus = load_corpus(gov_reports_path)
    # The NPC's resolutions approving a report are in the file too; they are not reports.
    corpus = corpus[corpus["doc_type"] != "procedural"].copy()
    corpus["year"] = corpus["date"].dt.year
    return corpus


@pytest.fixture(scope="module")
def report_targets(reports):
    return extract_targets(reports)


@pytest.fixture(scope="module")
def gold():
    return pd.read_csv(GOLD_PATH, comment="#", keep_default_na=False, dtype={"qualifier": str, "unit": str})


def _keyed(table):
    return {
        (int(row.year), row.indicator_id): (int(row.target_year), float(row.low), float(row.high), row.unit, row.qualifier)
        for row in table.itertuples()
    }


# What the gold table was read for (its header says how): every indicator from 1978 to 2003
# and from 2015; GDP alone 2004-2014; the headline aggregates alone before 1978.
_AGGREGATES = {"gdp_growth", "gnp_growth", "output_growth", "national_income_growth"}


def _read_for(year: int, indicator_id: str) -> bool:
    if 1978 <= year <= 2003 or year >= 2015:
        return True
    if 2004 <= year <= 2014:
        return indicator_id == "gdp_growth"
    return indicator_id in _AGGREGATES


def test_every_report_from_2004_on_has_its_gdp_target(reports, report_targets, gold):
    gold_gdp = gold[(gold["indicator_id"] == "gdp_growth") & (gold["year"] >= 2004)]
    years = sorted(int(year) for year in reports["year"] if year >= 2004)
    assert years == sorted(gold_gdp["year"]), "the gold table must cover every report from 2004 on"
    found = report_targets[(report_targets["indicator_id"] == "gdp_growth") & (report_targets["year"] >= 2004)]
    assert found["year"].is_unique
    assert _keyed(found) == _keyed(gold_gdp)
    assert found["indicator"].str.contains("国内生产总值|GDP").all()


def test_targets_match_the_gold_table_indicator_by_indicator(report_targets, gold):
    valued = report_targets[report_targets["low"].notna()]
    found = valued[[_read_for(int(year), indicator) for year, indicator in zip(valued["year"], valued["indicator_id"])]]
    assert set(gold["indicator_id"]) <= set(workreport.INDICATORS)
    assert all(_read_for(int(row.year), row.indicator_id) for row in gold.itertuples()), "a gold row outside what was read"
    # The new rows of 1956-2003 are part of it, and so is every indicator but those no report before 2025 sets.
    assert {1956, 1980, 1981, 1992, 1993, 1994, 1995, 1998} <= set(gold["year"])
    assert set(gold["indicator_id"]) == set(workreport.INDICATORS)
    for indicator in sorted(set(gold["indicator_id"]) | set(found["indicator_id"])):
        expected = _keyed(gold[gold["indicator_id"] == indicator])
        extracted = _keyed(found[found["indicator_id"] == indicator])
        wrong = {key: (value, expected.get(key)) for key, value in extracted.items() if expected.get(key) != value}
        missed = sorted(set(expected) - set(extracted))
        assert not wrong, f"{indicator}: precision below 1.0, extracted (value, gold): {wrong}"
        assert not missed, f"{indicator}: recall below 1.0, missed {missed}"


def test_every_report_gets_a_growth_row_and_2000_to_2002_state_no_annual_target(reports, report_targets):
    gdp = report_targets[report_targets["indicator_id"] == "gdp_growth"]
    assert sorted(gdp["doc_id"]) == sorted(reports["doc_id"]), "every report, 2002 included, has a GDP row"
    by_year = gdp.set_index("year")
    for year in (2000, 2001, 2002):
        assert by_year.loc[year, "qualifier"] == workreport.NOT_STATED, year
    # 2001 sets the tenth plan's average (“十五”期间年均经济增长速度预期目标为7％左右), no annual target.
    text_2001 = reports.set_index("year").loc[2001, "text_clean"]
    assert "“十五”期间年均经济增长速度预期目标为7%左右" in text_2001
    assert report_targets[(report_targets["year"] == 2001) & report_targets["low"].notna()].empty
    # Up to 1993 the headline target is GNP, and it is never read as GDP.
    assert by_year.loc[1992, "qualifier"] == by_year.loc[1993, "qualifier"] == workreport.NOT_STATED
    assert (report_targets.loc[report_targets["indicator_id"] == "gdp_growth", "surface"].str.contains("国民生产总值")).sum() == 0


def test_the_report_offsets_and_sentences_point_at_the_targets(reports, report_targets):
    texts = reports.set_index("doc_id")["text_clean"]
    valued = report_targets[report_targets["low"].notna()]
    for row in valued.itertuples():
        text = texts[row.doc_id]
        assert text[row.start:row.end] == row.surface
        assert row.surface in row.sentence


# The level-1 headings of each type in the reports of 2015-2025, as printed; a
# "lead-in of X" is the head of section X, where 2016, 2021 and 2023 state their targets.
EXPECTED_HEADINGS = {
    2015: {"review": ["2014年工作回顾"], "targets": ["2015年工作总体部署"],
           "tasks": ["把改革开放扎实推向纵深", "协调推动经济稳定增长和结构优化", "持续推进民生改善和社会建设"]},
    2016: {"review": ["2015年工作回顾"], "targets": ["“十三五”时期主要目标任务和重大举措", "lead-in of 2016年重点工作"],
           "tasks": ["2016年重点工作"]},
    2017: {"review": ["2016年工作回顾"], "targets": ["2017年工作总体部署"], "tasks": ["2017年重点工作任务"]},
    2018: {"review": ["过去五年工作回顾"], "targets": ["2018年经济社会发展总体要求和政策取向"], "tasks": ["对2018年政府工作的建议"]},
    2019: {"review": ["2018年工作回顾"], "targets": ["2019年经济社会发展总体要求和政策取向"], "tasks": ["2019年政府工作任务"]},
    2021: {"review": ["2020年工作回顾"],
           "targets": ["“十三五”时期发展成就和“十四五”时期主要目标任务", "lead-in of 2021年重点工作"],
           "tasks": ["2021年重点工作"]},
    2022: {"review": ["2021年工作回顾"], "targets": ["2022年经济社会发展总体要求和政策取向"], "tasks": ["2022年政府工作任务"]},
    2023: {"review": ["过去一年和五年工作回顾"], "targets": ["lead-in of 对今年政府工作的建议"], "tasks": ["对今年政府工作的建议"]},
    2024: {"review": ["2023年工作回顾"], "targets": ["2024年经济社会发展总体要求和政策取向"], "tasks": ["2024年政府工作任务"]},
    2025: {"review": ["2024年工作回顾"], "targets": ["2025年经济社会发展总体要求和政策取向"], "tasks": ["2025年政府工作任务"]},
}


def test_the_2015_to_2025_reports_split_into_review_targets_and_tasks(reports, report_targets):
    table = sections(reports)
    years = reports.set_index("doc_id")["year"]
    table["year"] = table["doc_id"].map(years)
    assert sorted(table.loc[table["year"] >= 2015, "year"].unique()) == sorted(EXPECTED_HEADINGS)
    for year, expected in EXPECTED_HEADINGS.items():
        rows = table[table["year"] == year]
        headings = rows.set_index("section_id")["heading"]
        types = rows.set_index("section_id")["section_type"]
        found = {}
        for row in rows[rows["part"].isin(["section", "lead_in"])].itertuples():
            if row.part == "lead_in" and row.section_type == types[row.parent_id]:
                continue  # an ordinary lead-in, of its section's type
            name = row.heading if row.part == "section" else f"lead-in of {headings[row.parent_id]}"
            found.setdefault(row.section_type, []).append(name)
        for kind in ("review", "targets", "tasks"):
            assert found.get(kind) == expected[kind], (year, kind, found.get(kind))
    # Each year's GDP target sits in a part typed targets.
    gdp = report_targets[(report_targets["indicator_id"] == "gdp_growth") & (report_targets["year"] >= 2015)]
    assert (assign_sections(gdp, table)["section_type"] == "targets").all()


def test_resolutions_and_other_documents_get_no_rows(gov_reports_path):
    corpus = load_corpus(gov_reports_path)
    resolutions = corpus[corpus["doc_type"] == "procedural"]
    assert len(resolutions) > 0
    assert extract_targets(resolutions).empty
    assert sections(resolutions).empty
