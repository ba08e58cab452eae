"""Reviewed boilerplate lines (``data/boilerplate_lines.txt``): web-page menus, licence notices, placeholders."""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import config
from .ocr import check_regex, read_reviewed_table, reviewed_frame

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
    rows, raw = read_reviewed_table(path, BOILERPLATE_COLUMNS, error=BoilerplateError, what="boilerplate line table")
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
        compiled = check_regex(row["pattern"], path=path, line=line, column="pattern", error=BoilerplateError)
        if compiled.fullmatch(""):
            raise BoilerplateError(f"{path}: line {line}: pattern {row['pattern']!r} matches an empty line")
        if row["pattern"] in seen:
            raise BoilerplateError(f"{path}: line {line}: duplicates the pattern on line {seen[row['pattern']]}")
        seen[row["pattern"]] = line
    return reviewed_frame(rows, BOILERPLATE_COLUMNS, path=path, raw=raw)


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


def boilerplate_set(table: pd.DataFrame | None = None) -> _BoilerplateSet:
    """The compiled rules of ``table``, or of ``data/boilerplate_lines.txt`` (cached while the file is unchanged).

    Examples
    --------
    >>> boilerplate_set() is boilerplate_set()
    True
    """
    if table is not None:
        return _compile_boilerplate(table)
    path = BOILERPLATE_LINES_PATH
    try:
        stat = path.stat()
    except FileNotFoundError as error:
        raise BoilerplateError(f"{path}: boilerplate line table not found") from error
    return _compiled_boilerplate_file(str(path), stat.st_mtime_ns, stat.st_size)


def is_boilerplate(line: str, rules: _BoilerplateSet) -> bool:
    """Whether ``line``, stripped, is a whole boilerplate line under ``rules`` (:func:`boilerplate_set`).

    Examples
    --------
    >>> is_boilerplate(" 【打印】【关闭】 ", boilerplate_set()), is_boilerplate("打印文件。", boilerplate_set())
    (True, False)
    """
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
    rules = boilerplate_set(table)
    if rules.combined is None:
        return text
    lines = text.split("\n")
    kept = [line for line in lines if not is_boilerplate(line, rules)]
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
    rules = boilerplate_set(table)
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        if is_boilerplate(line, rules):
            stripped = line.strip()
            pattern, rule, kind = next(item for item in rules.rules if item[0].fullmatch(stripped))
            found.append({"line_number": number, "text": stripped, "rule": rule, "kind": kind})
    frame = pd.DataFrame(found, columns=FOUND_BOILERPLATE_COLUMNS)
    return frame.astype({"line_number": "int64", "rule": "int64"})
