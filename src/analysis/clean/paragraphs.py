"""Step 4 of cleaning: lines broken inside a sentence joined into paragraphs; headings stay."""

from __future__ import annotations

import re

CLOSERS = "”’」』）)》\"'"
# A paragraph is complete when it ends in sentence-final punctuation (possibly
# followed by closing quotes/brackets) or in a colon (各位代表：).
_ENDS_COMPLETE = re.compile(rf"(?:[。！？!?；;…]+[{CLOSERS}]*|[：:])$")
# A line starting with these continues the previous one (a hyperlink phrase
# split off before "。" or "》").
_STARTS_AS_CONTINUATION = re.compile(r"^[，。、；：！？）》”’」』…,.;:!?)\]%]")
# A line ending with these is cut mid-sentence.
_ENDS_OPEN = re.compile(r"[，、,（(《“‘「『—/\-]$")
HEADING_MARKER = re.compile(
    r"^(?:[一二三四五六七八九十百零〇]{1,3}[、.．]"
    r"|[（(][一二三四五六七八九十百零〇\d]{1,3}[）)]"
    r"|\d{1,2}[、.．](?!\d)"
    r"|第[一二三四五六七八九十百零〇\d]{1,4}[章节部分条篇编]"
    r"|第[一二三四五六七八九十]{1,3}[，、,]"
    r"|[一二三四五六七八九十]{1,2}是"
    r"|【[^】\n]{1,12}】"
    r"|[①-⑳])"
)
LEAD_MARKER = re.compile(
    r"^(?:本报讯|本報訊|(?:本报|本報|新华社|新華社|中新社)[^\s，。,]{0,12}?(?:电|電))"
)
_SENTENCE_END_ANYWHERE = re.compile(r"[。！？!?；;]")
_CLAUSE_PUNCT = re.compile(r"[，、]|(?<!\d),|,(?!\d)")
_QUOTED_SPAN = re.compile(r"“[^”\n]*”|\"[^\"\n]*\"|《[^》\n]*》|‘[^’\n]*’")
# A line cut after one of these cannot be a title or heading (当获悉…发热门诊和).
CONNECTIVE_END = frozenset("和与及并或把被")
# Run-in headings of the older reports carry commas and reach ~35 characters
# (第一，必须把加强农业放在发展国民经济的重要战略地位); a line cut mid-sentence
# without any full stop in it is longer (the seed's is ~100).
_PROSE_MIN_CHARS = 40
_HEADING_MAX_CHARS = 60
_LATIN = re.compile(r"[A-Za-z]")


def _is_heading(paragraph: str) -> bool:
    return (
        bool(HEADING_MARKER.match(paragraph))
        and len(paragraph) <= _HEADING_MAX_CHARS
        and not _SENTENCE_END_ANYWHERE.search(paragraph)
    )


def _is_prose(paragraph: str) -> bool:
    # Punctuation inside quotes or book titles says nothing about the line:
    # a title such as 第四届“你好，新时代”大赛 has a comma too.
    bare = _QUOTED_SPAN.sub("", paragraph)
    if _SENTENCE_END_ANYWHERE.search(bare):
        return True
    return len(paragraph) >= _PROSE_MIN_CHARS and bool(_CLAUSE_PUNCT.search(bare))


def _continues(previous: str, line: str, *, soft: bool, blank_line_paragraphs: bool) -> bool:
    """Whether ``line`` continues the paragraph ``previous`` (both stripped)."""
    if _ENDS_COMPLETE.search(previous):
        return False
    if _STARTS_AS_CONTINUATION.match(line) or _ENDS_OPEN.search(previous):
        return True
    if _is_heading(previous) or HEADING_MARKER.match(line):
        return False
    if soft:
        return True
    if not blank_line_paragraphs:
        # One paragraph per line: only the punctuation evidence above joins.
        return False
    if LEAD_MARKER.match(line):
        return False
    if previous[-1] in CONNECTIVE_END:
        return True
    return _is_prose(previous)


