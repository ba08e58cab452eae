"""Tests for analysis.cache: content keys, content-defined shards and atomic Parquet shards."""

from __future__ import annotations

import os
import time

import numpy as np
import pandas as pd
import pytest

from analysis import cache, config
from analysis.cache import SegmentStore, Segments, concat_segments, document_keys, namespace, resolve_folder, shard_bounds


def _segments(*documents: list[str], tags: bool = False) -> Segments:
    words: dict[str, int] = {}
    ids = [words.setdefault(word, len(words)) for document in documents for word in document]
    segments = Segments(list(words), np.asarray(ids, dtype=np.int32), np.asarray([len(d) for d in documents], dtype=np.int64))
    if tags:
        segments.tags = ["n", "v"]
        segments.tag_ids = np.asarray([i % 2 for i in range(len(ids))], dtype=np.int32)
    return segments


def _spelled(segments: Segments) -> list[list[str]]:
    flat = [segments.words[i] for i in segments.word_ids]
    bounds = np.concatenate(([0], np.cumsum(segments.counts)))
    return [flat[a:b] for a, b in zip(bounds[:-1], bounds[1:])]


def test_document_keys_hash_content_only():
    keys = document_keys(["六稳", "六保", "六稳", ""])
    assert keys[0] == keys[2] != keys[1]
    assert all(len(key) == 32 and int(key, 16) >= 0 for key in keys)
    assert document_keys(["六稳"]) == [keys[0]]


def test_shard_bounds_cover_every_document_in_order():
    keys = document_keys([f"第{i}篇" for i in range(500)])
    bounds = shard_bounds(keys, modulus=16, max_documents=40)
    assert bounds[0][0] == 0 and bounds[-1][1] == 500
    assert all(a < b for a, b in bounds)
    assert all(b == c for (_, b), (c, _) in zip(bounds[:-1], bounds[1:]))
    assert max(b - a for a, b in bounds) <= 40
    assert 500 / 40 <= len(bounds) <= 500 / 2
    assert shard_bounds([]) == []


def test_shard_boundaries_move_with_the_documents():
    texts = [f"第{i}篇" for i in range(400)]
    before = shard_bounds(document_keys(texts), modulus=8, max_documents=1000)
    keys_before = document_keys(texts)
    edited = texts[:100] + ["插入的一篇"] + texts[100:]
    keys_after = document_keys(edited)
    after = shard_bounds(keys_after, modulus=8, max_documents=1000)
    shards_before = {tuple(keys_before[a:b]) for a, b in before}
    shards_after = [tuple(keys_after[a:b]) for a, b in after]
    changed = [shard for shard in shards_after if shard not in shards_before]
    # An insertion touches the shard it lands in (or splits it in two), never the others.
    assert 1 <= len(changed) <= 2
    assert sum(len(shard) for shard in changed) < 40


def test_shard_bounds_rejects_bad_sizes():
    with pytest.raises(ValueError, match="positive"):
        shard_bounds(["0"], modulus=0)


def test_namespace_depends_on_every_setting():
    base = {"dictionary": "abc", "backend": "jieba", "hmm": True, "pos": False}
    names = {namespace(**base)} | {namespace(**{**base, key: value}) for key, value in [("dictionary", "abd"), ("backend", "rjieba"), ("hmm", False), ("pos", True)]}
    assert len(names) == 5
    assert namespace(**base) == namespace(**dict(reversed(list(base.items()))))


def test_resolve_folder(monkeypatch, tmp_path):
    monkeypatch.setattr(config, "CACHE_DIR", tmp_path)
    assert resolve_folder(True) == tmp_path / "segments"
    assert resolve_folder(False) is None and resolve_folder(None) is None
    assert resolve_folder(tmp_path / "x") == tmp_path / "x"
    assert resolve_folder("data/other") == config.PROJECT_ROOT / "data" / "other"
    with pytest.raises(TypeError, match="cache must be"):
        resolve_folder(1)


def test_concat_segments_merges_vocabularies():
    merged = concat_segments([_segments(["稳", "保"], ["保"]), _segments(["进", "稳"])])
    assert _spelled(merged) == [["稳", "保"], ["保"], ["进", "稳"]]
    assert sorted(merged.words) == ["保", "稳", "进"]
    with_tags = concat_segments([_segments(["稳"], tags=True), _segments(["保", "进"], tags=True)])
    assert [with_tags.tags[i] for i in with_tags.tag_ids] == ["n", "n", "v"]


