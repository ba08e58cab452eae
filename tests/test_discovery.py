"""Tests for analysis.discovery: rising phrases, the form prior and the combined candidate table."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import discovery
from analysis.discovery import (
    DISCOVERY_COLUMNS,
    PHRASE_COLUMNS,
    FormPrior,
    discover,
    discover_phrases,
    fit_form_prior,
    form_features,
    lexicon_forms,
    phrase_key,
    stock_tagger,
)
from analysis.slogans import discover_formulas
from analysis.validation import InputError

EMPTY = pd.DataFrame(columns=["id", "canonical", "aliases", "components"])

OLD = "今年要发展经济，改善人民生活，加强社会管理，稳定物价水平。"
NEW = (
    "我们要推进新型城镇化，坚持以人为核心的新型城镇化，也要推进新型城镇化试点，"
    "新型城镇化是大事。要防范化解风险，必须防范化解债务。防范化解，重在落实。"
)


def reports(n_old: int = 8, n_new: int = 4, new: str = NEW) -> pd.DataFrame:
    years = range(2000, 2000 + n_old + n_new)
    texts = [OLD] * n_old + [OLD + new] * n_new
    return pd.DataFrame(
        {"doc_id": [f"r{y}" for y in years], "text_clean": texts, "date": pd.to_datetime([f"{y}-03-05" for y in years])}
    )


def test_phrase_that_appears_late_is_proposed_with_its_rise():
    found = discover_phrases(reports(), lexicon=EMPTY).set_index("candidate")
    assert "新型城镇化" in found.index
    row = found.loc["新型城镇化"]
    assert row["rise_period"] == "2008"
    assert row["first_seen"] == pd.Timestamp("2008-03-05")
    assert row["documents"] == 4 and row["count"] == 16
    assert row["growth"] > 1
    assert "新型城镇化" in row["example"] and row["doc_id"] == "r2008"
    assert list(found.reset_index().columns) == PHRASE_COLUMNS


def test_phrases_present_throughout_are_not_new():
    found = discover_phrases(reports(), lexicon=EMPTY)
    assert not found["candidate"].isin(["发展经济", "改善人民生活", "社会管理"]).any()


def test_fragments_and_generic_verb_phrases_are_left_out():
    candidates = set(discover_phrases(reports(), lexicon=EMPTY)["candidate"])
    assert not {"型城镇化", "新型城镇", "城镇化"} & candidates  # fragments of 新型城镇化
    assert "防范化解" not in candidates  # verbs only
    assert "防范化解" in set(discover_phrases(reports(), lexicon=EMPTY, generic=True)["candidate"])


def test_lexicon_forms_are_not_proposed():
    lexicon = pd.DataFrame(
        {"id": ["xxczh"], "canonical": ["新型城镇化"], "aliases": [[]], "components": [[]]}
    )
    assert "新型城镇化" not in set(discover_phrases(reports(), lexicon=lexicon)["candidate"])


def test_too_few_documents_or_too_short_a_history_finds_nothing():
    assert discover_phrases(reports(n_new=2), lexicon=EMPTY).empty
    assert discover_phrases(reports(n_old=3), lexicon=EMPTY).empty


def test_phrases_need_dates():
    corpus = reports().assign(date=pd.NaT)
    with pytest.raises(ValueError, match="dates"):
        discover_phrases(corpus, lexicon=EMPTY)
    with pytest.raises(ValueError, match="date"):
        discover_phrases(reports().drop(columns="date"), lexicon=EMPTY)


@pytest.mark.parametrize("option", ["min_chars", "max_chars", "min_documents", "min_history"])
def test_phrase_options_are_checked(option):
    with pytest.raises(ValueError, match=option):
        discover_phrases(reports(), lexicon=EMPTY, **{option: 0})


def test_discover_combines_both_detectors():
    corpus = reports(new=NEW + "落实“六个坚持”。贯彻“六个坚持”。")
    by_detector = discover(corpus, lexicon=EMPTY, combined=False)
    assert list(by_detector.columns) == DISCOVERY_COLUMNS
    pairs = set(zip(by_detector["detector"], by_detector["candidate"]))
    assert {("phrase", "新型城镇化"), ("formula", "六个坚持"), ("phrase", "六个坚持")} <= pairs
    formula = by_detector[by_detector["detector"] == "formula"].set_index("candidate").loc["六个坚持"]
    assert formula["kind"] == "numbered" and formula["growth"] > 1
    assert set(by_detector.loc[by_detector["detector"] == "phrase", "kind"]) == {"rising"}
    for _, rows in by_detector.groupby("detector"):
        assert rows["rank"].tolist() == list(range(1, len(rows) + 1))

    # Combined: one row per candidate, ranked across the detectors; the one both propose first.
    table = discover(corpus, lexicon=EMPTY)
    assert list(table.columns) == DISCOVERY_COLUMNS
    assert table["candidate"].is_unique and table["rank"].tolist() == list(range(1, len(table) + 1))
    assert table.iloc[0][["candidate", "detector"]].tolist() == ["六个坚持", "formula+phrase"]
    assert set(table["candidate"]) == set(by_detector["candidate"])


def test_fused_ranks_weigh_agreement_and_the_detectors_as_documented():
    from analysis.discovery import FORMULA_FUSION_WEIGHT, FUSION_K, fuse_ranks

    rows = pd.DataFrame(
        {
            "rank": [1, 2, 3, 1, 2],
            "candidate": ["四个自信", "三公", "碳达峰、碳中和", "新型城镇化", "碳达峰碳中和"],
            "detector": ["formula", "formula", "formula", "phrase", "phrase"],
        }
    ).reindex(columns=DISCOVERY_COLUMNS)
    rows["kind"] = ["numbered", "numbered", "enumeration", "rising", "rising"]
    fused = fuse_ranks(rows)
    # 碳达峰碳中和: proposed by both (written with and without the comma), so first; then the
    # phrase detector's first before the formula detector's first, whose rank weighs less.
    assert fused["candidate"].tolist() == ["碳达峰碳中和", "新型城镇化", "四个自信", "三公"]
    assert fused["detector"].tolist() == ["formula+phrase", "phrase", "formula", "formula"]
    # Its evidence is that of the detector that ranks it higher (phrase 2 outweighs formula 3);
    # its kind, both findings.
    assert fused["kind"].tolist() == ["enumeration+rising", "rising", "numbered", "numbered"]
    assert FORMULA_FUSION_WEIGHT / (FUSION_K + 3) + 1 / (FUSION_K + 2) > 1 / (FUSION_K + 1) > FORMULA_FUSION_WEIGHT / (FUSION_K + 1)
    assert fuse_ranks(rows, n=2)["candidate"].tolist() == ["碳达峰碳中和", "新型城镇化"]
    assert fuse_ranks(rows.head(0)).empty


def test_discover_formula_rows_are_those_of_discover_formulas():
    corpus = reports(new=NEW + "落实“六个坚持”。贯彻“六个坚持”。")
    formulas = discover_formulas(corpus, lexicon=EMPTY)
    table = discover(corpus, lexicon=EMPTY, detectors=["formula"])
    assert set(table["candidate"]) == set(formulas["candidate"])


def test_discover_top_n_and_detectors():
    corpus = reports(new=NEW + "落实“六个坚持”。贯彻“六个坚持”。推进“双千工程”，“双千工程”好。")
    table = discover(corpus, lexicon=EMPTY, n=1, combined=False)
    assert table.groupby("detector").size().to_dict() == {"formula": 1, "phrase": 1}
    assert len(discover(corpus, lexicon=EMPTY, n=1)) == 1
    assert set(discover(corpus, lexicon=EMPTY, detectors=["phrase"])["detector"]) == {"phrase"}
    with pytest.raises(ValueError, match="detector"):
        discover(corpus, lexicon=EMPTY, detectors=["ngram"])
    with pytest.raises(ValueError, match="n must be"):
        discover(corpus, lexicon=EMPTY, n=0)


def test_slogans_module_still_offers_discover_formulas():
    from analysis import slogans

    assert slogans.discover_formulas is discover_formulas
    assert "formula" in discovery.DETECTORS


# --- the phrase detector: whole phrases, enumerations, offsets, known slogans, a reference corpus


def corpus_of(old: str, new: str, n_old: int = 8, n_new: int = 4) -> pd.DataFrame:
    years = range(2000, 2000 + n_old + n_new)
    texts = [old] * n_old + [old + new] * n_new
    return pd.DataFrame(
        {"doc_id": [f"d{y}" for y in years], "text_clean": texts, "date": pd.to_datetime([f"{y}-03-05" for y in years])}
    )


RISING = "要加快发展新质生产力，培育新质生产力。因地制宜推动新质生产力，新质生产力是关键。"


def test_a_rising_phrase_is_found_whole_not_in_fragments():
    candidates = set(discover_phrases(corpus_of(OLD, RISING), lexicon=EMPTY)["candidate"])
    assert "新质生产力" in candidates
    assert not {"质生产力", "新质生产", "质生产"} & candidates


def test_a_phrase_common_before_is_not_new():
    # 生产力 is printed before and after: only the new phrase around it rises.
    old = OLD + "解放和发展社会生产力。"
    candidates = set(discover_phrases(corpus_of(old, RISING), lexicon=EMPTY)["candidate"])
    assert "新质生产力" in candidates and "生产力" not in candidates


def test_listed_formulas_and_digits_stay_whole():
    new = "推进大众创业、万众创新，落实大众创业、万众创新政策。实施中国制造2025，推动中国制造2025落地。"
    candidates = set(discover_phrases(corpus_of(OLD, new), lexicon=EMPTY)["candidate"])
    assert "大众创业、万众创新" in candidates
    assert "中国制造2025" in candidates


def test_phrase_offsets_point_into_text_clean():
    corpus = corpus_of(OLD, RISING)
    found = discover_phrases(corpus, lexicon=EMPTY)
    texts = dict(zip(corpus["doc_id"], corpus["text_clean"]))
    for row in found.itertuples():
        assert texts[row.doc_id][row.start : row.end] == row.candidate
        assert row.candidate in row.example


def test_uses_inside_a_known_slogan_do_not_count():
    new = "深入贯彻新发展理念，完整贯彻新发展理念，全面贯彻新发展理念，坚持新发展理念。"
    lexicon = pd.DataFrame({"id": ["xfzln"], "canonical": ["新发展理念"], "aliases": [[]], "components": [[]]})
    assert "贯彻新发展理念" in set(discover_phrases(corpus_of(OLD, new), lexicon=EMPTY)["candidate"]) or (
        "新发展理念" in set(discover_phrases(corpus_of(OLD, new), lexicon=EMPTY)["candidate"])
    )
    candidates = set(discover_phrases(corpus_of(OLD, new), lexicon=lexicon)["candidate"])
    assert not {c for c in candidates if "发展理念" in c or "贯彻新" in c}


def test_a_reference_corpus_suppresses_a_phrase_it_already_has():
    corpus = corpus_of(OLD, RISING)
    assert "新质生产力" in set(discover_phrases(corpus, lexicon=EMPTY)["candidate"])
    background = pd.DataFrame({"doc_id": [f"b{i}" for i in range(10)], "text_clean": ["发展新质生产力。"] * 10})
    candidates = set(discover_phrases(corpus, lexicon=EMPTY, reference=background)["candidate"])
    assert "新质生产力" not in candidates
    # A background without the phrase leaves it new.
    unrelated = background.assign(text_clean="要发展经济，改善人民生活。")
    assert "新质生产力" in set(discover_phrases(corpus, lexicon=EMPTY, reference=unrelated)["candidate"])


def test_a_reference_corpus_is_the_history_of_a_short_corpus():
    # One year of news: no history of its own, the reference stands for it.
    news = corpus_of(OLD, RISING, n_old=0, n_new=4).assign(date=pd.Timestamp("2024-03-05"))
    assert discover_phrases(news, lexicon=EMPTY).empty
    background = pd.DataFrame({"doc_id": [f"b{i}" for i in range(10)], "text_clean": [OLD] * 10})
    found = discover_phrases(news, lexicon=EMPTY, reference=background)
    assert "新质生产力" in set(found["candidate"])
    assert set(found["rise_period"]) == {"2024"}
    with pytest.raises(ValueError, match="reference"):
        discover_phrases(news, lexicon=EMPTY, reference=background.drop(columns="text_clean"))


def test_discover_passes_the_reference_on():
    corpus = corpus_of(OLD, RISING)
    background = pd.DataFrame({"doc_id": [f"b{i}" for i in range(10)], "text_clean": ["发展新质生产力。"] * 10})
    table = discover(corpus, lexicon=EMPTY, detectors=["phrase"])
    assert "新质生产力" in set(table["candidate"])
    assert "新质生产力" not in set(discover(corpus, lexicon=EMPTY, detectors=["phrase"], reference=background)["candidate"])
    row = table.set_index("candidate").loc["新质生产力"]
    assert corpus.set_index("doc_id").loc[row["doc_id"], "text_clean"][row["start"] : row["end"]] == "新质生产力"


def test_hidden_recent_slogans_are_found_in_the_work_reports(gov_reports_path):
    import warnings

    from analysis.corpus import load_corpus
    from analysis.lexicon import load_lexicon

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reports = load_corpus(gov_reports_path)
    lexicon = load_lexicon()
    hidden = ["高质量发展", "供给侧结构性改革", "一带一路", "两个确立", "乡村振兴"]
    known = lexicon[~lexicon["canonical"].isin(hidden)]
    top = discover_phrases(reports, lexicon=known, n=30)["candidate"].tolist()
    found = [h for h in hidden if any(h in c or (c in h and len(c) >= 0.6 * len(h)) for c in top)]
    assert len(found) >= 4, (found, top)


# --- second round: spellings merged, edge words, short numbered formulas, contexts, evidence, the prior


def test_a_formula_printed_with_and_without_the_comma_is_one_candidate():
    years = range(2000, 2012)
    texts = [OLD] * 8 + [OLD + "推进碳达峰、碳中和。实现碳达峰、碳中和目标。"] * 2 + [OLD + "碳达峰碳中和是大事。"] * 2
    corpus = pd.DataFrame({"doc_id": list(years), "text_clean": texts, "date": pd.to_datetime([f"{y}-03-05" for y in years])})
    found = discover_phrases(corpus, lexicon=EMPTY, prior=False).set_index("candidate")
    merged = [c for c in found.index if c.replace("、", "") == "碳达峰碳中和"]
    assert len(merged) == 1 and found.loc[merged[0], "documents"] == 4
    row = found.loc[merged[0]]
    assert corpus.set_index("doc_id").loc[row["doc_id"], "text_clean"][row["start"] : row["end"]] == merged[0]


def test_a_phrase_may_end_in_a_word_whose_last_character_is_a_function_word():
    new = "实现碳中和目标。碳中和要稳妥推进，碳中和是长期任务。"
    assert "碳中和" in set(discover_phrases(corpus_of(OLD, new), lexicon=EMPTY, prior=False)["candidate"])


def test_two_character_numbered_formulas_are_proposed():
    new = "做好“六稳”工作，全面落实“六稳”。今后三年，要干三年。"
    candidates = set(discover_phrases(corpus_of(OLD, new), lexicon=EMPTY, prior=False)["candidate"])
    assert "六稳" in candidates
    assert "三年" not in candidates


def test_the_phrase_is_proposed_without_the_verb_it_always_follows():
    new = "要推进京津冀协同发展。我们推进京津冀协同发展，效果好。"
    candidates = set(discover_phrases(corpus_of(OLD, new), lexicon=EMPTY, prior=False)["candidate"])
    assert "京津冀协同发展" in candidates
    assert "推进京津冀协同发展" not in candidates


def test_a_quoted_longer_phrase_stands_for_the_shorter_one():
    new = "实施“中国制造2025”。推进“中国制造2025”。中国制造走向世界，提升中国制造品质，中国制造要强。"
    candidates = set(discover_phrases(corpus_of(OLD, new), lexicon=EMPTY, prior=False)["candidate"])
    assert "中国制造2025" in candidates
    assert "中国制造" not in candidates


def test_quoted_uses_rank_a_phrase_higher():
    new = "推进“蓝色海湾”。落实“蓝色海湾”。推进金色沙滩。落实金色沙滩。"
    found = discover_phrases(corpus_of(OLD, new), lexicon=EMPTY, prior=False).set_index("candidate")
    assert found.loc["蓝色海湾", "quoted"] == 1 and found.loc["金色沙滩", "quoted"] == 0
    assert found.loc["蓝色海湾", "score"] > found.loc["金色沙滩", "score"]
    assert list(found.index).index("蓝色海湾") < list(found.index).index("金色沙滩")


def test_the_form_prior_ranks_numbered_formulas_above_plain_phrases():
    new = "落实六个坚持，做到六个坚持。建设蓝色海湾，支持蓝色海湾。"
    corpus = corpus_of(OLD, new)
    prior = FormPrior.fit(["四个全面", "三个代表", "两个维护", "五个必须", "八项规定"],
                          ["经济增长", "人民生活", "工作任务", "财政收入", "对外贸易", "农业生产"])  # fmt: skip
    plain = discover_phrases(corpus, lexicon=EMPTY, prior=False).set_index("candidate")
    assert plain["prior"].isna().all()
    assert plain.loc["六个坚持", "score"] == plain.loc["蓝色海湾", "score"]
    found = discover_phrases(corpus, lexicon=EMPTY, prior=prior).set_index("candidate")
    assert found.loc["六个坚持", "prior"] > found.loc["蓝色海湾", "prior"]
    assert list(found.index).index("六个坚持") < list(found.index).index("蓝色海湾")
    table = discover(corpus, lexicon=EMPTY, detectors=["phrase"], prior=prior)
    assert table["candidate"].iloc[0] == "六个坚持"
    with pytest.raises(ValueError, match="prior"):
        discover_phrases(corpus, lexicon=EMPTY, prior="yes")


def test_the_prior_is_learned_from_the_lexicon_it_is_given():
    lexicon = pd.DataFrame(
        {"id": ["a", "b"], "canonical": ["四个全面", "三个代表"], "aliases": [[], []], "components": [[], []]}
    )
    prior = fit_form_prior(corpus_of(OLD, RISING), lexicon=lexicon)
    assert prior.n_positive == 2 and prior.n_negative > 0
    found = discover_phrases(corpus_of(OLD, RISING), lexicon=lexicon)
    assert found["prior"].notna().all()
    with pytest.raises(ValueError, match="form prior needs"):
        fit_form_prior(corpus_of(OLD, RISING), lexicon=EMPTY)


# --- the form prior (analysis.discovery.prior)

SLOGANS = [
    "四个全面",
    "三个代表",
    "两个维护",
    "五个必须",
    "三大改造",
    "八项规定",
    "两学一做",
    "三严三实",
    "四个现代化",
]
ORDINARY = ["经济增长", "人民生活", "工作任务", "财政收入", "对外贸易", "农业生产", "工业企业", "社会管理",
            "物价水平", "城乡居民", "基本建设", "科学技术", "国家机关", "地方政府", "粮食产量"]  # fmt: skip


def test_phrase_key_drops_commas_quotes_and_signs():
    assert phrase_key("大众创业、万众创新") == "大众创业万众创新"
    assert phrase_key("“内卷式”竞争") == "内卷式竞争"
    assert phrase_key("人工智能+") == "人工智能"


def test_lexicon_forms_take_names_aliases_and_long_components():
    lexicon = pd.DataFrame(
        {
            "canonical": ["新发展理念", "碳达峰碳中和"],
            "aliases": [[], ["双碳", "碳达峰、碳中和"]],
            "components": [[{"text": "创新"}, {"text": "协调"}], [{"text": "碳达峰"}]],
        }
    )
    assert lexicon_forms(lexicon) == ["双碳", "新发展理念", "碳达峰", "碳达峰碳中和"]


def test_numbered_shape_is_learned_from_the_forms():
    prior = FormPrior.fit(SLOGANS, ORDINARY)
    numbered, plain = prior.predict(["六个坚持", "财政支出"])
    assert numbered > 0.5 > plain


def test_features_mark_numbered_and_parallel_forms():
    tagger = stock_tagger()
    assert form_features("三大攻坚战", tagger)["numbered"] == 1
    assert form_features("两学一做", tagger)["two_numerals"] == 1
    assert form_features("联防联控", tagger)["parallel"] == 1
    assert "numbered" not in form_features("经济增长", tagger)


def test_plain_tags_by_jieba_rs_are_jiebas_own(gov_reports_path):
    """The fast path of the form prior's tags changes no feature: jieba-rs and jieba's tagger
    give the same words and tags, without the HMM, on the lexicon's forms and on phrases of
    the work reports (the features, and so the ranking, do not depend on the [fast] extra)."""
    import re

    from analysis.discovery.prior import plain_tags
    from analysis.lexicon import load_lexicon

    pytest.importorskip("rjieba")
    tagger = stock_tagger()
    text = gov_reports_path.read_text(encoding="utf-8")[:400_000]
    phrases = sorted(set(re.findall(r"[\u4e00-\u9fff]{2,10}", text)))[:6000]
    phrases += lexicon_forms(load_lexicon())
    jieba_tags = [[(p.word, p.flag) for p in tagger.cut(phrase, HMM=False)] for phrase in phrases]
    assert [plain_tags(phrase, tagger) for phrase in phrases] == jieba_tags


STOCK_TABLE_CHECK = """
import sys
import jieba
if sys.argv[1] == "posseg first":
    import jieba.posseg  # someone imported it before: the table is read from the file
