"""Tests for the slogan lexicon: the shipped data/lexicon/slogans.yaml and its loader."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from analysis import config
from analysis.lexicon import CATEGORIES as LEXICON_CATEGORIES
from analysis.lexicon import LEVELS, LexiconError, load_lexicon, surface_forms

# Categories documented in data/lexicon/README.md.
CATEGORIES = {
    "economy",
    "epidemic",
    "party building",
    "ideology",
    "development strategy",
    "regional development",
    "poverty",
    "governance",
    "ecology",
    "social policy",
    "foreign affairs",
    "cross-strait relations",
}

REQUIRED_CANONICAL = [
    "六稳", "六保", "四个意识", "四个自信", "两个维护", "两个确立", "三大攻坚战", "放管服",
    "三去一降一补", "五位一体", "四个全面", "新发展理念", "新发展格局", "供给侧结构性改革",
    "稳中求进", "以保促稳", "精准扶贫", "脱贫攻坚", "乡村振兴", "共同富裕", "高质量发展",
    "一带一路", "八项规定", "中部地区崛起", "黄河流域生态保护和高质量发展", "以人民为中心",
    "人民至上", "国家中心城市", "疫情防控", "复工复产", "联防联控", "群防群控",
    "外防输入、内防反弹", "控保稳进抬扛", "西美", "四梁八柱",
    # Before 1985 (issue 11).
    "四个现代化", "改革开放", "四项基本原则", "总路线", "大跃进", "人民公社", "以阶级斗争为纲",
    "两个凡是", "调整、巩固、充实、提高", "实事求是", "解放思想", "一个中心、两个基本点",
    "社会主义初级阶段", "有计划的商品经济", "社会主义市场经济", "百花齐放、百家争鸣", "多快好省",
    "鼓足干劲、力争上游", "三大改造", "第一个五年计划", "农业学大寨", "工业学大庆", "拨乱反正",
    "对外开放", "家庭联产承包责任制", "一国两制", "科教兴国", "可持续发展", "西部大开发",
    "三个代表", "科学发展观", "和谐社会",
    # 2021–2026 (issue 11).
    "十四五", "十五五", "新质生产力", "因地制宜发展新质生产力", "两重", "两新", "以旧换新",
    "投资于人", "人工智能+", "全国统一大市场", "现代化产业体系", "未来产业", "低空经济", "提振消费",
    "高效办成一件事", "好房子", "保交房", "“内卷式”竞争", "五篇大文章", "一老一小", "三保",
    "千万工程", "枫桥经验", "两个毫不动摇", "五个必须", "中华民族共同体意识", "高水平科技自立自强",
    "稳就业、稳企业、稳市场、稳预期",
]

# Two-character forms reviewed as unambiguous without a context rule (the README's rule).
SHORT_WITHOUT_RULES = {"三农", "六保", "大众创业、万众创新", "碳达峰碳中和"}

# Written out by hand from the published enumerations (2019 and 2023 government work reports).
LIUWEN_COMPONENTS = ["稳就业", "稳金融", "稳外贸", "稳外资", "稳投资", "稳预期"]
LIUBAO_COMPONENTS = [
    "保居民就业", "保基本民生", "保市场主体", "保粮食能源安全", "保产业链供应链稳定", "保基层运转",
]

ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


def entry(lexicon, canonical):
    rows = lexicon[lexicon["canonical"] == canonical]
    assert len(rows) == 1, f"expected one entry for {canonical}, found {len(rows)}"
    return rows.iloc[0]


def component_texts(row):
    return [component["text"] for component in row["components"]]


# --------------------------------------------------------------- shipped file


def test_shipped_file_loads_with_version(lexicon):
    assert re.fullmatch(r"\d{4}\.\d{2}\.\d{2}", lexicon.attrs["version"])
    assert Path(lexicon.attrs["path"]) == config.LEXICON_DIR / "slogans.yaml"
    assert len(lexicon.attrs["sha256"]) == 64


def test_has_at_least_two_hundred_entries(lexicon):
    assert len(lexicon) >= 200


def test_categories_documented_in_readme_are_the_loader_vocabulary():
    assert set(LEXICON_CATEGORIES) == CATEGORIES


def test_entries_span_1954_to_2026(lexicon):
    """Every decade from the 1950s has an entry dated or attested in it (note or introduced)."""
    years = set()
    for row in lexicon.itertuples():
        text = f"{row.introduced_date or ''} {row.note}"
        years |= {int(y) for y in re.findall(r"(?<!\d)(19[5-9]\d|20[0-2]\d)(?!\d)", text)}
    for decade in range(1950, 2030, 10):
        assert any(decade <= year < decade + 10 for year in years), decade
    assert max(years) >= 2025


def test_ids_are_unique_lowercase_ascii(lexicon):
    assert lexicon["id"].is_unique
    for entry_id in lexicon["id"]:
        assert re.fullmatch(r"[a-z0-9_]+", entry_id), entry_id


@pytest.mark.parametrize("canonical", REQUIRED_CANONICAL)
def test_required_slogan_present(lexicon, canonical):
    assert canonical in set(lexicon["canonical"])


def test_every_entry_has_level_and_category(lexicon):
    assert set(lexicon["level"]) <= set(LEVELS)
    assert lexicon["level"].notna().all()
    unknown = set(lexicon["category"]) - CATEGORIES
    assert not unknown, f"categories not documented in data/lexicon/README.md: {unknown}"


def test_local_entries_name_their_region(lexicon):
    local = lexicon[lexicon["level"].isin(["provincial", "municipal"])]
    assert len(local) > 0
    for row in local.itertuples():
        assert pd.notna(row.region) and row.region, f"{row.id} is {row.level} but has no region"


def test_central_entries_have_no_region(lexicon):
    central = lexicon[lexicon["level"] == "central"]
    assert len(central) > 0
    assert central["region"].isna().all()


def test_related_ids_exist_and_are_not_self(lexicon):
    known = set(lexicon["id"])
    for row in lexicon.itertuples():
        assert set(row.related) <= known, row.id
        assert row.id not in row.related, row.id


def test_every_entry_has_a_reviewed_note(lexicon):
    for row in lexicon.itertuples():
        assert pd.notna(row.note) and len(row.note) > 40, f"{row.id} has no real note"
        assert "to be checked" not in row.note, f"{row.id} still carries the starter note"


def test_introduced_dates_are_iso_and_real(lexicon):
    for row in lexicon.itertuples():
        if pd.isna(row.introduced_date):
            continue
        assert ISO_DATE.match(row.introduced_date), f"{row.id}: {row.introduced_date!r}"
        parts = [int(p) for p in row.introduced_date.split("-")]
        dt.date(parts[0], *(parts[1:] + [1] * (3 - len(parts))))  # raises on month 13 etc.
        # Some slogans the People's Republic adopted were first stated by the Party before 1949
        # (实事求是 as a Party line, 1941; 毛泽东思想, 1943).
        assert 1921 <= parts[0] <= 2026, row.id


def _dated_later_than_the_corpus(lexicon, path, *, by_year: bool) -> list[str]:
    """Entries whose first-use or earliest-use date is later than the first document of the
    corpus that names them (by the tagger, so that a context rule's other senses do not count,
    and only by name: a list can be printed before it is named, as the five 建设 of 五位一体
    are in the 2009 report and the name is of 2012)."""
    import warnings

    from analysis.corpus import load_corpus
    from analysis.slogans import NAME_FORMS, tag_slogans

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = load_corpus(path)
    mentions = tag_slogans(corpus, lexicon=lexicon)
    mentions = mentions[mentions["form"].isin(NAME_FORMS)]
    dates = pd.to_datetime(corpus.set_index("doc_id")["date"])
    first = mentions.assign(date=dates.loc[mentions["doc_id"]].to_numpy()).groupby("slogan_id")["date"].min()
    late = []
    for row in lexicon.itertuples():
        for kind, date in (("introduced", row.introduced_date), ("attested", row.attested_date)):
            if pd.isna(date) or row.id not in first.index:
                continue
            stated = int(date[:4]) if by_year else pd.Timestamp(date + "-01" * (2 - date.count("-")))
            printed = first[row.id].year if by_year else first[row.id]
            if stated > printed:
                late.append(f"{row.id}: {kind} {date}, in {path.name} on {first[row.id]:%Y-%m-%d}")
    return late


@pytest.mark.slow
def test_no_entry_is_introduced_after_a_report_prints_it(lexicon, gov_reports_path):
    """A first-use or earliest-use date later than a government work report that names the
    slogan is wrong. The report of year Y is read in the spring of Y, and the corpus dates it
    by the year only, so the first use is in Y or before."""
    late = _dated_later_than_the_corpus(lexicon, gov_reports_path, by_year=True)
    assert not late, "\n".join(late)


@pytest.mark.slow
def test_no_entry_is_introduced_after_the_news_names_it(lexicon, cctv_news_path):
    """The same to the day on the CCTV news of 2022 (全球文明倡议 of 2023-03-15 may not be
    named in 2022, nor 提振消费 before the broadcast its earliest use is dated by)."""
    late = _dated_later_than_the_corpus(lexicon, cctv_news_path, by_year=False)
    assert not late, "\n".join(late)


def test_every_entry_has_a_first_use_or_its_earliest_use_in_print(lexicon):
    """Issue 11: every entry has its first statement (introduced) or, where no source says
    where it was first stated, the earliest use found in print (attested), each with its source."""
    for row in lexicon.itertuples():
        dated = [(d, s) for d, s in ((row.introduced_date, row.introduced_source), (row.attested_date, row.attested_source)) if d]
        assert dated, f"{row.id} has neither introduced nor attested"
        assert all(source for _, source in dated), row.id


def test_dated_entries_name_a_source(lexicon):
    for row in lexicon.itertuples():
        if pd.notna(row.introduced_date):
            assert pd.notna(row.introduced_source), f"{row.id} has a date but no source"


def test_no_surface_form_is_shared_between_entries(lexicon):
    owner: dict[str, str] = {}
    for row in lexicon.itertuples():
        for form in [row.canonical, *row.aliases]:
            assert form not in owner, f"{form!r} belongs to {owner[form]} and {row.id}"
            owner[form] = row.id


def test_aliases_differ_from_their_canonical(lexicon):
    for row in lexicon.itertuples():
        assert row.canonical not in row.aliases, row.id
        assert len(set(row.aliases)) == len(row.aliases), row.id


def test_no_surface_form_has_whitespace(lexicon):
    for form in surface_forms(lexicon):
        assert form and not re.search(r"\s", form), repr(form)


def test_xiangcun_quanmian_zhenxing_counts_as_xiangcun_zhenxing(lexicon):
    assert "乡村全面振兴" in entry(lexicon, "乡村振兴")["aliases"]


def test_siwen_is_its_own_formula(lexicon):
    row = entry(lexicon, "稳就业、稳企业、稳市场、稳预期")
    assert component_texts(row) == ["稳就业", "稳企业", "稳市场", "稳预期"]
    assert row["introduced_date"] == "2025-04-25"
    assert row["id"] != entry(lexicon, "六稳")["id"]


def test_liangshan_is_a_guarded_alias(lexicon):
    row = entry(lexicon, "绿水青山就是金山银山")
    assert "两山" in row["aliases"]
    assert row["valid_from"] == "2005-08" and "之间" in row["not_after"]


def test_local_levels_use_the_package_vocabulary(lexicon):
    assert set(lexicon["level"]) >= {"central", "provincial", "municipal", "county"}


def test_liuwen_components_as_published(lexicon):
    assert component_texts(entry(lexicon, "六稳")) == LIUWEN_COMPONENTS


def test_liubao_components_as_published(lexicon):
    row = entry(lexicon, "六保")
    assert component_texts(row) == LIUBAO_COMPONENTS
    aliases = {c["text"]: c["aliases"] for c in row["components"]}
    assert aliases["保居民就业"] == ["保就业"]
    assert aliases["保基本民生"] == ["保民生"]


def test_liuwen_and_liubao_dates(lexicon):
    assert entry(lexicon, "六稳")["introduced_date"] == "2018-07-31"
    assert entry(lexicon, "六保")["introduced_date"] == "2020-04-17"


@pytest.mark.parametrize(
    "canonical, components",
    [
        ("四个意识", ["政治意识", "大局意识", "核心意识", "看齐意识"]),
        ("四个自信", ["道路自信", "理论自信", "制度自信", "文化自信"]),
        ("五位一体", ["经济建设", "政治建设", "文化建设", "社会建设", "生态文明建设"]),
        ("四个全面", ["全面建成小康社会", "全面深化改革", "全面依法治国", "全面从严治党"]),
        ("三大攻坚战", ["防范化解重大风险", "精准脱贫", "污染防治"]),
        ("三去一降一补", ["去产能", "去库存", "去杠杆", "降成本", "补短板"]),
        ("新发展理念", ["创新", "协调", "绿色", "开放", "共享"]),
        ("放管服", ["简政放权", "放管结合", "优化服务"]),
    ],
)
def test_numbered_formulas_components(lexicon, canonical, components):
    assert component_texts(entry(lexicon, canonical)) == components


def test_two_part_formulas_have_two_components(lexicon):
    for canonical in ["两个维护", "两个确立", "两个一百年"]:
        assert len(entry(lexicon, canonical)["components"]) == 2, canonical


def test_kongbaowenjintaikang_is_zhengzhou_and_single_characters(lexicon):
    row = entry(lexicon, "控保稳进抬扛")
    assert (row["level"], row["region"]) == ("municipal", "郑州市")
    assert component_texts(row) == ["控", "保", "稳", "进", "抬", "扛"]
    assert "控、保、稳、进、抬、扛" in row["aliases"]


def test_ximei_relates_to_zhengzhou_layout_formula(lexicon):
    layout = entry(lexicon, "东强、南动、西美、北静、中优、外联")
    assert layout["region"] == "郑州市"
    assert component_texts(layout) == ["东强", "南动", "西美", "北静", "中优", "外联"]
    ximei = entry(lexicon, "西美")
    assert layout["id"] in ximei["related"]
    assert ximei["region"] == "郑州市"


def test_sitiaobazhu_is_zhengzhou_with_national_usage_noted(lexicon):
    row = entry(lexicon, "四梁八柱")
    assert row["region"] == "郑州市"
    assert "nationally" in row["note"]


def test_punctuated_slogan_keeps_its_comma_and_has_plain_alias(lexicon):
    row = entry(lexicon, "外防输入、内防反弹")
    assert "外防输入内防反弹" in row["aliases"]
    assert component_texts(row) == ["外防输入", "内防反弹"]


def test_surface_forms_include_component_aliases(lexicon):
    forms = surface_forms(lexicon)
    for form in ["六保", "保居民就业", "保就业", "供给侧改革", "双碳"]:
        assert form in forms
    assert len(forms) == len(set(forms))


# ------------------------------------------------------------------ loader errors


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "lexicon.yaml"
    path.write_text(text, encoding="utf-8")
    return path


VALID_ENTRY = "  - {id: alpha, canonical: 甲, level: central, note: n}\n"


def test_loader_accepts_minimal_file(tmp_path):
    frame = load_lexicon(write(tmp_path, 'version: "1"\nentries:\n' + VALID_ENTRY))
    assert frame["id"].tolist() == ["alpha"]
    assert frame.attrs["version"] == "1"


def test_loader_rejects_missing_id(tmp_path):
    path = write(tmp_path, "entries:\n" + VALID_ENTRY + "  - {canonical: 乙}\n")
    with pytest.raises(LexiconError) as error:
        load_lexicon(path)
    assert str(path) in str(error.value)
    assert "entry 2" in str(error.value)
    assert "'id'" in str(error.value)


def test_loader_rejects_duplicate_id(tmp_path):
    path = write(tmp_path, "entries:\n" + VALID_ENTRY + VALID_ENTRY.replace("甲", "乙"))
    with pytest.raises(LexiconError) as error:
        load_lexicon(path)
    assert str(path) in str(error.value)
    assert "alpha" in str(error.value)


def test_loader_rejects_unknown_related_id(tmp_path):
    path = write(
        tmp_path,
        "entries:\n" + VALID_ENTRY + "  - {id: beta, canonical: 乙, related: [gamma]}\n",
    )
    with pytest.raises(LexiconError) as error:
        load_lexicon(path)
    assert str(path) in str(error.value)
    assert "beta" in str(error.value) and "gamma" in str(error.value)


def test_loader_rejects_bad_level(tmp_path):
    path = write(tmp_path, "entries:\n  - {id: delta, canonical: 丁, level: national}\n")
    with pytest.raises(LexiconError) as error:
        load_lexicon(path)
    assert str(path) in str(error.value)
    assert "delta" in str(error.value) and "national" in str(error.value)


def test_loader_rejects_python_object_tags(tmp_path):
    marker = tmp_path / "created_by_yaml"
    path = write(
        tmp_path,
        f"entries:\n  - !!python/object/apply:os.mkdir ['{marker.as_posix()}']\n",
    )
    with pytest.raises(LexiconError) as error:
        load_lexicon(path)
    assert str(path) in str(error.value)
    assert not marker.exists(), "the YAML tag was executed: the loader is not safe_load"


def test_loader_rejects_file_without_entries_list(tmp_path):
    path = write(tmp_path, "version: '1'\n")
    with pytest.raises(LexiconError, match=re.escape(str(path))):
        load_lexicon(path)


def test_levels_are_the_package_vocabulary():
    assert LEVELS == config.LEVELS
    assert "national" not in LEVELS


def schema_error(tmp_path: Path, entries: str) -> str:
    """The message load_lexicon gives for a file whose entries are ``entries``."""
    path = write(tmp_path, 'version: "1"\nentries:\n' + entries)
    with pytest.raises(LexiconError) as error:
        load_lexicon(path)
    message = str(error.value)
    assert str(path) in message
    return message


def test_schema_string_where_a_list_is_expected(tmp_path):
    message = schema_error(
        tmp_path, VALID_ENTRY + "  - id: beta\n    canonical: 乙\n    aliases: 乙乙\n"
    )
    assert "'beta'" in message and "line 6" in message
    assert "aliases" in message and "expected a list" in message


def test_schema_component_aliases_must_be_a_list(tmp_path):
    message = schema_error(
        tmp_path,
        "  - id: beta\n    canonical: 乙\n    components:\n      - {text: 稳就业, aliases: 就业}\n",
    )
    assert "'beta'" in message and "line 6" in message and "expected a list" in message


def test_schema_duplicate_surface_form_across_entries(tmp_path):
    message = schema_error(
        tmp_path,
        VALID_ENTRY + "  - id: beta\n    canonical: 乙\n    aliases: [丙, 甲]\n",
    )
    assert "'beta'" in message and "line 4" in message
    assert "'甲'" in message and "'alpha'" in message and "line 3" in message


def test_schema_alias_repeating_its_own_canonical(tmp_path):
    message = schema_error(tmp_path, "  - {id: beta, canonical: 乙, aliases: [乙]}\n")
    assert "'beta'" in message and "'乙'" in message


@pytest.mark.parametrize(
    "value, reading",
    [("no", "boolean"), ("on", "boolean"), ("Yes", "boolean"), ("1e3", "number"),
     ("3", "integer"), ("0x1F", "integer")],
)  # fmt: skip
def test_schema_yaml_11_coercions_are_errors(tmp_path, value, reading):
    message = schema_error(tmp_path, f"  - id: beta\n    canonical: 乙\n    aliases: [{value}]\n")
    assert "'beta'" in message and "line 5" in message
    assert repr(value) in message and reading in message and "quotes" in message


def test_schema_unquoted_date_is_an_error(tmp_path):
    message = schema_error(
        tmp_path, "  - id: beta\n    canonical: 乙\n    introduced: {date: 2018-07-31, source: 会议}\n"
    )
    assert "'beta'" in message and "line 5" in message and "date" in message and "quotes" in message


def test_schema_quoted_values_are_text(tmp_path):
    path = write(
        tmp_path,
        'entries:\n  - id: beta\n    canonical: "no"\n    aliases: ["1e3", "on"]\n'
        '    introduced: {date: "2018-07-31", source: 会议}\n',
    )
    row = load_lexicon(path).iloc[0]
    assert (row["canonical"], row["aliases"], row["introduced_date"]) == ("no", ["1e3", "on"], "2018-07-31")


@pytest.mark.parametrize("key", ["alias", "Level", "context_rules"])
def test_schema_unknown_entry_key(tmp_path, key):
    message = schema_error(tmp_path, f"  - id: beta\n    canonical: 乙\n    {key}: x\n")
    assert "'beta'" in message and "line 5" in message and f"unknown key '{key}'" in message


def test_schema_unknown_key_in_introduced_and_components(tmp_path):
    message = schema_error(
        tmp_path, "  - id: beta\n    canonical: 乙\n    introduced: {date: '2018', by: 会议}\n"
    )
    assert "'beta'" in message and "unknown key 'by'" in message
    message = schema_error(
        tmp_path, "  - id: beta\n    canonical: 乙\n    components: [{txt: 稳}]\n"
    )
    assert "'beta'" in message and "unknown key 'txt'" in message


def test_schema_key_given_twice(tmp_path):
    message = schema_error(tmp_path, "  - id: beta\n    canonical: 乙\n    canonical: 丙\n")
    assert "'beta'" in message and "line 5" in message and "twice" in message


def test_schema_unknown_top_level_key(tmp_path):
    message = schema_error(tmp_path, VALID_ENTRY + "entires: []\n")
    assert "unknown key 'entires'" in message


def test_schema_bad_category(tmp_path):
    message = schema_error(tmp_path, "  - {id: beta, canonical: 乙, category: economics}\n")
    assert "'beta'" in message and "line 3" in message and "'economics'" in message


def test_schema_local_entry_needs_region_and_central_has_none(tmp_path):
    message = schema_error(tmp_path, "  - {id: beta, canonical: 乙, level: municipal}\n")
    assert "'beta'" in message and "region" in message
    message = schema_error(tmp_path, "  - {id: beta, canonical: 乙, level: central, region: 郑州市}\n")
    assert "'beta'" in message and "region" in message


@pytest.mark.parametrize("date", ["2018/07/31", "2018-7-31", "2018-13", "2019-02-29", "July 2018"])
def test_schema_bad_date_format(tmp_path, date):
    message = schema_error(
        tmp_path, f"  - id: beta\n    canonical: 乙\n    introduced: {{date: '{date}', source: 会议}}\n"
    )
    assert "'beta'" in message and "line 5" in message and repr(date) in message


def test_schema_date_without_source(tmp_path):
    message = schema_error(
        tmp_path, "  - id: beta\n    canonical: 乙\n    introduced: {date: '2018', source: ''}\n"
    )
    assert "'beta'" in message and "source" in message


def test_schema_attested_is_read_and_checked_like_introduced(tmp_path):
    path = write(tmp_path, "entries:\n  - id: beta\n    canonical: 乙\n    attested: {date: '1988', source: 1988年政府工作报告}\n")
    row = load_lexicon(path).iloc[0]
    assert (row["attested_date"], row["attested_source"], row["introduced_date"]) == ("1988", "1988年政府工作报告", None)
    message = schema_error(tmp_path, "  - id: beta\n    canonical: 乙\n    attested: {date: '1988', source: ''}\n")
    assert "'beta'" in message and "attested.date is given without a source" in message
    message = schema_error(tmp_path, "  - id: beta\n    canonical: 乙\n    attested: {date: '1988-13', source: 报}\n")
    assert "'beta'" in message and "'1988-13'" in message
    message = schema_error(tmp_path, "  - id: beta\n    canonical: 乙\n    attested: {year: '1988'}\n")
    assert "unknown key 'year'" in message


def test_schema_attested_before_the_first_statement_is_a_contradiction(tmp_path):
    message = schema_error(
        tmp_path,
        "  - id: beta\n    canonical: 乙\n    introduced: {date: '1990-05', source: 会议}\n"
        "    attested: {date: '1989', source: 报}\n",
    )
    assert "'beta'" in message and "attested.date 1989 is before introduced.date 1990-05" in message
    path = write(
        tmp_path,
        "entries:\n  - id: beta\n    canonical: 乙\n    introduced: {date: '1990-05', source: 会议}\n"
        "    attested: {date: '1990', source: 报}\n",
    )
    assert load_lexicon(path).iloc[0]["attested_date"] == "1990"  # the same year may be later in it


def test_schema_id_must_be_ascii(tmp_path):
    message = schema_error(tmp_path, "  - {id: 六稳, canonical: 六稳}\n")
    assert "'六稳'" in message and "ASCII" in message


# ---------------------------------------------------------------- context rules


def test_context_rules_become_columns(tmp_path):
    path = write(
        tmp_path,
        "entries:\n" + VALID_ENTRY
        + "  - id: beta\n    canonical: 乙\n    context:\n      not_before: [隐患, 家庭]\n"
        "      not_after: [定]\n      from: '2020-01'\n      until: '2022-12-31'\n",
    )  # fmt: skip
    frame = load_lexicon(path).set_index("id")
    assert frame.loc["beta", "not_before"] == ("隐患", "家庭")
    assert frame.loc["beta", "not_after"] == ("定",)
    assert (frame.loc["beta", "valid_from"], frame.loc["beta", "valid_until"]) == ("2020-01", "2022-12-31")
    assert frame.loc["alpha", "not_before"] == () and frame.loc["alpha", "not_after"] == ()
    assert frame.loc["alpha", "valid_from"] is None and frame.loc["alpha", "valid_until"] is None


@pytest.mark.parametrize(
    "context, expected",
    [
        ("{not_after: 定}", "expected a list"),
        ("{not_before: [no]}", "boolean"),
        ("{from: 2020}", "integer"),
        ("{from: '2020-00'}", "'2020-00'"),
        ("{until: '2020', from: '2021-03'}", "after"),
        ("{after: [定]}", "unknown key 'after'"),
        ("[定]", "expected a mapping"),
    ],
)
def test_context_rules_are_checked(tmp_path, context, expected):
    message = schema_error(tmp_path, f"  - id: beta\n    canonical: 乙\n    context: {context}\n")
    assert "'beta'" in message and "line 5" in message and expected in message


def test_context_same_year_bounds_are_consistent(tmp_path):
    path = write(tmp_path, "entries:\n  - {id: beta, canonical: 乙, context: {from: '2020-03', until: '2020'}}\n")
    assert load_lexicon(path).iloc[0]["valid_until"] == "2020"


def test_shipped_context_rules_guard_the_sense_cases(lexicon):
    assert "定" in entry(lexicon, "六稳")["not_after"]
    assert {"隐患", "家庭"} <= set(entry(lexicon, "动态清零")["not_before"])
    lianfang = entry(lexicon, "联防联控")
    assert lianfang["valid_from"] is not None and lianfang["valid_from"] >= "2020"


def test_shipped_short_aliases_are_guarded(lexicon):
    """A compact form or alias of two characters is allowed only with a context rule."""
    for row in lexicon.itertuples():
        short = [form for form in [row.canonical, *row.aliases] if len(form) <= 2]
        if short and row.level == "central" and row.canonical not in SHORT_WITHOUT_RULES:
            assert row.not_before or row.not_after or row.valid_from, (row.id, short)


# ------------------------------------------- checks against the published sources


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


@pytest.mark.slow
def test_liubao_enumeration_matches_2023_report(lexicon, gov_reports_path):
    reports = {r["year"]: r["content"] for r in read_jsonl(gov_reports_path) if r["year"]}
    enumerated = "、".join(component_texts(entry(lexicon, "六保")))
    assert enumerated in reports["2023"]
    assert "保就业保民生保市场主体" in reports["2021"]


@pytest.mark.slow
@pytest.mark.parametrize(
    "canonical, separator, corpus",
    [
        ("六稳", "、", "gov"),
        ("四个意识", "、", "gov"),
        ("五位一体", "、", "gov"),
        ("四个全面", "、", "gov"),
        ("三大攻坚战", "、", "gov"),
        ("三去一降一补", "、", "gov"),
        ("新发展理念", "、", "gov"),
        ("放管服", "、", "gov"),
        ("三农", "、", "gov"),
        ("一带一路", "、", "gov"),
        ("四个自信", "、", "cctv"),
        ("两个维护", "，", "cctv"),
        ("两个确立", "，", "cctv"),
        ("新发展格局", "、", "cctv"),
        ("外防输入、内防反弹", "、", "cctv"),
    ],
)
def test_components_appear_in_published_order(
    lexicon, gov_reports_path, cctv_news_path, canonical, separator, corpus
):
    if corpus == "gov":
        texts = [r["content"] for r in read_jsonl(gov_reports_path)]
    else:
        texts = [r["title"] + "\n" + r["text"] for r in read_jsonl(cctv_news_path)]
    enumerated = separator.join(component_texts(entry(lexicon, canonical)))
    assert any(enumerated in text for text in texts), enumerated


@pytest.mark.slow
def test_seed_page_attests_zhengzhou_forms(lexicon, seed_path):
    text = seed_path.read_text(encoding="utf-8")
    for canonical in ["控保稳进抬扛", "西美", "四梁八柱", "国家中心城市"]:
        assert canonical in text, canonical
    assert "控、保、稳、进、抬、扛" in text


@pytest.mark.slow
def test_work_report_slogan_timeline_has_every_decade(lexicon, gov_reports_path):
    """Issue 11: tagged on the work reports, the lexicon leaves no decade 1950s–2020s empty."""
    import warnings

    from analysis.corpus import load_corpus
    from analysis.slogans import COUNTED_FORMS, tag_slogans

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reports = load_corpus(gov_reports_path)
    mentions = tag_slogans(reports, lexicon=lexicon)
    mentions = mentions[mentions["form"].isin(COUNTED_FORMS)]
    years = pd.to_datetime(reports.set_index("doc_id").loc[mentions["doc_id"], "date"]).dt.year
    per_decade = (years // 10 * 10).value_counts()
    for decade in range(1950, 2030, 10):
        assert per_decade.get(decade, 0) > 0, f"no slogan mention in the {decade}s"
    # Not one slogan carrying a decade: each has at least two different slogans.
    slogans_per_decade = pd.Series(mentions["slogan_id"].to_numpy(), index=(years // 10 * 10).to_numpy())
    for decade in range(1950, 2030, 10):
        assert slogans_per_decade.loc[[decade]].nunique() >= 2, decade


def test_context_rules_pass_through_to_the_tagger_columns(tmp_path):
    path = tmp_path / "lexicon.yaml"
    path.write_text(
        "version: '1'\n"
        "entries:\n"
        "  - id: dongtaiqingling\n"
        "    canonical: 动态清零\n"
        "    context: {not_before: [隐患], not_after: [行动], from: 2021-08, until: '2022-12'}\n"
        "  - id: liuwen\n"
        "    canonical: 六稳\n",
        encoding="utf-8",
    )
    lexicon = load_lexicon(path).set_index("id")
    assert lexicon.loc["dongtaiqingling", "not_before"] == ("隐患",)
    assert lexicon.loc["dongtaiqingling", "not_after"] == ("行动",)
    assert lexicon.loc["dongtaiqingling", ["valid_from", "valid_until"]].tolist() == ["2021-08", "2022-12"]
    assert lexicon.loc["liuwen", "not_before"] == () and pd.isna(lexicon.loc["liuwen", "valid_from"])


def test_shipped_sense_rules(lexicon):
    rules = lexicon.set_index("canonical")
    assert "定" in rules.loc["六稳", "not_after"]
    assert {"隐患", "家庭"} <= set(rules.loc["动态清零", "not_before"])
