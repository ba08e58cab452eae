"""Bylines (记者 李颖 孙庆辉 文/图): recognised on a line of their own, or split off the paragraph they end (step 5)."""

from __future__ import annotations

import re

from .punctuation import NAME_TOKEN

_ROLE = (
    r"(?:本报|本報)?(?:特约|特約|实习|實習|见习|見習|摄影|攝影)?"
    r"(?:记者|記者|通讯员|通訊員|实习生|實習生)"
)
_GAP = r"[ \u3000]+"
_CREDIT = r"(?:文/图|图/文|文／图|图／文|文/圖|圖/文|摄影|攝影|摄|攝|报道|報道|文|图|圖)"
_BYLINE = (
    f"{_ROLE}[ \\u3000]*{NAME_TOKEN}(?:{_GAP}{NAME_TOKEN})*"
    f"(?:{_GAP}{_ROLE}[ \\u3000]*{NAME_TOKEN}(?:{_GAP}{NAME_TOKEN})*)*"
    f"(?:[ \\u3000]*{_CREDIT})?"
)
BYLINE_ROLE_WORD = re.compile("记者|記者|通讯员|通訊員|实习生|實習生")
_BYLINE_LINE = re.compile(f"[（(]?{_BYLINE}[）)]?")
TRAILING_BYLINE = re.compile(f"(?<=[。！？!?”’\"'」）)]){_GAP}({_BYLINE})[ \\u3000]*$")


def split_trailing_bylines(paragraphs: list[str]) -> list[str]:
    """``paragraphs`` with a byline that ends one of them moved onto a line of its own.

    Examples
    --------
    >>> split_trailing_bylines(["参加宣讲活动。 记者 李颖 孙庆辉 文/图", "下一段"])
    ['参加宣讲活动。', '记者 李颖 孙庆辉 文/图', '下一段']
    """
    # "…参加宣讲活动。 记者 李颖 孙庆辉 文/图": the byline is not part of the
    # sentence; on its own line its spaces survive as separators.
    result = []
    for paragraph in paragraphs:
        match = TRAILING_BYLINE.search(paragraph)
        if match:
            result.append(paragraph[: match.start()])
            result.append(match.group(1))
        else:
            result.append(paragraph)
    return result


def is_byline(text: str) -> bool:
    """Whether the whole of ``text`` is a byline (optionally in brackets).

    Examples
    --------
    >>> is_byline("记者 李颖 孙庆辉 文/图"), is_byline("（本报记者 王某）"), is_byline("他是一名记者。")
    (True, True, False)
    """
    return bool(_BYLINE_LINE.fullmatch(text))
