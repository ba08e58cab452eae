"""Tests for analysis.discovery.selection: which rising phrases are candidates, the same on every run."""

from __future__ import annotations

import pandas as pd

from analysis.discovery.selection import GenericFilter, select_candidates

TEXT = "推进蓝色海湾，蓝色海湾建设。"


class Key(str):
    """A phrase whose hash is set: a set of such phrases iterates in the order the hashes give
    it, as a set of plain strings does in the order PYTHONHASHSEED gives it."""

    def __new__(cls, text: str, hashed: int):
        key = super().__new__(cls, text)
        key.hashed = hashed
        return key

    def __hash__(self) -> int:
        return self.hashed

    __eq__ = str.__eq__


def candidates(first_hash: int, second_hash: int) -> list[tuple[str, float]]:
    # 蓝色海湾 lies inside two kept phrases of one length: 推进蓝色海湾 (a verb in front: it
    # gives way to 蓝色海湾) and 蓝色海湾建设 (it does not).
    found = pd.DataFrame(
        {
            # object dtype: the phrases stay themselves, with their hashes
            "key": pd.Series([Key("蓝色海湾建设", first_hash), Key("推进蓝色海湾", second_hash), "蓝色海湾"], dtype=object),
            "score": [3.0, 2.0, 1.0],
            "count": [4, 4, 8],
            "quoted": [0.0, 0.0, 0.0],
            "spans": [[(7, 13)], [(0, 6)], [(2, 6), (7, 11)]],
            "joined": [False, False, False],
        }
    )
    kept = select_candidates(found, GenericFilter(), TEXT, n=None, generic=False, fragments={})
    return [(str(row.key), row.score) for row in kept]


def test_a_tie_between_holders_goes_by_their_text_not_by_set_order():
    # Either order of the two holders in a set gives the same candidates: the first holder by
    # its text (推进蓝色海湾) gives way to 蓝色海湾, which takes its rank.
    assert candidates(1, 2) == candidates(2, 1) == [("蓝色海湾建设", 3.0), ("蓝色海湾", 2.0)]
