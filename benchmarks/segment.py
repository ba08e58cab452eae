"""Segmentation throughput: analysis.tokens.tokenize next to plain jieba.lcut.

Reads the government work reports from the shared development corpora
(``analysis.config.SHARED_CORPORA_DIR``), cleans each report with
``analysis.clean.clean_text`` and times, on the same cleaned texts and one
core, the package's ``tokenize`` (default options) against ``jieba.lcut``
with jieba's stock global dictionary. Dictionary loading is excluded: both
segmenters are warmed up first. Each is timed with ``time.perf_counter`` and
the best of ``--runs`` runs is reported.

Usage::

    .venv/bin/python benchmarks/segment.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import jieba
import pandas as pd

from analysis import config
from analysis.clean import clean_text
from analysis.tokens import get_tokenizer, tokenize

CORPUS_NAME = "gov_work_reports.jsonl"


def load_cleaned_reports() -> pd.DataFrame:
    path = config.SHARED_CORPORA_DIR / CORPUS_NAME
    if not path.exists():
        sys.exit(f"benchmark corpus not found: {path} (the shared development corpora sit beside the checkout)")
    rows = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                sys.exit(f"{path}, line {number}: not JSON ({error})")
            rows.append({"doc_id": str(number), "text_clean": clean_text(record["content"])})
    return pd.DataFrame(rows)


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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per segmenter, interleaved; the best counts (default 5)")
    options = parser.parse_args(argv)
    if options.runs < 1:
        parser.error("--runs must be at least 1")

    corpus = load_cleaned_reports()
    texts = corpus["text_clean"].tolist()
    megabytes = sum(len(text.encode("utf-8")) for text in texts) / 1e6

    tokenizer = get_tokenizer()
    # Warm-up: load both dictionaries and let Python settle before timing.
    jieba.lcut(texts[0])
    tokenize(corpus.head(1), tokenizer=tokenizer)

    best = best_times(
        {
            "package": lambda: tokenize(corpus, tokenizer=tokenizer),
            "jieba": lambda: [jieba.lcut(text) for text in texts],
        },
        options.runs,
    )
    package_seconds, jieba_seconds = best["package"], best["jieba"]

    package_rate = megabytes / package_seconds
    jieba_rate = megabytes / jieba_seconds
    print(f"corpus: {CORPUS_NAME}, {len(texts)} documents, {megabytes:.2f} MB UTF-8 (cleaned), best of {options.runs}")
    print(f"analysis.tokens.tokenize : {package_seconds:7.3f} s  {package_rate:6.3f} MB/s")
    print(f"jieba.lcut (stock dict)  : {jieba_seconds:7.3f} s  {jieba_rate:6.3f} MB/s")
    print(f"ratio tokenize / lcut    : {package_rate / jieba_rate:.3f}x")


if __name__ == "__main__":
    main()
