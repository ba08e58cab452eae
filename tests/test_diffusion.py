import warnings

import numpy as np
import pandas as pd
import pytest

from analysis import diffusion
from analysis.corpus import combine_corpora, load_corpus
from analysis.diffusion import DiffusionError
from analysis.slogans import tag_slogans
from analysis.validation import InputError


def _corpus(rows):
    """Documents from (doc_id, level, region, date, text) tuples; dates are days."""
    frame = pd.DataFrame(rows, columns=["doc_id", "level", "region", "date", "text_clean"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["date_precision"] = np.where(frame["date"].notna(), "day", None)
    return frame


LIUBAO = "要全面落实“六保”任务。"
NOTHING = "今天召开工作会议，研究部署近期工作。"


@pytest.fixture()
def levels_corpus():
    return _corpus([
        ("c1", "central", None, "2020-04-17", LIUBAO),
        ("c0", "central", None, "2019-01-10", NOTHING),
        # Provincial archive opens before the central first use: its lag is observed.
        ("p0", "provincial", "河南省", "2020-01-05", NOTHING),
        ("p1", "provincial", "河南省", "2020-05-20", LIUBAO),
        ("p2", "provincial", "河南省", "2020-07-01", LIUBAO),
        # Municipal archive opens after it: the first use there is only an upper bound.
        ("m1", "municipal", "郑州市", "2020-06-01", LIUBAO),
        # The county archive spans the central first use but never uses the slogan.
        ("k0", "county", "郑州高新区", "2020-01-01", NOTHING),
        ("k1", "county", "郑州高新区", "2020-12-01", NOTHING),
        ("k2", "county", "郑州高新区", None, LIUBAO),
    ])


def _row(table, level, slogan_id="liubao"):
    rows = table[(table["level"] == level) & (table["slogan_id"] == slogan_id)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_first_use_per_level_with_the_archive_span(levels_corpus):
    table = diffusion.first_use(levels_corpus, tag_slogans(levels_corpus))
    assert table["level"].tolist() == ["central", "provincial", "municipal", "county"]
    provincial = _row(table, "provincial")
    assert provincial["first_date"] == pd.Timestamp("2020-05-20") and provincial["first_doc_id"] == "p1"
    assert provincial["documents"] == 2
    assert provincial["archive_start"] == pd.Timestamp("2020-01-05")
    assert provincial["archive_end"] == pd.Timestamp("2020-07-01") and provincial["archive_documents"] == 3
    county = _row(table, "county")
    # k2 mentions it but is undated: counted apart, never placed on the timeline.
    assert pd.isna(county["first_date"]) and county["documents"] == 1 and county["undated_documents"] == 1
    assert county["archive_documents"] == 2


def test_lags_behind_the_central_first_use_with_left_censoring(levels_corpus):
    lags = diffusion.adoption_lags(levels_corpus, tag_slogans(levels_corpus), lexicon_dates=False)
    central = _row(lags, "central")
    assert central["status"] == "central" and central["central_first"] == pd.Timestamp("2020-04-17")
    assert central["central_source"] == "corpus"
    provincial = _row(lags, "provincial")
    assert provincial["status"] == "adopted"
    assert provincial["lag_days"] == (pd.Timestamp("2020-05-20") - pd.Timestamp("2020-04-17")).days
    municipal = _row(lags, "municipal")
    assert municipal["status"] == "left-censored"
    assert municipal["lag_days"] == (pd.Timestamp("2020-06-01") - pd.Timestamp("2020-04-17")).days
    county = _row(lags, "county")
    assert county["status"] == "not observed" and pd.isna(county["lag_days"])


def test_a_use_before_the_central_one_and_a_use_in_the_same_year():
    corpus = _corpus([
        ("c1", "central", None, "2020-04-17", LIUBAO),
        ("p1", "provincial", "河南省", "2020-03-01", LIUBAO),
        ("m1", "municipal", "郑州市", "2020-01-01", LIUBAO),
    ])
    corpus.loc[corpus["doc_id"] == "m1", "date_precision"] = "year"
    lags = diffusion.adoption_lags(corpus, tag_slogans(corpus), lexicon_dates=False)
    assert _row(lags, "provincial")["status"] == "before central"
    # Dated only by its year, the municipal use cannot be ordered against 17 April 2020.
    assert _row(lags, "municipal")["status"] == "same period"


def test_the_lexicon_date_stands_in_for_a_central_archive_that_starts_late():
    corpus = _corpus([
        ("c1", "central", None, "2021-03-05", LIUBAO),
        ("k1", "county", "郑州高新区", "2020-06-01", LIUBAO),
    ])
    lags = diffusion.adoption_lags(corpus, tag_slogans(corpus))
    county = _row(lags, "county")
    # liubao is recorded as first stated on 2020-04-17 (data/lexicon/slogans.yaml).
    assert county["central_first"] == pd.Timestamp("2020-04-17") and county["central_source"] == "lexicon"
    assert county["lag_days"] == 45 and county["status"] == "left-censored"
    corpus_only = diffusion.adoption_lags(corpus, tag_slogans(corpus), lexicon_dates=False)
    assert _row(corpus_only, "county")["status"] == "before central"


def test_lags_by_region():
    corpus = _corpus([
        ("c1", "central", None, "2020-04-17", LIUBAO),
        ("a0", "provincial", "河南省", "2020-01-01", NOTHING),
        ("a1", "provincial", "河南省", "2020-05-01", LIUBAO),
        ("b1", "provincial", "湖北省", "2020-07-01", LIUBAO),
    ])
    lags = diffusion.adoption_lags(corpus, tag_slogans(corpus), by="region", lexicon_dates=False)
    regions = lags[lags["level"] == "provincial"].set_index("region")
    assert regions.loc["河南省", "lag_days"] == 14 and regions.loc["河南省", "status"] == "adopted"
    assert regions.loc["湖北省", "lag_days"] == 75 and regions.loc["湖北省", "status"] == "left-censored"


def test_adoption_curve_counts_regions_and_regions_whose_archive_had_started():
    corpus = _corpus([
        ("a0", "county", "甲", "2020-01-10", NOTHING),
        ("a1", "county", "甲", "2020-03-10", LIUBAO),
        ("b1", "county", "乙", "2020-05-10", LIUBAO),
        ("c0", "county", "丙", "2020-01-20", NOTHING),
        ("c1", "county", "丙", "2020-05-20", NOTHING),
        ("z1", "central", None, "2020-01-01", LIUBAO),  # the centre is not a region
    ])
    curve = diffusion.adoption_curve(corpus, tag_slogans(corpus), period="month")
    assert curve["period"].tolist() == ["2020-01", "2020-02", "2020-03", "2020-04", "2020-05"]
    assert curve["regions"].unique().tolist() == [3]
    assert curve["regions_observed"].tolist() == [2, 2, 2, 2, 3]
    assert curve["regions_adopted"].tolist() == [0, 0, 1, 1, 2]
    assert curve["share"].tolist() == pytest.approx([0, 0, 1 / 3, 1 / 3, 2 / 3])
    assert curve["share_observed"].tolist() == pytest.approx([0, 0, 1 / 2, 1 / 2, 2 / 3])


FULL = "着力稳就业、稳金融、稳外贸、稳外资、稳投资、稳预期，保持经济运行在合理区间。"
PARTIAL = "继续稳就业、稳金融、稳外贸，推动经济恢复。"
COMPACT = "扎实做好“六稳”工作。"
LONE = "要千方百计稳就业。"
VARIANT = "落实好“控保稳进抬扛”六字方针。"


def test_fidelity_classes_of_each_uptake():
    corpus = _corpus([
        ("c1", "central", None, "2018-07-31", COMPACT),
        ("f1", "provincial", "河南省", "2019-03-01", FULL + COMPACT),
        ("f2", "municipal", "郑州市", "2019-04-01", PARTIAL),
        ("f3", "county", "郑州高新区", "2019-05-01", COMPACT),
        ("f4", "county", "郑州高新区", "2019-06-01", LONE),
        ("f5", "county", "郑州高新区", "2020-06-01", VARIANT),
    ])
    mentions = tag_slogans(corpus)
    table = diffusion.uptakes(corpus, mentions)
    six = table[table["canonical"] == "六稳"].set_index("doc_id")
    assert six.loc["f1", "fidelity"] == "full expansion" and six.loc["f1", "parts_named"] == 6
    assert six.loc["f2", "fidelity"] == "partial list" and six.loc["f2", "parts_named"] == 3
    assert six.loc["f3", "fidelity"] == "compact"
    assert "f4" not in six.index, "a lone component is not an uptake"
    assert "c1" not in set(table["doc_id"]), "the centre does not take up its own formula"
    variants = table[table["fidelity"] == "local variant"]
    assert sorted(variants["canonical"]) == ["六保", "六稳"]
    assert set(variants["variant"]) == {"控保稳进抬扛"} and set(variants["doc_id"]) == {"f5"}
    start = VARIANT.index("控保稳进抬扛")
    assert set(variants["start"]) == {start} and set(variants["end"]) == {start + 6}


def test_local_formulas_beside_the_central_formula_they_most_resemble():
    corpus = _corpus([("f5", "county", "郑州高新区", "2020-06-01", VARIANT)])
    table = diffusion.local_formulas(corpus, tag_slogans(corpus))
    assert table["formula"].tolist() == ["控保稳进抬扛", "控保稳进抬扛"]
    assert table["closest"].tolist() == ["六保", "六稳"]
    assert table["same_numeral"].all() and table["parts"].tolist() == [6, 6]
    assert table["shared_characters"].tolist() == ["保", "稳"]
    assert table["first_date"].tolist() == [pd.Timestamp("2020-06-01")] * 2


def test_a_shared_component_outranks_a_shared_character():
    lexicon = pd.DataFrame([
        {"id": "central_a", "canonical": "三个稳定", "level": "central", "region": None, "introduced_date": None,
         "aliases": [], "components": [{"text": "稳物价", "aliases": []}, {"text": "稳增长", "aliases": []},
                                       {"text": "稳民心", "aliases": []}]},
        {"id": "central_b", "canonical": "四个稳", "level": "central", "region": None, "introduced_date": None,
         "aliases": [], "components": []},
        {"id": "local_x", "canonical": "稳物价、抓项目", "level": "municipal", "region": "甲市",
         "introduced_date": None, "aliases": [],
         "components": [{"text": "稳物价", "aliases": []}, {"text": "抓项目", "aliases": []}]},
    ])
    corpus = _corpus([("x", "municipal", "甲市", "2021-01-01", "坚持稳物价、抓项目。")])
    table = diffusion.local_formulas(corpus, tag_slogans(corpus, lexicon=lexicon), lexicon=lexicon)
    assert table["closest"].tolist() == ["三个稳定"]
    assert table["shared_components"].tolist() == [1]


# Four clauses of 11, 13, 9 and 9 characters; the commas between them are not compared.
PASSAGE = "坚持稳中求进工作总基调，完整准确全面贯彻新发展理念，加快构建新发展格局，着力推动高质量发展"
PASSAGE_CHARS = 11 + 13 + 9 + 9


def test_reuse_spans_with_offsets_in_both_texts():
    local_prefix, central_prefix = "本报讯 会议强调：", "各位代表：过去一年，我们"
    # The local copy writes the commas differently; compared characters are the same.
    local_copy = PASSAGE.replace("，", "、")
    local = _corpus([("l1", "county", "甲", "2022-03-20", local_prefix + local_copy + "。会议结束。")])
    central = _corpus([("c1", "central", None, "2022-03-05", central_prefix + PASSAGE + "。")])
    spans = diffusion.find_reuse(local, central)
    assert len(spans) == 1
    span = spans.iloc[0]
    assert (span["doc_id"], span["central_doc_id"]) == ("l1", "c1")
    assert (span["start"], span["end"]) == (len(local_prefix), len(local_prefix) + len(local_copy))
    assert (span["central_start"], span["central_end"]) == (len(central_prefix), len(central_prefix) + len(PASSAGE))
    assert span["length"] == PASSAGE_CHARS
    assert span["passage"] == local_copy

    by_pair = diffusion.reuse_table(spans, local)
    local_chars = diffusion.normalised_length(local.loc[0, "text_clean"])
    assert local_chars == len("本报讯会议强调") + PASSAGE_CHARS + len("会议结束")
    assert by_pair["share"].tolist() == pytest.approx([PASSAGE_CHARS / local_chars])


def test_reuse_needs_the_documented_minimum_and_an_earlier_central_text():
    short = PASSAGE.replace("，", "")[: diffusion.REUSE_MIN_CHARS - 1]
    assert diffusion.normalised_length(short) == diffusion.REUSE_MIN_CHARS - 1
    local = _corpus([
        ("short", "county", "甲", "2022-03-20", "前言" + short + "后记"),
        ("early", "county", "甲", "2022-01-01", "前言" + PASSAGE + "后记"),
    ])
    central = _corpus([("c1", "central", None, "2022-03-05", PASSAGE)])
    assert diffusion.find_reuse(local, central).empty
    kept = diffusion.find_reuse(local, central, earlier_only=False)
    assert kept["doc_id"].tolist() == ["early"]
    assert diffusion.find_reuse(local, central, min_chars=len(short))["doc_id"].tolist() == ["short"]


def test_two_passages_from_two_central_documents_and_reuse_over_time():
    other = "建设更高水平的平安中国，以新安全格局保障新发展格局，推进国家安全体系和能力现代化"
    other_chars = diffusion.normalised_length(other)
    text = PASSAGE + "。另外，" + other
    local = _corpus([
        ("l1", "county", "甲", "2022-03-20", text),
        ("l2", "county", "甲", "2022-05-20", "今天天气很好。"),
    ])
    central = _corpus([("c1", "central", None, "2022-03-05", PASSAGE), ("c2", "central", None, "2022-01-05", other)])
    spans = diffusion.find_reuse(local, central)
    assert spans["central_doc_id"].tolist() == ["c1", "c2"]
    assert spans["start"].tolist() == [0, len(PASSAGE) + 4]
    documents = diffusion.reuse_by_document(spans, local)
    chars = diffusion.normalised_length(text)
    assert documents["reused_chars"].tolist() == [PASSAGE_CHARS + other_chars, 0]
    assert documents["share"].tolist() == pytest.approx([(PASSAGE_CHARS + other_chars) / chars, 0.0])
    assert documents["central_docs"].tolist() == [2, 0]
    periods = diffusion.reuse_by_period(documents, period="month")
    assert periods["period"].tolist() == ["2022-03", "2022-04", "2022-05"]
    assert periods["documents"].tolist() == [1, 0, 1]
    assert periods["share"].iloc[1] != periods["share"].iloc[1]  # NaN: a gap, not "no reuse"


def test_a_corpus_without_levels_is_a_clear_error():
    corpus = pd.DataFrame({"doc_id": ["a"], "date": pd.to_datetime(["2020-01-01"]), "text_clean": [LIUBAO]})
    with pytest.raises(InputError, match="lacks column"):
        diffusion.first_use(corpus, tag_slogans(corpus))
    with pytest.raises(DiffusionError, match="no document has a level"):
        diffusion.first_use(corpus.assign(level=None), tag_slogans(corpus))
    with pytest.raises(DiffusionError, match="unknown level"):
        diffusion.first_use(corpus.assign(level="national"), tag_slogans(corpus))


# --------------------------------------------------------------- the seed page


def test_the_seed_takes_up_liuwen_and_liubao_and_coins_a_formula_on_their_pattern(seed_path, gov_reports_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        seed = load_corpus(seed_path.parent, level="county", region="郑州高新区")
        reports = load_corpus(gov_reports_path, level="central")
    # The page carries no year (本报讯 6月1日); seeds/README: early June 2020.
    seed = diffusion.assign_dates(seed, {"000_fb9efe5851bc9182": "2020-06-01"})
    corpus = combine_corpora([reports, seed])
    mentions = tag_slogans(corpus)
    lags = diffusion.adoption_lags(corpus, mentions).set_index(["slogan_id", "level"])
    for slogan_id in ("liuwen", "liubao"):
        county = lags.loc[(slogan_id, "county")]
        assert county["first_date"] == pd.Timestamp("2020-06-01")
        assert county["central_first"] < county["first_date"] and county["lag_days"] > 0
        # One page is no archive: the uptake may be earlier than the page, so the lag is an upper bound.
        assert county["status"] == "left-censored"
    formulas = diffusion.local_formulas(corpus, mentions)
    coined = formulas[formulas["formula"] == "控保稳进抬扛"]
    assert sorted(coined["closest"]) == ["六保", "六稳"] and coined["same_numeral"].all()
