"""Discovery recall and precision on the government work reports, per detector.

The lexicon entries first used after ``--after`` (2012) are hidden: those whose
``introduced_date`` is later (an entry without a verified first use is never
"first used after"; with ``--attested`` the earliest work report that prints
one of its forms stands in for an empty date, which hides about four times as
many entries, more than a top 30 can hold). Each detector of
``analysis.discovery.discover`` runs on the reports with the rest of the
lexicon and its top ``--top`` (30) candidates are scored:

- recall: hidden entries (among those the reports print at all) that a top
  candidate proposes. A candidate proposes an entry when it equals one of the
  entry's surface forms, or one contains the other and the shorter has at least
  60 % of the longer's characters (新质生产力 for 发展新质生产力);
- reachable: hidden entries that the detector proposes anywhere in its full
  list, at any rank: the ceiling of its recall (the formula detector sees only
  what the reports quote or number);
- precision: top candidates judged ``slogan`` in
  ``tests/data/discovery_judgements.csv`` (candidate, judgement, reason), where
  a candidate that proposes a hidden entry counts as a slogan. Candidates not
  judged yet are printed and count as not slogans.

The phrase detector's form prior is fitted here on the visible lexicon and the
reports up to ``--after`` only (``analysis.discovery.fit_form_prior``), so that
nothing it learns comes from the hidden entries or the years they were coined in;
``--prior inside`` lets ``discover`` learn it from the whole corpus instead, and
``--prior none`` ranks without it.

The phrase detector's speed on the 5,508 CCTV news items of 2022 (by month,
alone and with the work reports as ``reference``) is printed too, with its
first candidates, when that corpus is present.

Usage::

    .venv/bin/python benchmarks/discovery.py [--after 2012] [--top 30] [--prior early|inside|none]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
import warnings

import pandas as pd

from analysis import config
from analysis.corpus import load_corpus
from analysis.discovery import DETECTORS, discover, discover_phrases, fit_form_prior
from analysis.lexicon import load_lexicon

JUDGEMENTS = config.PROJECT_ROOT / "tests" / "data" / "discovery_judgements.csv"
_SEPARATORS = re.compile(r"[、，,；;“”‘’「」\s]+")


def _forms(row) -> list[str]:
    forms = [row.canonical, *row.aliases]
    return list(dict.fromkeys(forms + [_SEPARATORS.sub("", form) for form in forms]))


def proposes(candidate: str, form: str) -> bool:
    candidate = _SEPARATORS.sub("", candidate)
    if candidate == form:
        return True
    shorter, longer = sorted((candidate, form), key=len)
    return len(shorter) >= 3 and shorter in longer and len(shorter) >= 0.6 * len(longer)


def first_use(lexicon: pd.DataFrame, reports: pd.DataFrame, *, attested: bool) -> dict[str, int | None]:
    years = pd.to_datetime(reports["date"]).dt.year.tolist()
    texts = reports["text_clean"].tolist()
    first = {}
    for row in lexicon.itertuples():
        printed = [y for y, t in zip(years, texts) if any(f in t for f in _forms(row))]
        if row.introduced_date:
            first[row.id] = int(row.introduced_date[:4])
        else:
            first[row.id] = min(printed) if printed and attested else None
    return first


def read_judgements() -> dict[str, str]:
    if not JUDGEMENTS.exists():
        return {}
    with JUDGEMENTS.open(encoding="utf-8", newline="") as handle:
        return {row["candidate"]: row["judgement"] for row in csv.DictReader(handle)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--after", type=int, default=2012, help="hide entries first used after this year")
    parser.add_argument("--top", type=int, default=30, help="candidates per detector to score")
    parser.add_argument("--attested", action="store_true", help="undated entries count from their earliest report")
    parser.add_argument("--prior", choices=("early", "inside", "none"), default="early",
                        help="form prior fitted on the reports up to --after (early), on all of them, or none")
    options = parser.parse_args(argv)
    path = config.SHARED_CORPORA_DIR / "gov_work_reports.jsonl"
    if not path.exists():
        sys.exit(f"benchmark corpus not found: {path}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reports = load_corpus(path)
    lexicon = load_lexicon()
    first = first_use(lexicon, reports, attested=options.attested)
    texts = "\n".join(reports["text_clean"])
    hidden = lexicon[[first[i] is not None and first[i] > options.after for i in lexicon["id"]]]
    printed = hidden[[any(f in texts for f in _forms(row)) for row in hidden.itertuples()]]
    known = lexicon[~lexicon["id"].isin(hidden["id"])]
    judgements = read_judgements()
    print(f"work reports: {len(reports)} documents; lexicon {len(lexicon)} entries, "
          f"{len(hidden)} first used after {options.after}, {len(printed)} of them printed in the reports")
    prior = {"inside": True, "none": False}.get(options.prior)
    if options.prior == "early":
        early = reports[pd.to_datetime(reports["date"]).dt.year <= options.after]
        prior = fit_form_prior(early, lexicon=known)
        print(f"form prior fitted on {len(early)} reports up to {options.after}: {prior}")
    print(f"{'detector':<9} {'recall':>14} {'reachable':>10} {'precision':>14} {'unjudged':>9} {'seconds':>8}")
    for detector in DETECTORS:
        start = time.perf_counter()
        full = discover(reports, lexicon=known, detectors=[detector], prior=prior)
        seconds = time.perf_counter() - start
        table = full.head(options.top)
        reachable = {row.id for row in printed.itertuples()
                     if any(proposes(c, f) for c in full["candidate"] for f in _forms(row))}  # fmt: skip
        found = {row.id for row in printed.itertuples()
                 if any(proposes(c, f) for c in table["candidate"] for f in _forms(row))}  # fmt: skip
        good = unjudged = 0
        for candidate in table["candidate"]:
            if any(proposes(candidate, f) for row in printed.itertuples() for f in _forms(row)):
                good += 1
            elif candidate in judgements:
                good += judgements[candidate] == "slogan"
            else:
                unjudged += 1
                print(f"  unjudged ({detector}): {candidate}")
        n = max(len(table), 1)
        print(f"{detector:<9} {len(found):>4}/{len(printed):<3} {len(found) / max(len(printed), 1):>5.2f} "
              f"{len(reachable):>10} {good:>4}/{len(table):<3} {good / n:>5.2f} {unjudged:>9} {seconds:>8.1f}")
        missed = sorted(set(printed["canonical"]) - set(printed[printed["id"].isin(found)]["canonical"]))
        unreachable = set(printed["canonical"]) - set(printed[printed["id"].isin(reachable)]["canonical"])
        print(f"  missed: {'、'.join(m + ('*' if m in unreachable else '') for m in missed)}  (* never proposed at any rank)")
    news_path = config.SHARED_CORPORA_DIR / "cctv_news_2022.jsonl"
    if news_path.exists():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            news = load_corpus(news_path)
        for label, background in (("alone", None), ("reference: work reports", reports)):
            start = time.perf_counter()
            table = discover_phrases(news, lexicon=lexicon, period="month", reference=background)
            seconds = time.perf_counter() - start
            print(f"cctv news 2022 ({len(news)} items, by month, {label}): {len(table)} phrase candidates "
                  f"in {seconds:.1f} s; first {options.top // 3}: {'、'.join(table['candidate'].head(options.top // 3))}")


if __name__ == "__main__":
    main()
