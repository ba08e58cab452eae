"""Text reuse detection time and peak memory on about 10,000 documents.

The local side is every CCTV 2022 news item plus the second half of each item
as a document of its own (a shorter reprint), cut to 10,000 documents with
the 72 government work reports as the central side; both are loaded with
:func:`analysis.corpus.load_corpus` from ``analysis.config.SHARED_CORPORA_DIR``.
Prints the time of :func:`analysis.diffusion.find_reuse` (best of ``--runs``),
then of the per-document shares, the passages found, and the process's peak
resident memory. Aim: under 60 s and under 2 GB.

Usage::

    .venv/bin/python benchmarks/diffusion.py [--runs 2]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import warnings

from _corpora import best_times, corpus_path

from analysis import diffusion
from analysis.corpus import combine_corpora, load_corpus

TOTAL_DOCUMENTS = 10_000


def peak_rss_gb() -> float:
    # ru_maxrss is in kilobytes on Linux and in bytes on macOS.
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 1e9


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2, help="timed runs; the best counts (default 2)")
    args = parser.parse_args(argv)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the loaders' notes on skipped stubs are not what is measured
        central = load_corpus(corpus_path("gov_work_reports.jsonl"), level="central")
        news = load_corpus(corpus_path("cctv_news_2022.jsonl"), level="central")
    halves = news.assign(
        doc_id=news["doc_id"] + "-half",
        text_clean=[text[len(text) // 2 :] for text in news["text_clean"]],
    )
    local = combine_corpora([news, halves]).head(TOTAL_DOCUMENTS - len(central))
    characters = int(local["text_clean"].str.len().sum() + central["text_clean"].str.len().sum())
    print(f"documents: {len(local):,} local + {len(central):,} central = {len(local) + len(central):,}; "
          f"{characters / 1e6:.2f} million characters")
    print(f"peak RSS after loading: {peak_rss_gb():.2f} GB")

    times = best_times({"find_reuse": lambda: diffusion.find_reuse(local, central)}, runs=args.runs)
    passages = diffusion.find_reuse(local, central)
    started = time.perf_counter()
    shares = diffusion.reuse_by_document(passages, local)
    share_seconds = time.perf_counter() - started
    print(f"find_reuse: {times['find_reuse']:.2f} s (best of {args.runs}); "
          f"{len(passages):,} passages of at least {diffusion.REUSE_MIN_CHARS} characters "
          f"in {int((shares['reused_chars'] > 0).sum()):,} local documents")
    print(f"reuse_by_document: {share_seconds:.2f} s")
    print(f"peak RSS: {peak_rss_gb():.2f} GB")


if __name__ == "__main__":
    main()