@pytest.mark.parametrize("tags", [False, True])
def test_store_round_trip(tmp_path, tags):
    store = SegmentStore(tmp_path, {"dictionary": "abc"})
    keys = document_keys(["甲", "乙", "丙"])
    segments = _segments(["稳", "就业"], [], ["稳", "金融", "稳"], tags=tags)
    assert store.read(keys) is None
    store.write(keys, segments)
    loaded = store.read(keys)
    assert _spelled(loaded) == [["稳", "就业"], [], ["稳", "金融", "稳"]]
    assert loaded.counts.dtype == np.int64 and loaded.word_ids.dtype == np.int32
    if tags:
        assert loaded.tags == segments.tags and loaded.tag_ids.tolist() == segments.tag_ids.tolist()
    else:
        assert loaded.tags is None
    # Other documents, or the same documents in another order, are another shard.
    assert store.read(keys[::-1]) is None
    assert (store.folder / "settings.json").exists()
    assert [path.name for path in store.folder.iterdir() if path.name.startswith(cache.TEMP_PREFIX)] == []


def test_store_write_checks_the_number_of_keys(tmp_path):
    store = SegmentStore(tmp_path, {"dictionary": "abc"})
    with pytest.raises(ValueError, match="2 keys"):
        store.write(document_keys(["甲", "乙"]), _segments(["稳"]))


def test_truncated_or_foreign_shards_are_misses(tmp_path):
    store = SegmentStore(tmp_path, {"dictionary": "abc"})
    keys = document_keys(["甲", "乙"])
    store.write(keys, _segments(["稳"], ["保"]))
    path = store.shard_path(keys)
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    assert store.read(keys) is None
    path.write_bytes(b"")
    assert store.read(keys) is None
    # A shard whose rows belong to other documents (a hash collision, a copied file) is not trusted.
    other = document_keys(["丙", "丁"])
    store.write(other, _segments(["进"], ["抬"]))
    os.replace(store.shard_path(other), path)
    assert store.read(keys) is None
    store.write(keys, _segments(["稳"], ["保"]))
    assert _spelled(store.read(keys)) == [["稳"], ["保"]]


def test_stale_temporary_files_are_removed_fresh_ones_kept(tmp_path):
    store = SegmentStore(tmp_path, {"dictionary": "abc"})
    store.folder.mkdir(parents=True)
    stale = store.folder / f"{cache.TEMP_PREFIX}old.parquet"
    fresh = store.folder / f"{cache.TEMP_PREFIX}new.parquet"
    stale.write_bytes(b"PAR1")
    fresh.write_bytes(b"PAR1")
    an_hour_ago = time.time() - 2 * cache.STALE_TEMP_SECONDS
    os.utime(stale, (an_hour_ago, an_hour_ago))
    assert store.remove_stale_temporary_files() == 1
    assert not stale.exists() and fresh.exists()  # another run may still be writing it
    assert SegmentStore(tmp_path / "absent", {}).remove_stale_temporary_files() == 0


def test_interrupted_write_keeps_the_previous_shard(tmp_path, monkeypatch):
    store = SegmentStore(tmp_path, {"dictionary": "abc"})
    keys = document_keys(["甲"])
    store.write(keys, _segments(["稳"]))

    def killed(table, path, **kwargs):
        with open(path, "wb") as partial:
            partial.write(b"PAR1 partial")
        raise KeyboardInterrupt

    monkeypatch.setattr(cache.segments.pq, "write_table", killed)
    with pytest.raises(KeyboardInterrupt):
        store.write(keys, _segments(["保"]))
    assert _spelled(store.read(keys)) == [["稳"]]
    assert [path.name for path in store.folder.iterdir() if path.name.startswith(cache.TEMP_PREFIX)] == []


def test_spells_checks_every_document_boundary():
    segments = _segments(["稳", "就业"], [], ["保"])
    assert cache.spells(segments, ["稳就业", "", "保"])
    assert not cache.spells(segments, ["稳", "就业", "保"])  # same characters, other documents
    assert not cache.spells(segments, ["稳就业", "", "进"])
    assert not cache.spells(segments, ["稳就业", ""])


