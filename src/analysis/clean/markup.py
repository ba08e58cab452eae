"""Step 1 of cleaning: newlines, zero-width characters, HTML and markdown, boilerplate lines of markup."""

from __future__ import annotations

import html
import re

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
