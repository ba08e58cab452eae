"""Tests for analysis.corpus: formats, encodings, dates, skips and ids.

Fixture files are written into tmp_path by each test; the shared corpora are
read only in the slow tests, through the conftest fixtures.
"""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analysis import clean, config
from analysis import corpus as corpus_module
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
    assert corpus.attrs["skipped"].empty


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

    with pytest.warns(CorpusWarning, match=r"skipped 1 document.*attrs\['skipped'\]"):
        corpus = load_corpus(path)

    assert corpus.empty
    assert list(corpus.columns) == COLUMNS
    skipped = corpus.attrs["skipped"]
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

    skipped = corpus.attrs["skipped"]
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


def test_relative_paths_resolve_from_the_project_root(tmp_path, monkeypatch):
    write_jsonl(tmp_path / "items.jsonl", [{"text": "六稳"}])
    monkeypatch.setattr(config, "PROJECT_ROOT", tmp_path)

    corpus = load_quietly("items.jsonl")

    assert corpus.loc[0, "path"] == str(tmp_path / "items.jsonl")


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

    skipped = corpus.attrs["skipped"]
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


def test_undecodable_jsonl_line_is_skipped_alone(tmp_path, monkeypatch):
    # Sniff only the first line so the bad byte further down is met line by line.
    monkeypatch.setattr(corpus_module, "_SNIFF_BYTES", 16)
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b'{"text": "ok"}\n{"text": "caf\xe9 \xff"}\n{"text": "fine"}\n')

    with pytest.warns(CorpusWarning, match="skipped 1"):
        corpus = load_corpus(path)

    assert corpus["text"].tolist() == ["ok", "fine"]
    assert corpus.attrs["skipped"]["record"].tolist() == [2]
    assert "cannot be decoded" in corpus.attrs["skipped"].loc[0, "reason"]


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
    skipped = corpus.attrs["skipped"]
    assert skipped["record"].tolist() == [2, 3, 4, 5, 6]
    assert "whitespace-only" in skipped.loc[1, "reason"]
    assert "int" in skipped.loc[4, "reason"]


def test_empty_jsonl_file_is_skipped(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"")
    with pytest.warns(CorpusWarning, match="skipped 1"):
        corpus = load_corpus(path)
    assert corpus.empty
    assert corpus.attrs["skipped"]["reason"].tolist() == ["empty file"]


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
    assert corpus.attrs["skipped"]["record"].tolist() == [2]
    assert "3 fields" in corpus.attrs["skipped"].loc[0, "reason"]


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
    assert "Parquet" in corpus.attrs["skipped"].loc[0, "reason"]


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


def test_text_files_with_the_same_stem_are_duplicate_ids(tmp_path):
    (tmp_path / "a.txt").write_text("一", encoding="utf-8")
    (tmp_path / "a.md").write_text("二", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"'a'.*a\.md.*a\.txt"):
        load_corpus(tmp_path, split_articles=False)


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
    assert corpus.attrs["skipped"].empty
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
def test_cctv_news_loads_every_item(cctv_news_path):
    corpus = load_quietly(cctv_news_path)

    assert len(corpus) == 5508
    assert corpus["doc_id"].is_unique
    assert corpus["doc_id"].iloc[0] == "20220101-01"
    assert corpus["date"].min() == pd.Timestamp("2022-01-01")
    assert corpus["date"].max() == pd.Timestamp("2022-12-31")
    assert set(corpus["date_precision"]) == {"day"}
    # 11 items lack the lead-in (two communiqués, "CONTENT NOTFOUND" stubs, bare links): loaded as they are.
    assert int(corpus["text"].str.startswith("央视网消息（新闻联播）：").sum()) == 5508 - 11
    with cctv_news_path.open(encoding="utf-8") as handle:
        raw_texts = [json.loads(line)["text"] for line in handle]
    assert corpus["text"].tolist() == raw_texts