def test_shards_with_out_of_range_ids_or_bad_vocabularies_are_misses(tmp_path):
    store = SegmentStore(tmp_path, {"dictionary": "abc"})
    keys = document_keys(["甲"])
    store.write(keys, Segments(["稳"], np.asarray([3], dtype=np.int32), np.asarray([1])))
    assert store.read(keys) is None
    store.write(keys, Segments([7], np.asarray([0], dtype=np.int32), np.asarray([1])))
    assert store.read(keys) is None


def test_a_corpus_folder_is_keyed_by_file_names_and_bytes(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("六稳", encoding="utf-8")
    (folder / "b.txt").write_text("六保", encoding="utf-8")
    first = cache.corpus_content_hash(folder)
    assert cache.corpus_content_hash(folder) == first
    (folder / "b.txt").rename(folder / "c.txt")
    renamed = cache.corpus_content_hash(folder)
    assert renamed != first
    (folder / "c.txt").write_text("六保 ", encoding="utf-8")
    assert cache.corpus_content_hash(folder) not in (first, renamed)


def test_the_environment_covers_package_source_data_and_versions(tmp_path, monkeypatch):
    data = tmp_path / "data"
    (data / "lexicon").mkdir(parents=True)
    (data / "lexicon" / "slogans.yaml").write_text("a: 1\n", encoding="utf-8")
    (data / "cache").mkdir()
    monkeypatch.setattr(config, "DATA_DIR", data)
    monkeypatch.setattr(config, "CACHE_DIR", data / "cache")
    environment = cache.environment_fingerprint(data / "cache")
    assert {"package_source", "package_data", "python", "distributions"} <= set(environment)
    # What the caches themselves write must not change the key ...
    (data / "cache" / "segments.parquet").write_bytes(b"x")
    assert cache.environment_fingerprint(data / "cache") == environment
    # ... but any file the package reads does.
    (data / "lexicon" / "slogans.yaml").write_text("a: 2\n", encoding="utf-8")
    assert cache.environment_fingerprint(data / "cache")["package_data"] != environment["package_data"]

def test_every_distribution_that_can_change_a_result_is_in_the_key():
    """The key once named seven libraries; opencc, stopwordsiso, networkx, scipy, mplfonts, rjieba were missing."""
    keyed = set(cache.keyed_distributions())
    assert {"opencc", "stopwordsiso", "networkx", "scipy", "mplfonts", "rjieba", "jieba", "pandas"} <= keyed
    assert "pytest" not in keyed  # a test tool changes no result
    versions = cache.environment_fingerprint(config.CACHE_DIR)["distributions"]
    assert versions["opencc"] is not None and versions["jieba"] is not None


def test_a_source_file_of_a_subpackage_changes_the_key(tmp_path, monkeypatch):
    """Only src/analysis/*.py was hashed: an edit to analysis/slogans/tagger.py reused stale notebooks."""
    import analysis

    package = tmp_path / "analysis"
    (package / "slogans").mkdir(parents=True)
    (package / "cache").mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "slogans" / "tagger.py").write_text("x = 1\n", encoding="utf-8")
    fake_module = package / "cache" / "notebooks.py"
    fake_module.write_text("", encoding="utf-8")
    monkeypatch.setattr(cache.notebooks, "__file__", str(fake_module))
    before = cache.environment_fingerprint(tmp_path / "c")["package_source"]
    (package / "slogans" / "tagger.py").write_text("x = 2\n", encoding="utf-8")
    assert cache.environment_fingerprint(tmp_path / "c")["package_source"] != before
    assert analysis.__file__  # the real package is untouched


