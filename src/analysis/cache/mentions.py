"""Tagged slogan mentions, kept as Parquet so that a corpus is tagged once, not once per notebook.

:func:`analysis.slogans.tag_slogans` with ``cache=`` stores each mention table
under a key (:func:`mentions_cache_key`) made of what tagging reads of the
corpus (each document's ``doc_id``, ``text_clean``, ``body_start`` and
``date``), the lexicon's content (a user's own lexicon, or an edited one, keys
differently from the shipped one) and the package's source, data and library
versions (:func:`analysis.cache.environment_fingerprint`), so a changed tagger
never reads an old table. The report tags the corpus once before its
notebooks start, into the report's cache or, with ``--no-cache``, into the
run's own folder, and the notebooks read the table back.

Files are written to a temporary name and moved into place; a file that
cannot be read, or does not hold a mention table, counts as missing and is
written again.
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

from .notebooks import environment_fingerprint
from .parquet import read_noted_table, write_noted_table
from .segments import document_keys, resolve_folder

MENTIONS_DIR_NAME = "mentions"
# Part of every key: bump it when the layout of a stored table changes.
MENTIONS_CACHE_FORMAT = "1"
_METADATA_KEY = b"analysis.mentions"


def mentions_folder(cache) -> Path | None:
    """The folder of stored mention tables for a ``cache=`` option: True is ``config.CACHE_DIR/mentions``.

    Examples
    --------
    >>> mentions_folder(None) is None and mentions_folder(False) is None
    True
    >>> mentions_folder(True).name
    'mentions'
    """
    return resolve_folder(cache, name=MENTIONS_DIR_NAME)


def _corpus_digest(corpus: pd.DataFrame) -> str:
    """Hash of what the tagger reads of each document, in corpus order."""
    digest = hashlib.sha256()
    count = len(corpus)
    body_starts = corpus["body_start"].tolist() if "body_start" in corpus.columns else [None] * count
    # Dates as the tagger reads them (valid_from / valid_until), so a column's dtype alone changes nothing.
    dates = (
        pd.to_datetime(corpus["date"], errors="coerce").astype("string").fillna("").tolist()
        if "date" in corpus.columns
        else [""] * count
    )
    for doc_id, text_key, body_start, date in zip(corpus["doc_id"], document_keys(corpus["text_clean"]), body_starts, dates):
        body = "" if body_start is None or pd.isna(body_start) else str(int(body_start))
        digest.update(f"{doc_id!r}\0{text_key}\0{body}\0{date}\n".encode("utf-8"))
    return digest.hexdigest()


def _plain(value):
    """A lexicon cell as JSON can write it: lists and arrays as lists, missing values as None."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_plain(item) for item in value]
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    return value if isinstance(value, (str, int, float, bool)) else str(value)


def lexicon_digest(lexicon: pd.DataFrame) -> str:
    """Hash of a lexicon's content: its columns and every cell, in order.

    Examples
    --------
    >>> lexicon = pd.DataFrame({"id": ["liuwen"], "canonical": ["六稳"], "aliases": [["六个稳"]]})
    >>> lexicon_digest(lexicon) == lexicon_digest(lexicon.copy())
    True
    >>> lexicon_digest(lexicon) == lexicon_digest(lexicon.assign(aliases=[["稳六"]]))
    False
    """
    cells = {
        "columns": [str(column) for column in lexicon.columns],
        "rows": [[_plain(value) for value in row] for row in lexicon.itertuples(index=False, name=None)],
    }
    text = json.dumps(cells, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def mentions_cache_key(corpus: pd.DataFrame, lexicon: pd.DataFrame, *, folder: Path) -> str:
    """Key of a mention table: the corpus as the tagger reads it, the lexicon's content and the package.

    Parameters
    ----------
    corpus : pandas.DataFrame
        The tagged corpus (``doc_id``, ``text_clean``; ``body_start`` and
        ``date`` when present).
    lexicon : pandas.DataFrame
        The lexicon it is tagged with.
    folder : pathlib.Path
        The cache folder (left out of the package data it fingerprints).

    Returns
    -------
    str
        A hexadecimal SHA-256.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> docs = pd.DataFrame({"doc_id": ["a"], "text_clean": ["做好“六稳”工作"]})
    >>> lexicon = pd.DataFrame({"id": ["liuwen"], "canonical": ["六稳"]})
    >>> key = lambda corpus, lex: mentions_cache_key(corpus, lex, folder=folder)
    >>> key(docs, lexicon) == key(docs.copy(), lexicon.copy())
    True
    >>> key(docs, lexicon) == key(docs.assign(text_clean=["做好“六保”工作"]), lexicon)
    False
    >>> key(docs, lexicon) == key(docs, lexicon.assign(canonical=["六保"]))
    False
    """
    described = {
        "format": MENTIONS_CACHE_FORMAT,
        "corpus": _corpus_digest(corpus),
        "lexicon": lexicon_digest(lexicon),
        "environment": environment_fingerprint(folder),
    }
    text = json.dumps(described, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_mentions(folder: Path, key: str, *, columns: list[str]) -> pd.DataFrame | None:
    """The stored mention table, or None when absent, unreadable or without exactly ``columns``."""
    stored = read_noted_table(folder / f"{key}.parquet", note_key=_METADATA_KEY)
    if stored is None:
        return None  # absent, or a truncated or foreign file: tagged again and rewritten
    frame, note = stored
    attrs = note.get("attrs")
    if list(frame.columns) != list(columns) or not isinstance(attrs, dict):
        return None
    frame.attrs = dict(attrs)
    return frame


def write_mentions(folder: Path, key: str, mentions: pd.DataFrame) -> bool:
    """Store a mention table atomically (temporary file, then ``os.replace``).

    Returns False, storing nothing, for a table Parquet cannot hold (a
    ``doc_id`` column mixing numbers and strings); the caller then simply
    has no cache entry.
    """
    import pyarrow as pa

    try:
        write_noted_table(folder / f"{key}.parquet", mentions, note={"attrs": mentions.attrs}, note_key=_METADATA_KEY)
    except (pa.ArrowException, TypeError, ValueError):
        return False
    return True
