"""Tests for analysis.tokens: the policy tokenizer, stopwords, tokenize and tokens_to_documents."""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import os
import pkgutil
import re
import subprocess
import sys
from collections import Counter

import jieba
import numpy as np
import pandas as pd
import pytest
import scipy.sparse
import stopwordsiso
import yaml
from sklearn.feature_extraction.text import CountVectorizer

from analysis import tokens
from analysis.lexicon import load_lexicon, surface_forms
from analysis.tokens import (
    DictionaryError,
    content_tokens,
    dictionary_fingerprint,
    document_order,
    get_tokenizer,
    in_document_order,
    load_stopwords,
    make_tokenizer,
    person_names,
    select_documents,
    token_codes,
    tokenize,
    tokens_to_documents,
)
from analysis.tokens import segmenter as segmenter_module
from analysis.validation import InputError

SLOGANS = ["六稳", "六保", "控保稳进抬扛", "四梁八柱", "黄河流域生态保护和高质量发展", "国家中心城市", "疫情防控", "复工复产"]


@pytest.fixture(scope="module")
def tokenizer():
    return get_tokenizer()


@pytest.fixture(scope="module")
def seed_text(seed_path) -> str:
    return seed_path.read_text(encoding="utf-8")


def _corpus(*texts: str) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text_clean": list(texts)})


def _write_lexicon(path, entries) -> pd.DataFrame:
    path.write_text(yaml.safe_dump({"version": "test", "entries": entries}, allow_unicode=True), encoding="utf-8")
    return load_lexicon(path)


# ---------------------------------------------------------------------------
# Slogans come out whole
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("落实好“控保稳进抬扛”六字方针", ["控保稳进抬扛"]),
        ('落实好"控保稳进抬扛"六字方针', ["控保稳进抬扛"]),
        ("扎实作好“六稳”工作，坚决落实“六保”任务", ["六稳", "六保"]),
        ("扎实做好六稳工作，全面落实六保任务", ["六稳", "六保"]),
        ("统筹推进疫情防控和经济社会发展", ["疫情防控"]),
        ("围绕中部地区崛起、黄河流域生态保护和高质量发展国家战略实施", ["黄河流域生态保护和高质量发展"]),
        ("围绕郑州国家中心城市和国家自主创新示范区建设", ["国家中心城市"]),
        ("复工复产工作一直走在全市前列", ["复工复产"]),
        ("搭建政策体系的四梁八柱", ["四梁八柱"]),
        ("稳就业、稳金融、稳外贸、稳外资、稳投资、稳预期", ["稳就业", "稳金融", "稳外贸", "稳外资", "稳投资", "稳预期"]),
        ("保就业保民生保市场主体", ["保就业", "保民生", "保市场主体"]),
        ("保居民就业、保基本民生、保产业链供应链稳定", ["保居民就业", "保基本民生", "保产业链供应链稳定"]),
    ],
)
def test_slogans_are_single_tokens_in_running_text(tokenizer, sentence, expected):
    words = tokenizer.lcut(sentence)
    assert [word for word in words if word in expected] == expected, words
    assert [t for t in tokenize(sentence, tokenizer=tokenizer, stopwords=None)["token"] if t in expected] == expected


def test_slogans_in_the_seed_page_come_out_whole_at_every_occurrence(tokenizer, seed_text):
    counts = tokenize(seed_text, tokenizer=tokenizer, stopwords=None)["token"].value_counts()
    for form in ["控保稳进抬扛", "六稳", "六保", "疫情防控", "复工复产", "以保促稳", "稳中求进", "黄河流域生态保护和高质量发展"]:
        occurrences = seed_text.count(form)
        assert occurrences > 0, form
        assert counts.get(form, 0) == occurrences, form


