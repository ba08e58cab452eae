"""Segmentation throughput: analysis.tokens.tokenize next to plain jieba.lcut.

Reads the government work reports from the shared development corpora
(``analysis.config.SHARED_CORPORA_DIR``), cleans each report with
``analysis.clean.clean_text`` and times, on the same cleaned texts and one
core, the package's ``tokenize`` (default options, cache off) against
``jieba.lcut`` with jieba's stock global dictionary. Dictionary loading is
excluded: both segmenters are warmed up first. Each is timed with
``time.perf_counter``, runs are interleaved and the best of ``--runs`` counts.

Usage::

    .venv/bin/python benchmarks/segment.py [--runs 5]
"""

from __future__ import annotations

import argparse

import jieba
from _corpora import best_times, load_cleaned, megabytes

from analysis.tokens import get_tokenizer, tokenize

CORPUS_NAME = "gov_work_reports.jsonl"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per segmenter, interleaved; the best counts (default 5)")
    options = parser.parse_args(argv)
    if options.runs < 1:
        parser.error("--runs must be at least 1")

    corpus = load_cleaned(CORPUS_NAME)
    texts = corpus["text_clean"].tolist()
    size = megabytes(texts)

    tokenizer = get_tokenizer()
    # Warm-up: load both dictionaries and let Python settle before timing.
    jieba.lcut(texts[0])
    tokenize(corpus.head(1), tokenizer=tokenizer, cache=False)

    best = best_times(
        {
            "package": lambda: tokenize(corpus, tokenizer=tokenizer, cache=False),
            "jieba": lambda: [jieba.lcut(text) for text in texts],
        },
        options.runs,
    )
    package_seconds, jieba_seconds = best["package"], best["jieba"]

    package_rate = size / package_seconds
    jieba_rate = size / jieba_seconds
    print(f"corpus: {CORPUS_NAME}, {len(texts)} documents, {size:.2f} MB UTF-8 (cleaned), best of {options.runs}")
    print(f"analysis.tokens.tokenize : {package_seconds:7.3f} s  {package_rate:6.3f} MB/s")
    print(f"jieba.lcut (stock dict)  : {jieba_seconds:7.3f} s  {jieba_rate:6.3f} MB/s")
    print(f"ratio tokenize / lcut    : {package_rate / jieba_rate:.3f}x  (goal >= 0.9x)")


if __name__ == "__main__":
    main()
