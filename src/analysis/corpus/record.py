"""The load record: what :func:`~analysis.corpus.load_corpus` skipped or loaded damaged, kept as one JSON
string in ``attrs`` and read back as tables by :func:`skipped` and :func:`damaged`."""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .. import sources
from .errors import CorpusError, CorpusWarning

SKIPPED_COLUMNS = ["path", "record", "reason"]
#: The ``attrs`` key holding the JSON record of skipped and damaged inputs (see :func:`skipped`).
LOAD_RECORD_ATTR = "load_record"


@dataclass
class Skips:
    """The problems of one load: documents skipped (``rows``) and documents loaded damaged (``damaged``).

    With ``strict=True`` the first problem raises :class:`CorpusError` instead.

    Examples
    --------
    >>> skips = Skips(strict=False)
    >>> skips.add(Path("news.jsonl"), 3, "malformed JSON", unit="line")
    >>> skips.rows
    [{'path': 'news.jsonl', 'record': 3, 'reason': 'malformed JSON'}]
    >>> Skips(strict=True).add(Path("news.jsonl"), 3, "malformed JSON", unit="line")
    Traceback (most recent call last):
    ...
    analysis.corpus.errors.CorpusError: news.jsonl: line 3: malformed JSON
    """

    strict: bool
    rows: list[dict] = field(default_factory=list)
    damaged: list[dict] = field(default_factory=list)

    def add_damaged(self, path: Path, record: int | None, reason: str) -> None:
        """A document that was loaded, but not in full: listed in :func:`damaged`."""
        if self.strict:
            raise CorpusError(f"{sources.display_path(path)}: {reason}")
        self.damaged.append({"path": sources.display_path(path), "record": record, "reason": reason})

    def add(self, path: Path, record: int | None, reason: str, *, unit: str = "record") -> None:
        shown = sources.display_path(path)
        if self.strict:
            where = shown if record is None else f"{shown}: {unit} {record}"
            raise CorpusError(f"{where}: {reason}")
        self.rows.append({"path": shown, "record": record, "reason": reason})

    def frame(self, rows: list[dict] | None = None) -> pd.DataFrame:
        return _problem_frame(self.rows if rows is None else rows)


def _problem_frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=SKIPPED_COLUMNS)
    frame["path"] = frame["path"].astype("str")
    frame["record"] = frame["record"].astype("Int64")
    frame["reason"] = frame["reason"].astype("str")
    return frame


def load_record(corpus: pd.DataFrame) -> dict | None:
    """The load record in ``corpus.attrs`` as a dict of ``skipped`` and ``damaged`` rows, None when it has none.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a"]})
    >>> load_record(corpus) is None
    True
    >>> set_load_record(corpus, skipped_rows=[{"path": "b.txt", "record": None, "reason": "empty file"}],
    ...                 damaged_rows=[])
    >>> load_record(corpus)["skipped"][0]["reason"]
    'empty file'
    """
    text = corpus.attrs.get(LOAD_RECORD_ATTR)
    if not isinstance(text, str):
        return None
    return json.loads(text)


def set_load_record(corpus: pd.DataFrame, *, skipped_rows: list[dict], damaged_rows: list[dict]) -> None:
    """Keep the rows of :func:`skipped` and :func:`damaged` in ``corpus.attrs`` as one JSON string (in place).

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a"]})
    >>> set_load_record(corpus, skipped_rows=[], damaged_rows=[])
    >>> corpus.attrs[LOAD_RECORD_ATTR]
    '{"damaged":[],"skipped":[]}'
    """
    # sort_keys and no whitespace: the same problems give the same string, so two loads of
    # one corpus compare equal and pd.concat keeps the record.
    corpus.attrs[LOAD_RECORD_ATTR] = json.dumps(
        {"skipped": skipped_rows, "damaged": damaged_rows}, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )


def skipped(corpus: pd.DataFrame) -> pd.DataFrame:
    """The inputs :func:`load_corpus` (and :func:`drop_duplicates`) skipped, one row each.

    Parameters
    ----------
    corpus : pandas.DataFrame
        A table from :func:`load_corpus`, or one derived from it by filtering,
        copying, column selection or a merge (pandas carries ``attrs`` along).

    Returns
    -------
    pandas.DataFrame
        Columns ``path`` (str), ``record`` (Int64: line or row; NA for a
        whole file) and ``reason`` (str). Empty when nothing was skipped, and
        also when the table carries no load record (a table built by hand, or
        a concatenation of different loads): :func:`corpus_summary` tells the
        two apart.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from analysis.corpus import load_corpus
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("稳中求进。", encoding="utf-8")
    >>> _ = (folder / "b.txt").write_bytes(b"")
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     corpus = load_corpus(folder)
    >>> skipped(corpus)["reason"].tolist()
    ['empty file']
    >>> len(pd.concat([corpus, corpus])), len(skipped(pd.concat([corpus, corpus])))
    (2, 1)
    """
    record = load_record(corpus)
    return _problem_frame(record["skipped"] if record else [])


def damaged(corpus: pd.DataFrame) -> pd.DataFrame:
    """The documents :func:`load_corpus` loaded, but not in full, one row each.

    A text file cut inside its last UTF-8 character (the character is
    dropped), text with lone surrogate escapes (removed), and a date value
    that could not be parsed (the document is undated). Same columns and the
    same rules as :func:`skipped`.

    Examples
    --------
    >>> damaged(pd.DataFrame({"doc_id": ["a"]})).columns.tolist()
    ['path', 'record', 'reason']
    """
    record = load_record(corpus)
    return _problem_frame(record["damaged"] if record else [])


@dataclass
class BadDates:
    """The date values of one load that could not be parsed: rows of :func:`damaged`, and one warning.

    Examples
    --------
    >>> bad = BadDates()
    >>> bad.add(Path("news.csv"), 2, "去年")
    >>> bad.rows()[0]["reason"]
    "date value '去年' could not be parsed; the date is NaT"
    """

    items: list[tuple[str, int | None, str]] = field(default_factory=list)

    def add(self, path: Path, record: int | None, value: Any) -> None:
        self.items.append((sources.display_path(path), record, repr(value)))

    def rows(self) -> list[dict]:
        """The unparsed dates as rows of :func:`damaged`: the document is loaded, its date is lost."""
        return [
            {"path": path, "record": record, "reason": f"date value {value} could not be parsed; the date is NaT"}
            for path, record, value in self.items
        ]

    def warn(self, *, unit_of: dict[str, str]) -> None:
        if not self.items:
            return
        by_file: dict[str, list[tuple[int | None, str]]] = {}
        for path, record, value in self.items:
            by_file.setdefault(path, []).append((record, value))
        parts = []
        for path, items in by_file.items():
            unit = unit_of.get(path, "record")
            examples = ", ".join(f"{unit} {record}: {value}" for record, value in items[:3])
            more = ", ..." if len(items) > 3 else ""
            parts.append(f"{path}: {len(items)} ({examples}{more})")
        warnings.warn(
            f"{len(self.items)} date value(s) could not be parsed and were left NaT: " + "; ".join(parts),
            CorpusWarning,
            stacklevel=3,
        )
