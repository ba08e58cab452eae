"""Numbers as the work reports write them: 7.5, 34,250, 1 0 .0 6 (the 1998 source) and 百分之七点五, 三千九百二十."""

from __future__ import annotations

import re

from ..validation import InputError

_DIGITS = "零〇一二两三四五六七八九"
_DIGIT_VALUE = {character: value for value, character in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_LARGE_UNITS = {"万": 10_000, "亿": 100_000_000}

#: A number in Arabic digits: 7, 7.5, 34,250 (thousands separated by commas, the 1980 report)
#: or 1 0 .0 6 (the 1998 report puts a space between the digits).
ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d(?:[ \u3000]?\d)*(?:[ \u3000]?\.[ \u3000]?\d(?:[ \u3000]?\d)*)?"
#: A number in Chinese numerals: 九, 十五, 七点五, 三千九百二十, 一万零五百, 三亿六千万.
CHINESE = rf"[{_DIGITS}十百千万亿]+(?:点[{_DIGITS}]+)?"
#: Either.
NUMBER = rf"(?:{ARABIC}|{CHINESE})"


def _integer(numeral: str) -> int:
    if numeral and all(character in _DIGIT_VALUE for character in numeral) and len(numeral) > 1:
        # Read digit by digit (一九五八), as the reports write years and some figures.
        return int("".join(str(_DIGIT_VALUE[character]) for character in numeral))
    total = section = digit = 0
    for character in numeral:
        if character in _DIGIT_VALUE:
            digit = _DIGIT_VALUE[character]
        elif character in _SMALL_UNITS:
            section += (digit or 1) * _SMALL_UNITS[character]
            digit = 0
        elif character in _LARGE_UNITS:
            # 一万零五百: what came before counts 万; 三亿六千万: 三 counts 亿, 六千 then counts 万.
            scale = _LARGE_UNITS[character]
            if scale == 10_000 and total >= 100_000_000:
                total += (section + digit) * scale
            else:
                total = (total + section + digit) * scale
            section = digit = 0
        else:
            raise InputError(f"not a Chinese numeral: {numeral!r}")
    return total + section + digit


def parse_number(text: str) -> float:
    """The value of a number written in Arabic digits or Chinese numerals.

    Parameters
    ----------
    text : str
        A match of :data:`NUMBER`: ``"7.5"``, ``"34,250"``, ``"1 0 .0 6"``,
        ``"七点五"``, ``"十"``, ``"三千九百二十"``, ``"一万零五百"``,
        ``"三亿六千万"``.

    Returns
    -------
    float

    Raises
    ------
    analysis.validation.InputError
        When ``text`` is not a number.

    Examples
    --------
    >>> [parse_number(text) for text in ["8", "7.5", "34,250", "1 0 .0 6", "九", "十五", "七点五", "一万零五百"]]
    [8.0, 7.5, 34250.0, 10.06, 9.0, 15.0, 7.5, 10500.0]
    >>> parse_number("三亿六千万")
    360000000.0
    """
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"not a number: {text!r}")
    compact = re.sub(r"[ \u3000,]", "", text)
    if re.fullmatch(r"\d+(?:\.\d+)?", compact):
        return float(compact)
    whole, _, fraction = compact.partition("点")
    if not re.fullmatch(CHINESE, compact) or (fraction and not all(c in _DIGIT_VALUE for c in fraction)):
        raise InputError(f"not a number: {text!r}")
    value = float(_integer(whole)) if whole else 0.0
    if fraction:
        value += float("0." + "".join(str(_DIGIT_VALUE[character]) for character in fraction))
    return value
