"""Dates of documents: date values parsed with their precision, and dates read from titles (NPC sessions, ``YYYY年``)."""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from functools import lru_cache
from typing import Any

import pandas as pd

from .columns import is_missing

#: First year of each National People's Congress term.
NPC_TERM_START_YEARS = {
    1: 1954,
    2: 1959,
    3: 1964,
    4: 1975,
    5: 1978,
    6: 1983,
    7: 1988,
    8: 1993,
    9: 1998,
    10: 2003,
    11: 2008,
    12: 2013,
    13: 2018,
    14: 2023,
}

#: Session years of the terms whose sessions were not one a year. The 1st NPC
#: met yearly 1954-1958; the 2nd skipped 1961; the 3rd (opened December 1964)
#: and the 4th (January 1975) met once. From the 5th NPC on, session ``n``
#: of a term opened in the term's ``n``-th year, at most five sessions a term.
NPC_IRREGULAR_SESSION_YEARS = {
    1: (1954, 1955, 1956, 1957, 1958),
    2: (1959, 1960, 1962, 1963),
    3: (1964,),
    4: (1975,),
}
_NPC_SESSIONS_PER_TERM = 5

_DATE_LO, _DATE_HI = pd.Timestamp.min.year + 1, pd.Timestamp.max.year - 1


_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _chinese_number(text: str) -> int | None:
    """Value of a Chinese numeral below 100 (三, 十, 十四, 二十一), else None."""
    if not text or any(ch not in _CN_DIGITS and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return _CN_DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if "十" in ones or len(tens) > 1 or len(ones) > 1:
        return None
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def npc_session_year(term: int, session: int) -> int | None:
    """Year in which a session of the National People's Congress opened.

    Parameters
    ----------
    term : int
        The NPC term (届), 1 for the 1st NPC.
    session : int
        The session (次会议) within the term, 1-based.

    Returns
    -------
    int or None
        The year, or None for a term or session that does not exist in the
        table (:data:`NPC_TERM_START_YEARS`, :data:`NPC_IRREGULAR_SESSION_YEARS`).

    Examples
    --------
    >>> npc_session_year(13, 3)
    2020
    >>> npc_session_year(2, 3)
    1962
    >>> npc_session_year(3, 2) is None
    True
    """
    if term in NPC_IRREGULAR_SESSION_YEARS:
        years = NPC_IRREGULAR_SESSION_YEARS[term]
        return years[session - 1] if 1 <= session <= len(years) else None
    start = NPC_TERM_START_YEARS.get(term)
    if start is None or not 1 <= session <= _NPC_SESSIONS_PER_TERM:
        return None
    return start + session - 1


_CN_NUM = "[〇零一二两三四五六七八九十]+"
_NPC_TITLE = re.compile(
    rf"第?({_CN_NUM})[届屆]全[国國]人(?:民代表大[会會]|大)第?({_CN_NUM})次[会會][议議]"
)
_YEAR_IN_TITLE = re.compile(r"(?<![0-9])([0-9]{4})\s*年")
_FULL_DATE_IN_TITLE = re.compile(r"(?<![0-9])([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日")

_DAY_PATTERNS = (
    re.compile(
        r"([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})"
        r"(?:[T ][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?"
    ),
    re.compile(r"([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*[日号]"),
    re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})"),
)
_MONTH_PATTERNS = (
    re.compile(r"([0-9]{4})[-/.]([0-9]{1,2})"),
    re.compile(r"([0-9]{4})\s*年\s*([0-9]{1,2})\s*月"),
)
_YEAR_PATTERN = re.compile(r"([0-9]{4})\s*年?")


def _timestamp(year: int, month: int = 1, day: int = 1) -> pd.Timestamp | None:
    if not _DATE_LO <= year <= _DATE_HI:
        return None
    try:
        return pd.Timestamp(_dt.date(year, month, day))
    except ValueError:
        return None


@lru_cache(maxsize=65536)
def _parse_date_string(text: str) -> tuple[pd.Timestamp, str] | None:
    # NFKC folds full-width digits (１９５５) and ideographic spaces.
    text = unicodedata.normalize("NFKC", text).strip()
    for pattern in _DAY_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            stamp = _timestamp(*(int(g) for g in match.groups()))
            return (stamp, "day") if stamp is not None else None
    for pattern in _MONTH_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            stamp = _timestamp(*(int(g) for g in match.groups()))
            return (stamp, "month") if stamp is not None else None
    match = _YEAR_PATTERN.fullmatch(text)
    if match:
        stamp = _timestamp(int(match.group(1)))
        return (stamp, "year") if stamp is not None else None
    return None


