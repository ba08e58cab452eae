"""The numbered headings of a work report: which lines are headings, in sequence, and their type."""

from __future__ import annotations

import re
from dataclasses import dataclass

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

_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUMBER = "[一二三四五六七八九十]{1,3}"
_HEADING = re.compile(
    rf"[ \t\u3000]*(?:(?P<plain>{_CN_NUMBER})[、．.]|[（(](?P<paren>{_CN_NUMBER})[)）])[ \t\u3000]*"
)
SENTENCE_STOP = "。！？!?"
"""Characters that end a sentence."""
LINE = re.compile(r"[^\n]*")
"""One line of a text (``finditer`` also yields an empty match at each line end)."""


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
            and not any(stop in body for stop in SENTENCE_STOP)
            and not body.endswith(("；", ";", "：", ":", "，", ","))
        )


def numbered_lines(text: str) -> list[_Line]:
    """Every line of ``text`` that opens with a numeral (一、 or （一）), with its shape, number and offsets.

    Examples
    --------
    >>> [(line.shape, line.number, line.start) for line in numbered_lines("前言\\n一、回顾\\n（二）任务")]
    [('plain', 1, 3), ('paren', 2, 8)]
    """
    lines = []
    for match in LINE.finditer(text):
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


def in_sequence(lines: list[_Line], *, require_heading_like: bool) -> list[_Line]:
    """The lines that continue the outer numbering, following nested lists that restart at one.

    ``counters[0]`` is the outer count; each further entry is a list that
    restarted at one inside it. A line continues the innermost list it can.

    Examples
    --------
    >>> lines = numbered_lines("一、甲\\n一、列一\\n二、列二\\n二、乙")
    >>> [line.text for line in in_sequence(lines, require_heading_like=True)]
    ['一、甲', '二、乙']
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


def first_sentence(text: str) -> str:
    """``text`` up to its first sentence stop, stripped.

    Examples
    --------
    >>> first_sentence("（一）稳定经济增长。要保持政策连续性")
    '（一）稳定经济增长'
    """
    cut = min((text.find(stop) for stop in SENTENCE_STOP if stop in text), default=len(text))
    return text[:cut].strip()


def classify_heading(heading: str) -> str | None:
    """Section type of a level-1 heading by its words alone (rules 1–5 of :mod:`analysis.workreport`).

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
