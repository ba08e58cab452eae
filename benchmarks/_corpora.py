"""Shared loading and timing helpers for the benchmark scripts.

The development corpora are read from ``analysis.config.SHARED_CORPORA_DIR``
and never copied into the project.
"""

from __future__ import annotations

import json
import sys
import time

import pandas as pd

from analysis import config
from analysis.clean import clean_text

CORPORA = {"gov_work_reports.jsonl": ("content", None), "cctv_news_2022.jsonl": ("text", "id")}


def corpus_path(name: str):
    path = config.SHARED_CORPORA_DIR / name
    if not path.exists():
        sys.exit(f"benchmark corpus not found: {path} (the shared development corpora sit beside the checkout)")
    return path


def load_cleaned(name: str) -> pd.DataFrame:
    """``doc_id`` and cleaned ``text_clean`` of one development corpus."""
    text_key, id_key = CORPORA[name]
    path = corpus_path(name)
    rows = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                sys.exit(f"{path}, line {number}: not JSON ({error})")
            doc_id = str(record[id_key]) if id_key else f"{name}:{number}"
            rows.append({"doc_id": doc_id, "text_clean": clean_text(record[text_key])})
    return pd.DataFrame(rows)


def megabytes(texts) -> float:
    return sum(len(text.encode("utf-8")) for text in texts) / 1e6


def best_times(functions: dict, runs: int) -> dict:
    """Best wall-clock time of each function; runs are interleaved so that a
    change in machine load hits every function alike."""
    timings = {name: [] for name in functions}
    for _ in range(runs):
        for name, function in functions.items():
            started = time.perf_counter()
            function()
            timings[name].append(time.perf_counter() - started)
    return {name: min(values) for name, values in timings.items()}
