"""Tests for analysis.discovery.table: the formula detector's ranking in the combined table."""

from __future__ import annotations

import pandas as pd

from analysis.discovery import NUMBERED_WEIGHT, discover

EMPTY = pd.DataFrame(columns=["id", "canonical", "aliases", "components"])


def corpus(late: list[str], n_old: int = 6) -> pd.DataFrame:
    years = range(2000, 2000 + n_old + len(late))
    texts = ["要发展经济，改善人民生活。"] * n_old + late
    return pd.DataFrame({"doc_id": [f"r{y}" for y in years], "text_clean": texts,
                         "date": pd.to_datetime([f"{y}-03-05" for y in years])})  # fmt: skip


def test_numbered_formulas_rank_above_quoted_one_offs():
    # The quoted one-off is printed more often, the numbered formula less: by growth and
    # occurrences alone the one-off would come first.
    late = [
        "落实“三严三实”。加强“形象工程”治理，整治“形象工程”，清理“形象工程”。",
        "坚持“三严三实”。防止“形象工程”，不搞“形象工程”，反对“形象工程”。",
    ]
    table = discover(corpus(late), lexicon=EMPTY, detectors=["formula"])
    order = table["candidate"].tolist()
    counts = dict(zip(table["candidate"], table["count"]))
    assert counts["形象工程"] > counts["三严三实"]
    assert order.index("三严三实") < order.index("形象工程")
    assert NUMBERED_WEIGHT > 0
