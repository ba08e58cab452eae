"""Discovery of formulas the lexicon does not know yet: numbered (三个代表), N-character (六字方针),
number pairs (四梁八柱), enumerations and quoted coinages.
"""

from __future__ import annotations


import bisect
import re
from typing import Sequence

import pandas as pd


from .candidates import is_quoted, sentence_of
from .compiled import (
    CompiledLexicon,
    LIST_SEPARATORS,
    QUOTE_CHARS,
    QUOTE_PAIRS,
    SPACE,
    compile_lexicon,
    surface_matches,
)
from .tagger import as_corpus, load_default_lexicon


# --------------------------------------------------------------------------
# Discovery of new formulas
# --------------------------------------------------------------------------

DISCOVERY_KINDS = ("enumeration", "n_character", "number_pair", "numbered", "quoted")
"""Kinds of candidate, most specific first; a candidate found by several kinds takes the first."""

DISCOVERY_COLUMNS = [
    "candidate", "kind", "count", "documents", "quoted", "first_seen", "example", "doc_id",
]  # fmt: skip

EXTENSION_SHARE = 0.8
"""A numbered formula grows by one character while that keeps this share of its uses.

三个代表 is followed by 重要思想 in some places and not in others, so it stops at
三个代表; a phrase seen once grows to its longest reading, and ``min_count``
drops it.
"""

QUOTED_MAX_CHARS = 8
"""Longer quoted passages are quotations of speech, not formulas."""

_HAN_CHARS = "\u3400-\u4dbf\u4e00-\u9fff"
_NUMERALS = "一二两三四五六七八九十百千"
# A formula's head noun stops before a function word: 三个方面的 is 三个方面.
_FUNCTION_CHARS = frozenset("的地得和与及或是在中上下为等以了要把对将从向于并都也就还又着过其之而")
# Counting words that make N+X+N+X a quantity or a date, not a 四梁八柱-type pair.
_MEASURE_CHARS = "个大项年月日天次是位名条种件批点元亿万多余届号期倍成分时岁人家所"
# A numeral that does not follow 第, another numeral or a digit. The numeral comes first and the check
# looks back past it, so that each pattern starts with a character class: the regular expression
# engine then skips to the next numeral in C instead of trying the pattern at every character
# (the three patterns below: 1.3 -> 0.2 s on the 40 MB corpus).
_FIRST_NUMERAL = f"[{_NUMERALS}](?<![第{_NUMERALS}0-9.．].)"
# Formulas count with Chinese numerals from two up (四个意识, 三大攻坚战): 一个 is
# the indefinite article, digits count things (3个百分点), and a numeral of
# several characters before 大 names a party congress (二十大).
_NUMBERED_FORMULA = re.compile(
    f"{_FIRST_NUMERAL}(?:(?<!一)[个大项]|[{_NUMERALS}]+[个项])(?=[{_HAN_CHARS}])"
)
_NUMBERED_MAX_HEAD = 5
# Heads that count ordinary things, never a formula.
_GENERIC_HEADS = (
    "方面", "百分点", "部分", "阶段", "时期", "问题", "小时", "月", "国家", "地区", "城市",
    "省份", "单位", "企业", "项目", "环节", "层面", "领域", "途径", "渠道", "赛区", "多",
)  # fmt: skip
_N_CHARACTER = re.compile(
    f"{_FIRST_NUMERAL}[{_NUMERALS}]*字(?:方针|要求|诀|经|箴言|原则|工作法)"
)
_PAIR_CHAR = f"(?:(?![{_NUMERALS}{_MEASURE_CHARS}{''.join(sorted(_FUNCTION_CHARS))}])[{_HAN_CHARS}])"
_NUMBER_PAIR = re.compile(f"{_FIRST_NUMERAL}{_PAIR_CHAR}(?:[{_NUMERALS}]{_PAIR_CHAR}){{1,2}}")
_QUOTED_PHRASE = re.compile(
    "|".join(
        f"{re.escape(opening)}([{_HAN_CHARS}0-9A-Za-z+＋]{{2,{QUOTED_MAX_CHARS}}}){re.escape(closing)}"
        for opening, closing in QUOTE_PAIRS.items()
    )
)
_SEPARATOR_CLASS = re.escape(LIST_SEPARATORS + SPACE)
_QUOTED_ENUMERATION = re.compile(
    "|".join(
        f"{re.escape(opening)}([{_HAN_CHARS}](?:[{_SEPARATOR_CLASS}]+[{_HAN_CHARS}]){{2,}}){re.escape(closing)}"
        for opening, closing in QUOTE_PAIRS.items()
    )
)
_SEPARATOR_RUN = re.compile(f"[{_SEPARATOR_CLASS}{QUOTE_CHARS}]+")


def _known_forms(lexicon: pd.DataFrame) -> set[str]:
    """Every surface form of the lexicon, with and without its separators."""
    from ..lexicon import surface_forms

    forms = set(surface_forms(lexicon))
    return forms | {_SEPARATOR_RUN.sub("", form) for form in forms}


