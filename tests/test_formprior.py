"""Tests for analysis.formprior: the form prior of the discovery ranking."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.formprior import (
    FormPrior,
    form_features,
    lexicon_forms,
    phrase_key,
    stock_tagger,
)
from analysis.validation import InputError

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
