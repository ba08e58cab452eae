"""Tests for analysis.corpus: formats, encodings, dates, skips and ids.

Fixture files are written into tmp_path by each test; the shared corpora are
read only in the slow tests, through the conftest fixtures.
"""

from __future__ import annotations

import gzip
import json
import os
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analysis import clean
from analysis import corpus as corpus_module
from analysis.corpus import load as load_module
from analysis.corpus import (
    COLUMNS,
    CorpusError,
    CorpusWarning,
    corpus_fingerprint,
    corpus_summary,
    date_from_title,
    load_corpus,
    npc_session_year,
    parse_date,
)

PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"
PDF_HEADER = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def load_quietly(path, **options):
    """Load and fail on any warning: for inputs that must load cleanly."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return load_corpus(path, **options)


# ---------------------------------------------------------------- text files


def test_utf8_text_file_keeps_raw_text_and_schema(tmp_path):
    page = "政府工作报告\n\n稳就业、保民生。\r\n"
    path = tmp_path / "page.txt"
    path.write_bytes(page.encode("utf-8"))

    corpus = load_quietly(path, split_articles=False)

    assert list(corpus.columns) == COLUMNS
    assert corpus["doc_id"].tolist() == ["page"]
    assert corpus.loc[0, "text"] == page  # raw: \r\n and trailing newline kept
    assert corpus.loc[0, "path"] == str(path)
    assert pd.isna(corpus.loc[0, "record"])
    assert corpus.loc[0, "body_start"] == 0
    assert str(corpus["date"].dtype).startswith("datetime64")
    assert str(corpus["record"].dtype) == "Int64"
    assert corpus_module.skipped(corpus).empty


def test_gb18030_file_is_detected_and_decoded(tmp_path):
    page = "国务院政府工作报告：稳就业、保民生、保市场主体。"
    path = tmp_path / "gbk.txt"
    path.write_bytes(page.encode("gb18030"))

    corpus = load_quietly(path, split_articles=False)

    assert corpus.loc[0, "text"] == page


def test_utf8_bom_is_removed_from_text(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + "六稳六保".encode("utf-8"))

    corpus = load_quietly(path, split_articles=False)

    assert corpus.loc[0, "text"] == "六稳六保"


def test_forced_encoding_is_used(tmp_path):
    path = tmp_path / "big5.txt"
    path.write_bytes("政府工作報告".encode("big5"))

    corpus = load_quietly(path, split_articles=False, encoding="big5")

    assert corpus.loc[0, "text"] == "政府工作報告"


def test_unknown_encoding_name_is_an_error(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("六稳", encoding="utf-8")
    with pytest.raises(CorpusError, match="no-such-codec"):
        load_corpus(path, encoding="no-such-codec")


def test_undecodable_file_is_skipped_with_its_name(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("café ÿ".encode("latin-1"))  # 0xff is neither UTF-8 nor GB18030

    with pytest.warns(CorpusWarning, match=r"skipped 1 document.*skipped\(corpus\)"):
        corpus = load_corpus(path)

    assert corpus.empty
    assert list(corpus.columns) == COLUMNS
    skipped = corpus_module.skipped(corpus)
    assert skipped["path"].tolist() == [str(path)]
    assert pd.isna(skipped.loc[0, "record"])
    assert "cannot be decoded" in skipped.loc[0, "reason"]


def test_undecodable_file_in_strict_mode_raises_naming_the_file(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("café ÿ".encode("latin-1"))
    with pytest.raises(CorpusError, match="latin1.txt.*cannot be decoded"):
        load_corpus(path, strict=True)


@pytest.mark.parametrize(
    "payload",
    [
        b"\x81\x30\x81\x30" * 40,  # valid GB18030 four-byte sequences that decode to C1 controls
        b"\xaa\xa1\xaa\xa2" * 40,  # GB18030 user-defined area: private-use characters
    ],
)
def test_gb18030_decode_into_implausible_text_is_rejected(tmp_path, payload):
    path = tmp_path / "garbage.txt"
    path.write_bytes(payload)

    with pytest.raises(CorpusError, match="garbage.txt.*GB18030"):
        load_corpus(path, strict=True)


def test_folder_is_read_recursively_in_sorted_order(tmp_path):
    (tmp_path / "b.txt").write_text("第二篇", encoding="utf-8")
    (tmp_path / "a.md").write_text("第一篇", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.txt").write_text("第三篇", encoding="utf-8")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "d.txt").write_text("不是文档", encoding="utf-8")

    corpus = load_quietly(tmp_path, split_articles=False)

    assert corpus["doc_id"].tolist() == ["a", "b", "sub/c"]
    assert corpus["text"].tolist() == ["第一篇", "第二篇", "第三篇"]
    assert corpus["path"].tolist() == [str(tmp_path / "a.md"), str(tmp_path / "b.txt"), str(tmp_path / "sub" / "c.txt")]


def test_binary_empty_and_other_files_in_a_folder_are_skipped_with_reasons(tmp_path):
    (tmp_path / "good.txt").write_text("稳中求进", encoding="utf-8")
    (tmp_path / "scan.png").write_bytes(PNG_HEADER)
    (tmp_path / "disguised.txt").write_bytes(PDF_HEADER)
    (tmp_path / "nul.txt").write_bytes(b"abc\x00def")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.md").write_text(" \n\u3000\t\n", encoding="utf-8")
    found = 6

    with pytest.warns(CorpusWarning, match="skipped 5 document"):
        corpus = load_corpus(tmp_path, split_articles=False)

    skipped = corpus_module.skipped(corpus)
    assert len(corpus) + len(skipped) == found
    assert corpus["doc_id"].tolist() == ["good"]
    reasons = dict(zip(skipped["path"], skipped["reason"]))
    assert "PNG" in reasons[str(tmp_path / "scan.png")]
    assert "PDF" in reasons[str(tmp_path / "disguised.txt")]
    assert "NUL" in reasons[str(tmp_path / "nul.txt")]
    assert reasons[str(tmp_path / "empty.txt")] == "empty file"
    assert "whitespace-only" in reasons[str(tmp_path / "blank.md")]
    assert skipped["record"].isna().all()


def test_strict_folder_raises_at_the_first_unreadable_file(tmp_path):
    (tmp_path / "a.txt").write_text("稳中求进", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(PDF_HEADER)
    with pytest.raises(CorpusError, match=r"b\.txt.*PDF"):
        load_corpus(tmp_path, strict=True)


def test_empty_folder_is_an_error(tmp_path):
    with pytest.raises(CorpusError, match="no files"):
        load_corpus(tmp_path)


def test_missing_path_and_unsupported_format_are_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere"):
        load_corpus(tmp_path / "nowhere.jsonl")
    sheet = tmp_path / "table.xlsx"
    sheet.write_bytes(b"PK\x03\x04")
    with pytest.raises(CorpusError, match=r"table\.xlsx.*unsupported format"):
        load_corpus(sheet)


def test_relative_paths_resolve_from_the_current_directory(tmp_path, monkeypatch):
    write_jsonl(tmp_path / "items.jsonl", [{"text": "六稳"}])
    monkeypatch.chdir(tmp_path)

    corpus = load_quietly("items.jsonl")

    assert corpus.loc[0, "path"] == str(tmp_path.resolve() / "items.jsonl")
    with pytest.raises(FileNotFoundError):
        load_quietly("seeds")  # the project's seeds are not looked up from elsewhere


@pytest.mark.parametrize("empty", ["", " "])
def test_an_empty_path_is_an_error_not_the_project_checkout(empty):
    with pytest.raises(ValueError, match="empty path"):
        load_corpus(empty)


def test_corpora_concatenate_and_merge_with_their_load_records(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "a.txt").write_text("稳中求进。", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    with pytest.warns(CorpusWarning):
        first = load_corpus(folder)
    with pytest.warns(CorpusWarning):
        second = load_corpus(folder)

    both = pd.concat([first, second], ignore_index=True)
    merged = first[["doc_id", "title"]].merge(first[["doc_id", "text_clean"]], on="doc_id")

    assert len(both) == 2 and len(merged) == 1
    assert corpus_module.skipped(both)["reason"].tolist() == ["empty file"]
    assert corpus_module.skipped(merged)["reason"].tolist() == ["empty file"]
    assert corpus_module.skipped(first[first["doc_id"] == "a"].copy())["reason"].tolist() == ["empty file"]
    assert all(isinstance(value, (str, int, float)) for value in first.attrs.values())


def test_dateline_without_year_is_not_read(tmp_path):
    path = tmp_path / "news.txt"
    path.write_text("本报讯 6月1日，郑州高新区召开全区领导干部会议。", encoding="utf-8")

    corpus = load_quietly(path, split_articles=False)

    assert pd.isna(corpus.loc[0, "date"])
    assert pd.isna(corpus.loc[0, "date_precision"])


# ----------------------------------------------------- splitting (with a fake clean)


def fake_split(page, *, to_simplified=True, fix_ocr=True):
    """Two articles separated by a blank line; the first line of each is its title."""
    cut = page.index("\n\n")
    articles = []
    for start, end in ((0, cut), (cut + 2, len(page))):
        chunk = page[start:end]
        title = chunk.split("\n", 1)[0]
        articles.append(
            {
                "title": title,
                "subtitle": None,
                "byline": None,
                "text": chunk,
                "start": start,
                "end": end,
                "text_clean": chunk.strip(),
                "body_start": len(title) + 1,
            }
        )
    return articles


def test_split_page_gets_numbered_ids_slices_and_title_dates(tmp_path, monkeypatch):
    monkeypatch.setattr(clean, "split_articles", fake_split)
    page = "2021年政府工作报告要点\n稳就业\n\n高新区召开大会\n本报讯 6月1日"
    path = tmp_path / "page.txt"
    path.write_text(page, encoding="utf-8")

    corpus = load_quietly(path)

    assert corpus["doc_id"].tolist() == ["page-01", "page-02"]
    assert corpus["title"].tolist() == ["2021年政府工作报告要点", "高新区召开大会"]
    assert corpus["text"].tolist() == ["2021年政府工作报告要点\n稳就业", "高新区召开大会\n本报讯 6月1日"]
    assert corpus["body_start"].tolist() == [14, 8]
    assert corpus.loc[0, "date"] == pd.Timestamp("2021-01-01")
    assert corpus.loc[0, "date_precision"] == "year"
    assert pd.isna(corpus.loc[1, "date"])


def test_split_articles_false_keeps_the_page_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(clean, "split_articles", fake_split)
    path = tmp_path / "page.txt"
    path.write_text("甲\n\n乙", encoding="utf-8")

    corpus = load_quietly(path, split_articles=False)

    assert corpus["doc_id"].tolist() == ["page"]
    assert corpus.loc[0, "text"] == "甲\n\n乙"


def test_article_that_is_not_a_slice_of_the_page_is_an_error(tmp_path, monkeypatch):
    def bad_split(page, **_):
        return [dict(fake_split(page)[0], text="不是原文")]

    monkeypatch.setattr(clean, "split_articles", bad_split)
    path = tmp_path / "page.txt"
    path.write_text("甲\n\n乙", encoding="utf-8")
    with pytest.raises(CorpusError, match="page.txt.*slice"):
        load_corpus(path)


def test_tabular_records_split_only_on_request(tmp_path, monkeypatch):
    monkeypatch.setattr(clean, "split_articles", fake_split)
    path = write_jsonl(tmp_path / "pages.jsonl", [{"id": "p1", "text": "甲\n\n乙"}])

    assert load_quietly(path)["doc_id"].tolist() == ["p1"]
    split = load_quietly(path, split_articles=True)
    assert split["doc_id"].tolist() == ["p1-01", "p1-02"]
    assert split["record"].tolist() == [1, 1]


# ---------------------------------------------------------------------- JSONL


def test_jsonl_with_content_and_year_columns(tmp_path):
    path = write_jsonl(
        tmp_path / "reports.jsonl",
        [
            {"title": "2019年政府工作报告", "url": "https://example.org/2019", "content": "稳就业", "year": "2019"},
            {"title": "第十三届全国人民代表大会第三次会议关于政府工作报告的决议", "url": "u", "content": "批准", "year": None},
        ],
    )

    corpus = load_quietly(path)

    assert list(corpus.columns) == COLUMNS + ["url"]
    assert corpus["doc_id"].tolist() == ["reports-1", "reports-2"]
    assert corpus["text"].tolist() == ["稳就业", "批准"]
    assert corpus["date"].tolist() == [pd.Timestamp("2019-01-01"), pd.Timestamp("2020-01-01")]
    assert corpus["date_precision"].tolist() == ["year", "year"]
    assert corpus["record"].tolist() == [1, 2]
    assert corpus["url"].tolist() == ["https://example.org/2019", "u"]


def test_jsonl_with_text_date_id_source_and_extra_columns(tmp_path):
    path = write_jsonl(
        tmp_path / "news.jsonl",
        [
            {"id": "20220101-01", "date": "2022-01-01", "seq": 1, "source": "新闻联播", "title": "甲", "text": "六稳"},
            {"id": "20220102-01", "date": "2022年1月2日", "seq": 2, "source": "新闻联播", "title": "乙", "text": "六保"},
            {"id": 7, "date": "20220103", "seq": 3, "source": None, "title": "", "text": "稳中求进"},
        ],
    )

    corpus = load_quietly(path)

    assert corpus["doc_id"].tolist() == ["20220101-01", "20220102-01", "7"]
    assert corpus["date"].tolist() == [pd.Timestamp("2022-01-01"), pd.Timestamp("2022-01-02"), pd.Timestamp("2022-01-03")]
    assert set(corpus["date_precision"]) == {"day"}
    assert corpus["source"].tolist()[:2] == ["新闻联播", "新闻联播"]
    assert pd.isna(corpus.loc[2, "source"]) and pd.isna(corpus.loc[2, "title"])
    assert corpus["seq"].tolist() == [1, 2, 3]
    assert list(corpus.columns)[-1] == "seq"


def test_jsonl_in_gb18030_is_detected(tmp_path):
    path = tmp_path / "gbk.jsonl"
    path.write_bytes((json.dumps({"text": "保居民就业"}, ensure_ascii=False) + "\n").encode("gb18030"))

    assert load_quietly(path)["text"].tolist() == ["保居民就业"]


def test_malformed_jsonl_line_is_skipped_with_its_line_number(tmp_path):
    path = tmp_path / "broken.jsonl"
    path.write_text(
        '{"text": "第一条"}\n'
        '{"text": "第二条"\n'  # unterminated object
        "\n"  # a blank line is not a record
        '["not", "an", "object"]\n'
        '{"text": "第五条"}\n',
        encoding="utf-8",
    )
    non_blank_lines = 4

    with pytest.warns(CorpusWarning, match="skipped 2 document"):
        corpus = load_corpus(path)

    skipped = corpus_module.skipped(corpus)
    assert len(corpus) + len(skipped) == non_blank_lines
    assert corpus["record"].tolist() == [1, 5]
    assert corpus["doc_id"].tolist() == ["broken-1", "broken-5"]
    assert skipped["record"].tolist() == [2, 4]
    assert skipped["path"].tolist() == [str(path), str(path)]
    assert "malformed JSON" in skipped.loc[0, "reason"]
    assert "not a JSON object" in skipped.loc[1, "reason"]


def test_malformed_jsonl_line_in_strict_mode_names_file_and_line(tmp_path):
    path = tmp_path / "broken.jsonl"
    path.write_text('{"text": "好"}\n{"text": \n', encoding="utf-8")
    with pytest.raises(CorpusError, match=r"broken\.jsonl: line 2: malformed JSON"):
        load_corpus(path, strict=True)


def test_undecodable_jsonl_line_is_skipped_alone(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b'{"text": "ok"}\n{"text": "caf\xe9 \xff"}\n{"text": "fine"}\n')

    with pytest.warns(CorpusWarning, match="skipped 1"):
        corpus = load_corpus(path)

    assert corpus["text"].tolist() == ["ok", "fine"]
    assert corpus_module.skipped(corpus)["record"].tolist() == [2]
    assert "cannot be decoded" in corpus_module.skipped(corpus).loc[0, "reason"]


def test_records_without_usable_text_are_skipped(tmp_path):
    path = write_jsonl(
        tmp_path / "gaps.jsonl",
        [
            {"id": "a", "text": "有内容"},
            {"id": "b", "text": ""},
            {"id": "c", "text": " \u3000\n"},
            {"id": "d", "text": None},
            {"id": "e", "title": "没有正文"},
            {"id": "f", "text": 42},
        ],
    )

    with pytest.warns(CorpusWarning, match="skipped 5"):
        corpus = load_corpus(path)

    assert corpus["doc_id"].tolist() == ["a"]
    skipped = corpus_module.skipped(corpus)
    assert skipped["record"].tolist() == [2, 3, 4, 5, 6]
    assert "whitespace-only" in skipped.loc[1, "reason"]
    assert "int" in skipped.loc[4, "reason"]


def test_empty_jsonl_file_is_skipped(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"")
    with pytest.warns(CorpusWarning, match="skipped 1"):
        corpus = load_corpus(path)
    assert corpus.empty
    assert corpus_module.skipped(corpus)["reason"].tolist() == ["empty file"]


# ------------------------------------------------------------- CSV and Parquet


def test_csv_without_a_text_column_names_file_and_columns(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text("id,headline,body\n1,标题,正文\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"table\.csv.*no text column.*id, headline, body"):
        load_corpus(path)


def test_missing_user_given_column_names_file_column_and_columns_found(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text("id,headline,body\n1,标题,正文\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"table\.csv.*'pubdate'.*id, headline, body"):
        load_corpus(path, text_col="body", date_col="pubdate")


def test_csv_with_configured_columns_records_and_extras(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text(
        "key,headline,body,when,outlet,page,code\n"
        'x1,标题一,"第一行\n第二行",2020-05-28,人民日报,4,007\n'
        "x2,标题二,正文,2020年6月,人民日报,5,010\n",
        encoding="utf-8",
    )

    corpus = load_quietly(
        path, text_col="body", title_col="headline", date_col="when", id_col="key", source_col="outlet"
    )

    assert list(corpus.columns) == COLUMNS + ["page", "code"]
    assert corpus["doc_id"].tolist() == ["x1", "x2"]
    assert corpus["title"].tolist() == ["标题一", "标题二"]
    assert corpus.loc[0, "text"] == "第一行\n第二行"
    assert corpus["record"].tolist() == [1, 2]  # data rows, not physical lines
    assert corpus["date"].tolist() == [pd.Timestamp("2020-05-28"), pd.Timestamp("2020-06-01")]
    assert corpus["date_precision"].tolist() == ["day", "month"]
    assert corpus["source"].tolist() == ["人民日报", "人民日报"]
    assert corpus["page"].tolist() == [4, 5]
    assert corpus["code"].tolist() == ["007", "010"]  # leading zeros are text, kept as written


def test_csv_row_with_wrong_field_count_is_skipped(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text("text,title\n正文一,甲\n正文二,乙,多余\n正文三,丙\n", encoding="utf-8")

    with pytest.warns(CorpusWarning, match="skipped 1"):
        corpus = load_corpus(path)

    assert corpus["record"].tolist() == [1, 3]
    assert corpus["doc_id"].tolist() == ["table-1", "table-3"]
    assert corpus_module.skipped(corpus)["record"].tolist() == [2]
    assert "3 fields" in corpus_module.skipped(corpus).loc[0, "reason"]


def test_csv_in_gb18030_with_bom_free_header(tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes("text,title\n保基本民生,标题\n".encode("gb18030"))
    assert load_quietly(path)["text"].tolist() == ["保基本民生"]


def test_parquet_keeps_types_of_extra_columns_and_reads_dates(tmp_path):
    import datetime as dt

    table = pa.table(
        {
            "id": ["a", "b"],
            "text": ["六稳", "六保"],
            "date": [dt.date(2022, 3, 5), None],
            "title": [None, "第十四届全国人大二次会议开幕"],
            "page": [1, 2],
        }
    )
    path = tmp_path / "items.parquet"
    pq.write_table(table, path)

    corpus = load_quietly(path)

    assert corpus["doc_id"].tolist() == ["a", "b"]
    assert corpus["record"].tolist() == [1, 2]
    assert corpus["date"].tolist() == [pd.Timestamp("2022-03-05"), pd.Timestamp("2024-01-01")]
    assert corpus["date_precision"].tolist() == ["day", "year"]
    assert corpus["page"].tolist() == [1, 2]


def test_parquet_that_is_not_parquet_is_skipped(tmp_path):
    path = tmp_path / "fake.parquet"
    path.write_text("not parquet at all", encoding="utf-8")
    with pytest.warns(CorpusWarning, match="skipped 1"):
        corpus = load_corpus(path)
    assert "Parquet" in corpus_module.skipped(corpus).loc[0, "reason"]


def test_extra_column_clashing_with_an_output_column_is_prefixed(tmp_path):
    path = write_jsonl(tmp_path / "x.jsonl", [{"text": "六稳", "path": "/old/place.txt", "byline": "记者 李颖"}])

    corpus = load_quietly(path)

    assert corpus.loc[0, "orig_path"] == "/old/place.txt"
    assert corpus.loc[0, "path"] == str(path)
    assert corpus.loc[0, "byline"] == "记者 李颖"


# ------------------------------------------------------------------ duplicate ids


def test_duplicate_ids_are_an_error_naming_ids_and_file(tmp_path):
    path = write_jsonl(
        tmp_path / "dups.jsonl",
        [{"id": "x", "text": "一"}, {"id": "y", "text": "二"}, {"id": "x", "text": "三"}],
    )
    with pytest.raises(CorpusError, match=r"1 duplicate doc_id.*'x'.*dups\.jsonl record 1.*record 3"):
        load_corpus(path)


def test_text_files_with_the_same_stem_get_ids_qualified_by_their_file(tmp_path):
    (tmp_path / "a.txt").write_text("一", encoding="utf-8")
    (tmp_path / "a.md").write_text("二", encoding="utf-8")
    corpus = load_quietly(tmp_path, split_articles=False)
    assert corpus["doc_id"].tolist() == ["a.md:a", "a.txt:a"]


def test_an_id_repeated_inside_one_file_is_still_an_error(tmp_path):
    (tmp_path / "a.csv").write_text("id,text\n1,稳就业。\n1,保民生。\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="duplicate doc_id"):
        load_corpus(tmp_path)


def test_missing_id_values_fall_back_to_stem_and_record(tmp_path):
    path = write_jsonl(tmp_path / "ids.jsonl", [{"id": "x", "text": "一"}, {"id": None, "text": "二"}])
    assert load_quietly(path)["doc_id"].tolist() == ["x", "ids-2"]


# -------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("value", "expected", "precision"),
    [
        ("2022-01-01", "2022-01-01", "day"),
        ("2022/1/5", "2022-01-05", "day"),
        ("2022年1月1日", "2022-01-01", "day"),
        ("20220101", "2022-01-01", "day"),
        ("2022-03-05T20:15:00+08:00", "2022-03-05", "day"),
        ("２０２２年３月", "2022-03-01", "month"),
        ("2022-03", "2022-03-01", "month"),
        ("2019", "2019-01-01", "year"),
        (2019, "2019-01-01", "year"),
        (2019.0, "2019-01-01", "year"),
        ("１９５５", "1955-01-01", "year"),
    ],
)
def test_parse_date_accepts_common_forms(value, expected, precision):
    assert parse_date(value) == (pd.Timestamp(expected), precision)


@pytest.mark.parametrize("value", ["6月1日", "2022-02-30", "2022-13", "yesterday", "19", None, "", True])
def test_parse_date_never_guesses(value):
    stamp, precision = parse_date(value)
    assert pd.isna(stamp) and precision is None


# Years checked by hand against the NPC session calendar and, where the
# resolution states it, against its own text.
NPC_TITLES = [
    ("第十四届全国人民代表大会第三次会议关于政府工作报告的决议", 2025),
    ("第十四届全国人民代表大会第一次会议关于政府工作报告的决议", 2023),
    ("第十三届全国人民代表大会第五次会议关于政府工作报告的决议", 2022),
    ("第十三届全国人民代表大会第三次会议关于政府工作报告的决议", 2020),
    ("第十二届全国人民代表大会第一次会议关于政府工作报告的决议", 2013),
    ("第十一届全国人民代表大会第五次会议关于政府工作报告的决议", 2012),
    ("第十届全国人民代表大会第五次会议关于政府工作报告的决议", 2007),
    ("第五届全国人民代表大会第五次会议关于政府工作报告的决议", 1982),
    ("第二届全国人民代表大会第三次会议关于政府工作报告的决议", 1962),
    ("第二届全国人民代表大会第四次会议关于政府工作报告的决议", 1963),
    ("第一届全国人民代表大会第二次会议关于政府工作报告的决议", 1955),
    ("第三屆全國人民代表大會第一次會議關於政府工作報告的決議", 1964),
    ("传达第十三届全国人大三次会议主要精神", 2020),
]


@pytest.mark.parametrize(("title", "year"), NPC_TITLES)
def test_year_from_npc_resolution_titles(title, year):
    assert date_from_title(title) == (pd.Timestamp(year=year, month=1, day=1), "year")


def test_npc_session_table_edges():
    assert npc_session_year(2, 2) == 1960
    assert npc_session_year(2, 3) == 1962  # no session in 1961
    assert npc_session_year(4, 1) == 1975
    assert npc_session_year(4, 2) is None
    assert npc_session_year(6, 6) is None
    assert npc_session_year(15, 1) is None


def test_date_from_title_with_years_in_it():
    assert date_from_title("2025年中华人民共和国国务院政府工作报告") == (pd.Timestamp("2025-01-01"), "year")
    assert date_from_title("１９５５年政府工作报告") == (pd.Timestamp("1955-01-01"), "year")
    assert date_from_title("2020年5月28日会议通过的决议") == (pd.Timestamp("2020-05-28"), "day")
    stamp, precision = date_from_title("从2012年到2022年的十年")
    assert pd.isna(stamp) and precision is None
    stamp, precision = date_from_title("第十九届全国人民代表大会第一次会议")
    assert pd.isna(stamp) and precision is None


def test_unparseable_dates_stay_nat_with_one_warning_naming_file_and_count(tmp_path):
    path = write_jsonl(
        tmp_path / "dates.jsonl",
        [
            {"text": "一", "date": "2022-01-01"},
            {"text": "二", "date": "下周一"},
            {"text": "三", "date": "2022-02-30", "title": "2022年工作"},
            {"text": "四", "date": None},
        ],
    )

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corpus = load_corpus(path)

    messages = [str(w.message) for w in caught if issubclass(w.category, CorpusWarning)]
    assert len(messages) == 1
    assert "2 date value(s)" in messages[0] and "dates.jsonl" in messages[0] and "line 2" in messages[0]
    assert corpus["date"].isna().tolist() == [False, True, True, True]
    # A bad value is reported, not replaced by the title's year.
    assert pd.isna(corpus.loc[2, "date_precision"])


# -------------------------------------------------------- summary, fingerprint, determinism


def test_corpus_summary_counts(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text(
        '{"text": "一二三", "date": "2021-03-01"}\n{"text": "四五", "date": "2019"}\n{"text": "六"}\nnot json\n',
        encoding="utf-8",
    )
    with pytest.warns(CorpusWarning):
        corpus = load_corpus(path)

    summary = corpus_summary(corpus)

    assert summary.to_dict("records") == [
        {
            "documents": 3,
            "characters": 6,
            "first_date": pd.Timestamp("2019-01-01"),
            "last_date": pd.Timestamp("2021-03-01"),
            "undated": 1,
            "skipped": 1,
        }
    ]


def test_loading_twice_gives_identical_tables_and_fingerprints(tmp_path):
    write_jsonl(tmp_path / "a.jsonl", [{"id": str(i), "text": f"第{i}条", "date": "2022-01-0%d" % (i + 1)} for i in range(5)])

    first, second = load_quietly(tmp_path / "a.jsonl"), load_quietly(tmp_path / "a.jsonl")

    pd.testing.assert_frame_equal(first, second)
    assert corpus_fingerprint(first) == corpus_fingerprint(second)


def test_fingerprint_depends_on_ids_texts_and_order():
    base = pd.DataFrame({"doc_id": ["a", "b"], "text_clean": ["六稳", "六保"]})
    shifted = pd.DataFrame({"doc_id": ["a", "b"], "text_clean": ["六稳六", "保"]})
    renamed = pd.DataFrame({"doc_id": ["a", "c"], "text_clean": ["六稳", "六保"]})
    reordered = base.iloc[::-1]
    glued = pd.DataFrame({"doc_id": ["a六稳"], "text_clean": [""]})

    prints = {corpus_fingerprint(frame) for frame in (base, shifted, renamed, reordered, glued)}

    assert len(prints) == 5
    assert all(len(p) == 64 and int(p, 16) >= 0 for p in prints)


def test_progress_bar_goes_to_stderr_only_when_asked(tmp_path, capsys):
    path = write_jsonl(tmp_path / "p.jsonl", [{"text": "六稳"}])
    quiet = load_quietly(path)
    assert capsys.readouterr().err == ""
    loud = load_quietly(path, progress=True)
    assert "p.jsonl" in capsys.readouterr().err
    pd.testing.assert_frame_equal(quiet, loud)


# ------------------------------------------------------------- integration: seed page


def test_seed_page_whole_is_the_raw_file(seed_path):
    corpus = load_quietly(seed_path.parent, split_articles=False)
    assert corpus["text"].tolist() == [seed_path.read_text(encoding="utf-8")]


def test_seeds_folder_splits_into_three_articles_sliced_from_the_file(seed_path):
    raw = seed_path.read_text(encoding="utf-8")

    corpus = load_corpus("seeds/")

    assert len(corpus) == 3
    stem = seed_path.stem
    assert corpus["doc_id"].tolist() == [f"{stem}-01", f"{stem}-02", f"{stem}-03"]
    position = 0
    for text in corpus["text"]:
        found_at = raw.find(text, position)
        assert found_at >= position, "articles must be raw slices of the page, in order"
        position = found_at + len(text)
    assert "高新区召开领导干部大会" in corpus.loc[0, "title"]
    # The dateline 本报讯 6月1日 has no year: nothing may be guessed from it.
    assert corpus["date"].isna().all()


# --------------------------------------------------------- slow: shared corpora


@pytest.mark.slow
def test_gov_work_reports_load_fully_dated(gov_reports_path):
    corpus = load_quietly(gov_reports_path)

    assert len(corpus) == 72
    assert corpus_module.skipped(corpus).empty
    assert corpus["date"].notna().all()
    assert set(corpus["date_precision"]) == {"year"}
    years = dict(zip(corpus["title"], corpus["date"].dt.year))
    assert years["第十三届全国人民代表大会第三次会议关于政府工作报告的决议"] == 2020
    assert years["第二届全国人民代表大会第三次会议关于政府工作报告的决议"] == 1962
    assert years["第十届全国人民代表大会第五次会议关于政府工作报告的决议"] == 2007
    assert years["第十二届全国人民代表大会第一次会议关于政府工作报告的决议"] == 2013
    assert years["1954年中华人民共和国国务院政府工作报告"] == 1954
    resolutions = corpus[corpus["title"].str.contains("决议")]
    assert len(resolutions) == 20
    # Where a resolution states its own date, the year read from the title agrees.
    for text, date in zip(resolutions["text"], resolutions["date"]):
        stated = pd.Series([text]).str.extract(r"（(\d{4})年\d{1,2}月\d{1,2}日")[0][0]
        if isinstance(stated, str):
            assert int(stated) == date.year
    assert "url" in corpus.columns


@pytest.mark.slow
def test_cctv_news_loads_every_item_but_the_placeholders(cctv_news_path):
    with pytest.warns(CorpusWarning, match="skipped 9"):
        corpus = load_corpus(cctv_news_path)

    # 6 "CONTENT NOTFOUND" stubs and 3 items that are only a [查看原文](…) link clean to nothing.
    assert_accounted(corpus, 5508)
    skipped = corpus_module.skipped(corpus)
    assert skipped["reason"].str.startswith("no text after cleaning: placeholder").all()
    assert int(skipped["reason"].str.contains("CONTENT NOTFOUND").sum()) == 6
    assert corpus["doc_id"].is_unique
    assert corpus["doc_id"].iloc[0] == "20220101-01"
    assert corpus["date"].min() == pd.Timestamp("2022-01-01")
    assert corpus["date"].max() == pd.Timestamp("2022-12-31")
    assert set(corpus["date_precision"]) == {"day"}
    # 11 items lack the lead-in: two communiqués, and the 9 placeholders skipped above.
    assert int(corpus["text"].str.startswith("央视网消息（新闻联播）：").sum()) == 5508 - 11
    with cctv_news_path.open(encoding="utf-8") as handle:
        raw_texts = {item["id"]: item["text"] for item in map(json.loads, handle)}
    assert corpus["text"].tolist() == [raw_texts[doc_id] for doc_id in corpus["doc_id"]]


# ------------------------------------------------- bad input: loaded + skipped == found


def assert_accounted(corpus, found):
    """Every document found is either loaded or listed, with a reason, in skipped(corpus)."""
    skipped = corpus_module.skipped(corpus)
    assert list(skipped.columns) == ["path", "record", "reason"]
    assert len(corpus) + len(skipped) == found
    assert skipped["reason"].str.len().gt(0).all()
    assert skipped["path"].notna().all()


def undetectable_bytes():
    # Invalid as UTF-8 (0xff never occurs) and as GB18030 (0xff is no lead byte).
    return b"text \xfa\xff\x80\x80\x80\xff more"


def test_every_kind_of_bad_text_file_is_skipped_or_loaded_and_accounted_for(tmp_path):
    (tmp_path / "good.txt").write_text("稳中求进工作总基调。", encoding="utf-8")
    (tmp_path / "traditional.txt").write_text("我們的會議討論了經濟問題。", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text(" \n\u3000\t\n", encoding="utf-8")
    (tmp_path / "report.pdf").write_bytes(PDF_HEADER)
    (tmp_path / "photo.txt").write_bytes(PNG_HEADER)
    (tmp_path / "unknown.txt").write_bytes(undetectable_bytes())
    (tmp_path / "cut.txt").write_bytes("六稳六保".encode("utf-8")[:-1])
    found = 8

    with pytest.warns(CorpusWarning):
        corpus = load_corpus(tmp_path, split_articles=False)

    assert_accounted(corpus, found)
    reasons = dict(zip(corpus_module.skipped(corpus)["path"], corpus_module.skipped(corpus)["reason"]))
    assert set(reasons) == {str(tmp_path / name) for name in ("empty.txt", "blank.txt", "report.pdf", "photo.txt", "unknown.txt")}
    assert "cannot be decoded" in reasons[str(tmp_path / "unknown.txt")]
    assert "PDF" in reasons[str(tmp_path / "report.pdf")]
    texts = dict(zip(corpus["doc_id"], corpus["text_clean"]))
    assert texts["traditional"] == "我们的会议讨论了经济问题。"


def test_truncated_utf8_file_keeps_the_intact_text_and_reports_the_damage(tmp_path):
    path = tmp_path / "cut.txt"
    data = "稳中求进，六稳六保".encode("utf-8")
    path.write_bytes(data[:-2])

    with pytest.warns(CorpusWarning, match=r"cut\.txt.*truncated UTF-8"):
        corpus = load_corpus(path, split_articles=False)

    assert_accounted(corpus, 1)
    # Read as UTF-8 (not as GB18030 mojibake) and only the cut character is lost.
    assert corpus["text"].tolist() == ["稳中求进，六稳六"]
    damaged = corpus_module.damaged(corpus)
    assert damaged["path"].tolist() == [str(path)]
    # 8 intact characters of 3 bytes; the 9th was cut after its first byte.
    assert "at byte 24; the last 1 byte(s) were dropped" in damaged["reason"].iloc[0]
    with pytest.raises(CorpusError, match=r"cut\.txt.*truncated UTF-8"):
        load_corpus(path, strict=True)


def test_truncated_jsonl_loses_only_its_last_line_and_names_it(tmp_path):
    path = tmp_path / "cut.jsonl"
    lines = [json.dumps({"id": str(n), "text": f"第{n}条新闻稳中求进。"}, ensure_ascii=False) for n in range(3)]
    path.write_bytes(("\n".join(lines)).encode("utf-8")[:-5])

    with pytest.warns(CorpusWarning, match="skipped 1"):
        corpus = load_corpus(path)

    assert_accounted(corpus, 3)
    assert corpus["doc_id"].tolist() == ["0", "1"]
    assert corpus["text"].tolist() == ["第0条新闻稳中求进。", "第1条新闻稳中求进。"]
    assert corpus_module.skipped(corpus)["record"].tolist() == [3]


def test_jsonl_with_one_malformed_line_and_a_whitespace_only_record(tmp_path):
    path = tmp_path / "news.jsonl"
    path.write_text(
        '{"id": "a", "text": "稳中求进。"}\n{"id": "b", "text": \n{"id": "c", "text": " \\u3000 "}\n{"id": "d", "text": "六稳。"}\n',
        encoding="utf-8",
    )
    with pytest.warns(CorpusWarning):
        corpus = load_corpus(path)
    assert_accounted(corpus, 4)
    skipped = corpus_module.skipped(corpus)
    assert skipped["record"].tolist() == [2, 3]
    assert "malformed JSON" in skipped["reason"].iloc[0]
    assert "whitespace-only" in skipped["reason"].iloc[1]
    with pytest.raises(CorpusError, match=r"news\.jsonl: line 2: malformed JSON"):
        load_corpus(path, strict=True)


def test_csv_missing_text_column_and_duplicate_ids_are_errors_naming_the_file(tmp_path):
    no_text = tmp_path / "no_text.csv"
    no_text.write_text("id,title\n1,标题\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"no_text\.csv: no text column.*id, title"):
        load_corpus(no_text)
    duplicated = write_jsonl(tmp_path / "dup.jsonl", [{"id": "x", "text": "一"}, {"id": "x", "text": "二"}])
    with pytest.raises(CorpusError, match=r"'x'.*dup\.jsonl record 1.*dup\.jsonl record 2"):
        load_corpus(duplicated)


def test_html_page_with_menus_loads_as_text_only(tmp_path):
    page = (
        "<html><body><div>下载 打印 全屏 收藏</div><div>【字体：大 中 小】</div>"
        "<p>会议强调，要稳字当头、稳中求进&amp;扎实推进“六稳”“六保”工作。</p>"
        "<p>分享到：微信 微博</p><p>责任编辑：王某</p></body></html>"
    )
    path = write_jsonl(tmp_path / "web.jsonl", [{"id": "w", "text": page}])
    corpus = load_quietly(path)
    assert corpus["text_clean"].tolist() == ["会议强调，要稳字当头、稳中求进&扎实推进“六稳”“六保”工作。"]
    assert corpus["text"].tolist() == [page]


def test_cctv_placeholders_are_skipped_with_reason(tmp_path):
    link = "[查看原文](https://tv.cctv.com/2022/02/28/VIDEReWT1tklhqEZiwvRgLQM220228.shtml)"
    records = [
        {"id": "20220228-01", "date": "2022-02-28", "text": "央视网消息（新闻联播）：稳中求进。\n" + link},
        {"id": "20220228-07", "date": "2022-02-28", "text": "CONTENT NOTFOUND\n" + link},
        {"id": "20220228-08", "date": "2022-02-28", "text": link + "\n---\n更新时间：2023-09-04T14:27:58.876Z"},
    ]
    path = write_jsonl(tmp_path / "cctv.jsonl", records)

    with pytest.warns(CorpusWarning, match="skipped 2"):
        corpus = load_corpus(path)

    assert_accounted(corpus, 3)
    assert corpus["doc_id"].tolist() == ["20220228-01"]
    skipped = corpus_module.skipped(corpus)
    assert skipped["record"].tolist() == [2, 3]
    assert skipped["reason"].str.startswith("no text after cleaning: placeholder").all()
    assert "CONTENT NOTFOUND" in skipped["reason"].iloc[0]
    with pytest.raises(CorpusError, match=r"cctv\.jsonl: line 2: no text after cleaning: placeholder"):
        load_corpus(path, strict=True)


@pytest.mark.slow
def test_fifty_megabyte_single_line_document_loads_and_cleans(tmp_path):
    unit = "坚持稳中求进工作总基调，落实“六稳”“六保”任务，１９５５年 <b>控保稳进抬扛</b>&amp;。 "
    count = 50_000_000 // len(unit.encode("utf-8")) + 1
    path = tmp_path / "huge.txt"
    path.write_text(unit * count, encoding="utf-8")
    assert path.stat().st_size >= 50_000_000

    corpus = load_quietly(path, split_articles=False)

    assert_accounted(corpus, 1)
    cleaned = corpus["text_clean"].iloc[0]
    assert "\n" not in cleaned and "<b>" not in cleaned and "&amp;" not in cleaned
    assert cleaned.count("控保稳进抬扛") == count
    assert cleaned.startswith("坚持稳中求进工作总基调，落实“六稳”“六保”任务，1955年控保稳进抬扛&。")


# ---------------------------------------------------------------- duplicates

ARTICLE = (
    "新华社北京6月1日电 国务院总理主持召开国务院常务会议，部署稳经济一揽子政策措施，"
    "要求各地区各部门抓好落实，稳住市场主体，保就业保民生，确保经济运行在合理区间。"
    "会议指出，当前经济下行压力加大，必须高效统筹疫情防控和经济社会发展，"
    "推动政策早出快出、应出尽出，以更大力度助企纾困，促进消费和有效投资。"
)
SAME_TOPIC = (
    "新华社上海6月2日电 上海市召开全市稳经济大会，研究部署助企纾困和复工复产工作，"
    "强调要稳住市场主体，帮助中小企业渡过难关，推动重点产业链尽快恢复正常生产。"
    "会议要求各区各部门压实责任，加强政策宣传解读，让企业应知尽知、应享尽享。"
)


def duplicate_corpus():
    texts = {
        "a": ARTICLE,
        "b": SAME_TOPIC,
        "c": "本报讯 " + ARTICLE[8:],  # reprint with another lead-in
        "d": ARTICLE.replace("，", "， ").replace("。", "。\n"),  # different whitespace only
        "e": "另一篇完全不同的报道：农业农村部部署夏粮收购工作，确保颗粒归仓。",
    }
    return pd.DataFrame(
        {
            "doc_id": list(texts),
            "path": ["feed.jsonl"] * len(texts),
            "record": pd.array(range(1, len(texts) + 1), dtype="Int64"),
            "text_clean": list(texts.values()),
        }
    )


def test_find_duplicates_finds_reprints_not_same_topic_articles():
    duplicates = corpus_module.find_duplicates(duplicate_corpus(), threshold=0.8)

    assert list(duplicates.columns) == ["doc_id", "duplicate_of", "similarity", "kind"]
    assert duplicates["doc_id"].tolist() == ["c", "d"]
    assert duplicates["duplicate_of"].tolist() == ["a", "a"]
    assert duplicates["kind"].tolist() == ["near", "exact"]
    assert duplicates["similarity"].iloc[1] == 1.0
    assert 0.8 <= duplicates["similarity"].iloc[0] < 1.0


def test_find_duplicates_similarity_is_the_jaccard_of_character_shingles():
    first, second = "一二三四五六七八九十", "一二三四五六七八九零"
    duplicates = corpus_module.find_duplicates(
        pd.DataFrame({"doc_id": ["x", "y"], "text_clean": [first, second]}), threshold=0.5, shingle_size=3
    )
    # Shingles of 3: 8 each, 7 shared -> 7 / 9.
    assert duplicates["similarity"].tolist() == [7 / 9]


def test_find_duplicates_is_deterministic_and_validates_options():
    corpus = duplicate_corpus()
    first = corpus_module.find_duplicates(corpus, threshold=0.8, random_state=3)
    pd.testing.assert_frame_equal(first, corpus_module.find_duplicates(corpus, threshold=0.8, random_state=3))
    with pytest.raises(ValueError, match="threshold"):
        corpus_module.find_duplicates(corpus, threshold=0)
    with pytest.raises(ValueError, match="num_perm"):
        corpus_module.find_duplicates(corpus, num_perm=10)
    with pytest.raises(ValueError, match="text_clean"):
        corpus_module.find_duplicates(corpus.drop(columns="text_clean"))


def test_a_document_like_a_duplicate_but_not_like_the_kept_one_stays():
    base = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉"
    drifted = base[:-2] + "戌亥"
    further = drifted[:-4] + "天地玄黄"
    corpus = pd.DataFrame({"doc_id": ["1", "2", "3"], "text_clean": [base, drifted, further]})
    duplicates = corpus_module.find_duplicates(corpus, threshold=0.7, shingle_size=2)
    assert duplicates["doc_id"].tolist() == ["2"]
    assert duplicates["duplicate_of"].tolist() == ["1"]


def test_drop_duplicates_records_them_as_skipped_with_a_count_warning(tmp_path):
    corpus = duplicate_corpus()
    corpus.attrs[corpus_module.LOAD_RECORD_ATTR] = json.dumps(
        {"skipped": [{"path": "feed.jsonl", "record": 9, "reason": "malformed JSON"}], "damaged": []}
    )
    with pytest.warns(CorpusWarning, match=r"dropped 2 duplicate document\(s\) \(1 exact, 1 near"):
        kept = corpus_module.drop_duplicates(corpus, threshold=0.8)

    assert kept["doc_id"].tolist() == ["a", "b", "e"]
    skipped = corpus_module.skipped(kept)
    assert_accounted(kept, 5 + 1)
    assert skipped["record"].tolist() == [9, 3, 4]
    assert skipped["reason"].iloc[1].startswith("near duplicate of a (similarity 0.")
    assert skipped["reason"].iloc[2] == "duplicate of a"
    assert not any(isinstance(value, pd.DataFrame) for value in kept.attrs.values())


def test_drop_duplicates_without_duplicates_changes_nothing():
    corpus = duplicate_corpus().iloc[[0, 1, 4]].reset_index(drop=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        kept = corpus_module.drop_duplicates(corpus)
    pd.testing.assert_frame_equal(kept, corpus)
    assert corpus_module.skipped(kept).empty


@pytest.mark.slow
def test_cctv_news_has_no_reprints_at_the_default_threshold(cctv_news_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CorpusWarning)
        corpus = load_corpus(cctv_news_path)
    assert corpus_module.find_duplicates(corpus).empty
    # Looser, it pairs the recurring announcements (daily epidemic figures, session notices).
    loose = corpus_module.find_duplicates(corpus, threshold=0.5)
    assert len(loose) > 0
    assert loose["similarity"].between(0.5, 1).all()


# ------------------------------------------------------------------ periods


def test_empty_documents_are_not_duplicates_of_each_other():
    corpus = pd.DataFrame({"doc_id": ["a", "b", "c"], "text_clean": ["", " \n", "稳中求进"]})
    assert corpus_module.find_duplicates(corpus).empty


# ------------------------------------------- scraped corpora as they really come (issue 12)


def test_lone_surrogate_escape_is_removed_and_the_record_listed_as_damaged(tmp_path):
    path = tmp_path / "scraped.jsonl"
    path.write_text(
        '{"title": "六稳\\ud83d", "text": "做好六稳\\ud83d工作"}\n{"text": "落实六保任务"}\n', encoding="utf-8"
    )
    with pytest.warns(CorpusWarning, match="incomplete"):
        corpus = load_corpus(path)

    assert corpus["text"].tolist() == ["做好六稳工作", "落实六保任务"]
    assert corpus.loc[0, "title"] == "六稳"
    damaged = corpus_module.damaged(corpus)
    assert damaged["record"].tolist() == [1]
    assert "surrogate" in damaged.loc[0, "reason"] and "'text'" in damaged.loc[0, "reason"]


def test_file_name_that_is_not_utf8_does_not_stop_the_folder(tmp_path):
    folder = tmp_path / "zip"
    folder.mkdir()
    (folder / "good.txt").write_text("稳中求进。", encoding="utf-8")
    gbk_name = os.fsdecode(bytes(folder) + b"/" + "政府工作报告".encode("gbk") + b".txt")
    Path(gbk_name).write_text("保居民就业。", encoding="utf-8")

    corpus = load_quietly(folder, split_articles=False)

    assert sorted(corpus["text_clean"]) == ["保居民就业。", "稳中求进。"]
    assert "政府工作报告" in set(corpus["doc_id"])
    assert any(path.endswith("政府工作报告.txt") for path in corpus["path"])


def test_csv_unclosed_quote_is_reported_and_the_rows_after_it_recovered(tmp_path):
    path = tmp_path / "rows.csv"
    rows = [f"{n},第{n}条新闻正文。" for n in range(3, 9)]
    path.write_text("id,text\n1,第一条。\n2,\"第二条没有闭合的引号\n" + "\n".join(rows) + "\n", encoding="utf-8")

    with pytest.warns(CorpusWarning, match="skipped 1"):
        corpus = load_corpus(path)

    assert corpus["doc_id"].tolist() == ["1", "3", "4", "5", "6", "7", "8"]
    reason = corpus_module.skipped(corpus).loc[0, "reason"]
    assert "unclosed quote on line 3" in reason
    with pytest.raises(CorpusError, match=r"rows\.csv: record 2: an unclosed quote"):
        load_corpus(path, strict=True)


def test_csv_field_over_the_csv_module_limit_keeps_the_file(tmp_path):
    path = tmp_path / "long.csv"
    long_text = "稳" * 200_000
    path.write_text(f"id,text\n1,{long_text}\n2,短文。\n", encoding="utf-8")

    corpus = load_quietly(path)

    assert corpus["text"].str.len().tolist() == [200_000, 3]
    import csv as csv_module

    assert csv_module.field_size_limit() == 131072  # the process-wide limit is put back


def test_one_line_in_another_encoding_is_skipped_alone_in_a_small_jsonl(tmp_path):
    path = tmp_path / "mixed.jsonl"
    lines = [json.dumps({"text": f"第{n}条：稳就业保民生。"}, ensure_ascii=False).encode("utf-8") for n in range(5)]
    lines.insert(2, json.dumps({"text": "保市场主体"}, ensure_ascii=False).encode("gbk"))
    path.write_bytes(b"\n".join(lines) + b"\n")

    with pytest.warns(CorpusWarning, match="skipped 1"):
        corpus = load_corpus(path)

    assert len(corpus) == 5 and corpus["text"].str.startswith("第").all()
    assert corpus_module.skipped(corpus)["record"].tolist() == [3]


def test_unreadable_folders_and_symlinks_are_listed_not_lost(tmp_path, monkeypatch):
    folder = tmp_path / "corpus"
    (folder / "locked").mkdir(parents=True)
    (folder / "locked" / "a.txt").write_text("看不到。", encoding="utf-8")
    (folder / "ok.txt").write_text("稳中求进。", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "b.txt").write_text("另一处。", encoding="utf-8")
    (folder / "linked").symlink_to(elsewhere, target_is_directory=True)
    (folder / "dangling.txt").symlink_to(tmp_path / "nothing.txt")
    (folder / "alias.txt").symlink_to(folder / "ok.txt")
    real_scandir = os.scandir

    def scandir(path="."):
        # chmod 000 does not stop root, who runs these tests in containers.
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    with pytest.warns(CorpusWarning, match="skipped 3"):
        corpus = load_corpus(folder, split_articles=False)

    assert sorted(corpus["doc_id"]) == ["alias", "ok"]
    reasons = dict(zip(corpus_module.skipped(corpus)["path"], corpus_module.skipped(corpus)["reason"]))
    assert reasons[str(folder / "locked")].startswith("folder cannot be read: Permission denied")
    assert reasons[str(folder / "linked")].startswith("a symbolic link to a folder")
    assert reasons[str(folder / "dangling.txt")].startswith("a broken symbolic link")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 folder")
def test_chmod_000_subfolder_is_listed(tmp_path):
    (tmp_path / "locked").mkdir()
    (tmp_path / "ok.txt").write_text("稳中求进。", encoding="utf-8")
    (tmp_path / "locked").chmod(0)
    try:
        with pytest.warns(CorpusWarning, match="skipped 1"):
            corpus = load_corpus(tmp_path, split_articles=False)
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert corpus_module.skipped(corpus)["reason"].str.startswith("folder cannot be read").all()


def test_folder_of_jsonl_csv_and_parquet_shards_loads_as_one_corpus(tmp_path):
    folder = tmp_path / "dump"
    (folder / "2020").mkdir(parents=True)
    write_jsonl(folder / "2020" / "01.jsonl", [{"text": "一月稳就业。", "date": "2020-01-05"}, {"text": "一月保民生。"}])
    write_jsonl(folder / "2020" / "02.jsonl", [{"text": "二月稳外贸。", "date": "2020-02-05"}])
    (folder / "part.csv").write_text("text,date\n三月稳金融。,2020-03-01\n", encoding="utf-8")
    pq.write_table(pa.table({"text": ["四月稳投资。"], "date": ["2020-04-01"]}), folder / "part.0.parquet")
    (folder / "page.txt").write_text("五月保粮食能源安全。", encoding="utf-8")
    with gzip.open(folder / "more.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"text": "六月保产业链。"}, ensure_ascii=False) + "\n")
    (folder / "_common_metadata").write_bytes(b"PAR1\x00\x00")

    with pytest.warns(CorpusWarning, match="skipped 1"):
        corpus = load_corpus(folder)

    assert_accounted(corpus, 8)
    assert sorted(corpus["doc_id"]) == ["2020/01-1", "2020/01-2", "2020/02-1", "more-1", "page", "part-1", "part.0-1"]
    assert corpus["date"].notna().sum() == 4
    assert corpus_module.skipped(corpus)["path"].tolist() == [str(folder / "_common_metadata")]


@pytest.mark.parametrize("kind", ["jsonl", "csv", "txt"])
def test_gzip_compressed_files_load(tmp_path, kind):
    content = {
        "jsonl": json.dumps({"text": "稳中求进。"}, ensure_ascii=False) + "\n",
        "csv": "text\n稳中求进。\n",
        "txt": "稳中求进。",
    }[kind]
    path = tmp_path / f"corpus.{kind}.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(content)

    corpus = load_quietly(path, split_articles=False)

    assert corpus["text_clean"].tolist() == ["稳中求进。"]
    assert corpus["doc_id"].iloc[0] in ("corpus", "corpus-1")


def test_damaged_gzip_keeps_the_lines_before_the_damage(tmp_path):
    path = tmp_path / "cut.jsonl.gz"
    lines = "".join(json.dumps({"text": f"第{n}条" + "稳" * 50}, ensure_ascii=False) + "\n" for n in range(200))
    data = gzip.compress(lines.encode("utf-8"))
    path.write_bytes(data[: len(data) // 2])

    with pytest.warns(CorpusWarning, match="skipped 1"):
        corpus = load_corpus(path)

    assert 0 < len(corpus) < 200
    assert "gzip" in corpus_module.skipped(corpus).loc[0, "reason"]


def test_zip_archives_are_clearly_refused(tmp_path):
    path = tmp_path / "corpus.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.txt", "稳中求进。")
    with pytest.raises(CorpusError, match="ZIP archive: unpack it"):
        load_corpus(path)
    (tmp_path / "a.txt").write_text("稳中求进。", encoding="utf-8")
    with pytest.warns(CorpusWarning, match="skipped 1"):
        corpus = load_corpus(tmp_path, split_articles=False)
    assert "ZIP archive" in corpus_module.skipped(corpus).loc[0, "reason"]


def test_dated_file_names_set_date_page_and_seq(tmp_path):
    (tmp_path / "20200602").mkdir()
    (tmp_path / "20200602" / "20200602-01-03.txt").write_text("稳就业。", encoding="utf-8")
    (tmp_path / "2020-06-03_社论.txt").write_text("保民生。", encoding="utf-8")
    (tmp_path / "20200604.txt").write_text("稳外贸。", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("无日期。", encoding="utf-8")

    corpus = load_quietly(tmp_path, split_articles=False).set_index("doc_id")

    assert corpus.loc["20200602/20200602-01-03", "date"] == pd.Timestamp("2020-06-02")
    assert corpus.loc["20200602/20200602-01-03", ["page", "seq"]].tolist() == [1, 3]
    assert corpus.loc["2020-06-03_社论", "date"] == pd.Timestamp("2020-06-03")
    assert corpus.loc["20200604", "date_precision"] == "day"
    assert pd.isna(corpus.loc["20200604", "page"])
    assert pd.isna(corpus.loc["notes", "date"])
    assert str(corpus["page"].dtype) == "Int64"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
def test_utf16_and_utf32_are_honoured(tmp_path, encoding):
    text_path = tmp_path / "page.txt"
    text_path.write_bytes("稳中求进。\n保民生。".encode(encoding))
    jsonl_path = tmp_path / "items.jsonl"
    jsonl_path.write_bytes(('{"text": "稳就业"}\n{"text": "保民生"}\n').encode(encoding))
    csv_path = tmp_path / "rows.csv"
    csv_path.write_bytes("text\n稳外贸\n".encode(encoding))

    assert load_quietly(text_path, encoding=encoding, split_articles=False)["text_clean"].tolist() == ["稳中求进。\n保民生。"]
    assert load_quietly(jsonl_path, encoding=encoding)["text"].tolist() == ["稳就业", "保民生"]
    assert load_quietly(csv_path, encoding=encoding)["text"].tolist() == ["稳外贸"]


def test_utf16_with_a_byte_order_mark_is_read_without_being_told(tmp_path):
    path = tmp_path / "page.txt"
    path.write_bytes("稳中求进。".encode("utf-16"))
    assert load_quietly(path, split_articles=False)["text_clean"].tolist() == ["稳中求进。"]


def test_text_that_opens_with_its_title_has_its_body_start_after_it(tmp_path):
    path = write_jsonl(
        tmp_path / "news.jsonl",
        [
            {"title": "扎实做好六稳工作", "text": "扎实做好六稳工作\n\n会议要求落实六保任务。"},
            {"title": "另一个标题", "text": "会议要求做好六稳工作。"},
        ],
    )
    corpus = load_quietly(path)

    first = corpus.loc[0]
    assert first["text_clean"][first["body_start"]:] == "会议要求落实六保任务。"
    assert corpus.loc[1, "body_start"] == 0
    from analysis.slogans import tag_slogans

    mentions = tag_slogans(corpus)
    six = mentions[(mentions["doc_id"] == "news-1") & (mentions["canonical"] == "六稳")]
    assert six["in_title"].tolist() == [True]


def test_traditional_titles_are_converted_with_their_texts(tmp_path):
    path = write_jsonl(
        tmp_path / "old.jsonl",
        [{"title": "1954年中華人民共和國國務院政府工作報告", "text": "我們的會議討論了經濟問題。"}],
    )
    corpus = load_quietly(path)
    assert corpus.loc[0, "title"] == "1954年中华人民共和国国务院政府工作报告"
    assert corpus.loc[0, "text_clean"] == "我们的会议讨论了经济问题。"
    assert load_quietly(path, to_simplified=False).loc[0, "title"] == "1954年中華人民共和國國務院政府工作報告"


def test_stub_records_are_flagged_suspect_short(tmp_path):
    report = "国务院政府工作报告全文。" + "稳就业保民生，推动高质量发展。" * 300
    records = [{"title": f"{year}年政府工作报告", "text": report} for year in range(2015, 2021)]
    records.append({"title": "政府工作报告", "text": "政府工作报告可以指：中华人民共和国国务院政府工作报告；地方政府工作报告。"})
    path = write_jsonl(tmp_path / "reports.jsonl", records)

    with pytest.warns(CorpusWarning, match="far shorter"):
        corpus = load_corpus(path)

    assert len(corpus) == 7  # flagged, not dropped
    damaged = corpus_module.damaged(corpus)
    assert damaged["record"].tolist() == [7]
    assert damaged.loc[0, "reason"].startswith(corpus_module.SUSPECT_SHORT_REASON)


def test_a_folder_of_24_bad_inputs_loses_nothing_good(tmp_path):
    """Every kind of damage seen in scraped corpora, in one folder: each input loaded or listed."""
    folder = tmp_path / "scraped"
    folder.mkdir()
    good = []  # texts that must come through, in text_clean

    def text(name, content, encoding="utf-8"):
        (folder / name).write_bytes(content.encode(encoding))

    def jsonl(name, *texts):
        write_jsonl(folder / name, [{"text": t} for t in texts])

    text("good.txt", "稳中求进工作总基调。"); good.append("稳中求进工作总基调。")
    text("gbk.txt", "保居民就业保基本民生。", "gb18030"); good.append("保居民就业保基本民生。")
    text("traditional.txt", "我們的會議討論了經濟問題。"); good.append("我们的会议讨论了经济问题。")
    text("empty.txt", "")
    text("blank.txt", " \n\u3000\n")
    (folder / "report.pdf").write_bytes(PDF_HEADER)
    (folder / "photo.txt").write_bytes(PNG_HEADER)
    (folder / "unknown.txt").write_bytes(undetectable_bytes())
    (folder / "cut.txt").write_bytes("推动高质量发展".encode("utf-8")[:-1]); good.append("推动高质量发")
    text("utf16.txt", "\ufeff扎实做好六稳工作。", "utf-16-le"); good.append("扎实做好六稳工作。")
    text("20200602-01-03.txt", "全面落实六保任务。"); good.append("全面落实六保任务。")
    text("placeholder.txt", "CONTENT NOTFOUND")
    (folder / "surrogate.jsonl").write_text('{"text": "做好六稳\\ud83d工作"}\n', encoding="utf-8"); good.append("做好六稳工作")
    (folder / "mixed.jsonl").write_bytes(
        json.dumps({"text": "稳外贸稳外资。"}, ensure_ascii=False).encode("utf-8") + b"\n"
        + json.dumps({"text": "保市场主体"}, ensure_ascii=False).encode("gbk") + b"\n"
        + json.dumps({"text": "稳投资稳预期。"}, ensure_ascii=False).encode("utf-8") + b"\n"
    ); good += ["稳外贸稳外资。", "稳投资稳预期。"]
    (folder / "malformed.jsonl").write_text('{"text": "稳金融。"}\n{"text": \n', encoding="utf-8"); good.append("稳金融。")
    text("unclosed.csv", 'id,text\n1,保粮食能源安全。\n2,"没有闭合\n3,保产业链供应链稳定。\n4,保基层运转。\n')
    good += ["保粮食能源安全。", "保产业链供应链稳定。", "保基层运转。"]
    text("long.csv", "id,text\n1," + "稳" * 140_000 + "\n"); good.append("稳" * 1000)
    pq.write_table(pa.table({"text": ["稳就业。", "稳物价。"]}), folder / "shard.parquet"); good += ["稳就业。", "稳物价。"]
    with gzip.open(folder / "feed.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"text": "六稳六保。"}, ensure_ascii=False) + "\n")
    good.append("六稳六保。")
    with gzip.open(folder / "page.txt.gz", "wt", encoding="utf-8") as handle:
        handle.write("构建新发展格局。")
    good.append("构建新发展格局。")
    with zipfile.ZipFile(folder / "archive.zip", "w") as archive:
        archive.writestr("inside.txt", "压缩包里的文字。")
    (folder / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "outside").mkdir()
    (folder / "linked").symlink_to(tmp_path / "outside", target_is_directory=True)
    Path(os.fsdecode(bytes(folder) + b"/" + "报告".encode("gbk") + b".txt")).write_text("深化改革开放。", encoding="utf-8")
    good.append("深化改革开放。")
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")  # hidden: not an input

    entries = [path for path in folder.iterdir() if not path.name.startswith(".")]
    assert len(entries) == 24
    # Inputs are documents: one per file, except the tabular files holding several records.
    inputs = 24 + (3 - 1) + (2 - 1) + (4 - 1) + (2 - 1)

    with pytest.warns(CorpusWarning):
        corpus = load_corpus(folder, split_articles=False)

    assert_accounted(corpus, inputs)
    everything = "\n".join(corpus["text_clean"])
    lost = [piece for piece in good if piece not in everything]
    assert not lost
    assert len(corpus) == len(good)  # one good text per loaded document
    damaged = corpus_module.damaged(corpus)
    assert {"cut.txt", "surrogate.jsonl"} <= {Path(path).name for path in damaged["path"]}


def test_ids_two_files_of_a_folder_share_are_qualified_by_the_file(tmp_path):
    (tmp_path / "a.csv").write_text("id,text\n1,稳就业。\n2,保民生。\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("id,text\n1,稳外贸。\n3,稳外资。\n", encoding="utf-8")
    corpus = load_quietly(tmp_path)
    assert corpus["doc_id"].tolist() == ["a.csv:1", "2", "b.csv:1", "3"]


# ------------------------------------------------------------------ levels


def test_levels_and_regions_from_the_data_from_a_source_table_or_for_the_whole_corpus(tmp_path):
    path = write_jsonl(tmp_path / "papers.jsonl", [
        {"id": "a", "text": "六稳", "source": "人民日报", "level": "central"},
        {"id": "b", "text": "六保", "source": "河南日报", "region": "河南省"},
        {"id": "c", "text": "六稳", "source": "郑州日报"},
    ])
    corpus = load_quietly(path, level={"河南日报": "provincial", "人民日报": "county"})
    # The data's own level wins; the source table fills the rest; an unknown source stays NA.
    assert corpus["level"].tolist()[:2] == ["central", "provincial"] and pd.isna(corpus.loc[2, "level"])
    assert corpus.loc[1, "region"] == "河南省"
    whole = load_quietly(path, level="municipal", region="郑州市")
    assert whole["level"].tolist() == ["central", "municipal", "municipal"]
    assert whole["region"].tolist() == ["郑州市", "河南省", "郑州市"]
    assert list(whole.columns) == COLUMNS
    plain = load_quietly(path)
    assert pd.isna(plain.loc[2, "level"]) and pd.isna(plain.loc[0, "region"])


def test_an_unknown_level_is_an_error_naming_the_file_and_record(tmp_path):
    path = write_jsonl(tmp_path / "papers.jsonl", [
        {"id": "a", "text": "六稳", "level": "central"},
        {"id": "b", "text": "六保", "level": "national"},
    ])
    with pytest.raises(CorpusError, match=r"papers\.jsonl: record 2: level 'national' is not one of central"):
        load_quietly(path)
    with pytest.raises(CorpusError, match="level 'district' is not one of"):
        load_quietly(tmp_path / "papers.jsonl", level="district")


def test_combine_corpora_keeps_levels_and_refuses_shared_ids(tmp_path):
    central = write_jsonl(tmp_path / "central.jsonl", [{"id": "c1", "text": "六稳", "date": "2018-07-31"}])
    local = write_jsonl(tmp_path / "local.jsonl", [{"id": "l1", "text": "控保稳进抬扛", "date": "2020-06-01"}])
    combined = corpus_module.combine_corpora(
        [load_quietly(central, level="central"), local], levels=[None, "county"], regions=[None, "郑州高新区"]
    )
    assert combined["doc_id"].tolist() == ["c1", "l1"]
    assert combined["level"].tolist() == ["central", "county"]
    assert combined["region"].tolist()[1] == "郑州高新区"
    assert [str(p) for p in combined.attrs["path"]] == [str(central), str(local)]
    assert corpus_module.skipped(combined).empty
    with pytest.raises(CorpusError, match="'c1'"):
        corpus_module.combine_corpora([central, central])
    with pytest.raises(CorpusError, match="levels has 1 entries for 2 corpora"):
        corpus_module.combine_corpora([central, local], levels=["central"])


def test_resolutions_approving_a_report_are_procedural_and_news_about_them_is_not():
    resolution = "第十三届全国人民代表大会第三次会议听取和审议了国务院总理李克强所作的政府工作报告。会议同意报告。"
    assert corpus_module.document_type("第十三届全国人民代表大会第三次会议关于政府工作报告的决议", resolution) == "procedural"
    assert corpus_module.document_type("政府工作报告", "各位代表：现在，我代表国务院，向大会报告政府工作。") == "text"
    # A delegation deliberating the report, or a UN resolution, is news.
    assert corpus_module.document_type("栗战书参加江西代表团审议", "栗战书参加审议政府工作报告。") == "text"
    assert corpus_module.document_type("人类命运共同体理念再次写入联大决议", "联合国大会通过决议。") == "text"
    # A long text is never procedural, whatever its title.
    assert corpus_module.document_type("关于某某的决议", "会议同意。" + "字" * 6_000) == "text"


@pytest.mark.slow
def test_the_work_reports_have_twenty_procedural_resolutions(gov_reports_path):
    corpus = load_quietly(gov_reports_path)
    procedural = corpus[corpus["doc_type"] == "procedural"]
    assert len(procedural) == 20
    assert procedural["title"].str.contains("决议").all()
    assert len(corpus_module.without_procedural(corpus)) == 52


# --- The corpus cache ----------------------------------------------------------------------------


def _jsonl_with_a_broken_record(path):
    write_jsonl(path, [
        {"id": "a", "title": "做好六稳", "date": "2020-06-01", "text": "要做好“六稳”工作，落实“六保”任务。"},
        {"id": "b", "title": "稳中求进", "date": "2021-03-05", "text": "坚持稳中求进工作总基调。"},
    ])
    with path.open("a", encoding="utf-8") as handle:
        handle.write("{not json\n")
    return path


def test_a_cached_load_gives_the_same_frame_attrs_and_warnings_without_reading_again(tmp_path, monkeypatch):
    path = _jsonl_with_a_broken_record(tmp_path / "news.jsonl")
    cache = tmp_path / "corpora"
    with pytest.warns(CorpusWarning, match="skipped 1 document") as fresh_warnings:
        fresh = load_corpus(path)
    with pytest.warns(CorpusWarning, match="skipped 1 document"):
        first = load_corpus(path, cache=cache)
    assert len(list(cache.glob("*.parquet"))) == 1

    def no_reading(*args, **kwargs):
        raise AssertionError("a cached corpus must not be read again")

    # load_corpus reads a single file through the name in its own module.
    monkeypatch.setattr(load_module, "tabular_file_rows", no_reading)
    with pytest.warns(CorpusWarning) as cached_warnings:
        cached = load_corpus(path, cache=cache)
    for frame in (first, cached):
        pd.testing.assert_frame_equal(frame, fresh)
        assert frame.attrs == fresh.attrs
    assert [str(w.message) for w in cached_warnings] == [str(w.message) for w in fresh_warnings]
    pd.testing.assert_frame_equal(corpus_module.skipped(cached), corpus_module.skipped(fresh))
    # Other options are another entry: they are read again (and here the reader is gone).
    with pytest.raises(AssertionError, match="must not be read again"):
        load_corpus(path, cache=cache, fix_ocr=False)


def test_a_changed_corpus_or_a_damaged_entry_is_loaded_again(tmp_path):
    path = tmp_path / "news.jsonl"
    write_jsonl(path, [{"id": "a", "title": "六稳", "date": "2020-06-01", "text": "要做好“六稳”工作。"}])
    cache = tmp_path / "corpora"
    assert load_corpus(path, cache=cache)["text_clean"].tolist() == ["要做好“六稳”工作。"]
    write_jsonl(path, [{"id": "a", "title": "六保", "date": "2020-06-01", "text": "落实“六保”任务。"}])
    assert load_corpus(path, cache=cache)["text_clean"].tolist() == ["落实“六保”任务。"]
    for entry in cache.glob("*.parquet"):
        entry.write_bytes(entry.read_bytes()[:100])  # truncated
    again = load_corpus(path, cache=cache)
    assert again["text_clean"].tolist() == ["落实“六保”任务。"]
    pd.testing.assert_frame_equal(load_corpus(path, cache=cache), again)
