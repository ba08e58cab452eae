"""Whole report on the 2022 CCTV news, cold and cached.

Runs ``python -m analysis.report /work/shared/corpora/cctv_news_2022.jsonl
--output <temporary folder>`` twice in a subprocess with ``ANALYSIS_CACHE_DIR``
set to a fresh temporary folder: the first run starts from an empty cache
(jieba's dictionary cache, the segment cache and the notebook cache), the
second finds every notebook's executed copy and outputs in the notebook cache
and reuses them instead of running the notebook. Prints both wall times and
their ratio (goal: cached at most 40% of cold), and checks that the two
reports are byte-identical apart from the per-notebook ``cached`` flag in
``manifest.json``. ``--repeat`` runs the cold/cached pair several times and
keeps the best of each.

Prints each notebook's time in both runs (from the report's progress
lines), then, in a child process with another fresh cache folder, times the
stages every notebook repeats (building the tokenizer, loading and cleaning
the corpus, tokenize cold and cached) to show where the rest of the time
goes.

Usage::

    .venv/bin/python benchmarks/cache.py [--repeat 1] [--corpus PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _corpora import corpus_path

CORPUS_NAME = "cctv_news_2022.jsonl"
GOAL_RATIO = 0.40


def run_report(corpus: Path, output: Path, cache_dir: Path) -> tuple[float, list[str]]:
    """Wall time of one report run and its per-notebook progress lines."""
    environment = {**os.environ, "ANALYSIS_CACHE_DIR": str(cache_dir)}
    command = [sys.executable, "-m", "analysis.report", str(corpus), "--output", str(output)]
    started = time.perf_counter()
    result = subprocess.run(command, env=environment, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"report failed (exit {result.returncode}):\n{result.stderr[-3000:]}")
    notebooks = [
        line.strip() for line in result.stderr.splitlines() if "done in" in line or "reused from cache" in line
    ]
    return seconds, notebooks


def differences(cold: Path, cached: Path) -> list[str]:
    """Files that differ between two reports, ignoring only the manifest's per-notebook ``cached`` flags."""

    def snapshot(folder: Path) -> dict[str, bytes]:
        return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}

    def manifest_without_flags(data: bytes) -> dict:
        manifest = json.loads(data)
        for notebook in manifest.get("notebooks", []):
            notebook.pop("cached", None)
        return manifest

    first, second = snapshot(cold), snapshot(cached)
    changed = sorted(set(first) ^ set(second))
    for name in sorted(set(first) & set(second)):
        if name == "manifest.json":
            if manifest_without_flags(first[name]) != manifest_without_flags(second[name]):
                changed.append(name)
        elif first[name] != second[name]:
            changed.append(name)
    return changed


def stage_times(corpus: Path) -> None:
    """Run in a child process whose ANALYSIS_CACHE_DIR is an empty folder."""
    from analysis.corpus import load_corpus
    from analysis.tokens import get_tokenizer, tokenize

    started = time.perf_counter()
    tokenizer = get_tokenizer()
    print(f"  building the tokenizer (cold jieba cache): {time.perf_counter() - started:6.2f} s")
    started = time.perf_counter()
    documents = load_corpus(corpus)
    print(f"  load_corpus (read + clean)               : {time.perf_counter() - started:6.2f} s")
    for label in ("tokenize, cold cache", "tokenize, warm cache"):
        started = time.perf_counter()
        tokenize(documents, tokenizer=tokenizer)
        print(f"  {label:41}: {time.perf_counter() - started:6.2f} s", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="cold/cached pairs to run; the best of each counts (default 1)")
    parser.add_argument("--corpus", type=Path, help=f"corpus to report on (default: the shared {CORPUS_NAME})")
    parser.add_argument("--stages", action="store_true", help=argparse.SUPPRESS)  # the child process of the stage timings
    options = parser.parse_args(argv)
    corpus = options.corpus or corpus_path(CORPUS_NAME)
    if options.stages:
        stage_times(corpus)
        return

    cold_times, cached_times = [], []
    with tempfile.TemporaryDirectory(prefix="analysis-cache-benchmark-") as scratch:
        scratch = Path(scratch)
        for attempt in range(options.repeat):
            cache_dir = scratch / f"cache-{attempt}"
            cold, cold_notebooks = run_report(corpus, scratch / f"cold-{attempt}", cache_dir)
            cached, cached_notebooks = run_report(corpus, scratch / f"cached-{attempt}", cache_dir)
            cold_times.append(cold)
            cached_times.append(cached)
            print(f"run {attempt + 1}: cold {cold:6.1f} s, cached {cached:6.1f} s", flush=True)
            for cold_line, cached_line in zip(cold_notebooks, cached_notebooks):
                print(f"  cold: {cold_line:55} cached: {cached_line.split('… ')[-1].strip()}")
            changed = differences(scratch / f"cold-{attempt}", scratch / f"cached-{attempt}")
            print(f"  reports identical apart from the cached flags: {'yes' if not changed else 'NO: ' + ', '.join(changed)}")
        cold, cached = min(cold_times), min(cached_times)
        print(f"report on {corpus.name}: cold {cold:.1f} s, cached {cached:.1f} s")
        print(f"ratio cached / cold: {cached / cold:.2f}  (goal <= {GOAL_RATIO:.2f})")
        print("stages in one process (fresh cache folder):", flush=True)
        environment = {**os.environ, "ANALYSIS_CACHE_DIR": str(scratch / "stages-cache")}
        subprocess.run([sys.executable, __file__, "--stages", "--corpus", str(corpus)], env=environment, check=True)


if __name__ == "__main__":
    main()
