"""OCR-aware cleaning of Chinese text and splitting newspaper pages into articles.

:func:`clean_text` turns one document's raw text into ``text_clean``, the text
every later stage indexes (token, mention and KWIC offsets all point into it).
It runs these steps, each also public so it can be tested and reused:

1. :func:`strip_markup` -- newlines normalised (``\\r\\n``, ``\\r``), zero-width
   characters dropped, HTML tags removed and entities unescaped, markdown
   escapes undone, boilerplate lines dropped (a markdown link alone on a line
   such as CCTV's ``[查看原文](https://…)``, a bare URL, a horizontal rule
   ``---``, a ``更新时间：2023-09-04T14:18:08Z`` timestamp line).
2. :func:`normalize_width` -- full-width digits, Latin letters and ASCII
   symbols to half-width (``１９５５`` -> ``1955``), ``「」『』`` to ``“”‘’``,
   ideographic and no-break spaces to ordinary spaces.
3. :func:`traditional_to_simplified` -- OpenCC ``t2s`` for documents that are
   written in traditional characters (see the function for why a document
   that is already simplified is left alone).
4. :func:`join_broken_lines` -- lines broken inside a sentence (by OCR layout
   or by hyperlinks in the source page) are joined; real paragraph breaks and
   headings stay.
5. A byline at the end of a paragraph (``…活动。 记者 李颖 孙庆辉 文/图``) is
   put on its own line.
6. :func:`pair_quotes` and :func:`normalize_punctuation` -- straight quotes
   become paired curly quotes, ASCII punctuation sitting in Chinese text
   becomes the Chinese full-width form, stray spaces between Chinese
   characters go.
7. :func:`apply_ocr_fixes` -- reviewed OCR confusions from
   ``data/ocr_fixes.tsv``, each applied only in the context that makes it
   certain.

Lines that are reviewed boilerplate (:func:`strip_boilerplate_lines`, the
list in ``data/boilerplate_lines.txt``: web-page menus such as ``下载 打印 全屏
收藏``, ``【字体：大 中 小】``, ``分享到：``, ``责任编辑：…``; the Wikisource
licence notice; the ``CONTENT NOTFOUND`` placeholder) are dropped after step
2 and again after step 4, where a notice broken over hyperlink lines has
become one line.

Every regular expression here is linear in the length of the text (no
nested unbounded repetition), so a document that is one 50 MB line is
cleaned in seconds; ``tests/test_clean.py`` checks it.

Output convention: paragraphs are separated by a single ``"\\n"``; there are
no blank lines and no leading or trailing whitespace.

Spaces between Chinese characters are removed in prose paragraphs (a
paragraph with ，。！？；), where they are OCR noise (``管委会 主任``). In a
line with no such punctuation -- a title, a byline, a list of names -- a
space separates parts (``区领导到荥阳东沟村 调研扶贫工作``,
``习近平　李克强　栗战书``), so it is kept as one ASCII space; only the
typographic padding of a two-character name (``李　强``) is closed. The same
holds inside a prose paragraph for a cited title or quoted slogan that is
not a sentence (``《坚定信心　勇毅前行》``, ``“专精特新　强基固链”``).

:func:`split_articles` splits a raw newspaper page into articles with title,
subtitle and byline; each article's ``text`` is the untouched slice
``page[start:end]`` and the slices tile the page.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import html
import io
import operator
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import config

# --------------------------------------------------------------------------
# Character classes
# --------------------------------------------------------------------------

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3007"
# Chinese punctuation after width normalisation (the full-width ASCII variants
# that stay full-width are ！（），：；？).
CJK_PUNCT = "，。、；：？！（）《》〈〉【】「」『』“”‘’…—〔〕〖〗"
_CJK = HAN + CJK_PUNCT

_HAN_RE = re.compile(f"[{HAN}]")

# --------------------------------------------------------------------------
# 1. Markup and boilerplate
# --------------------------------------------------------------------------

_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
_ZERO_WIDTH_CHARS = "\u200b\u200c\u200d\u2060\ufeff"
_ZERO_WIDTH = dict.fromkeys(map(ord, _ZERO_WIDTH_CHARS))
_ZERO_WIDTH_LINE = re.compile(
    f"^[ \\t{_ZERO_WIDTH_CHARS}]*[{_ZERO_WIDTH_CHARS}][ \\t{_ZERO_WIDTH_CHARS}]*\\n", re.M
)
_HTML_COMMENT_OPEN, _HTML_COMMENT_CLOSE = "<!--", "-->"
_HTML_LINE_BREAK = re.compile(r"<br\s*/?>", re.I)
_HTML_BLOCK_TAG = re.compile(
    r"</?(?:p|div|li|ul|ol|h[1-6]|tr|table|blockquote|section|article|header|footer|hr"
    r"|html|head|body|title|main|nav|aside|figure|figcaption|dl|dt|dd|caption|form|meta|link|!doctype)"
    r"(?:\s[^<>]*)?/?>",
    re.I,
)
_HTML_INLINE_TAG = re.compile(
    r"</?(?:span|a|b|i|u|s|em|strong|font|sup|sub|small|big|center|img|td|th|tbody|thead|code|pre)"
    r"(?:\s[^<>]*)?/?>",
    re.I,
)
# Only well-formed entities: html.unescape alone would also turn a bare
# "&not" inside "A&notB" into "¬".
_HTML_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# A line holding only a hard-break backslash is a line break, not a blank line.
_MARKDOWN_BREAK_ONLY_LINE = re.compile(r"^[ \t]*\\\n", re.M)
_MARKDOWN_HARD_BREAK = re.compile(r"[ \t]*\\$", re.M)
_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!~|<>])")
_MARKDOWN_STRONG = re.compile(r"\*{2,}")
# Link text and URL stop at the next "[": otherwise every "[" of a long line of
# unclosed links would rescan the rest of the line (quadratic).
_MARKDOWN_INLINE_LINK = re.compile(r"\[([^\[\]\n]+)\]\((?:https?://|www\.)[^\[)\s]*\)")
_BOILERPLATE_LINE = re.compile(
    r"^[ \t\u3000]*(?:"
    r"\[[^\]\n]*\]\((?:https?://|www\.)[^)\s]*\)"  # a markdown link alone on its line
    r"|(?:https?://|www\.)\S+"  # a bare URL
    r"|(?P<rule>[-*_=])(?:[ \t]*(?P=rule)){2,}"  # a horizontal rule
    r"|[^\s:：]{1,12}[:：][ \t]*\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
    r"(?:Z|[+-]\d{2}:?\d{2})?"  # a "更新时间：<ISO timestamp>" metadata line
    r")[ \t\u3000]*(?:\n|\Z)",
    re.M,
)


_HTML_HIDDEN_OPEN = re.compile(r"<(script|style|noscript)\b[^<>]*>", re.I)


def _drop_hidden_html(text: str) -> str:
    # Script and style elements are not text: their content goes with the tags.
    # str.find for the closing tag keeps this linear (see _drop_html_comments).
    lowered = text.lower()
    pieces = []
    position = 0
    for match in _HTML_HIDDEN_OPEN.finditer(text):
        if match.start() < position:
            continue
        close = f"</{match.group(1).lower()}"
        end = lowered.find(close, match.end())
        if end < 0:
            break
        end = lowered.find(">", end)
        if end < 0:
            break
        pieces.append(text[position : match.start()])
        position = end + 1
    if not pieces:
        return text
    pieces.append(text[position:])
    return "".join(pieces)


def _drop_html_comments(text: str) -> str:
    # A scan with str.find rather than the regex <!--.*?-->: that regex rescans
    # to the end of the text from every unclosed "<!--", quadratic on a long
    # scraped page full of them. Text after an unclosed "<!--" is kept.
    pieces = []
    position = 0
    while True:
        start = text.find(_HTML_COMMENT_OPEN, position)
        if start < 0:
            break
        end = text.find(_HTML_COMMENT_CLOSE, start + len(_HTML_COMMENT_OPEN))
        if end < 0:
            break
        pieces.append(text[position:start])
        position = end + len(_HTML_COMMENT_CLOSE)
    if not pieces:
        return text
    pieces.append(text[position:])
    return "".join(pieces)


def strip_markup(text: str) -> str:
    """Normalise newlines and remove markup and boilerplate lines.

    Newlines become ``"\\n"``; zero-width characters and soft hyphens are
    dropped; HTML comments and tags are removed (``<br>`` becomes a line
    break, block tags such as ``<p>`` a paragraph break) and well-formed
    entities are unescaped; markdown escapes (``\\*``) and hard-break
    backslashes are undone, ``**`` emphasis markers dropped and inline links
    reduced to their text. Lines that are not text are dropped: a markdown
    link alone on its line (CCTV's ``[查看原文](https://…)``), a bare URL, a
    horizontal rule (``---``) and a ``label：<ISO timestamp>`` line.

    Parameters
    ----------
    text : str
        Raw document text.

    Returns
    -------
    str
        The text with its line structure; dropped lines are removed with
        their newline.

    Examples
    --------
    >>> strip_markup("<p>改革&amp;开放</p>\\r\\n[查看原文](https://tv.cctv.com/x.shtml)\\n---\\n")
    '\\n\\n改革&开放\\n\\n\\n'
    """
    text = _NEWLINES.sub("\n", text).replace("\u00ad", "")
    if any(char in text for char in _ZERO_WIDTH_CHARS):
        # Wikisource puts a zero-width-space line inside sentences
        # (今年预期目标设定\n\u200b\n为6%以上): the line goes with its newline
        # so that no blank line is left behind.
        text = _ZERO_WIDTH_LINE.sub("", text).translate(_ZERO_WIDTH)
    if "<" in text:
        text = _drop_hidden_html(_drop_html_comments(text))
        text = _HTML_LINE_BREAK.sub("\n", text)
        text = _HTML_BLOCK_TAG.sub("\n\n", text)
        text = _HTML_INLINE_TAG.sub("", text)
    if "&" in text:
        text = _HTML_ENTITY.sub(lambda m: html.unescape(m.group()), text)
    if "\\" in text:
        text = _MARKDOWN_BREAK_ONLY_LINE.sub("", text)
        text = _MARKDOWN_HARD_BREAK.sub("", text)
        text = _MARKDOWN_ESCAPE.sub(r"\1", text)
    if "**" in text:
        text = _MARKDOWN_STRONG.sub("", text)
    text = _BOILERPLATE_LINE.sub("", text)
    if "](" in text:
        text = _MARKDOWN_INLINE_LINK.sub(r"\1", text)
    return text


# --------------------------------------------------------------------------
# 2. Width
# --------------------------------------------------------------------------

# These full-width forms are the Chinese punctuation marks themselves.
_KEEP_FULL_WIDTH = "！（），：；？"
_WIDTH_TABLE = {
    code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F) if chr(code) not in _KEEP_FULL_WIDTH
}
_WIDTH_TABLE.update(
    {
        0x3000: " ",
        0x00A0: " ",
        0x202F: " ",
        0x205F: " ",
        0x0009: " ",
        **{code: " " for code in range(0x2000, 0x200B)},
        0x300C: "“",
        0x300D: "”",
        0x300E: "‘",
        0x300F: "’",
        0x301D: "“",
        0x301E: "”",
        0x301F: "”",
    }
)
_WIDTH_CHAR = re.compile("[" + re.escape("".join(map(chr, _WIDTH_TABLE))) + "]+")


def _width_replacement(match: re.Match) -> str:
    return match.group().translate(_WIDTH_TABLE)


# 1956's report writes ２７，２０３，３１９，０００元: a comma followed by exactly
# three digits after a digit is a thousands separator, not a pause.
_THOUSANDS_COMMA = re.compile(r"(?<=\d)，(?=\d{3}(?!\d))")


def normalize_width(text: str) -> str:
    """Map full-width letters, digits and symbols to half-width.

    Full-width digits, Latin letters and ASCII symbols become half-width
    (``１９５５`` -> ``1955``, ``３．６８％`` -> ``3.68%``); the full-width forms
    that are Chinese punctuation (！（），：；？) stay. A full-width comma
    between digits that groups thousands becomes ``,``. Corner brackets
    ``「」`` and ``『』`` become ``“”`` and ``‘’``. Ideographic (U+3000),
    no-break and other typographic spaces and tabs become ``" "``; which of
    them survive is decided later (:func:`normalize_punctuation`).

    Examples
    --------
    >>> normalize_width("１９５５年收入２７，２０３元，增长３．６８％")
    '1955年收入27,203元，增长3.68%'
    >>> normalize_width("「控保稳进抬扛」\\u3000ＧＤＰ")
    '“控保稳进抬扛” GDP'
    """
    if _WIDTH_CHAR.search(text):
        # Translating only the matches: str.translate looks up every character.
        text = _WIDTH_CHAR.sub(_width_replacement, text)
    if "，" in text:
        text = _THOUSANDS_COMMA.sub(",", text)
    return text


# --------------------------------------------------------------------------
# 3. Traditional -> simplified
# --------------------------------------------------------------------------

# opencc's t2s also rewrites characters that are correct in simplified text
# when they sit in names (王丙乾 -> 王丙干, 乾县 -> 干县, 日昇昌 -> 日升昌: all in
# the 2022 CCTV corpus). In a simplified document such characters are rare:
# no CCTV item reaches 0.31 % of its Chinese characters, no simplified
# government report 0.03 %. The traditional 1954 report has 31 %, and the
# 1957 report, simplified with traditional forms left in (会議, 問題), 0.73 %.
TRADITIONAL_MIN_SHARE = 0.005


@functools.lru_cache(maxsize=1)
def _t2s_converter():
    # Built once on first use: loading the dictionaries costs ~50 ms and the
    # converter holds no state between calls.
    import opencc

    return opencc.OpenCC("t2s")


def _count_han(text: str) -> int:
    return len(text) - len(_HAN_RE.sub("", text))


def traditional_share(text: str) -> float:
    """Share of the Chinese characters that OpenCC ``t2s`` would change.

    Examples
    --------
    >>> traditional_share("我們開會")
    0.75
    >>> traditional_share("我们开会")
    0.0
    """
    if not _HAN_RE.search(text):
        return 0.0
    converted = _t2s_converter().convert(text)
    if converted == text:
        return 0.0
    if len(converted) != len(text):
        return 1.0
    return sum(map(operator.ne, text, converted)) / _count_han(text)


def traditional_to_simplified(text: str, *, min_share: float = TRADITIONAL_MIN_SHARE) -> str:
    """Convert traditional characters to simplified with OpenCC ``t2s``.

    The text is converted only when at least ``min_share`` of its Chinese
    characters are traditional forms (see :func:`traditional_share`): ``t2s``
    also "simplifies" characters that are correct in simplified text inside
    names (王丙乾, 乾县), so a document that is already simplified is returned
    unchanged. Pass ``min_share=0`` to convert unconditionally.

    Parameters
    ----------
    text : str
    min_share : float, default TRADITIONAL_MIN_SHARE (0.005)

    Examples
    --------
    >>> traditional_to_simplified("我們第一屆全國人民代表大會第一次會議")
    '我们第一届全国人民代表大会第一次会议'
    >>> traditional_to_simplified("国务委员王丙乾", min_share=0.2)
    '国务委员王丙乾'
    """
    if not _HAN_RE.search(text):
        return text
    converted = _t2s_converter().convert(text)
    if min_share <= 0 or converted == text:
        return converted
    if len(converted) == len(text):
        changed = sum(map(operator.ne, text, converted))
        if changed < min_share * _count_han(text):
            return text
    return converted


# --------------------------------------------------------------------------
# 4. Joining broken lines
# --------------------------------------------------------------------------

_CLOSERS = "”’」』）)》\"'"
# A paragraph is complete when it ends in sentence-final punctuation (possibly
# followed by closing quotes/brackets) or in a colon (各位代表：).
_ENDS_COMPLETE = re.compile(rf"(?:[。！？!?；;…]+[{_CLOSERS}]*|[：:])$")
# A line starting with these continues the previous one (a hyperlink phrase
# split off before "。" or "》").
_STARTS_AS_CONTINUATION = re.compile(r"^[，。、；：！？）》”’」』…,.;:!?)\]%]")
# A line ending with these is cut mid-sentence.
_ENDS_OPEN = re.compile(r"[，、,（(《“‘「『—/\-]$")
_HEADING_MARKER = re.compile(
    r"^(?:[一二三四五六七八九十百零〇]{1,3}[、.．]"
    r"|[（(][一二三四五六七八九十百零〇\d]{1,3}[）)]"
    r"|\d{1,2}[、.．](?!\d)"
    r"|第[一二三四五六七八九十百零〇\d]{1,4}[章节部分条篇编]"
    r"|第[一二三四五六七八九十]{1,3}[，、,]"
    r"|[一二三四五六七八九十]{1,2}是"
    r"|【[^】\n]{1,12}】"
    r"|[①-⑳])"
)
_LEAD_MARKER = re.compile(
    r"^(?:本报讯|本報訊|(?:本报|本報|新华社|新華社|中新社)[^\s，。,]{0,12}?(?:电|電))"
)
_SENTENCE_END_ANYWHERE = re.compile(r"[。！？!?；;]")
_CLAUSE_PUNCT = re.compile(r"[，、]|(?<!\d),|,(?!\d)")
_QUOTED_SPAN = re.compile(r"“[^”\n]*”|\"[^\"\n]*\"|《[^》\n]*》|‘[^’\n]*’")
# A line cut after one of these cannot be a title or heading (当获悉…发热门诊和).
_CONNECTIVE_END = frozenset("和与及并或把被")
# Run-in headings of the older reports carry commas and reach ~35 characters
# (第一，必须把加强农业放在发展国民经济的重要战略地位); a line cut mid-sentence
# without any full stop in it is longer (the seed's is ~100).
_PROSE_MIN_CHARS = 40
_HEADING_MAX_CHARS = 60
_LATIN = re.compile(r"[A-Za-z]")


def _is_heading(paragraph: str) -> bool:
    return (
        bool(_HEADING_MARKER.match(paragraph))
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
    if _is_heading(previous) or _HEADING_MARKER.match(line):
        return False
    if soft:
        return True
    if not blank_line_paragraphs:
        # One paragraph per line: only the punctuation evidence above joins.
        return False
    if _LEAD_MARKER.match(line):
        return False
    if previous[-1] in _CONNECTIVE_END:
        return True
    return _is_prose(previous)


def _paragraphs(text: str) -> list[str]:
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
    return "\n".join(_paragraphs(text))


# --------------------------------------------------------------------------
# 5. Quotes, punctuation and spaces
# --------------------------------------------------------------------------

_SPACES = re.compile(r"[ \t\u3000\u00a0\u2000-\u200a\u202f\u205f]+")
_UNPAIRED_CLOSES_BEFORE = re.compile(r"^(?:$|[\s，。、；：！？）》…,.;:!?)])")
_SINGLE_QUOTE = re.compile("'")


def _pair_in_line(line: str) -> str:
    if '"' in line:
        parts = line.split('"')
        quotes = len(parts) - 1
        pieces = [parts[0]]
        for index in range(quotes):
            following = parts[index + 1]
            if quotes % 2 and index == quotes - 1:
                # The odd one out has no partner: open a quotation that runs
                # on (the Chinese convention for a quote spanning paragraphs)
                # unless nothing but punctuation follows it.
                mark = "”" if _UNPAIRED_CLOSES_BEFORE.match(following) else "“"
            else:
                mark = "“" if index % 2 == 0 else "”"
            pieces.append(mark)
            pieces.append(following)
        line = "".join(pieces)
    if "'" in line:
        # An apostrophe between Latin letters (China's) is not a quote; a
        # single quote next to Chinese text is (战'疫').
        positions = [
            match.start()
            for match in _SINGLE_QUOTE.finditer(line)
            if _is_cjk_char(line[match.start() - 1 : match.start()])
            or _is_cjk_char(line[match.end() : match.end() + 1])
        ]
        if positions:
            chars = list(line)
            count = len(positions)
            for index, position in enumerate(positions):
                if count % 2 and index == count - 1:
                    closing = bool(_UNPAIRED_CLOSES_BEFORE.match(line[position + 1 :]))
                    chars[position] = "’" if closing else "‘"
                else:
                    chars[position] = "‘" if index % 2 == 0 else "’"
            line = "".join(chars)
    return line


_CJK_CHAR = re.compile(f"[{_CJK}]")


def _is_cjk_char(char: str) -> bool:
    return bool(char) and bool(_CJK_CHAR.match(char))


def pair_quotes(text: str) -> str:
    """Turn straight quotes into paired curly quotes, line by line.

    Straight double quotes ``"`` alternate ``“`` ``”`` within each line
    (paragraph). Straight single quotes that touch Chinese text alternate
    ``‘`` ``’``; an apostrophe inside Latin text (``China's``) is left alone.
    With an odd count, the pairs are made left to right and the last quote,
    which has no partner, opens a quotation (the Chinese convention for a
    quotation running on into the next paragraph) unless only punctuation or
    the end of the line follows it, in which case it closes one. Existing
    curly quotes are not touched.

    Examples
    --------
    >>> pair_quotes('落实好"控保稳进抬扛"六字方针')
    '落实好“控保稳进抬扛”六字方针'
    >>> pair_quotes('"圆方战\\'疫\\'核心协调督导组"')
    '“圆方战‘疫’核心协调督导组”'
    >>> pair_quotes('他说"要坚持')
    '他说“要坚持'
    """
    if '"' not in text and "'" not in text:
        return text
    return "\n".join(_pair_in_line(line) for line in text.split("\n"))


_ASCII_TO_CJK_PUNCT = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？"}
# Matched on the punctuation first and judged by its neighbours in Python:
# a lookbehind class tried at every position costs more than the few runs.
_ASCII_PUNCT_RUN = re.compile(r" ?([,:;!?]+) ?")
_PAREN_PAIR = re.compile(r"\(([^()\n]*)\)")
_OPEN_PAREN_NEAR_CJK = re.compile(f"(?<=[{_CJK}])\\(|\\((?=[{_CJK}])")
_CLOSE_PAREN_NEAR_CJK = re.compile(f"(?<=[{_CJK}])\\)|\\)(?=[{_CJK}])")
_SPACE_RUN = re.compile(" +")
# Spaces that are noise even in a headline: at a pause or stop, and just
# inside quotes and brackets.
_NOISE_AFTER = frozenset("，。、；：！？…“‘《（【「『〔")
_NOISE_BEFORE = frozenset("，。、；：！？…”’》）】」』〕")
_CJK_PUNCT_SET = frozenset(CJK_PUNCT)
_SPACE_BETWEEN_HAN = re.compile(f"(?<=[{HAN}]) +(?=[{HAN}])")
# 李　强: one character, a space, one character, alone -- padding, not a gap.
_PADDED_NAME = re.compile(f"(?<![{HAN}])([{HAN}]) ([{HAN}])(?![{HAN}])")
# Characters set apart one by one (控 保 稳 进 抬 扛) spell out one word; closing the spaces two by
# two, as for a padded name, would leave 控保 稳进 抬扛. Three or more standing alone, or five or
# more in a row even when the run touches a word at either end (落实好控 保 稳 进 抬 扛六字方针).
# A list of names with one padded two-character name (习近平 李 强 赵乐际) is neither.
_SPACED_OUT_WORD = re.compile(
    f"(?<![{HAN}])[{HAN}](?: [{HAN}]){{2,}}(?![{HAN}])|[{HAN}](?: [{HAN}]){{4,}}"
)


def _close_padding(text: str) -> str:
    if " " not in text:
        return text
    text = _SPACED_OUT_WORD.sub(lambda match: match.group().replace(" ", ""), text)
    return _PADDED_NAME.sub(r"\1\2", text)
_PROSE_PUNCT = re.compile("[，。！？；]")
_BRACKETED = re.compile("（[^（）\n]*）")
# Spans of a prose line whose spaces are separators: a cited title or quoted
# phrase (《坚定信心　勇毅前行》, “专精特新　强基固链”) and a clause made only of
# short names, after a label (副主任：陈希　苗华) or at least three of them.
_NAME_TOKEN = f"[{HAN}·]{{2,4}}"
_SEPARATED_SPAN = re.compile(
    "《[^《》\n]*》|“[^“”\n]*”"
    f"|(?<=：){_NAME_TOKEN}(?: {_NAME_TOKEN})+(?=$|[，。！？；：、（])"
    f"|(?:^|(?<=[，。！？；、])){_NAME_TOKEN}(?: {_NAME_TOKEN}){{2,}}(?=$|[，。！？；：、（])"
)


def _neighbours(match: re.Match, start: int, end: int) -> tuple[str, str]:
    """The characters around ``text[start:end]``, looking past one space."""
    text = match.string
    before = text[start - 1 : start]
    if before == " ":
        before = text[start - 2 : start - 1] if start > 1 else ""
    after = text[end : end + 1]
    if after == " ":
        after = text[end + 1 : end + 2]
    return before, after


def _convert_punct(match: re.Match) -> str:
    before, after = _neighbours(match, match.start(1), match.end(1))
    if _is_cjk_char(before) or _is_cjk_char(after):
        return "".join(_ASCII_TO_CJK_PUNCT[char] for char in match.group(1))
    return match.group()


def _drop_noise_space(match: re.Match) -> str:
    text = match.string
    before, after = text[match.start() - 1 : match.start()], text[match.end() : match.end() + 1]
    return "" if before in _NOISE_AFTER or after in _NOISE_BEFORE else match.group()


def _drop_space_at_cjk_punct(match: re.Match) -> str:
    text = match.string
    before, after = text[match.start() - 1 : match.start()], text[match.end() : match.end() + 1]
    return "" if before in _CJK_PUNCT_SET or after in _CJK_PUNCT_SET else match.group()


def _convert_paren_pair(match: re.Match) -> str:
    text = match.string
    start, end = match.span()
    inner = match.group(1)
    if (
        _HAN_RE.search(inner)
        or _is_cjk_char(text[start - 1 : start])
        or _is_cjk_char(text[end : end + 1])
    ):
        return f"（{inner}）"
    return match.group()


def _polish_line(line: str, *, keep_spaces: bool | None) -> str:
    line = _SPACES.sub(" ", line).strip()
    if not line:
        return line
    line = _pair_in_line(line)
    if "," in line or ":" in line or ";" in line or "!" in line or "?" in line:
        line = _ASCII_PUNCT_RUN.sub(_convert_punct, line)
    if "(" in line or ")" in line:
        # Innermost pairs first; a second pass reaches a pair that enclosed one.
        for _ in range(3):
            converted = _PAREN_PAIR.sub(_convert_paren_pair, line)
            if converted == line:
                break
            line = converted
        line = _OPEN_PAREN_NEAR_CJK.sub("（", line)
        line = _CLOSE_PAREN_NEAR_CJK.sub("）", line)
    if " " not in line:
        return line
    line = _SPACE_RUN.sub(_drop_noise_space, line)
    if keep_spaces is None:
        # Punctuation inside brackets does not make a list of names prose
        # (丁学东　王莉霞（女，蒙古族）　王晓晖).
        keep_spaces = not _PROSE_PUNCT.search(_BRACKETED.sub("", line))
    if keep_spaces:
        return _close_padding(line)
    line = _SPACE_RUN.sub(_drop_space_at_cjk_punct, line)
    # In a separated span that is not itself a sentence a space separates
    # parts, as in a headline: it is kept.
    pieces = []
    position = 0
    for match in _SEPARATED_SPAN.finditer(line):
        if _PROSE_PUNCT.search(match.group()):
            continue
        pieces.append(_SPACE_BETWEEN_HAN.sub("", line[position : match.start()]))
        pieces.append(_close_padding(match.group()))
        position = match.end()
    pieces.append(_SPACE_BETWEEN_HAN.sub("", line[position:]))
    return "".join(pieces)


def normalize_punctuation(text: str) -> str:
    """Quotes, Chinese punctuation and spaces of already joined paragraphs.

    Line by line:

    - runs of spaces (ideographic ones included) become one space;
    - quotes are paired (:func:`pair_quotes`);
    - ASCII ``, : ; ! ?`` next to a Chinese character or punctuation mark
      become ``，：；！？`` (``3.5``, ``1,000``, ``10:30`` and URLs keep theirs);
      a pair of parentheses becomes ``（）`` when it holds or touches Chinese
      text, a lone parenthesis when it touches it;
    - spaces at ``，。、；：！？…`` and just inside quotes and brackets go;
    - in a prose line (one with ，。！？； outside brackets) every other space
      touching Chinese punctuation goes, and so do spaces between Chinese
      characters, except inside a cited title ``《…》`` or a quoted phrase
      ``“…”`` that is not a sentence itself and in a clause made only of
      two-to-four-character names (after a colon, ``副主任：陈希 苗华``, or
      three or more of them);
    - in other lines (titles, bylines, name lists; ``、`` and ``：`` occur in
      headlines too) spaces between Chinese characters are kept as
      separators, except the padding inside a two-character name
      (``李 强`` -> ``李强``).

    Examples
    --------
    >>> normalize_punctuation('会议由管委会 主任王新亭主持,张良才等参加 会议。')
    '会议由管委会主任王新亭主持，张良才等参加会议。'
    >>> normalize_punctuation('增长3.5%,达到1,000亿元,中国长城(郑州)创新基地')
    '增长3.5%，达到1,000亿元，中国长城（郑州）创新基地'
    >>> normalize_punctuation('区领导到荥阳东沟村 调研扶贫工作')
    '区领导到荥阳东沟村 调研扶贫工作'
    """
    return "\n".join(_polish_line(line, keep_spaces=None) for line in text.split("\n"))


# --------------------------------------------------------------------------
# 6. OCR fixes
# --------------------------------------------------------------------------

OCR_FIX_COLUMNS = ("wrong", "right", "before", "after", "not_before", "not_after", "note")
_CONTEXT_COLUMNS = ("before", "after", "not_before", "not_after")
_TAB = "\t"
# How far back a ``before`` / ``not_before`` pattern may look.
OCR_CONTEXT_WINDOW = 20


class OcrFixesError(ValueError):
    """The OCR fix table is malformed; the message names the file and line."""


def _read_reviewed_table(
    path: Path, columns: tuple[str, ...], *, error: type[ValueError], what: str
) -> tuple[list[dict], bytes]:
    """Rows (with their ``line`` number) of a reviewed tab-separated data table, and its bytes.

    Shared by the OCR fix and boilerplate tables: UTF-8, ``#`` comment lines,
    a fixed header, every row with exactly the header's fields. Problems
    raise ``error`` naming the file and line.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError as problem:
        raise error(f"{path}: {what} not found") from problem
    try:
        content = raw.decode("utf-8")
    except UnicodeDecodeError as problem:
        raise error(f"{path}: not UTF-8 ({problem})") from problem
    rows = []
    header_seen = False
    reader = csv.reader(io.StringIO(content), delimiter="\t", quoting=csv.QUOTE_NONE)
    for fields in reader:
        line = reader.line_num
        if not fields or not "".join(fields).strip() or fields[0].startswith("#"):
            continue
        if not header_seen:
            if tuple(field.strip() for field in fields) != columns:
                raise error(f"{path}: line {line}: header must be {_TAB.join(columns)!r}, got {_TAB.join(fields)!r}")
            header_seen = True
            continue
        if len(fields) != len(columns):
            raise error(f"{path}: line {line}: expected {len(columns)} tab-separated fields, got {len(fields)}")
        rows.append({"line": line, **dict(zip(columns, (field.strip() for field in fields)))})
    if not header_seen:
        raise error(f"{path}: no header line {_TAB.join(columns)!r}")
    return rows, raw


def _check_regex(expression: str, *, path: Path, line: int, column: str, error: type[ValueError]) -> re.Pattern:
    try:
        return re.compile(expression)
    except re.error as problem:
        raise error(f"{path}: line {line}: '{column}' is not a valid regular expression: {problem}") from problem


def _reviewed_frame(rows: list[dict], columns: tuple[str, ...], *, path: Path, raw: bytes) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["line", *columns])
    frame["line"] = frame["line"].astype("int64")
    frame.attrs["path"] = str(path)
    frame.attrs["sha256"] = hashlib.sha256(raw).hexdigest()
    return frame


def load_ocr_fixes(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """Read the reviewed OCR confusion table (tab-separated, UTF-8).

    Each row replaces ``wrong`` by ``right`` only where the context is
    certain: ``before`` must match the text just before (within
    ``OCR_CONTEXT_WINDOW`` characters, anchored at the match), ``after`` the
    text just after; ``not_before`` / ``not_after`` must not. Context
    columns are Python regular expressions, empty for "any". ``note`` says
    why the fix is safe and where it was seen; it is required. Lines
    starting with ``#`` are comments. The file is read with :mod:`csv`.

    Parameters
    ----------
    path : path-like, optional
        Defaults to ``config.OCR_FIXES_PATH`` (``data/ocr_fixes.tsv``).

    Returns
    -------
    pandas.DataFrame
        Columns ``line`` (line number in the file), ``wrong``, ``right``,
        ``before``, ``after``, ``not_before``, ``not_after``, ``note``;
        ``attrs["path"]`` and ``attrs["sha256"]`` identify the file.

    Raises
    ------
    OcrFixesError
        Naming the file and line: missing file, wrong header, wrong number of
        fields, empty ``wrong``/``right``/``note``, ``wrong == right``, a
        context that is not a valid regular expression, a duplicate rule.

    Examples
    --------
    >>> fixes = load_ocr_fixes()
    >>> bool(((fixes["wrong"] == "深人") & (fixes["right"] == "深入")).any())
    True
    """
    path = Path(path) if path is not None else config.OCR_FIXES_PATH
    rows, raw = _read_reviewed_table(path, OCR_FIX_COLUMNS, error=OcrFixesError, what="OCR fix table")
    seen_rules: dict[tuple, int] = {}
    for row in rows:
        line = row["line"]
        for column in ("wrong", "right", "note"):
            if not row[column]:
                raise OcrFixesError(f"{path}: line {line}: '{column}' is empty")
        if row["wrong"] == row["right"]:
            raise OcrFixesError(f"{path}: line {line}: 'wrong' and 'right' are both {row['wrong']!r}")
        for column in _CONTEXT_COLUMNS:
            if row[column]:
                _check_regex(row[column], path=path, line=line, column=column, error=OcrFixesError)
        key = tuple(row[column] for column in OCR_FIX_COLUMNS[:-1])
        if key in seen_rules:
            raise OcrFixesError(f"{path}: line {line}: duplicates the rule on line {seen_rules[key]}")
        seen_rules[key] = line
    return _reviewed_frame(rows, OCR_FIX_COLUMNS, path=path, raw=raw)


@dataclass(frozen=True)
class _FixRule:
    line: int
    right: str
    before: re.Pattern | None
    after: re.Pattern | None
    not_before: re.Pattern | None
    not_after: re.Pattern | None

    def fires(self, text: str, start: int, end: int) -> bool:
        window = max(0, start - OCR_CONTEXT_WINDOW)
        if self.before is not None and not self.before.search(text, window, start):
            return False
        if self.not_before is not None and self.not_before.search(text, window, start):
            return False
        if self.after is not None and not self.after.match(text, end):
            return False
        if self.not_after is not None and self.not_after.match(text, end):
            return False
        return True


@dataclass(frozen=True)
class _FixSet:
    pattern: re.Pattern | None
    rules: dict


def _compile_fixes(fixes: pd.DataFrame) -> _FixSet:
    def anchored_end(expression: str) -> re.Pattern | None:
        return re.compile(f"(?:{expression})$") if expression else None

    def anchored_start(expression: str) -> re.Pattern | None:
        return re.compile(f"(?:{expression})") if expression else None

    rules: dict[str, list[_FixRule]] = {}
    for row in fixes.itertuples(index=False):
        rules.setdefault(row.wrong, []).append(
            _FixRule(
                line=int(row.line),
                right=row.right,
                before=anchored_end(row.before),
                after=anchored_start(row.after),
                not_before=anchored_end(row.not_before),
                not_after=anchored_start(row.not_after),
            )
        )
    if not rules:
        return _FixSet(pattern=None, rules={})
    # Longest first so that an overlapping longer rule wins.
    alternatives = sorted(rules, key=lambda wrong: (-len(wrong), wrong))
    return _FixSet(pattern=re.compile("|".join(map(re.escape, alternatives))), rules=rules)


@functools.lru_cache(maxsize=8)
def _compiled_file(path: str, modified_ns: int, size: int) -> _FixSet:
    # Keyed on the file's mtime and size: an edited table is picked up.
    return _compile_fixes(load_ocr_fixes(path))


def _fix_set(fixes: pd.DataFrame | None) -> _FixSet:
    if fixes is not None:
        return _compile_fixes(fixes)
    path = config.OCR_FIXES_PATH
    try:
        stat = path.stat()
    except FileNotFoundError as error:
        raise OcrFixesError(f"{path}: OCR fix table not found") from error
    return _compiled_file(str(path), stat.st_mtime_ns, stat.st_size)


def _iter_fixes(text: str, fix_set: _FixSet):
    if fix_set.pattern is None:
        return
    for match in fix_set.pattern.finditer(text):
        for rule in fix_set.rules[match.group()]:
            if rule.fires(text, match.start(), match.end()):
                yield match, rule
                break


def find_ocr_fixes(text: str, *, fixes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Where the OCR fix table would change ``text``, one row per change.

    Use it to review the table on a corpus: every row should be a real OCR
    error.

    Parameters
    ----------
    text : str
    fixes : pandas.DataFrame, optional
        A table as returned by :func:`load_ocr_fixes`; defaults to the
        shipped one.

    Returns
    -------
    pandas.DataFrame
        Columns ``start``, ``end`` (offsets of ``wrong`` in ``text``),
        ``wrong``, ``right``, ``line`` (the rule's line in the table) and
        ``context`` (ten characters either side).

    Examples
    --------
    >>> find_ocr_fixes("深人困难群众家中，加深人民友谊")[["start", "wrong", "right"]].values.tolist()
    [[0, '深人', '深入']]
    """
    rows = [
        {
            "start": match.start(),
            "end": match.end(),
            "wrong": match.group(),
            "right": rule.right,
            "line": rule.line,
            "context": text[max(0, match.start() - 10) : match.end() + 10],
        }
        for match, rule in _iter_fixes(text, _fix_set(fixes))
    ]
    frame = pd.DataFrame(rows, columns=["start", "end", "wrong", "right", "line", "context"])
    return frame.astype({"start": "int64", "end": "int64", "line": "int64"})


def apply_ocr_fixes(text: str, *, fixes: pd.DataFrame | None = None) -> str:
    """Apply the reviewed OCR fixes to ``text`` (see :func:`load_ocr_fixes`).

    Examples
    --------
    >>> apply_ocr_fixes("深人困难群众家中，人党积极分子；个人党性")
    '深入困难群众家中，入党积极分子；个人党性'
    """
    fix_set = _fix_set(fixes)
    if fix_set.pattern is None:
        return text
    pieces = []
    position = 0
    for match, rule in _iter_fixes(text, fix_set):
        pieces.append(text[position : match.start()])
        pieces.append(rule.right)
        position = match.end()
    if not pieces:
        return text
    pieces.append(text[position:])
    return "".join(pieces)


# --------------------------------------------------------------------------
# 7. Boilerplate lines
# --------------------------------------------------------------------------

BOILERPLATE_COLUMNS = ("pattern", "kind", "note")
BOILERPLATE_KINDS = ("menu", "licence", "placeholder")
BOILERPLATE_LINES_PATH = config.DATA_DIR / "boilerplate_lines.txt"
# Every reviewed pattern is bounded and the longest line it can match is the
# 120-character Wikisource notice; longer lines are prose and are not tried, so
# a 50 MB single-line document costs nothing here whatever a pattern does.
_BOILERPLATE_MAX_LINE = 400


class BoilerplateError(ValueError):
    """The boilerplate line table is malformed; the message names the file and line."""


def load_boilerplate_lines(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """Read the reviewed list of boilerplate lines (tab-separated, UTF-8).

    Each row is a Python regular expression that a whole line must match
    (``re.fullmatch`` on the stripped line) to be dropped from ``text_clean``:
    web-page menus (``下载 打印 全屏 收藏``, ``【字体：大 中 小】``,
    ``分享到：…``, ``责任编辑：…``), licence notices appended by Wikisource, and
    scraper placeholders (``CONTENT NOTFOUND``). ``kind`` is one of
    :data:`BOILERPLATE_KINDS`; ``note`` says where the line was seen and is
    required. Lines starting with ``#`` are comments.

    Parameters
    ----------
    path : path-like, optional
        Defaults to :data:`BOILERPLATE_LINES_PATH` (``data/boilerplate_lines.txt``).

    Returns
    -------
    pandas.DataFrame
        Columns ``line`` (line number in the file), ``pattern``, ``kind``,
        ``note``; ``attrs["path"]`` and ``attrs["sha256"]`` identify the file.

    Raises
    ------
    BoilerplateError
        Naming the file and line: missing file, wrong header or field count,
        an empty field, an unknown kind, an invalid regular expression, a
        pattern that matches the empty line, a duplicate pattern.

    Examples
    --------
    >>> table = load_boilerplate_lines()
    >>> sorted(set(table["kind"]))
    ['licence', 'menu', 'placeholder']
    """
    path = Path(path) if path is not None else BOILERPLATE_LINES_PATH
    rows, raw = _read_reviewed_table(path, BOILERPLATE_COLUMNS, error=BoilerplateError, what="boilerplate line table")
    seen: dict[str, int] = {}
    for row in rows:
        line = row["line"]
        for column in BOILERPLATE_COLUMNS:
            if not row[column]:
                raise BoilerplateError(f"{path}: line {line}: '{column}' is empty")
        if row["kind"] not in BOILERPLATE_KINDS:
            raise BoilerplateError(
                f"{path}: line {line}: kind must be one of {', '.join(BOILERPLATE_KINDS)}, got {row['kind']!r}"
            )
        compiled = _check_regex(row["pattern"], path=path, line=line, column="pattern", error=BoilerplateError)
        if compiled.fullmatch(""):
            raise BoilerplateError(f"{path}: line {line}: pattern {row['pattern']!r} matches an empty line")
        if row["pattern"] in seen:
            raise BoilerplateError(f"{path}: line {line}: duplicates the pattern on line {seen[row['pattern']]}")
        seen[row["pattern"]] = line
    return _reviewed_frame(rows, BOILERPLATE_COLUMNS, path=path, raw=raw)


@dataclass(frozen=True)
class _BoilerplateSet:
    combined: re.Pattern | None
    rules: tuple[tuple[re.Pattern, int, str], ...]


def _compile_boilerplate(table: pd.DataFrame) -> _BoilerplateSet:
    rules = tuple((re.compile(row.pattern), int(row.line), row.kind) for row in table.itertuples(index=False))
    if not rules:
        return _BoilerplateSet(combined=None, rules=())
    combined = re.compile("|".join(f"(?:{row.pattern})" for row in table.itertuples(index=False)))
    return _BoilerplateSet(combined=combined, rules=rules)


@functools.lru_cache(maxsize=8)
def _compiled_boilerplate_file(path: str, modified_ns: int, size: int) -> _BoilerplateSet:
    return _compile_boilerplate(load_boilerplate_lines(path))


def _boilerplate_set(table: pd.DataFrame | None = None) -> _BoilerplateSet:
    if table is not None:
        return _compile_boilerplate(table)
    path = BOILERPLATE_LINES_PATH
    try:
        stat = path.stat()
    except FileNotFoundError as error:
        raise BoilerplateError(f"{path}: boilerplate line table not found") from error
    return _compiled_boilerplate_file(str(path), stat.st_mtime_ns, stat.st_size)


def _is_boilerplate(line: str, rules: _BoilerplateSet) -> bool:
    line = line.strip()
    return (
        rules.combined is not None
        and 0 < len(line) <= _BOILERPLATE_MAX_LINE
        and rules.combined.fullmatch(line) is not None
    )


def strip_boilerplate_lines(text: str, *, table: pd.DataFrame | None = None) -> str:
    """Drop the lines that are reviewed boilerplate (menus, licence notices, placeholders).

    A line is dropped with its newline when, stripped, it matches a whole
    pattern of :func:`load_boilerplate_lines`. Other lines are left exactly
    as they are.

    Parameters
    ----------
    text : str
    table : pandas.DataFrame, optional
        A table like :func:`load_boilerplate_lines` returns; defaults to the
        shipped ``data/boilerplate_lines.txt``.

    Examples
    --------
    >>> strip_boilerplate_lines("下载 打印 全屏 收藏\\n【字体：大 中 小】\\n正文。\\n责任编辑：王某")
    '正文。'
    """
    rules = _boilerplate_set(table)
    if rules.combined is None:
        return text
    lines = text.split("\n")
    kept = [line for line in lines if not _is_boilerplate(line, rules)]
    return text if len(kept) == len(lines) else "\n".join(kept)


FOUND_BOILERPLATE_COLUMNS = ["line_number", "text", "rule", "kind"]


def find_boilerplate_lines(text: str, *, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """List the lines of ``text`` that :func:`strip_boilerplate_lines` would drop.

    Parameters
    ----------
    text : str
    table : pandas.DataFrame, optional
        As in :func:`strip_boilerplate_lines`.

    Returns
    -------
    pandas.DataFrame
        Columns ``line_number`` (1-based, in ``text``), ``text`` (the line,
        stripped), ``rule`` (line number of the matching pattern in the table
        file; the first that matches) and ``kind``.

    Examples
    --------
    >>> find_boilerplate_lines("正文。\\nCONTENT NOTFOUND")[["line_number", "kind"]].values.tolist()
    [[2, 'placeholder']]
    """
    rules = _boilerplate_set(table)
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        if _is_boilerplate(line, rules):
            stripped = line.strip()
            pattern, rule, kind = next(item for item in rules.rules if item[0].fullmatch(stripped))
            found.append({"line_number": number, "text": stripped, "rule": rule, "kind": kind})
    frame = pd.DataFrame(found, columns=FOUND_BOILERPLATE_COLUMNS)
    return frame.astype({"line_number": "int64", "rule": "int64"})


# --------------------------------------------------------------------------
# clean_text
# --------------------------------------------------------------------------


def _require_str(value, *, name: str) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{name} expects the text as str, got {type(value).__name__}")


def _clean(
    text: str, *, simplify: bool, fix_ocr: bool, keep_spaces: bool | None = None, drop_boilerplate: bool = True
) -> str:
    text = normalize_width(strip_markup(text))
    rules = _boilerplate_set() if drop_boilerplate else None
    if rules is not None:
        # Before joining, or a menu line would be glued to the paragraph it sits above.
        text = strip_boilerplate_lines(text)
    if simplify:
        text = traditional_to_simplified(text, min_share=0)
    paragraphs = _paragraphs(text)
    if _BYLINE_ROLE_WORD.search(text):
        paragraphs = _split_trailing_bylines(paragraphs)
    lines = [_polish_line(paragraph, keep_spaces=keep_spaces) for paragraph in paragraphs]
    if rules is not None:
        # Again after joining: the Wikisource notice is broken over hyperlink lines in the source.
        lines = [line for line in lines if not _is_boilerplate(line, rules)]
    text = "\n".join(line for line in lines if line)
    if fix_ocr:
        text = apply_ocr_fixes(text)
    return text


def _split_trailing_bylines(paragraphs: list[str]) -> list[str]:
    # "…参加宣讲活动。 记者 李颖 孙庆辉 文/图": the byline is not part of the
    # sentence; on its own line its spaces survive as separators.
    result = []
    for paragraph in paragraphs:
        match = _TRAILING_BYLINE.search(paragraph)
        if match:
            result.append(paragraph[: match.start()])
            result.append(match.group(1))
        else:
            result.append(paragraph)
    return result


def clean_text(text: str, *, to_simplified: bool = True, fix_ocr: bool = True, drop_boilerplate: bool = True) -> str:
    """Return the cleaned form of one document's raw text.

    Runs :func:`strip_markup`, :func:`normalize_width`,
    :func:`traditional_to_simplified` (when ``to_simplified``),
    :func:`join_broken_lines`, moves a byline that ends a paragraph onto
    its own line, then :func:`normalize_punctuation` and
    :func:`apply_ocr_fixes` (when ``fix_ocr``); see the module docstring.

    Parameters
    ----------
    text : str
        Raw text of one document.
    to_simplified : bool, default True
        Convert a document written in traditional characters to simplified
        (a document in which fewer than ``TRADITIONAL_MIN_SHARE`` of the
        Chinese characters are traditional is left as it is).
    fix_ocr : bool, default True
        Apply the reviewed fixes of ``data/ocr_fixes.tsv``.
    drop_boilerplate : bool, default True
        Drop the reviewed boilerplate lines of ``data/boilerplate_lines.txt``
        (web-page menus, licence notices, placeholders), once on the raw
        lines and once on the joined paragraphs (:func:`strip_boilerplate_lines`).

    Returns
    -------
    str
        Paragraphs separated by a single ``"\\n"``, no blank lines, no
        leading or trailing whitespace.

    Raises
    ------
    TypeError
        If ``text`` is not a str.
    OcrFixesError
        If ``fix_ocr`` and the OCR fix table is missing or malformed.
    BoilerplateError
        If ``drop_boilerplate`` and the boilerplate table is missing or malformed.

    Examples
    --------
    >>> clean_text('深人困难群众家中了解生活,看望人党积极分子。\\n\\n下一段')
    '深入困难群众家中了解生活，看望入党积极分子。\\n下一段'
    >>> clean_text("１９５５年我們的會議")
    '1955年我们的会议'
    """
    _require_str(text, name="clean_text")
    if to_simplified:
        text = traditional_to_simplified(text)
    return _clean(text, simplify=False, fix_ocr=fix_ocr, drop_boilerplate=drop_boilerplate)


# --------------------------------------------------------------------------
# split_articles
# --------------------------------------------------------------------------

_ROLE = (
    r"(?:本报|本報)?(?:特约|特約|实习|實習|见习|見習|摄影|攝影)?"
    r"(?:记者|記者|通讯员|通訊員|实习生|實習生)"
)
_GAP = r"[ \u3000]+"
_CREDIT = r"(?:文/图|图/文|文／图|图／文|文/圖|圖/文|摄影|攝影|摄|攝|报道|報道|文|图|圖)"
_BYLINE = (
    f"{_ROLE}[ \\u3000]*{_NAME_TOKEN}(?:{_GAP}{_NAME_TOKEN})*"
    f"(?:{_GAP}{_ROLE}[ \\u3000]*{_NAME_TOKEN}(?:{_GAP}{_NAME_TOKEN})*)*"
    f"(?:[ \\u3000]*{_CREDIT})?"
)
_BYLINE_ROLE_WORD = re.compile("记者|記者|通讯员|通訊員|实习生|實習生")
_BYLINE_LINE = re.compile(f"[（(]?{_BYLINE}[）)]?")
_TRAILING_BYLINE = re.compile(f"(?<=[。！？!?”’\"'」）)]){_GAP}({_BYLINE})[ \\u3000]*$")
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
_TRAILING_CLOSERS = re.compile(f"[{re.escape(_CLOSERS)}]+$")
_ENDS_SENTENCE = re.compile(f"[。！？!?…][{re.escape(_CLOSERS)}]*$")


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    text: str  # stripped


def _is_byline(text: str) -> bool:
    return bool(_BYLINE_LINE.fullmatch(text))


def _is_title_candidate(text: str) -> bool:
    if not (2 <= len(text) <= _TITLE_MAX_CHARS) or not _HAN_RE.search(text):
        return False
    if text[0] in "【[〔" or _is_byline(text) or _LEAD_MARKER.match(text):
        return False
    if _STARTS_WITH_DATELINE.match(text):
        return False
    body = _TRAILING_CLOSERS.sub("", text)
    if not body or _TITLE_FORBIDDEN.search(body) or _TITLE_INNER_END.search(body[:-1]):
        return False
    if _TITLE_BAD_END.search(body) or body[-1] in _CONNECTIVE_END:
        return False
    return len(_TITLE_COMMAS.findall(body)) <= _TITLE_MAX_COMMAS


def _is_prose_line(text: str) -> bool:
    return len(text) >= 10 and text[0] not in "【[〔" and bool(_LINE_PROSE_PUNCT.search(text))


def _is_lead(text: str) -> bool:
    return bool(_LEAD.match(text)) and _is_prose_line(text)


def _closes_article(text: str) -> bool:
    return _is_byline(text) or bool(_TRAILING_BYLINE.search(text) or _ENDS_SENTENCE.search(text))


def _title_block_size(lines: list[_Line], index: int, *, strong: bool) -> int:
    """How many lines (1 or 2) form a title block at ``index``; 0 for none.

    At the page start a block is followed by a lead paragraph (本报讯, a
    dateline, a quote) or, like after a byline, any prose paragraph. Further
    down, after a paragraph that merely ends a sentence, only a press lead
    (本报讯, 新华社…电) will do, and a numbered heading (一、, （三）) is a
    section of the article, never a title.
    """
    if index > 0 and not strong and _HEADING_MARKER.match(lines[index].text):
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
            strong = _is_byline(previous) or bool(_TRAILING_BYLINE.search(previous))
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
        return _clean(text, simplify=simplify, fix_ocr=fix_ocr, keep_spaces=True)

    title = clean_title(lines[0].text)
    subtitle = clean_title(lines[1].text) if size == 2 else None
    body_from = lines[size - 1].end
    bylines: list[str] = []
    removed: list[tuple[int, int]] = []
    for line in lines[size:]:
        if _is_byline(line.text):
            bylines.append(line.text)
            removed.append((line.start, line.end))
            continue
        match = _TRAILING_BYLINE.search(page, line.start, line.end)
        if match:
            bylines.append(match.group(1))
            removed.append((match.start(), line.end))
    pieces = []
    position = body_from
    for cut_start, cut_end in removed:
        pieces.append(page[position:cut_start])
        position = cut_end
    pieces.append(page[position:end])
    body = _clean("".join(pieces), simplify=simplify, fix_ocr=fix_ocr)
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
    _require_str(page, name="split_articles")
    simplify = to_simplified and traditional_share(page) >= TRADITIONAL_MIN_SHARE
    lines = [
        _Line(match.start(), match.end(), match.group().strip())
        for match in _PAGE_LINE.finditer(page)
        if match.group().strip()
    ]
    blocks = _find_title_blocks(lines)
    if not blocks:
        return [_untitled(page, 0, len(page), _clean(page, simplify=simplify, fix_ocr=fix_ocr))]
    articles = []
    first_index = blocks[0][0]
    starts = [lines[index].start for index, _ in blocks]
    if first_index > 0:
        lead_in = page[: starts[0]]
        lead_in_clean = _clean(lead_in, simplify=simplify, fix_ocr=fix_ocr)
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
