"""The notebooks' own computing on a large corpus: wall and CPU seconds of every call of 01, 03, 04, 05.

The report with ``--no-cache`` segments the corpus once and then runs the
notebooks; what each notebook costs after that is its imports, reading the
corpus and the segments back, and its own counting. This script makes the same
calls as the notebooks (same arguments, the report's segmentation options and a
segment cache filled beforehand, as the report fills it), each notebook in a
fresh interpreter, and prints the time of every call, so the cost of a notebook
can be traced to a function. Figures are drawn (Agg) but not saved.

CPU seconds are the steadier figure on a shared machine; the load average is
printed before and after.

Usage::

    .venv/bin/python benchmarks/notebook_calls.py [--corpus FILE] [--megabytes 40] [--notebooks 01 03 04 05]

Without ``--corpus``, the work reports repeated with edits to ``--megabytes``
(as ``benchmarks/report_speed.py`` builds them) in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

SETUP = """
import sys
from analysis.corpus import load_corpus
from analysis.tokens import cache_segments
docs = load_corpus(sys.argv[1], cache=sys.argv[2], progress=False)
cache_segments(docs, options={"n_jobs": 2, "backend": "rjieba", "cache": sys.argv[3]})
"""

PRELUDE = """
import sys, time
import matplotlib
matplotlib.use("Agg")
TIMES = []
def T(label, call):
    cpu, wall = time.process_time(), time.perf_counter()
    result = call()
    TIMES.append((label, time.perf_counter() - wall, time.process_time() - cpu))
    return result
CORPUS, CORPORA, SEGMENTS = sys.argv[1:4]
segmentation = {"n_jobs": 2, "backend": "rjieba", "cache": SEGMENTS, "engine": "local", "scheduler": None}
top_n, random_state, period = 30, 0, "year"
"""

CALLS = {
    "01": """
T("import", lambda: __import__("analysis.report") and __import__("analysis.textplot") and __import__("analysis.corpus"))
from analysis import textplot
from analysis.corpus import corpus_summary, load_corpus, skipped
docs = T("load_corpus", lambda: load_corpus(CORPUS, cache=CORPORA))
T("corpus_summary + skipped", lambda: (corpus_summary(docs), skipped(docs)))
T("documents_over_time", lambda: textplot.documents_over_time(docs, period=period))
""",
    "03": """
T("import", lambda: [__import__(name) for name in ("analysis.report", "analysis.textplot", "analysis.textstat", "analysis.tokens")])
from analysis import textplot
from analysis.corpus import load_corpus, without_procedural
from analysis.textstat import collocations, keyness_latest_period, term_frequency
from analysis.tokens import content_tokens, load_stopwords, select_documents, tokenize
loaded = T("load_corpus", lambda: load_corpus(CORPUS, cache=CORPORA))
docs = without_procedural(loaded, exclude=True)
tokens = T("tokenize (segments from the cache)", lambda: select_documents(tokenize(loaded, options=segmentation), docs))
content = T("stopwords + content_tokens", lambda: content_tokens(tokens[~tokens["token"].isin(load_stopwords(boilerplate=True))], names=True))
frequencies = T("term_frequency", lambda: term_frequency(tokens))
T("term_frequency (content)", lambda: term_frequency(content))
T("term_frequency by period", lambda: term_frequency(content, by=period, corpus=docs))
T("keyness_latest_period", lambda: keyness_latest_period(content, docs, by=period))
T("collocations", lambda: collocations(content, min_count=3))
T("bar_terms", lambda: textplot.bar_terms(frequencies, n=top_n))
""",
    "04": """
