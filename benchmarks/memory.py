"""Peak memory of counts, TF-IDF and co-occurrence on a 40 MB corpus.

Builds a corpus of at least ``--megabytes`` MB of UTF-8 text in memory by
repeating the cleaned development corpora (each copy gets its own doc_ids;
nothing is written into the project), then runs ``tokenize`` (cache off),
``textstat.term_frequency``, ``topics.build_dtm`` (TF-IDF) and
``cooccurrence.cooccurrence`` (sentence contexts) and prints the peak
resident set size after each stage (``resource.getrusage``; goal: under
3 GB) and the size of the token table.

Usage::

    .venv/bin/python benchmarks/memory.py [--megabytes 40]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time

import pandas as pd
from _corpora import CORPORA, load_cleaned, megabytes

from analysis.cooccurrence import cooccurrence
from analysis.textstat import term_frequency
from analysis.tokens import get_tokenizer, tokenize
from analysis.topics import build_dtm

GOAL_GB = 3.0


def peak_rss_gb() -> float:
    # ru_maxrss is in kilobytes on Linux and in bytes on macOS.
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 1e9


def build_corpus(target_megabytes: float) -> pd.DataFrame:
    base = pd.concat([load_cleaned(name) for name in CORPORA], ignore_index=True)
    base_size = megabytes(base["text_clean"])
    copies = []
    size = 0.0
    while size < target_megabytes:
        copy = len(copies)
        copies.append(base.assign(doc_id=base["doc_id"] + f"#{copy}"))
        size += base_size
    return pd.concat(copies, ignore_index=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=40.0, help="corpus size to build (default 40)")
    options = parser.parse_args(argv)

    tokenizer = get_tokenizer()
    corpus = build_corpus(options.megabytes)
    print(f"corpus: {len(corpus)} documents, {megabytes(corpus['text_clean']):.1f} MB UTF-8; peak RSS so far {peak_rss_gb():.2f} GB")

    started = time.perf_counter()
    tokens = tokenize(corpus, tokenizer=tokenizer, cache=False, boilerplate=True)
    table_gb = tokens.memory_usage(deep=True).sum() / 1e9
    print(f"tokenize        : {time.perf_counter() - started:7.1f} s, peak RSS {peak_rss_gb():.2f} GB; token table {len(tokens)} rows, {table_gb:.2f} GB")
    for name, run in [
        ("term_frequency", lambda: term_frequency(tokens)),
        ("build_dtm tfidf", lambda: build_dtm(tokens, weighting="tfidf", min_df=2)),
        ("cooccurrence", lambda: cooccurrence(tokens, context="sentence", n=200)),
    ]:
        started = time.perf_counter()
        run()
        print(f"{name:16}: {time.perf_counter() - started:7.1f} s, peak RSS {peak_rss_gb():.2f} GB")
    peak = peak_rss_gb()
    print(f"peak RSS overall: {peak:.2f} GB  (goal < {GOAL_GB:.0f} GB: {'met' if peak < GOAL_GB else 'NOT met'})")


if __name__ == "__main__":
    main()
