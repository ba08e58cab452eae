"""Which rising phrases are candidates: ordinary language out, one phrase per nest."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .inputs import JOINER
from .joins import CONJUNCTIONS
from .ngrams import PAIR_BASE

HOLD_SHARE = 0.5
"""A longer phrase stands for a shorter one it holds in this share of the shorter one's uses."""

NUMERAL_CHARS = frozenset("〇零一二两三四五六七八九十百千万亿0123456789")
"""Characters of a number, Chinese or Arabic (mostly_numerals: 二〇一五年 is no coinage)."""
# Numbers stand in formulas (四个全面, 三大攻坚战): such a phrase is not judged by its parts of speech.
_FORMULA_NUMERALS = frozenset("一二两三四五六七八九十百")

# Part-of-speech flags of jieba that make a phrase a name of something; a candidate made of
# verbs, adverbs and adjectives only (防范化解, 更好统筹) is a generic instruction.
_NOUN_FLAGS = ("n", "vn", "j", "l", "i", "b", "s", "f")
_CONTENT_TAGS = frozenset("nvabsijlz")
_CONTEXT_TAGS = frozenset({"v", "vd", "vn", "a", "ad", "d", "p"})
_VERB_TAGS = frozenset({"v", "vd", "a", "ad", "d"})
_TAIL_TAGS = frozenset({"v", "vd", "d", "ad", "p", "c", "u", "uj", "ul", "uz", "ug", "uv", "ud"})
CONTEXT_HEADS = (2, 4)
"""Lengths of a verb before a phrase: one word of two characters or two (推进, 深入贯彻)."""
_NAME_TAGS = ("m", "ns", "nr", "nt", "nz", "eng", "j")
_EDGE_WORD_FREQ = 100
"""Dictionary frequency of an edge word: rare entries of jieba's dictionary are often odd splits."""
# What a numeral counts (三年, 五个, 两岸 aside): a numeral and one of these is no formula.
_COUNTED = frozenset("个年月日天次项条种位名家批件届周岁倍成亿万千百十点元人是号期季度")


MEETING_OUTPUT = re.compile(r"(?:[一二三四五六七八九十]+大|全会|会议|中央)的?(?:精神|报告|部署|决策部署|讲话|公报|决定)$")
"""What a meeting said or decided, named by the meeting: 二十大精神, 中央经济工作会议部署, 党中央决策部署.
It names a document, not a coinage; 伟大建党精神 and 工匠精神 name no meeting."""

MEETING_NAME = re.compile(r"(?:全会|会议|大会|峰会|论坛)$")
"""A meeting by its name (中央经济工作会议, 二十届二中、三中全会, 第十五次缔约方大会): an event of the
news, not a coinage; no form of the lexicon ends so."""

CONTINUING = frozenset({"持续", "继续", "不断"})
"""Adverbs of continuation: after a noun and before a verb or adjective they report a trend
(经济持续回升向好, 主要污染物排放量继续下降), a clause of the text, not the name of a policy."""

TITLES = frozenset({"同志", "主席", "总书记", "总理", "委员长", "书记", "先生", "女士"})
"""Titles and forms of address: beside a person's name they make no slogan (江泽民同志)."""