from analysis.discovery.prior import stock_tagger
copied = "jieba.posseg" not in sys.modules
tagger = stock_tagger()
handle = tagger.tokenizer.get_dict_file()
lines = handle.read().decode("utf-8").splitlines()
handle.close()
expected = {}
for line in lines:
    parts = line.split(" ")
    if len(parts) == 3:
        expected[parts[0]] = parts[2]
assert tagger.word_tag_tab == expected
assert tagger.word_tag_tab is not sys.modules["jieba.posseg"].dt.word_tag_tab
print("copied" if copied else "read")
"""


@pytest.mark.parametrize("order, branch", [("tagger first", "copied"), ("posseg first", "read")])
def test_the_stock_taggers_table_is_the_stock_dictionarys(order, branch):
    """However it was read (copied from jieba.posseg's own on its first import, or from the
    file when jieba.posseg was imported before), the table is the stock dictionary's word and
    tag, line for line, and the tagger's own. Each way runs in a fresh process."""
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", STOCK_TABLE_CHECK, order], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == branch, result.stderr


def test_fit_is_deterministic_and_samples_negatives():
    many = [f"{a}{b}工作" for a in "甲乙丙丁戊己庚辛" for b in "子丑寅卯辰巳午未"]
    one = FormPrior.fit(SLOGANS, ORDINARY + many, max_negatives=20, random_state=3)
    two = FormPrior.fit(SLOGANS, ORDINARY + many, max_negatives=20, random_state=3)
    assert one.n_negative == 20
    assert (
        one.predict(["六个坚持", "甲子工作"]) == two.predict(["六个坚持", "甲子工作"])
    ).all()


