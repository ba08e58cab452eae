"""The quantitative targets a work report sets (国内生产总值增长5%左右 …), read into a table."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..validation import require_columns
from .headings import SENTENCE_STOP
from .sectioning import SECTION_COLUMNS, as_corpus, sections

#: Indicator id -> normalised name (the ``indicator`` column of :func:`extract_targets`).
INDICATORS = {
    "gdp_growth": "GDP growth (国内生产总值增长)",
    "cpi": "CPI increase (居民消费价格涨幅)",
    "urban_jobs": "new urban jobs (城镇新增就业)",
    "surveyed_unemployment": "surveyed urban unemployment (城镇调查失业率)",
    "registered_unemployment": "registered urban unemployment (城镇登记失业率)",
    "deficit_ratio": "deficit ratio (赤字率)",
    "special_bonds": "local government special bonds (地方政府专项债券)",
    "grain_output": "grain output (粮食产量)",
    "energy_intensity": "energy intensity reduction (单位国内生产总值能耗降低)",
}
TARGET_COLUMNS = [
    "doc_id",
    "year",
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

_NUM = r"\d+(?:\.\d+)?"
_UNITS = "%|％|万亿斤|亿斤|万吨|亿吨|万亿元|亿元|万人"
_VALUE = (
    rf"(?P<low>{_NUM})[ \u3000]*(?:(?:{_UNITS})[ \u3000]*)?"
    rf"(?:(?:-|－|—|–|~|～|至|到)[ \u3000]*(?P<high>{_NUM})[ \u3000]*)?"
    rf"(?P<unit>{_UNITS})[ \u3000]*(?P<suffix>左右|以上|以内|以下|之内)?"
)
# Between the indicator and its value: a few words without digits or clause breaks
# (控制在, 拟按, 全年控制在, 人数不低于, 要稳定在).
_GAP = r"(?P<gap>[^，,；;。！？\d\n]{0,10}?)"

_INDICATOR_PATTERNS = {
    "gdp_growth": rf"(?:(?:国内|地区)?生产总值|GDP|经济)(?:增长|增速){_GAP}",
    "cpi": rf"(?:居民消费价格(?:总水平|指数)?(?:涨幅|上涨)|物价(?:总水平)?涨幅|CPI(?:涨幅)?){_GAP}",
    "urban_jobs": rf"(?:城镇新增就业|新增城镇就业)(?:人数)?{_GAP}",
    "surveyed_unemployment": rf"(?:城镇)?调查失业率{_GAP}",
    "registered_unemployment": rf"(?:城镇)?登记失业率{_GAP}",
    "deficit_ratio": rf"赤字率(?:从[^，,；;。\n]{{0,12}}?(?:提高|下降|降低|调整|上调|下调)到|{_GAP})",
    "special_bonds": rf"安排(?:新增)?(?:地方政府|地方)?专项债(?:券)?(?:额度|规模)?{_GAP}",
    "grain_output": rf"粮食(?:总)?产量{_GAP}",
    "energy_intensity": rf"(?:单位(?:国内|地区)?生产总值能耗|单位GDP能耗|能耗强度)(?P<fall>[^，,；;。\d\n]{{0,6}}?(?:降低|下降))",
}
_INDICATOR_UNITS = {
    "gdp_growth": {"%"},
    "cpi": {"%"},
    "urban_jobs": {"万人"},
    "surveyed_unemployment": {"%"},
    "registered_unemployment": {"%"},
    "deficit_ratio": {"%"},
    "special_bonds": {"万亿元", "亿元"},
    "grain_output": {"万亿斤", "亿斤", "万吨", "亿吨"},
    "energy_intensity": {"%"},
}
# Units are normalised so that a series compares across years: money in 亿元, grain in 亿斤.
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
}
_TARGET_RE = {
    indicator: re.compile(pattern + r"[ \u3000]*" + _VALUE) for indicator, pattern in _INDICATOR_PATTERNS.items()
}
# Indicators read outside a target statement, in sentences that look forward.
_FORWARD_INDICATORS = ("deficit_ratio", "special_bonds", "grain_output")
_FORWARD_CUE = re.compile(r"今年|本年|拟|安排")
_STATEMENT_CUE = re.compile(
    r"(?:预期目标|主要目标|发展目标|增长目标|调控目标|预期)(?:是|为|定为|设定为|定在|确定为)[，,：:]?"
)
_MULTI_YEAR = re.compile(r"今后五年|五年|“十[一二三四五六七八九]?五”|到20\d\d年|年均")
_PAST = re.compile(r"去年|上年|过去|年均|累计|五年|连年|连续|以来|期间|时期")
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
    low: float
    high: float
    unit: str
    qualifier: str
    start: int
    end: int


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(text.rfind(stop, 0, start) for stop in SENTENCE_STOP + "\n") + 1
    rights = [position for position in (text.find(stop, end) for stop in SENTENCE_STOP + "\n") if position != -1]
    right = min(rights) + 1 if rights else len(text)
    if text[right - 1 : right] == "\n":
        right -= 1
    if left >= 2 and text[left - 1] == "\n" and text[left - 2] in "：:":
        # The list of targets follows its cue's line (主要预期目标是：\n国内生产总值增长8%左右；…).
        left = text.rfind("\n", 0, left - 1) + 1
    return left, right


def _clause_start(text: str, position: int, floor: int) -> int:
    return max([floor] + [text.rfind(stop, floor, position) + 1 for stop in _CLAUSE_BREAK])


def _statement_blocks(text: str, *, year) -> list[tuple[int, int, int]]:
    """(start, end, rank) of each target statement: from its cue to the end of its paragraph."""
    blocks = []
    for cue in _STATEMENT_CUE.finditer(text):
        sentence_start, _ = _sentence_bounds(text, cue.start(), cue.start())
        lead = text[sentence_start : cue.end()]
        if _MULTI_YEAR.search(lead):
            continue
        annual = "今年" in lead or "本年" in lead or (year is not None and f"{year}年" in lead)
        end = text.find("\n", cue.end())
        end = len(text) if end == -1 else end
        if not text[cue.end() : end].strip(" \t\u3000：:，,"):
            # "主要预期目标是：" closes its line; the targets follow on the next one.
            following = text.find("\n", end + 1)
            end = len(text) if following == -1 else following
        # The indicator may come before the cue (经济增长预期目标为7%左右): start at its clause.
        blocks.append((_clause_start(text, cue.start(), sentence_start), end, 0 if annual else 1))
    return blocks


def _read_value(match: re.Match, indicator: str) -> tuple[float, float, str, str] | None:
    unit = match.group("unit")
    if unit not in _INDICATOR_UNITS[indicator] and _UNIT_SCALE[unit][0] not in _INDICATOR_UNITS[indicator]:
        return None
    normal_unit, scale = _UNIT_SCALE[unit]
    low = float(match.group("low")) * scale
    high = float(match.group("high")) * scale if match.group("high") else low
    if high < low:
        return None
    gap = match.groupdict().get("gap") or ""
    suffix = match.group("suffix")
    if suffix:
        qualifier = _SUFFIX_QUALIFIERS.get(suffix, suffix)
    elif high != low:
        qualifier = "区间"
    else:
        qualifier = next((word for word in _PREFIX_QUALIFIERS if word in gap), "")
    return low, high, normal_unit, qualifier


def _candidates_in(text: str, start: int, end: int, indicators, rank: int, *, floor: int) -> list[_Candidate]:
    found = []
    for indicator in indicators:
        for match in _TARGET_RE[indicator].finditer(text, start, end):
            gap = match.groupdict().get("gap") or ""
            clause_start = _clause_start(text, match.start(), floor)
            if _PAST.search(text, clause_start, match.start()) or _PAST.search(gap):
                continue
            value = _read_value(match, indicator)
            if value is None:
                continue
            low, high, unit, qualifier = value
            found.append(_Candidate(indicator, rank, low, high, unit, qualifier, match.start(), match.end()))
    return found


def _review_spans(doc_sections: pd.DataFrame | None) -> list[tuple[int, int]]:
    if doc_sections is None or doc_sections.empty:
        return []
    review = doc_sections[(doc_sections["level"] == 1) & (doc_sections["section_type"] == "review")]
    return list(zip(review["start"], review["end"]))


def _document_targets(doc_id, text: str, *, year, doc_sections: pd.DataFrame | None) -> list[dict]:
    candidates: list[_Candidate] = []
    for block_start, block_end, rank in _statement_blocks(text, year=year):
        candidates += _candidates_in(text, block_start, block_end, _INDICATOR_PATTERNS, rank, floor=block_start)
    reviews = _review_spans(doc_sections)
    for cue in _FORWARD_CUE.finditer(text):
        if any(start <= cue.start() < end for start, end in reviews):
            continue
        sentence_start, sentence_end = _sentence_bounds(text, cue.start(), cue.end())
        candidates += _candidates_in(text, sentence_start, sentence_end, _FORWARD_INDICATORS, 2, floor=sentence_start)
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
        rows[:0] = _no_gdp_target(doc_id, text, year=year, doc_sections=doc_sections, has_targets=bool(rows))
    return rows


def _no_gdp_target(doc_id, text: str, *, year, doc_sections, has_targets: bool) -> list[dict]:
    for match in _NO_GDP_TARGET.finditer(text):
        clause_start = _clause_start(text, match.start(), 0)
        if _PAST.search(text, clause_start, match.start()):
            continue
        sentence_start, sentence_end = _sentence_bounds(text, match.start(), match.end())
        return [_gdp_row(doc_id, year, NO_TARGET, text[match.start() : match.end()],
                         text[sentence_start:sentence_end].strip(), match.start(), match.end())]
    is_report = has_targets or (
        doc_sections is not None and doc_sections["section_type"].isin(["targets", "tasks"]).any()
    )
    if is_report:
        return [_gdp_row(doc_id, year, NOT_STATED, "", "", pd.NA, pd.NA)]
    return []


def _gdp_row(doc_id, year, qualifier, surface, sentence, start, end) -> dict:
    return {
        "doc_id": doc_id,
        "year": year,
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
        ``year``), as from :func:`analysis.corpus.load_corpus`; a single
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
        - ``indicator_id`` (a key of :data:`INDICATORS`) and ``indicator``,
          its normalised name, e.g. ``"GDP growth (国内生产总值增长)"``.
        - ``low``, ``high``: the target; ``low == high`` for a point target
          (5%左右), the two ends for a range (6%-6.5%).
        - ``unit``: ``%`` (growth, prices, unemployment, deficit ratio,
          energy intensity reduction), ``万人`` (jobs), ``亿元`` (special
          bonds; 4.4万亿元 is 44000), ``亿斤`` (grain; 1.4万亿斤 is 14000 and
          5.5亿吨 is 11000, at 2000 斤 a tonne).
        - ``qualifier``: as the report words it: ``左右``, ``以上``,
          ``以内``, ``以下``, ``不低于``, ``不超过``, ``低于``, ``控制在``
          (控制在3%, no other word), ``区间`` for a range, ``""`` for a bare
          number (赤字率拟按3%安排).
        - ``surface``: the text read, from the indicator's name to its
          qualifier; ``sentence``: the sentence holding it.
        - ``start``, ``end``: offsets of ``surface`` in ``text_clean``
          (Int64).

        A work report (a document that states some target, or has a targets
        or tasks section) without a GDP growth target still gets a GDP row,
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
    """
    corpus = as_corpus(corpus)
    if sections_table is None:
        sections_table = sections(corpus)
    else:
        require_columns(sections_table, SECTION_COLUMNS, name="sections_table", producer="workreport.sections")
    by_doc = {doc_id: rows for doc_id, rows in sections_table.groupby("doc_id", sort=False)}
    rows: list[dict] = []
    for doc_id, text, year in zip(corpus["doc_id"], corpus["text_clean"], _years(corpus)):
        rows += _document_targets(doc_id, text, year=year, doc_sections=by_doc.get(doc_id))
    table = pd.DataFrame(rows, columns=TARGET_COLUMNS)
    table = table.astype(
        {
            "year": "Int64",
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

    rows["target"] = [_text(row) for row in rows.itertuples(index=False)]
    columns = [indicator for indicator in INDICATORS if indicator in set(rows["indicator_id"])]
    documents = rows.drop_duplicates("doc_id")[["doc_id", "year"]]
    wide = rows.drop_duplicates(["doc_id", "indicator_id"]).pivot(index="doc_id", columns="indicator_id", values="target")
    wide = documents.join(wide.reindex(columns=columns), on="doc_id")
    wide[columns] = wide[columns].fillna("")
    wide.columns.name = None
    wide = wide.sort_values(["year", "doc_id"], ascending=[False, True], na_position="last", kind="stable")
    return wide.reset_index(drop=True)
