"""Reading a folder: every supported file under it, recursively, into document rows; ids two files share qualified."""

from __future__ import annotations

from pathlib import Path

from tqdm.auto import tqdm

from .. import sources
from ..sources import TABULAR_SUFFIXES, TEXT_SUFFIXES
from .decoding import binary_kind
from .documents import LoadOptions
from .errors import CorpusError
from .record import BadDates, Skips
from .tabular import READERS, tabular_file_rows
from .text_files import text_file_rows


def _relative_id(path: Path, folder: Path) -> str:
    relative = path.relative_to(folder)
    return sources.display_path((relative.parent / sources.document_stem(relative)).as_posix())


def load_folder(
    folder: Path, *, opts: LoadOptions, skips: Skips, columns: dict, bad_dates: BadDates, units: dict[str, str]
) -> tuple[list[dict], list[str], bool]:
    """Rows of every supported file under ``folder``, the extra columns, and whether all tabular files are CSV.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("稳中求进。", encoding="utf-8")
    >>> options = LoadOptions(split_articles=False, to_simplified=True, fix_ocr=True, encoding=None, progress=False)
    >>> columns = dict.fromkeys(["text", "title", "date", "id", "source"])
    >>> rows, extras, all_csv = load_folder(folder, opts=options, skips=Skips(strict=False), columns=columns,
    ...                                     bad_dates=BadDates(), units={})
    >>> [row["doc_id"] for row in rows], extras
    (['a'], [])
    """
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
            file_rows = text_file_rows(path, doc_id=_relative_id(path, folder), opts=opts, skips=skips, root=folder)
        elif kind in READERS:
            formats.add(kind)
            file_rows, file_extras = tabular_file_rows(
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
    return binary_kind(head) or "text"
