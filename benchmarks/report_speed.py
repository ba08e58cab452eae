"""The whole report against the segmenter's own speed, and the token table's memory (issue 16).

For the CCTV development corpus and for a ~40 MB corpus built by repeating the
government work reports with edits (every copy's sentences reordered and
numbered, so no copy is a duplicate of another and no segment is cached),
prints, each measured in a fresh child process:

- ``segment``: loading and segmenting the corpus alone (2 jobs, rjieba, no cache);
- ``report --no-cache``: the whole report, wall time and time per notebook, with
  the aim of at most 1.5x the segmentation time plus 5 s a notebook; the
  notebooks run ``--notebook-jobs`` at a time (default: the report's own
  default, one per CPU up to 4) after the report segmented the corpus once,
  so a notebook's time includes waiting for a CPU;
- ``report cold``: the same with an empty cache folder (the segment and
  notebook caches are written);
- the token table's size (rows, MB) and peak RSS of load + tokenize +
  co-occurrence, against the size of a dense vocabulary x vocabulary
  co-occurrence count matrix of the same vocabulary (int64, how cntext-style
  dense counting holds it), aim at most 1/5. What is counted: the peak
  resident set of the one Python process that imports the package, loads the
  corpus (``load_corpus``), tokenizes it (2 jobs, rjieba, no cache,
  boilerplate stopwords) and counts sentence co-occurrence of the top 200
  terms, from ``getrusage(RUSAGE_SELF).ru_maxrss`` (interpreter, imported
  libraries and their shared code pages included). The two forked
  segmentation workers are separate processes and are not in that figure;
  their own peak (the largest of the two) is printed beside it. MB are 10^6
  bytes throughout;
- raw ``jieba.lcut`` over the same texts;
- slogan tagging in MB/s on one large document (aim >= 10 MB/s).

Usage::

    .venv/bin/python benchmarks/report_speed.py [--megabytes 40] [--skip-report] [--notebook-jobs N] [--only-cctv]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _corpora import corpus_path

HERE = Path(__file__).resolve().parent
NOTEBOOK_START_SECONDS = 5.0
GOAL_REPORT_RATIO = 1.5
GOAL_TAGGING_MBPS = 10.0
GOAL_DENSE_SHARE = 0.2


def build_repeated_reports(target_megabytes: float, folder: Path) -> Path:
    """Work reports repeated with edits until the corpus reaches ``target_megabytes`` of UTF-8."""
    records = [json.loads(line) for line in corpus_path("gov_work_reports.jsonl").open(encoding="utf-8")]
    base = sum(len(record["content"].encode("utf-8")) for record in records)
    copies = max(1, round(target_megabytes * 1e6 / base))
    path = folder / f"work_reports_x{copies}.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for copy in range(copies):
            for number, record in enumerate(records):
                sentences = re.split(r"(?<=。)", record["content"])
                # A rotation by the copy number: the same sentences, another document.
                shift = copy % max(len(sentences), 1)
                text = "".join(sentences[shift:] + sentences[:shift]) + f"\n（第{copy + 1}次重印，第{number + 1}篇）"
                out.write(json.dumps({"id": f"{copy}-{number}", "title": record["title"], "year": record["year"],
                                      "content": text}, ensure_ascii=False) + "\n")
    return path


def child(code: str, *arguments: str) -> dict:
    """Run ``code`` in a fresh interpreter; it prints one JSON line last. Adds the child's peak RSS."""
    result = subprocess.run(
        [sys.executable, "-c", code, *arguments], capture_output=True, text=True, cwd=HERE.parent,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    if result.returncode != 0:
        sys.exit(f"benchmark step failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


SEGMENT = """
import json, resource, sys, time
from analysis.corpus import load_corpus
from analysis.tokens import tokenize
started = time.perf_counter()
docs = load_corpus(sys.argv[1], progress=False)
loaded = time.perf_counter() - started
tokens = tokenize(docs, n_jobs=2, backend="rjieba", cache=False)
seconds = time.perf_counter() - started
print(json.dumps({"load": loaded, "seconds": seconds, "rows": len(tokens), "characters": int(docs["text_clean"].str.len().sum()),
                  "table_mb": tokens.memory_usage(deep=True).sum() / 1e6,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6}))
"""

COOCCURRENCE = """
import json, resource, sys, time
from analysis.corpus import load_corpus
from analysis.cooccurrence import cooccurrence
from analysis.tokens import tokenize
docs = load_corpus(sys.argv[1], progress=False)
tokens = tokenize(docs, n_jobs=2, backend="rjieba", cache=False, boilerplate=True)
started = time.perf_counter()
edges = cooccurrence(tokens, context="sentence", n=200)
vocabulary = tokens["token"].nunique()
documents = tokens["doc_id"].nunique()
print(json.dumps({"seconds": time.perf_counter() - started, "vocabulary": int(vocabulary), "documents": int(documents),
                  "dense_mb": vocabulary * vocabulary * 8 / 1e6,
                  # ru_maxrss is in KiB on Linux
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6,
                  "workers_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024 / 1e6}))
"""

RAW_JIEBA = """
import json, sys, time, jieba, logging
jieba.setLogLevel(logging.WARNING)
from analysis.corpus import load_corpus
texts = load_corpus(sys.argv[1], progress=False)["text_clean"].tolist()
jieba.initialize()
started = time.perf_counter()
count = sum(len(jieba.lcut(text)) for text in texts)
print(json.dumps({"seconds": time.perf_counter() - started, "tokens": count}))
"""

TAGGING = """
import json, sys, time
import pandas as pd
from analysis.corpus import load_corpus
from analysis.slogans import tag_slogans
texts = load_corpus(sys.argv[1], progress=False)["text_clean"].tolist()
text = "\\n".join(texts)[: 10_000_000]
corpus = pd.DataFrame({"doc_id": ["big"], "text_clean": [text]})
tag_slogans(corpus.assign(text_clean=text[:10_000]))  # compile the lexicon outside the timing
started = time.perf_counter()
mentions = tag_slogans(corpus)
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "megabytes": len(text.encode("utf-8")) / 1e6, "mentions": len(mentions)}))
"""


NOTEBOOK_JOBS: list[str] = []  # ["--notebook-jobs", "N"] when given
REPORT_TIMEOUT_SECONDS = 3600
"""A report run still going after this long is stopped, and what it reached is printed."""


def report(corpus: Path, cache_dir: Path, *extra: str) -> tuple[float, dict[str, float], str | None]:
    """Wall time, time per notebook and, for a run that failed or was stopped, why (else None)."""
    output = Path(tempfile.mkdtemp(prefix="report-speed-"))
    command = [sys.executable, "-m", "analysis.report", str(corpus), "--output", str(output / "r"),
               "--jobs", "2", "--backend", "rjieba", *NOTEBOOK_JOBS, *extra]
    started = time.perf_counter()
    problem = None
    try:
        result = subprocess.run(command, capture_output=True, text=True, cwd=HERE.parent, timeout=REPORT_TIMEOUT_SECONDS,
                                env={**os.environ, "ANALYSIS_CACHE_DIR": str(cache_dir)})
        stderr = result.stderr
        if result.returncode != 0:
            problem = f"exit status {result.returncode}: {stderr.strip().splitlines()[-1] if stderr.strip() else ''}"
    except subprocess.TimeoutExpired as stopped:
        stderr = stopped.stderr.decode("utf-8", "replace") if isinstance(stopped.stderr, bytes) else stopped.stderr or ""
        problem = f"stopped after {REPORT_TIMEOUT_SECONDS} s"
    seconds = time.perf_counter() - started
    shutil.rmtree(output, ignore_errors=True)
    notebooks = {}
    for line in stderr.splitlines():
        match = re.search(r"\] (\S+\.ipynb) … (?:done|reused from cache) in ([\d.]+) s", line)
        if match:
            notebooks[match.group(1)] = float(match.group(2))
        match = re.search(r"^Segmented [\d,]+ documents for the notebooks in ([\d.]+) s", line)
        if match:
            notebooks["(segmenting once, before the notebooks)"] = float(match.group(1))
    return seconds, notebooks, problem


def _reached(seconds: float, notebooks: dict[str, float], problem: str | None) -> str:
    if problem is None:
        return f"{seconds:6.1f} s"
    done = [name for name in notebooks if name.endswith(".ipynb")]
    return f"did not complete ({problem}) after {seconds:.1f} s; notebooks done: {', '.join(done) or 'none'}"


def bench(name: str, corpus: Path, *, skip_report: bool) -> None:
    size = corpus.stat().st_size / 1e6
    print(f"\n== {name}: {corpus.name}, {size:.1f} MB on disk")
    segment = child(SEGMENT, str(corpus))
    print(f"segment        : {segment['seconds']:6.1f} s (loading {segment['load']:.1f} s), peak RSS {segment['rss_mb']:.0f} MB")
    print(f"token table    : {segment['rows']:,} rows, {segment['table_mb']:.0f} MB "
          f"({segment['table_mb'] * 1e6 / max(segment['rows'], 1):.0f} bytes a token)")
    raw = child(RAW_JIEBA, str(corpus))
    print(f"raw jieba.lcut : {raw['seconds']:6.1f} s (one process, {raw['tokens']:,} tokens)")
    cooc = child(COOCCURRENCE, str(corpus))
    share = cooc["rss_mb"] / cooc["dense_mb"] if cooc["dense_mb"] else float("nan")
    print(f"load+tok+cooc  : peak RSS {cooc['rss_mb']:.0f} MB; a dense {cooc['vocabulary']:,} x {cooc['vocabulary']:,} "
          f"co-occurrence count matrix (int64, as dense counting holds it) is {cooc['dense_mb']:.0f} MB: "
          f"{share:.2f} of it (aim <= {GOAL_DENSE_SHARE}); each segmentation worker peaked at <= {cooc['workers_rss_mb']:.0f} MB")
    tagging = child(TAGGING, str(corpus))
    rate = tagging["megabytes"] / tagging["seconds"]
    print(f"tagging        : {rate:6.1f} MB/s on one {tagging['megabytes']:.1f} MB document (aim >= {GOAL_TAGGING_MBPS})")
    if skip_report:
        return
    with tempfile.TemporaryDirectory() as cache:
        no_cache, notebooks, problem = report(corpus, Path(cache), "--no-cache")
    ran = [name for name in notebooks if name.endswith(".ipynb")]
    budget = GOAL_REPORT_RATIO * segment["seconds"] + NOTEBOOK_START_SECONDS * len(ran)
    print(f"report --no-cache: {_reached(no_cache, notebooks, problem)} "
          f"(aim <= {budget:.0f} s = 1.5 x segment + 5 s x {len(ran)} notebooks), "
          f"{notebook_jobs()} notebooks at once, 2 segmentation jobs, rjieba")
    for notebook, seconds in notebooks.items():
        print(f"    {notebook:28} {seconds:6.1f} s")
    with tempfile.TemporaryDirectory() as cache:
        cold = report(corpus, Path(cache))
        cached = report(corpus, Path(cache))
    print(f"report cold    : {_reached(*cold)}; cached rerun {_reached(*cached)}")


def notebook_jobs() -> int:
    if NOTEBOOK_JOBS:
        return int(NOTEBOOK_JOBS[1])
    return int(child("import json; from analysis.report import default_notebook_jobs; print(json.dumps(default_notebook_jobs()))"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=40.0, help="size of the repeated work-report corpus")
    parser.add_argument("--skip-report", action="store_true", help="only the segmentation, memory and tagging figures")
    parser.add_argument("--notebook-jobs", type=int, help="notebooks the report runs at once (default: the report's)")
    parser.add_argument("--only-cctv", action="store_true", help="leave out the ~40 MB corpus")
    options = parser.parse_args(argv)
    if options.notebook_jobs is not None:
        NOTEBOOK_JOBS.extend(["--notebook-jobs", str(options.notebook_jobs)])
    bench("CCTV news 2022", corpus_path("cctv_news_2022.jsonl"), skip_report=options.skip_report)
    if options.only_cctv:
        return
    with tempfile.TemporaryDirectory() as folder:
        built = build_repeated_reports(options.megabytes, Path(folder))
        bench(f"work reports repeated to ~{options.megabytes:.0f} MB", built, skip_report=options.skip_report)


if __name__ == "__main__":
    main()
