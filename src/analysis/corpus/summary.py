"""A corpus at a glance: its one-row summary and its content fingerprint."""

from __future__ import annotations

import hashlib

import pandas as pd

from .columns import DATE_DTYPE, is_missing
from .record import load_record

SUMMARY_COLUMNS = ["documents", "characters", "first_date", "last_date", "undated", "skipped"]


def corpus_summary(corpus: pd.DataFrame) -> pd.DataFrame:
    """One-row overview of a loaded corpus.

    Parameters
    ----------
    corpus : pandas.DataFrame
        A table from :func:`load_corpus` (or a filtered copy of one).

    Returns
    -------
    pandas.DataFrame
        One row with columns ``documents``, ``characters`` (total length of
        ``text_clean``), ``first_date``, ``last_date``, ``undated``
        (documents whose date is NaT) and ``skipped`` (rows of
        :func:`skipped`; NA when the table carries no load record).

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> summary = corpus_summary(load_corpus("seeds/"))
    >>> list(summary.columns)
    ['documents', 'characters', 'first_date', 'last_date', 'undated', 'skipped']
    """
    record = load_record(corpus)
    dates = corpus["date"]
    row = {
        "documents": len(corpus),
        "characters": int(corpus["text_clean"].str.len().sum()) if len(corpus) else 0,
        "first_date": dates.min(),
        "last_date": dates.max(),
        "undated": int(dates.isna().sum()),
        "skipped": len(record["skipped"]) if record is not None else pd.NA,
    }
    summary = pd.DataFrame([row], columns=SUMMARY_COLUMNS)
    summary["first_date"] = summary["first_date"].astype(DATE_DTYPE)
    summary["last_date"] = summary["last_date"].astype(DATE_DTYPE)
    summary["skipped"] = summary["skipped"].astype("Int64")
    return summary


def corpus_fingerprint(corpus: pd.DataFrame) -> str:
    """SHA-256 over ``doc_id`` and ``text_clean``, row by row in table order.

    Each field is length-prefixed, so no two different tables share a
    fingerprint by moving characters across a field boundary.

    Parameters
    ----------
    corpus : pandas.DataFrame
        A table with ``doc_id`` and ``text_clean`` columns.

    Returns
    -------
    str
        64 hexadecimal digits, for cache keys and report manifests.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> corpus = load_corpus("seeds/")
    >>> corpus_fingerprint(corpus) == corpus_fingerprint(corpus.copy())
    True
    >>> len(corpus_fingerprint(corpus))
    64
    """
    digest = hashlib.sha256()
    for doc_id, text in zip(corpus["doc_id"], corpus["text_clean"]):
        for value in (doc_id, text):
            encoded = ("" if is_missing(value) else str(value)).encode("utf-8")
            digest.update(f"{len(encoded)}:".encode("ascii"))
            digest.update(encoded)
    return digest.hexdigest()
