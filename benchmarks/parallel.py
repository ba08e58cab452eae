"""Parallel segmentation: tokenize with n_jobs=2 next to n_jobs=1.

Times ``analysis.tokens.tokenize`` (cache off) on both development corpora,
cleaned, with one and with two worker processes, interleaved, best of
``--runs``; checks that both give the same table and prints the speed-up
(goal: at least 1.7x on a 2-core machine). The machine's other load counts
against the parallel run, so run it on a quiet machine.

Usage::

    .venv/bin/python benchmarks/parallel.py [--runs 3] [--jobs 2]
"""

from __future__ import annotations

import argparse
import os

import pandas as pd
from _corpora import CORPORA, best_times, load_cleaned, megabytes

from analysis.tokens import get_tokenizer, tokenize


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs per setting, interleaved; the best counts (default 3)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes of the parallel run (default 2)")
    options = parser.parse_args(argv)

    corpus = pd.concat([load_cleaned(name) for name in CORPORA], ignore_index=True)
    size = megabytes(corpus["text_clean"])
    tokenizer = get_tokenizer()
    tokenize(corpus.head(1), tokenizer=tokenizer, cache=False)

    single = tokenize(corpus, tokenizer=tokenizer, cache=False)
    parallel = tokenize(corpus, tokenizer=tokenizer, cache=False, n_jobs=options.jobs)
    identical = single.to_csv(index=False) == parallel.to_csv(index=False)

    best = best_times(
        {
            "n_jobs=1": lambda: tokenize(corpus, tokenizer=tokenizer, cache=False),
            f"n_jobs={options.jobs}": lambda: tokenize(corpus, tokenizer=tokenizer, cache=False, n_jobs=options.jobs),
        },
        options.runs,
    )
    print(f"corpus: both development corpora, {len(corpus)} documents, {size:.2f} MB UTF-8 (cleaned), {os.cpu_count()} CPUs, best of {options.runs}")
    for name, seconds in best.items():
        print(f"tokenize {name:9}: {seconds:7.3f} s  {size / seconds:6.3f} MB/s")
    speedup = best["n_jobs=1"] / best[f"n_jobs={options.jobs}"]
    print(f"speed-up n_jobs={options.jobs} / n_jobs=1: {speedup:.2f}x  (goal >= 1.7x with 2 jobs on 2 cores)")
    print(f"identical tables: {identical}")


if __name__ == "__main__":
    main()
