"""Reading a government work report as its readers do: its sections and its targets.

A work report (政府工作报告) has a fixed shape: a review of the past year
(工作回顾), the overall requirements and main targets for the coming year
(总体要求、主要预期目标), the tasks (重点工作、政府工作任务), and closing parts
(the government's own conduct, defence, Hong Kong and Taiwan, foreign affairs,
a last word to the deputies). :func:`sections` splits a report into its
numbered sections and subsections and types each of them;
:func:`extract_targets` reads the quantitative targets (国内生产总值增长5%左右,
城镇新增就业1200万人以上, 赤字率拟按4%左右安排 …) into a table.
:func:`assign_sections` joins any table of spans (slogan mentions, tokens,
KWIC lines) to the section each span falls in, and
:func:`slogan_counts_by_section` counts slogans per section type.

Provincial reports are written the same way (全省地区生产总值增长5.5%左右), so
both functions work on them too.

Sections
--------
Headings are numbered lines: ``一、`` … ``十、`` (also ``一．``) and ``（一）`` …
(with ASCII or full-width brackets). Whichever of the two shapes opens the
first heading numbered one is level 1; the other is level 2 (the reports of
1958, 1981, 1983 and 1985 put ``（一）`` on top). A numbered line is a level-1
heading when it reads like a heading (at most :data:`MAX_HEADING_CHARS`
characters, no full stop inside, not ending in ``；：，``) and continues the
numbering (二 after 一). Lists numbered the same way inside a section restart
at 一 and are followed as nested lists, not taken for sections (the 1986
report lists 一…五 inside its section 二, then goes on with 三). A level-2
heading is a ``（一）`` line inside a level-1 section, in sequence; its
heading is the line's first sentence, because recent reports run the
subsection's text on after it.

Around the numbered sections the table also has, where there is text: a
``preamble`` (before the first heading), a ``lead_in`` row for the text of a
section before its first subsection, and a ``closing`` (from the last
paragraph addressed to the deputies, 各位代表, or a 结束语 line, after the last
heading). A document without numbered headings has no rows.

Section types
-------------
Each level-1 section gets one of :data:`SECTION_TYPES` from its heading, by the
first rule that applies:

1. ``review`` when the heading says 回顾 or 过去 (2024年工作回顾, 关于过去五年的政府工作);
2. ``other`` for the government's own conduct, foreign affairs, defence and
   national unity: :data:`OTHER_KEYWORDS` (加强政府自身建设, 关于外交工作);
3. ``targets`` for requirements and targets: :data:`TARGETS_KEYWORDS`
   (总体要求和政策取向, 工作总体部署, 主要预期目标, “十四五”时期主要目标任务);
4. ``tasks`` for tasks: :data:`TASKS_KEYWORDS` (政府工作任务, 重点工作,
   对今年政府工作的建议, 2011年的工作);
5. ``review`` when the heading speaks of achievements (成就, 1959 and 1993);
6. by position: a section without any of these words that follows a review,
   targets or tasks section is ``tasks`` (2015 and 2007 give their tasks as
   several top-level sections: 把改革开放扎实推向纵深, …); otherwise ``other``.

The preamble and closing are ``other``; a subsection has its section's type,
except the lead-in of a ``tasks`` section that states the year's main
targets (主要预期目标是…), which is ``targets``: the reports of 2006,
2008, 2010, 2011, 2016, 2021 and 2023 state their targets at the head of the tasks
section (对今年政府工作的建议, 2021年重点工作). The rule was checked on the
reports of 2004–2025; older reports are shaped differently (lists of topics
under 关于…, no review section, headings merged with their paragraph by the
source) and mostly come out ``other``, which is the honest answer.

Targets
-------
A target is read only where the report sets one, so that the review's
results (国内生产总值增长5%) are not taken for next year's targets:

- in a *target statement*: from a cue such as 主要预期目标是 / 预期目标为 /
  目标定为 to the end of its paragraph (and the next paragraph when the cue
  ends the line with a colon, as in 2010–2012). Statements about the coming
  year (the cue's sentence says 今年 or the document's year) rank before
  others; statements about five years (今后五年, “十二五”) are skipped;
- for the fiscal and grain figures, which reports state apart from the list
  of main targets, in any sentence outside a ``review`` section that looks
  forward (今年, 拟, 安排): 今年赤字率拟按3%安排, 拟安排地方政府专项债券4.4万亿元,
  今年粮食产量要稳定在5.5亿吨以上.

A clause that speaks of the past before the indicator (去年, 上年, 过去, 年均,
累计 …) is skipped. One row is kept per document and indicator: the first
one of the best-ranked source. The indicators are :data:`INDICATORS`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .slogans import COUNTED_FORMS, counted_mentions
from .validation import InputError, require_columns, require_unique

SECTION_TYPES = ("review", "targets", "tasks", "other")
#: Values of the ``part`` column of :func:`sections`.
PARTS = ("preamble", "section", "lead_in", "subsection", "closing")
SECTION_COLUMNS = [
    "doc_id",
    "section_id",
    "parent_id",
    "level",
    "number",
    "part",
    "heading",
    "section_type",
    "start",
    "end",
]
#: Columns :func:`assign_sections` adds to a table of spans.
ASSIGNED_COLUMNS = ["section_id", "section_type", "section_heading", "subsection_heading"]
#: Section type of spans in a document that has no numbered sections.
UNSECTIONED = "unsectioned"

#: A numbered line longer than this is a paragraph, not a level-1 heading.
MAX_HEADING_CHARS = 50

OTHER_KEYWORDS = (
    "政府自身", "政府建设", "政风", "行政能力建设", "外交", "对外政策", "国际形势",
    "祖国统一", "和平统一", "统一大业", "国防", "结束语",
)
TARGETS_KEYWORDS = (
    "主要目标", "预期目标", "奋斗目标", "目标任务", "总体要求", "总体部署", "政策取向", "基本方针", "指导方针", "主要指标", "规划纲要",
)
TASKS_KEYWORDS = ("任务", "重点工作", "主要工作", "工作的建议", "年的工作", "政府工作")
REVIEW_KEYWORDS = ("回顾", "过去")
ACHIEVEMENT_KEYWORDS = ("成就",)

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

_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUMBER = "[一二三四五六七八九十]{1,3}"
_HEADING = re.compile(
    rf"[ \t\u3000]*(?:(?P<plain>{_CN_NUMBER})[、．.]|[（(](?P<paren>{_CN_NUMBER})[)）])[ \t\u3000]*"
)
_SENTENCE_STOP = "。！？!?"
_LINE = re.compile(r"[^\n]*")
_CLOSING_LINE = re.compile(r"[ \t\u3000]*(?:各位代表|结束语)")

# ---------------------------------------------------------------------------
# Sections


def _chinese_number(text: str) -> int | None:
    if "十" not in text:
        return _NUMERALS.get(text) if len(text) == 1 else None
    tens, _, units = text.partition("十")
    if (tens and tens not in _NUMERALS) or (units and units not in _NUMERALS):
        return None
    return (_NUMERALS[tens] if tens else 1) * 10 + (_NUMERALS[units] if units else 0)


@dataclass
class _Line:
    start: int  # offset of the numeral
    end: int  # end of the line
    shape: str  # "plain" (一、) or "paren" (（一）)
    number: int
    body_start: int  # where the heading text starts
    text: str  # the line from the numeral on

    @property
    def heading_like(self) -> bool:
        body = self.text.strip()
        return (
            len(body) <= MAX_HEADING_CHARS
            and not any(stop in body for stop in _SENTENCE_STOP)
            and not body.endswith(("；", ";", "：", ":", "，", ","))
        )


def _numbered_lines(text: str) -> list[_Line]:
    lines = []
    for match in _LINE.finditer(text):
        if not match.group():
            continue
        head = _HEADING.match(text, match.start(), match.end())
        if head is None:
            continue
        shape = "plain" if head.group("plain") else "paren"
        number = _chinese_number(head.group(shape))
        if number is None:
            continue
        numeral_start = head.start(shape) - (1 if shape == "paren" else 0)
        lines.append(
            _Line(
                start=numeral_start,
                end=match.end(),
                shape=shape,
                number=number,
                body_start=head.end(),
                text=text[numeral_start : match.end()],
            )
        )
    return lines


def _in_sequence(lines: list[_Line], *, require_heading_like: bool) -> list[_Line]:
    """The lines that continue the outer numbering, following nested lists that restart at one.

    ``counters[0]`` is the outer count; each further entry is a list that
    restarted at one inside it. A line continues the innermost list it can.
    """
    kept: list[_Line] = []
    counters = [0]
    for line in lines:
        matched = None
        for depth in range(len(counters) - 1, -1, -1):
            if line.number == counters[depth] + 1:
                matched = depth
                break
        if matched == 0 and require_heading_like and not line.heading_like:
            matched = None
        if matched is not None:
            del counters[matched + 1 :]
            counters[matched] = line.number
            if matched == 0:
                kept.append(line)
        elif line.number == 1:
            counters.append(1)
    return kept


def _first_sentence(text: str) -> str:
    cut = min((text.find(stop) for stop in _SENTENCE_STOP if stop in text), default=len(text))
    return text[:cut].strip()


def classify_heading(heading: str) -> str | None:
    """Section type of a level-1 heading by its words alone (rules 1–5 of the module docstring).

    Returns None when no rule applies; :func:`sections` then decides by
    position.

    Examples
    --------
    >>> classify_heading("2024年工作回顾"), classify_heading("2025年经济社会发展总体要求和政策取向")
    ('review', 'targets')
    >>> classify_heading("2025年政府工作任务"), classify_heading("切实加强政府自身建设")
    ('tasks', 'other')
    >>> classify_heading("把改革开放扎实推向纵深") is None
    True
    """
    for keywords, kind in (
        (REVIEW_KEYWORDS, "review"),
        (OTHER_KEYWORDS, "other"),
        (TARGETS_KEYWORDS, "targets"),
        (TASKS_KEYWORDS, "tasks"),
        (ACHIEVEMENT_KEYWORDS, "review"),
    ):
        if any(keyword in heading for keyword in keywords):
            return kind
    return None


# A statement of the coming year's main targets, as the lead-in of a tasks section makes it.
_TARGETS_STATEMENT = re.compile(r"(?:主要预期目标|预期目标|主要目标)(?:是|为)")


def _as_corpus(corpus) -> pd.DataFrame:
    if isinstance(corpus, str):
        return pd.DataFrame({"doc_id": ["0"], "text_clean": [corpus]})
    if not isinstance(corpus, pd.DataFrame):
        raise InputError(f"corpus must be a pandas DataFrame (from load_corpus) or a str, got {type(corpus).__name__}")
    require_columns(corpus, ["doc_id", "text_clean"], name="corpus", producer="analysis.corpus.load_corpus")
    require_unique(corpus["doc_id"], name="corpus doc_id")
    for position, (doc_id, text) in enumerate(zip(corpus["doc_id"], corpus["text_clean"])):
        if not isinstance(text, str):
            raise InputError(f"corpus document {doc_id!r} (row {position}): text_clean is {type(text).__name__}, not str")
    return corpus


def _closing_start(text: str, after: int) -> int | None:
    """Start of the closing: a 结束语 line, else the last paragraph addressed to 各位代表, after ``after``."""
    last = None
    for match in _LINE.finditer(text, after):
        line = match.group()
        if not line or _CLOSING_LINE.match(line) is None:
            continue
        if line.strip().startswith("结束语"):
            return match.start()
        last = match.start()
    return last


def _document_sections(doc_id, text: str) -> list[dict]:
    lines = _numbered_lines(text)
    first = next((line for line in lines if line.number == 1 and line.heading_like), None)
    if first is None:
        return []
    top_shape = first.shape
    sub_shape = "paren" if top_shape == "plain" else "plain"
    tops = _in_sequence([line for line in lines if line.shape == top_shape], require_heading_like=True)
    closing = _closing_start(text, tops[-1].end)
    text_end = len(text)
    section_end = closing if closing is not None else text_end

    rows: list[dict] = []
    if text[: tops[0].start].strip():
        rows.append(_row(doc_id, "0", None, 1, None, "preamble", "", "other", 0, tops[0].start))
    previous_type = None
    for index, top in enumerate(tops):
        end = tops[index + 1].start if index + 1 < len(tops) else section_end
        heading = text[top.body_start : top.end].strip()
        kind = classify_heading(heading)
        if kind is None:
            kind = "tasks" if previous_type in ("review", "targets", "tasks") else "other"
        previous_type = kind
        section_id = str(top.number)
        rows.append(_row(doc_id, section_id, None, 1, top.number, "section", heading, kind, top.start, end))
        inside = [line for line in lines if line.shape == sub_shape and top.end <= line.start < end]
        subs = _in_sequence(inside, require_heading_like=sub_shape == "plain")
        if not subs:
            continue
        lead_start = min(top.end + 1, end)
        if text[lead_start : subs[0].start].strip():
            lead_type = kind
            if kind == "tasks" and _TARGETS_STATEMENT.search(text, lead_start, subs[0].start):
                lead_type = "targets"
            rows.append(_row(doc_id, f"{section_id}.0", section_id, 2, None, "lead_in", "", lead_type, lead_start, subs[0].start))
        for position, sub in enumerate(subs):
            sub_end = subs[position + 1].start if position + 1 < len(subs) else end
            sub_heading = text[sub.body_start : sub.end]
            sub_heading = _first_sentence(sub_heading) if sub.shape == "paren" else sub_heading.strip()
            rows.append(
                _row(doc_id, f"{section_id}.{sub.number}", section_id, 2, sub.number, "subsection", sub_heading, kind, sub.start, sub_end)
            )
    if closing is not None:
        rows.append(_row(doc_id, "closing", None, 1, None, "closing", "", "other", closing, text_end))
    return rows


def _row(doc_id, section_id, parent_id, level, number, part, heading, kind, start, end) -> dict:
    return {
        "doc_id": doc_id,
        "section_id": section_id,
        "parent_id": parent_id,
        "level": level,
        "number": number,
        "part": part,
        "heading": heading,
        "section_type": kind,
        "start": start,
        "end": end,
    }


def _section_table(rows: list[dict]) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=SECTION_COLUMNS)
    return table.astype(
        {
            "doc_id": "object",
            "section_id": "object",
            "parent_id": "object",
            "level": "int64",
            "number": "Int64",
            "part": "object",
            "heading": "object",
            "section_type": "object",
            "start": "int64",
            "end": "int64",
        }
    )


def sections(corpus) -> pd.DataFrame:
    """Split work reports into their numbered sections and subsections, each with its type.

    Parameters
    ----------
    corpus : pandas.DataFrame or str
        A table with ``doc_id`` and ``text_clean`` (as from
        :func:`analysis.corpus.load_corpus`); a single string is read as
        document ``"0"``.

    Returns
    -------
    pandas.DataFrame
        One row per section, subsection, lead-in, preamble and closing, in
        document order then by ``start`` (a section before its subsections):

        - ``doc_id``
        - ``section_id``: ``"2"`` for section 二, ``"2.3"`` for its （三）,
          ``"2.0"`` for its lead-in, ``"0"`` for the preamble, ``"closing"``.
        - ``parent_id``: the level-1 ``section_id`` of a level-2 row, else None.
        - ``level``: 1 (sections, preamble, closing) or 2 (subsections, lead-ins).
        - ``number``: the heading's number (Int64; <NA> for the other parts).
        - ``part``: one of :data:`PARTS`.
        - ``heading``: the heading without its numeral (a subsection's first
          sentence); empty for the other parts.
        - ``section_type``: one of :data:`SECTION_TYPES` (see the module
          docstring for the rule).
        - ``start``, ``end``: offsets into ``text_clean``. Level-1 rows tile
          the document from its first heading (or its start, with a
          preamble) to its end; the level-2 rows of a section tile it from
          the line after its heading.

        ``attrs["note"]`` says in one sentence what was found, or that no
        work-report sections were found.

    Examples
    --------
    >>> text = ("各位代表：\\n一、2024年工作回顾\\n过去一年……\\n"
    ...         "二、2025年经济社会发展总体要求和政策取向\\n今年发展主要预期目标是：国内生产总值增长5%左右。\\n"
    ...         "三、2025年政府工作任务\\n（一）大力提振消费。实施专项行动。\\n（二）发展新质生产力。\\n"
    ...         "各位代表！让我们团结奋斗。")
    >>> table = sections(text)
    >>> table[["section_id", "part", "heading", "section_type"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['0', 'preamble', '', 'other'],
     ['1', 'section', '2024年工作回顾', 'review'],
     ['2', 'section', '2025年经济社会发展总体要求和政策取向', 'targets'],
     ['3', 'section', '2025年政府工作任务', 'tasks'],
     ['3.1', 'subsection', '大力提振消费', 'tasks'],
     ['3.2', 'subsection', '发展新质生产力', 'tasks'],
     ['closing', 'closing', '', 'other']]
    """
    corpus = _as_corpus(corpus)
    rows: list[dict] = []
    sectioned = 0
    for doc_id, text in zip(corpus["doc_id"], corpus["text_clean"]):
        found = _document_sections(doc_id, text)
        sectioned += bool(found)
        rows.extend(found)
    table = _section_table(rows)
    documents = len(corpus)
    if sectioned:
        counts = table.loc[table["level"] == 1, "section_type"].value_counts()
        kinds = ", ".join(f"{counts.get(kind, 0)} {kind}" for kind in SECTION_TYPES)
        table.attrs["note"] = (
            f"{sectioned} of {documents} documents are split into numbered sections "
            f"(level-1 parts: {kinds}); the other {documents - sectioned} have no numbered headings."
        )
    else:
        table.attrs["note"] = (
            f"No work-report sections were found: none of the {documents} documents has numbered "
            "headings (一、… or （一）…), so there is nothing to split by section type."
        )
    return table


def section_tiles(sections_table: pd.DataFrame) -> pd.DataFrame:
    """The non-overlapping pieces of text that the sections cover, each with its deepest row.

    Level-2 rows replace the part of their section they cover; the line of
    a section heading stays with the section.

    Parameters
    ----------
    sections_table : pandas.DataFrame
        The table from :func:`sections`.

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``section_id``, ``section_type``, ``start``, ``end``,
        sorted by document and ``start``.

    Examples
    --------
    >>> table = sections("一、工作回顾\\n回顾。\\n二、主要任务\\n（一）扩大内需。\\n")
    >>> section_tiles(table)[["section_id", "start", "end"]].values.tolist()
    [['1', 0, 11], ['2', 11, 18], ['2.1', 18, 27]]
    """
    require_columns(sections_table, SECTION_COLUMNS, name="sections_table", producer="workreport.sections")
    pieces = []
    for doc_id, rows in sections_table.groupby("doc_id", sort=False):
        level2 = rows[rows["level"] == 2]
        for row in rows[rows["level"] == 1].itertuples(index=False):
            children = level2[level2["parent_id"] == row.section_id].sort_values("start")
            cursor = row.start
            for child in children.itertuples(index=False):
                if child.start > cursor:
                    pieces.append((doc_id, row.section_id, row.section_type, cursor, child.start))
                pieces.append((doc_id, child.section_id, child.section_type, child.start, child.end))
                cursor = child.end
            if cursor < row.end:
                pieces.append((doc_id, row.section_id, row.section_type, cursor, row.end))
    tiles = pd.DataFrame(pieces, columns=["doc_id", "section_id", "section_type", "start", "end"])
    return tiles.astype({"start": "int64", "end": "int64"})


def assign_sections(table: pd.DataFrame, sections_table: pd.DataFrame) -> pd.DataFrame:
    """Add to each span of ``table`` the section it starts in.

    Works for any table with ``doc_id`` and ``start`` offsets into
    ``text_clean``: slogan mentions (:func:`analysis.slogans.tag_slogans`),
    tokens (:func:`analysis.tokens.tokenize`), KWIC lines
    (:func:`analysis.slogans.kwic`). Grouping tokens by ``section_type`` and
    passing two groups to :func:`analysis.textstat.keyness` compares, say,
    the review with the tasks.

    Parameters
    ----------
    table : pandas.DataFrame
        Spans with ``doc_id`` and ``start``.
    sections_table : pandas.DataFrame
        The table from :func:`sections` for the same corpus.

    Returns
    -------
    pandas.DataFrame
        A copy of ``table`` with :data:`ASSIGNED_COLUMNS` added: the deepest
        ``section_id``, its ``section_type``, and the headings of its level-1
        section and level-2 subsection ("" where there is none). Every row
        is kept: a span in a document without sections gets ``section_type``
        :data:`UNSECTIONED` and a missing ``section_id``.

    Examples
    --------
    >>> table = sections("一、工作回顾\\n稳就业。\\n二、主要任务\\n（一）扩大内需。稳就业。\\n")
    >>> spans = pd.DataFrame({"doc_id": ["0", "0"], "start": [7, 24], "end": [10, 27]})
    >>> assign_sections(spans, table)[["section_id", "section_type", "subsection_heading"]].values.tolist()
    [['1', 'review', ''], ['2.1', 'tasks', '扩大内需']]
    """
    require_columns(table, ["doc_id", "start"], name="table", producer="tag_slogans, tokenize or kwic")
    tiles = section_tiles(sections_table)
    headings = sections_table.set_index(["doc_id", "section_id"])["heading"].to_dict()
    parents = sections_table.set_index(["doc_id", "section_id"])["parent_id"].to_dict()
    result = table.copy()
    section_ids = np.full(len(result), None, dtype=object)
    kinds = np.full(len(result), UNSECTIONED, dtype=object)
    top_headings = np.full(len(result), "", dtype=object)
    sub_headings = np.full(len(result), "", dtype=object)
    tiles_by_doc = {doc_id: rows for doc_id, rows in tiles.groupby("doc_id", sort=False)}
    doc_ids = result["doc_id"].to_numpy()
    starts = result["start"].to_numpy()
    for doc_id in pd.unique(doc_ids):
        doc_tiles = tiles_by_doc.get(doc_id)
        if doc_tiles is None:
            continue
        rows = np.flatnonzero(doc_ids == doc_id)
        tile_starts = doc_tiles["start"].to_numpy()
        tile_ends = doc_tiles["end"].to_numpy()
        positions = np.searchsorted(tile_starts, starts[rows], side="right") - 1
        for row, position in zip(rows, positions):
            if position < 0 or starts[row] >= tile_ends[position]:
                # Before the first heading of a document without a preamble: not in any section.
                kinds[row] = None
                continue
            section_id = doc_tiles["section_id"].iat[position]
            section_ids[row] = section_id
            kinds[row] = doc_tiles["section_type"].iat[position]
            parent = parents.get((doc_id, section_id))
            if parent is None or pd.isna(parent):
                top_headings[row] = headings.get((doc_id, section_id), "")
            else:
                top_headings[row] = headings.get((doc_id, parent), "")
                sub_headings[row] = headings.get((doc_id, section_id), "")
    result["section_id"] = section_ids
    result["section_type"] = kinds
    result["section_heading"] = top_headings
    result["subsection_heading"] = sub_headings
    return result


SLOGAN_SECTION_COLUMNS = [
    "section_type",
    "slogan_id",
    "canonical",
    "mentions",
    "documents_mentioning",
    "characters",
    "per_10k_chars",
]


def slogan_counts_by_section(
    mentions: pd.DataFrame,
    sections_table: pd.DataFrame,
    *,
    corpus: pd.DataFrame | None = None,
    forms=COUNTED_FORMS,
) -> pd.DataFrame:
    """Count slogan mentions per section type (review, targets, tasks, other).

    Parameters
    ----------
    mentions : pandas.DataFrame
        The table from :func:`analysis.slogans.tag_slogans`.
    sections_table : pandas.DataFrame
        The table from :func:`sections` for the same corpus.
    corpus : pandas.DataFrame, optional
        The corpus (``doc_id``, ``text_clean``); with it, the characters of
        documents without sections are counted under :data:`UNSECTIONED`.
    forms : sequence of str or None, default ("compact", "enumerated", "expansion")
        Forms to count, as in :func:`analysis.slogans.slogan_counts`; None
        counts every form.

    Returns
    -------
    pandas.DataFrame
        :data:`SLOGAN_SECTION_COLUMNS`: per section type and slogan, the
        ``mentions``, the documents with at least one of them in that type
        (``documents_mentioning``), the ``characters`` of text of that type
        in the corpus and ``per_10k_chars`` (mentions per 10,000 characters
        of that type, so the long tasks part and the short targets part
        compare). Sorted by section type (in :data:`SECTION_TYPES` order,
        then :data:`UNSECTIONED`) and mentions, most first. Mentions before
        the first heading of a document without preamble are not in any
        section and are left out; their number is in ``attrs["outside"]``.

    Examples
    --------
    >>> from analysis.slogans import tag_slogans
    >>> text = "一、工作回顾\\n做好“六稳”工作。\\n二、主要任务\\n全面落实“六保”任务，做好“六稳”工作。\\n"
    >>> counts = slogan_counts_by_section(tag_slogans(text), sections(text))
    >>> counts[["section_type", "canonical", "mentions"]].values.tolist()
    [['review', '六稳', 1], ['tasks', '六保', 1], ['tasks', '六稳', 1]]
    """
    require_columns(mentions, ["doc_id", "slogan_id", "canonical", "form", "start"], name="mentions", producer="tag_slogans")
    # One reference, one count: a list next to its slogan's name is not counted twice.
    mentions = counted_mentions(mentions, forms)
    assigned = assign_sections(mentions, sections_table)
    outside = int(assigned["section_type"].isna().sum())
    assigned = assigned[assigned["section_type"].notna()]
    tiles = section_tiles(sections_table)
    characters = (tiles["end"] - tiles["start"]).groupby(tiles["section_type"]).sum().to_dict()
    if corpus is not None:
        corpus = _as_corpus(corpus)
        unsectioned = ~corpus["doc_id"].isin(set(sections_table["doc_id"]))
        characters[UNSECTIONED] = int(corpus.loc[unsectioned, "text_clean"].str.len().sum())
    grouped = (
        assigned.groupby(["section_type", "slogan_id", "canonical"], sort=False)
        .agg(mentions=("doc_id", "size"), documents_mentioning=("doc_id", "nunique"))
        .reset_index()
    )
    grouped["characters"] = grouped["section_type"].map(characters).astype("Int64")
    grouped["per_10k_chars"] = grouped["mentions"] / grouped["characters"].astype("float64") * 10_000
    order = {kind: position for position, kind in enumerate((*SECTION_TYPES, UNSECTIONED))}
    grouped["_order"] = grouped["section_type"].map(order)
    grouped = grouped.sort_values(["_order", "mentions", "canonical"], ascending=[True, False, True], kind="stable")
    result = grouped[SLOGAN_SECTION_COLUMNS].reset_index(drop=True)
    result = result.astype({"mentions": "int64", "documents_mentioning": "int64"})
    result.attrs["outside"] = outside
    return result


# ---------------------------------------------------------------------------
# Targets

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
    left = max(text.rfind(stop, 0, start) for stop in _SENTENCE_STOP + "\n") + 1
    rights = [position for position in (text.find(stop, end) for stop in _SENTENCE_STOP + "\n") if position != -1]
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
    corpus = _as_corpus(corpus)
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
