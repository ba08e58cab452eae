"""Tests for analysis.sources: file names, formats, compression and folder walks."""

from __future__ import annotations

import gzip
import os

import pandas as pd
import pytest

from analysis import sources


@pytest.mark.parametrize(
    ("name", "date", "page", "seq"),
    [
        ("2020-06-02_x.txt", "2020-06-02", None, None),
        ("2020_6_2 社论.txt", "2020-06-02", None, None),
        ("20200602.txt", "2020-06-02", None, None),
        ("20200602-01-03.txt", "2020-06-02", 1, 3),
        ("20200602_12.txt.gz", "2020-06-02", 12, None),
        ("20200602/20200602-01-03.txt", "2020-06-02", 1, 3),
        ("20200602/01-03.txt", "2020-06-02", 1, 3),
        ("2020-06-02/评论.md", "2020-06-02", None, None),
    ],
)
def test_dates_pages_and_sequence_numbers_from_file_names(name, date, page, seq):
    found = sources.date_from_filename(f"crawl/{name}", root="crawl")
    assert found == {"date": pd.Timestamp(date), "precision": "day", "page": page, "seq": seq}


@pytest.mark.parametrize(
    "name", ["202006021234.txt", "20200231.txt", "12345678.txt", "notes.txt", "x_20200602.txt", "crawl2020-06-02/a.txt"]
)
def test_names_that_are_not_dates_give_none(name):
    found = sources.date_from_filename(f"crawl/{name}", root="crawl")
    assert found["precision"] is None and pd.isna(found["date"])


def test_folder_names_above_the_corpus_root_are_not_read():
    assert pd.isna(sources.date_from_filename("/data/20200602/corpus/a.txt", root="/data/20200602/corpus")["date"])


def test_display_path_decodes_gbk_names_and_escapes_the_rest():
    gbk = os.fsdecode("报告".encode("gbk") + b".txt")
    assert sources.display_path(gbk) == "报告.txt"
    assert sources.display_path(os.fsdecode(b"\xff\xfe.txt")) == "\\xff\\xfe.txt"
    assert sources.display_path("正常.txt") == "正常.txt"


def test_formats_look_through_compression():
    assert [sources.file_format(n) for n in ("a.JSONL.gz", "b.csv", "c.txt.gz", "d.zip", "e.docx", "f.gz")] == [
        "jsonl", "csv", "text", "zip", None, None,
    ]
    assert sources.document_stem("dir/a.jsonl.gz") == "a"


def test_read_bytes_decompresses_and_names_a_broken_stream(tmp_path):
    path = tmp_path / "a.txt.gz"
    path.write_bytes(gzip.compress("六稳".encode("utf-8")))
    assert sources.read_bytes(path) == "六稳".encode("utf-8")
    path.write_bytes(gzip.compress("六稳".encode("utf-8") * 1000)[:30])
    with pytest.raises(OSError, match="gzip"):
        sources.read_bytes(path)


def test_list_files_reports_what_it_cannot_enter(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("x", encoding="utf-8")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing")
    os.mkfifo(tmp_path / "pipe")

    files, problems = sources.list_files(tmp_path)

    assert [path.relative_to(tmp_path).as_posix() for path in files] == ["sub/a.txt"]
    reasons = {path.name: reason for path, reason in problems}
    assert set(reasons) == {"loop", "gone.txt", "pipe"}
    assert reasons["loop"].startswith("a symbolic link to a folder")
    assert reasons["pipe"].startswith("not a regular file")