class GenericFilter:
    """Ordinary language by jieba's own stock dictionary (a fresh Tokenizer, never ``jieba.dt``)."""

    def __init__(self):
        from .prior import stock_tagger

        self.pos = stock_tagger()
        self.tokenizer = self.pos.tokenizer
        try:  # jieba-rs (the [fast] extra) cuts the same words from the same dictionary, far faster
            import rjieba

            self.cut = lambda text: rjieba.cut(text, False)
        except ImportError:
            self.cut = lambda text: self.tokenizer.cut(text, HMM=False)
        self._tags: dict[str, tuple[tuple[str, str], ...]] = {}
        # The tagger's HMM (a Python Viterbi over some 250 states) takes most of its time, and
        # phrases share the runs of unknown characters it is asked about (二十大 in many of
        # them): its answer is kept per run, on this tagger only (never jieba.dt's).
        hmm = getattr(self.pos, "_POSTokenizer__cut", None)
        if hmm is not None and "_POSTokenizer__cut" not in vars(self.pos):  # the tagger is shared (stock_tagger)
            self.pos._POSTokenizer__cut = functools.lru_cache(maxsize=None)(lambda run: tuple(hmm(run)))

    def tags(self, part: str) -> tuple[tuple[str, str], ...]:
        """(word, part of speech) of a phrase, kept per distinct phrase (the tagger is slow and
        the same parts are asked about again and again). A four-character idiom made of two
        verbs (or adjectives) is two words: 贯彻落实 before a phrase is its context, as 深入贯彻 is."""
        cached = self._tags.get(part)
        if cached is None:
            cached = []
            for p in self.pos.cut(part):
                halves = (p.word[:2], p.word[2:])
                flags = [self.pos.word_tag_tab.get(half, "") for half in halves]
                if len(p.word) == 4 and p.flag in ("i", "l") and all(f in _VERB_TAGS for f in flags):
                    cached += list(zip(halves, flags))
                else:
                    cached.append((p.word, p.flag))
            cached = self._tags[part] = tuple(cached)
        return cached

    def edge_words(self) -> np.ndarray:
        """Two-character content words of the dictionary (nouns, verbs, adjectives, names), as
        pairs of code points: a phrase may begin or end with one though its outer character
        is a function character (和谐, 中和)."""
        pairs = [
            ord(word[0]) * PAIR_BASE + ord(word[1])
            for word, tag in self.pos.word_tag_tab.items()
            if len(word) == 2 and tag[:1] in _CONTENT_TAGS and self.tokenizer.FREQ.get(word, 0) >= _EDGE_WORD_FREQ
        ]
        return np.unique(np.array(pairs, dtype=np.int64))

    def ordinary(self, phrase: str, *, joined: bool = False) -> bool:
        """Whether a phrase is ordinary language (see :func:`analysis.discovery.discover_phrases`);
        a ``joined`` phrase (two rising or known phrases joined by 和: :mod:`analysis.discovery.joins`)
        is not a coordination of ordinary words."""
        if self.tokenizer.FREQ.get(phrase) and not numbered(phrase):
            return True  # a word of the general dictionary: 心理健康, 无障碍 (but 三农 is a formula)
        pairs = self.tags(phrase)
        if not joined and any(flag in ("c", "uj", "p") and word in "和与及或的" for word, flag in pairs[1:-1]):
            # a coordination or a modifier phrase: 稳定和扩大, 党的二十大 (at an edge, 和 is part of
            # a word the tagger split: 碳中和)
            return True
        if MEETING_OUTPUT.search(phrase) or MEETING_NAME.search(phrase):
            return True  # a meeting, or its documents: 中央经济工作会议, 二十大精神, 党中央决策部署
        if any(pairs[i][0] in CONTINUING and pairs[i - 1][1][:1] in "nrs" and pairs[i + 1][1][:1] in "va"
               for i in range(1, len(pairs) - 1)):  # fmt: skip
            return True  # a trend reported: 经济社会持续健康发展
        if all(flag.startswith("nr") or word in TITLES for word, flag in pairs):
            return True  # a person's name, or a name with a title (江泽民同志, 习近平总书记)
        if any(char in _FORMULA_NUMERALS for char in phrase) or formula_shaped(phrase):
            return False  # a formula: 四个自信, 外防输入、内防反弹 have no noun by jieba's tags
        return not any(flag.startswith(_NOUN_FLAGS) for _, flag in pairs)

    def ends_in_modifier(self, phrase: str, text: str, spans: Sequence[tuple[int, int]]) -> bool:
        """Whether a phrase is a verb and one character of its object, a noun that in most of its
        sampled uses modifies what follows: 的 after it, or a word it begins (全面贯彻落实党, of
        全面贯彻落实党的二十大精神 and 全面贯彻落实党中央决策部署)."""
        tags = self.tags(phrase)
        if len(tags) < 2 or len(tags[-1][0]) != 1 or tags[-1][1] != "n" or tags[-2][1] not in _VERB_TAGS:
            return False
        modifying = sum(text[end : end + 1] == "的" or bool(self.tokenizer.FREQ.get(text[end - 1 : end + 2]))
                        or bool(self.tokenizer.FREQ.get(text[end - 1 : end + 1])) for _, end in spans)  # fmt: skip
        return modifying * 2 > len(spans)

    def is_context(self, part: str) -> bool:
        """Whether a part beside a phrase is its context (构建, 全面推进, 落实; 建设 after a name):
        it holds a verb, adjective or adverb and no name or number (京津冀, 2025)."""
        flags = [flag for _, flag in self.tags(part)] if part else []
        return any(f in _CONTEXT_TAGS for f in flags) and not any(f.startswith(_NAME_TAGS) for f in flags)

    def is_tail(self, part: str) -> bool:
        """Whether a part after a phrase begins the rest of its clause (为主线, 取得, 的), not more
        of its name (发展 in 高质量发展, 战略, 2025): its first word is a verb, adverb,
        preposition, conjunction or particle by jieba's tags."""
        tags = self.tags(part) if part else ()
        return bool(tags) and tags[0][1] in _TAIL_TAGS

    def is_name(self, part: str) -> bool:
        """Whether a part is a name or a number (2025, 京津冀 as a place)."""
        return any(flag.startswith(_NAME_TAGS) for _, flag in self.tags(part))

    def is_verb_head(self, phrase: str, k: int) -> bool:
        """Whether the first ``k`` characters of a phrase are verbs or adverbs, cut as words
        (推进 in 推进碳达峰碳中和; not 供给 in 供给侧结构性改革, a noun)."""
        words, length = [], 0
        for word, flag in self.tags(phrase):
            if length >= k:
                break
            words.append(flag)
            length += len(word)
        return length == k and all(flag in _VERB_TAGS for flag in words)

    def joins_words(self, phrase: str, conjunctions: str) -> bool:
        """Whether one of ``conjunctions`` stands in a phrase as a word of its own (生态保护/和/高质量发展),
        not inside one (党和国家, 和平)."""
        return any(word in conjunctions for word in self.cut(phrase) if len(word) == 1)

    def cuts_words(self, text: str, spans: Sequence[tuple[int, int]]) -> bool:
        """Whether the phrase starts or ends inside a word in most of its sampled uses (业数字化 in 产业数字化)."""
        inside = 0
        for start, end in spans:
            left, right = max(0, start - 6), min(len(text), end + 6)
            bounds, offset = set(), left
            for word in self.cut(text[left:right]):
                bounds.add(offset)
                offset += len(word)
            bounds.add(offset)
            inside += start not in bounds or end not in bounds
        return inside * 2 > len(spans)