def test_a_printed_report_is_read_back_while_its_pages_are_unchanged(tmp_path):
    """Printing took 8 of a cached rebuild's 14 seconds: the same pages now give the stored PDF."""
    folder = tmp_path / "report"
    (folder / "figures").mkdir(parents=True)
    (folder / "index.html").write_text("<p>六稳</p>", encoding="utf-8")
    (folder / "01.html").write_text("<p>六保</p>", encoding="utf-8")
    (folder / "figures" / "a.svg").write_text("<svg/>", encoding="utf-8")
    pdf = folder / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4 printed")
    key = cache.print_key(folder, ["01.html"], chromium="/usr/bin/chromium")
    root = tmp_path / "cache"
    assert not cache.read_pdf(root, key, tmp_path / "copy.pdf")
    cache.write_pdf(root, key, pdf)
    assert cache.read_pdf(root, key, tmp_path / "copy.pdf")
    assert (tmp_path / "copy.pdf").read_bytes() == b"%PDF-1.4 printed"
    (folder / "figures" / "a.svg").write_text("<svg>changed</svg>", encoding="utf-8")
    assert cache.print_key(folder, ["01.html"], chromium="/usr/bin/chromium") != key


def _mention_table() -> pd.DataFrame:
    table = pd.DataFrame({"doc_id": ["a"], "slogan_id": ["liuwen"], "start": [5], "counted": [True]})
    table.attrs = {"lexicon_version": "1"}
    return table


def test_a_mention_table_is_read_back_with_its_attrs_and_a_damaged_one_is_a_miss(tmp_path):
    table = _mention_table()
    columns = list(table.columns)
    assert cache.read_mentions(tmp_path, "k", columns=columns) is None
    assert cache.write_mentions(tmp_path, "k", table)
    stored = cache.read_mentions(tmp_path, "k", columns=columns)
    pd.testing.assert_frame_equal(stored, table)
    assert stored.attrs == {"lexicon_version": "1"}
    # A table of other columns (an older layout) is no mention table of today.
    assert cache.read_mentions(tmp_path, "k", columns=columns + ["sentence"]) is None
    (tmp_path / "k.parquet").write_bytes(b"PAR1 truncated")
    assert cache.read_mentions(tmp_path, "k", columns=columns) is None
    assert not [path for path in tmp_path.iterdir() if path.name.startswith(cache.TEMP_PREFIX)]


def test_a_mention_table_parquet_cannot_hold_is_not_stored(tmp_path):
    table = pd.DataFrame({"doc_id": pd.Series(["a", 7], dtype="object"), "start": [5, 6]})
    assert not cache.write_mentions(tmp_path, "k", table)
    assert list(tmp_path.iterdir()) == []


def test_the_mentions_key_follows_the_documents_the_lexicon_and_nothing_else(tmp_path):
    docs = pd.DataFrame({"doc_id": ["a", "b"], "text_clean": ["做好“六稳”工作", "落实“六保”"],
                         "body_start": [0, 2], "date": pd.to_datetime(["2020-06-01", "2021-03-05"]),
                         "title": ["x", "y"]})
    lexicon = pd.DataFrame({"id": ["liuwen"], "canonical": ["六稳"], "aliases": [["六个稳"]],
                            "valid_from": [float("nan")]})
    key = cache.mentions_cache_key(docs, lexicon, folder=tmp_path)
    same = [
        (docs.copy(), lexicon.copy()),
        (docs.assign(title=["other", "titles"]), lexicon),  # the tagger does not read titles
        (docs.assign(date=docs["date"].astype("datetime64[s]")), lexicon),  # nor a date's resolution
    ]
    for corpus, lex in same:
        assert cache.mentions_cache_key(corpus, lex, folder=tmp_path) == key
    different = [
        (docs.assign(text_clean=["做好“六稳”工作。", "落实“六保”"]), lexicon),
        (docs.assign(doc_id=["a", "c"]), lexicon),
        (docs.assign(body_start=[0, 3]), lexicon),
        (docs.assign(date=pd.to_datetime(["2020-06-01", "2022-03-05"])), lexicon),
        (docs.iloc[::-1], lexicon),
        (docs, lexicon.assign(aliases=[["稳六"]])),  # an edited lexicon re-tags
        (docs, lexicon.assign(valid_from=["2021"])),
    ]
    keys = {cache.mentions_cache_key(corpus, lex, folder=tmp_path) for corpus, lex in different}
    assert len(keys) == len(different) and key not in keys


