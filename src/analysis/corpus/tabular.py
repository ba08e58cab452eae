"""Reading tabular files (JSON Lines, CSV, Parquet) into document rows: records, columns chosen, dates parsed."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm.auto import tqdm

from .. import sources
from .columns import is_missing
from .dates import date_from_title, parse_date_value
from .decoding import (
    UTF8_BOM,
    Unreadable,
    binary_kind,
    decode_error,
    decode_text,
    is_wide,
    jsonl_codec,
)
from .documents import LoadOptions, rows_of_document
from .errors import CorpusError
from .record import BadDates, Skips

# Candidate column names, first match wins.
DEFAULT_TEXT_COLUMNS = ("text", "content")
DEFAULT_TITLE_COLUMNS = ("title",)
DEFAULT_DATE_COLUMNS = ("date", "year")
DEFAULT_ID_COLUMNS = ("id",)
DEFAULT_SOURCE_COLUMNS = ("source",)
# Tabular columns with these names fill the matching output columns directly.
PASSTHROUGH_COLUMNS = ("subtitle", "byline", "level", "region")


# Sniffing the start of a file is enough to choose its encoding; lines that
# later fail to decode are reported one by one.
_SNIFF_BYTES = 1 << 20


def _optional_str(value: Any) -> str | None:
    if is_missing(value):
        return None
    text = str(value).strip()
    return text or None


def _id_to_str(value: Any) -> str | None:
    if is_missing(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _date_fields(
    value: Any, *, has_value: bool, title: str | None, path: Path, record: int | None, bad_dates: BadDates
) -> dict:
    if has_value and not is_missing(value):
        parsed = parse_date_value(value)
        if parsed is None:
            bad_dates.add(path, record, value)
            return {"date": pd.NaT, "date_precision": None}
        return {"date": parsed[0], "date_precision": parsed[1]}
    stamp, precision = date_from_title(title)
    return {"date": stamp, "date_precision": precision}


def _jsonl_lines(handle, path: Path, *, codec: str, opts: LoadOptions, skips: Skips):
    """(line number, decoded line or None when it cannot be decoded) for each line."""
    if is_wide(codec):
        # Line breaks in UTF-16/32 are more than one byte: decode the whole file, then split.
        try:
            text = handle.read().decode(codec)
        except UnicodeDecodeError as error:
            skips.add(path, None, f"cannot be decoded as {codec}: {decode_error(error)}")
            return
        for line_number, line in enumerate(text.split("\n"), start=1):
            yield line_number, line
        return
    lines = tqdm(handle, desc=path.name, unit="line", disable=not opts.progress)
    for line_number, raw in enumerate(lines, start=1):
        if line_number == 1 and raw.startswith(UTF8_BOM):
            raw = raw[len(UTF8_BOM):]
        try:
            yield line_number, raw.decode(codec)
        except UnicodeDecodeError as error:
            skips.add(path, line_number, f"cannot be decoded as {codec}: {decode_error(error)}", unit="line")
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


def _iter_jsonl(path: Path, *, opts: LoadOptions, skips: Skips) -> tuple[list[tuple[int, dict]], list[str]]:
    """Parsed records (line number, object) and the keys seen, in order of first appearance."""
    records: list[tuple[int, dict]] = []
    keys: dict[str, None] = {}
    line_number = 0
    try:
        with sources.open_binary(path) as handle:
            sample, at_end = _sniff_lines(handle)
            try:
                if not sample.strip() and at_end:
                    raise Unreadable("empty file" if not sample else "whitespace-only file")
                kind = binary_kind(sample, encoding=opts.encoding)
                if kind:
                    raise Unreadable(f"not a JSON Lines file: {kind}")
                codec = jsonl_codec(sample, encoding=opts.encoding, final=at_end)
            except Unreadable as problem:
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


def csv_int_column(values: list[Any]) -> pd.Series | list[Any]:
    """Integer-looking CSV columns as Int64; anything else stays text. Only exact round trips convert.

    Examples
    --------
    >>> csv_int_column(["3", None, "12"]).tolist()
    [3, <NA>, 12]
    >>> csv_int_column(["007", "12"])
    ['007', '12']
    """
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


def _iter_csv(path: Path, *, opts: LoadOptions, skips: Skips) -> tuple[list[tuple[int, dict]], list[str]]:
    records: list[tuple[int, dict]] = []
    try:
        data = sources.read_bytes(path)
        if not data.strip():
            raise Unreadable("empty file" if not data else "whitespace-only file")
        kind = binary_kind(data, encoding=opts.encoding)
        if kind:
            raise Unreadable(f"not a CSV file: {kind}")
        text = decode_text(data, encoding=opts.encoding)
    except OSError as error:
        skips.add(path, None, f"cannot be read: {error.strerror or error}")
        return records, []
    except Unreadable as problem:
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


def _parse_csv_lines(lines: list[str], path: Path, *, opts: LoadOptions, skips: Skips):
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


def _iter_parquet(path: Path, *, opts: LoadOptions, skips: Skips) -> tuple[list[tuple[int, dict]], list[str]]:
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


#: The reader of each tabular format: a file's records as (line or row number, record) and its column names.
READERS = {"jsonl": _iter_jsonl, "csv": _iter_csv, "parquet": _iter_parquet}
_UNITS = {"jsonl": "line", "csv": "record", "parquet": "record"}


def tabular_file_rows(
    path: Path,
    kind: str,
    *,
    columns: dict,
    opts: LoadOptions,
    skips: Skips,
    bad_dates: BadDates,
    units: dict[str, str],
    stem: str,
    in_folder: bool,
) -> tuple[list[dict], list[str]]:
    """Rows and extra columns of one JSONL, CSV or Parquet file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "news.csv"
    >>> _ = path.write_text("id,text,page\\nn1,要做好“六稳”工作。,3\\n", encoding="utf-8")
    >>> options = LoadOptions(split_articles=None, to_simplified=True, fix_ocr=True, encoding=None, progress=False)
    >>> columns = dict.fromkeys(["text", "title", "date", "id", "source"])
    >>> rows, extras = tabular_file_rows(path, "csv", columns=columns, opts=options, skips=Skips(strict=False),
    ...                                  bad_dates=BadDates(), units={}, stem="news", in_folder=False)
    >>> [row["doc_id"] for row in rows], extras
    (['n1'], ['page'])
    """
    unit = _UNITS[kind]
    units[sources.display_path(path)] = unit
    records, found = READERS[kind](path, opts=opts, skips=skips)
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
    opts: LoadOptions,
    skips: Skips,
    bad_dates: BadDates,
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
        if is_missing(value) and not (isinstance(value, str) and value):
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
        document_rows = rows_of_document(
            value, base=base, doc_id=doc_id, split=split, opts=opts, path=path, record=record, skips=skips, unit=unit
        )
        if split:
            # An article's own title may carry the date the record lacked.
            for row in document_rows:
                if row["date"] is pd.NaT and (not date_col or is_missing(obj.get(date_col))):
                    row["date"], row["date_precision"] = date_from_title(row.get("title"))
        if repaired and document_rows:
            skips.add_damaged(
                path, record, f"lone surrogate escape(s) removed from {', '.join(repr(name) for name in repaired)}"
            )
        rows.extend(document_rows)
    return rows, extras