def test_fit_needs_both_classes():
    with pytest.raises(InputError, match="form prior needs"):
        FormPrior.fit([], ORDINARY)
    with pytest.raises(InputError, match="form prior needs"):
        FormPrior.fit(SLOGANS, SLOGANS)
    with pytest.raises(ValueError, match="C must be"):
        FormPrior.fit(SLOGANS, ORDINARY, C=0)


def test_every_public_name_is_importable_from_the_package():
    import importlib

    for name in discovery.__all__:
        assert getattr(discovery, name) is not None
    with pytest.raises(ImportError):
        importlib.import_module("analysis.formprior")


# --- third round: verb idioms as context, numbered dictionary words, plan numbers, shapes, weights


def test_a_phrase_after_a_verb_idiom_is_proposed_without_it():
    # jieba tags 贯彻落实 as one idiom; it is two verbs before the phrase, as 深入贯彻 is.
    new = "要贯彻落实科学发展观。贯彻落实科学发展观是大事。坚持科学发展观，以科学发展观统领全局。"
    candidates = set(discover_phrases(corpus_of(OLD, new), lexicon=EMPTY, prior=False)["candidate"])
    assert "科学发展观" in candidates
    assert "贯彻落实科学发展观" not in candidates


def test_a_numbered_word_of_the_dictionary_is_not_ordinary():
    new = "解决好“三农”问题。三农工作是重中之重，支持三农发展。"
    assert "三农" in set(discover_phrases(corpus_of(OLD, new), lexicon=EMPTY, prior=False)["candidate"])


