"""What the index page and the manifest say about the corpus, and the report's name for it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import config
from .errors import ReportError


@dataclass(frozen=True)
class CorpusDescription:
    """What the index page and the manifest say about the corpus.

    Attributes
    ----------
    path : pathlib.Path
        The corpus file or folder.
    summary : pandas.DataFrame
        One row, from :func:`analysis.corpus.corpus_summary`.
    skipped : pandas.DataFrame
        Inputs the loader skipped: ``path``, ``record``, ``reason``.
    documents : pandas.DataFrame
        ``doc_id``, ``date``, ``date_precision``, ``source``, ``title`` of every document.
    fingerprint : str
        :func:`analysis.corpus.corpus_fingerprint` of the loaded corpus.
    damaged : pandas.DataFrame, optional
        Documents loaded but not in full, dates that could not be parsed and
        suspected stubs (:func:`analysis.corpus.damaged`): ``path``,
        ``record``, ``reason``.
    levels : tuple of str
        The administrative levels its documents carry, highest first.
    """

    path: Path
    summary: pd.DataFrame
    skipped: pd.DataFrame
    documents: pd.DataFrame
    fingerprint: str
    damaged: pd.DataFrame | None = None
    levels: tuple = ()


def report_name(path: str | os.PathLike) -> str:
    """Name of the report folder for a corpus: the file's or folder's stem.

    Parameters
    ----------
    path : path-like
        Corpus file or folder; a trailing slash is ignored.

    Returns
    -------
    str

    Examples
    --------
    >>> report_name("seeds/")
    'seeds'
    >>> report_name("x/cpc.jsonl")
    'cpc'
    >>> report_name("/data/gov_work_reports.jsonl.gz")
    'gov_work_reports'
    """
    text = os.fspath(path)
    candidate = Path(text.rstrip("/\\") or text)
    is_folder = text.endswith(("/", "\\")) or config.resolve_path(candidate).is_dir()
    name = candidate.name
    # Peel compression suffixes first so corpus.jsonl.gz is named "corpus".
    for suffix in (".gz", ".bz2", ".xz", ".zip"):
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    stem = name if is_folder else Path(name).stem
    stem = stem.strip().lstrip(".")
    if not stem:
        raise ValueError(f"cannot derive a report name from the corpus path {os.fspath(path)!r}")
    return stem


def describe_corpus(path: str | os.PathLike) -> CorpusDescription:
    """Load a corpus once to describe it on the index page and in the manifest.

    Parameters
    ----------
    path : path-like
        Corpus file or folder, as accepted by :func:`analysis.corpus.load_corpus`.

    Returns
    -------
    CorpusDescription

    Raises
    ------
    ReportError
        If the corpus is missing or cannot be read; the message names it.

    Examples
    --------
    >>> description = describe_corpus(config.SEEDS_DIR)  # doctest: +SKIP
    >>> len(description.fingerprint)  # doctest: +SKIP
    64
    """
    path = Path(path)
    return describe_loaded_corpus(path, load_report_corpus(path))


def load_report_corpus(path: Path, *, cache=None) -> pd.DataFrame:
    from .. import corpus as corpus_module

    if not path.exists():
        raise ReportError(f"corpus not found: {path} (give a file or folder that exists)")
    try:
        return corpus_module.load_corpus(path, cache=cache)
    except (OSError, ValueError, UnicodeError) as error:
        raise ReportError(f"cannot read the corpus {path}: {error}") from error


def describe_loaded_corpus(path: Path, corpus: pd.DataFrame) -> CorpusDescription:
    from .. import corpus as corpus_module

    skipped = corpus_module.skipped(corpus)
    documents = corpus.reindex(columns=["doc_id", "date", "date_precision", "source", "title"])
    return CorpusDescription(
        path=path,
        summary=corpus_module.corpus_summary(corpus),
        skipped=skipped,
        documents=documents,
        fingerprint=corpus_module.corpus_fingerprint(corpus),
        damaged=corpus_module.damaged(corpus),
        levels=tuple(level for level in config.LEVELS if "level" in corpus.columns and (corpus["level"] == level).any()),
    )