# A five-year plan by its number (十一五, 十四五, 十五五) is a formula, though all numerals.
_PLAN = re.compile(r"十[一二三四五六七八九]?五")
_NUMERAL_CODES = np.array(sorted(map(ord, NUMERAL_CHARS)))
_FORMULA_NUMERAL_CODES = np.array(sorted(map(ord, _FORMULA_NUMERALS)))
_PLAN_MIDDLE_CODES = np.array([ord(c) for c in "一二三四五六七八九"])


def mostly_numerals(ngram: str) -> bool:
    """Mostly numerals (二〇一五年): not a coinage, unless a plan's number (十一五). The edges
    were checked on the text."""
    return sum(char in NUMERAL_CHARS for char in ngram) * 2 > len(ngram) and not _PLAN.fullmatch(ngram)


def formula_shaped(ngram: str) -> bool:
    """A formula's shape that two documents suffice for: two numerals, the first in front
    (三严三实, 两学一做, 三去一降一补), or two halves in parallel (外防输入、内防反弹 counted as
    外防输入内防反弹, 群防群控)."""
    if ngram[:1] in _FORMULA_NUMERALS and sum(c in _FORMULA_NUMERALS for c in ngram) >= 2:
        return not mostly_numerals(ngram)
    half = len(ngram) // 2
    return len(ngram) % 2 == 0 and 2 <= half <= 5 and any(ngram[i] == ngram[half + i] for i in range(half))


def formula_shaped_at(codes: np.ndarray, firsts: np.ndarray, n: int) -> np.ndarray:
    """:func:`formula_shaped` of the n-grams of an array of code points at ``firsts``, all at
    once (the n-gram counter asks about hundreds of thousands of them)."""
    windows = codes[np.asarray(firsts, dtype=np.int64)[:, None] + np.arange(n)]
    formula = np.isin(windows, _FORMULA_NUMERAL_CODES)
    numerals = np.isin(windows, _NUMERAL_CODES).sum(axis=1)
    plan = (windows[:, 0] == ord("十")) & (windows[:, -1] == ord("五"))
    if n == 3:
        plan &= np.isin(windows[:, 1], _PLAN_MIDDLE_CODES)
    mostly = (numerals * 2 > n) & ~(plan & (n in (2, 3)))
    numbered_shape = formula[:, 0] & (formula.sum(axis=1) >= 2)
    half = n // 2
    parallel = np.zeros(len(windows), dtype=bool)
    if n % 2 == 0 and 2 <= half <= 5:
        parallel = (windows[:, :half] == windows[:, half:]).any(axis=1)
    return np.where(numbered_shape, ~mostly, parallel)


