"""Reading one text file (``.txt``/``.md``, also ``.gz``) into document rows, dated by its name or its title."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

import pandas as pd

from .. import sources
from .dates import date_from_title
from .decoding import Unreadable, binary_kind, decode_text
from .documents import LoadOptions, rows_of_document
from .record import Skips


def _fill_title_dates(rows: Iterable[dict]) -> None:
    for row in rows:
        if row.get("date") is None or row["date"] is pd.NaT:
            stamp, precision = date_from_title(row.get("title"))
            row["date"], row["date_precision"] = stamp, precision


def text_file_rows(
    path: Path, *, doc_id: str, opts: LoadOptions, skips: Skips, root: Path | None = None
) -> list[dict]:
    """The document rows of one text file; none, with the reason in ``skips``, when it cannot be read.

    Decoded (:func:`~analysis.corpus.decoding.decode_text`), split into
    articles unless ``opts.split_articles`` is False, dated by the file's name
    (:func:`analysis.sources.date_from_filename`, relative to ``root``) or by
    a title.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "page.txt"
    >>> _ = path.write_text("要做好“六稳”工作。", encoding="utf-8")
    >>> options = LoadOptions(split_articles=False, to_simplified=True, fix_ocr=True, encoding=None, progress=False)
    >>> [row["doc_id"] for row in text_file_rows(path, doc_id="page", opts=options, skips=Skips(strict=False))]
    ['page']
    """
    try:
        data = sources.read_bytes(path)
    except OSError as error:
        skips.add(path, None, f"cannot be read: {error.strerror or error}")
        return []
    try:
        if not data:
            raise Unreadable("empty file")
        kind = binary_kind(data, encoding=opts.encoding)
        if kind:
            raise Unreadable(f"not a text file: {kind}")
        damage: list[str] = []
        text = decode_text(data, encoding=opts.encoding, damage=damage)
        if not text.strip():
            raise Unreadable("whitespace-only file")
    except Unreadable as problem:
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
    rows = rows_of_document(text, base=base, doc_id=doc_id, split=split, opts=opts, path=path, record=None, skips=skips)
    if named["precision"] is not None:
        # The crawl's file name dates the page, and every article on it.
        for row in rows:
            row["date"], row["date_precision"] = named["date"], named["precision"]
            row["extras"] = {"page": named["page"], "seq": named["seq"]}
            row["dated_by_name"] = True
    _fill_title_dates(rows)
    return rows
