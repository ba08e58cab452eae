"""The characters of Chinese text: the classes every cleaning step matches, and their width (step 2)."""

from __future__ import annotations

import re

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3007"
# Chinese punctuation after width normalisation (the full-width ASCII variants
# that stay full-width are ！（），：；？).
CJK_PUNCT = "，。、；：？！（）《》〈〉【】「」『』“”‘’…—〔〕〖〗"
CJK = HAN + CJK_PUNCT

HAN_RE = re.compile(f"[{HAN}]")


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
