"""Splitting a raw newspaper page into articles with title, subtitle and byline."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .bylines import TRAILING_BYLINE, is_byline
from .characters import HAN_RE
from .paragraphs import CLOSERS, CONNECTIVE_END, HEADING_MARKER, LEAD_MARKER
from .pipeline import clean_steps, require_str
from .traditional import TRADITIONAL_MIN_SHARE, traditional_share

_PAGE_LINE = re.compile(r"[^\r\n]+")
_TITLE_MAX_CHARS = 50
_TITLE_MAX_COMMAS = 2
_DATELINE = r"(?:[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})月(?:[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})日"
_STARTS_WITH_DATELINE = re.compile(_DATELINE)
_LEAD = re.compile(
    r"^(?:本报讯|本報訊"
    r"|(?:本报|本報|新华社|新華社|中新社|央视网|央視網|人民网|人民網|新华网|新華網)"
    r"[^\s，。,]{0,12}?(?:讯|訊|电|電|消息)"
    r"|[“\"「‘']"
    f"|{_DATELINE})"
)
# What opens a news report after its title: the press lead (本报讯, 新华社北京6月1日电). Inside one
# article a subheading is followed by ordinary prose, often opening with a quote or a date, so
# only this lead (or a byline closing the previous article) starts a new article mid-page.
_PRESS_LEAD = re.compile(
    r"^(?:本报讯|本報訊"
    r"|(?:本报|本報|新华社|新華社|中新社|央视网|央視網|人民网|人民網|新华网|新華網)"
    r"[^\s，。,]{0,12}?(?:讯|訊|电|電|消息))"
)
_LINE_PROSE_PUNCT = re.compile(r"[，。,、！？!?；;]")
_TITLE_FORBIDDEN = re.compile(r"[。；;]")
_TITLE_INNER_END = re.compile(r"[！？!?]")
_TITLE_BAD_END = re.compile(r"[，、,：:]$")
_TITLE_COMMAS = re.compile(r"[，,、]")
_TRAILING_CLOSERS = re.compile(f"[{re.escape(CLOSERS)}]+$")
_ENDS_SENTENCE = re.compile(f"[。！？!?…][{re.escape(CLOSERS)}]*$")


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    text: str  # stripped


def _is_title_candidate(text: str) -> bool:
    if not (2 <= len(text) <= _TITLE_MAX_CHARS) or not HAN_RE.search(text):
        return False
    if text[0] in "【[〔" or is_byline(text) or LEAD_MARKER.match(text):
        return False
    if _STARTS_WITH_DATELINE.match(text):
        return False
    body = _TRAILING_CLOSERS.sub("", text)
    if not body or _TITLE_FORBIDDEN.search(body) or _TITLE_INNER_END.search(body[:-1]):
        return False
    if _TITLE_BAD_END.search(body) or body[-1] in CONNECTIVE_END:
        return False
    return len(_TITLE_COMMAS.findall(body)) <= _TITLE_MAX_COMMAS


def _is_prose_line(text: str) -> bool:
    return len(text) >= 10 and text[0] not in "【[〔" and bool(_LINE_PROSE_PUNCT.search(text))


def _is_lead(text: str) -> bool:
    return bool(_LEAD.match(text)) and _is_prose_line(text)


def _closes_article(text: str) -> bool:
    return is_byline(text) or bool(TRAILING_BYLINE.search(text) or _ENDS_SENTENCE.search(text))


def _title_block_size(lines: list[_Line], index: int, *, strong: bool) -> int:
    """How many lines (1 or 2) form a title block at ``index``; 0 for none.

    At the page start a block is followed by a lead paragraph (本报讯, a
    dateline, a quote) or, like after a byline, any prose paragraph. Further
    down, after a paragraph that merely ends a sentence, only a press lead
    (本报讯, 新华社…电) will do, and a numbered heading (一、, （三）) is a
    section of the article, never a title.
    """
    if index > 0 and not strong and HEADING_MARKER.match(lines[index].text):
        return 0
    for size in (1, 2):
        following = index + size
        if following >= len(lines) or not _is_title_candidate(lines[following - 1].text):
            return 0
        body = lines[following].text
        if _is_title_candidate(body):
            continue
        if strong and (_is_lead(body) or _is_prose_line(body)):
            return size
        if _PRESS_LEAD.match(body) and _is_prose_line(body):
            return size
        return 0
    return 0


def _find_title_blocks(lines: list[_Line]) -> list[tuple[int, int]]:
    blocks = []
    index = 0
    while index < len(lines):
        if index == 0:
            boundary, strong = True, True
        else:
            previous = lines[index - 1].text
            boundary = _closes_article(previous)
            strong = is_byline(previous) or bool(TRAILING_BYLINE.search(previous))
        size = _title_block_size(lines, index, strong=strong) if boundary else 0
        if size:
            blocks.append((index, size))
            # A title needs at least one body line before the next can start.
            index += size + 1
        else:
            index += 1
    return blocks


def _untitled(page: str, start: int, end: int, text_clean: str) -> dict:
    return {
        "title": None,
        "subtitle": None,
        "byline": None,
        "text": page[start:end],
        "start": start,
        "end": end,
        "text_clean": text_clean,
        "body_start": 0,
    }


def _titled_article(
    page: str, lines: list[_Line], start: int, end: int, size: int, *, simplify: bool, fix_ocr: bool
) -> dict:
    def clean_title(text: str) -> str:
        return clean_steps(text, simplify=simplify, fix_ocr=fix_ocr, keep_spaces=True)

    title = clean_title(lines[0].text)
    subtitle = clean_title(lines[1].text) if size == 2 else None
    body_from = lines[size - 1].end
    bylines: list[str] = []
    removed: list[tuple[int, int]] = []
    for line in lines[size:]:
        if is_byline(line.text):
            bylines.append(line.text)
            removed.append((line.start, line.end))
            continue
        match = TRAILING_BYLINE.search(page, line.start, line.end)
        if match:
            bylines.append(match.group(1))
            removed.append((match.start(), line.end))
    pieces = []
    position = body_from
    for cut_start, cut_end in removed:
        pieces.append(page[position:cut_start])
        position = cut_end
    pieces.append(page[position:end])
    body = clean_steps("".join(pieces), simplify=simplify, fix_ocr=fix_ocr)
    cleaned_bylines: list[str] = []
    for raw in bylines:
        cleaned = clean_title(raw)
        if cleaned not in cleaned_bylines:
            cleaned_bylines.append(cleaned)
    head = [title] if subtitle is None else [title, subtitle]
    body_start = sum(len(part) + 2 for part in head)
    text_clean = "\n\n".join([*head, body]) if body else "\n\n".join(head)
    return {
        "title": title,
        "subtitle": subtitle,
        "byline": "；".join(cleaned_bylines) or None,
        "text": page[start:end],
        "start": start,
        "end": end,
        "text_clean": text_clean,
        "body_start": min(body_start, len(text_clean)),
    }


def split_articles(page: str, *, to_simplified: bool = True, fix_ocr: bool = True) -> list[dict]:
    """Split one raw newspaper page into articles.

    An article starts with a title block: one or two short lines (title,
    then subtitle) with no sentence punctuation, not opening with ``【``
    (a section head), not a byline and not ending in a connective, placed at
    the start of the page or right after an article ends (a byline, or a
    paragraph ending in 。！？ possibly followed by a closing quote). It must be
    followed by a lead paragraph (本报讯 / 新华社…电, a dateline such as
    ``5月23日``, or an opening quote); after the page start or a byline any
    prose paragraph will do. Bylines (``记者 李颖 孙庆辉 文/图``), standalone
    or at the end of a paragraph, do not start articles; they are moved to
    ``byline``.

    Parameters
    ----------
    page : str
        Raw text of the page.
    to_simplified, fix_ocr : bool
        As in :func:`clean_text`; the traditional/simplified decision is made
        once for the whole page.

    Returns
    -------
    list of dict
        One dict per article, in page order, with keys

        - ``title``, ``subtitle`` (str or None): cleaned like
          :func:`clean_text` but spaces between title parts are kept
          (``区领导到荥阳东沟村 调研扶贫工作``; a space inside a title cannot be
          told from a separator, so ``探索发展一条独具特色的 生态产业链`` keeps
          its space too);
        - ``byline`` (str or None): the cleaned byline(s), several joined
          with ``；``;
        - ``text``: the raw slice ``page[start:end]``, never modified;
        - ``start``, ``end``: offsets into ``page``. The slices tile the page:
          the first starts at 0, each ends where the next starts, the last
          ends at ``len(page)``;
        - ``text_clean``: title, subtitle (if any) and cleaned body joined
          with ``"\\n\\n"`` (body paragraphs are separated by ``"\\n"``); the
          byline is not in it;
        - ``body_start``: offset in ``text_clean`` where the body begins.

        Text before the first title (or a page with no article structure)
        gives an article with ``title=None``, ``byline=None``,
        ``text_clean = clean_text(text)`` and ``body_start=0``.

    Examples
    --------
    >>> page = ("区领导调研扶贫工作\\n\\n本报讯 5月23日,张红军到东沟村调研。 记者 李颖\\n\\n"
    ...         "高新区召开大会\\n\\n本报讯 6月1日,高新区召开全区大会。")
    >>> [(a["title"], a["byline"]) for a in split_articles(page)]
    [('区领导调研扶贫工作', '记者 李颖'), ('高新区召开大会', None)]
    >>> split_articles(page)[1]["text_clean"]
    '高新区召开大会\\n\\n本报讯 6月1日，高新区召开全区大会。'
    """
    require_str(page, name="split_articles")
    simplify = to_simplified and traditional_share(page) >= TRADITIONAL_MIN_SHARE
    lines = [
        _Line(match.start(), match.end(), match.group().strip())
        for match in _PAGE_LINE.finditer(page)
        if match.group().strip()
    ]
    blocks = _find_title_blocks(lines)
    if not blocks:
        return [_untitled(page, 0, len(page), clean_steps(page, simplify=simplify, fix_ocr=fix_ocr))]
    articles = []
    first_index = blocks[0][0]
    starts = [lines[index].start for index, _ in blocks]
    if first_index > 0:
        lead_in = page[: starts[0]]
        lead_in_clean = clean_steps(lead_in, simplify=simplify, fix_ocr=fix_ocr)
        articles.append(_untitled(page, 0, starts[0], lead_in_clean))
    else:
        # Whitespace before the first title belongs to the first article.
        starts[0] = 0
    ends = [*starts[1:], len(page)]
    line_bounds = [index for index, _ in blocks] + [len(lines)]
    for number, (index, size) in enumerate(blocks):
        article_lines = lines[index : line_bounds[number + 1]]
        articles.append(
            _titled_article(
                page,
                article_lines,
                starts[number],
                ends[number],
                size,
                simplify=simplify,
                fix_ocr=fix_ocr,
            )
        )
    return articles