def split_paragraphs(text: str) -> list[str]:
    """The paragraphs of ``text``, lines broken inside a sentence joined (:func:`join_broken_lines` as a list).

    Examples
    --------
    >>> split_paragraphs("各位代表：\\n过去一年，\\n经济回升。\\n\\n二、任务")
    ['各位代表：', '过去一年，经济回升。', '二、任务']
    """
    lines = text.split("\n")
    stripped = [line.strip() for line in lines]
    # Where blank lines separate paragraphs (gov reports, OCR pages), a single
    # newline is a soft break from the source's layout (hyperlinked phrases).
    blank_line_paragraphs = False
    seen_text = blank_pending = False
    for line in stripped:
        if not line:
            blank_pending = seen_text
        elif blank_pending:
            blank_line_paragraphs = True
            break
        else:
            seen_text = True
    paragraphs: list[str] = []
    current = ""
    previous_raw_ends_in_space = False
    blank_run = 0
    for raw, line in zip(lines, stripped):
        if not line:
            blank_run += 1
            continue
        if not current:
            current = line
        elif _continues(
            current,
            line,
            soft=blank_line_paragraphs and blank_run == 0,
            blank_line_paragraphs=blank_line_paragraphs,
        ):
            # Keep a space where the source had one at the cut (国务院总理\u3000\n李\u3000强)
            # or where two Latin words meet; prose polishing drops it between
            # Chinese characters.
            spaced = previous_raw_ends_in_space or raw[:1].isspace()
            latin = _LATIN.match(current[-1]) and _LATIN.match(line[0])
            current = current + (" " if spaced or latin else "") + line
        else:
            paragraphs.append(current)
            current = line
        previous_raw_ends_in_space = raw[-1:].isspace()
        blank_run = 0
    if current:
        paragraphs.append(current)
    return paragraphs


def join_broken_lines(text: str) -> str:
    """Join lines broken inside a sentence; keep paragraph breaks and headings.

    Lines are stripped and blank lines dropped. A line continues the
    paragraph before it when that paragraph has no sentence-final
    punctuation (。！？；… or a closing quote after one) and no final colon,
    and one of these holds:

    - the line starts with punctuation that cannot begin a paragraph
      (``。``, ``》``, ``，``) or the paragraph ends with punctuation that
      cannot end one (``，``, ``《``, ``——``);
    - the document separates paragraphs by blank lines and the break is a
      single newline (hyperlinked phrases in the government work reports:
      ``劉少奇同志\\n關於憲法草案的報告\\n並進行``);
    - the document separates paragraphs by blank lines, and the paragraph ends
      with a connective (和, 与, 及, ...) or is prose -- it has sentence
      punctuation outside quotes, or clause punctuation and at least 40
      characters (``郑州国家中心\\n\\n\\n\\n城市``).

    Headings (a line of at most 60 characters without sentence-final
    punctuation that starts with ``一、``, ``（一）``, ``1.``, ``第三章``,
    ``第一，``, ``一是``, ``【情怀】`` or ``①``) are never joined to what
    follows, nor is a line that starts like a heading or a lead (``本报讯``)
    joined to what precedes. In a document with one paragraph per line (no
    blank lines), only the punctuation evidence joins.

    A paragraph that lacks its final punctuation in the source and is
    followed by another is joined to it when it is prose (the older
    government reports have a few bold run-in lead sentences without a full
    stop); a line break cannot be told from a paragraph break there.

    Returns
    -------
    str
        Paragraphs separated by a single ``"\\n"``.

    Examples
    --------
    >>> join_broken_lines("当获悉湖北十堰人民医院发热门诊和\\n\\n隔离病房保洁工作急需支援时，他们出发了。")
    '当获悉湖北十堰人民医院发热门诊和隔离病房保洁工作急需支援时，他们出发了。'
    >>> join_broken_lines("各位代表：\\n\\n在聽了劉少奇同志\\n關於憲法草案的報告\\n並進行了三天的討論以後。")
    '各位代表：\\n在聽了劉少奇同志關於憲法草案的報告並進行了三天的討論以後。'
    >>> join_broken_lines("一、2024年工作回顾\\n\\n\\n过去一年，我国发展历程很不平凡。")
    '一、2024年工作回顾\\n过去一年，我国发展历程很不平凡。'
    """
    return "\n".join(split_paragraphs(text))
