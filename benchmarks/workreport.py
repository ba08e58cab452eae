"""Time of reading the government work reports: sections and targets.

Loads ``gov_work_reports.jsonl`` (72 documents, 1954-2025) from
``analysis.config.SHARED_CORPORA_DIR`` with ``analysis.corpus.load_corpus``
and times, on one core, ``analysis.workreport.sections`` and
``analysis.workreport.extract_targets`` (which splits the sections again
unless given them), best of ``--runs`` interleaved runs because the machine
is shared. The goal is seconds for the whole corpus.

Usage::

    .venv/bin/python benchmarks/workreport.py [--runs 3]
"""

from __future__ import annotations

import argparse

from _corpora import best_times, corpus_path, megabytes

from analysis.corpus import load_corpus
from analysis.workreport import extract_targets, sections


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs per function, interleaved; the best counts (default 3)")
    options = parser.parse_args(argv)
    if options.runs < 1:
        parser.error("--runs must be at least 1")
    corpus = load_corpus(corpus_path("gov_work_reports.jsonl"))
    size = megabytes(corpus["text_clean"])
    best = best_times(
        {
            "sections": lambda: sections(corpus),
            "extract_targets": lambda: extract_targets(corpus),
        },
        options.runs,
    )
    targets = extract_targets(corpus)
    print(f"{len(corpus)} documents, {size:.2f} MB of text_clean; best of {options.runs} interleaved runs, one core")
    for name, seconds in best.items():
        print(f"{name:<16} {seconds:8.3f} s  {size / seconds:8.1f} MB/s")
    valued = targets[targets["low"].notna()]
    print(f"{len(valued)} targets with a value in {valued['doc_id'].nunique()} documents ({len(targets)} rows)")


if __name__ == "__main__":
    main()