def test_a_plan_number_is_not_a_mere_numeral():
    new = "“十一五”时期要开好局。完成十一五规划目标，十一五期间任务重。"
    candidates = set(discover_phrases(corpus_of(OLD, new), lexicon=EMPTY, prior=False)["candidate"])
    assert "十一五" in candidates


def test_a_formula_shape_needs_two_documents_only():
    new = "开展“三严三实”专题教育，践行三严三实。外防输入、内防反弹不放松，坚持外防输入、内防反弹。推进城乡统筹试点，城乡统筹试点要快。"
    corpus = corpus_of(OLD, new, n_new=2)
    candidates = set(discover_phrases(corpus, lexicon=EMPTY, prior=False)["candidate"])
    assert {"三严三实", "外防输入、内防反弹"} <= candidates
    assert "城乡统筹试点" not in candidates  # a plain phrase still needs three documents
    fewer = set(discover_phrases(corpus, lexicon=EMPTY, prior=False, min_shaped_documents=3)["candidate"])
    assert not {"三严三实", "外防输入、内防反弹"} & fewer


def test_rank_weights_set_the_evidence_and_are_checked():
    new = "推进“蓝色海湾”。落实“蓝色海湾”。推进金色沙滩。落实金色沙滩。"
    corpus = corpus_of(OLD, new)
    flat = discover_phrases(corpus, lexicon=EMPTY, prior=False, weights=discovery.RankWeights(quote=0.0)).set_index("candidate")
    assert flat.loc["蓝色海湾", "score"] == flat.loc["金色沙滩", "score"]
    heavy = discover_phrases(corpus, lexicon=EMPTY, prior=False, weights=discovery.RankWeights(quote=6.0)).set_index("candidate")
    assert heavy.loc["蓝色海湾", "score"] > flat.loc["蓝色海湾", "score"]
    with pytest.raises(ValueError, match="weights.quote"):
        discovery.RankWeights(quote=-1.0)
    with pytest.raises(ValueError, match="weights must be"):
        discover_phrases(corpus, lexicon=EMPTY, weights={"quote": 1.0})


