"""Slogan tagging throughput next to segmentation throughput on the same text.

Loads both development corpora (``analysis.config.SHARED_CORPORA_DIR``) with
``analysis.corpus.load_corpus``, so the text is the cleaned ``text_clean`` the
pipeline works on, and times on one core:

- ``analysis.slogans.tag_slogans`` with the shipped lexicon (compiling the
  lexicon is part of every call, as it is for a user);
- ``analysis.tokens.tokenize`` with the package tokenizer and default options;
- ``analysis.slogans.discover_formulas``, for reference.

The tokenizer's dictionary is loaded before timing. Runs are interleaved and the
best of ``--runs`` counts, because the machine is shared. The goal is a ratio
tagging / segmentation time of at most 1: tagging must not cost more than
segmentation does.

Usage::

    .venv/bin/python benchmarks/slogans.py [--runs 3]
"""

from __future__ import annotations

import argparse
import sys

from segment import best_times

from analysis import config
from analysis.corpus import load_corpus
from analysis.slogans import discover_formulas, tag_slogans
from analysis.tokens import get_tokenizer, tokenize

CORPUS_NAMES = ("gov_work_reports.jsonl", "cctv_news_2022.jsonl")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs per function, interleaved; the best counts (default 3)")
    options = parser.parse_args(argv)
    if options.runs < 1:
        parser.error("--runs must be at least 1")

    tokenizer = get_tokenizer()
    print(f"best of {options.runs} interleaved runs, one core")
    print(f"{'corpus':<24} {'MB':>6} {'tag MB/s':>9} {'segment MB/s':>13} {'tag/segment time':>17} {'discover MB/s':>14}")
    for name in CORPUS_NAMES:
        path = config.SHARED_CORPORA_DIR / name
        if not path.exists():
            sys.exit(f"benchmark corpus not found: {path} (the shared development corpora sit beside the checkout)")
        corpus = load_corpus(path)
        megabytes = corpus["text_clean"].str.encode("utf-8").str.len().sum() / 1e6
        # Warm-up: the tokenizer's first call builds its prefix dictionary.
        tokenize(corpus.head(1), tokenizer=tokenizer)
        best = best_times(
            {
                "tag": lambda: tag_slogans(corpus),
                "segment": lambda: tokenize(corpus, tokenizer=tokenizer),
                "discover": lambda: discover_formulas(corpus),
            },
            options.runs,
        )
        print(
            f"{name:<24} {megabytes:6.2f} {megabytes / best['tag']:9.2f} {megabytes / best['segment']:13.2f} "
            f"{best['tag'] / best['segment']:17.3f} {megabytes / best['discover']:14.2f}"
        )


if __name__ == "__main__":
    main()
