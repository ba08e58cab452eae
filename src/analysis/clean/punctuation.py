"""Step 6 of cleaning: paired quotes, Chinese punctuation in Chinese text, spaces that are noise."""

from __future__ import annotations

import re

from .characters import CJK, CJK_PUNCT, HAN, HAN_RE

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


_CJK_CHAR = re.compile(f"[{CJK}]")


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
_OPEN_PAREN_NEAR_CJK = re.compile(f"(?<=[{CJK}])\\(|\\((?=[{CJK}])")
_CLOSE_PAREN_NEAR_CJK = re.compile(f"(?<=[{CJK}])\\)|\\)(?=[{CJK}])")
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
NAME_TOKEN = f"[{HAN}·]{{2,4}}"
_SEPARATED_SPAN = re.compile(
    "《[^《》\n]*》|“[^“”\n]*”"
    f"|(?<=：){NAME_TOKEN}(?: {NAME_TOKEN})+(?=$|[，。！？；：、（])"
    f"|(?:^|(?<=[，。！？；、])){NAME_TOKEN}(?: {NAME_TOKEN}){{2,}}(?=$|[，。！？；：、（])"
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
        HAN_RE.search(inner)
        or _is_cjk_char(text[start - 1 : start])
        or _is_cjk_char(text[end : end + 1])
    ):
        return f"（{inner}）"
    return match.group()


def polish_line(line: str, *, keep_spaces: bool | None) -> str:
    """One line's quotes, punctuation and spaces (:func:`normalize_punctuation` line by line).

    ``keep_spaces`` None decides by the line: spaces between Chinese
    characters go in prose and stay, as separators, elsewhere.

    Examples
    --------
    >>> polish_line("会议指出,要 稳就业。", keep_spaces=None), polish_line("习近平　李克强", keep_spaces=None)
    ('会议指出，要稳就业。', '习近平 李克强')
    """
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
    return "\n".join(polish_line(line, keep_spaces=None) for line in text.split("\n"))