# --- the context prior (analysis.discovery.context)

# Known slogans written as slogans are: after 坚持/实施/落实, between punctuation, before 战略.
WRITTEN = "坚持四项基本原则，实施科教兴国战略。坚持可持续发展，落实三个代表。发展经济，改善人民生活，加强社会管理。"
KNOWN = pd.DataFrame(
    {
        "id": ["a", "b", "c", "d"],
        "canonical": ["四项基本原则", "科教兴国", "可持续发展", "三个代表"],
        "aliases": [[], [], [], []],
        "components": [[], [], [], []],
    }
)
# Two phrases that rise alike: one written as the slogans are, one inside running text.
LIKE_SLOGAN = "要坚持蓝色海湾，实施蓝色海湾。"
LIKE_NOUN = "支持金色沙滩贷款，扩大金色沙滩融资。"


def test_context_features_are_shares_of_uses_with_punctuation_as_one_sign():
    features = discovery.context_features(["坚持", "，落", ""], ["战略", "。", "的工"])
    assert features["L2=坚持"] == pytest.approx(1 / 3)
    assert features["L1=P"] == pytest.approx(1 / 3)  # at the start of a text
    assert features["R1=P"] == pytest.approx(1 / 3) and features["R2=P"] == pytest.approx(1 / 3)
    assert features["R2=的工"] == pytest.approx(1 / 3) and features["R2=战略"] == pytest.approx(1 / 3)
    assert features["L2=P落"] == pytest.approx(1 / 3)  # 落 after a comma
    assert discovery.context_features([], []) == {}
    with pytest.raises(ValueError, match="as many"):
        discovery.context_features(["坚持"], [])