T("import", lambda: [__import__(name) for name in ("analysis.report", "analysis.textplot", "analysis.topics", "analysis.tokens")])
from analysis.corpus import load_corpus, without_procedural
from analysis.tokens import content_tokens, select_documents, tokenize
from analysis.topics import best_n_topics, choose_n_topics, coherence, fit_topics, top_tfidf_terms, topic_dtm, topic_share
loaded = T("load_corpus", lambda: load_corpus(CORPUS, cache=CORPORA))
docs = without_procedural(loaded, exclude=True)
tokens = T("tokenize (segments from the cache)", lambda: select_documents(tokenize(loaded, boilerplate=True, options=segmentation), docs))
tokens = T("content_tokens", lambda: content_tokens(tokens))
dtm = T("topic_dtm", lambda: topic_dtm(tokens, max_terms=5000))
T("top_tfidf_terms", lambda: top_tfidf_terms(dtm, n=10))
sweep = T("choose_n_topics (6 NMF fits)", lambda: choose_n_topics(dtm, candidates=range(2, 13, 2), random_state=random_state))
model = T("fit_topics", lambda: fit_topics(dtm, n_topics=best_n_topics(sweep), method="nmf", random_state=random_state))
T("coherence", lambda: coherence(model, dtm))
T("topic_share", lambda: topic_share(model, docs, by=period))
""",
    "05": """
T("import", lambda: [__import__(name) for name in ("analysis.report", "analysis.textplot", "analysis.cooccurrence", "analysis.explore")])
from analysis.cooccurrence import compare_periods, cooccurrence, cooccurrence_network, count_cooccurrences, partners
from analysis.corpus import load_corpus
from analysis.explore import default_query
from analysis.textstat import term_frequency
from analysis.tokens import content_tokens, tokenize
docs = T("load_corpus", lambda: load_corpus(CORPUS, cache=CORPORA))
tokens = T("tokenize (segments from the cache)", lambda: tokenize(docs, boilerplate=True, options=segmentation))
tokens = T("content_tokens", lambda: content_tokens(tokens))
counts = T("count_cooccurrences", lambda: count_cooccurrences(tokens, context="sentence"))
edges = T("cooccurrence n=30 + n=150", lambda: (cooccurrence(counts, n=top_n, min_count=2), cooccurrence(counts, n=5 * top_n, min_count=3))[0])
T("cooccurrence_network", lambda: cooccurrence_network(edges, measure="npmi", top_edges=60))
T("term_frequency", lambda: term_frequency(tokens))
slogan = T("default_query (tags the corpus)", lambda: default_query(docs))
T("partners", lambda: partners(counts, slogan, min_count=2, measure="log_dice", missing="empty"))
T("compare_periods", lambda: compare_periods(tokens, docs, by=period, n=top_n, min_count=2))
""",
}

REPORT = """
import resource
for label, wall, cpu in TIMES:
    print(f"    {label:38} {wall:6.2f} s wall {cpu:6.2f} s CPU")
print(f"    {'total':38} {sum(t[1] for t in TIMES):6.2f} s wall {sum(t[2] for t in TIMES):6.2f} s CPU; "
      f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
"""


def run(code: str, *arguments: str) -> str:
    result = subprocess.run([sys.executable, "-c", code, *arguments], capture_output=True, text=True, cwd=HERE.parent,
                            env={**os.environ, "PYTHONWARNINGS": "ignore"})
    if result.returncode != 0:
        sys.exit(f"benchmark step failed:\n{result.stderr[-3000:]}")
    return result.stdout


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="a corpus file (default: the repeated work reports)")
    parser.add_argument("--megabytes", type=float, default=40.0, help="size of the repeated work-report corpus")
    parser.add_argument("--notebooks", nargs="+", default=sorted(CALLS), choices=sorted(CALLS))
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        corpus = options.corpus
        if corpus is None:
            sys.path.insert(0, str(HERE))
            from report_speed import build_repeated_reports

            corpus = build_repeated_reports(options.megabytes, folder)
        corpora, segments = str(folder / "corpora"), str(folder / "segments")
        print(f"{corpus.name}, {corpus.stat().st_size / 1e6:.1f} MB; load average before: {os.getloadavg()[0]:.2f}")
        run(SETUP, str(corpus), corpora, segments)
        for notebook in options.notebooks:
            print(f"{notebook}:")
            print(run(PRELUDE + CALLS[notebook] + REPORT, str(corpus), corpora, segments), end="")
        print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
