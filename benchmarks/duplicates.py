"""Near-duplicate detection time against corpus size: checks find_duplicates scales linearly.

Builds corpora of 1x, 2x and 4x the cleaned CCTV 2022 news items (from
``analysis.config.SHARED_CORPORA_DIR``); each copy after the first changes
one character in every 50 of each item, so the copies are near duplicates
(Jaccard of 5-gram shingles around 0.8) rather than exact ones. Prints the
time, the time per 1,000 documents and the duplicates found at threshold
0.7. A quadratic method would show the time per 1,000 documents growing
with the corpus. Runs are interleaved and the best of ``--runs`` counts.

Usage::

    .venv/bin/python benchmarks/duplicates.py [--runs 2]
"""

from __future__ import annotations

import argparse

import pandas as pd
from _corpora import best_times, load_cleaned

from analysis.corpus import find_duplicates


def perturbed(text: str, copy: int) -> str:
    chars = list(text)
    for position in range(copy % 50, len(chars), 50):
        chars[position] = "〇"
    return "".join(chars)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2, help="timed runs, interleaved; the best counts (default 2)")
    args = parser.parse_args(argv)

    base = load_cleaned("cctv_news_2022.jsonl")
    corpora = {}
    for copies in (1, 2, 4):
        frames = [base]
        for copy in range(1, copies):
            frames.append(
                pd.DataFrame(
                    {
                        "doc_id": base["doc_id"] + f"-copy{copy}",
                        "text_clean": [perturbed(text, copy) for text in base["text_clean"]],
                    }
                )
            )
        corpora[copies] = pd.concat(frames, ignore_index=True)
    times = best_times(
        {copies: (lambda corpus=corpus: find_duplicates(corpus, threshold=0.7)) for copies, corpus in corpora.items()},
        runs=args.runs,
    )
    print(f"{'documents':>10s} {'seconds':>8s} {'s/1000 docs':>12s} {'duplicates':>11s}")
    for copies, corpus in corpora.items():
        found = find_duplicates(corpus, threshold=0.7)
        print(f"{len(corpus):10d} {times[copies]:8.2f} {times[copies] / len(corpus) * 1000:12.3f} {len(found):11d}")


if __name__ == "__main__":
    main()
