"""The files of a corpus: which there are, what format each is, how to read it, what its name says.

:func:`analysis.corpus.load_corpus` turns files into documents; this module
answers the questions it asks of each file before that:

- :func:`list_files` walks a folder and returns the files to load together
  with everything it could not look into (a folder it may not read, a
  symbolic link to a folder, a link that points nowhere), so that nothing
  under the folder vanishes without a line in the skipped table.
- :func:`file_format` names a file's format from its suffixes, looking
  through one compression suffix (``news.jsonl.gz`` is JSON Lines).
- :func:`read_bytes` and :func:`open_binary` read a file, decompressing
  ``.gz`` on the way. ZIP archives are refused with :data:`ZIP_REASON`:
  an archive is a folder, and unpacking it is the user's one command.
- :func:`display_path` turns a path into text that can always be printed
  and stored, also when the file's name is not valid UTF-8 (archives made
  on Chinese Windows name files in GBK).
- :func:`date_from_filename` reads the date, and the page and sequence
  number, from the names newspaper crawls give their files.

Dates in file names
-------------------
The file's own name (without its suffixes) is tried first, then the names
of the folders it sits in, nearest first, up to the corpus folder:

=============================  ==========  ====  ===
name                           date        page  seq
=============================  ==========  ====  ===
``2020-06-02_x.txt``           2020-06-02
``2020_6_2 社论.txt``          2020-06-02
``20200602.txt``               2020-06-02
``20200602-01-03.txt``         2020-06-02  1     3
``20200602/20200602-01-03``    2020-06-02  1     3
``20200602/01-03.txt``         2020-06-02  1     3
``2020-06-02/x.txt``           2020-06-02
=============================  ==========  ====  ===

A date must open the name and be followed by the end of the name or by a
character that is not a digit, so ``202006021234.txt`` (an id) gives no
date; years outside 1800-2100 and impossible days (``20200231``) give none
either. Page and sequence are the one or two numbers that follow the date
after ``-`` or ``_`` and end the name (or, for a file in a dated folder,
make up its whole name).
"""

from __future__ import annotations

import datetime as _dt
import gzip
import io
import os
import re
import stat
import zlib
from pathlib import Path
from typing import BinaryIO

import pandas as pd

#: Suffixes of plain-text documents.
TEXT_SUFFIXES = (".txt", ".md")
#: Suffixes of tabular files, one record per document.
TABULAR_SUFFIXES = (".jsonl", ".csv", ".parquet")
#: Compression suffixes read transparently.
COMPRESSION_SUFFIXES = (".gz",)
#: Why a ZIP archive is not loaded.
ZIP_REASON = "a ZIP archive: unpack it (unzip -O gbk for archives made on Chinese Windows) and load the folder"

_FORMATS = {".txt": "text", ".md": "text", ".jsonl": "jsonl", ".csv": "csv", ".parquet": "parquet"}
_YEARS = (1800, 2100)
_SEPARATED_DATE = re.compile(r"(\d{4})([-_.])(\d{1,2})\2(\d{1,2})(?!\d)")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})(?!\d)")
_PAGE_SEQ_AFTER = re.compile(r"[-_](\d{1,3})(?:[-_](\d{1,4}))?")
_PAGE_SEQ_ALONE = re.compile(r"(\d{1,3})[-_](\d{1,4})")


# ------------------------------------------------------------------ names


def display_path(path: str | os.PathLike) -> str:
    """A path as text that can always be shown, stored in a table and written to JSON.

    A name that is valid UTF-8 is returned as it is. One that is not (the
    bytes Python keeps as lone surrogates) is decoded as GB18030, the usual
    encoding of such names, or failing that shown with ``\\x`` escapes.

    Examples
    --------
    >>> display_path("/data/报告.txt")
    '/data/报告.txt'
    >>> display_path(os.fsdecode("/data/".encode() + "报告".encode("gbk") + b".txt"))
    '/data/报告.txt'
    """
    text = os.fspath(path)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        raw = os.fsencode(text)
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="backslashreplace")


def _name_problem(path: Path) -> str | None:
    try:
        os.fspath(path).encode("utf-8")
        return None
    except UnicodeEncodeError:
        return f"the file name is not valid UTF-8 (shown as {display_path(path.name)!r})"


def strip_compression(name: str) -> tuple[str, str | None]:
    """``(name without a compression suffix, that suffix or None)``.

    Examples
    --------
    >>> strip_compression("news.jsonl.gz")
    ('news.jsonl', '.gz')
    >>> strip_compression("news.jsonl")
    ('news.jsonl', None)
    """
    lowered = name.lower()
    for suffix in COMPRESSION_SUFFIXES:
        if lowered.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)], suffix
    return name, None


