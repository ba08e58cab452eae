"""The entry point :func:`load_corpus`: a file or folder into the corpus table, its warnings, and the ``cache=`` path."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pandas as pd

from .. import config, sources
from ..sources import TABULAR_SUFFIXES, TEXT_SUFFIXES
from .columns import COLUMNS, DATE_DTYPE, FILENAME_COLUMNS, is_missing, text_column
from .decoding import check_codec
from .doctypes import document_type
from .documents import LoadOptions
from .errors import CorpusError, CorpusWarning
from .folders import load_folder
from .levels import fill_levels
from .record import BadDates, Skips, set_load_record
from .tabular import READERS, csv_int_column, tabular_file_rows
from .text_files import text_file_rows

#: Start of the :func:`damaged` reason of a document far shorter than the rest of its corpus.
SUSPECT_SHORT_REASON = "suspect_short"
# A document is a suspected stub (a disambiguation page, a "see also" page, a teaser saved in
# place of the article) when it is both this short and this small a share of the corpus median,
# in a corpus of at least this many documents. The 505-character NPC resolutions among 20,000-
# character work reports are short but real, and stay unflagged.
SUSPECT_SHORT_MAX_CHARS = 200
SUSPECT_SHORT_MEDIAN_SHARE = 0.05
SUSPECT_SHORT_MIN_DOCUMENTS = 5


# Extra metadata whose name clashes with an output column is kept under this prefix.
CLASH_PREFIX = "orig_"


def _extra_name(name: str) -> str:
    return CLASH_PREFIX + name if name in COLUMNS else name


def _build_frame(rows: list[dict], extras: list[str], *, csv_extras: bool) -> pd.DataFrame:
    frame = pd.DataFrame({name: text_column([row.get(name) for row in rows]) for name in COLUMNS}, columns=COLUMNS)
    frame["date"] = pd.to_datetime(pd.Series([row.get("date") for row in rows], dtype=object)).astype(DATE_DTYPE)
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
            frame[_extra_name(name)] = csv_int_column(values)
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
                    "record": None if is_missing(record) else int(record),
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
    opts = LoadOptions(
        split_articles=split_articles,
        to_simplified=to_simplified,
        fix_ocr=fix_ocr,
        encoding=check_codec(encoding) if encoding is not None else None,
        progress=progress,
    )
    skips = Skips(strict=strict)
    bad_dates = BadDates()
    extras: list[str] = []
    units: dict[str, str] = {}
    columns = {"text": text_col, "title": title_col, "date": date_col, "id": id_col, "source": source_col}
    kind = None if root.is_dir() else sources.file_format(root)
    all_csv = kind == "csv"
    if root.is_dir():
        rows, extras, all_csv = load_folder(
            root, opts=opts, skips=skips, columns=columns, bad_dates=bad_dates, units=units
        )
    elif kind == "text":
        rows = text_file_rows(root, doc_id=sources.document_stem(root), opts=opts, skips=skips, root=root.parent)
    elif kind in READERS:
        rows, extras = tabular_file_rows(
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
    fill_levels(frame, level=level, region=region)
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
    set_load_record(frame, skipped_rows=skips.rows, damaged_rows=skips.damaged + bad_dates.rows())
    return frame


def _load_cached(root: Path, options: dict, *, cache, progress: bool) -> pd.DataFrame:
    """load_corpus through the corpus cache: read back, or loaded and stored with the warnings it gave."""
    from ..cache import corpora_folder, corpus_cache_key, read_corpus, write_corpus

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