def test_contexts_in_reads_the_characters_beside_each_use():
    assert discovery.contexts_in("坚持科学发展观，落实科学发展观。", "科学发展观") == (["坚持", "落实"], ["，落", "。"])
    assert discovery.contexts_in("坚持科学发展观，落实科学发展观。", "科学发展观", limit=1) == (["坚持"], ["，落"])


def test_the_context_prior_ranks_a_phrase_written_as_slogans_are_higher():
    corpus = corpus_of(WRITTEN, LIKE_SLOGAN + LIKE_NOUN)
    plain = discover_phrases(corpus, lexicon=KNOWN, prior=False, context=False).set_index("candidate")
    assert plain["context"].isna().all()
    assert plain.loc["蓝色海湾", "score"] == plain.loc["金色沙滩", "score"]
    found = discover_phrases(corpus, lexicon=KNOWN, prior=False).set_index("candidate")
    assert found.loc["蓝色海湾", "context"] > found.loc["金色沙滩", "context"]
    assert list(found.index).index("蓝色海湾") < list(found.index).index("金色沙滩")
    # the weight sets the evidence: zero leaves it out
    flat = discover_phrases(corpus, lexicon=KNOWN, prior=False, weights=discovery.RankWeights(context=0.0))
    flat = flat.set_index("candidate")
    assert flat.loc["蓝色海湾", "score"] == flat.loc["金色沙滩", "score"]