def test_the_mentions_key_of_a_corpus_is_the_same_loaded_fresh_or_from_the_corpus_cache(tmp_path):
    """The report tags the corpus it loaded; its notebooks read the corpus back from Parquet: one key."""
    import json

    from analysis.corpus import load_corpus
    from analysis.slogans.tagger import load_default_lexicon

    path = tmp_path / "c.jsonl"
    records = [{"id": "a1", "title": "做好六稳", "date": "2020-06-01", "text": "要做好“六稳”工作。"},
               {"id": "a2", "title": "稳中求进", "date": "2021-03", "text": "坚持稳中求进。"}]
    path.write_text("".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records), encoding="utf-8")
    fresh = load_corpus(path, cache=tmp_path / "corpora")
    stored = load_corpus(path, cache=tmp_path / "corpora")
    lexicon = load_default_lexicon()
    assert cache.mentions_cache_key(fresh, lexicon, folder=tmp_path) == cache.mentions_cache_key(stored, lexicon, folder=tmp_path)


def test_notebook_times_keep_other_notebooks_and_ignore_a_damaged_file(tmp_path):
    cache.write_notebook_times(tmp_path, {"02-a.ipynb": 3.0, "04-b.ipynb": 9.0})
    cache.write_notebook_times(tmp_path, {"02-a.ipynb": 4.0})
    assert cache.read_notebook_times(tmp_path) == {"02-a.ipynb": 4.0, "04-b.ipynb": 9.0}
    (tmp_path / cache.NOTEBOOK_TIMES_NAME).write_text('{"02-a.ipynb": "slow", "04-b.ipynb": 2', encoding="utf-8")
    assert cache.read_notebook_times(tmp_path) == {}
    (tmp_path / cache.NOTEBOOK_TIMES_NAME).write_text('{"02-a.ipynb": "slow", "04-b.ipynb": 2}', encoding="utf-8")
    assert cache.read_notebook_times(tmp_path) == {"04-b.ipynb": 2.0}


@pytest.mark.parametrize("seed", range(20))
def test_spells_agrees_with_joining_the_tokens(seed):
    """The code-point comparison answers as joining every token and comparing the strings did."""
    rng = np.random.default_rng(seed)
    words = ["稳", "就业", "保", "市场主体", "，", "\n", "F-35", "\ud800"]
    counts = rng.integers(0, 6, size=int(rng.integers(1, 6)))
    word_ids = rng.integers(0, len(words), size=int(counts.sum())).astype(np.int32)
    segments = cache.Segments(words, word_ids, counts)
    spelled = [word for word in np.asarray(words, dtype=object)[word_ids]]
    texts, position = [], 0
    for count in counts:
        texts.append("".join(spelled[position : position + count]))
        position += count
    variants = [texts, texts[:-1], [*texts[:-1], texts[-1] + "稳"]]
    if "".join(texts):
        joined = "".join(texts)
        cut = int(rng.integers(0, len(joined)))
        variants.append([joined[:cut], joined[cut:], *[""] * (len(texts) - 2)][: len(texts)] if len(texts) >= 2 else [joined])
        variants.append([text.replace("就", "救") for text in texts])
    for candidate in variants:
        reference = len(candidate) == len(texts) and "".join(spelled) == "".join(candidate) and all(
            len(text) == len(expected) for text, expected in zip(candidate, texts)
        )
        assert cache.spells(segments, candidate) == reference


def test_a_noted_table_that_cannot_be_written_leaves_the_stored_one_and_no_temporary_file(tmp_path):
    import pyarrow as pa

    from analysis.cache.parquet import read_noted_table, write_noted_table

    path = tmp_path / "t.parquet"
    write_noted_table(path, pd.DataFrame({"a": [1, 2]}), note={"attrs": {"n": 1}}, note_key=b"k")
    mixed = pd.DataFrame({"a": [1, "二"]})  # Parquet holds no column of numbers and strings
    with pytest.raises((pa.ArrowException, TypeError, ValueError)):
        write_noted_table(path, mixed, note={}, note_key=b"k")
    frame, note = read_noted_table(path, note_key=b"k")
    assert frame["a"].tolist() == [1, 2] and note == {"attrs": {"n": 1}}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.parquet"]
    assert read_noted_table(path, note_key=b"other") is None  # a file without the note is foreign
    path.write_bytes(path.read_bytes()[:40])
    assert read_noted_table(path, note_key=b"k") is None  # truncated
