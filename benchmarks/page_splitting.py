"""False splits of the page splitter on one-article files, and the seed page it must still split.

``clean.split_articles`` is on by default for folders of .txt files, where a
file may be a whole newspaper page (several articles) or one article with
subheadings. This script writes nothing: it builds one-article "files" in
memory as a crawler saves them (title line, blank line, text) from the
development corpora in ``analysis.config.SHARED_CORPORA_DIR`` and counts how
many ``split_articles`` cuts into more than one article:

- the 72 government work reports (long, with numbered and unnumbered
  section headings, paragraphs that open with quotes and dates);
- the CCTV 2022 items, leaving out the news-in-brief bulletins (titles with
  快讯 or 联播), which really are several items on one page.

It also prints the number of articles found on the seed page (three).

Usage::

    .venv/bin/python benchmarks/page_splitting.py [--limit 2000]
"""

from __future__ import annotations

import argparse
import json

from _corpora import corpus_path

from analysis import clean, config


def one_article_files(name: str, text_key: str, limit: int | None) -> list[tuple[str, str]]:
    files = []
    with corpus_path(name).open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            title = (record.get("title") or "").strip()
            if not title or "快讯" in title or "联播" in title:
                continue
            files.append((title, f"{title}\n\n{record[text_key]}"))
            if limit is not None and len(files) >= limit:
                break
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="at most this many CCTV items")
    arguments = parser.parse_args()
    seed = (config.SEEDS_DIR / "000_fb9efe5851bc9182.txt").read_text(encoding="utf-8")
    print(f"seed page: {len(clean.split_articles(seed))} articles (expected 3)")
    for name, text_key, limit in (
        ("gov_work_reports.jsonl", "content", None),
        ("cctv_news_2022.jsonl", "text", arguments.limit),
    ):
        files = one_article_files(name, text_key, limit)
        split = [title for title, page in files if len(clean.split_articles(page)) > 1]
        print(f"{name}: {len(split)} of {len(files)} one-article files split ({len(split) / len(files):.2%})")
        for title in split[:5]:
            print(f"    e.g. {title}")


if __name__ == "__main__":
    main()
