"""Tests for analysis.discovery.ngrams: the n-gram counter against a plain count, and the shape check it uses."""

from __future__ import annotations

import itertools
from collections import defaultdict

import numpy as np
import pytest

from analysis.discovery.ngrams import Joined, find_forms, rising_ngrams
from analysis.discovery.selection import formula_shaped, formula_shaped_at

REFERENCE = ["要推进新型城镇化，发展经济。", "坚持三严三实，推进改革。"]
CORPUS = [
    "今年要发展经济，改善人民生活。",
    "要发展经济，稳定物价水平。",
    "推进新型城镇化，落实“两学一做”。",
    "推进新型城镇化和乡村振兴，落实两学一做，坚持三严三实。",
    "落实两学一做，推进乡村振兴，外防输入、内防反弹。",
    "外防输入、内防反弹，推进乡村振兴和新型城镇化。",
]


def plain_counts(joined: Joined, n_reference: int, *, min_chars: int, max_chars: int, low: int, shaped_low: int):
    """Every n-gram counted by brute force: documents, uses and reference documents per string."""
    first_target = joined.starts[n_reference]
    table = {}
    for n in range(min_chars, max_chars + 1):
        ok = joined.spans(n)
        uses, ref_docs = defaultdict(list), defaultdict(set)
        for p in np.flatnonzero(ok):
            key = joined.compact[p : p + n]
            (uses[key].append(p) if p >= first_target else ref_docs[key].add(int(joined.doc[p])))
        for key, positions in uses.items():
            documents = len({int(joined.doc[p]) for p in positions})
            first = positions[0]
            need = shaped_low if formula_shaped(key) else low
            if documents >= need and not joined.bad_start[first] and not joined.bad_end[first + n - 1]:
                table[key] = (documents, len(positions), len(ref_docs[key]))
    return table


@pytest.mark.parametrize("n_reference", [0, 2])
def test_the_counter_counts_what_a_plain_count_does(n_reference):
    texts = REFERENCE[:n_reference] + CORPUS
    joined = Joined(texts, {"乡村振兴"})
    doc_period = np.array([-1] * n_reference + list(range(len(CORPUS))))
    found = rising_ngrams(
        joined, doc_period, np.ones(len(CORPUS), dtype=np.int64), n_reference, min_chars=2, max_chars=10,
        min_documents=3, min_history=1, keep_all=True, shaped=formula_shaped_at, min_shaped=2,
    )  # fmt: skip
    counted = {
        key: (documents, count, reference)
        for key, documents, count, reference in zip(
            joined.keys(found["first"], found["length"]), found["documents"], found["count"], found["reference_documents"]
        )
    }
    expected = plain_counts(joined, n_reference, min_chars=2, max_chars=10, low=3, shaped_low=2)
    assert counted == expected
    assert counted["两学一做"][0] == 3 and "乡村振兴" not in counted  # a shaped formula in few documents; a known one never
    if n_reference:
        assert counted["新型城镇化"][2] == 1 and counted["推进"][2] == 2


def test_the_shape_check_at_once_agrees_with_the_one_by_one():
    text = "三严三实两学一做十四五十五三去一降一补外防输入内防反弹群防群控二〇二一年一二三四五发展经济联防联控十一五"
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    for n in range(2, 12):
        firsts = np.arange(len(text) - n + 1)
        expected = [formula_shaped(text[f : f + n]) for f in firsts]
        assert formula_shaped_at(codes, firsts, n).tolist() == expected
    assert any(formula_shaped(text[i : i + 4]) for i in range(len(text) - 3))


def test_keys_read_the_ngrams_back_without_commas():
    joined = Joined(["碳达峰、碳中和是大事"], set())
    assert joined.keys([0, 3], [6, 3]) == ["碳达峰碳中和", "碳中和"]


def test_the_counter_spends_little_on_a_reference_that_shares_nothing():
    # The reference is looked at only where its shorter n-grams are frequent in the corpus: a
    # reference without the corpus's characters costs no more than its first length.
    joined = Joined(["甲乙丙丁" * 50] + CORPUS * 3, set())
    doc_period = np.array([-1] + list(range(len(CORPUS) * 3)))
    found = rising_ngrams(joined, doc_period, np.ones(len(CORPUS) * 3, dtype=np.int64), 1, min_chars=2, max_chars=6,
                          min_documents=3, min_history=1, keep_all=True)  # fmt: skip
    assert (found["reference_documents"] == 0).all()
    assert list(itertools.islice(found["length"].unique(), 2)) == [2, 3]


def test_every_use_of_every_form_is_found_at_once_as_str_find_finds_them():
    text = "发展发展发展，人工智能+制造。P科教兴国、科教兴国战略\n碳达峰、碳中和与碳达峰碳中和；国"
    forms = ["发展发展", "发展", "人工智能+", "科教兴国", "碳达峰、碳中和", "碳达峰碳中和", "国", "没有的", "略\n碳"]
    expected = []
    for i, form in enumerate(forms):
        start = text.find(form)
        while start != -1:
            expected.append((i, start))
            start = text.find(form, start + 1)
    form, start = find_forms(np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32), forms)
    assert list(zip(form.tolist(), start.tolist())) == expected
    assert find_forms(np.zeros(0, dtype=np.int64), forms)[0].size == 0


def test_the_words_before_known_forms_are_read_at_each_length():
    joined = Joined(["坚持科教兴国，深入实施科教兴国战略", "科教兴国、人才强国"], {"科教兴国"}, forms=["人才强国", "科教兴国"])
    # Documents are joined by a newline: the heads of a use that begins one reach into the last.
    assert joined.form_heads((2,)) == {"坚持", "实施", "略\n", "国、"}
    assert "深入实施" in joined.form_heads((2, 4))


def test_the_uses_of_forms_are_read_back_first_ones_first():
    joined = Joined(["坚持科教兴国，实施科教兴国战略", "科教兴国、人才强国"], {"科教兴国"}, forms=["人才强国", "科教兴国"])
    starts, ends, found = joined.form_uses(["人才强国", "没有的", "科教兴国"], limit=2)
    assert found.tolist() == [[True, False], [False, False], [True, True]]
    assert [joined.text[s:e] for s, e in zip(starts[found], ends[found])] == ["人才强国", "科教兴国", "科教兴国"]
    assert starts[2].tolist() == [2, 9]  # the first two of three uses