def test_the_context_prior_is_learned_from_the_lexicon_and_corpus_it_is_given():
    corpus = corpus_of(WRITTEN, LIKE_SLOGAN + LIKE_NOUN)
    context = discovery.fit_context_prior(corpus_of(WRITTEN, "", n_new=0), lexicon=KNOWN)
    assert context.n_positive == 4 and context.n_negative > 0
    assert isinstance(context, discovery.ContextPrior) and "4 slogan forms" in repr(context)
    found = discover_phrases(corpus, lexicon=KNOWN, prior=False, context=context).set_index("candidate")
    assert found.loc["蓝色海湾", "context"] > found.loc["金色沙滩", "context"]
    table = discover(corpus, lexicon=KNOWN, detectors=["phrase"], prior=False, context=context)
    assert table["candidate"].iloc[0] == "蓝色海湾"
    # a lexicon never printed in the corpus teaches nothing
    unprinted = KNOWN.assign(canonical=["五个统筹", "八项规定", "两个务必", "四个全面"])
    with pytest.raises(ValueError, match="context prior needs"):
        discovery.fit_context_prior(corpus_of(WRITTEN, "", n_new=0), lexicon=unprinted)
    with pytest.raises(ValueError, match="context must be"):
        discover_phrases(corpus, lexicon=KNOWN, context="yes")
    with pytest.raises(ValueError, match="weights.context"):
        discovery.RankWeights(context=-1.0)