def test_every_joinable_lexicon_form_is_one_token_with_and_without_hmm(tokenizer):
    forms = [form for form in surface_forms(load_lexicon()) if len(form) >= 2]
    joinable = [form for form in forms if re.fullmatch(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+", form)]
    assert set(SLOGANS) <= set(joinable)
    for form in joinable:
        assert tokenizer.lcut(form) == [form], form
        assert tokenizer.lcut(form, HMM=False) == [form], form
    # Forms with 、 or full-width signs cannot be one jieba token; they are
    # listed, and each of their parts is a token instead.
    punctuated = set(forms) - set(joinable)
    assert set(tokenizer.skipped_forms) == punctuated
    for form in punctuated:
        parts = [part for part in re.split(r"[^\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+", form) if len(part) >= 2]
        assert [word for word in tokenizer.lcut(form) if len(word) >= 2] == parts, form


def test_single_character_components_are_not_dictionary_words(tokenizer):
    assert {"控", "保", "稳", "进", "抬", "扛"}.isdisjoint(tokenizer.dictionary_words)
    # With 保 forced in, 确保就业 would come out as 确 / 保就业.
    assert tokenizer.lcut("确保就业稳定") == ["确保", "就业", "稳定"]


def test_policy_terms_file_is_loaded(tokenizer):
    assert tokenizer.lcut("郑州高新区党工委和管委会") == ["郑州", "高新区", "党工委", "和", "管委会"]
    assert tokenizer.lcut("十四五规划") == ["十四五", "规划"]


def test_a_custom_lexicon_is_used_and_changes_the_fingerprint(tmp_path):
    lexicon = _write_lexicon(
        tmp_path / "slogans.yaml",
        [
            {
                "id": "sanzhuasancu",
                "canonical": "三抓三促",
                "aliases": ["抓学习、促提升"],
                "components": [{"text": "抓学习促提升", "aliases": []}, {"text": "抓", "aliases": []}],
            }
        ],
    )
    custom = make_tokenizer(lexicon=lexicon)
    assert custom.lcut("深入开展三抓三促行动") == ["深入开展", "三抓三促", "行动"]
    assert "抓学习促提升" in custom.dictionary_words and "抓" not in custom.dictionary_words
    assert custom.skipped_forms == ("抓学习、促提升",)
    assert custom.lcut("坚持抓学习、促提升") == ["坚持", "抓学习", "、", "促提升"]
    assert custom.fingerprint == dictionary_fingerprint(lexicon=lexicon)
    assert custom.fingerprint != dictionary_fingerprint()
    # The shipped slogans are not in a tokenizer built from another lexicon.
    assert "控保稳进抬扛" not in custom.lcut("落实控保稳进抬扛要求")


# ---------------------------------------------------------------------------
# User dictionaries, memoisation, fingerprints
# ---------------------------------------------------------------------------


def test_user_dictionary_takes_effect_with_comments_and_tags(tmp_path, tokenizer):
    sentence = "推动稳链强链和数智赋能"
    assert "稳链强链" not in tokenizer.lcut(sentence)
    user_dict = tmp_path / "mine.txt"
    user_dict.write_text("# my words\n稳链强链 nz\n\n数智赋能 5 vn\n", encoding="utf-8")

    custom = get_tokenizer(user_dicts=[user_dict])
    assert custom.lcut(sentence) == ["推动", "稳链强链", "和", "数智赋能"]
    frame = tokenize(sentence, tokenizer=custom, stopwords=None, pos=True)
    assert dict(zip(frame["token"], frame["pos"])) == {"推动": "v", "稳链强链": "nz", "和": "c", "数智赋能": "vn"}
    # An explicit frequency is kept as written.
    assert custom.FREQ["数智赋能"] == 5
    assert custom is get_tokenizer(user_dicts=(str(user_dict),))
    assert custom is not tokenizer
    assert custom.fingerprint == dictionary_fingerprint(user_dicts=[user_dict]) != tokenizer.fingerprint
    # The shipped slogans are still there.
    assert "控保稳进抬扛" in custom.lcut("落实控保稳进抬扛要求")


def test_get_tokenizer_is_memoised_and_keyed_on_content(tmp_path):
    assert get_tokenizer() is get_tokenizer()
    user_dict = tmp_path / "words.txt"
    user_dict.write_text("稳链强链\n", encoding="utf-8")
    first = dictionary_fingerprint(user_dicts=[user_dict])
    moved = tmp_path / "moved.txt"
    moved.write_bytes(user_dict.read_bytes())
    assert dictionary_fingerprint(user_dicts=[moved]) == first
    user_dict.write_text("稳链强链\n数智赋能\n", encoding="utf-8")
    assert dictionary_fingerprint(user_dicts=[user_dict]) != first
    assert dictionary_fingerprint(hmm=False) != dictionary_fingerprint(hmm=True)
    assert re.fullmatch(r"[0-9a-f]{64}", first)


def test_a_filtered_lexicon_gets_its_own_fingerprint():
    lexicon = load_lexicon()
    fewer = lexicon[lexicon["id"] != "liuwen"]
    # pandas carries attrs (and so the file's sha256) over to the filtered frame.
    assert fewer.attrs.get("sha256") == lexicon.attrs["sha256"]
    assert dictionary_fingerprint(lexicon=fewer) != dictionary_fingerprint(lexicon=lexicon)


@pytest.mark.parametrize(
    "content, message",
    [
        ("稳链强链 0\n", "frequency 0"),
        ("稳链 强链\n", "expected 'word [frequency] [tag]'"),
        ("稳链、强链\n", "never joins"),
    ],
)
def test_malformed_user_dictionary_names_file_and_line(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_text("# header\n" + content, encoding="utf-8")
    with pytest.raises(DictionaryError, match=re.escape(f"{path}, line 2")) as error:
        make_tokenizer(user_dicts=[path])
    assert message in str(error.value)


def test_missing_user_dictionary_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere.txt"):
        get_tokenizer(user_dicts=[tmp_path / "nowhere.txt"])


def test_hmm_setting_travels_with_the_tokenizer():
    # Without HMM, jieba leaves an unknown name as single characters.
    no_hmm = get_tokenizer(hmm=False)
    assert no_hmm.hmm is False
    frame = tokenize("记者钱庆辉报道", tokenizer=no_hmm, stopwords=None)
    assert frame.attrs["options"]["hmm"] is False
    assert frame.attrs["dictionary_fingerprint"] == dictionary_fingerprint(hmm=False)
    assert frame["token"].tolist() == ["记者", "钱", "庆", "辉", "报道"]
    assert tokenize("记者钱庆辉报道", stopwords=None)["token"].tolist() == ["记者", "钱庆辉", "报道"]


# ---------------------------------------------------------------------------
# The global jieba dictionary is left alone
# ---------------------------------------------------------------------------


def test_global_jieba_dictionary_is_untouched():
    # Reading jieba.dt's attributes does not load its dictionary; an
    # uninitialised jieba.dt has an empty FREQ, so the check stays cheap.
    before = (jieba.dt.initialized, len(jieba.dt.FREQ), jieba.dt.total, dict(jieba.dt.user_word_tag_tab))
    force_split = set(jieba.finalseg.Force_Split_Words)

    fresh = make_tokenizer()
    tokenize("落实好“控保稳进抬扛”六字方针", tokenizer=fresh, pos=True)

    assert (jieba.dt.initialized, len(jieba.dt.FREQ), jieba.dt.total, dict(jieba.dt.user_word_tag_tab)) == before
    assert set(jieba.finalseg.Force_Split_Words) == force_split
    assert "控保稳进抬扛" not in jieba.dt.FREQ
    assert "控保稳进抬扛" in fresh.FREQ


def test_package_code_never_calls_module_level_jieba():
    forbidden = {"dt", "cut", "lcut", "cut_for_search", "lcut_for_search", "add_word", "del_word",
                 "load_userdict", "suggest_freq", "initialize", "set_dictionary", "tokenize"}
    # tokens is a subpackage: every one of its modules.
    modules = [importlib.import_module(f"{tokens.__name__}.{info.name}") for info in pkgutil.iter_modules(tokens.__path__)]
    assert {"tokenizer", "segmenter"} <= {module.__name__.rsplit(".", 1)[1] for module in modules}
    tree = ast.Module(body=[node for module in [tokens, *modules] for node in ast.parse(inspect.getsource(module)).body],
                      type_ignores=[])
    used = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "jieba"
    }
    assert used & forbidden == set()


# ---------------------------------------------------------------------------
# Stopwords
# ---------------------------------------------------------------------------


def test_general_stopwords_come_from_stopwordsiso_plus_extra_list():
    general = load_stopwords()
    assert {"的", "了", "和", "是", "在", "我们"} <= general
    # From extra_general.txt, missing in stopwords-iso.
    assert {"必须", "已经", "今年"} <= general and not {"必须", "已经", "今年"} & stopwordsiso.stopwords("zh")
    assert "进一步" not in general and "加强" not in general


def test_boilerplate_list_is_switchable_and_curated():
    with_boilerplate = load_stopwords(boilerplate=True)
    general = load_stopwords()
    for word in ["进一步", "加强", "坚持", "推进", "全面", "深入", "积极", "不断", "切实", "着力", "扎实",
                 "大力", "持续", "各项", "有效", "重要", "工作", "央视网消息", "新闻联播"]:
        assert word in with_boilerplate, word
        assert word not in general, word
    boilerplate_only = load_stopwords(general=False, boilerplate=True)
    assert "的" not in boilerplate_only
    assert 60 <= len(boilerplate_only) <= 150
    # Substantive words stay countable.
    assert {"发展", "改革", "经济", "就业"}.isdisjoint(with_boilerplate)


def test_no_lexicon_form_is_ever_a_stopword(tmp_path):
    forms = set(surface_forms(load_lexicon()))
    everything = load_stopwords(boilerplate=True, extra=["稳中求进", "六稳", "同比"])
    assert forms.isdisjoint(everything)
    assert "同比" in everything
    # A custom lexicon protects its own forms, even single characters.
    lexicon = _write_lexicon(tmp_path / "lex.yaml", [{"id": "x", "canonical": "的确", "components": ["的"]}])
    assert {"的确", "的"}.isdisjoint(load_stopwords(lexicon=lexicon))


def test_stopword_arguments_are_checked():
    with pytest.raises(TypeError, match="single string"):
        load_stopwords(extra="同比")
    with pytest.raises(ValueError, match="non-empty str"):
        load_stopwords(extra=["同比", " 环比"])


def test_tokenize_stopword_modes(tokenizer):
    text = "我们要进一步加强疫情防控工作，稳中求进"
    default = tokenize(text, tokenizer=tokenizer)["token"].tolist()
    boilerplate = tokenize(text, tokenizer=tokenizer, boilerplate=True)["token"].tolist()
    everything = tokenize(text, tokenizer=tokenizer, stopwords=None)["token"].tolist()
    custom = tokenize(text, tokenizer=tokenizer, stopwords={"我们", "疫情防控"})["token"].tolist()
    assert everything == ["我们", "要", "进一步", "加强", "疫情防控", "工作", "稳中求进"]
    assert default == ["进一步", "加强", "疫情防控", "工作", "稳中求进"]
    assert boilerplate == ["疫情防控", "稳中求进"]
    # A custom set is used exactly as given, even against slogans.
    assert custom == ["要", "进一步", "加强", "工作", "稳中求进"]


def test_cctv_lead_in_is_boilerplate(tokenizer):
    text = "央视网消息（新闻联播）：国务院常务会议部署稳就业举措。"
    plain = tokenize(text, tokenizer=tokenizer)["token"].tolist()
    assert plain[:2] == ["央视网消息", "新闻联播"]
    assert tokenize(text, tokenizer=tokenizer, boilerplate=True)["token"].tolist() == ["国务院", "常务会议", "部署", "稳就业", "举措"]


def test_conflicting_stopword_options_are_rejected(tokenizer):
    with pytest.raises(ValueError, match="boilerplate=True applies"):
        tokenize("六稳", tokenizer=tokenizer, stopwords=None, boilerplate=True)
    with pytest.raises(ValueError, match="'default', None or an iterable"):
        tokenize("六稳", tokenizer=tokenizer, stopwords="general")


# ---------------------------------------------------------------------------
# Punctuation, numbers, whitespace
# ---------------------------------------------------------------------------

NUMBERS_TEXT = "1955年增长3.5%，达到1260亿元；１９５５年\u3000增长百分之二十、一、二十、第三；5G和GDP，A类\n“十四五”①"


def test_punctuation_numbers_and_space_are_dropped_by_default(tokenizer):
    kept = tokenize(NUMBERS_TEXT, tokenizer=tokenizer, stopwords=None)["token"].tolist()
    assert kept == ["年", "增长", "达到", "亿元", "年", "增长", "5G", "和", "GDP", "类", "十四五"]


def test_number_and_punctuation_dropping_can_be_switched_off(tokenizer):
    with_numbers = tokenize(NUMBERS_TEXT, tokenizer=tokenizer, stopwords=None, drop_numbers=False)["token"].tolist()
    assert {"1955", "3.5%", "1260", "百分之二十", "一", "二十", "第三", "①"} <= set(with_numbers)
    assert "，" not in with_numbers and "A" not in with_numbers
    with_punct = tokenize(NUMBERS_TEXT, tokenizer=tokenizer, stopwords=None, drop_punct=False)["token"].tolist()
    assert {"，", "；", "、", "“", "”", "A"} <= set(with_punct)
    assert "1955" not in with_punct
    everything = tokenize(NUMBERS_TEXT, tokenizer=tokenizer, stopwords=None, drop_punct=False, drop_numbers=False)
    # Whitespace is never a token.
    assert not any(token.isspace() for token in everything["token"])
    assert "".join(everything["token"]) == re.sub(r"\s", "", NUMBERS_TEXT)


# ---------------------------------------------------------------------------
# Offsets, sentences, paragraphs
# ---------------------------------------------------------------------------


def _assert_offsets_exact(frame: pd.DataFrame, texts: dict) -> None:
    for doc_id, start, end, token in zip(frame["doc_id"], frame["start"], frame["end"], frame["token"]):
        assert texts[doc_id][start:end] == token, (doc_id, start, end, token)


def _assert_tokens_tile_the_text(frame: pd.DataFrame, texts: dict) -> None:
    """Unfiltered tokens cover every non-space character exactly once, in order."""
    for doc_id, group in frame.groupby("doc_id", sort=False):
        text = texts[doc_id]
        starts, ends = group["start"].to_numpy(), group["end"].to_numpy()
        assert (starts[1:] >= ends[:-1]).all()
        gaps = [text[e:s] for e, s in zip(np.concatenate(([0], ends)), np.concatenate((starts, [len(text)])))]
        assert all(gap.strip() == "" for gap in gaps), doc_id


_SENTENCE = re.compile(r"[^\n]*?(?:[。！？；!?;｡][。！？；!?;｡”’」』）)】》〉\]}\"']*|\n|$)")


def _reference_ids(text: str) -> list[tuple[int, int, int]]:
    """(start, para_id, sent_id) of every sentence, found with a regex alone."""
    spans = []
    para_id = sent_id = -1
    line_start = 0
    for line in text.split("\n"):
        if line.strip():
            para_id += 1
            for match in _SENTENCE.finditer(line):
                if match.group().strip():
                    sent_id += 1
                    spans.append((line_start + match.start(), para_id, sent_id))
        line_start += len(line) + 1
    return spans


def _assert_ids_match_reference(frame: pd.DataFrame, texts: dict) -> None:
    for doc_id, group in frame.groupby("doc_id", sort=False):
        spans = _reference_ids(texts[doc_id])
        span_starts = [start for start, _, _ in spans]
        where = np.searchsorted(span_starts, group["start"].to_numpy(), side="right") - 1
        expected_para = [spans[i][1] for i in where]
        expected_sent = [spans[i][2] for i in where]
        assert group["para_id"].tolist() == expected_para, doc_id
        assert group["sent_id"].tolist() == expected_sent, doc_id


def test_offsets_index_text_clean_on_the_seed(tokenizer, seed_text):
    texts = {"seed": seed_text}
    corpus = pd.DataFrame({"doc_id": ["seed"], "text_clean": [seed_text]})
    everything = tokenize(corpus, tokenizer=tokenizer, stopwords=None, drop_punct=False, drop_numbers=False)
    _assert_offsets_exact(everything, texts)
    _assert_tokens_tile_the_text(everything, texts)
    _assert_ids_match_reference(everything, texts)
    filtered = tokenize(corpus, tokenizer=tokenizer, boilerplate=True)
    _assert_offsets_exact(filtered, texts)
    assert len(filtered) < len(everything)


def test_sentence_and_paragraph_ids_by_hand(tokenizer):
    text = "第一句。“第二句！”第三句\n\n  \n第二段，还是。。第五句”尾巴\n”引号开头。x"
    frame = tokenize(text, tokenizer=tokenizer, stopwords=None, drop_punct=False, drop_numbers=False)
    rows = list(zip(frame["token"], frame["para_id"], frame["sent_id"]))
    assert rows == [
        ("第一句", 0, 0), ("。", 0, 0),
        ("“", 0, 1), ("第二句", 0, 1), ("！", 0, 1), ("”", 0, 1),
        ("第三句", 0, 2),
        ("第二段", 1, 3), ("，", 1, 3), ("还是", 1, 3), ("。", 1, 3), ("。", 1, 3),
        ("第五句", 1, 4), ("”", 1, 4), ("尾巴", 1, 4),
        ("”", 2, 5), ("引号", 2, 5), ("开头", 2, 5), ("。", 2, 5),
        ("x", 2, 6),
    ]
    _assert_ids_match_reference(frame, {"0": text})


def test_ids_restart_in_each_document_and_do_not_depend_on_filters(tokenizer):
    corpus = _corpus("我们坚持稳中求进。我们推进复工复产！", "", "\n\n", "的。\n六保")
    everything = tokenize(corpus, tokenizer=tokenizer, stopwords=None, drop_punct=False)
    filtered = tokenize(corpus, tokenizer=tokenizer, boilerplate=True)
    assert filtered[["doc_id", "para_id", "sent_id", "token"]].values.tolist() == [
        ["d0", 0, 0, "稳中求进"],
        ["d0", 0, 1, "复工复产"],
        ["d3", 1, 1, "六保"],
    ]
    merged = filtered.merge(everything, on=["doc_id", "start"], suffixes=("", "_all"))
    assert (merged["sent_id"] == merged["sent_id_all"]).all() and (merged["para_id"] == merged["para_id_all"]).all()
    assert filtered.attrs["doc_ids"] == ("d0", "d1", "d2", "d3")


def test_output_columns_dtypes_and_attrs(tokenizer):
    frame = tokenize(_corpus("扎实做好“六稳”工作。", "落实“六保”任务"), tokenizer=tokenizer, boilerplate=True)
    assert list(frame.columns) == ["doc_id", "para_id", "sent_id", "token", "start", "end"]
    assert [str(frame[c].dtype) for c in ["para_id", "sent_id", "start", "end"]] == ["int32"] * 4
    # Tokens are codes into a sorted vocabulary: four bytes a row, and sorting by token sorts by text.
    assert isinstance(frame["token"].dtype, pd.CategoricalDtype)
    categories = frame["token"].cat.categories.tolist()
    assert categories == sorted(categories) == sorted(set(frame["token"]))
    assert frame.attrs["options"] == {
        "stopwords": "default", "boilerplate": True, "drop_punct": True,
        "drop_numbers": True, "pos": False, "hmm": True, "backend": "jieba",
    }
    assert frame.attrs["dictionary_fingerprint"] == tokenizer.fingerprint == dictionary_fingerprint()
    assert re.fullmatch(r"[0-9a-f]{64}", frame.attrs["stopwords_fingerprint"])
    assert tokenize("六稳", tokenizer=tokenizer, stopwords=None).attrs["stopwords_fingerprint"] is None
    empty = tokenize(_corpus("", "，。"), tokenizer=tokenizer)
    assert empty.empty and list(empty.columns) == list(frame.columns)
    assert str(empty["start"].dtype) == "int32"


def test_progress_bar_does_not_change_the_result(tokenizer, capsys):
    corpus = _corpus("扎实做好“六稳”工作", "落实“六保”任务")
    quiet = tokenize(corpus, tokenizer=tokenizer)
    shown = tokenize(corpus, tokenizer=tokenizer, progress=True)
    pd.testing.assert_frame_equal(quiet, shown)
    assert "tokenize" in capsys.readouterr().err


def test_plain_string_is_document_zero(tokenizer):
    frame = tokenize("六稳六保", tokenizer=tokenizer)
    assert frame["doc_id"].tolist() == ["0", "0"]


@pytest.mark.parametrize(
    "corpus, error, message",
    [
        (pd.DataFrame({"doc_id": ["a"]}), ValueError, "text_clean"),
        (pd.DataFrame({"doc_id": ["a", "a"], "text_clean": ["六稳", "六保"]}), ValueError, "duplicate doc_id"),
        (pd.DataFrame({"doc_id": ["a", None], "text_clean": ["六稳", "六保"]}), ValueError, "rows [1] have no doc_id"),
        (
            pd.DataFrame({"doc_id": ["a", "b"], "text_clean": ["六稳", None], "path": ["x.txt", "y.txt"]}),
            TypeError,
            "corpus row 1, doc_id 'b' (y.txt): text_clean is missing",
        ),
        (["六稳"], TypeError, "DataFrame"),
    ],
)
def test_bad_corpus_is_a_clear_error(tokenizer, corpus, error, message):
    with pytest.raises(error, match=re.escape(message)):
        tokenize(corpus, tokenizer=tokenizer)


def test_tokenizer_must_be_a_jieba_tokenizer():
    with pytest.raises(TypeError, match="jieba.Tokenizer"):
        tokenize("六稳", tokenizer="jieba")


def test_a_plain_jieba_tokenizer_is_accepted():
    plain = jieba.Tokenizer()
    # Share the package's cache of jieba's dictionary to keep the test quick.
    plain.tmp_dir = str(tokens.JIEBA_CACHE_DIR)
    plain.cache_file = f"jieba-{jieba.__version__}.cache"
    frame = tokenize("稳中求进，六稳", tokenizer=plain, stopwords=None)
    assert frame.attrs["dictionary_fingerprint"] is None
    assert "稳中求进" in frame["token"].tolist()


# ---------------------------------------------------------------------------
# Part of speech
# ---------------------------------------------------------------------------


def test_pos_column_with_exact_offsets(tokenizer, seed_text):
    frame = tokenize(seed_text, tokenizer=tokenizer, stopwords=None, drop_punct=False, pos=True)
    assert list(frame.columns)[-1] == "pos"
    _assert_offsets_exact(frame, {"0": seed_text})
    tags = dict(zip(frame["token"], frame["pos"]))
    # Lexicon forms jieba does not know get nz; jieba's own words keep their tag.
    assert tags["控保稳进抬扛"] == "nz" and tags["六稳"] == "nz"
    assert tags["会议"] == "n"
    # The user-dictionary tag of a policy term wins over the nz default.
    assert tags["高新区"] == "n"


# ---------------------------------------------------------------------------
# tokens_to_documents
# ---------------------------------------------------------------------------


def test_tokens_to_documents_feeds_count_vectorizer(tokenizer):
    corpus = _corpus("扎实做好“六稳”工作，落实“六保”任务。六稳！", "的了吗", "稳就业、保就业")
    documents = tokens_to_documents(tokenize(corpus, tokenizer=tokenizer, boilerplate=True))
    assert documents.index.tolist() == ["d0", "d1", "d2"]
    assert documents.tolist() == [["六稳", "六保", "六稳"], [], ["稳就业", "保就业"]]

    vectorizer = CountVectorizer(analyzer=lambda document: document)
    matrix = vectorizer.fit_transform(documents)
    assert scipy.sparse.issparse(matrix)
    vocabulary = list(vectorizer.get_feature_names_out())
    assert sorted(vocabulary) == sorted(["六稳", "六保", "稳就业", "保就业"])
    dense = matrix.toarray()
    assert dense[0, vocabulary.index("六稳")] == 2
    assert dense[1].sum() == 0
    identity = CountVectorizer(
        tokenizer=lambda document: document, preprocessor=lambda document: document, token_pattern=None, lowercase=False
    )
    assert (identity.fit_transform(documents) != matrix).nnz == 0


def test_tokens_to_documents_without_attrs_and_with_explicit_ids(tokenizer):
    frame = tokenize(_corpus("六稳", "六保"), tokenizer=tokenizer)
    bare = pd.DataFrame({"doc_id": frame["doc_id"], "token": frame["token"]})
    assert tokens_to_documents(bare).to_dict() == {"d0": ["六稳"], "d1": ["六保"]}
    assert tokens_to_documents(frame, doc_ids=["d1", "d0", "zz"]).tolist() == [["六保"], ["六稳"], []]
    with pytest.raises(ValueError, match="'d1', which is not in doc_ids"):
        tokens_to_documents(frame, doc_ids=["d0"])
    with pytest.raises(ValueError, match="token"):
        tokens_to_documents(frame.drop(columns="token"))


# ---------------------------------------------------------------------------
# Determinism
# ---------------------------------------------------------------------------


def test_two_runs_are_identical(tokenizer, seed_text):
    first = tokenize(seed_text, tokenizer=tokenizer, boilerplate=True)
    second = tokenize(seed_text, tokenizer=make_tokenizer(), boilerplate=True)
    pd.testing.assert_frame_equal(first, second)
    assert first.attrs == second.attrs
    with_pos = [tokenize(seed_text, tokenizer=tokenizer, pos=True) for _ in range(2)]
    pd.testing.assert_frame_equal(*with_pos)


def test_output_is_byte_identical_in_another_process(seed_path, seed_text):
    # Another hash seed changes set and dict-of-set iteration orders; the table must not change.
    script = (
        "import sys; from analysis.tokens import tokenize; "
        "text = open(sys.argv[1], encoding='utf-8').read(); "
        "sys.stdout.write(tokenize(text, boilerplate=True).to_csv(index=False))"
    )
    environment = {**os.environ, "PYTHONHASHSEED": "12345"}
    result = subprocess.run([sys.executable, "-c", script, str(seed_path)], capture_output=True, env=environment, check=True)
    here = tokenize(seed_text, boilerplate=True).to_csv(index=False).encode("utf-8")
    assert result.stdout == here and len(here) > 1000


# ---------------------------------------------------------------------------
# Development corpora
# ---------------------------------------------------------------------------


def _load_jsonl(path, text_key: str, id_key: str | None = None) -> pd.DataFrame:
    from analysis.clean import clean_text

    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return pd.DataFrame(
        {
            "doc_id": [row[id_key] if id_key else str(i) for i, row in enumerate(rows)],
            "text_clean": [clean_text(row[text_key]) for row in rows],
        }
    )


@pytest.fixture(scope="module")
def gov_reports(gov_reports_path) -> pd.DataFrame:
    return _load_jsonl(gov_reports_path, "content")


FUNCTION_WORDS = set("的 了 和 是 在 与 及 等 对 为 将 把 被 从 以 而 也 都 就 要 并 着 之 其 这 那 有 个 年 中 上 下 又 再 于".split())


@pytest.mark.slow
def test_gov_reports_top_tokens_are_content_words(gov_reports, tokenizer):
    frame = tokenize(gov_reports, tokenizer=tokenizer, boilerplate=True)
    top = [token for token, _ in Counter(frame["token"]).most_common(50)]
    stopwords = load_stopwords(boilerplate=True)
    for token in top:
        assert re.search(r"\w", token), token
        assert not re.search(r"\d", token), token
        assert token not in FUNCTION_WORDS, token
        assert token not in stopwords, token
    assert {"发展", "改革", "经济"} <= set(top)


@pytest.mark.slow
def test_gov_reports_offsets_and_ids(gov_reports, tokenizer):
    texts = dict(zip(gov_reports["doc_id"], gov_reports["text_clean"]))
    frame = tokenize(gov_reports, tokenizer=tokenizer, stopwords=None, drop_punct=False, drop_numbers=False)
    _assert_offsets_exact(frame, texts)
    _assert_tokens_tile_the_text(frame, texts)
    _assert_ids_match_reference(frame, texts)
    # 六稳 and 六保 appear in the 2021-2023 reports as single tokens.
    assert {"六稳", "六保"} <= set(frame["token"])


@pytest.mark.slow
def test_cctv_news_offsets_and_boilerplate(cctv_news_path, tokenizer):
    corpus = _load_jsonl(cctv_news_path, "text", "id")
    texts = dict(zip(corpus["doc_id"], corpus["text_clean"]))
    frame = tokenize(corpus, tokenizer=tokenizer, boilerplate=True)
    _assert_offsets_exact(frame, texts)
    assert {"央视网消息", "新闻联播"}.isdisjoint(set(frame["token"]))
    documents = tokens_to_documents(frame)
    assert documents.index.tolist() == corpus["doc_id"].tolist()


# ---------------------------------------------------------------------------
# Speed and scale: workers, the rjieba backend, the cache, Dask
# ---------------------------------------------------------------------------

from analysis import cache as cache_module  # noqa: E402
from analysis import config  # noqa: E402
from analysis.dtm import count_terms  # noqa: E402

NEWS = [
    "扎实做好“六稳”工作，全面落实“六保”任务。\n稳就业、稳金融、稳外贸！",
    "统筹推进疫情防控和经济社会发展，复工复产有序推进。",
    "",
    "落实好“控保稳进抬扛”六字方针；2021年GDP增长8.1%。",
    "黄河流域生态保护和高质量发展\n国家中心城市建设",
    "保就业保民生保市场主体，保居民就业、保基本民生。",
]


@pytest.fixture(autouse=True)
def private_cache_dir(tmp_path_factory, monkeypatch):
    # tokenize caches by default; keep the tests away from the project's data/cache.
    folder = tmp_path_factory.mktemp("segment-cache")
    monkeypatch.setattr(config, "CACHE_DIR", folder)
    return folder


@pytest.fixture
def small_chunks(monkeypatch):
    # Real corpora are cut into 50,000-character chunks; tiny ones must still be split to reach the workers.
    monkeypatch.setattr(segmenter_module, "_MIN_CHUNK_CHARACTERS", 1)


def _count_segmenter_calls(monkeypatch) -> list:
    calls = []
    original = segmenter_module.Segmenter.__call__

    def counting(self, texts, advance=None):
        calls.append(len(texts))
        return original(self, texts, advance)

    monkeypatch.setattr(segmenter_module.Segmenter, "__call__", counting)
    return calls


def _news_corpus(n_copies: int = 3) -> pd.DataFrame:
    texts = [f"{text}第{copy}条。" if text else text for copy in range(n_copies) for text in NEWS]
    return pd.DataFrame({"doc_id": [f"n{i:03d}" for i in range(len(texts))], "text_clean": texts})


def test_n_jobs_two_gives_the_same_table_in_document_order(tokenizer, small_chunks):
    corpus = _news_corpus()
    single = tokenize(corpus, tokenizer=tokenizer, cache=False)
    parallel = tokenize(corpus, tokenizer=tokenizer, cache=False, n_jobs=2)
    pd.testing.assert_frame_equal(single, parallel)
    assert single.to_csv(index=False) == parallel.to_csv(index=False)
    assert parallel.attrs == single.attrs
    assert parallel["doc_id"].is_monotonic_increasing and parallel["doc_id"].nunique() == 15
    with_pos = tokenize(corpus, tokenizer=tokenizer, cache=False, n_jobs=2, pos=True)
    pd.testing.assert_frame_equal(with_pos, tokenize(corpus, tokenizer=tokenizer, cache=False, pos=True))


def test_large_corpora_are_segmented_in_bounded_chunks_with_the_same_result(tokenizer, monkeypatch):
    corpus = _news_corpus()
    whole = tokenize(corpus, tokenizer=tokenizer, cache=False)
    calls = _count_segmenter_calls(monkeypatch)
    monkeypatch.setattr(segmenter_module, "_MAX_CHUNK_CHARACTERS", 60)
    chunked = tokenize(corpus, tokenizer=tokenizer, cache=False)
    assert len(calls) > 3 and sum(calls) == len(corpus)
    pd.testing.assert_frame_equal(whole, chunked)


def test_n_jobs_uses_worker_processes(tokenizer, small_chunks, monkeypatch):
    pids = []
    original = segmenter_module.Segmenter.__call__

    def recording(self, texts, advance=None):
        pids.append(os.getpid())
        return original(self, texts, advance)

    monkeypatch.setattr(segmenter_module.Segmenter, "__call__", recording)
    # Worker processes do not report back into this list; an empty list shows the work left this process.
    tokenize(_news_corpus(), tokenizer=tokenizer, cache=False, n_jobs=2)
    assert pids == []
    tokenize(_news_corpus(), tokenizer=tokenizer, cache=False, n_jobs=1)
    assert pids == [os.getpid()]


def test_policy_tokenizer_travels_to_other_processes_by_its_sources(tokenizer):
    import pickle

    copy = pickle.loads(pickle.dumps(tokenizer))
    assert copy is tokenizer  # rebuilt through the memo: same process, same fingerprint
    assert len(pickle.dumps(tokenizer)) < 1_000_000
    with pytest.raises(TypeError, match="make_tokenizer"):
        pickle.dumps(tokens.PolicyTokenizer())


@pytest.mark.parametrize(
    "options, message",
    [
        ({"n_jobs": 0}, "n_jobs"),
        ({"n_jobs": 1.5}, "n_jobs"),
        ({"backend": "hanlp"}, "backend"),
        ({"engine": "spark"}, "engine"),
        ({"scheduler": "tcp://127.0.0.1:8786"}, "engine='dask'"),
        ({"backend": "rjieba", "pos": True}, "pos=True"),
        ({"cache": 3}, "cache must be"),
    ],
)
def test_bad_speed_options_are_clear_errors(tokenizer, options, message):
    with pytest.raises((ValueError, TypeError), match=re.escape(message)):
        tokenize(_news_corpus(1), tokenizer=tokenizer, **options)


def test_rjieba_backend_gives_the_same_tokens(tokenizer, seed_text):
    pytest.importorskip("rjieba")
    # jieba-rs alone keeps F-35A or 2021-2025 whole; the package splits them as jieba does.
    hyphenated = "我国F-35A战机与CCTV-8K频道，2021-2025年规划，增长3.5%-4%，a-b-c和--以及-5度，BA.2.12.1和BQ.1.1毒株，2.3ZB数据，20th.cpcnews.cn网站..."
    texts = [seed_text, *NEWS, hyphenated]
    corpus = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text_clean": texts})
    for segmenter in (tokenizer, make_tokenizer(hmm=False)):
        for options in ({}, {"stopwords": None, "drop_punct": False, "drop_numbers": False}):
            reference = tokenize(corpus, tokenizer=segmenter, cache=False, **options)
            fast = tokenize(corpus, tokenizer=segmenter, cache=False, backend="rjieba", **options)
            assert fast.attrs["options"]["backend"] == "rjieba"
            pd.testing.assert_frame_equal(reference, fast)
    raw = tokenize(hyphenated, tokenizer=tokenizer, backend="rjieba", stopwords=None, drop_punct=False, drop_numbers=False)
    assert raw["token"].tolist()[:4] == ["我国", "F", "-", "35A"]
    # The jieba-rs dictionary is the tokenizer's own: slogans and tuned policy terms come out whole.
    assert segmenter_module._rjieba_for(tokenizer).cut("落实好控保稳进抬扛六字方针", True) == ["落实", "好", "控保稳进抬扛", "六字", "方针"]


def test_rjieba_backend_reads_user_dictionaries(tmp_path):
    pytest.importorskip("rjieba")
    user_dict = tmp_path / "user.txt"
    user_dict.write_text("稳中向好的势头 50\n", encoding="utf-8")
    custom = make_tokenizer(user_dicts=[user_dict])
    text = "经济保持稳中向好的势头"
    assert "稳中向好的势头" in tokenize(text, tokenizer=custom, backend="rjieba", stopwords=None)["token"].tolist()


@pytest.mark.slow
def test_rjieba_matches_jieba_on_a_sample_of_the_corpora(gov_reports, cctv_news_path, tokenizer):
    pytest.importorskip("rjieba")
    news = _load_jsonl(cctv_news_path, "text", "id")
    sample = pd.concat([gov_reports.iloc[::6], news.iloc[::25]], ignore_index=True)
    reference = tokenize(sample, tokenizer=tokenizer, cache=False)
    fast = tokenize(sample, tokenizer=tokenizer, cache=False, backend="rjieba")
    # Residual differences are allowed below 1 token in 10,000 (see benchmarks/backends.py).
    merged = reference.merge(fast, how="outer", on=["doc_id", "start", "end", "token"], indicator=True)
    differing = int((merged["_merge"] != "both").sum())
    assert len(reference) > 50_000
    assert differing <= len(reference) / 10_000, merged[merged["_merge"] != "both"].head(20)


def test_cached_run_equals_fresh_run_and_skips_segmentation(tokenizer, monkeypatch, private_cache_dir):
    corpus = _news_corpus()
    fresh = tokenize(corpus, tokenizer=tokenizer, cache=False)
    calls = _count_segmenter_calls(monkeypatch)
    first = tokenize(corpus, tokenizer=tokenizer)
    assert calls and sum(calls) == len(corpus)
    shards = list((private_cache_dir / "segments").glob("*/shard-*.parquet"))
    assert shards
    calls.clear()
    second = tokenize(corpus, tokenizer=tokenizer, boilerplate=True)
    assert calls == []  # filters come after the cache: other options reuse it
    third = tokenize(corpus, tokenizer=tokenizer)
    assert calls == []
    for frame in (first, third):
        pd.testing.assert_frame_equal(frame, fresh)
        assert frame.attrs == fresh.attrs
    pd.testing.assert_frame_equal(second, tokenize(corpus, tokenizer=tokenizer, boilerplate=True, cache=False))


def test_cache_segments_fills_the_cache_so_tokenize_segments_nothing(tokenizer, monkeypatch, tmp_path):
    corpus = _news_corpus()
    fresh = tokenize(corpus, tokenizer=tokenizer, cache=False)
    calls = _count_segmenter_calls(monkeypatch)
    assert tokens.cache_segments(corpus, tokenizer=tokenizer, options={"cache": str(tmp_path)}) == len(corpus)
    assert calls and sum(calls) == len(corpus)
    calls.clear()
    read = tokenize(corpus, tokenizer=tokenizer, cache=tmp_path)
    assert calls == []
    pd.testing.assert_frame_equal(read, fresh)
    assert tokens.cache_segments(corpus, tokenizer=tokenizer, options={"cache": str(tmp_path)}) == len(corpus)
    assert calls == []  # a second call only reads
    with pytest.raises(InputError, match="cache=False"):
        tokens.cache_segments(corpus, tokenizer=tokenizer, options={"cache": False})


def test_cache_keys_on_content_not_doc_id_and_separates_backend_and_pos(tokenizer, monkeypatch, tmp_path):
    corpus = _news_corpus(1)
    tokenize(corpus, tokenizer=tokenizer, cache=tmp_path)
    calls = _count_segmenter_calls(monkeypatch)
    renamed = corpus.assign(doc_id=[f"other-{i}" for i in range(len(corpus))])
    assert tokenize(renamed, tokenizer=tokenizer, cache=tmp_path)["doc_id"].str.startswith("other-").all()
    assert calls == []
    tokenize(corpus, tokenizer=tokenizer, cache=tmp_path, pos=True)
    assert sum(calls) == len(corpus)
    namespaces = {path.parent.name for path in tmp_path.glob("*/shard-*.parquet")}
    assert len(namespaces) == 2


def test_editing_one_document_resegments_only_its_shard(tokenizer, monkeypatch, tmp_path):
    monkeypatch.setattr(cache_module, "SHARD_MODULUS", 4)
    corpus = pd.DataFrame({"doc_id": [f"d{i}" for i in range(40)], "text_clean": [f"第{i}次会议强调稳就业保民生。" for i in range(40)]})
    tokenize(corpus, tokenizer=tokenizer, cache=tmp_path)
    keys = cache_module.document_keys(corpus["text_clean"].tolist())
    shards = cache_module.shard_bounds(keys, modulus=4)
    assert len(shards) > 3
    edited = corpus.copy()
    edited.loc[17, "text_clean"] = "这一条改写了：坚持稳中求进工作总基调。"
    calls = _count_segmenter_calls(monkeypatch)
    result = tokenize(edited, tokenizer=tokenizer, cache=tmp_path)
    new_shards = cache_module.shard_bounds(cache_module.document_keys(edited["text_clean"].tolist()), modulus=4)
    changed = [bounds for bounds in new_shards if bounds not in shards or 17 in range(*bounds)]
    assert sum(calls) == sum(stop - start for start, stop in changed) < len(corpus) / 2
    pd.testing.assert_frame_equal(result, tokenize(edited, tokenizer=tokenizer, cache=False))


def test_changing_a_user_dictionary_invalidates_exactly_its_cache(tmp_path, monkeypatch):
    user_dict = tmp_path / "user.txt"
    user_dict.write_text("# policy words\n高质量发展 \n", encoding="utf-8")
    cache_root = tmp_path / "cache"
    corpus = pd.DataFrame({"doc_id": ["a", "b"], "text_clean": ["推动经济实现质的有效提升和量的合理增长", "推动高质量发展"]})
    default = get_tokenizer()
    with_user = get_tokenizer(user_dicts=[user_dict])
    tokenize(corpus, tokenizer=default, cache=cache_root)
    before = tokenize(corpus, tokenizer=with_user, cache=cache_root)
    assert "质的有效提升" not in before["token"].tolist()

    user_dict.write_text("# policy words\n高质量发展\n质的有效提升\n", encoding="utf-8")
    edited = get_tokenizer(user_dicts=[user_dict])
    assert edited.fingerprint != with_user.fingerprint
    calls = _count_segmenter_calls(monkeypatch)
    tokenize(corpus, tokenizer=default, cache=cache_root)
    assert calls == []  # the default dictionary's cache is still valid
    after = tokenize(corpus, tokenizer=edited, cache=cache_root)
    assert sum(calls) == len(corpus)  # the edited dictionary's documents are segmented again
    assert "质的有效提升" in after["token"].tolist()
    pd.testing.assert_frame_equal(after, tokenize(corpus, tokenizer=edited, cache=False))


def test_interrupted_cache_writes_are_never_trusted(tokenizer, monkeypatch, tmp_path):
    corpus = _news_corpus(1)
    fresh = tokenize(corpus, tokenizer=tokenizer, cache=False)
    tokenize(corpus, tokenizer=tokenizer, cache=tmp_path)
    (shard,) = tmp_path.glob("*/shard-*.parquet")
    # A run killed mid-write leaves a temporary file; one whose file was cut short leaves a truncated shard.
    (shard.parent / f"{cache_module.TEMP_PREFIX}killed.parquet").write_bytes(b"PAR1 half")
    shard.write_bytes(shard.read_bytes()[: shard.stat().st_size // 2])
    calls = _count_segmenter_calls(monkeypatch)
    rebuilt = tokenize(corpus, tokenizer=tokenizer, cache=tmp_path)
    assert sum(calls) == len(corpus)
    pd.testing.assert_frame_equal(rebuilt, fresh)
    calls.clear()
    pd.testing.assert_frame_equal(tokenize(corpus, tokenizer=tokenizer, cache=tmp_path), fresh)
    assert calls == []  # the rebuilt shard is whole again


def test_a_readable_shard_that_does_not_spell_the_documents_is_rebuilt(tokenizer, monkeypatch, tmp_path):
    corpus = _news_corpus(1)
    keys = cache_module.document_keys(corpus["text_clean"].tolist())
    store = cache_module.SegmentStore(tmp_path, segmenter_module.Segmenter(tokenizer, backend="jieba", pos=False, hmm=True).settings())
    honest = tokenize(corpus, tokenizer=tokenizer, cache=tmp_path)
    forged = store.read(keys)
    forged.words = ["假" * len(word) for word in forged.words]  # right lengths, wrong text
    store.write(keys, forged)
    calls = _count_segmenter_calls(monkeypatch)
    pd.testing.assert_frame_equal(tokenize(corpus, tokenizer=tokenizer, cache=tmp_path), honest)
    assert sum(calls) == len(corpus)


def test_an_interrupt_during_a_cache_write_leaves_no_shard(tokenizer, monkeypatch, tmp_path):
    def interrupted(table, path, **kwargs):
        with open(path, "wb") as partial:
            partial.write(b"PAR1 partial")
        raise KeyboardInterrupt

    monkeypatch.setattr(cache_module.segments.pq, "write_table", interrupted)
    with pytest.raises(KeyboardInterrupt):
        tokenize(_news_corpus(1), tokenizer=tokenizer, cache=tmp_path)
    assert list(tmp_path.glob("*/shard-*")) == []
    assert list(tmp_path.glob(f"*/{cache_module.TEMP_PREFIX}*")) == []


def test_a_read_only_cache_warns_and_still_tokenizes(tokenizer, monkeypatch, tmp_path):
    def refuse(self, keys, segments):
        raise PermissionError(13, "Permission denied", str(self.folder))

    monkeypatch.setattr(cache_module.SegmentStore, "write", refuse)
    with pytest.warns(UserWarning, match="not writable"):
        frame = tokenize(_news_corpus(1), tokenizer=tokenizer, cache=tmp_path)
    pd.testing.assert_frame_equal(frame, tokenize(_news_corpus(1), tokenizer=tokenizer, cache=False))


def test_plain_jieba_tokenizer_is_not_cached(tmp_path):
    tokenize("扎实做好六稳工作", tokenizer=jieba.Tokenizer(), cache=tmp_path)
    assert list(tmp_path.rglob("*.parquet")) == []


def test_progress_bars_for_cache_and_workers(tokenizer, small_chunks, capsys, tmp_path):
    corpus = _news_corpus()
    tokenize(corpus, tokenizer=tokenizer, cache=tmp_path, n_jobs=2, progress=True)
    err = capsys.readouterr().err
    assert "tokenize: cache" in err and "18/18" in err
    tokenize(corpus, tokenizer=tokenizer, cache=tmp_path, progress=False)
    assert capsys.readouterr().err == ""


@pytest.fixture(scope="module")
def dask_cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        yield cluster


def test_dask_engine_equals_local_engine(tokenizer, small_chunks, dask_cluster):
    corpus = _news_corpus()
    local = tokenize(corpus, tokenizer=tokenizer, cache=False)
    on_dask = tokenize(corpus, tokenizer=tokenizer, cache=False, engine="dask", scheduler=dask_cluster.scheduler_address)
    pd.testing.assert_frame_equal(local, on_dask)
    assert local.to_csv(index=False) == on_dask.to_csv(index=False)


def test_dask_engine_needs_a_tokenizer_it_can_ship(small_chunks, dask_cluster):
    with pytest.raises(TypeError, match="make_tokenizer"):
        tokenize(_news_corpus(), tokenizer=jieba.Tokenizer(), cache=False, engine="dask", scheduler=dask_cluster.scheduler_address)


def test_count_terms_on_dask_equals_local_counts(tokenizer, dask_cluster):
    from analysis.dtm import build_dtm

    corpus = _news_corpus()
    local = count_terms(corpus, tokenizer=tokenizer, boilerplate=True, cache=False)
    expected = build_dtm(tokenize(corpus, tokenizer=tokenizer, boilerplate=True, cache=False), weighting="count")
    on_dask = count_terms(
        corpus, tokenizer=tokenizer, boilerplate=True, cache=False, engine="dask", scheduler=dask_cluster.scheduler_address, partitions=4
    )
    for result in (local, on_dask):
        assert result.vocabulary == expected.vocabulary and result.doc_ids == expected.doc_ids
        assert result.matrix.dtype == np.int64 and result.weighting == "count"
        assert (result.matrix != expected.matrix).nnz == 0
        assert scipy.sparse.isspmatrix_csr(result.matrix) and result.matrix.has_sorted_indices
    # Counted by hand: 六稳 once in each of the three copies of the first text.
    assert on_dask.matrix[:, on_dask.vocabulary.index("六稳")].sum() == 3
    # The empty documents keep no token and get no row, as with build_dtm.
    assert "n002" not in on_dask.doc_ids


# --- Segmentation junk: names, fragments, spelled years ------------------------------------------

from analysis.corpus import load_corpus  # noqa: E402
from analysis.topics import build_dtm, fit_topics  # noqa: E402


def test_a_year_spelled_in_numerals_is_a_number_not_a_word():
    tokens_kept = tokenize("一九五八年大跃进，二〇二〇年抗疫，一年来成绩显著。", stopwords=None, cache=False)["token"].tolist()
    assert "一九五八年" not in tokens_kept and "二〇二〇年" not in tokens_kept
    assert "大跃进" in tokens_kept and "一年" in tokens_kept, "only digit-by-digit years are numbers"


def test_segmentation_fragments_are_stopwords():
    kept = tokenize("实现质的有效提升和量的合理增长。学习二十届二中、三中全会精神，反对“一中一台”。", cache=False)
    assert not {"和量", "二中"} & set(kept["token"])
    assert {"三中全会", "一中一台"} <= set(kept["token"])


def test_content_tokens_drop_fragments_and_names_unless_asked():
    toks = tokenize("书记张红军到东沟村调研扶贫工作，新增确诊3例。控、保、稳、进、抬、扛。", stopwords=None, cache=False)
    assert "张红军" in set(toks["token"]), "the name list keeps the name whole"
    content = content_tokens(toks)
    assert not {"张红军", "例", "到"} & set(content["token"])
    assert "稳" in set(content["token"]), "a lexicon form is never a fragment"
    assert content.attrs["dropped_tokens"] == len(toks) - len(content)
    assert "张红军" in set(content_tokens(toks, names=True)["token"])
    assert "例" in set(content_tokens(toks, min_chars=1)["token"])
    with pytest.raises(ValueError, match="min_chars"):
        content_tokens(toks, min_chars=0)


def test_names_jieba_guesses_are_recognised_through_their_part_of_speech():
    toks = tokenize("宣讲团成员钱庆辉指出", stopwords=None, pos=True, cache=False)
    assert "钱庆辉" in set(toks["token"]) and "钱庆辉" not in person_names()
    assert "钱庆辉" not in set(content_tokens(toks)["token"])


def test_on_the_seed_names_stay_whole_and_leave_the_topics(seed_path):
    docs = load_corpus(seed_path.parent)
    toks = tokenize(docs, boilerplate=True)
    assert {"张红军", "王新亭"} <= set(toks["token"])
    assert "红军" not in set(toks["token"]), "张红军 is no longer cut into 张 + 红军 (the Red Army)"
    model = fit_topics(build_dtm(content_tokens(toks)), n_topics=2, random_state=0)
    topic_terms = set(model.topic_terms["term"])
    assert not topic_terms & person_names()
    assert all(len(term) >= 2 for term in topic_terms)


def test_building_a_tokenizer_keeps_jiebas_start_up_lines_quiet(caplog):
    """jieba's "Building prefix dict ..." lines reached stderr in every script; now only on request."""
    import logging

    from analysis.tokens import make_tokenizer

    caplog.set_level(logging.DEBUG, logger="jieba")
    # jieba's dictionary is loaded on first use: a cut.
    make_tokenizer().lcut("六稳")
    assert not [record for record in caplog.records if record.name == "jieba"]
    logger = logging.getLogger("analysis")
    previous = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        make_tokenizer().lcut("六稳")
    finally:
        logger.setLevel(previous)
    assert any("Prefix dict" in record.getMessage() for record in caplog.records if record.name == "jieba")


def test_statistics_of_a_filtered_compact_token_table_list_only_the_tokens_left(tokenizer):
    """A categorical keeps its categories after filtering; no table may show a filtered-out token."""
    from analysis.cooccurrence import cooccurrence
    from analysis.textstat import collocations, term_frequency

    tokens = tokenize(_corpus("扎实做好“六稳”工作，落实“六保”任务。", "坚持稳中求进工作总基调。"), tokenizer=tokenizer)
    kept = tokens[tokens["token"] != "工作"]
    assert "工作" not in set(term_frequency(kept)["term"])
    assert "工作" not in set(collocations(kept, min_count=1)["collocation"].str.cat(sep=" ").split())
    edges = cooccurrence(kept, min_count=1)
    assert "工作" not in set(edges["term_a"]) | set(edges["term_b"])
    as_strings = kept.assign(token=kept["token"].astype(str))
    pd.testing.assert_frame_equal(term_frequency(kept), term_frequency(as_strings), check_dtype=False, check_categorical=False)


# ---------------------------------------------------------------- token_codes, document_order


@pytest.mark.parametrize("categorical", [False, True])
def test_token_codes_follow_code_point_order_whatever_the_column_holds(categorical):
    words = ["稳", "六保", "发展", "六保", "稳"]
    table = pd.DataFrame({"token": pd.Categorical(words, categories=["稳", "发展", "六保", "未用"]) if categorical else words})
    codes, vocabulary = token_codes(table)
    assert vocabulary.tolist() == sorted(set(vocabulary.tolist()))
    assert vocabulary[codes].tolist() == words
    assert ("未用" in vocabulary.tolist()) == categorical  # an unused category stays in the vocabulary


@pytest.mark.parametrize("start", [[3, 0, 7, 2, 5, 1], [0, 1, 2, 0, 4, 9]])
def test_document_order_is_the_order_of_a_sort_by_document_then_start(start):
    table = pd.DataFrame({"doc_id": ["b", "b", "a", "a", "b", "c"], "token": list("甲乙丙丁戊己"), "start": start})
    order, documents = document_order(table)
    expected = np.lexsort((np.asarray(start), pd.factorize(table["doc_id"])[0]))
    assert order.tolist() == expected.tolist()
    assert documents.tolist() == [0, 0, 1, 1, 0, 2]
    assert in_document_order(table)["token"].tolist() == table["token"].to_numpy()[expected].tolist()
    in_order = table.iloc[expected].reset_index(drop=True)
    assert document_order(in_order)[0].tolist() == list(range(len(table)))  # already in order: kept as it is


def test_a_tokenizer_reads_jiebas_dictionary_only_when_it_segments(tmp_path, monkeypatch):
    """Segments from the cache need no dictionary: a notebook reading them skips jieba's half-second start."""
    import jieba

    from analysis.tokens import cache_segments, make_tokenizer

    corpus = _corpus("扎实做好“六稳”工作，落实“六保”任务。", "坚持稳中求进工作总基调。")
    cache_segments(corpus, options={"cache": str(tmp_path)})
    loads = []
    original = jieba.Tokenizer.initialize

    def counted(self, *args, **kwargs):
        loads.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(jieba.Tokenizer, "initialize", counted)
    fresh = make_tokenizer()
    tokens = tokenize(corpus, tokenizer=fresh, cache=str(tmp_path))
    assert loads == []
    pd.testing.assert_frame_equal(tokens, tokenize(corpus, cache=False))
    # The first cut loads it, with the same words and frequencies as a tokenizer loaded at once.
    assert fresh.lcut("落实好控保稳进抬扛六字方针") == ["落实", "好", "控保稳进抬扛", "六字", "方针"]
    assert loads == [fresh]
    shared = get_tokenizer()
    assert fresh.FREQ == shared.FREQ and fresh.total == shared.total


def test_selecting_documents_gives_the_table_of_tokenizing_them(tmp_path):
    """Tokenizing the whole corpus and keeping a subset reads its segments back and gives the subset's own table."""
    corpus = pd.DataFrame({
        "doc_id": ["r1", "p1", "r2", "p2"],
        "doc_type": ["text", "procedural", "text", "procedural"],
        "text_clean": ["扎实做好“六稳”工作。\n落实“六保”任务！", "批准政府工作报告。", "坚持稳中求进工作总基调。", "会议决定批准。"],
    })
    subset = corpus[corpus["doc_type"] == "text"]
    whole = tokenize(corpus, cache=str(tmp_path))
    selected = select_documents(whole, subset)
    expected = tokenize(subset, cache=False)
    pd.testing.assert_frame_equal(selected, expected, check_exact=True)
    assert selected.attrs == expected.attrs
    # Words only the procedural texts use are no longer categories.
    assert list(selected["token"].cat.categories) == list(expected["token"].cat.categories)
    with pytest.raises(ValueError, match="were not tokenized"):
        select_documents(tokenize(subset, cache=False), corpus)