def parse_date_value(value: Any) -> tuple[pd.Timestamp, str] | None:
    """(timestamp, precision) for a present date value, None when it cannot be parsed.

    :func:`parse_date` for a value known to be present
    (:func:`~analysis.corpus.columns.is_missing`): the readers list a value
    that cannot be parsed in :func:`~analysis.corpus.damaged`.

    Examples
    --------
    >>> parse_date_value("2022年1月")
    (Timestamp('2022-01-01 00:00:00'), 'month')
    >>> parse_date_value("6月1日") is None
    True
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, (pd.Timestamp, _dt.datetime, _dt.date)):
        stamp = pd.Timestamp(value)
        if stamp.tzinfo is not None:
            stamp = stamp.tz_localize(None)
        stamp = stamp.normalize()
        return (stamp, "day") if _DATE_LO <= stamp.year <= _DATE_HI else None
    if isinstance(value, float):
        if not value.is_integer():
            return None
        value = int(value)
    if isinstance(value, int):
        return _parse_date_string(str(value))
    if hasattr(value, "dtype") and str(getattr(value, "dtype", "")).startswith("datetime64"):
        return parse_date_value(pd.Timestamp(value))
    if isinstance(value, str):
        return _parse_date_string(value)
    if hasattr(value, "item"):  # numpy scalars
        return parse_date_value(value.item())
    return None


def parse_date(value: Any) -> tuple[pd.Timestamp, str | None]:
    """Parse one date value into a timestamp and its precision.

    Parameters
    ----------
    value : str, int, float, date or datetime
        A full date (``"2022-01-01"``, ``"2022/1/1"``, ``"2022年1月1日"``,
        ``"20220101"``, a ``datetime``), a month (``"2022-01"``,
        ``"2022年1月"``) or a bare year (``"2019"``, ``2019``). Full-width
        digits are accepted. A time of day is dropped.

    Returns
    -------
    tuple
        ``(timestamp, precision)`` with precision ``"day"``, ``"month"`` or
        ``"year"``; ``(NaT, None)`` when the value is missing or cannot be
        parsed. Nothing is guessed: ``"6月1日"`` has no year and gives NaT.

    Examples
    --------
    >>> parse_date("2022年1月1日")
    (Timestamp('2022-01-01 00:00:00'), 'day')
    >>> parse_date(2019)
    (Timestamp('2019-01-01 00:00:00'), 'year')
    >>> parse_date("6月1日")
    (NaT, None)
    """
    if is_missing(value):
        return pd.NaT, None
    parsed = parse_date_value(value)
    return parsed if parsed is not None else (pd.NaT, None)


def date_from_title(title: str | None) -> tuple[pd.Timestamp, str | None]:
    """Read a document's date from its title, or ``(NaT, None)`` when it holds none.

    An NPC session named in the title (``第十三届全国人民代表大会第三次会议``)
    gives the year the session opened; otherwise one distinct ``YYYY年`` in the
    title gives that year, or the day when the title writes out a full date.
    A title naming two different years gives nothing.

    Parameters
    ----------
    title : str or None
        The title, in simplified or traditional characters.

    Returns
    -------
    tuple
        ``(timestamp, precision)``, precision ``"year"`` or ``"day"``.

    Examples
    --------
    >>> date_from_title("第十三届全国人民代表大会第三次会议关于政府工作报告的决议")
    (Timestamp('2020-01-01 00:00:00'), 'year')
    >>> date_from_title("2025年中华人民共和国国务院政府工作报告")
    (Timestamp('2025-01-01 00:00:00'), 'year')
    >>> date_from_title("高新区召开领导干部大会")
    (NaT, None)
    """
    if not isinstance(title, str) or not title.strip():
        return pd.NaT, None
    title = unicodedata.normalize("NFKC", title)
    npc = _NPC_TITLE.search(title)
    if npc:
        term, session = _chinese_number(npc.group(1)), _chinese_number(npc.group(2))
        year = npc_session_year(term, session) if term and session else None
        if year is not None:
            return _timestamp(year), "year"
    years = {int(y) for y in _YEAR_IN_TITLE.findall(title)}
    if len(years) != 1:
        return pd.NaT, None
    (year,) = years
    days = {tuple(int(g) for g in m) for m in _FULL_DATE_IN_TITLE.findall(title)}
    if len(days) == 1:
        stamp = _timestamp(*next(iter(days)))
        if stamp is not None:
            return stamp, "day"
    stamp = _timestamp(year)
    return (stamp, "year") if stamp is not None else (pd.NaT, None)