def test_the_context_prior_fits_and_predicts_from_contexts():
    slogans = [(["坚持", "实施"], ["，", "战略"]), (["坚持", "贯彻"], ["。", "，"])]
    ordinary = [(["小微", "支持"], ["贷款", "融资"]), (["的", "业"], ["的工", "人"])]
    prior = discovery.ContextPrior.fit(slogans, ordinary)
    high, low = prior.predict([(["坚持"], ["。"]), (["中小"], ["贷款"])])
    assert high > 0.5 > low
    assert len(prior.predict([])) == 0
    with pytest.raises(ValueError, match="context prior needs"):
        discovery.ContextPrior.fit(slogans, [([], [])])


def test_since_keeps_only_what_rises_from_then_on():
    # 新型城镇化 rises in 2005, 乡村振兴 in 2014: asked for what is new since 2012, only the second.
    years = list(range(2000, 2018))
    texts = [OLD] * 5 + [OLD + NEW] * 9 + [OLD + NEW + "实施乡村振兴，推进乡村振兴。乡村振兴要落实。"] * 4
    corpus = pd.DataFrame({"doc_id": years, "text_clean": texts, "date": pd.to_datetime([f"{y}-03-05" for y in years])})
    everything = set(discover_phrases(corpus, lexicon=EMPTY, prior=False, context=False)["candidate"])
    assert {"新型城镇化", "乡村振兴"} <= everything
    recent = discover_phrases(corpus, lexicon=EMPTY, prior=False, context=False, since=2012)
    assert "乡村振兴" in set(recent["candidate"]) and "新型城镇化" not in set(recent["candidate"])
    assert (recent["rise_period"].astype(int) >= 2012).all()
    # The same question through discover(), and as a date.
    table = discover(corpus, lexicon=EMPTY, detectors=["phrase"], prior=False, context=False, since="2012-01-01")
    assert set(table["candidate"]) == set(recent["candidate"])


@pytest.mark.parametrize("since", ["soon", True, [2012]])
def test_since_must_be_a_year_or_a_date(since):
    with pytest.raises(InputError, match="since must be a year or a date"):
        discover_phrases(reports(), lexicon=EMPTY, since=since)


def test_an_example_sentence_that_runs_on_is_cut_with_an_ellipsis():
    from analysis.discovery.phrases import EXAMPLE_REACH, _sentence

    text = "前文。" + "甲" * 300 + "高水平安全" + "乙" * 300 + "。后文"
    start = text.index("高水平安全")
    example = _sentence(text, start, start + 5)
    assert example.startswith("…甲") and example.endswith("乙…") and "高水平安全" in example
    assert len(example) == 2 * EXAMPLE_REACH + 5 + 2
    short = "前文。统筹高质量发展和高水平安全。后文"
    start = short.index("高水平安全")
    assert _sentence(short, start, start + 5) == "统筹高质量发展和高水平安全。"