_HAN_CHAR = re.compile(f"[{_HAN_CHARS}]")


def _numbered_heads(text: str) -> list[tuple[int, int, str]]:
    """(start, length of N+unit, N+unit+head) for every N个X, N大X, N项X of a text."""
    found = []
    for match in _NUMBERED_FORMULA.finditer(text):
        head = []
        for char in text[match.end() : match.end() + _NUMBERED_MAX_HEAD]:
            if char in _FUNCTION_CHARS or not _HAN_CHAR.match(char):
                break
            head.append(char)
        head_text = "".join(head)
        if len(head) >= 2 and not head_text.startswith(_GENERIC_HEADS):
            found.append((match.start(), len(match.group()), match.group() + head_text))
    return found


def _numbered_occurrences(texts: list[str], known: set[str]) -> list[tuple[int, int, int, str]]:
    """Numbered formulas cut where the continuation stops being predictable.

    A known slogan stops the growth, so 八项规定精神 is 八项规定 (and left out).
    """
    heads = [(position, start, unit_end, phrase) for position, text in enumerate(texts)
             for start, unit_end, phrase in _numbered_heads(text)]  # fmt: skip
    prefix_counts: dict[str, int] = {}
    for _, _, unit_end, phrase in heads:
        for end in range(unit_end + 2, len(phrase) + 1):
            prefix_counts[phrase[:end]] = prefix_counts.get(phrase[:end], 0) + 1
    occurrences = []
    for position, start, unit_end, phrase in heads:
        end = unit_end + 2
        while (
            end < len(phrase)
            and phrase[:end] not in known
            and prefix_counts[phrase[: end + 1]] >= EXTENSION_SHARE * prefix_counts[phrase[:end]]
        ):
            end += 1
        occurrences.append((position, start, start + end, phrase[:end]))
    return occurrences


def _compact_spans(text: str, compiled: CompiledLexicon | None) -> tuple[list[int], list[int]]:
    """Where the known slogans' compact forms stand (not components: 绿色通道 is new).

    Returns the starts, sorted, and for each the furthest end of any span
    starting there or before, so that one bisect tells whether a range
    overlaps a known slogan even when spans nest.
    """
    if compiled is None or compiled.surface_pattern is None:
        return [], []
    spans = sorted(
        (start, end)
        for start, end in surface_matches(text, compiled)
        if any(form == "compact" for _, form, _ in compiled.surfaces[text[start:end]])
    )
    starts, furthest, reach = [], [], -1
    for start, end in spans:
        reach = max(reach, end)
        starts.append(start)
        furthest.append(reach)
    return starts, furthest


def _overlaps(spans: tuple[list[int], list[int]], start: int, end: int) -> bool:
    starts, furthest = spans
    position = bisect.bisect_left(starts, end)
    return position > 0 and furthest[position - 1] > start


def _discovery_occurrences(texts: list[str], known: set[str]) -> list[tuple[str, str, int, int, int]]:
    """(candidate, kind, document position, start, end) for every kind of candidate."""
    found = []
    for position, text in enumerate(texts):
        for match in _QUOTED_ENUMERATION.finditer(text):
            group = next(g for g in range(1, len(QUOTE_PAIRS) + 1) if match.group(g))
            found.append(
                (_SEPARATOR_RUN.sub("", match.group(group)), "enumeration", position,
                 match.start(group), match.end(group))
            )  # fmt: skip
        for kind, pattern in (("n_character", _N_CHARACTER), ("number_pair", _NUMBER_PAIR)):
            for match in pattern.finditer(text):
                found.append((match.group(), kind, position, match.start(), match.end()))
        for match in _QUOTED_PHRASE.finditer(text):
            group = next(g for g in range(1, len(QUOTE_PAIRS) + 1) if match.group(g))
            found.append((match.group(group), "quoted", position, match.start(group), match.end(group)))
    found += [(phrase, "numbered", position, start, end)
              for position, start, end, phrase in _numbered_occurrences(texts, known)]  # fmt: skip
    return found


