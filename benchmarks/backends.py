"""The rjieba (jieba-rs) backend: speed and agreement with jieba.

On both development corpora, cleaned, times plain ``jieba.lcut`` (stock
global dictionary), ``tokenize`` with the jieba backend and ``tokenize`` with
``backend="rjieba"`` (cache off, one core, interleaved, best of ``--runs``).
Then compares the two backends' token tables (default filtering) token by
token, by document and offsets, and lists every residual difference (goal:
fewer than 1 token in 10,000; rjieba at least 4x plain jieba).

Usage::

    .venv/bin/python benchmarks/backends.py [--runs 3] [--show 20]
"""

from __future__ import annotations

import argparse

import jieba
import pandas as pd
from _corpora import CORPORA, best_times, load_cleaned, megabytes

from analysis.tokens import get_tokenizer, tokenize


def differences(reference: pd.DataFrame, other: pd.DataFrame) -> pd.DataFrame:
    merged = reference.merge(other, how="outer", on=["doc_id", "start", "end", "token"], indicator=True)
    differing = merged[merged["_merge"] != "both"]
    return differing.assign(only_in=differing["_merge"].map({"left_only": "jieba", "right_only": "rjieba"}))[
        ["doc_id", "start", "end", "token", "only_in"]
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs per segmenter, interleaved; the best counts (default 3)")
    parser.add_argument("--show", type=int, default=20, help="differences to list (default 20)")
    options = parser.parse_args(argv)

    corpus = pd.concat([load_cleaned(name) for name in CORPORA], ignore_index=True)
    texts = corpus["text_clean"].tolist()
    size = megabytes(texts)
    tokenizer = get_tokenizer()
    jieba.lcut(texts[0])
    tokenize(corpus.head(1), tokenizer=tokenizer, cache=False, backend="rjieba")  # builds the jieba-rs dictionary

    best = best_times(
        {
            "jieba.lcut (stock dict)": lambda: [jieba.lcut(text) for text in texts],
            "tokenize backend=jieba": lambda: tokenize(corpus, tokenizer=tokenizer, cache=False),
            "tokenize backend=rjieba": lambda: tokenize(corpus, tokenizer=tokenizer, cache=False, backend="rjieba"),
        },
        options.runs,
    )
    print(f"corpus: both development corpora, {len(texts)} documents, {size:.2f} MB UTF-8 (cleaned), best of {options.runs}")
    for name, seconds in best.items():
        print(f"{name:25}: {seconds:7.3f} s  {size / seconds:7.3f} MB/s")
    speedup = best["jieba.lcut (stock dict)"] / best["tokenize backend=rjieba"]
    print(f"rjieba tokenize / plain jieba.lcut: {speedup:.2f}x faster  (goal >= 4x)")

    reference = tokenize(corpus, tokenizer=tokenizer, cache=False)
    fast = tokenize(corpus, tokenizer=tokenizer, cache=False, backend="rjieba")
    differing = differences(reference, fast)
    rate = len(differing) / len(reference) * 10_000
    print(f"tokens (jieba backend, default filtering): {len(reference)}; differing rows: {len(differing)} = {rate:.3f} per 10,000 (goal < 1)")
    if len(differing):
        print(differing.head(options.show).to_string(index=False))

    raw_reference = tokenize(corpus, tokenizer=tokenizer, cache=False, stopwords=None, drop_punct=False, drop_numbers=False)
    raw_fast = tokenize(corpus, tokenizer=tokenizer, cache=False, stopwords=None, drop_punct=False, drop_numbers=False, backend="rjieba")
    raw_differing = differences(raw_reference, raw_fast)
    print(f"without any filtering: {len(raw_reference)} tokens, {len(raw_differing)} differing rows; first ones:")
    if len(raw_differing):
        print(raw_differing.head(options.show).to_string(index=False))


if __name__ == "__main__":
    main()
