"""Step 3 of cleaning: documents written in traditional characters to simplified (OpenCC ``t2s``)."""

from __future__ import annotations

import functools
import operator

from .characters import HAN_RE

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
    return len(text) - len(HAN_RE.sub("", text))


def traditional_share(text: str) -> float:
    """Share of the Chinese characters that OpenCC ``t2s`` would change.

    Examples
    --------
    >>> traditional_share("我們開會")
    0.75
    >>> traditional_share("我们开会")
    0.0
    """
    if not HAN_RE.search(text):
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
    if not HAN_RE.search(text):
        return text
    converted = _t2s_converter().convert(text)
    if min_share <= 0 or converted == text:
        return converted
    if len(converted) == len(text):
        changed = sum(map(operator.ne, text, converted))
        if changed < min_share * _count_han(text):
            return text
    return converted
