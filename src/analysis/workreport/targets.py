"""The quantitative targets a work report sets (国内生产总值增长5%左右 …), read into a table."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..validation import require_columns
from .headings import SENTENCE_STOP
from .numbers import NUMBER, parse_number
from .sectioning import SECTION_COLUMNS, as_corpus, sections

#: Indicator id -> normalised name (the ``indicator`` column of :func:`extract_targets`).
#: GDP and GNP are kept apart: the reports up to 1993 set their growth target on
#: 国民生产总值 (GNP), from 1994 on 国内生产总值 (GDP). The planned economy's
#: headline aggregates, 工农业总产值 (gross value of industrial and agricultural
#: output) and 国民收入 (national income, net material product), are measured
#: differently again and have ids of their own. Prices likewise: 居民消费价格 (CPI,
#: from 2005), 商品零售价格 / 零售物价 (the retail price index of the 1990s), and
#: 物价 where a report names no index (1995).
INDICATORS = {
    "gdp_growth": "GDP growth (国内生产总值增长)",
    "gnp_growth": "GNP growth (国民生产总值增长)",
    "output_growth": "gross industrial and agricultural output growth (工农业总产值增长)",
    "national_income_growth": "national income growth (国民收入增长)",
    "cpi": "CPI increase (居民消费价格涨幅)",
    "retail_prices": "retail price increase (商品零售价格涨幅)",
    "prices": "price increase, no index named (物价涨幅)",
    "urban_jobs": "new urban jobs (城镇新增就业)",
    "surveyed_unemployment": "surveyed urban unemployment (城镇调查失业率)",
    "registered_unemployment": "registered urban unemployment (城镇登记失业率)",
    "deficit_ratio": "deficit ratio (赤字率)",
    "special_bonds": "local government special bonds (地方政府专项债券)",
    "grain_output": "grain output (粮食产量)",
    "energy_intensity": "energy intensity reduction (单位国内生产总值能耗降低)",
}
#: The headline growth target of each era, one series when drawn together.
HEADLINE_GROWTH = ("gdp_growth", "gnp_growth")
TARGET_COLUMNS = [
    "doc_id",
    "year",
    "target_year",
    "indicator_id",
    "indicator",
    "low",
    "high",
    "unit",
    "qualifier",
    "surface",
    "sentence",
    "start",
    "end",
]
#: ``qualifier`` of a GDP row when the report says it sets no growth target.
NO_TARGET = "none"
#: ``qualifier`` of a GDP row when a work report states no growth target that the extractor can read.
NOT_STATED = "not stated"

_RANGE = r"[ \u3000]*(?:-|－|—|–|~|～|至|到)[ \u3000]*"
_SUFFIX = r"[ \u3000]*(?P<suffix>左右|以上|以内|以下|之内)?"
# Between the indicator and its value: a few words without digits or clause breaks
# (控制在, 拟按, 全年控制在, 人数不低于, 要稳定在), and across one comma only when
# the words after it set the value (调控目标，定为百分之八至九; 比去年有明显回落，力争控制在).
_GAP = (
    r"(?P<gap>[^，,；;。！？\d\n]{0,12}?"
    r"(?:[，,](?=定为|确定为|为|力争|争取|控制)[^，,；;。！？\d\n]{0,6}?)?)"
)
# Before 增长 in a growth target: a plan word or the base of comparison, which may
# name a year in digits (比1980年预计增长, 将比一九五八年的二千零五十亿元增长, 计划增长).
_BEFORE_GROWTH = r"(?P<before>[，,]?[^，,；;。！？%％：:\n]{0,20}?)"
_GROWTH = rf"{_BEFORE_GROWTH}(?:增长|增速){_GAP}"
# 由今年预计的3%提高到4% (1981), 从去年的2.1%提高到2.3% (2015): the value after 到.
_FROM_TO = r"[^，,；;。\n]{0,12}?(?:从|由)[^，,；;。\n]{0,12}?(?:提高|下降|降低|调整|上调|下调)到"

_INDICATOR_PATTERNS = {
    # (?<!国民): 国民生产总值 is GNP, and 国民经济增长 (1993) is no GDP figure either.
    # 经济 takes no words before 增长: 经济社会发展的主要预期目标是 is no growth figure.
    "gdp_growth": rf"(?<!国民)(?:(?:(?:国内|地区)?生产总值|GDP){_BEFORE_GROWTH}|经济)(?:增长|增速){_GAP}",
    "gnp_growth": rf"国民生产总值{_GROWTH}",
    "output_growth": rf"(?:工农业|工业农业)(?:生产)?总产值(?:的增长速度{_FROM_TO}|{_GROWTH})",
    "national_income_growth": rf"国民收入{_GROWTH}",
    "cpi": rf"(?:居民消费价格(?:总水平|指数)?(?:涨幅|上涨)|CPI(?:涨幅)?){_GAP}",
    "retail_prices": rf"(?:商品)?零售(?:物价|价格)(?:总水平)?(?:上涨|上升)?(?:涨幅|幅度){_GAP}",
    "prices": rf"(?<!零售)物价(?:总水平)?(?:的)?(?:上涨|上升)?(?:涨幅|幅度){_GAP}",
    "urban_jobs": rf"(?:城镇新增就业|新增城镇就业)(?:人数)?{_GAP}",
    "surveyed_unemployment": rf"(?:城镇)?调查失业率{_GAP}",
    "registered_unemployment": rf"(?:城镇)?登记失业率{_GAP}",
    "deficit_ratio": rf"赤字率(?:{_FROM_TO}|{_GAP})",
    "special_bonds": rf"安排(?:新增)?(?:地方政府|地方)?专项债(?:券)?(?:额度|规模)?{_GAP}",
    "grain_output": rf"粮食(?:总)?产量{_GAP}",
    "energy_intensity": rf"(?:单位(?:国内|地区)?生产总值能耗|单位GDP能耗|能耗强度)(?P<fall>[^，,；;。\d\n]{{0,6}}?(?:降低|下降))",
}
_PERCENT = {"%", "％"}
_INDICATOR_UNITS = {indicator: _PERCENT for indicator in _INDICATOR_PATTERNS} | {
    "urban_jobs": {"万人"},
    "special_bonds": {"万亿元", "亿元"},
    "grain_output": {"万亿斤", "亿斤", "万吨", "亿吨", "亿公斤", "吨", "斤", "公斤"},
}
# Units are normalised so that a series compares across years: money in 亿元, grain in 亿斤.
# Grain also has its bare units, so that 三亿六千万吨 reads as 3.6亿吨 however it is split.
_UNIT_SCALE = {
    "%": ("%", 1.0),
    "％": ("%", 1.0),
    "万人": ("万人", 1.0),
    "万亿元": ("亿元", 10_000.0),
    "亿元": ("亿元", 1.0),
    "万亿斤": ("亿斤", 10_000.0),
    "亿斤": ("亿斤", 1.0),
    "亿吨": ("亿斤", 2_000.0),
    "万吨": ("亿斤", 0.2),
    "亿公斤": ("亿斤", 2.0),
    "吨": ("亿斤", 2e-5),
    "公斤": ("亿斤", 2e-8),
    "斤": ("亿斤", 1e-8),
}


def _value_pattern(units) -> str:
    unit = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
    digits = (
        rf"(?P<low>{NUMBER})[ \u3000]*(?:(?:{unit})[ \u3000]*)?"
        rf"(?:{_RANGE}(?P<high>{NUMBER})[ \u3000]*)?(?P<unit>{unit})"
    )
    if units is _PERCENT:
        # 百分之八至九, 百分之十以上, 百分之七点五: the reports up to 1995.
        digits = rf"百分之(?P<plow>{NUMBER})(?:{_RANGE}(?:百分之)?(?P<phigh>{NUMBER}))?|" + digits
    return rf"(?:{digits}){_SUFFIX}"


_TARGET_RE = {
    indicator: re.compile(pattern + r"[ \u3000]*" + _value_pattern(_INDICATOR_UNITS[indicator]))
    for indicator, pattern in _INDICATOR_PATTERNS.items()
}
# Indicators read outside a target statement, in sentences that look forward.
_FORWARD_INDICATORS = ("retail_prices", "prices", "deficit_ratio", "special_bonds", "grain_output")
_FORWARD_CUE = re.compile(r"今年|本年|拟|安排|把全年")
_YEAR_WORD = r"(?:今年|本年|明年|(?:19|20)\d\d年|一九[五六七八九][〇零一二三四五六七八九]年)"
_STATEMENT_CUE = re.compile(
    # Every alternative below starts with one of these characters: checking one character first halves
    # the time of a scan of the whole corpus.
    r"(?=[预主发增调的今本明12一])(?:"
    r"(?:预期目标|主要目标|发展目标|增长目标|调控目标|的目标|预期)[，,]?(?:是|为|定为|设定为|定在|确定为)[，,：:]?"
    # The plan of a named year (今年计划要求, 今年国民生产总值计划增长, 1981年国民经济计划主要指标安排如下).
    rf"|{_YEAR_WORD}(?:的)?[^，,；;。！？\n]{{0,12}}?计划(?:主要指标)?(?:要求|安排|规定|草案)?"
    r")"
)
_NAMED_YEAR = re.compile(r"((?:19|20)\d\d)年|(一九[五六七八九][〇零一二三四五六七八九])年")
_LIST_FOLLOWS = re.compile(r"如下[。：:]?[ \t\u3000]*$")
_NEXT_HEADING = re.compile(r"\n[ \t\u3000]*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")
_MULTI_YEAR = re.compile(r"今后五年|五年|“十[一二三四五六七八九]?五”|到20\d\d年|年均|平均每年|每年平均")
_PAST = re.compile(r"去年|上年|过去|年均|平均每年|累计|合计|五年|连年|连续|以来|期间|时期")
# Words that make a comparison with last year a plan (将比上年增长14.1%, 比去年有明显回落，力争控制在).
_PLANNED = re.compile(r"将|力争|争取|计划|安排")
_LAST_YEAR_BASE = re.compile(r"比(?:上年|去年)")
# A change is not a level: 粮食产量增加三千亿斤 (1959) says by how much, not to how much.
_CHANGE = re.compile(r"增加|增产|减少|减产")
_PREFIX_QUALIFIERS = ("不低于", "不超过", "不高于", "低于", "高于", "控制在")
_SUFFIX_QUALIFIERS = {"之内": "以内"}
_NO_GDP_TARGET = re.compile(
    r"(?:没有|未|不再|不)(?:提出|设定|设置|设)[^。；\n]{0,12}?(?:经济增速|经济增长|增长速度|GDP|生产总值)[^。；\n]{0,8}?目标"
)
_CLAUSE_BREAK = "，,；;。！？\n："


@dataclass
class _Candidate:
    indicator: str
    rank: int  # 0 annual statement, 1 other statement, 2 forward sentence
    target_year: int | None
    low: float
    high: float
    unit: str
    qualifier: str
    start: int
    end: int


# One search for the nearest end of a sentence on either side of a span, not one per stop character:
# a stop that a report never uses (！) was searched for through the whole rest of the document.
_STOP = re.compile("[" + re.escape(SENTENCE_STOP + "\n") + "]")
# Greedy up to the last stop of the text it is matched on.
_UP_TO_LAST_STOP = re.compile("[\\s\\S]*" + _STOP.pattern)
# Characters looked at first before a span: the sentence's start is nearly always within them.
_NEAR = 512


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    near = max(0, start - _NEAR)
    last = _UP_TO_LAST_STOP.match(text, near, start) or (_UP_TO_LAST_STOP.match(text, 0, near) if near else None)
    left = last.end() if last else 0
    following = _STOP.search(text, end)
    right = following.end() if following else len(text)
    if text[right - 1 : right] == "\n":
        right -= 1
    if left >= 2 and text[left - 1] == "\n" and text[left - 2] in "：:":
        # The list of targets follows its cue's line (主要预期目标是：\n国内生产总值增长8%左右；…).
        left = text.rfind("\n", 0, left - 1) + 1
    return left, right


def _clause_start(text: str, position: int, floor: int) -> int:
    return max([floor] + [text.rfind(stop, floor, position) + 1 for stop in _CLAUSE_BREAK])


def _lead_year(lead: str, year) -> tuple[int | None, int] | None:
    """(target year, rank) of a statement from the words before its cue; None to skip it.

    今年 or the report's own year: this year's targets (rank 0); 明年 or the next
    year by name: next year's plan, which the reports of 1964, 1980 and 1981
    present (rank 0); another year by name: a past plan or a later one (skip);
    no year: a statement of uncertain date (rank 1).
    """
    if _MULTI_YEAR.search(lead):
        return None
    if "今年" in lead or "本年" in lead:
        return year, 0
    if year is None:
        return None, 1
    if "明年" in lead:
        return year + 1, 0
    named = [int(digits or parse_number(spelled)) for digits, spelled in _NAMED_YEAR.findall(lead)]
    if named:
        return (named[-1], 0) if named[-1] in (year, year + 1) else None
    return year, 1


def _statement_blocks(text: str, *, year) -> list[tuple[int, int, int, int | None]]:
    """(start, end, rank, target year) of each target statement: from its cue to the end of its paragraph."""
    blocks = []
    for cue in _STATEMENT_CUE.finditer(text):
        sentence_start, _ = _sentence_bounds(text, cue.start(), cue.start())
        dated = _lead_year(text[sentence_start : cue.end()], year)
        if dated is None:
            continue
        target_year, rank = dated
        end = text.find("\n", cue.end())
        end = len(text) if end == -1 else end
        rest = text[cue.end() : end]
        if not rest.strip(" \t\u3000：:，,"):
            # "主要预期目标是：" closes its line; the targets follow on the next one.
            following = text.find("\n", end + 1)
            end = len(text) if following == -1 else following
        elif _LIST_FOLLOWS.search(rest):
            # "1981年国民经济计划主要指标安排如下。": a list of paragraphs, up to the next heading.
            heading = _NEXT_HEADING.search(text, end)
            end = len(text) if heading is None else heading.start()
        # The indicator may come before the cue (经济增长预期目标为7%左右): start at its clause.
        blocks.append((_clause_start(text, cue.start(), sentence_start), end, rank, target_year))
    return blocks


def _read_value(match: re.Match, indicator: str) -> tuple[float, float, str, str]:
    if "plow" in match.re.groupindex and match.group("plow"):
        low = parse_number(match.group("plow"))
        high = parse_number(match.group("phigh")) if match.group("phigh") else low
        unit = "%"
    else:
        unit, scale = _UNIT_SCALE[match.group("unit")]
        low = parse_number(match.group("low")) * scale
        high = parse_number(match.group("high")) * scale if match.group("high") else low
    gap = match.groupdict().get("gap") or ""
    suffix = match.group("suffix")
    if suffix:
        qualifier = _SUFFIX_QUALIFIERS.get(suffix, suffix)
    elif high != low:
        qualifier = "区间"
    else:
        qualifier = next((word for word in _PREFIX_QUALIFIERS if word in gap), "")
    return low, high, unit, qualifier


def _speaks_of_the_past(text: str, clause_start: int, match: re.Match) -> bool:
    if _PAST.search(text, clause_start, match.start()):
        return True
    words = (match.groupdict().get("before") or "") + (match.groupdict().get("gap") or "")
    if _PLANNED.search(words):
        words = _LAST_YEAR_BASE.sub("", words)
    return bool(_PAST.search(words))


def _candidates_in(text: str, start: int, end: int, indicators, rank: int, *, floor: int, target_year) -> list[_Candidate]:
    found = []
    for indicator in indicators:
        for match in _TARGET_RE[indicator].finditer(text, start, end):
            if _speaks_of_the_past(text, _clause_start(text, match.start(), floor), match):
                continue
            if _CHANGE.search(match.groupdict().get("gap") or ""):
                continue
            low, high, unit, qualifier = _read_value(match, indicator)
            if high < low:
                continue
            found.append(
                _Candidate(indicator, rank, target_year, low, high, unit, qualifier, match.start(), match.end())
            )
    return found


def _review_spans(sections_table: pd.DataFrame) -> dict:
    """The review sections of each document, as (start, end) lists by ``doc_id``."""
    review = sections_table[(sections_table["level"] == 1) & (sections_table["section_type"] == "review")]
    spans: dict = {}
    for doc_id, start, end in zip(review["doc_id"], review["start"].tolist(), review["end"].tolist()):
        spans.setdefault(doc_id, []).append((start, end))
    return spans


def _forward_window(text: str, cue: re.Match) -> tuple[int, int]:
    """The cue's sentence and the next one in its paragraph.

    The next sentence counts too because a report may state the figure right
    after the sentence that looks forward (1998: 今年要继续采取有效措施，确保农业再有
    一个好收成…。粮食总产量稳定在49250万吨).
    """
    start, end = _sentence_bounds(text, cue.start(), cue.end())
    if end < len(text) and text[end] != "\n":
        _, end = _sentence_bounds(text, end, end)
    return start, end


def _document_targets(doc_id, text: str, *, year, reviews: list, planned: bool, is_report: bool) -> list[dict]:
    """The targets of one document; ``reviews`` are its review sections, ``planned`` whether it has a
    targets or tasks section."""
    candidates: list[_Candidate] = []
    for block_start, block_end, rank, target_year in _statement_blocks(text, year=year):
        candidates += _candidates_in(
            text, block_start, block_end, _INDICATOR_PATTERNS, rank, floor=block_start, target_year=target_year
        )
    for cue in _FORWARD_CUE.finditer(text):
        if any(start <= cue.start() < end for start, end in reviews):
            continue
        window_start, window_end = _forward_window(text, cue)
        candidates += _candidates_in(
            text, window_start, window_end, _FORWARD_INDICATORS, 2, floor=window_start, target_year=year
        )
    best: dict[str, _Candidate] = {}
    for candidate in sorted(candidates, key=lambda c: (c.rank, c.start)):
        best.setdefault(candidate.indicator, candidate)
    rows = []
    for indicator in INDICATORS:
        candidate = best.get(indicator)
        if candidate is None:
            continue
        sentence_start, sentence_end = _sentence_bounds(text, candidate.start, candidate.end)
        rows.append(
            {
                "doc_id": doc_id,
                "year": year,
                "target_year": candidate.target_year,
                "indicator_id": indicator,
                "indicator": INDICATORS[indicator],
                "low": candidate.low,
                "high": candidate.high,
                "unit": candidate.unit,
                "qualifier": candidate.qualifier,
                "surface": text[candidate.start : candidate.end],
                "sentence": text[sentence_start:sentence_end].strip(),
                "start": candidate.start,
                "end": candidate.end,
            }
        )
    if "gdp_growth" not in best:
        is_report = is_report or bool(rows) or planned
        rows[:0] = _no_gdp_target(doc_id, text, year=year, is_report=is_report)
    return rows


def _no_gdp_target(doc_id, text: str, *, year, is_report: bool) -> list[dict]:
    for match in _NO_GDP_TARGET.finditer(text):
        clause_start = _clause_start(text, match.start(), 0)
        if _PAST.search(text, clause_start, match.start()):
            continue
        sentence_start, sentence_end = _sentence_bounds(text, match.start(), match.end())
        return [_gdp_row(doc_id, year, NO_TARGET, text[match.start() : match.end()],
                         text[sentence_start:sentence_end].strip(), match.start(), match.end())]
    if is_report:
        return [_gdp_row(doc_id, year, NOT_STATED, "", "", pd.NA, pd.NA)]
    return []


def _gdp_row(doc_id, year, qualifier, surface, sentence, start, end) -> dict:
    return {
        "doc_id": doc_id,
        "year": year,
        "target_year": year,
        "indicator_id": "gdp_growth",
        "indicator": INDICATORS["gdp_growth"],
        "low": np.nan,
        "high": np.nan,
        "unit": "%",
        "qualifier": qualifier,
        "surface": surface,
        "sentence": sentence,
        "start": start,
        "end": end,
    }


def _titled_reports(corpus: pd.DataFrame) -> list[bool]:
    """Whether each document's title says it is a work report (and it is no 决议 approving one)."""
    if "title" not in corpus.columns:
        return [False] * len(corpus)
    procedural = corpus["doc_type"].eq("procedural") if "doc_type" in corpus.columns else pd.Series(False, index=corpus.index)
    return [
        isinstance(title, str) and "政府工作报告" in title and "决议" not in title and not bool(skip)
        for title, skip in zip(corpus["title"], procedural)
    ]


