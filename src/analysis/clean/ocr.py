"""Step 7 of cleaning: the reviewed OCR fixes of ``data/ocr_fixes.tsv``, each applied only in its context.

Also the reader of reviewed tables that :mod:`~analysis.clean.boilerplate` shares.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import config

OCR_FIX_COLUMNS = ("wrong", "right", "before", "after", "not_before", "not_after", "note")
_CONTEXT_COLUMNS = ("before", "after", "not_before", "not_after")
_TAB = "\t"
# How far back a ``before`` / ``not_before`` pattern may look.
OCR_CONTEXT_WINDOW = 20


class OcrFixesError(ValueError):
    """The OCR fix table is malformed; the message names the file and line."""


def read_reviewed_table(
    path: Path, columns: tuple[str, ...], *, error: type[ValueError], what: str
) -> tuple[list[dict], bytes]:
    """Rows (with their ``line`` number) of a reviewed tab-separated data table, and its bytes.

    Shared by the OCR fix and boilerplate tables: UTF-8, ``#`` comment lines,
    a fixed header, every row with exactly the header's fields. Problems
    raise ``error`` naming the file and line.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "fixes.tsv"
    ...     _ = path.write_text("# reviewed\\nwrong\\tright\\n人\\t入\\n", encoding="utf-8")
    ...     rows, raw = read_reviewed_table(path, ("wrong", "right"), error=ValueError, what="fix table")
    >>> rows
    [{'line': 3, 'wrong': '人', 'right': '入'}]
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


def check_regex(expression: str, *, path: Path, line: int, column: str, error: type[ValueError]) -> re.Pattern:
    """``expression`` compiled, or ``error`` naming the file, line and column of a reviewed table.

    Examples
    --------
    >>> check_regex("(", path=Path("fixes.tsv"), line=3, column="before", error=ValueError)
    Traceback (most recent call last):
    ...
    ValueError: fixes.tsv: line 3: 'before' is not a valid regular expression: missing ), unterminated subpattern at position 0
    """
    try:
        return re.compile(expression)
    except re.error as problem:
        raise error(f"{path}: line {line}: '{column}' is not a valid regular expression: {problem}") from problem


def reviewed_frame(rows: list[dict], columns: tuple[str, ...], *, path: Path, raw: bytes) -> pd.DataFrame:
    """The rows of :func:`read_reviewed_table` as a table, with the file's path and SHA-256 in ``attrs``.

    Examples
    --------
    >>> frame = reviewed_frame([{"line": 3, "wrong": "人", "right": "入"}], ("wrong", "right"),
    ...                        path=Path("fixes.tsv"), raw=b"")
    >>> frame.columns.tolist(), frame.attrs["path"]
    (['line', 'wrong', 'right'], 'fixes.tsv')
    """
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
    rows, raw = read_reviewed_table(path, OCR_FIX_COLUMNS, error=OcrFixesError, what="OCR fix table")
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
                check_regex(row[column], path=path, line=line, column=column, error=OcrFixesError)
        key = tuple(row[column] for column in OCR_FIX_COLUMNS[:-1])
        if key in seen_rules:
            raise OcrFixesError(f"{path}: line {line}: duplicates the rule on line {seen_rules[key]}")
        seen_rules[key] = line
    return reviewed_frame(rows, OCR_FIX_COLUMNS, path=path, raw=raw)


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