def discover_formulas(
    corpus,
    *,
    lexicon: pd.DataFrame | None = None,
    min_count: int = 2,
    min_documents: int = 1,
    kinds: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Propose slogans that are not in the lexicon yet.

    Five patterns find candidates in ``text_clean``:

    ``enumeration``
        Single characters listed inside quotes, “控、保、稳、进、抬、扛”: the
        candidate is the characters run together (控保稳进抬扛).
    ``n_character``
        N字方针, N字要求 (六字要求, 十六字方针).
    ``number_pair``
        Numbers paired with single characters, 四梁八柱, 两学一做, 三去一降一补
        (set idioms such as 五湖四海 come up too).
    ``numbered``
        N个X, N大X, N项X (四个意识, 三大攻坚战). X stops before a function
        word and grows one character at a time while at least
        :data:`EXTENSION_SHARE` of its uses go on the same way.
    ``quoted``
        A short phrase (2 to :data:`QUOTED_MAX_CHARS` characters without
        punctuation) between quote marks.

    Every occurrence of a candidate, whatever pattern found it, counts once.
    Candidates that are a surface form of the lexicon (canonical, alias,
    component, with or without separators) are left out.

    Parameters
    ----------
    corpus : pandas.DataFrame or str
        A table with ``doc_id`` and ``text_clean`` (``date`` gives
        ``first_seen``), or one string.
    lexicon : pandas.DataFrame, optional
        The known slogans to leave out; defaults to the shipped lexicon.
    min_count : int, default 2
        Fewest occurrences a candidate needs.
    min_documents : int, default 1
        Fewest documents it must occur in.
    kinds : sequence of str, optional
        Only these kinds of :data:`DISCOVERY_KINDS` (default: all).

    Returns
    -------
    pandas.DataFrame
        One row per candidate, most frequent first (then most documents, then
        candidate): ``candidate``, ``kind``, ``count`` (occurrences),
        ``documents`` (documents it occurs in), ``quoted`` (occurrences inside
        quote marks), ``first_seen`` (earliest date; NaT without dates),
        ``example`` (the sentence of its first occurrence, earliest document
        first) and ``doc_id`` (the document of the example).

    Examples
    --------
    >>> text = "落实“控、保、稳、进、抬、扛”六字要求。围绕“控、保、稳、进、抬、扛”推进。"
    >>> found = discover_formulas(text, lexicon=pd.DataFrame(columns=["id", "canonical"]))
    >>> found[["candidate", "kind", "count"]].values.tolist()
    [['控保稳进抬扛', 'enumeration', 2]]
    """
    corpus = as_corpus(corpus)
    for name, value in (("min_count", min_count), ("min_documents", min_documents)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name} must be a whole number >= 1, got {value!r}")
    selected_kinds = DISCOVERY_KINDS if kinds is None else tuple([kinds] if isinstance(kinds, str) else kinds)
    unknown = [kind for kind in selected_kinds if kind not in DISCOVERY_KINDS]
    if unknown:
        raise ValueError(f"unknown kind(s) {unknown}; choose from {DISCOVERY_KINDS}")
    lexicon = load_default_lexicon() if lexicon is None else lexicon
    compiled = compile_lexicon(lexicon) if len(lexicon) else None
    known = _known_forms(lexicon) if len(lexicon) else set()

    texts = corpus["text_clean"].tolist()
    dates = (
        pd.to_datetime(corpus["date"], errors="coerce").tolist()
        if "date" in corpus.columns
        else [pd.NaT] * len(corpus)
    )
    kind_rank = {kind: rank for rank, kind in enumerate(DISCOVERY_KINDS)}
    spans: dict[str, dict[tuple[int, int, int], None]] = {}
    kind_of: dict[str, str] = {}
    known_spans = [_compact_spans(text, compiled) for text in texts]
    for candidate, kind, position, start, end in _discovery_occurrences(texts, known):
        if kind not in selected_kinds or candidate in known:
            continue
        if _overlaps(known_spans[position], start, end):
            continue  # part of a known slogan: 三角一体 in 长三角一体化
        spans.setdefault(candidate, {})[(position, start, end)] = None
        if candidate not in kind_of or kind_rank[kind] < kind_rank[kind_of[candidate]]:
            kind_of[candidate] = kind

    def first_key(span: tuple[int, int, int]) -> tuple:
        date = dates[span[0]]
        return (pd.isna(date), date if not pd.isna(date) else pd.Timestamp(0), span)

    rows = []
    for candidate, occurrences in spans.items():
        positions = {position for position, _, _ in occurrences}
        if len(occurrences) < min_count or len(positions) < min_documents:
            continue
        first = min(occurrences, key=first_key)
        text = texts[first[0]]
        seen = [dates[position] for position in positions if not pd.isna(dates[position])]
        rows.append(
            {
                "candidate": candidate,
                "kind": kind_of[candidate],
                "count": len(occurrences),
                "documents": len(positions),
                "quoted": sum(is_quoted(texts[p], s, e) for p, s, e in occurrences),
                "first_seen": min(seen) if seen else pd.NaT,
                "example": sentence_of(text, first[1], first[2]),
                "doc_id": corpus["doc_id"].iloc[first[0]],
            }
        )
    result = pd.DataFrame(rows, columns=DISCOVERY_COLUMNS)
    result = result.astype(
        {"candidate": "str", "kind": "str", "count": "int64", "documents": "int64",
         "quoted": "int64", "example": "str"}
    )  # fmt: skip
    result["first_seen"] = pd.to_datetime(result["first_seen"])
    return result.sort_values(
        ["count", "documents", "candidate"], ascending=[False, False, True], kind="stable"
    ).reset_index(drop=True)