def numbered(ngram: str) -> bool:
    """A numbered formula's shape: a numeral and a character it does not count (三农, 六稳,
    四个全面 after its counting word aside: 三大攻坚战), or two numerals (两学一做, 三严三实)."""
    if len(ngram) < 2 or ngram[0] not in _FORMULA_NUMERALS | {"双"}:
        return False
    return ngram[1] not in _COUNTED or ngram[1] in "个大项" or sum(c in _FORMULA_NUMERALS for c in ngram) >= 2


def short_formula(ngram: str) -> bool:
    """A two-character numbered formula (六稳, 双减): a numeral and a character that does not count."""
    return len(ngram) == 2 and ngram[0] in _FORMULA_NUMERALS | {"双"} and ngram[1] not in _COUNTED



TITLE_REACH = 40
"""Characters searched on either side of a phrase for the book-title marks 《》 around it."""

WHOLE_TITLE_SHARE = 1.0
"""A phrase printed as a whole title, 《…》, in this share of its sampled uses names a work
(《走进县城看发展》, 127 of its 129 uses in the CCTV news of 2022). A plan named by its slogan is
written bare as well, which the sample must be allowed to show: 《中国制造2025》 is 4 of its 7
uses in the work reports, and 4 of the 5 sampled (0.8 lost it)."""


