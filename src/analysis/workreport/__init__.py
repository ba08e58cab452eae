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

The subpackage has one module per part of the reading:
:mod:`~analysis.workreport.headings` (which numbered lines are headings, and
their type), :mod:`~analysis.workreport.sectioning` (the section table, spans
joined to sections, slogan counts per section) and
:mod:`~analysis.workreport.targets` (the targets) with
:mod:`~analysis.workreport.numbers` (numbers in digits or Chinese numerals). Every public name is
importable from ``analysis.workreport`` itself.

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
  目标定为 / 调控目标，定为, or the plan of a named year (今年计划要求,
  今年国民生产总值计划增长, 1981年国民经济计划主要指标安排如下), to the end of
  its paragraph (and the next paragraph when the cue ends the line with a
  colon, as in 2010–2012; up to the next heading after 安排如下). Statements
  about the coming year (the cue's sentence says 今年, 明年 or names the
  report's year or the next) rank before others; statements about five years
  (今后五年, “十二五”, 年均, 平均每年) or about an earlier year's plan are
  skipped;
- for the price, fiscal and grain figures, which reports state apart from
  the list of main targets, in any sentence outside a ``review`` section that
  looks forward (今年, 拟, 安排, 把全年) and the sentence after it:
  今年赤字率拟按3%安排, 拟安排地方政府专项债券4.4万亿元, 努力把全年零售物价上涨幅度控制在百分之十以内.

Values in Chinese numerals (百分之九, 百分之八至九, 百分之七点五, 三千九百二十亿斤)
are read like digits (:mod:`~analysis.workreport.numbers`). A clause that
speaks of the past before the indicator (去年, 上年, 过去, 年均, 累计 …) is
skipped, unless the comparison is itself planned (将比上年增长14.1%); a
change (粮食产量增加三千亿斤) is no level. One row is kept per document and
indicator: the first one of the best-ranked source. The indicators are
:data:`INDICATORS`; ``target_year`` says which year a target is for (the
1980 and 1981 reports present the next year's plan).

Which indicators, and why: the headline growth target is on GNP
(国民生产总值, ``gnp_growth``) in the reports up to 1993 and on GDP
(``gdp_growth``) from 1994 (经济增长速度 in 1995–1999 and 2003–2004 is read
as GDP, the measure of those years); the two are never merged, and
``analysis.textplot.targets_over_time`` draws them as distinct series. The
planned economy's aggregates, 工农业总产值 (``output_growth``) and 国民收入
(``national_income_growth``), are other measures (gross output counts
intermediate goods; national income is net material product), so they have
ids of their own rather than standing in for GDP; the reports state few
annual ones (1956, 1959, and the 1980 and 1981 reports for 1981 and 1982).
Prices keep the index the report names: ``retail_prices`` (零售物价,
商品零售价格, the 1990s), ``prices`` (物价 with no index named, 1995) and
``cpi`` (居民消费价格).
"""

from __future__ import annotations

from .headings import (  # noqa: F401
    ACHIEVEMENT_KEYWORDS,
    MAX_HEADING_CHARS,
    OTHER_KEYWORDS,
    REVIEW_KEYWORDS,
    TARGETS_KEYWORDS,
    TASKS_KEYWORDS,
    classify_heading,
)
from .numbers import parse_number  # noqa: F401
from .sectioning import (  # noqa: F401
    ASSIGNED_COLUMNS,
    PARTS,
    SECTION_COLUMNS,
    SECTION_TYPES,
    SLOGAN_SECTION_COLUMNS,
    UNSECTIONED,
    assign_sections,
    section_tiles,
    sections,
    slogan_counts_by_section,
)
from .targets import (  # noqa: F401
    HEADLINE_GROWTH,
    INDICATORS,
    NOT_STATED,
    NO_TARGET,
    TARGET_COLUMNS,
    extract_targets,
    targets_by_year,
)

__all__ = [
    "ACHIEVEMENT_KEYWORDS",
    "ASSIGNED_COLUMNS",
    "HEADLINE_GROWTH",
    "INDICATORS",
    "MAX_HEADING_CHARS",
    "NOT_STATED",
    "NO_TARGET",
    "OTHER_KEYWORDS",
    "PARTS",
    "REVIEW_KEYWORDS",
    "SECTION_COLUMNS",
    "SECTION_TYPES",
    "SLOGAN_SECTION_COLUMNS",
    "TARGETS_KEYWORDS",
    "TARGET_COLUMNS",
    "TASKS_KEYWORDS",
    "UNSECTIONED",
    "assign_sections",
    "classify_heading",
    "extract_targets",
    "parse_number",
    "section_tiles",
    "sections",
    "slogan_counts_by_section",
    "targets_by_year",
]
