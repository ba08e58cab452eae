"""Loading corpora: one row per document, whatever the files look like.

``load_corpus`` reads a plain-text file (``.txt``/``.md``), a folder of them,
a JSON Lines file, a CSV file or a Parquet file into one tidy table. The raw
text is kept exactly as decoded (``text``); cleaning and the splitting of
newspaper pages into articles are delegated to :mod:`analysis.clean`.

Nothing is dropped silently. A document that cannot be read (an empty or
binary file, an undecodable file, a malformed JSON line, a record without
text) is listed in the table :func:`skipped` returns and announced by one
:class:`CorpusWarning`; ``strict=True`` turns the first such problem into a
:class:`CorpusError`. Mistakes in the call itself (a column that does not
exist, duplicate document ids, an unsupported format) always raise.

Dates
-----
Full dates (``2022-01-01``, ``2022/1/1``, ``2022年1月1日``, ``20220101``),
months (``2022-01``, ``2022年1月``) and bare years (``"2019"``, ``2019``) are
parsed, with ``date_precision`` saying how much of the date was known. A
value that is present but cannot be parsed stays ``NaT`` and is reported in a
single warning; it is never guessed. When a document has no date value at
all, the date is read from its title, in this order:

1. An NPC session named in the title, such as
   ``第十三届全国人民代表大会第三次会议…`` or ``十三届全国人大三次会议``,
   gives the year of that session (see :data:`NPC_TERM_START_YEARS` and
   :func:`npc_session_year`).
2. Otherwise a title holding exactly one distinct four-digit year written as
   ``YYYY年`` (``2025年中华人民共和国国务院政府工作报告``) gives that year,
   or the full day when the title writes it out (``2020年5月28日``). Titles
   naming two different years are left undated rather than guessed.

Datelines in the body (``本报讯 6月1日``) carry no year and are never read.

Bad input
---------
Loaded plus skipped always equals the documents found. Skipped, with the
file, the line or record and the reason: empty and whitespace-only files
and records, binary files (PDF, images, archives), files in no detectable
encoding, malformed JSON lines, rows with the wrong field count, and
records that are empty once cleaned (scraper placeholders such as
``CONTENT NOTFOUND``; reason :data:`PLACEHOLDER_REASON`). A text file cut
inside its last UTF-8 character is loaded without that character and listed
in :func:`damaged`. A missing text column and duplicate ids are errors.

Where the tables live
---------------------
``load_corpus`` returns a plain DataFrame. What it skipped and what it
loaded damaged travel with it as one JSON string in
``attrs["load_record"]`` (:data:`LOAD_RECORD_ATTR`), read back as tables by
:func:`skipped` and :func:`damaged`. A string, not DataFrames: pandas
compares ``attrs`` when it concatenates or merges tables, and DataFrames
in ``attrs`` make ``pd.concat`` and ``merge`` fail. Filtering, copying,
selecting columns and merging keep the record; concatenating corpora from
different loads drops it (pandas keeps ``attrs`` only when they agree), so
keep each load's tables before combining.

Levels
------
A document's administrative ``level`` (one of :data:`analysis.config.LEVELS`:
central, provincial, municipal, county) and its ``region`` come from
``level``/``region`` columns of a tabular file; where the data names none,
from ``load_corpus(path, level=..., region=...)``, either one value for the
whole corpus or a mapping from ``source`` to value. Any other level is an
error naming the file and record. :func:`combine_corpora` joins corpora of
different levels into one table.

Duplicates and periods
----------------------
:func:`find_duplicates` finds exact and near-duplicate documents (reprints
of one article) with MinHash over character shingles, in time linear in the
corpus; :func:`drop_duplicates` removes them and records each in
:func:`skipped`. Counting documents per period lives in
:mod:`analysis.periods` (:func:`analysis.periods.period_table`); :func:`analysis.periods.choose_period`
picks the period from the span of the dates.
"""

from __future__ import annotations

import codecs
import csv
import datetime as _dt
import hashlib
import io
import json
import math
import os
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from . import clean, config, sources
from .sources import TABULAR_SUFFIXES, TEXT_SUFFIXES

COLUMNS = [
    "doc_id",
    "title",
    "subtitle",
    "byline",
    "date",
    "date_precision",
    "source",
    "path",
    "record",
    "level",
    "region",
    "text",
    "text_clean",
    "body_start",
    "doc_type",
]
SKIPPED_COLUMNS = ["path", "record", "reason"]
#: The ``attrs`` key holding the JSON record of skipped and damaged inputs (see :func:`skipped`).
LOAD_RECORD_ATTR = "load_record"
#: Start of the skip reason for a document whose text is all markup and boilerplate.
PLACEHOLDER_REASON = "no text after cleaning: placeholder"
#: Start of the :func:`damaged` reason of a document far shorter than the rest of its corpus.
SUSPECT_SHORT_REASON = "suspect_short"
# A document is a suspected stub (a disambiguation page, a "see also" page, a teaser saved in
# place of the article) when it is both this short and this small a share of the corpus median,
# in a corpus of at least this many documents. The 505-character NPC resolutions among 20,000-
# character work reports are short but real, and stay unflagged.
SUSPECT_SHORT_MAX_CHARS = 200
SUSPECT_SHORT_MEDIAN_SHARE = 0.05
SUSPECT_SHORT_MIN_DOCUMENTS = 5
#: Columns filled from the names of dated text files (:func:`analysis.sources.date_from_filename`).
FILENAME_COLUMNS = ("page", "seq")
SUMMARY_COLUMNS = ["documents", "characters", "first_date", "last_date", "undated", "skipped"]


# Candidate column names, first match wins.
DEFAULT_TEXT_COLUMNS = ("text", "content")
DEFAULT_TITLE_COLUMNS = ("title",)
DEFAULT_DATE_COLUMNS = ("date", "year")
DEFAULT_ID_COLUMNS = ("id",)
DEFAULT_SOURCE_COLUMNS = ("source",)
# Tabular columns with these names fill the matching output columns directly.
PASSTHROUGH_COLUMNS = ("subtitle", "byline", "level", "region")
# Extra metadata whose name clashes with an output column is kept under this prefix.
CLASH_PREFIX = "orig_"

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
_DATE_DTYPE = "datetime64[ns]"
# pandas 3 stores text in its own string dtype; earlier versions use objects.
_PANDAS_INFERS_STR = pd.Series(["x"]).dtype != object
_STR_IN_ARROW = _PANDAS_INFERS_STR and getattr(pd.Series(["x"]).dtype, "storage", None) == "pyarrow"

# Sniffing the start of a file is enough to choose its encoding; lines that
# later fail to decode are reported one by one.
_SNIFF_BYTES = 1 << 20
# Share of control, private-use or unassigned characters above which a
# GB18030 decode is taken for the wrong encoding rather than real text.
_IMPLAUSIBLE_SHARE = 0.01
_PLAUSIBILITY_CHARS = 200_000

_MAGIC_NUMBERS = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE2 document (.doc/.xls)"),
    (b"PAR1", "a Parquet file"),
    (b"\x7fELF", "an executable"),
    (b"\x1f\x8b", "a gzip archive (name it .gz to have it decompressed)"),
)
_UTF8_BOM = codecs.BOM_UTF8
# A byte-order mark settles a wide encoding (UTF-32 first: its little-endian BOM starts like UTF-16's).
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class CorpusError(ValueError):
    """A corpus cannot be loaded as asked; the message names the file and, when known, the record."""


class CorpusWarning(UserWarning):
    """Documents were skipped or dates could not be parsed while loading a corpus."""


class _Unreadable(Exception):
    """Internal: one document cannot be read; carries the reason."""


# --------------------------------------------------------------------------- dates


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


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str) and not value.strip():
        return True
    try:
        return bool(pd.isna(value)) if not isinstance(value, (list, dict, tuple)) else False
    except (TypeError, ValueError):
        return False


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


def _parse_date_value(value: Any) -> tuple[pd.Timestamp, str] | None:
    """(timestamp, precision) for a present date value, None when it cannot be parsed."""
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
        return _parse_date_value(pd.Timestamp(value))
    if isinstance(value, str):
        return _parse_date_string(value)
    if hasattr(value, "item"):  # numpy scalars
        return _parse_date_value(value.item())
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
    if _is_missing(value):
        return pd.NaT, None
    parsed = _parse_date_value(value)
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


# ------------------------------------------------------------------ bookkeeping


@dataclass
class _Skips:
    strict: bool
    rows: list[dict] = field(default_factory=list)
    damaged: list[dict] = field(default_factory=list)

    def add_damaged(self, path: Path, record: int | None, reason: str) -> None:
        """A document that was loaded, but not in full: listed in :func:`damaged`."""
        if self.strict:
            raise CorpusError(f"{sources.display_path(path)}: {reason}")
        self.damaged.append({"path": sources.display_path(path), "record": record, "reason": reason})

    def add(self, path: Path, record: int | None, reason: str, *, unit: str = "record") -> None:
        shown = sources.display_path(path)
        if self.strict:
            where = shown if record is None else f"{shown}: {unit} {record}"
            raise CorpusError(f"{where}: {reason}")
        self.rows.append({"path": shown, "record": record, "reason": reason})

    def frame(self, rows: list[dict] | None = None) -> pd.DataFrame:
        return _problem_frame(self.rows if rows is None else rows)


def _problem_frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=SKIPPED_COLUMNS)
    frame["path"] = frame["path"].astype("str")
    frame["record"] = frame["record"].astype("Int64")
    frame["reason"] = frame["reason"].astype("str")
    return frame


def _load_record(corpus: pd.DataFrame) -> dict | None:
    text = corpus.attrs.get(LOAD_RECORD_ATTR)
    if not isinstance(text, str):
        return None
    return json.loads(text)


def _set_load_record(corpus: pd.DataFrame, *, skipped_rows: list[dict], damaged_rows: list[dict]) -> None:
    # sort_keys and no whitespace: the same problems give the same string, so two loads of
    # one corpus compare equal and pd.concat keeps the record.
    corpus.attrs[LOAD_RECORD_ATTR] = json.dumps(
        {"skipped": skipped_rows, "damaged": damaged_rows}, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )


def skipped(corpus: pd.DataFrame) -> pd.DataFrame:
    """The inputs :func:`load_corpus` (and :func:`drop_duplicates`) skipped, one row each.

    Parameters
    ----------
    corpus : pandas.DataFrame
        A table from :func:`load_corpus`, or one derived from it by filtering,
        copying, column selection or a merge (pandas carries ``attrs`` along).

    Returns
    -------
    pandas.DataFrame
        Columns ``path`` (str), ``record`` (Int64: line or row; NA for a
        whole file) and ``reason`` (str). Empty when nothing was skipped, and
        also when the table carries no load record (a table built by hand, or
        a concatenation of different loads): :func:`corpus_summary` tells the
        two apart.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("稳中求进。", encoding="utf-8")
    >>> _ = (folder / "b.txt").write_bytes(b"")
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     corpus = load_corpus(folder)
    >>> skipped(corpus)["reason"].tolist()
    ['empty file']
    >>> len(pd.concat([corpus, corpus])), len(skipped(pd.concat([corpus, corpus])))
    (2, 1)
    """
    record = _load_record(corpus)
    return _problem_frame(record["skipped"] if record else [])


def damaged(corpus: pd.DataFrame) -> pd.DataFrame:
    """The documents :func:`load_corpus` loaded, but not in full, one row each.

    A text file cut inside its last UTF-8 character (the character is
    dropped), text with lone surrogate escapes (removed), and a date value
    that could not be parsed (the document is undated). Same columns and the
    same rules as :func:`skipped`.

    Examples
    --------
    >>> damaged(pd.DataFrame({"doc_id": ["a"]})).columns.tolist()
    ['path', 'record', 'reason']
    """
    record = _load_record(corpus)
    return _problem_frame(record["damaged"] if record else [])


@dataclass
class _BadDates:
    items: list[tuple[str, int | None, str]] = field(default_factory=list)

    def add(self, path: Path, record: int | None, value: Any) -> None:
        self.items.append((sources.display_path(path), record, repr(value)))

    def rows(self) -> list[dict]:
        """The unparsed dates as rows of :func:`damaged`: the document is loaded, its date is lost."""
        return [
            {"path": path, "record": record, "reason": f"date value {value} could not be parsed; the date is NaT"}
            for path, record, value in self.items
        ]

    def warn(self, *, unit_of: dict[str, str]) -> None:
        if not self.items:
            return
        by_file: dict[str, list[tuple[int | None, str]]] = {}
        for path, record, value in self.items:
            by_file.setdefault(path, []).append((record, value))
        parts = []
        for path, items in by_file.items():
            unit = unit_of.get(path, "record")
            examples = ", ".join(f"{unit} {record}: {value}" for record, value in items[:3])
            more = ", ..." if len(items) > 3 else ""
            parts.append(f"{path}: {len(items)} ({examples}{more})")
        warnings.warn(
            f"{len(self.items)} date value(s) could not be parsed and were left NaT: " + "; ".join(parts),
            CorpusWarning,
            stacklevel=3,
        )


@dataclass
class _Options:
    split_articles: bool | None
    to_simplified: bool
    fix_ocr: bool
    encoding: str | None
    progress: bool


# ------------------------------------------------------------------- decoding


def _bom_codec(data: bytes) -> str | None:
    """The UTF-16/UTF-32 codec that a byte-order mark at the start names, else None."""
    for bom, codec in _WIDE_BOMS:
        if data.startswith(bom):
            return codec
    return None


def _is_wide(codec: str | None) -> bool:
    return codec is not None and codecs.lookup(codec).name.startswith(("utf-16", "utf-32"))


def _binary_kind(data: bytes, *, encoding: str | None = None) -> str | None:
    """Describe binary content (by magic number or NUL bytes), None for text.

    UTF-16 and UTF-32 text is full of NUL bytes: with a byte-order mark, or
    when the caller names such an encoding, it is text.
    """
    if _bom_codec(data) or _is_wide(encoding):
        return None
    for magic, kind in _MAGIC_NUMBERS:
        if data.startswith(magic):
            return kind
    if b"\x00" in data:
        return "binary data (contains NUL bytes)"
    return None


def _implausible_share(text: str) -> float:
    if not text:
        return 0.0
    bad = 0
    for ch in text:
        category = unicodedata.category(ch)
        if category in ("Co", "Cn", "Cs") or (category == "Cc" and ch not in "\t\n\r\x0b\x0c"):
            bad += 1
    return bad / len(text)


def _gb18030_is_plausible(text: str) -> tuple[bool, float]:
    # The start of a file settles its encoding; scanning all of a large file adds nothing.
    share = _implausible_share(text[:_PLAUSIBILITY_CHARS])
    return share <= _IMPLAUSIBLE_SHARE, share


def _decode_error(error: UnicodeDecodeError) -> str:
    return f"invalid byte 0x{error.object[error.start]:02x} at offset {error.start}"


def _truncated_utf8(data: bytes, error: UnicodeDecodeError) -> bool:
    """Whether the only UTF-8 problem is a multibyte character cut off by the end of the data."""
    return error.end == len(data) and error.reason == "unexpected end of data"


def _choose_encoding(sample: bytes, *, final: bool) -> str:
    """Pick the codec for a file from (the start of) its bytes, or raise _Unreadable."""
    wide = _bom_codec(sample)
    if wide:
        return wide
    try:
        codecs.getincrementaldecoder("utf-8-sig")("strict").decode(sample, final=final)
        return "utf-8-sig"
    except UnicodeDecodeError as error:
        if _truncated_utf8(sample, error):
            # A file cut inside its last character is still UTF-8; read as GB18030
            # its Chinese would turn into plausible-looking mojibake.
            return "utf-8-sig"
        utf8_problem = _decode_error(error)
    try:
        text = codecs.getincrementaldecoder("gb18030")("strict").decode(sample, final=final)
    except UnicodeDecodeError as error:
        raise _Unreadable(
            f"cannot be decoded: not UTF-8 ({utf8_problem}) and not GB18030 ({_decode_error(error)}); "
            "pass encoding=... if you know the encoding"
        ) from None
    plausible, share = _gb18030_is_plausible(text)
    if not plausible:
        raise _Unreadable(
            f"cannot be decoded: not UTF-8 ({utf8_problem}), and as GB18030 {share:.0%} of the characters "
            "are control, private-use or unassigned, so that is not its encoding either; "
            "pass encoding=... if you know the encoding"
        )
    return "gb18030"