def in_title(text: str, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether a phrase names a work, or part of one, rather than a formula: it stands inside
    a longer title, 《…》, in most of its sampled uses (县城看发展 of the programme
    《走进县城看发展》), or is the whole title in :data:`WHOLE_TITLE_SHARE` of them
    (走进县城看发展 itself; not 中国制造2025)."""
    inside = whole = 0
    for start, end in spans:
        opening = text.rfind("《", max(0, start - TITLE_REACH), start)
        closing = text.find("》", end, end + TITLE_REACH)
        if opening < 0 or closing < 0 or "》" in text[opening:start] or "《" in text[end:closing]:
            continue
        if (opening, closing) == (start - 1, end):
            whole += 1
        else:
            inside += 1
    return inside * 2 > len(spans) or whole >= WHOLE_TITLE_SHARE * len(spans) > 0


def _printed_as_list(holder, key: str, text: str) -> bool:
    """Whether a kept phrase is printed as a list whose first or last item is ``key``
    (精准扶贫、精准脱贫): its items are not each other's context."""
    start, end = holder.spans[0]
    printed = text[start:end]
    return printed.startswith(key + JOINER) or printed.endswith(JOINER + key)


def _in_context(holder, key: str, judge: GenericFilter, text: str) -> bool:
    """Whether a kept phrase is ``key`` after a verb or adverb (推进新发展格局)."""
    return (holder.key.endswith(key) and judge.is_context(holder.key[: -len(key)])
            and not _printed_as_list(holder, key, text))  # fmt: skip


def _before_tail(holder, key: str, judge: GenericFilter, text: str) -> bool:
    """Whether a kept phrase is ``key`` with the rest of its clause behind: 供给侧结构性改革为主线
    ranked first (以…为主线 is said every year), but the name is 供给侧结构性改革."""
    return (holder.key.startswith(key) and judge.is_tail(holder.key[len(key) :])
            and not _printed_as_list(holder, key, text))  # fmt: skip


def select_candidates(found: pd.DataFrame, judge: GenericFilter, text: str, *, n: int | None, generic: bool, fragments: dict,
                      heads: frozenset[str] | None = None) -> list:
    """The candidates in rank order, one per nest of phrases inside each other.

    A phrase inside a kept one, or holding one, is not a candidate of its own, with two
    exceptions that replace the kept one at its rank: the kept phrase is this one with a verb
    in front (构建新发展格局 gives way to 新发展格局) or with the rest of its clause behind
    (供给侧结构性改革为主线 to 供给侧结构性改革; not 高质量发展 to 高质量), unless the kept one is
    printed as a list of this one and another item (精准扶贫、精准脱贫 stays), or this one holds the kept one in at
    least :data:`HOLD_SHARE` of the kept one's uses (or is quoted) and adds a name or a number,
    not a verb or a common noun (京津冀协同发展 for 协同发展, 中国制造2025 for 中国制造,
    大众创业、万众创新 for 万众创新; not 大众创业万众创新政策).

    A fragment (a row of ``fragments``, not a unit by its neighbours) takes the place of a
    phrase that is it with a verb in front (碳达峰碳中和 for 推进碳达峰碳中和) when that verb is
    one of ``heads``, the words the corpus writes before known slogans
    (:meth:`~analysis.discovery.ngrams.Joined.form_heads`; None: any verb)."""
    kept: dict[str, object] = {}
    owners: dict[str, set[str]] = {}

    def parts(key: str):
        return {key[i : i + m] for m in range(2, len(key) + 1) for i in range(len(key) - m + 1)}

    def acceptable(row) -> bool:
        # Word boundaries first: they are cheap, the part-of-speech check of ordinary() is not.
        if judge.cuts_words(text, row.spans) or in_title(text, row.spans) or judge.ends_in_modifier(row.key, text, row.spans):
            return False
        if row.joined and not judge.joins_words(row.key, CONJUNCTIONS):
            return False  # 和 inside a word (党和国家) joins no two phrases
        return generic or not judge.ordinary(row.key, joined=row.joined)

    # A joined phrase (黄河流域生态保护和高质量发展) names a strategy of its own: it neither gives
    # way to the phrases it joins (高质量发展 ranked higher) nor stands for them; it is nested
    # only with other joins.
    joins: list[str] = []

    def replace(old: list[str], row) -> None:
        nonlocal kept
        for key in old:
            for part in parts(key):
                owners[part].discard(key)
        row = row._replace(score=max(row.score, kept[old[0]].score))  # it takes the rank of the one it replaces
        kept = {(row.key if k == old[0] else k): (row if k == old[0] else v) for k, v in kept.items() if k not in old[1:]}
        for part in parts(row.key):
            owners.setdefault(part, set()).add(row.key)

    for row in found.itertuples():
        if n is not None and len(kept) >= n:
            break
        for k in CONTEXT_HEADS:
            rest = row.key[k:]
            if len(rest) >= 3 and rest in fragments and judge.is_verb_head(row.key, k) and (heads is None or row.key[:k] in heads):
                row = fragments[rest]._replace(score=row.score)
                break
        key = row.key
        if row.joined:
            if not any(key in other or other in key for other in joins) and acceptable(row):
                kept[key] = row
                joins.append(key)
            continue
        outer = owners.get(key)
        if outer:
            holder = min(outer, key=lambda k: (len(k), k))  # ties by the text: a set has no order across runs
            if (_in_context(kept[holder], key, judge, text) or _before_tail(kept[holder], key, judge, text)) and acceptable(row):
                # Every other kept phrase that is this one after a verb gives way too, at the best
                # rank of them (贯彻新发展理念 and 坚持新发展理念 are both 新发展理念); one that
                # goes on after it may be a longer name (依法治军、从严治军, 东部地区率先发展).
                others = [h for h in outer if h != holder and _in_context(kept[h], key, judge, text)]
                replace(sorted([holder, *others], key=list(kept).index), row)
            continue
        inner = [part for part in parts(key) if part in kept and part != key]
        if inner:
            left = key[: min(key.find(part) for part in inner)]
            right = key[max(key.find(part) + len(part) for part in inner) :]
            # The text marks the longer one as the unit when it quotes it (“中国制造2025”).
            holds = row.quoted >= 0.5 or all(row.count >= HOLD_SHARE * kept[part].count for part in inner)
            # A name in front (京津冀) or a number behind (2025) names a new thing; 政策 behind does not.
            if holds and not judge.is_context(left) and (not right or judge.is_name(right)) and acceptable(row):
                replace(sorted(inner, key=list(kept).index), row)
            continue
        if acceptable(row):
            kept[key] = row
            for part in parts(key):
                owners.setdefault(part, set()).add(key)
    return list(kept.values())
