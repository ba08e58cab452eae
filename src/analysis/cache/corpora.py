"""Loaded corpora, kept as Parquet so that loading the same corpus again skips reading and cleaning.

:func:`analysis.corpus.load_corpus` with ``cache=`` stores each loaded corpus
under a key (:func:`corpus_cache_key`) made of every byte of the input, the
loading options and the package's source, data and library versions
(:func:`analysis.cache.environment_fingerprint`), with the warnings the load
gave, so a cached load warns as the first one did. The report loads the
corpus once and its notebooks read it back instead of each cleaning it again.
Files are written to a temporary name and moved into place; a file that
cannot be read counts as missing and is written again.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pandas as pd

from .notebooks import corpus_content_hash, environment_fingerprint
from .parquet import read_noted_table, write_noted_table
from .segments import resolve_folder

CORPORA_DIR_NAME = "corpora"
# Part of every key: bump it when the layout of a stored corpus changes.
CORPUS_CACHE_FORMAT = "1"
_METADATA_KEY = b"analysis.corpus"


def corpora_folder(cache) -> Path | None:
    """The folder of stored corpora for a ``cache=`` option: True is ``config.CACHE_DIR/corpora``.

    Examples
    --------
    >>> corpora_folder(None) is None and corpora_folder(False) is None
    True
    >>> corpora_folder(True).name
    'corpora'
    """
    return resolve_folder(cache, name=CORPORA_DIR_NAME)


def corpus_cache_key(path: str | os.PathLike, options: dict, *, folder: Path) -> str:
    """Key of a loaded corpus: its path, its bytes, the loading options and the package that loaded it.

    Examples
    --------
    >>> import tempfile
    >>> corpus = Path(tempfile.mkdtemp()) / "c.txt"
    >>> _ = corpus.write_text("六稳", encoding="utf-8")
    >>> key = lambda **options: corpus_cache_key(corpus, options, folder=corpus.parent)
    >>> key(fix_ocr=True) == key(fix_ocr=True), key(fix_ocr=True) == key(fix_ocr=False)
    (True, False)
    """
    path = Path(path)
    described = {
        "format": CORPUS_CACHE_FORMAT,
        "path": str(path),
        "content": corpus_content_hash(path),
        "options": options,
        "environment": environment_fingerprint(folder),
    }
    text = json.dumps(described, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_corpus(folder: Path, key: str) -> tuple[pd.DataFrame, list[str]] | None:
    """The stored corpus and the warnings its load gave, or None when absent or unreadable."""
    stored = read_noted_table(folder / f"{key}.parquet", note_key=_METADATA_KEY)
    if stored is None:
        return None  # absent, or a truncated or foreign file: loaded again and rewritten
    frame, note = stored
    try:
        frame.attrs = dict(note["attrs"])
        messages = [str(message) for message in note["warnings"]]
    except (KeyError, TypeError, ValueError):
        return None
    return frame, messages


def write_corpus(folder: Path, key: str, frame: pd.DataFrame, messages: list[str]) -> None:
    """Store a loaded corpus and its load's warnings atomically (temporary file, then ``os.replace``)."""
    write_noted_table(folder / f"{key}.parquet", frame, note={"attrs": frame.attrs, "warnings": messages}, note_key=_METADATA_KEY)