def file_format(path: str | os.PathLike) -> str | None:
    """The format of a corpus file from its name: ``"text"``, ``"jsonl"``, ``"csv"``, ``"parquet"``, ``"zip"`` or None.

    One compression suffix is looked through (``x.csv.gz`` is ``"csv"``).

    Examples
    --------
    >>> file_format("2020/0602.txt.gz"), file_format("a.parquet"), file_format("a.docx")
    ('text', 'parquet', None)
    """
    name, _ = strip_compression(Path(path).name)
    suffix = Path(name).suffix.lower()
    if suffix == ".zip":
        return "zip"
    return _FORMATS.get(suffix)


def document_stem(path: str | os.PathLike) -> str:
    """The file name without its format and compression suffixes (``a.jsonl.gz`` -> ``a``).

    Examples
    --------
    >>> document_stem("x/20200602-01-03.txt.gz")
    '20200602-01-03'
    """
    name, _ = strip_compression(Path(path).name)
    return Path(name).stem if Path(name).suffix else name


# ------------------------------------------------------------------ reading


def read_bytes(path: str | os.PathLike) -> bytes:
    """All bytes of a file, decompressed when its name ends in ``.gz``.

    Raises
    ------
    OSError
        The file cannot be read, or is not a valid gzip stream (the message
        says so).
    """
    path = Path(path)
    if strip_compression(path.name)[1] is None:
        return path.read_bytes()
    try:
        with gzip.open(path, "rb") as handle:
            return handle.read()
    except (EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise OSError(f"cannot be decompressed as gzip: {error or type(error).__name__}") from None


def open_binary(path: str | os.PathLike) -> BinaryIO:
    """A binary file object, decompressing ``.gz`` as it is read (for reading line by line).

    Reading a damaged gzip stream raises :class:`OSError` (``EOFError`` and
    ``zlib.error`` are turned into it) from the read that meets the damage.
    """
    path = Path(path)
    if strip_compression(path.name)[1] is None:
        return path.open("rb")
    return _GzipReader(path)


class _GzipReader(io.RawIOBase):
    """gzip.open whose decompression errors are OSError, so a damaged stream is one kind of error."""

    def __init__(self, path: Path):
        self._inner = gzip.open(path, "rb")

    def readable(self) -> bool:
        return True

    def _guard(self, call, *args):
        try:
            return call(*args)
        except (EOFError, zlib.error, gzip.BadGzipFile) as error:
            raise OSError(f"cannot be decompressed as gzip: {error or type(error).__name__}") from None

    def read(self, size: int = -1) -> bytes:
        return self._guard(self._inner.read, size)

    def readinto(self, buffer) -> int:
        return self._guard(self._inner.readinto, buffer)

    def readline(self, size: int = -1) -> bytes:
        return self._guard(self._inner.readline, size)

    def __iter__(self):
        return self

    def __next__(self) -> bytes:
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._guard(self._inner.seek, offset, whence)

    def close(self) -> None:
        self._inner.close()
        super().close()


# ------------------------------------------------------------------ folders


def list_files(folder: str | os.PathLike) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Every file under a folder, and every entry that could not be looked into, with why.

    Hidden files and folders (``.git``, ``.DS_Store``, ``.ipynb_checkpoints``)
    are not documents and are left out. Symbolic links to files are followed.
    Not followed, and reported: symbolic links to folders (they may loop or
    leave the corpus; load the target on its own), links that point nowhere,
    folders that cannot be read (permissions), and entries that are neither
    files nor folders (sockets, pipes).

    Parameters
    ----------
    folder : path-like

    Returns
    -------
    tuple
        ``(files, problems)``: the files sorted by their path relative to
        ``folder``, and ``(path, reason)`` pairs.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> _ = (root / "a.txt").write_text("六稳", encoding="utf-8")
    >>> (root / "gone.txt").symlink_to(root / "missing.txt")
    >>> files, problems = list_files(root)
    >>> [p.name for p in files], [(p.name, why.split(":")[0]) for p, why in problems]
    (['a.txt'], [('gone.txt', 'a broken symbolic link')])
    """
    folder = Path(folder)
    files: list[Path] = []
    problems: list[tuple[Path, str]] = []

    def unreadable(error: OSError) -> None:
        where = Path(error.filename) if error.filename else folder
        problems.append((where, f"folder cannot be read: {error.strerror or error}"))

    for directory, subfolders, names in os.walk(folder, onerror=unreadable, followlinks=False):
        here = Path(directory)
        kept = []
        for name in sorted(subfolders):
            if name.startswith("."):
                continue
            candidate = here / name
            if candidate.is_symlink():
                problems.append(
                    (candidate, f"a symbolic link to a folder ({display_path(os.readlink(candidate))}); "
                     "links to folders are not followed: load the folder on its own")
                )
                continue
            kept.append(name)
        subfolders[:] = kept
        for name in sorted(names):
            if name.startswith("."):
                continue
            candidate = here / name
            try:
                mode = candidate.stat().st_mode
            except FileNotFoundError:
                target = os.readlink(candidate) if candidate.is_symlink() else "?"
                problems.append((candidate, f"a broken symbolic link: its target {display_path(target)} does not exist"))
                continue
            except OSError as error:
                problems.append((candidate, f"cannot be examined: {error.strerror or error}"))
                continue
            if stat.S_ISDIR(mode):
                # A link to a folder that os.walk listed among the files (it does for some links).
                problems.append(
                    (candidate, "a symbolic link to a folder; links to folders are not followed: "
                     "load the folder on its own")
                )
            elif stat.S_ISREG(mode):
                files.append(candidate)
            else:
                problems.append((candidate, "not a regular file (a pipe, socket or device)"))
    files.sort(key=lambda p: p.relative_to(folder).as_posix())
    problems.sort(key=lambda item: item[0].as_posix())
    return files, problems


# ------------------------------------------------------------------ dates


def _date(year: str, month: str, day: str) -> pd.Timestamp | None:
    y, m, d = int(year), int(month), int(day)
    if not _YEARS[0] <= y <= _YEARS[1]:
        return None
    try:
        return pd.Timestamp(_dt.date(y, m, d))
    except ValueError:
        return None


def _leading_date(name: str) -> tuple[pd.Timestamp, str] | None:
    """The date that opens ``name`` and the rest of the name after it."""
    for pattern in (_SEPARATED_DATE, _COMPACT_DATE):
        match = pattern.match(name)
        if match:
            groups = match.groups()
            year, month, day = (groups[0], groups[2], groups[3]) if len(groups) == 4 else groups
            stamp = _date(year, month, day)
            if stamp is not None:
                return stamp, name[match.end():]
    return None


def date_from_filename(path: str | os.PathLike, *, root: str | os.PathLike | None = None) -> dict:
    """The date, page and sequence number that a file's name (or its folder's) gives.

    See the module notes for the names understood.

    Parameters
    ----------
    path : path-like
        The file.
    root : path-like, optional
        The corpus folder: folder names are read up to it, not above. Without
        it only the file's own name and its parent folder's are read.

    Returns
    -------
    dict
        ``date`` (Timestamp or NaT), ``precision`` (``"day"`` or None),
        ``page`` and ``seq`` (int or None).

    Examples
    --------
    >>> date_from_filename("crawl/20200602/20200602-01-03.txt")
    {'date': Timestamp('2020-06-02 00:00:00'), 'precision': 'day', 'page': 1, 'seq': 3}
    >>> date_from_filename("2020-06-02_社论.txt")["date"]
    Timestamp('2020-06-02 00:00:00')
    >>> date_from_filename("202006021234.txt")["date"]
    NaT
    """
    path = Path(path)
    found = {"date": pd.NaT, "precision": None, "page": None, "seq": None}
    stem = document_stem(path)
    leading = _leading_date(stem)
    if leading is not None:
        stamp, rest = leading
        found.update(date=stamp, precision="day")
        numbers = _PAGE_SEQ_AFTER.fullmatch(rest)
        if numbers:
            found["page"] = int(numbers.group(1))
            found["seq"] = int(numbers.group(2)) if numbers.group(2) is not None else None
        return found
    folders = path.parents
    if root is not None:
        root = Path(root)
        folders = [parent for parent in path.parents if parent != root and root in parent.parents]
    else:
        folders = list(path.parents)[:1]
    for parent in folders:
        leading = _leading_date(parent.name)
        if leading is None or leading[1].strip(" -_"):
            continue
        found.update(date=leading[0], precision="day")
        numbers = _PAGE_SEQ_ALONE.fullmatch(stem)
        if numbers:
            found["page"], found["seq"] = int(numbers.group(1)), int(numbers.group(2))
        return found
    return found