def _check_codec(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise CorpusError(f"unknown encoding {encoding!r}") from None


def _decode_text(data: bytes, *, encoding: str | None, damage: list[str] | None = None) -> str:
    codec = encoding or _choose_encoding(data, final=True)
    try:
        text = data.decode(codec, errors="strict")
    except UnicodeDecodeError as error:
        if damage is None or codecs.lookup(codec).name not in ("utf-8", "utf-8-sig") or not _truncated_utf8(data, error):
            raise _Unreadable(f"cannot be decoded as {codec}: {_decode_error(error)}") from None
        # Everything before the cut character is intact: keep it and report the damage.
        text = data[: error.start].decode(codec, errors="strict")
        damage.append(
            f"truncated UTF-8: the file ends inside a multibyte character at byte {error.start}; "
            f"the last {len(data) - error.start} byte(s) were dropped"
        )
    # A byte-order mark is an encoding artefact, not part of the text.
    return text[1:] if text.startswith("\ufeff") else text


# -------------------------------------------------------------- documents


def _optional_str(value: Any) -> str | None:
    if _is_missing(value):
        return None
    text = str(value).strip()
    return text or None


def _id_to_str(value: Any) -> str | None:
    if _is_missing(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _article_suffixes(count: int) -> list[str]:
    width = max(2, len(str(count)))
    return [f"-{number:0{width}d}" for number in range(1, count + 1)]


_PLACEHOLDER_PREVIEW_CHARS = 60


def _placeholder_reason(raw: str) -> str:
    # Scraper stubs ("CONTENT NOTFOUND" + a link, a bare "[查看原文](…)" line) clean to
    # nothing: loading them would add empty documents that every rate divides by.
    preview = " ".join(raw.split())
    if len(preview) > _PLACEHOLDER_PREVIEW_CHARS:
        preview = preview[:_PLACEHOLDER_PREVIEW_CHARS] + "…"
    return f"{PLACEHOLDER_REASON} (raw text: {preview!r})"


def _squeezed(text: str) -> str:
    return "".join(text.split())


def _body_start_after_title(text_clean: str, title: str, *, opts: _Options) -> int:
    """Where the body starts in ``text_clean``: after its first line when that line is the title, else 0.

    Scraped records often repeat the headline as the first line of the text;
    a mention in that line is a mention in the title (``in_title``).
    """
    first, newline, _ = text_clean.partition("\n")
    if not first or len(first) > 2 * len(title) + 10:
        return 0
    cleaned = clean.clean_text(title, to_simplified=opts.to_simplified, fix_ocr=opts.fix_ocr)
    if _squeezed(first) != _squeezed(cleaned):
        return 0
    return len(first) + len(newline)


def _document_rows(
    text: str,
    *,
    base: dict,
    doc_id: str,
    split: bool,
    opts: _Options,
    path: Path,
    record: int | None,
    skips: _Skips,
    unit: str = "record",
) -> list[dict]:
    """Output rows for one document: itself, or its articles when split."""
    if not split:
        row = dict(base, doc_id=doc_id, text=text, body_start=0)
        row["text_clean"] = clean.clean_text(text, to_simplified=opts.to_simplified, fix_ocr=opts.fix_ocr)
        if not row["text_clean"]:
            skips.add(path, record, _placeholder_reason(text), unit=unit)
            return []
        if row.get("title") is not None:
            if opts.to_simplified:
                # Converted by its own share of traditional forms, as a text is (see clean).
                row["title"] = clean.traditional_to_simplified(row["title"])
            row["body_start"] = _body_start_after_title(row["text_clean"], row["title"], opts=opts)
        return [row]
    articles = clean.split_articles(text, to_simplified=opts.to_simplified, fix_ocr=opts.fix_ocr)
    if not articles:
        skips.add(path, record, "no article found on the page by clean.split_articles")
        return []
    rows = []
    suffixes = _article_suffixes(len(articles)) if len(articles) > 1 else [""]
    for number, (article, suffix) in enumerate(zip(articles, suffixes), start=1):
        start, end, article_text = article["start"], article["end"], article["text"]
        if text[start:end] != article_text:
            # Offsets into the page are the contract with clean; a mismatch is a bug there.
            raise CorpusError(
                f"{path}: article {number} from clean.split_articles is not the slice "
                f"[{start}:{end}] of the page"
            )
        if not article_text.strip():
            skips.add(path, record, f"article {number} is empty or whitespace-only")
            continue
        if not article["text_clean"]:
            skips.add(path, record, f"article {number}: {_placeholder_reason(article_text)}", unit=unit)
            continue
        row = dict(base)
        for key in ("title", "subtitle", "byline"):
            if article.get(key) is not None:
                row[key] = article[key]
        row.update(
            doc_id=doc_id + suffix,
            text=article_text,
            text_clean=article["text_clean"],
            body_start=int(article.get("body_start") or 0),
        )
        rows.append(row)
    return rows


def _date_fields(
    value: Any, *, has_value: bool, title: str | None, path: Path, record: int | None, bad_dates: _BadDates
) -> dict:
    if has_value and not _is_missing(value):
        parsed = _parse_date_value(value)
        if parsed is None:
            bad_dates.add(path, record, value)
            return {"date": pd.NaT, "date_precision": None}
        return {"date": parsed[0], "date_precision": parsed[1]}
    stamp, precision = date_from_title(title)
    return {"date": stamp, "date_precision": precision}


def _fill_title_dates(rows: Iterable[dict]) -> None:
    for row in rows:
        if row.get("date") is None or row["date"] is pd.NaT:
            stamp, precision = date_from_title(row.get("title"))
            row["date"], row["date_precision"] = stamp, precision


# --------------------------------------------------------------- text files


def _text_file_rows(
    path: Path, *, doc_id: str, opts: _Options, skips: _Skips, root: Path | None = None
) -> list[dict]:
    try:
        data = sources.read_bytes(path)
    except OSError as error:
        skips.add(path, None, f"cannot be read: {error.strerror or error}")
        return []
    try:
        if not data:
            raise _Unreadable("empty file")
        kind = _binary_kind(data, encoding=opts.encoding)
        if kind:
            raise _Unreadable(f"not a text file: {kind}")
        damage: list[str] = []
        text = _decode_text(data, encoding=opts.encoding, damage=damage)
        if not text.strip():
            raise _Unreadable("whitespace-only file")
    except _Unreadable as problem:
        skips.add(path, None, str(problem))
        return []
    for reason in damage:
        skips.add_damaged(path, None, reason)
    split = True if opts.split_articles is None else opts.split_articles
    named = sources.date_from_filename(path, root=root)
    base = {
        "title": None,
        "subtitle": None,
        "byline": None,
        "date": pd.NaT,
        "date_precision": None,
        "source": None,
        "path": sources.display_path(path),
        "record": None,
    }
    rows = _document_rows(text, base=base, doc_id=doc_id, split=split, opts=opts, path=path, record=None, skips=skips)
    if named["precision"] is not None:
        # The crawl's file name dates the page, and every article on it.
        for row in rows:
            row["date"], row["date_precision"] = named["date"], named["precision"]
            row["extras"] = {"page": named["page"], "seq": named["seq"]}
            row["dated_by_name"] = True
    _fill_title_dates(rows)
    return rows


def _relative_id(path: Path, folder: Path) -> str:
    relative = path.relative_to(folder)
    return sources.display_path((relative.parent / sources.document_stem(relative)).as_posix())


def _load_folder(
    folder: Path, *, opts: _Options, skips: _Skips, columns: dict, bad_dates: _BadDates, units: dict[str, str]
) -> tuple[list[dict], list[str], bool]:
    """Rows of every supported file under ``folder``, the extra columns, and whether all tabular files are CSV."""
    files, problems = sources.list_files(folder)
    if not files and not problems:
        raise CorpusError(
            f"{folder}: the folder holds no files (looked for "
            f"{', '.join(TEXT_SUFFIXES + TABULAR_SUFFIXES)}, also .gz, recursively)"
        )
    for path, reason in problems:
        skips.add(path, None, reason)
    rows: list[dict] = []
    extras: dict[str, None] = {}
    formats: set[str] = set()
    for path in tqdm(files, desc="files", unit="file", disable=not opts.progress):
        kind = sources.file_format(path)
        file_key = sources.display_path(path.relative_to(folder).as_posix())
        if kind == "text":
            file_rows = _text_file_rows(path, doc_id=_relative_id(path, folder), opts=opts, skips=skips, root=folder)
        elif kind in _READERS:
            formats.add(kind)
            file_rows, file_extras = _tabular_file_rows(
                path, kind, columns=columns, opts=opts, skips=skips, bad_dates=bad_dates, units=units,
                stem=_relative_id(path, folder), in_folder=True,
            )
            extras.update(dict.fromkeys(file_extras))
        elif kind == "zip":
            skips.add(path, None, sources.ZIP_REASON)
            continue
        else:
            sniffed = _sniff_kind(path)
            reason = f"not a supported file ({', '.join(TEXT_SUFFIXES + TABULAR_SUFFIXES)}, optionally .gz)"
            if sniffed != "text":
                reason += f": {sniffed}"
            skips.add(path, None, reason)
            continue
        for row in file_rows:
            row["file_key"] = file_key
        rows.extend(file_rows)
    _qualify_ids_shared_across_files(rows)
    return rows, list(extras), formats == {"csv"}


def _qualify_ids_shared_across_files(rows: list[dict]) -> None:
    """``<file>:<id>`` for an id that two files of a folder both use (row ids of two CSVs, a.txt and a.md).

    Ids unique across the folder stay as they are; an id repeated inside one
    file is still an error (:func:`_check_unique_ids`).
    """
    files_of: dict[str, set[str]] = {}
    for row in rows:
        files_of.setdefault(row["doc_id"], set()).add(row["file_key"])
    for row in rows:
        if len(files_of[row["doc_id"]]) > 1:
            row["doc_id"] = f"{row['file_key']}:{row['doc_id']}"


def _sniff_kind(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as error:
        return f"cannot be read ({error.strerror or error})"
    return _binary_kind(head) or "text"


# ------------------------------------------------------------ tabular files


def _utf8_line_share(sample: bytes, *, final: bool) -> tuple[int, int]:
    """(lines that decode as UTF-8, lines that do not) among the non-ASCII lines of a sample."""
    lines = sample.split(b"\n")
    if not final:
        lines = lines[:-1]  # the last line may be cut by the sample's end
    good = bad = 0
    for line in lines:
        if line.isascii():
            continue
        try:
            line.decode("utf-8-sig")
            good += 1
        except UnicodeDecodeError:
            bad += 1
    return good, bad


def _jsonl_codec(sample: bytes, *, encoding: str | None, final: bool) -> str:
    if encoding:
        return encoding
    wide = _bom_codec(sample)
    if wide:
        return wide
    # Lines are decoded one by one, so the file's encoding is that of most of its lines: one
    # line in another encoding is skipped alone instead of turning the file into GB18030.
    good, bad = _utf8_line_share(sample, final=final or sample.endswith(b"\n"))
    if good and good >= bad:
        return "utf-8-sig"
    try:
        return _choose_encoding(sample, final=final)
    except _Unreadable:
        # Neither encoding fits every line: UTF-8, and each line that is not UTF-8 is listed.
        return "utf-8-sig"


def _jsonl_lines(handle, path: Path, *, codec: str, opts: _Options, skips: _Skips):
    """(line number, decoded line or None when it cannot be decoded) for each line."""
    if _is_wide(codec):
        # Line breaks in UTF-16/32 are more than one byte: decode the whole file, then split.
        try:
            text = handle.read().decode(codec)
        except UnicodeDecodeError as error:
            skips.add(path, None, f"cannot be decoded as {codec}: {_decode_error(error)}")
            return
        for line_number, line in enumerate(text.split("\n"), start=1):
            yield line_number, line
        return
    lines = tqdm(handle, desc=path.name, unit="line", disable=not opts.progress)
    for line_number, raw in enumerate(lines, start=1):
        if line_number == 1 and raw.startswith(_UTF8_BOM):
            raw = raw[len(_UTF8_BOM):]
        try:
            yield line_number, raw.decode(codec)
        except UnicodeDecodeError as error:
            skips.add(path, line_number, f"cannot be decoded as {codec}: {_decode_error(error)}", unit="line")
            yield line_number, None


def _sniff_lines(handle) -> tuple[bytes, bool]:
    """Whole lines from the start of a file, about ``_SNIFF_BYTES`` of them, and whether that is all of it.

    A stream that breaks inside the sample (a damaged gzip file) ends the
    sample there; reading the lines again meets the same damage and reports it.
    """
    parts: list[bytes] = []
    size = 0
    try:
        while size < _SNIFF_BYTES:
            line = handle.readline()
            if not line:
                return b"".join(parts), True
            parts.append(line)
            size += len(line)
    except OSError:
        return b"".join(parts), True
    return b"".join(parts), False


def _iter_jsonl(path: Path, *, opts: _Options, skips: _Skips) -> tuple[list[tuple[int, dict]], list[str]]:
    """Parsed records (line number, object) and the keys seen, in order of first appearance."""
    records: list[tuple[int, dict]] = []
    keys: dict[str, None] = {}
    line_number = 0
    try:
        with sources.open_binary(path) as handle:
            sample, at_end = _sniff_lines(handle)
            try:
                if not sample.strip() and at_end:
                    raise _Unreadable("empty file" if not sample else "whitespace-only file")
                kind = _binary_kind(sample, encoding=opts.encoding)
                if kind:
                    raise _Unreadable(f"not a JSON Lines file: {kind}")
                codec = _jsonl_codec(sample, encoding=opts.encoding, final=at_end)
            except _Unreadable as problem:
                skips.add(path, None, str(problem))
                return records, []
            handle.seek(0)
            for line_number, line in _jsonl_lines(handle, path, codec=codec, opts=opts, skips=skips):
                if line is None or not line.strip():
                    continue  # undecodable (already listed), or blank: blank lines separate nothing
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as error:
                    skips.add(path, line_number, f"malformed JSON: {error.msg} (column {error.colno})", unit="line")
                    continue
                if not isinstance(obj, dict):
                    skips.add(path, line_number, f"not a JSON object but {type(obj).__name__}", unit="line")
                    continue
                records.append((line_number, obj))
                for key in obj:
                    keys.setdefault(key, None)
    except OSError as error:
        # A file that vanished, cannot be opened, or a gzip stream damaged part-way: the
        # records read before the damage are kept.
        where = f" after line {line_number}" if line_number else ""
        skips.add(path, None, f"cannot be read{where}: {error.strerror or error}")
    return records, list(keys)


def _csv_int_column(values: list[Any]) -> pd.Series | list[Any]:
    """Integer-looking CSV columns as Int64; anything else stays text. Only exact round trips convert."""
    present = [v for v in values if v is not None]
    if not present or not all(isinstance(v, str) and re.fullmatch(r"-?[0-9]+", v) for v in present):
        return values
    if any(str(int(v)) != v for v in present):
        return values  # leading zeros (codes, zip numbers) are text
    return pd.array([None if v is None else int(v) for v in values], dtype="Int64")


# A field holding at least this many lines that each parse as a whole row of the file is a
# run of rows swallowed by an unclosed quote, not a multi-line text.
_SWALLOWED_MIN_ROWS = 2


def _swallowed_rows(fields: list[str], width: int) -> int:
    """How many lines inside one field look like rows of the file (an unclosed quote), else 0."""
    if width < 2:
        return 0
    for value in fields:
        if value.count("\n") < _SWALLOWED_MIN_ROWS:
            continue
        inner = [line.rstrip("\r") for line in value.split("\n")[1:]]
        inner = [line for line in inner if line.strip()]
        rowlike = 0
        for line in inner:
            try:
                if len(next(csv.reader([line]), [])) == width:
                    rowlike += 1
            except csv.Error:
                continue
        if rowlike >= _SWALLOWED_MIN_ROWS and 2 * rowlike >= len(inner):
            return rowlike
    return 0


def _iter_csv(path: Path, *, opts: _Options, skips: _Skips) -> tuple[list[tuple[int, dict]], list[str]]:
    records: list[tuple[int, dict]] = []
    try:
        data = sources.read_bytes(path)
        if not data.strip():
            raise _Unreadable("empty file" if not data else "whitespace-only file")
        kind = _binary_kind(data, encoding=opts.encoding)
        if kind:
            raise _Unreadable(f"not a CSV file: {kind}")
        text = _decode_text(data, encoding=opts.encoding)
    except OSError as error:
        skips.add(path, None, f"cannot be read: {error.strerror or error}")
        return records, []
    except _Unreadable as problem:
        skips.add(path, None, str(problem))
        return records, []
    lines = io.StringIO(text, newline="").readlines()
    # The csv module refuses fields over 128 KiB by default, and its limit is process-wide:
    # raised to what this file can hold for the parse, then put back.
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(text) + 1))
    try:
        return _parse_csv_lines(lines, path, opts=opts, skips=skips)
    finally:
        csv.field_size_limit(limit)


def _parse_csv_lines(lines: list[str], path: Path, *, opts: _Options, skips: _Skips):
    records: list[tuple[int, dict]] = []
    try:
        header = next(csv.reader(lines[:1]))
    except (StopIteration, csv.Error) as error:
        skips.add(path, None, f"no CSV header: {error or 'the first line is empty'}")
        return records, []
    header = [name.strip() for name in header]
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise CorpusError(f"{sources.display_path(path)}: duplicate column names in the header: {duplicated}")
    data_row = 0
    position = 1  # index in ``lines`` where the reader starts
    progress = tqdm(total=len(lines), desc=path.name, unit="line", disable=not opts.progress)
    while position < len(lines):
        reader = csv.reader(lines[position:])
        consumed = 0
        restart = None
        while True:
            first_line = position + consumed  # 0-based index of the record's first line
            try:
                fields = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                data_row += 1
                skips.add(path, data_row, f"cannot be parsed as CSV (line {first_line + 1}): {error}")
                restart = first_line + 1
                break
            progress.update(reader.line_num - consumed)
            consumed = reader.line_num
            if not fields:
                continue  # blank line
            data_row += 1
            swallowed = _swallowed_rows(fields, len(header))
            if swallowed:
                # Read again from the next line: the rows it swallowed are rows.
                skips.add(
                    path,
                    data_row,
                    f"an unclosed quote on line {first_line + 1} runs over {position + consumed - first_line - 1} "
                    f"more line(s), {swallowed} of which look like rows; this row is skipped and the lines "
                    "after it are read again as rows",
                )
                restart = first_line + 1
                break
            if len(fields) != len(header):
                skips.add(
                    path,
                    data_row,
                    f"has {len(fields)} fields, the header has {len(header)} (line {first_line + 1})",
                )
                continue
            records.append((data_row, {name: (value if value != "" else None) for name, value in zip(header, fields)}))
        if restart is None:
            break
        position = restart
    progress.close()
    return records, header


def _iter_parquet(path: Path, *, opts: _Options, skips: _Skips) -> tuple[list[tuple[int, dict]], list[str]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        # An open file rather than a path: pyarrow cannot take a name that is not valid UTF-8.
        if sources.strip_compression(path.name)[1] is None:
            with path.open("rb") as handle:
                table = pq.read_table(handle)
        else:
            table = pq.read_table(io.BytesIO(sources.read_bytes(path)))
    except (OSError, pa.ArrowException) as error:
        skips.add(path, None, f"cannot be read as Parquet: {error}")
        return [], []
    names = list(table.column_names)
    rows = table.to_pylist()
    iterator = tqdm(rows, desc=path.name, unit="row", disable=not opts.progress)
    return [(number, row) for number, row in enumerate(iterator, start=1)], names


_READERS = {"jsonl": _iter_jsonl, "csv": _iter_csv, "parquet": _iter_parquet}
_UNITS = {"jsonl": "line", "csv": "record", "parquet": "record"}


def _tabular_file_rows(
    path: Path,
    kind: str,
    *,
    columns: dict,
    opts: _Options,
    skips: _Skips,
    bad_dates: _BadDates,
    units: dict[str, str],
    stem: str,
    in_folder: bool,
) -> tuple[list[dict], list[str]]:
    """Rows and extra columns of one JSONL, CSV or Parquet file."""
    unit = _UNITS[kind]
    units[sources.display_path(path)] = unit
    records, found = _READERS[kind](path, opts=opts, skips=skips)
    if not (records or found):
        return [], []
    try:
        return _tabular_rows(
            path, records, found, columns=columns, opts=opts, skips=skips, bad_dates=bad_dates, unit=unit, stem=stem
        )
    except CorpusError as error:
        if not in_folder or skips.strict:
            raise
        # One shard without the text column does not stop the rest of the folder.
        skips.add(path, None, str(error).removeprefix(f"{sources.display_path(path)}: "))
        return [], []


def _resolve_column(given: str | None, defaults: tuple[str, ...], found: list[str], *, role: str, path: Path) -> str | None:
    if given is not None:
        if given not in found:
            raise CorpusError(
                f"{path}: the {role} column {given!r} does not exist; columns found: {', '.join(found) or '(none)'}"
            )
        return given
    return next((name for name in defaults if name in found), None)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_lone_surrogates(obj: dict) -> tuple[dict, list[str]]:
    """The record with lone surrogates (``"\\ud83d"`` escapes in scraped JSON) removed, and the fields repaired.

    JSON pairs a high and a low surrogate escape into one character; one
    left alone is half an emoji cut by the scraper, is no character, and
    cannot be encoded, so OpenCC, pyarrow and every file writer fail on it.
    """
    repaired = []
    for name, value in obj.items():
        if isinstance(value, str) and _LONE_SURROGATE.search(value):
            repaired.append(name)
    if not repaired:
        return obj, repaired
    fixed = dict(obj)
    for name in repaired:
        fixed[name] = _LONE_SURROGATE.sub("", obj[name])
    return fixed, repaired


def _tabular_rows(
    path: Path,
    records: list[tuple[int, dict]],
    found: list[str],
    *,
    columns: dict[str, str | None],
    opts: _Options,
    skips: _Skips,
    bad_dates: _BadDates,
    unit: str,
    stem: str | None = None,
) -> tuple[list[dict], list[str]]:
    """Output rows for the records of one tabular file, and the names of its extra columns."""
    text_col = _resolve_column(columns["text"], DEFAULT_TEXT_COLUMNS, found, role="text", path=path)
    if text_col is None:
        raise CorpusError(
            f"{path}: no text column: looked for {', '.join(DEFAULT_TEXT_COLUMNS)}; columns found: "
            f"{', '.join(found) or '(none)'}; pass text_col=..."
        )
    title_col = _resolve_column(columns["title"], DEFAULT_TITLE_COLUMNS, found, role="title", path=path)
    date_col = _resolve_column(columns["date"], DEFAULT_DATE_COLUMNS, found, role="date", path=path)
    id_col = _resolve_column(columns["id"], DEFAULT_ID_COLUMNS, found, role="id", path=path)
    source_col = _resolve_column(columns["source"], DEFAULT_SOURCE_COLUMNS, found, role="source", path=path)
    used = {c for c in (text_col, title_col, date_col, id_col, source_col) if c is not None}
    passthrough = [c for c in PASSTHROUGH_COLUMNS if c in found and c not in used]
    used.update(passthrough)
    extras = [c for c in found if c not in used]
    split = False if opts.split_articles is None else opts.split_articles
    stem = stem if stem is not None else sources.document_stem(path)

    rows: list[dict] = []
    for record, obj in records:
        obj, repaired = _without_lone_surrogates(obj)
        value = obj.get(text_col)
        if _is_missing(value) and not (isinstance(value, str) and value):
            skips.add(path, record, f"no text (column {text_col!r} is missing or empty)", unit=unit)
            continue
        if not isinstance(value, str):
            skips.add(path, record, f"text column {text_col!r} holds {type(value).__name__}, not a string", unit=unit)
            continue
        if not value.strip():
            skips.add(path, record, f"text column {text_col!r} is whitespace-only", unit=unit)
            continue
        title = _optional_str(obj.get(title_col)) if title_col else None
        base = {
            "title": title,
            **{name: _optional_str(obj.get(name)) if name in passthrough else None for name in PASSTHROUGH_COLUMNS},
            "source": _optional_str(obj.get(source_col)) if source_col else None,
            "path": sources.display_path(path),
            "record": record,
        }
        base.update(
            _date_fields(
                obj.get(date_col) if date_col else None,
                has_value=date_col is not None,
                title=title,
                path=path,
                record=record,
                bad_dates=bad_dates,
            )
        )
        base["extras"] = {name: obj.get(name) for name in extras}
        doc_id = (_id_to_str(obj.get(id_col)) if id_col else None) or f"{stem}-{record}"
        document_rows = _document_rows(
            value, base=base, doc_id=doc_id, split=split, opts=opts, path=path, record=record, skips=skips, unit=unit
        )
        if split:
            # An article's own title may carry the date the record lacked.
            for row in document_rows:
                if row["date"] is pd.NaT and (not date_col or _is_missing(obj.get(date_col))):
                    row["date"], row["date_precision"] = date_from_title(row.get("title"))
        if repaired and document_rows:
            skips.add_damaged(
                path, record, f"lone surrogate escape(s) removed from {', '.join(repr(name) for name in repaired)}"
            )
        rows.extend(document_rows)
    return rows, extras


# ------------------------------------------------------------------ assembly


def _extra_name(name: str) -> str:
    return CLASH_PREFIX + name if name in COLUMNS else name


def _arrow_text_column(values: list[str | None]) -> pd.Series:
    """pandas' str column of ``values``, its Arrow buffers sized once.

    Converting a list of strings lets Arrow grow its buffers step by step,
    and its allocator keeps the memory it grew through: about 150 MB of
    resident memory for a column of 40 MB of text, where one joined buffer
    costs the text and its offsets.
    """
    import pyarrow as pa

    encoded = [value.encode("utf-8") if value is not None else b"" for value in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(value) for value in encoded], out=offsets[1:])
    data = b"".join(encoded)
    del encoded
    present = np.packbits(np.array([value is not None for value in values], dtype=bool), bitorder="little")
    array = pa.LargeStringArray.from_buffers(len(values), pa.py_buffer(offsets), pa.py_buffer(data), pa.py_buffer(present))
    array.validate()
    return pd.Series(pd.array(array, dtype="str"))


def _text_column(values: list[Any]) -> pd.Series:
    if _STR_IN_ARROW and values and all(value is None or type(value) is str for value in values):
        try:
            return _arrow_text_column(values)
        except UnicodeEncodeError:
            pass  # a lone surrogate: pandas' own conversion decides what becomes of it
    series = pd.Series(values, dtype=object)
    # Same dtype whether a column is full, partly or entirely missing: pandas' string
    # dtype where pandas uses it by default (3.x), plain objects with None before.
    return series.astype("str") if _PANDAS_INFERS_STR else series


DOC_TYPES = ("text", "procedural")

# The NPC's resolutions approving a work report say they heard it and agree with it; a report
# itself never calls itself "the report made by Premier X". Short, so the rule looks at a document's
# title and first few hundred characters only.
_PROCEDURAL_TITLE = re.compile(r"(决议|决定)")
_PROCEDURAL_TEXT = re.compile(r"(听取(和|并)?审议了.{0,20}所作的|所作的\s*政府工作报告|会议(同意|批准|充分肯定|决定批准))")
PROCEDURAL_MAX_CHARS = 5_000
"""A procedural text (a resolution approving a report) is short; a longer one is a text."""


def document_type(title, text) -> str:
    """``"procedural"`` for a resolution or decision approving a report, ``"text"`` otherwise.

    The NPC's resolutions on the government work report (决议: 会议听取和审议了
    国务院总理…所作的政府工作报告，同意…) are a few hundred characters; counted as
    documents they make a year's rates and topics meaningless. The rule: a
    title ending in 决议/决定 (or 关于…报告的决议), or an opening that says the
    meeting heard, approved or agreed with a report, in a text shorter than
    :data:`PROCEDURAL_MAX_CHARS` characters whose title names a 决议 or 决定
    and whose opening says the meeting heard, approved or agreed with a report
    (news of a delegation deliberating is not procedural, nor is a news item
    about a UN resolution).

    Examples
    --------
    >>> document_type("第十三届全国人民代表大会第三次会议关于政府工作报告的决议",
    ...               "会议听取和审议了国务院总理李克强所作的政府工作报告。会议同意报告。")
    'procedural'
    >>> document_type("政府工作报告", "各位代表：现在，我代表国务院，向大会报告政府工作。")
    'text'
    """
    text = text if isinstance(text, str) else ""
    if len(text) >= PROCEDURAL_MAX_CHARS:
        return "text"
    title = title if isinstance(title, str) else ""
    if _PROCEDURAL_TITLE.search(title) and _PROCEDURAL_TEXT.search(text[:600]):
        return "procedural"
    return "text"


def _build_frame(rows: list[dict], extras: list[str], *, csv_extras: bool) -> pd.DataFrame:
    frame = pd.DataFrame({name: _text_column([row.get(name) for row in rows]) for name in COLUMNS}, columns=COLUMNS)
    frame["date"] = pd.to_datetime(pd.Series([row.get("date") for row in rows], dtype=object)).astype(_DATE_DTYPE)
    frame["record"] = pd.Series([row.get("record") for row in rows], dtype="Int64")
    frame["body_start"] = pd.Series([row.get("body_start", 0) for row in rows], dtype="int64")
    # From the rows' own strings: reading the text column back out of the frame copies the whole corpus again.
    frame["doc_type"] = pd.Series(
        [document_type(row.get("title"), row.get("text_clean")) for row in rows], dtype=object
    ).astype(frame["title"].dtype)
    for name in extras:
        values = [row.get("extras", {}).get(name) for row in rows]
        if name in FILENAME_COLUMNS and all(value is None or type(value) is int for value in values):
            frame[_extra_name(name)] = pd.array(values, dtype="Int64")
        elif csv_extras:
            frame[_extra_name(name)] = _csv_int_column(values)
        else:
            frame[_extra_name(name)] = pd.Series(values, dtype=object).infer_objects()
    return frame


def _suspect_short(frame: pd.DataFrame) -> list[dict]:
    """Rows of :func:`damaged` for documents that look like stubs rather than the documents of the corpus."""
    if len(frame) < SUSPECT_SHORT_MIN_DOCUMENTS:
        return []
    lengths = frame["text_clean"].str.len()
    median = float(lengths.median())
    limit = min(SUSPECT_SHORT_MAX_CHARS, SUSPECT_SHORT_MEDIAN_SHARE * median)
    flagged = []
    for path, record, doc_id, length in zip(frame["path"], frame["record"], frame["doc_id"], lengths):
        if length < limit:
            flagged.append(
                {
                    "path": str(path),
                    "record": None if _is_missing(record) else int(record),
                    "reason": f"{SUSPECT_SHORT_REASON}: {doc_id} has {length} characters, the corpus median "
                    f"{median:,.0f}; a stub or placeholder page? (loaded; drop it if it is not a document)",
                }
            )
    return flagged


def _check_unique_ids(frame: pd.DataFrame) -> None:
    duplicated = frame.loc[frame["doc_id"].duplicated(keep=False), ["doc_id", "path", "record"]]
    if duplicated.empty:
        return
    described = []
    for doc_id, group in duplicated.groupby("doc_id", sort=True):
        places = ", ".join(
            f"{path}" + ("" if pd.isna(record) else f" record {record}")
            for path, record in zip(group["path"], group["record"])
        )
        described.append(f"{doc_id!r} ({places})")
    shown = "; ".join(described[:10]) + ("; ..." if len(described) > 10 else "")
    raise CorpusError(
        f"{len(described)} duplicate doc_id value(s): {shown}. Make the ids unique or choose another id_col."
    )


def load_corpus(
    path: str | os.PathLike,
    *,
    text_col: str | None = None,
    title_col: str | None = None,
    date_col: str | None = None,
    id_col: str | None = None,
    source_col: str | None = None,
    split_articles: bool | None = None,
    to_simplified: bool = True,
    fix_ocr: bool = True,
    encoding: str | None = None,
    strict: bool = False,
    progress: bool = False,
    level: str | dict[str, str] | None = None,
    region: str | dict[str, str] | None = None,
    cache=None,
) -> pd.DataFrame:
    """Load a corpus into one row per document.

    Parameters
    ----------
    path : path-like
        A ``.txt``/``.md``, ``.jsonl``, ``.csv`` or ``.parquet`` file, any of
        them compressed as ``.gz``, or a folder of such files (searched
        recursively; shards of one dataset and mixed folders load as one
        corpus; hidden files ignored; every other file, a ``.zip``, a folder
        that cannot be read and a symbolic link to a folder is skipped with a
        reason). Relative paths are taken from the current directory
        (:func:`analysis.config.resolve_path`); an empty path is an error.
        Text files named by date (``20200602-01-03.txt``, see
        :func:`analysis.sources.date_from_filename`) are dated by their
        names and get ``page`` and ``seq`` columns.
    text_col, title_col, date_col, id_col, source_col : str, optional
        Column names in tabular files. Defaults: text ``text`` then
        ``content``; title ``title``; date ``date`` then ``year``; id ``id``;
        source ``source``. A named column that does not exist raises
        :class:`CorpusError`. Columns called ``subtitle`` and ``byline`` fill
        those output columns.
    split_articles : bool, optional
        Split each document into articles with :func:`analysis.clean.split_articles`.
        Default: on for text files (a newspaper page), off for tabular files.
    to_simplified, fix_ocr : bool
        Passed to :mod:`analysis.clean` to build ``text_clean``.
    encoding : str, optional
        Force an encoding for text, JSONL and CSV files. By default UTF-8
        (with or without BOM) is tried, then GB18030/GBK, and a GB18030
        decode that yields mostly control, private-use or unassigned
        characters is rejected.
    strict : bool
        Raise :class:`CorpusError` at the first document that cannot be read
        (or is damaged) instead of skipping it; the message names the file and
        the line or record.
    progress : bool
        Show a progress bar over files or records.
    level : str or dict, optional
        Administrative level of the documents whose data names none (no
        ``level`` column, or an empty cell): one of
        :data:`analysis.config.LEVELS` for all of them, or a mapping from the
        ``source`` value to the level (documents of other sources keep NA).
    region : str or dict, optional
        Region (``河南省``, ``郑州高新区``) of the documents whose data names
        none; one value or a mapping from ``source``, as for ``level``.
    cache : bool or path-like, optional
        Keep the loaded corpus as Parquet under ``config.CACHE_DIR /
        "corpora"`` (True) or in the folder given, and read it back when the
        same corpus (every byte of it) is loaded with the same options by the
        same package (source, data and library versions; see
        :mod:`analysis.cache.corpora`): the same frame, attrs and warnings in
        a fraction of the time. None or False (the default) neither reads
        nor writes.

    Returns
    -------
    pandas.DataFrame
        One row per document (per article when split), columns:

        - ``doc_id`` (str, unique): the id column's value; otherwise the file
          stem (the path relative to the folder, without suffix, for files in
          subfolders) with ``-01``, ``-02``... when a page splits into several
          articles, or ``<stem>-<record>`` for tabular files. In a folder, an id
          that two files share (row ids of two CSV shards, ``a.txt`` and
          ``a.md``) becomes ``<file>:<id>``, the file relative to the folder.
        - ``title``, ``subtitle``, ``byline`` (str or NA).
        - ``date`` (datetime64[ns], NaT when unknown) and ``date_precision``
          (``"day"``, ``"month"``, ``"year"`` or NA); see the module notes on
          reading dates from titles.
        - ``source`` (str or NA), ``path`` (the file, str), ``record`` (Int64:
          the line number in JSONL, the 1-based data row in CSV/Parquet, NA
          for text files).
        - ``level`` (one of :data:`analysis.config.LEVELS` or NA) and
          ``region`` (str or NA): from the data, else from ``level=`` and
          ``region=``.
        - ``text`` (raw, as decoded; for articles a slice of the page),
          ``text_clean`` (:func:`analysis.clean.clean_text`) and
          ``body_start`` (offset into ``text_clean`` where the body starts).
        - Then every other column of a tabular file, in file order; a name
          that clashes with one of the above gets the prefix ``orig_``.

        :func:`skipped` lists the documents that could not be read
        (columns ``path``, ``record``, ``reason``; record NA for whole files),
        among them records whose text is empty once cleaned (reason starting
        :data:`PLACEHOLDER_REASON`: scraper stubs such as ``CONTENT NOTFOUND``
        or a lone ``[查看原文](…)`` link). Loaded plus skipped is every
        document found. :func:`damaged` (same columns) lists documents
        that were loaded but not in full: a text file cut inside its last
        UTF-8 character is loaded without that character, a date value that
        cannot be parsed leaves the date NaT. Both are kept as one JSON string
        in ``attrs["load_record"]``; ``attrs["path"]`` holds the resolved
        input path. No DataFrame is put in ``attrs``, so ``pd.concat`` and
        ``merge`` work on corpora.

    Raises
    ------
    FileNotFoundError
        The path does not exist.
    CorpusError
        Unsupported format, a named column that does not exist, no text
        column, duplicate ``doc_id`` values (listed with their files), or,
        with ``strict=True``, any unreadable document.

    Warns
    -----
    CorpusWarning
        Once when documents were skipped (pointing at :func:`skipped`)
        and once when date values could not be parsed (naming the files and
        how many).

    Examples
    --------
    >>> corpus = load_corpus("seeds/")
    >>> list(corpus.columns[:4])
    ['doc_id', 'title', 'subtitle', 'byline']
    >>> corpus["doc_id"].is_unique
    True
    """
    root = config.resolve_path(path)
    if not root.exists():
        raise FileNotFoundError(f"corpus path not found: {root}")
    if cache is not None and cache is not False:
        options = {"text_col": text_col, "title_col": title_col, "date_col": date_col, "id_col": id_col,
                   "source_col": source_col, "split_articles": split_articles, "to_simplified": to_simplified,
                   "fix_ocr": fix_ocr, "encoding": encoding, "strict": strict, "level": level, "region": region}
        return _load_cached(root, options, cache=cache, progress=progress)
    opts = _Options(
        split_articles=split_articles,
        to_simplified=to_simplified,
        fix_ocr=fix_ocr,
        encoding=_check_codec(encoding) if encoding is not None else None,
        progress=progress,
    )
    skips = _Skips(strict=strict)
    bad_dates = _BadDates()
    extras: list[str] = []
    units: dict[str, str] = {}
    columns = {"text": text_col, "title": title_col, "date": date_col, "id": id_col, "source": source_col}
    kind = None if root.is_dir() else sources.file_format(root)
    all_csv = kind == "csv"
    if root.is_dir():
        rows, extras, all_csv = _load_folder(
            root, opts=opts, skips=skips, columns=columns, bad_dates=bad_dates, units=units
        )
    elif kind == "text":
        rows = _text_file_rows(root, doc_id=sources.document_stem(root), opts=opts, skips=skips, root=root.parent)
    elif kind in _READERS:
        rows, extras = _tabular_file_rows(
            root, kind, columns=columns, opts=opts, skips=skips, bad_dates=bad_dates, units=units,
            stem=sources.document_stem(root), in_folder=False,
        )
    elif kind == "zip":
        raise CorpusError(f"{sources.display_path(root)}: {sources.ZIP_REASON}")
    else:
        raise CorpusError(
            f"{sources.display_path(root)}: unsupported format {root.suffix or '(no suffix)'!r}; expected a folder "
            f"or one of {', '.join(TEXT_SUFFIXES + TABULAR_SUFFIXES)} (optionally compressed as .gz)"
        )
    if any(row.get("dated_by_name") for row in rows):
        extras = [*extras, *(name for name in FILENAME_COLUMNS if name not in extras)]

    frame = _build_frame(rows, extras, csv_extras=all_csv)
    _check_unique_ids(frame)
    _fill_levels(frame, level=level, region=region)
    skips.damaged.extend(_suspect_short(frame))
    if skips.rows:
        warnings.warn(
            f"load_corpus({root}): skipped {len(skips.rows)} document(s) that could not be read "
            f"(loaded {len(frame)}); see analysis.corpus.skipped(corpus) for each file, record and reason",
            CorpusWarning,
            stacklevel=2,
        )
    bad_dates.warn(unit_of=units)
    incomplete = [row for row in skips.damaged if not row["reason"].startswith(SUSPECT_SHORT_REASON)]
    stubs = len(skips.damaged) - len(incomplete)
    if stubs:
        warnings.warn(
            f"load_corpus({root}): {stubs} document(s) are far shorter than the rest "
            f"({SUSPECT_SHORT_REASON}); see analysis.corpus.damaged(corpus)",
            CorpusWarning,
            stacklevel=2,
        )
    if incomplete:
        warnings.warn(
            f"load_corpus({root}): {len(incomplete)} document(s) were loaded incomplete "
            f"({'; '.join(row['path'] + ': ' + row['reason'] for row in incomplete[:5])}"
            f"{'; ...' if len(incomplete) > 5 else ''}); see analysis.corpus.damaged(corpus)",
            CorpusWarning,
            stacklevel=2,
        )
    frame.attrs["path"] = str(root)
    _set_load_record(frame, skipped_rows=skips.rows, damaged_rows=skips.damaged + bad_dates.rows())
    return frame


def _load_cached(root: Path, options: dict, *, cache, progress: bool) -> pd.DataFrame:
    """load_corpus through the corpus cache: read back, or loaded and stored with the warnings it gave."""
    from .cache import corpora_folder, corpus_cache_key, read_corpus, write_corpus

    folder = corpora_folder(cache)
    key = corpus_cache_key(root, options, folder=folder)
    stored = read_corpus(folder, key)
    if stored is not None:
        frame, messages = stored
    else:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", CorpusWarning)
            frame = load_corpus(root, progress=progress, **options)
        messages = [str(warning.message) for warning in caught if issubclass(warning.category, CorpusWarning)]
        for warning in caught:  # anything else is passed on as it came
            if not issubclass(warning.category, CorpusWarning):
                warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
        try:
            write_corpus(folder, key, frame, messages)
        except OSError as error:
            warnings.warn(f"corpus cache {folder} is not writable ({error}); continuing without it", stacklevel=3)
    for message in messages:
        warnings.warn(message, CorpusWarning, stacklevel=3)
    return frame


def _fill_levels(frame: pd.DataFrame, *, level, region, caller: str = "load_corpus") -> None:
    """Fill ``level``/``region`` where the data names none, then check every level (in place)."""
    for column, given in (("level", level), ("region", region)):
        if given is None:
            continue
        if isinstance(given, str):
            filled = pd.Series(given, index=frame.index, dtype=object)
        elif isinstance(given, dict):
            sources = frame["source"] if "source" in frame.columns else pd.Series(None, index=frame.index)
            filled = sources.map(lambda value, table=given: table.get(value) if isinstance(value, str) else None)
        else:
            raise CorpusError(
                f"{caller}: {column}= must be a string or a mapping from source to {column}, "
                f"got {type(given).__name__}"
            )
        if column == "level":
            bad = sorted({value for value in filled.dropna() if value not in config.LEVELS})
            if bad:
                raise CorpusError(f"{caller}: level {bad[0]!r} is not one of {', '.join(config.LEVELS)}")
        frame[column] = _text_column(frame[column].where(frame[column].notna(), filled).tolist())
    bad_rows = frame["level"].notna() & ~frame["level"].isin(config.LEVELS)
    if bad_rows.any():
        row = frame.loc[bad_rows].iloc[0]
        where = f"{row['path']}" + ("" if _is_missing(row.get("record")) else f": record {row['record']}")
        raise CorpusError(
            f"{where}: level {row['level']!r} is not one of {', '.join(config.LEVELS)} "
            f"({int(bad_rows.sum())} document(s) with an unknown level)"
        )


def combine_corpora(
    corpora,
    *,
    levels=None,
    regions=None,
) -> pd.DataFrame:
    """Join several corpora (tables or paths) into one, each document keeping its level and region.

    Parameters
    ----------
    corpora : list of pandas.DataFrame or path-like
        Tables from :func:`load_corpus`, or paths it loads.
    levels, regions : list, optional
        One entry per corpus: the ``level=`` and ``region=`` of
        :func:`load_corpus` (a value, a mapping from source, or None), filling
        the documents whose data or table names none.

    Returns
    -------
    pandas.DataFrame
        The rows of every corpus in order, with the columns of all of them
        (missing ones NA). :func:`skipped` and :func:`damaged` of the result
        list the problems of every part; ``attrs["path"]`` is the tuple of
        their paths.

    Raises
    ------
    CorpusError
        Two corpora share a ``doc_id`` (ids must stay unique across them), a
        level is not in :data:`analysis.config.LEVELS`, or ``levels`` /
        ``regions`` do not have one entry per corpus.

    Examples
    --------
    >>> central = pd.DataFrame({"doc_id": ["c1"], "source": ["人民日报"], "level": ["central"],
    ...                         "region": [None], "path": ["c.jsonl"], "record": [1], "text_clean": ["六稳"]})
    >>> local = central.assign(doc_id="l1", source="郑州日报", level=None, path="l.jsonl")
    >>> combine_corpora([central, local], levels=[None, "municipal"])["level"].tolist()
    ['central', 'municipal']
    """
    corpora = list(corpora)
    for name, given in (("levels", levels), ("regions", regions)):
        if given is not None and len(given) != len(corpora):
            raise CorpusError(f"combine_corpora: {name} has {len(given)} entries for {len(corpora)} corpora")
    parts, skipped_rows, damaged_rows, paths = [], [], [], []
    for number, corpus in enumerate(corpora):
        level = levels[number] if levels is not None else None
        region = regions[number] if regions is not None else None
        if not isinstance(corpus, pd.DataFrame):
            corpus = load_corpus(corpus, level=level, region=region)
        record = _load_record(corpus) or {"skipped": [], "damaged": []}
        # Each part's own load record differs from the others': pandas would drop them all on concat.
        part = corpus.copy()
        part.attrs = {}
        for column in ("level", "region"):
            if column not in part.columns:
                part[column] = _text_column([None] * len(part))
        _fill_levels(part, level=level, region=region, caller=f"combine_corpora (corpus {number + 1})")
        parts.append(part)
        skipped_rows.extend(record["skipped"])
        damaged_rows.extend(record["damaged"])
        paths.append(str(corpus.attrs.get("path", "")))
    if not parts:
        raise CorpusError("combine_corpora: no corpora given")
    combined = pd.concat(parts, ignore_index=True)
    ids = combined["doc_id"].astype(str)
    clashes = sorted(set(ids[ids.duplicated()]))
    if clashes:
        raise CorpusError(
            f"combine_corpora: {len(clashes)} doc_id value(s) occur in more than one corpus: "
            f"{', '.join(map(repr, clashes[:10]))}; give the corpora distinct ids (id_col=...)"
        )
    _set_load_record(combined, skipped_rows=skipped_rows, damaged_rows=damaged_rows)
    combined.attrs["path"] = tuple(paths)
    return combined


def corpus_summary(corpus: pd.DataFrame) -> pd.DataFrame:
    """One-row overview of a loaded corpus.

    Parameters
    ----------
    corpus : pandas.DataFrame
        A table from :func:`load_corpus` (or a filtered copy of one).

    Returns
    -------
    pandas.DataFrame
        One row with columns ``documents``, ``characters`` (total length of
        ``text_clean``), ``first_date``, ``last_date``, ``undated``
        (documents whose date is NaT) and ``skipped`` (rows of
        :func:`skipped`; NA when the table carries no load record).

    Examples
    --------
    >>> summary = corpus_summary(load_corpus("seeds/"))
    >>> list(summary.columns)
    ['documents', 'characters', 'first_date', 'last_date', 'undated', 'skipped']
    """
    record = _load_record(corpus)
    dates = corpus["date"]
    row = {
        "documents": len(corpus),
        "characters": int(corpus["text_clean"].str.len().sum()) if len(corpus) else 0,
        "first_date": dates.min(),
        "last_date": dates.max(),
        "undated": int(dates.isna().sum()),
        "skipped": len(record["skipped"]) if record is not None else pd.NA,
    }
    summary = pd.DataFrame([row], columns=SUMMARY_COLUMNS)
    summary["first_date"] = summary["first_date"].astype(_DATE_DTYPE)
    summary["last_date"] = summary["last_date"].astype(_DATE_DTYPE)
    summary["skipped"] = summary["skipped"].astype("Int64")
    return summary


def corpus_fingerprint(corpus: pd.DataFrame) -> str:
    """SHA-256 over ``doc_id`` and ``text_clean``, row by row in table order.

    Each field is length-prefixed, so no two different tables share a
    fingerprint by moving characters across a field boundary.

    Parameters
    ----------
    corpus : pandas.DataFrame
        A table with ``doc_id`` and ``text_clean`` columns.

    Returns
    -------
    str
        64 hexadecimal digits, for cache keys and report manifests.

    Examples
    --------
    >>> corpus = load_corpus("seeds/")
    >>> corpus_fingerprint(corpus) == corpus_fingerprint(corpus.copy())
    True
    >>> len(corpus_fingerprint(corpus))
    64
    """
    digest = hashlib.sha256()
    for doc_id, text in zip(corpus["doc_id"], corpus["text_clean"]):
        for value in (doc_id, text):
            encoded = ("" if _is_missing(value) else str(value)).encode("utf-8")
            digest.update(f"{len(encoded)}:".encode("ascii"))
            digest.update(encoded)
    return digest.hexdigest()


# ------------------------------------------------------------- duplicates

DUPLICATE_COLUMNS = ["doc_id", "duplicate_of", "similarity", "kind"]
PERIOD_COLUMNS = ["period", "start", "documents", "gap"]
# Character 5-grams tell a reprint from an article on the same topic: two
# reports of one event share names and phrases, but not most of their 5-grams.
DEFAULT_SHINGLE_SIZE = 5
# MinHash bands of 4 rows; with the default 64 permutations (16 bands) a pair
# with Jaccard 0.9 shares a band with probability 1 - (1 - 0.9**4)**16 > 0.99999,
# at 0.8 still 0.9998, while a pair at 0.2 becomes a candidate only 2.5 % of the time.
_MINHASH_ROWS = 4
_DEFAULT_NUM_PERM = 64
_WHITESPACE = re.compile(r"\s+")


def _without_whitespace(text: str) -> str:
    return _WHITESPACE.sub("", text)


_SHINGLE_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_MIX_MULTIPLIER = np.uint64(0xFF51AFD7ED558CCD)


def _shingle_hashes(texts: list[str], *, shingle_size: int) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique 64-bit hashes of each text's character shingles, CSR style (values, indptr)."""
    chunks = []
    indptr = np.zeros(len(texts) + 1, dtype=np.int64)
    for number, text in enumerate(texts):
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        if 0 < len(codes) < shingle_size:
            # A text shorter than one shingle is its own single shingle.
            codes = np.concatenate([codes, np.zeros(shingle_size - len(codes), dtype=np.uint64)])
        count = max(len(codes) - shingle_size + 1, 0)
        hashed = np.zeros(count, dtype=np.uint64)
        for offset in range(shingle_size):
            # Polynomial rolling hash, wrapping modulo 2**64 (numpy arrays wrap silently).
            hashed = hashed * _SHINGLE_MULTIPLIER + codes[offset : offset + count]
        hashed ^= hashed >> np.uint64(33)
        hashed *= _MIX_MULTIPLIER
        hashed ^= hashed >> np.uint64(33)
        unique = np.unique(hashed)
        chunks.append(unique)
        indptr[number + 1] = indptr[number] + len(unique)
    values = np.concatenate(chunks) if chunks else np.empty(0, dtype=np.uint64)
    return values, indptr


def _minhash_signatures(values: np.ndarray, indptr: np.ndarray, *, num_perm: int, random_state: int) -> np.ndarray:
    """(documents, num_perm) MinHash signatures; multiply-shift hashing stands in for permutations."""
    rng = np.random.default_rng(random_state)
    top = np.iinfo(np.int64).max
    multipliers = rng.integers(0, top, size=num_perm, dtype=np.int64).astype(np.uint64) | np.uint64(1)
    offsets = rng.integers(0, top, size=num_perm, dtype=np.int64).astype(np.uint64)
    signatures = np.full((len(indptr) - 1, num_perm), np.iinfo(np.uint64).max, dtype=np.uint64)
    nonempty = np.diff(indptr) > 0
    if not len(values):
        return signatures
    starts = indptr[:-1][nonempty]
    shift = np.uint64(32)
    for column in range(num_perm):
        hashed = (values * multipliers[column] + offsets[column]) >> shift
        signatures[nonempty, column] = np.minimum.reduceat(hashed, starts)
    return signatures


def _candidate_pairs(signatures: np.ndarray, *, bands: int, rows: int) -> np.ndarray:
    """Pairs (i, j), i < j, that share at least one LSH band; sorted and unique."""
    pairs = []
    for band in range(bands):
        block = np.ascontiguousarray(signatures[:, band * rows : (band + 1) * rows])
        # One opaque key per row of the band: a 1-D unique, much faster than axis=0.
        keys = block.view(np.dtype((np.void, block.dtype.itemsize * rows))).ravel()
        _, bucket = np.unique(keys, return_inverse=True)
        bucket = bucket.ravel()
        order = np.argsort(bucket, kind="stable")
        sorted_buckets = bucket[order]
        same = sorted_buckets[1:] == sorted_buckets[:-1]
        # Each member is paired with the previous member and the first member of its
        # bucket: linear in the bucket size (a bucket of thousands of boilerplate
        # stubs costs no more than its size) and, with the kept-representative check
        # in find_duplicates, enough to reach every near-duplicate.
        first_of_bucket = np.maximum.accumulate(np.where(np.r_[True, ~same], np.arange(len(order)), 0))
        members = np.flatnonzero(same) + 1
        for left in (order[members - 1], order[first_of_bucket[members]]):
            pairs.append(np.column_stack([np.minimum(left, order[members]), np.maximum(left, order[members])]))
    if not pairs:
        return np.empty((0, 2), dtype=np.int64)
    stacked = np.concatenate(pairs).astype(np.int64)
    stacked = stacked[stacked[:, 0] != stacked[:, 1]]
    return np.unique(stacked, axis=0) if len(stacked) else np.empty((0, 2), dtype=np.int64)


def _jaccard(values: np.ndarray, indptr: np.ndarray, left, right) -> np.ndarray:
    scores = np.zeros(len(left))
    for number, (one, other) in enumerate(zip(left, right)):
        first = values[indptr[one] : indptr[one + 1]]
        second = values[indptr[other] : indptr[other + 1]]
        shared = len(np.intersect1d(first, second, assume_unique=True))
        union = len(first) + len(second) - shared
        scores[number] = shared / union if union else 0.0
    return scores


def find_duplicates(
    corpus: pd.DataFrame,
    *,
    threshold: float = 0.9,
    shingle_size: int = DEFAULT_SHINGLE_SIZE,
    num_perm: int = _DEFAULT_NUM_PERM,
    random_state: int = config.DEFAULT_RANDOM_STATE,
    text_col: str = "text_clean",
) -> pd.DataFrame:
    """Find exact and near-duplicate documents (reprints of the same article).

    Documents are compared on ``text_col`` with all whitespace removed, so a
    reprint that differs only in spacing or line breaks is an exact duplicate.
    Near duplicates are pairs whose sets of character ``shingle_size``-grams
    have a Jaccard similarity of at least ``threshold``; candidates come from
    MinHash locality-sensitive hashing (``num_perm / 4`` bands of 4 rows)
    over 64-bit shingle hashes, so the cost grows with the corpus, not with
    its square, and every candidate's similarity is then computed exactly (up
    to 64-bit hash collisions).

    The first document in table order is kept; a later one is its duplicate
    when it is similar enough to a kept document. A document similar only to
    another duplicate is compared with that duplicate's kept document and
    stays when it is not similar enough to it: nothing is marked a duplicate
    of something it does not resemble.

    Parameters
    ----------
    corpus : pandas.DataFrame
        A table with ``doc_id`` and ``text_col``.
    threshold : float, default 0.9
        Minimum Jaccard similarity, in (0, 1].
    shingle_size : int, default 5
        Characters per shingle.
    num_perm : int, default 64
        MinHash hash functions; a multiple of 4. More find pairs near
        ``threshold`` more surely, at a proportional cost.
    random_state : int, default config.DEFAULT_RANDOM_STATE
        Seeds the MinHash permutations. The result depends on it only through
        which candidate pairs are found (for pairs near ``threshold``).
    text_col : str, default "text_clean"

    Returns
    -------
    pandas.DataFrame
        One row per duplicate document, in corpus order: ``doc_id``,
        ``duplicate_of`` (the kept document's id), ``similarity`` (Jaccard,
        1.0 for exact duplicates) and ``kind`` (``"exact"`` or ``"near"``).

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a", "b", "c"],
    ...                        "text_clean": ["稳中求进工作总基调", "稳中求进 工作总基调", "六稳六保"]})
    >>> find_duplicates(corpus)[["doc_id", "duplicate_of", "kind"]].values.tolist()
    [['b', 'a', 'exact']]
    """
    missing = [name for name in ("doc_id", text_col) if name not in corpus.columns]
    if missing:
        raise ValueError(f"find_duplicates: the corpus has no column(s) {missing}")
    if not 0 < threshold <= 1:
        raise ValueError(f"find_duplicates: threshold must be in (0, 1], got {threshold!r}")
    if shingle_size < 1:
        raise ValueError(f"find_duplicates: shingle_size must be at least 1, got {shingle_size!r}")
    if num_perm < _MINHASH_ROWS or num_perm % _MINHASH_ROWS:
        raise ValueError(f"find_duplicates: num_perm must be a positive multiple of {_MINHASH_ROWS}, got {num_perm!r}")
    doc_ids = corpus["doc_id"].astype(str).tolist()
    texts = [_without_whitespace("" if _is_missing(value) else str(value)) for value in corpus[text_col]]

    kept_of: dict[int, int] = {}  # duplicate row -> kept row
    similarity: dict[int, float] = {}
    kinds: dict[int, str] = {}
    first_with_text: dict[str, int] = {}
    for row, text in enumerate(texts):
        if not text:
            continue  # empty documents are not reprints of each other
        if text in first_with_text:
            kept_of[row], similarity[row], kinds[row] = first_with_text[text], 1.0, "exact"
        else:
            first_with_text[text] = row

    unique_rows = np.array([row for row, text in enumerate(texts) if row not in kept_of and text], dtype=np.int64)
    if len(unique_rows) > 1:
        values, indptr = _shingle_hashes([texts[row] for row in unique_rows], shingle_size=shingle_size)
        signatures = _minhash_signatures(values, indptr, num_perm=num_perm, random_state=random_state)
        pairs = _candidate_pairs(signatures, bands=num_perm // _MINHASH_ROWS, rows=_MINHASH_ROWS)
        scores = _jaccard(values, indptr, pairs[:, 0], pairs[:, 1])
        earlier: dict[int, list[tuple[int, float]]] = {}
        for (left, right), score in zip(pairs.tolist(), scores.tolist()):
            if score >= threshold:
                earlier.setdefault(right, []).append((left, score))
        local_kept: dict[int, tuple[int, float]] = {}
        for position in range(len(unique_rows)):
            best: tuple[int, float] | None = None
            for left, score in sorted(earlier.get(position, ())):
                if left in local_kept:
                    target = local_kept[left][0]
                    score = float(_jaccard(values, indptr, [target], [position])[0])
                    if score < threshold:
                        continue
                    left = target
                if best is None or score > best[1] or (score == best[1] and left < best[0]):
                    best = (left, score)
            if best is not None:
                local_kept[position] = best
        for position, (target, score) in local_kept.items():
            row = int(unique_rows[position])
            kept_of[row], similarity[row], kinds[row] = int(unique_rows[target]), score, "near"
        # Exact copies of a near duplicate point at the document it duplicates.
        for row, target in list(kept_of.items()):
            if kinds[row] == "exact" and target in kept_of:
                kept_of[row], similarity[row], kinds[row] = kept_of[target], similarity[target], kinds[target]

    rows = sorted(kept_of)
    result = pd.DataFrame(
        {
            "doc_id": pd.array([doc_ids[row] for row in rows], dtype="str" if _PANDAS_INFERS_STR else object),
            "duplicate_of": pd.array(
                [doc_ids[kept_of[row]] for row in rows], dtype="str" if _PANDAS_INFERS_STR else object
            ),
            "similarity": np.array([similarity[row] for row in rows], dtype=np.float64),
            "kind": pd.array([kinds[row] for row in rows], dtype="str" if _PANDAS_INFERS_STR else object),
        },
        columns=DUPLICATE_COLUMNS,
    )
    return result


def drop_duplicates(
    corpus: pd.DataFrame,
    *,
    threshold: float = 0.9,
    shingle_size: int = DEFAULT_SHINGLE_SIZE,
    random_state: int = config.DEFAULT_RANDOM_STATE,
) -> pd.DataFrame:
    """Remove exact and near-duplicate documents, recording each as skipped.

    Runs :func:`find_duplicates` and drops the duplicates (the first document
    in table order stays). Each dropped document is appended to
    :func:`skipped` with its ``path`` and ``record`` and the reason
    ``"duplicate of <doc_id>"`` (``"near duplicate of <doc_id> (similarity
    0.93)"`` for near duplicates), so loaded + skipped still equals found,
    and a :class:`CorpusWarning` gives the count.

    Parameters
    ----------
    corpus : pandas.DataFrame
        A table from :func:`load_corpus`.
    threshold, shingle_size, random_state
        As in :func:`find_duplicates`.

    Returns
    -------
    pandas.DataFrame
        The corpus without its duplicates (index reset), its load record
        extended; call :func:`find_duplicates` for the table of pairs.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a", "b"], "path": ["x.jsonl"] * 2, "record": [1, 2],
    ...                        "text_clean": ["稳中求进工作总基调", "稳中求进工作总基调"]})
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     deduplicated = drop_duplicates(corpus)
    >>> deduplicated["doc_id"].tolist(), skipped(deduplicated)["reason"].tolist()
    (['a'], ['duplicate of a'])
    """
    duplicates = find_duplicates(corpus, threshold=threshold, shingle_size=shingle_size, random_state=random_state)
    previous = _load_record(corpus) or {"skipped": [], "damaged": []}
    is_duplicate = corpus["doc_id"].astype(str).isin(set(duplicates["doc_id"]))
    dropped = corpus.loc[is_duplicate]
    reasons = {
        doc_id: (f"duplicate of {kept}" if kind == "exact" else f"near duplicate of {kept} (similarity {score:.2f})")
        for doc_id, kept, score, kind in duplicates.itertuples(index=False)
    }
    added = _Skips(strict=False)
    for doc_id, path, record in zip(
        dropped["doc_id"].astype(str),
        dropped["path"] if "path" in dropped.columns else [None] * len(dropped),
        dropped["record"] if "record" in dropped.columns else [None] * len(dropped),
    ):
        added.rows.append(
            {
                "path": None if _is_missing(path) else str(path),
                "record": None if _is_missing(record) else int(record),
                "reason": reasons[doc_id],
            }
        )
    result = corpus.loc[~is_duplicate].reset_index(drop=True)
    result.attrs = dict(corpus.attrs)
    _set_load_record(result, skipped_rows=previous["skipped"] + added.rows, damaged_rows=previous["damaged"])
    if len(duplicates):
        exact = int((duplicates["kind"] == "exact").sum())
        warnings.warn(
            f"drop_duplicates: dropped {len(duplicates)} duplicate document(s) ({exact} exact, "
            f"{len(duplicates) - exact} near, threshold {threshold}); kept {len(result)}; "
            "see analysis.corpus.skipped(corpus)",
            CorpusWarning,
            stacklevel=2,
        )
    return result


def without_procedural(corpus: pd.DataFrame, *, exclude: bool = True) -> pd.DataFrame:
    """The corpus without its procedural texts (``doc_type == "procedural"``), or whole.

    Resolutions approving a report repeat its slogans in a few hundred
    characters: left in, they dominate a year's topics and keyness. The topic
    and keyness notebooks leave them out by default.

    Parameters
    ----------
    corpus : pandas.DataFrame
        From :func:`load_corpus` (a table without ``doc_type`` is returned whole).
    exclude : bool, default True
        False returns the corpus unchanged, so a notebook parameter can turn
        the filter off.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "doc_type": ["text", "procedural"]})
    >>> without_procedural(docs)["doc_id"].tolist()
    ['a']
    """
    if not exclude or "doc_type" not in corpus.columns:
        return corpus
    return corpus[corpus["doc_type"].ne("procedural").to_numpy()].reset_index(drop=True)


def document_labels(corpus: pd.DataFrame, *, max_title: int = 12) -> pd.Series:
    """A short readable label per document: its year (or date) and the start of its title.

    Charts and tables of documents show ``2015 政府工作报告`` rather than
    ``gov_work_reports-17``.

    Parameters
    ----------
    corpus : pandas.DataFrame
        ``doc_id``, and ``title``, ``date`` and ``date_precision`` when present.
    max_title : int, default 12
        Characters of the title kept, from its start and its end (an
        ellipsis marks the cut); a leading year and 中华人民共和国 are dropped.

    Returns
    -------
    pandas.Series
        Labels indexed by ``doc_id``; unique (a repeated label gets ``(2)``, ``(3)``...).

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["r-17"], "title": ["2015年政府工作报告"], "date": pd.to_datetime(["2015-03-05"]),
    ...                      "date_precision": ["year"]})
    >>> document_labels(docs).tolist()
    ['2015 政府工作报告']
    """
    count = len(corpus)
    titles = corpus["title"] if "title" in corpus.columns else pd.Series([None] * count)
    dates = pd.to_datetime(corpus["date"], errors="coerce") if "date" in corpus.columns else pd.Series([pd.NaT] * count)
    precisions = corpus["date_precision"] if "date_precision" in corpus.columns else pd.Series([None] * count)
    labels, seen = [], {}
    for doc_id, title, date, precision in zip(corpus["doc_id"], titles, dates, precisions):
        when = "" if pd.isna(date) else str(date.year) if precision == "year" else date.strftime("%Y-%m-%d")
        name = title.strip() if isinstance(title, str) and title.strip() else str(doc_id)
        # The year is already in the label, and the country's name tells a reader nothing.
        name = re.sub(r"^(\d{4}年)?(中华人民共和国)?", "", name) or name
        if len(name) > max_title:
            # Chinese titles name the kind of text at the end (…政府工作报告的决议): keep both ends.
            tail = (max_title - 1) // 2 + 1
            name = name[: max_title - 1 - tail] + "…" + name[-tail:]
        label = f"{when} {name}".strip()
        seen[label] = seen.get(label, 0) + 1
        labels.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return pd.Series(labels, index=pd.Index(corpus["doc_id"], name="doc_id"), name="label")