def _years(corpus: pd.DataFrame) -> list:
    if "date" not in corpus.columns:
        return [None] * len(corpus)
    dates = pd.to_datetime(corpus["date"], errors="coerce")
    return [None if pd.isna(date) else int(date.year) for date in dates]


def extract_targets(corpus, *, sections_table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Read the quantitative targets a work report sets into a table.

    Parameters
    ----------
    corpus : pandas.DataFrame or str
        A table with ``doc_id`` and ``text_clean`` (``date`` gives the
        ``year``; a ``title`` that says 政府工作报告 makes a document a work
        report), as from :func:`analysis.corpus.load_corpus`; a single
        string is read as document ``"0"``.
    sections_table : pandas.DataFrame, optional
        :func:`sections` of the same corpus, if already computed (it is
        computed otherwise): forward-looking sentences in review sections
        are not read, and a document with a targets or tasks section is a
        work report.

    Returns
    -------
    pandas.DataFrame
        One row per document and indicator it sets a target for
        (:data:`TARGET_COLUMNS`), in document order then in the order of
        :data:`INDICATORS`:

        - ``doc_id``; ``year`` (Int64, from ``date``; <NA> when undated).
        - ``target_year`` (Int64): the year the target is for. It is
          ``year`` except where the report presents next year's plan by
          name (the 1980 report's 1981年国民经济计划主要指标: 1981).
        - ``indicator_id`` (a key of :data:`INDICATORS`) and ``indicator``,
          its normalised name, e.g. ``"GDP growth (国内生产总值增长)"``;
          ``gnp_growth`` (国民生产总值, the reports up to 1993) is never
          read as ``gdp_growth``.
        - ``low``, ``high``: the target; ``low == high`` for a point target
          (5%左右, 百分之九), the two ends for a range (6%-6.5%, 百分之八至九).
          Chinese numerals are read like digits.
        - ``unit``: ``%`` (growth, prices, unemployment, deficit ratio,
          energy intensity reduction), ``万人`` (jobs), ``亿元`` (special
          bonds; 4.4万亿元 is 44000), ``亿斤`` (grain; 1.4万亿斤 is 14000,
          5.5亿吨 is 11000 at 2000 斤 a tonne, 4550亿公斤 is 9100).
        - ``qualifier``: as the report words it: ``左右``, ``以上``,
          ``以内``, ``以下``, ``不低于``, ``不超过``, ``低于``, ``控制在``
          (控制在3%, no other word), ``区间`` for a range, ``""`` for a bare
          number (赤字率拟按3%安排).
        - ``surface``: the text read, from the indicator's name to its
          qualifier; ``sentence``: the sentence holding it.
        - ``start``, ``end``: offsets of ``surface`` in ``text_clean``
          (Int64).

        A work report (a document whose ``title`` says 政府工作报告 and
        not 决议, or that states some target, or has a targets or tasks
        section) without a GDP growth target still gets a GDP row,
        with ``low`` and ``high`` NaN and ``qualifier`` :data:`NO_TARGET`
        when it says it sets none (2020: 我们没有提出全年经济增速具体目标;
        ``surface`` and ``sentence`` hold the words) or :data:`NOT_STATED`
        when no growth target can be read in it (``surface`` and
        ``sentence`` empty, offsets <NA>).

        ``attrs["note"]`` summarises what was found.

    Examples
    --------
    >>> text = ("今年发展主要预期目标是：国内生产总值增长5%左右；城镇新增就业1200万人以上；"
    ...         "居民消费价格涨幅2%左右。\\n今年赤字率拟按4%左右安排。拟安排地方政府专项债券4.4万亿元。")
    >>> targets = extract_targets(text)
    >>> targets[["indicator_id", "low", "high", "unit", "qualifier"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['gdp_growth', 5.0, 5.0, '%', '左右'],
     ['cpi', 2.0, 2.0, '%', '左右'],
     ['urban_jobs', 1200.0, 1200.0, '万人', '以上'],
     ['deficit_ratio', 4.0, 4.0, '%', '左右'],
     ['special_bonds', 44000.0, 44000.0, '亿元', '']]
    >>> extract_targets("今年我们没有提出全年经济增速具体目标。")[["low", "qualifier"]].values.tolist()
    [[nan, 'none']]
    >>> old = extract_targets("今年国民生产总值计划增长百分之八。今年经济增长速度的宏观调控目标，定为百分之八至九。")
    >>> old[["indicator_id", "low", "high", "qualifier"]].values.tolist()
    [['gdp_growth', 8.0, 9.0, '区间'], ['gnp_growth', 8.0, 8.0, '']]
    """
    corpus = as_corpus(corpus)
    if sections_table is None:
        sections_table = sections(corpus)
    else:
        require_columns(sections_table, SECTION_COLUMNS, name="sections_table", producer="workreport.sections")
    # Looked up once for the whole table, not filtered out of it document by document.
    reviews = _review_spans(sections_table)
    planned = set(sections_table.loc[sections_table["section_type"].isin(["targets", "tasks"]), "doc_id"])
    rows: list[dict] = []
    for doc_id, text, year, titled in zip(corpus["doc_id"], corpus["text_clean"], _years(corpus), _titled_reports(corpus)):
        rows += _document_targets(
            doc_id, text, year=year, reviews=reviews.get(doc_id, []), planned=doc_id in planned, is_report=titled
        )
    table = pd.DataFrame(rows, columns=TARGET_COLUMNS)
    table = table.astype(
        {
            "year": "Int64",
            "target_year": "Int64",
            "low": "float64",
            "high": "float64",
            "start": "Int64",
            "end": "Int64",
            "doc_id": "object",
            "indicator_id": "object",
            "indicator": "object",
            "unit": "object",
            "qualifier": "object",
            "surface": "object",
            "sentence": "object",
        }
    )
    valued = table[table["low"].notna()]
    if valued.empty:
        table.attrs["note"] = f"No quantitative targets were found in the {len(corpus)} documents."
    else:
        table.attrs["note"] = (
            f"{len(valued)} targets in {valued['doc_id'].nunique()} of {len(corpus)} documents; "
            f"{int((table['qualifier'] == NO_TARGET).sum())} report(s) say they set no GDP growth target and "
            f"{int((table['qualifier'] == NOT_STATED).sum())} state none that could be read."
        )
    return table


def targets_by_year(targets: pd.DataFrame) -> pd.DataFrame:
    """The targets as newspapers print them: one row per document, one column per indicator.

    Parameters
    ----------
    targets : pandas.DataFrame
        The table from :func:`extract_targets`.

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``year``, then one column per indicator id that has a
        row, in :data:`INDICATORS` order, holding the target as text:
        ``"5%左右"``, ``"6–6.5%"``, ``"1200万人以上"``, ``"低于4.6%"``; :data:`NO_TARGET` or
        :data:`NOT_STATED` for a GDP row without a value, ``""`` where the
        document sets no target for the indicator. Sorted by year, latest
        first (undated documents last), then by document.

    Examples
    --------
    >>> targets = extract_targets("今年发展主要预期目标是：国内生产总值增长6%-6.5%；城镇新增就业1100万人以上。")
    >>> targets_by_year(targets).values.tolist()
    [['0', <NA>, '6–6.5%', '1100万人以上']]
    """
    require_columns(targets, TARGET_COLUMNS, name="targets", producer="workreport.extract_targets")
    rows = targets.copy()

    def _text(row) -> str:
        if pd.isna(row.low):
            return row.qualifier
        value = f"{row.low:g}" if row.low == row.high else f"{row.low:g}–{row.high:g}"
        if row.qualifier in _PREFIX_QUALIFIERS:
            return f"{row.qualifier}{value}{row.unit}"  # 低于4.6%, as the reports write it
        qualifier = "" if row.qualifier == "区间" else row.qualifier
        return f"{value}{row.unit}{qualifier}"

    def _dated(row) -> str:
        text = _text(row)
        # The reports of 1964, 1980 and 1981 set next year's plan: say so in the cell.
        if pd.notna(row.low) and pd.notna(row.target_year) and pd.notna(row.year) and row.target_year != row.year:
            text += f" (for {int(row.target_year)})"
        return text

    rows["target"] = [_dated(row) for row in rows.itertuples(index=False)]
    columns = [indicator for indicator in INDICATORS if indicator in set(rows["indicator_id"])]
    documents = rows.drop_duplicates("doc_id")[["doc_id", "year"]]
    wide = rows.drop_duplicates(["doc_id", "indicator_id"]).pivot(index="doc_id", columns="indicator_id", values="target")
    wide = documents.join(wide.reindex(columns=columns), on="doc_id")
    wide[columns] = wide[columns].fillna("")
    wide.columns.name = None
    wide = wide.sort_values(["year", "doc_id"], ascending=[False, True], na_position="last", kind="stable")
    return wide.reset_index(drop=True)
