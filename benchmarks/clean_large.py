"""Cleaning time against document size: checks clean_text is linear, with no catastrophic backtracking.

Times ``analysis.clean.clean_text`` on synthetic single-line documents
(policy prose with full-width digits, quotes, HTML tags and entities) of
growing size, and on adversarial inputs that make a backtracking regex
quadratic: unclosed HTML comments and tags, runs of unclosed markdown
links, brackets, quotes, backslashes. For a linear cleaner the time per MB
stays flat as the size grows (the ratio column stays near 1). Runs are
interleaved and the best of ``--runs`` counts.

Usage::

    .venv/bin/python benchmarks/clean_large.py [--runs 3] [--max-mb 50]
"""

from __future__ import annotations

import argparse

from _corpora import best_times

from analysis.clean import clean_text

PROSE = "坚持稳中求进工作总基调，落实“六稳”“六保”任务，１９５５年 <b>控保稳进抬扛</b>&amp;。 "
ADVERSARIAL = {
    "unclosed <!--": "<!--中",
    "unclosed <p": "<p 中文",
    "unclosed <script": "<script>中",
    "unclosed links": "[中](http://",
    "unclosed [": "[中文",
    "straight quotes": '"中',
    "backslashes": "\\中",
    "entities": "&abc中",
    "ideographic spaces": "中\u3000",
    "bylines": "。 记者 张三",
}


def repeat_to(unit: str, megabytes: float) -> str:
    return unit * max(1, int(megabytes * 1e6 / len(unit.encode("utf-8"))))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs, interleaved; the best counts (default 3)")
    parser.add_argument("--max-mb", type=float, default=50.0, help="largest prose document in MB (default 50)")
    args = parser.parse_args(argv)

    sizes = [size for size in (1.0, 5.0, 25.0, 50.0) if size <= args.max_mb] or [args.max_mb]
    documents = {f"{size:g} MB prose": repeat_to(PROSE, size) for size in sizes}
    times = best_times({name: (lambda text=text: clean_text(text)) for name, text in documents.items()}, runs=args.runs)
    print(f"{'single-line document':24s} {'seconds':>8s} {'s/MB':>7s}")
    for (name, seconds), size in zip(times.items(), sizes):
        print(f"{name:24s} {seconds:8.2f} {seconds / size:7.3f}")

    print(f"\n{'adversarial (0.25 vs 1 MB)':28s} {'0.25 MB':>8s} {'1 MB':>8s} {'ratio/4':>8s}")
    for name, unit in ADVERSARIAL.items():
        small, large = repeat_to(unit, 0.25), repeat_to(unit, 1.0)
        pair = best_times({"small": lambda: clean_text(small), "large": lambda: clean_text(large)}, runs=args.runs)
        print(f"{name:28s} {pair['small']:8.3f} {pair['large']:8.3f} {pair['large'] / max(pair['small'], 1e-6) / 4:8.2f}")


if __name__ == "__main__":
    main()
