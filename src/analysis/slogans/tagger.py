"""Tagging slogan mentions: the lexicon compiled into a matcher, candidates, the nesting rules, the mention table.

The rules are those of :mod:`analysis.slogans`; this module is where they are applied.
"""

from __future__ import annotations


import bisect
import functools
import math
import re
from dataclasses import dataclass, field
from typing import Iterable, NamedTuple, Sequence

import numpy as np
import pandas as pd

from ..validation import InputError


FORMS = ("compact", "enumerated", "expansion", "component")
COUNTED_FORMS = ("compact", "enumerated", "expansion")
NAME_FORMS = ("compact", "enumerated")
"""Forms that name a slogan: they stay mentions inside a longer mention of another one."""

# Specificity when two mentions of one family have the same length.
_FORM_RANK = {"expansion": 0, "enumerated": 1, "compact": 2, "component": 3}

EXPANSION_MIN_PARTS = 3
"""An expansion of a formula of six or more parts names at least this many distinct components …"""
EXPANSION_MIN_SHARE = 0.5
"""… and at least this share of them. Smaller formulas need more: see :func:`expansion_minimum`."""

EXPANSION_LIST_MIN_SHARE = 0.75
"""Share of the items of a 、-list that must be components for a run of them to be an expansion.

绿色、共享、开放、廉洁 (a motto) holds three parts of 新发展理念 among four
items; a run followed or preceded by more foreign items than this allows is a
list of something else that happens to share words with the formula.
"""

RUN_TOGETHER_MIN_CHARS = 3
"""Components written without a separator (保就业保民生) need this many characters each …

… unless the run names every component of the formula (农业农村农民 is 三农).
Two-character components run together are otherwise ordinary compounds:
开放创新 is not two parts of 新发展理念.
"""

QUOTE_SLACK = 4
"""Characters that may share the quotes with a mention that is still "quoted".

``“六稳工作”`` quotes the slogan with a generic noun attached; a longer quoted
passage is a quotation of speech, not the formal use of a 提法.
"""

LONE_COMPONENT_MIN_CHARS = 3
"""A shorter component (创新, 农业, 东强) counts on its own only when quoted alone.

Two-character components are everyday words, and 东强 turns up in 山东强省: only
quote marks around the component itself (“创新”, not “绿色通道”), or the
company of the formula's other parts (an expansion), show that the text names
the part of a slogan.
"""

WORD_BEFORE = {"保": "确担环医社劳安投参承财", "稳": "平安企维趋求"}
"""Characters that make one word with a mention's first character (确保, 平稳).

A mention cannot start inside a word: 确保就业 is 确保 + 就业, not 保就业, and
确保市场主体 is not 保市场主体.
"""

QUOTE_PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』", '"': '"', "'": "'"}
QUOTE_CHARS = "".join(sorted(set(QUOTE_PAIRS) | set(QUOTE_PAIRS.values())))
_CLOSING_QUOTES = {close: open_ for open_, close in QUOTE_PAIRS.items()}

SPACE = " \t\u3000"
LIST_SEPARATORS = "、，,；;/"
_FILLER = re.escape(SPACE + QUOTE_CHARS)
# Between the characters of an enumerated formula: at least one separator,
# space or quote mark, otherwise it is the compact form.
_ENUMERATION_GAP = (
    f"(?:[{_FILLER}]*[{re.escape(LIST_SEPARATORS)}][{_FILLER}]*|[{_FILLER}]+)"
)
# Between the components of an expansion: nothing (保就业保民生), a separator,
# and/or the connective that introduces the last item (……稳投资和稳预期).
_EXPANSION_GAP = re.compile(
    f"[{_FILLER}]*(?:[{re.escape(LIST_SEPARATORS)}][{_FILLER}]*)?"
    f"(?:(?:以及|及|和|与|并)[{_FILLER}]*)?"
)

_GAP_OPENERS = frozenset(SPACE + QUOTE_CHARS + LIST_SEPARATORS + "以及和与并")
"""Every character a non-empty :data:`_EXPANSION_GAP` can start with."""

# A sentence ends at a full stop, question or exclamation mark, or a line
# break; closing quotes and brackets right after the stop belong to it.
_NON_WORD = re.compile(r"[^\w]+")

_SENTENCE_END = re.compile(r"[。！？!?]+[”’」』）)\"']*|\n")

MENTION_COLUMNS = [
    "doc_id",
    "slogan_id",
    "canonical",
    "form",
    "surface",
    "start",
    "end",
    "quoted",
    "in_title",
    "counted",
    "sentence",
]
CONTEXT_COLUMNS = ("not_before", "not_after", "valid_from", "valid_until")
"""Optional lexicon columns with an entry's sense rules (see the module docstring)."""


# --------------------------------------------------------------------------
# The compiled lexicon
# --------------------------------------------------------------------------


def _undated(date) -> bool:
    # A Timestamp is never missing: only other values need pandas' check (asked per family and document).
    return date is None or (not isinstance(date, pd.Timestamp) and pd.isna(date))


@dataclass
class _Family:
    slogan_id: str
    canonical: str
    n_components: int
    expansion_minimum: int | None  # None: the entry cannot be expanded
    not_before: tuple[str, ...] = ()
    not_after: tuple[str, ...] = ()
    valid_from: pd.Timestamp | None = None
    valid_until: pd.Timestamp | None = None  # the last moment of the range
    introduced: pd.Timestamp | None = None  # first statement, where the lexicon knows it

    def breaks_context(self, text: str, start: int, end: int) -> bool:
        """Whether a match at ``start:end`` has a string before or after it that the sense excludes."""
        return any(start >= len(word) and text.startswith(word, start - len(word)) for word in self.not_before) or any(
            text.startswith(word, end) for word in self.not_after
        )

    def parts_are_components_on(self, date) -> bool:
        """Whether a lone part names this formula on ``date``: not before the formula existed.

        普惠金融 in 2022 is a kind of finance; from the 中央金融工作会议 of October 2023 on it is
        also one of the 五篇大文章.
        """
        if _undated(date) or self.introduced is None:
            return True
        return date >= self.introduced

    def valid_on(self, date) -> bool:
        """Whether the sense holds on ``date`` (always, for an undated document)."""
        if _undated(date):
            return True
        if self.valid_from is not None and date < self.valid_from:
            return False
        return self.valid_until is None or date <= self.valid_until


_SCAN_BLOCK = 1 << 20
"""Characters whose starts are screened at once: bounds the screen's arrays to a few MB whatever the document."""


@dataclass
class _SurfaceScreen:
    """Which positions of a text can start a lexicon surface, judged on their first three characters.

    Every character of a surface gets a small code (0 for any other
    character); a position passes when its first two characters are a whole
    surface, or begin a longer one whose first three characters they begin
    too. Screening is a handful of numpy operations over the whole text, so
    the regex only runs where a surface is likely: one pass over the text
    instead of the regex engine trying its trie at every position, and again
    inside every match for the surfaces that start there.
    """

    codes: np.ndarray  # code point -> character code (0: in no surface)
    width: int  # number of character codes, 0 included
    singles: np.ndarray  # character code -> a one-character surface
    pairs_whole: np.ndarray  # first * width + second -> a two-character surface
    pairs_longer: np.ndarray  # first * width + second -> begins a longer surface
    triples: np.ndarray  # sorted codes of the first three characters of the longer surfaces

    @classmethod
    def of(cls, surfaces: Iterable[str]) -> _SurfaceScreen:
        surfaces = list(surfaces)
        characters = sorted(set("".join(surfaces)))
        width = len(characters) + 1
        number = {char: code for code, char in enumerate(characters, 1)}
        codes = np.zeros(0x110000, dtype=np.int32)
        codes[[ord(char) for char in characters]] = list(number.values())
        singles = np.zeros(width, dtype=bool)
        pairs_whole = np.zeros(width * width, dtype=bool)
        pairs_longer = np.zeros(width * width, dtype=bool)
        triples = set()
        for surface in surfaces:
            code = [number[char] for char in surface[:3]]
            if len(surface) == 1:
                singles[code[0]] = True
            elif len(surface) == 2:
                pairs_whole[code[0] * width + code[1]] = True
            else:
                pairs_longer[code[0] * width + code[1]] = True
                triples.add((code[0] * width + code[1]) * width + code[2])
        return cls(codes, width, singles, pairs_whole, pairs_longer, np.array(sorted(triples), dtype=np.int64))

    def starts(self, text: str) -> np.ndarray:
        """Sorted positions of ``text`` where a surface may start (a superset of those where one does)."""
        found = []
        width = self.width
        for low in range(0, len(text), _SCAN_BLOCK):
            high = min(len(text), low + _SCAN_BLOCK)
            size = high - low
            # Two characters past the block: the second and third of its last starts.
            points = np.frombuffer(text[low : high + 2].encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
            code = np.zeros(size + 2, dtype=np.int64)
            code[: len(points)] = self.codes[points]
            pair = code[:size] * width + code[1 : size + 1]
            start = self.singles[code[:size]] | self.pairs_whole[pair]
            longer = np.flatnonzero(self.pairs_longer[pair] & ~start)
            if len(longer) and len(self.triples):
                triple = pair[longer] * width + code[2 : size + 2][longer]
                at = np.minimum(np.searchsorted(self.triples, triple), len(self.triples) - 1)
                start[longer[self.triples[at] == triple]] = True
            found.append(np.flatnonzero(start) + low)
        return np.concatenate(found) if found else np.empty(0, dtype=np.int64)

    def starts_each(self, texts: Sequence[str]) -> list[np.ndarray]:
        """:meth:`starts` of each text, the texts screened together: many short documents cost one screen.

        The texts are joined with NUL, a character of no surface, so no start
        spans two texts.
        """
        offsets = np.cumsum([0] + [len(text) + 1 for text in texts])
        found = self.starts("\0".join(texts))
        cuts = np.searchsorted(found, offsets)
        return [found[cuts[i] : cuts[i + 1]] - offsets[i] for i in range(len(texts))]


@dataclass
class CompiledLexicon:
    families: list[_Family]
    # surface -> [(family index, form, component index or -1)]
    surfaces: dict[str, list[tuple[int, str, int]]]
    surface_pattern: re.Pattern | None
    enumerations: list[tuple[int, re.Pattern]] = field(default_factory=list)
    characters: frozenset[str] = frozenset()  # every character of a surface or enumeration
    traditional: dict[int, str] = field(default_factory=dict)  # 穩 -> 稳, for lexicon characters only
    traditional_pattern: re.Pattern | None = None
    dated: tuple[int, ...] = ()  # families that need a document's date: a sense range or a first statement
    screen: _SurfaceScreen | None = None  # where a surface may start; None without surfaces
    ruled: tuple[bool, ...] = ()  # per family: has strings that may not precede or follow a match

    def simplified_view(self, text: str) -> str:
        """``text`` with traditional characters of lexicon forms simplified, same length.

        Only characters whose ``t2s`` form is a single character used by the
        lexicon are replaced (穩 -> 稳), so the rest of the document, names
        included (王丙乾), stays as it is and every offset still indexes
        ``text``. Only the runs of such characters are translated: a
        simplified document with a few traditional characters costs a search,
        not a translation of every character.
        """
        if self.traditional_pattern is None:
            return text
        pieces, done = [], 0
        for match in self.traditional_pattern.finditer(text):
            pieces += [text[done : match.start()], match.group().translate(self.traditional)]
            done = match.end()
        if not pieces:
            return text
        pieces.append(text[done:])
        return "".join(pieces)


_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))


@functools.lru_cache(maxsize=1)
def _traditional_characters() -> dict[str, str]:
    """Every Han character that OpenCC ``t2s`` turns into another single character, on its own."""
    from ..clean import traditional_to_simplified

    characters = [chr(code) for first, last in _HAN_RANGES for code in range(first, last + 1)]
    # One character per line, so that no phrase of the dictionary spans two.
    converted = traditional_to_simplified("\n".join(characters), min_share=0).split("\n")
    if len(converted) != len(characters):
        return {}
    return {
        char: simple for char, simple in zip(characters, converted) if len(simple) == 1 and simple != char
    }


def _as_list(value, *, where: str) -> list:
    if value is None:
        return []
    if isinstance(value, float) and math.isnan(value):
        return []
    if isinstance(value, str):
        return [value]
    try:
        return list(value)
    except TypeError:
        raise ValueError(f"{where}: expected a list, got {type(value).__name__}") from None


def expansion_minimum(n_components: int) -> int | None:
    """Distinct components a run must name to be an expansion of a formula of this size.

    Formulas of up to five parts need all of them: a partial list of a small
    formula is usually another formula (道路自信、理论自信、制度自信 is the
    三个自信 before 文化自信 joined it; 经济建设、政治建设、文化建设、社会建设
    the 四位一体 before 五位一体) or a motto sharing its everyday words
    (绿色、共享、开放、廉洁 holds three parts of 新发展理念). From six parts on,
    :data:`EXPANSION_MIN_SHARE` of them and at least
    :data:`EXPANSION_MIN_PARTS` suffice: three long, specific parts such as
    保就业保民生保市场主体 (the 2021 government work report) can only be the
    formula. Measured on ``tests/data/slogan_eval.jsonl``: every published
    list there is found, and no motto.

    Parameters
    ----------
    n_components : int
        Components the lexicon lists for the formula.

    Returns
    -------
    int or None
        None when the formula has fewer than two components.

    Examples
    --------
    >>> [expansion_minimum(n) for n in (1, 2, 3, 4, 5, 6, 8)]
    [None, 2, 3, 4, 5, 3, 4]
    """
    if n_components < 2:
        return None
    if n_components <= 5:
        return n_components
    return max(EXPANSION_MIN_PARTS, math.ceil(n_components * EXPANSION_MIN_SHARE))


def _strings(value, *, where: str, column: str) -> tuple[str, ...]:
    strings = _as_list(value, where=where)
    if not all(isinstance(item, str) and item for item in strings):
        raise InputError(f"{where}: '{column}' must be a list of non-empty strings, got {value!r}")
    return tuple(strings)


def _range_bound(value, *, where: str, column: str, end: bool) -> pd.Timestamp | None:
    """The first (or last) moment of a ``YYYY[-MM[-DD]]`` date, so "2022" until means all of 2022."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value).strip()
    if not text:
        return None
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text):
        raise InputError(f"{where}: '{column}' must be a date YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
    try:
        period = pd.Period(text, freq={4: "Y", 7: "M", 10: "D"}[len(text)])
    except ValueError as error:
        raise InputError(f"{where}: '{column}' {value!r} is not a date: {error}") from error
    return period.end_time if end else period.start_time


def _trie_regex(words: Iterable[str]) -> str:
    """One regex for many literal strings that matches the longest at each start.

    A character trie keeps the regex engine from trying every word at every
    position, which is what makes tagging cost less than segmentation.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        if len(branches) == 1:
            body = branches[0]
        elif all(len(branch) == 1 for branch in branches):
            body = "[" + "".join(branches) + "]"
        else:
            body = "(?:" + "|".join(branches) + ")"
        # A greedy optional tries the longer word first and falls back to the
        # word that ends here.
        return f"(?:{body})?" if "" in node else body

    return build(trie)


def compile_lexicon(lexicon: pd.DataFrame) -> CompiledLexicon:
    source = lexicon.attrs.get("path", "lexicon")
    missing = [column for column in ("id", "canonical") if column not in lexicon.columns]
    if missing:
        raise ValueError(f"{source}: lexicon lacks column(s) {missing}")
    families: list[_Family] = []
    surfaces: dict[str, list[tuple[int, str, int]]] = {}
    enumerations: list[tuple[int, re.Pattern]] = []
    for position, row in enumerate(lexicon.to_dict("records")):
        where = f"{source}: entry {position + 1} ('{row.get('id')}')"
        slogan_id, canonical = row.get("id"), row.get("canonical")
        if not isinstance(slogan_id, str) or not slogan_id.strip():
            raise ValueError(f"{where}: 'id' must be a non-empty string")
        if not isinstance(canonical, str) or not canonical.strip():
            raise ValueError(f"{where}: 'canonical' must be a non-empty string")
        aliases = [str(a).strip() for a in _as_list(row.get("aliases"), where=where)]
        components = []
        for component in _as_list(row.get("components"), where=where):
            if isinstance(component, str):
                component = {"text": component, "aliases": []}
            if not isinstance(component, dict) or not str(component.get("text") or "").strip():
                raise ValueError(f"{where}: every component needs a 'text'")
            texts = [str(component["text"]).strip()]
            texts += [str(a).strip() for a in _as_list(component.get("aliases"), where=where)]
            components.append([t for t in dict.fromkeys(texts) if t])
        index = len(families)
        single_characters = len(components) >= 2 and all(len(c[0]) == 1 for c in components)
        family = _Family(
            slogan_id=slogan_id.strip(),
            canonical=canonical.strip(),
            n_components=len(components),
            expansion_minimum=None if single_characters else expansion_minimum(len(components)),
            not_before=_strings(row.get("not_before"), where=where, column="not_before"),
            not_after=_strings(row.get("not_after"), where=where, column="not_after"),
            valid_from=_range_bound(row.get("valid_from"), where=where, column="valid_from", end=False),
            valid_until=_range_bound(row.get("valid_until"), where=where, column="valid_until", end=True),
            introduced=_range_bound(row.get("introduced_date"), where=where, column="introduced_date", end=False),
        )
        if family.valid_from is not None and family.valid_until is not None and family.valid_from > family.valid_until:
            raise InputError(f"{where}: valid_from {row.get('valid_from')} is after valid_until {row.get('valid_until')}")
        families.append(family)
        for surface in dict.fromkeys([canonical.strip(), *aliases]):
            if surface:
                surfaces.setdefault(surface, []).append((index, "compact", -1))
        for component_index, texts in enumerate(components):
            for surface in texts:
                # One character (控, 保) means too many things to be a mention.
                if len(surface) >= 2:
                    surfaces.setdefault(surface, []).append((index, "component", component_index))
        if single_characters:
            parts = [
                "(?:" + "|".join(re.escape(t) for t in sorted(texts, key=lambda t: (-len(t), t))) + ")"
                for texts in components
            ]
            enumerations.append((index, re.compile(_ENUMERATION_GAP.join(parts))))
    pattern = re.compile(_trie_regex(surfaces)) if surfaces else None
    characters = frozenset("".join(surfaces)) | frozenset(
        char for _, enumeration in enumerations for char in enumeration.pattern
    )
    traditional = {
        ord(char): simple for char, simple in _traditional_characters().items() if simple in characters
    }
    traditional_pattern = (
        re.compile("[" + "".join(re.escape(chr(code)) for code in sorted(traditional)) + "]+") if traditional else None
    )
    dated = tuple(
        index for index, family in enumerate(families)
        if family.valid_from is not None or family.valid_until is not None or family.introduced is not None
    )  # fmt: skip
    return CompiledLexicon(
        families, surfaces, pattern, enumerations, characters, traditional, traditional_pattern, dated,
        _SurfaceScreen.of(surfaces) if surfaces else None,
        tuple(bool(family.not_before or family.not_after) for family in families),
    )


# --------------------------------------------------------------------------
# Tagging one text
# --------------------------------------------------------------------------


class _Candidate(NamedTuple):
    # A named tuple, not a dataclass: a large document has hundreds of
    # thousands of candidates, and a tuple is built several times faster.
    start: int
    end: int
    family: int
    form: str
    complete: bool = False  # an expansion naming every component of its formula

    def key(self) -> tuple:
        # Longest first, then the most specific form, then leftmost.
        return (self.start - self.end, _FORM_RANK[self.form], self.start, self.family)


def surface_matches(text: str, compiled: CompiledLexicon, *, starts: np.ndarray | None = None) -> list[tuple[int, int]]:
    """The longest lexicon surface starting at every position where one starts, in order of position.

    The text is screened once for positions where a surface may start (see
    :class:`_SurfaceScreen`; ``starts`` when that is done already); the
    compiled trie is only tried there.
    """
    if compiled.surface_pattern is None:
        return []
    if starts is None:
        starts = compiled.screen.starts(text)
    match = compiled.surface_pattern.match
    found = []
    for start in starts.tolist():
        hit = match(text, start)
        if hit is not None:
            found.append((start, hit.end()))
    return found


_LIST_LOOKAROUND = 10  # items checked on either side of a run
# What ends a list item: any separator, quote, bracket or sentence mark.
_ITEM_STOPS = frozenset(LIST_SEPARATORS + SPACE + QUOTE_CHARS + "。！？!?：:（）()《》【】\n")
_FILL = frozenset(SPACE + QUOTE_CHARS)


def _foreign_items(text: str, start: int, end: int) -> int:
    """Items of the 、-list around ``start:end`` that lie outside it (绿色、共享、开放 + 、廉洁)."""
    found = 0
    position = end
    for _ in range(_LIST_LOOKAROUND):
        while position < len(text) and text[position] in _FILL:
            position += 1
        if position >= len(text) or text[position] != "、":
            break
        position += 1
        while position < len(text) and text[position] in _FILL:
            position += 1
        item_end = position
        while item_end < len(text) and text[item_end] not in _ITEM_STOPS:
            item_end += 1
        if item_end == position:
            break
        found += 1
        position = item_end
    position = start
    for _ in range(_LIST_LOOKAROUND):
        while position > 0 and text[position - 1] in _FILL:
            position -= 1
        if position == 0 or text[position - 1] != "、":
            break
        position -= 1
        while position > 0 and text[position - 1] in _FILL:
            position -= 1
        item_start = position
        while item_start > 0 and text[item_start - 1] not in _ITEM_STOPS:
            item_start -= 1
        if item_start == position:
            break
        found += 1
        position = item_start
    return found


def _expansions(
    text: str, hits: list[tuple[int, int, int]], family: _Family, index: int
) -> list[_Candidate]:
    """Runs of one family's component hits (start, end, component) that name enough parts.

    Parts follow each other with a separator, a connective or nothing
    between them (nothing only for parts of :data:`RUN_TOGETHER_MIN_CHARS`
    characters or more, or in a run naming every part); the run must name :func:`expansion_minimum`
    distinct parts and make :data:`EXPANSION_LIST_MIN_SHARE` of the items of
    the 、-list it stands in.
    """
    if family.expansion_minimum is None or len(hits) < 2:
        return []
    found = []
    hits = sorted(hits, key=lambda hit: (hit[0], -hit[1]))

    def short_join(previous: tuple[int, int, int], hit: tuple[int, int, int]) -> bool:
        return previous[1] == hit[0] and min(previous[1] - previous[0], hit[1] - hit[0]) < RUN_TOGETHER_MIN_CHARS

    def close_run(run: list[tuple[int, int, int]]) -> None:
        named = len({component for _, _, component in run})
        if named < family.expansion_minimum:
            return  # nor can any piece of the run name enough
        complete = named == family.n_components
        cuts = [i for i in range(1, len(run)) if short_join(run[i - 1], run[i])]
        if cuts and not complete:
            # Short parts run together (开放创新) are a compound word, unless
            # they name the whole formula (农业农村农民): judge the pieces.
            for first, last in zip([0, *cuts], [*cuts, len(run)]):
                close_run(run[first:last])
            return
        if named < family.expansion_minimum:
            return
        start, end = run[0][0], run[-1][1]
        if len(run) / (len(run) + _foreign_items(text, start, end)) < EXPANSION_LIST_MIN_SHARE:
            return
        found.append(_Candidate(start, end, index, "expansion", complete=complete))

    # A run shorter than the minimum cannot name enough parts: it is not judged.
    shortest = family.expansion_minimum
    run: list[tuple[int, int, int]] = []
    for hit in hits:
        if run:
            joint = run[-1][1]
            if hit[0] < joint:
                continue  # overlaps the previous part of the run
            # The regex only where the gap can be one: empty, or opening with a gap's character.
            if (hit[0] == joint or text[joint] in _GAP_OPENERS) and _EXPANSION_GAP.fullmatch(text, joint, hit[0]):
                run.append(hit)
                continue
            if len(run) >= shortest:
                close_run(run)
        run = [hit]
    if len(run) >= shortest:
        close_run(run)
    return found


def _starts_inside_word(text: str, start: int) -> bool:
    """Whether the character before ``start`` and the one at it make one word (确保就业)."""
    return start > 0 and text[start - 1] in WORD_BEFORE.get(text[start], "")


def _candidates(text: str, compiled: CompiledLexicon, *, date=None, starts: np.ndarray | None = None) -> list[_Candidate]:
    """Every possible mention in ``text`` of an entry whose sense holds on ``date``.

    ``starts``: the screen's positions for ``text``, when screened with other texts.
    """
    candidates: list[_Candidate] = []
    component_hits: dict[int, list[tuple[int, int, int]]] = {}
    families = compiled.families
    valid = [True] * len(families)
    for index in compiled.dated:
        valid[index] = families[index].valid_on(date)
    ruled = compiled.ruled
    size = len(text)
    if compiled.surface_pattern is not None:
        for start, end in surface_matches(text, compiled, starts=starts):
            if _starts_inside_word(text, start):
                continue
            for family, form, component in compiled.surfaces[text[start:end]]:
                if not valid[family] or ruled[family] and families[family].breaks_context(text, start, end):
                    continue
                if form == "component":
                    component_hits.setdefault(family, []).append((start, end, component))
                    # Quoted without slack needs a quote mark right before or after:
                    # most short parts have neither, and is_quoted is not asked.
                    if end - start < LONE_COMPONENT_MIN_CHARS and not (
                        (start and text[start - 1] in QUOTE_PAIRS or end < size and text[end] in _CLOSING_QUOTES)
                        and is_quoted(text, start, end, slack=0)
                    ):
                        continue
                    if not families[family].parts_are_components_on(date):
                        continue
                candidates.append(_Candidate(start, end, family, form))
    for family, hits in component_hits.items():
        for expansion in _expansions(text, hits, families[family], family):
            # The lexicon's own spelling of a slogan (外防输入、内防反弹,
            # 碳达峰碳中和) names it: compact, although its parts are listed.
            named = compiled.surfaces.get(text[expansion.start : expansion.end], [])
            if (family, "compact", -1) not in named:
                candidates.append(expansion)
    for family, pattern in compiled.enumerations:
        if not valid[family]:
            continue
        for match in pattern.finditer(text):
            if not families[family].breaks_context(text, match.start(), match.end()):
                candidates.append(_Candidate(match.start(), match.end(), family, "enumerated"))
    return candidates


def _drop_partial_lists(candidates: list[_Candidate]) -> list[_Candidate]:
    """A list naming every part of one formula is not also a partial list of another."""
    complete = [c for c in candidates if c.form == "expansion" and c.complete]
    if not complete:
        return candidates
    return [
        c for c in candidates
        if c.form != "expansion" or c.complete
        or not any(o.family != c.family and o.start < c.end and c.start < o.end for o in complete)
    ]  # fmt: skip


def _resolve(candidates: list[_Candidate]) -> list[_Candidate]:
    """Keep the mentions the nesting rule of the module docstring allows.

    Candidates are taken longest (then most specific, then leftmost) first;
    one is kept unless it overlaps a kept mention of its own slogan, crosses
    a kept mention of another slogan, or lies inside one without being a
    name (compact or enumerated). Identical spans of two slogans are both
    kept.

    Whether a candidate is kept depends only on the candidates it overlaps,
    so the rule is applied to each group of spans that overlap one another
    (usually a handful) on its own: the same result as over the whole
    document at once, without keeping one sorted list of every mention.
    """
    kept: list[_Candidate] = []
    group: list[_Candidate] = []
    reach = -1
    for candidate in sorted(set(candidates)):
        if group and candidate.start >= reach:
            kept += _resolve_overlapping(group)
            group = []
        group.append(candidate)
        reach = max(reach, candidate.end)
    if group:
        kept += _resolve_overlapping(group)
    return sorted(kept, key=lambda c: (c.start, c.end, c.family))


def _resolve_overlapping(candidates: list[_Candidate]) -> list[_Candidate]:
    """:func:`_resolve` for one group of overlapping candidates.

    Kept spans may nest, so the search for overlaps looks back over the
    longest kept span.
    """
    if len(candidates) == 1:
        return candidates
    starts: list[int] = []
    kept_sorted: list[_Candidate] = []
    longest = 0
    for candidate in sorted(_drop_partial_lists(candidates), key=_Candidate.key):
        low = bisect.bisect_left(starts, candidate.start - longest)
        high = bisect.bisect_left(starts, candidate.end)
        allowed = True
        for other in kept_sorted[low:high]:
            if other.end <= candidate.start:
                continue
            if other.family == candidate.family:
                allowed = False
            elif (other.start, other.end) == (candidate.start, candidate.end):
                continue
            elif other.start <= candidate.start and candidate.end <= other.end:
                allowed = candidate.form in NAME_FORMS
            else:
                allowed = False  # crossing spans: the one taken first is longer
            if not allowed:
                break
        if allowed:
            position = bisect.bisect_right(starts, candidate.start)
            starts.insert(position, candidate.start)
            kept_sorted.insert(position, candidate)
            longest = max(longest, candidate.end - candidate.start)
    return kept_sorted


def _attribute_shared_parts(mentions: list[_Candidate], sentences: list[tuple[int, int]], families: list[_Family]):
    """One formula for a lone part that several formulas share (保基本民生: 六保 and 三保).

    The part goes to the formula with the most other mentions in the same
    sentence (its name or its other parts: 保就业保基本民生 is 六保's), then to the
    formula stated first (an unknown first statement counts as last), then to
    the first in the lexicon.
    """
    shared: dict[tuple[int, int], list[int]] = {}
    for position, mention in enumerate(mentions):
        if mention.form == "component":
            shared.setdefault((mention.start, mention.end), []).append(position)
    dropped = set()
    families_by_sentence: dict[tuple[int, int], list[int]] = {}
    if any(len(positions) > 1 for positions in shared.values()):
        for mention, span in zip(mentions, sentences):
            families_by_sentence.setdefault(span, []).append(mention.family)
    for positions in shared.values():
        if len(positions) < 2:
            continue
        in_sentence = families_by_sentence[sentences[positions[0]]]

        def evidence(position: int) -> tuple:
            family = mentions[position].family
            # Other mentions of the same formula in the sentence (the part itself not counted).
            support = in_sentence.count(family) - 1
            introduced = families[family].introduced
            return (-support, introduced is None, introduced or pd.Timestamp.min, family)

        best = min(positions, key=evidence)
        dropped.update(position for position in positions if position != best)
    if not dropped:
        return mentions, sentences
    kept = [position for position in range(len(mentions)) if position not in dropped]
    return [mentions[position] for position in kept], [sentences[position] for position in kept]


def _counted(mentions: list[_Candidate], sentences: list[tuple[int, int]]) -> list[bool]:
    """False for an expansion whose sentence also names its slogan (one reference, one count)."""
    named = {(family_sentence, c.family)
             for c, family_sentence in zip(mentions, sentences) if c.form in NAME_FORMS}  # fmt: skip
    return [
        not (c.form == "expansion" and (sentence, c.family) in named)
        for c, sentence in zip(mentions, sentences)
    ]


def is_quoted(text: str, start: int, end: int, *, slack: int = QUOTE_SLACK) -> bool:
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    stoppers = QUOTE_CHARS + "。！？!?\n"
    if before in QUOTE_PAIRS:
        closing = QUOTE_PAIRS[before]
        for char in text[end : end + slack + 1]:
            if char == closing:
                return True
            if char in stoppers:
                return False
    if after in _CLOSING_QUOTES:
        opening = _CLOSING_QUOTES[after]
        for char in reversed(text[max(0, start - slack - 1) : start]):
            if char == opening:
                return True
            if char in stoppers:
                return False
    return False


_SENTENCE_LOOKBACK = 128


def sentence_of(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` around ``start:end``."""
    first, last = _sentence_span(text, start, end)
    return text[first:last].strip()


def _sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the sentence of ``text`` around ``start:end`` begins and ends.

    Only the neighbourhood of the mention is searched: splitting a long
    document into sentences for a handful of mentions would cost more than
    tagging it.
    """
    first, window = 0, _SENTENCE_LOOKBACK
    while True:
        window_start = max(0, start - window)
        ends = [match.end() for match in _SENTENCE_END.finditer(text, window_start, start)]
        if ends or window_start == 0:
            first = ends[-1] if ends else 0
            break
        window *= 2
    following = _SENTENCE_END.search(text, end)
    last = following.end() if following else len(text)
    return first, last


_SENTENCE_CHARACTER = re.compile(r"[。！？!?”’」』）)\"'\n]")
"""Any character a match of :data:`_SENTENCE_END` can hold."""


def _sentence_spans(text: str, mentions: Sequence[_Candidate]) -> list[tuple[int, int]]:
    """:func:`_sentence_span` of each mention (sorted by start), with the searches mentions share made once.

    A search for the next sentence end from a mention's end finds the same
    end from any position up to it. A sentence starts at the end of the
    last sentence end before the mention, so when no character of a sentence
    end stands between a known sentence end (the previous mention's sentence
    start, or the end of the last sentence end found ahead) and the
    mention, that is where its sentence starts: mentions of one sentence, and
    of sentences that follow one another, cost about one search each.
    """
    spans = []
    searched_from, found_at, following = -1, -1, None  # the last forward search
    previous_start, previous_first = -1, 0
    for mention in mentions:
        start, end = mention.start, mention.end
        ahead = following.end() if following is not None else -1
        if 0 <= ahead <= start and _SENTENCE_CHARACTER.search(text, ahead, start) is None:
            first = ahead
        elif previous_start <= start and _SENTENCE_CHARACTER.search(text, previous_start, start) is None:
            first = previous_first
        else:
            first, _ = _sentence_span(text, start, start)
        if not searched_from <= end <= found_at:
            following = _SENTENCE_END.search(text, end)
            searched_from, found_at = end, following.start() if following else len(text)
        spans.append((first, following.end() if following else len(text)))
        previous_start, previous_first = start, first
    return spans


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


def as_corpus(corpus) -> pd.DataFrame:
    """Check a corpus table (or wrap one string) and return it."""
    if isinstance(corpus, str):
        return pd.DataFrame({"doc_id": ["0"], "text_clean": [corpus], "body_start": [0]})
    if not isinstance(corpus, pd.DataFrame):
        raise TypeError(f"corpus must be a DataFrame or a str, got {type(corpus).__name__}")
    missing = [column for column in ("doc_id", "text_clean") if column not in corpus.columns]
    if missing:
        raise ValueError(f"corpus lacks column(s) {missing}; it needs doc_id and text_clean")
    duplicated = corpus["doc_id"][corpus["doc_id"].duplicated()].unique().tolist()
    if duplicated:
        raise ValueError(f"corpus has duplicate doc_id values {duplicated[:5]}")
    if isinstance(corpus["text_clean"].dtype, pd.StringDtype) and not corpus["text_clean"].isna().any():
        # Every value of a string column is a str: reading each one out (a copy
        # of the whole corpus) only to check its type is not needed.
        return corpus
    for position, (doc_id, text) in enumerate(zip(corpus["doc_id"], corpus["text_clean"])):
        if not isinstance(text, str):
            where = f"document {doc_id!r} (row {position}"
            for column in ("path", "record"):
                if column in corpus.columns:
                    where += f", {column} {corpus[column].iloc[position]}"
            raise TypeError(f"{where}): text_clean is {type(text).__name__}, not str")
    return corpus


def _empty_mentions() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": pd.Series(dtype="str"),
            "slogan_id": pd.Series(dtype="str"),
            "canonical": pd.Series(dtype="str"),
            "form": pd.Series(dtype="str"),
            "surface": pd.Series(dtype="str"),
            "start": pd.Series(dtype="int64"),
            "end": pd.Series(dtype="int64"),
            "quoted": pd.Series(dtype="bool"),
            "in_title": pd.Series(dtype="bool"),
            "counted": pd.Series(dtype="bool"),
            "sentence": pd.Series(dtype="str"),
        }
    )


@functools.lru_cache(maxsize=4)
def _shipped_lexicon(path: str, modified_ns: int, size: int) -> pd.DataFrame:
    from ..lexicon import load_lexicon

    return load_lexicon(path)


def load_default_lexicon() -> pd.DataFrame:
    """The shipped lexicon, parsed once per version of the file.

    Reading the YAML costs as much as tagging a few megabytes; the file's
    modification time and size are in the cache key, so an edit is seen at
    once. Callers must not modify the frame.
    """
    from ..lexicon import LEXICON_PATH

    stat = LEXICON_PATH.stat()
    return _shipped_lexicon(str(LEXICON_PATH), stat.st_mtime_ns, stat.st_size)


def _screened(corpus: pd.DataFrame, compiled: CompiledLexicon):
    """Each document's position, doc_id, text, lexicon view and screened starts, in corpus order.

    Documents are screened in batches of about :data:`_SCAN_BLOCK`
    characters, so that short documents share the screen's fixed cost and
    long ones are screened alone.
    """
    batch: list[tuple[int, object, str, str]] = []
    size = 0

    def flush():
        views = [view for _, _, _, view in batch]
        starts = compiled.screen.starts_each(views) if compiled.screen is not None else [None] * len(batch)
        for (position, doc_id, text, view), found in zip(batch, starts):
            yield position, doc_id, text, view, found

    for position, (doc_id, text) in enumerate(zip(corpus["doc_id"], corpus["text_clean"])):
        batch.append((position, doc_id, text, compiled.simplified_view(text)))
        size += len(text)
        if size >= _SCAN_BLOCK:
            yield from flush()
            batch, size = [], 0
    if batch:
        yield from flush()


def tag_slogans(corpus, *, lexicon: pd.DataFrame | None = None) -> pd.DataFrame:
    """Find every mention of every lexicon slogan in ``text_clean``.

    Parameters
    ----------
    corpus : pandas.DataFrame or str
        A table with ``doc_id`` and ``text_clean`` (``body_start`` is used
        when present, ``date`` for the lexicon's ``valid_from`` and
        ``valid_until``); a single string is tagged as document ``"0"``.
    lexicon : pandas.DataFrame, optional
        Entries as returned by :func:`analysis.lexicon.load_lexicon`
        (``id``, ``canonical``, ``aliases``, ``components``, and optionally
        the sense rules :data:`CONTEXT_COLUMNS`); defaults to the shipped
        lexicon.

    Returns
    -------
    pandas.DataFrame
        One row per mention, in document order then by ``start``:

        - ``doc_id``: the document.
        - ``slogan_id``, ``canonical``: the lexicon entry (for a component,
          the formula it belongs to).
        - ``form``: ``compact``, ``enumerated``, ``expansion`` or
          ``component`` (see the module docstring).
        - ``surface``: the text of the mention, ``text_clean[start:end]``.
        - ``start``, ``end``: offsets into ``text_clean``; an expansion or
          enumeration spans from its first part to its last.
        - ``quoted``: the mention stands inside quote marks (“…” ‘…’ 「…」
          『…』 or ASCII quotes), alone or with at most :data:`QUOTE_SLACK`
          other characters: the formal use of a slogan.
        - ``in_title``: ``start < body_start`` (False without ``body_start``).
        - ``counted``: False for an expansion whose sentence also names the
          slogan (compact or enumerated): one reference, counted once. Every
          count in this module uses only ``counted`` mentions.
        - ``sentence``: the sentence of ``text_clean`` holding the mention.

        Mentions of different slogans may nest (小康社会 inside
        全面建成小康社会); see the module docstring for the rule.

        ``attrs`` carries the lexicon's ``lexicon_version`` and
        ``lexicon_sha256`` when the lexicon has them.

    Examples
    --------
    >>> mentions = tag_slogans("扎实做好“六稳”工作，全面落实“六保”任务。")
    >>> mentions[["canonical", "form", "start", "end", "quoted"]].values.tolist()
    [['六稳', 'compact', 5, 7, True], ['六保', 'compact', 16, 18, True]]
    """
    corpus = as_corpus(corpus)
    lexicon = load_default_lexicon() if lexicon is None else lexicon
    compiled = compile_lexicon(lexicon)
    body_starts = corpus["body_start"].tolist() if "body_start" in corpus.columns else None
    dates = (
        pd.to_datetime(corpus["date"], errors="coerce").tolist()
        if compiled.dated and "date" in corpus.columns
        else [None] * len(corpus)
    )
    rows: dict[str, list] = {column: [] for column in MENTION_COLUMNS}
    for position, doc_id, text, view, starts in _screened(corpus, compiled):
        mentions = _resolve(_candidates(view, compiled, date=dates[position], starts=starts))
        if not mentions:
            continue
        body_start = body_starts[position] if body_starts is not None else None
        if body_start is not None and pd.isna(body_start):
            body_start = None
        spans = _sentence_spans(text, mentions)
        mentions, spans = _attribute_shared_parts(mentions, spans, compiled.families)
        for mention, counted, (first, last) in zip(mentions, _counted(mentions, spans), spans):
            family = compiled.families[mention.family]
            rows["doc_id"].append(doc_id)
            rows["slogan_id"].append(family.slogan_id)
            rows["canonical"].append(family.canonical)
            rows["form"].append(mention.form)
            rows["surface"].append(text[mention.start : mention.end])
            rows["start"].append(mention.start)
            rows["end"].append(mention.end)
            rows["quoted"].append(is_quoted(text, mention.start, mention.end))
            rows["in_title"].append(body_start is not None and mention.start < int(body_start))
            rows["counted"].append(counted)
            rows["sentence"].append(text[first:last].strip())
    if rows["doc_id"]:
        result = pd.DataFrame(rows, columns=MENTION_COLUMNS)
        result = result.astype(
            {"start": "int64", "end": "int64", "quoted": "bool", "in_title": "bool", "counted": "bool"}
        )
    else:
        result = _empty_mentions()
    for key in ("version", "sha256"):
        if key in lexicon.attrs:
            result.attrs[f"lexicon_{key}"] = lexicon.attrs[key]
    return result


def check_dictionary(lexicon: pd.DataFrame | None = None, *, tokenizer=None) -> pd.DataFrame:
    """List the slogan surface forms the tokenizer would split.

    A slogan that segments into several tokens is invisible to every
    token-based table (frequencies, topics, co-occurrence), so each canonical
    form, alias, component and component alias of two or more characters is
    segmented on its own (without HMM guessing, so that only the dictionary
    counts) and reported when it does not come out whole. A form written with
    punctuation (大众创业、万众创新) cannot be one token; each of its parts
    must be, and the parts are checked instead. Each string is checked once,
    under the first entry that uses it.

    Parameters
    ----------
    lexicon : pandas.DataFrame, optional
        Defaults to the shipped lexicon.
    tokenizer : jieba.Tokenizer, optional
        Anything with jieba's ``lcut(text, HMM=False)``; defaults to
        :func:`analysis.tokens.get_tokenizer`.

    Returns
    -------
    pandas.DataFrame
        One row per split form: ``slogan_id``, ``form`` (the string, or the
        part of a punctuated form),
        ``kind`` (``canonical``, ``alias``, ``component`` or
        ``component_alias``) and ``tokens`` (the list it was cut into).
        Empty when the dictionary keeps every form whole.

    Examples
    --------
    >>> class CharacterTokenizer:
    ...     def lcut(self, text, HMM=True):
    ...         return list(text)
    >>> lexicon = pd.DataFrame({"id": ["liuwen"], "canonical": ["六稳"],
    ...                         "aliases": [[]], "components": [[]]})
    >>> check_dictionary(lexicon, tokenizer=CharacterTokenizer())["tokens"].tolist()
    [['六', '稳']]
    """
    lexicon = load_default_lexicon() if lexicon is None else lexicon
    if tokenizer is None:
        from ..tokens import get_tokenizer

        tokenizer = get_tokenizer()
    rows = []
    checked: set[str] = set()
    for position, row in enumerate(lexicon.to_dict("records")):
        where = f"lexicon entry {position + 1} ('{row.get('id')}')"
        forms = [(row["canonical"], "canonical")]
        forms += [(alias, "alias") for alias in _as_list(row.get("aliases"), where=where)]
        for component in _as_list(row.get("components"), where=where):
            if isinstance(component, str):
                component = {"text": component, "aliases": []}
            forms.append((component["text"], "component"))
            forms += [(a, "component_alias") for a in _as_list(component.get("aliases"), where=where)]
        for form, kind in forms:
            # jieba cuts text into blocks at punctuation before it looks words
            # up, so a punctuated form (大众创业、万众创新) can only ever come out
            # as its parts: each part must then be one token.
            for part in _NON_WORD.split(str(form)):
                if len(part) < 2 or part in checked:
                    continue
                checked.add(part)
                pieces = [piece for piece in tokenizer.lcut(part, HMM=False) if piece.strip()]
                if pieces != [part]:
                    rows.append({"slogan_id": row["id"], "form": part, "kind": kind, "tokens": pieces})
    if not rows:
        return pd.DataFrame(
            {
                "slogan_id": pd.Series(dtype="str"),
                "form": pd.Series(dtype="str"),
                "kind": pd.Series(dtype="str"),
                "tokens": pd.Series(dtype="object"),
            }
        )
    return pd.DataFrame(rows, columns=["slogan_id", "form", "kind", "tokens"])


# --------------------------------------------------------------------------
# Counting
# --------------------------------------------------------------------------


def check_columns(table: pd.DataFrame, needed: Sequence[str], *, producer: str) -> None:
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"expected the DataFrame from {producer}, got {type(table).__name__}")
    missing = [column for column in needed if column not in table.columns]
    if missing:
        raise ValueError(f"the table lacks column(s) {missing}; pass the table from {producer}")


def check_forms(forms: Sequence[str] | None) -> tuple[str, ...] | None:
    if forms is None:
        return None
    forms = (forms,) if isinstance(forms, str) else tuple(forms)
    unknown = [form for form in forms if form not in FORMS]
    if unknown:
        raise InputError(f"unknown form(s) {unknown}; choose from {FORMS}")
    return forms


def counted_mentions(mentions: pd.DataFrame, forms: Sequence[str] | None = COUNTED_FORMS) -> pd.DataFrame:
    """The mentions a count should count: of ``forms``, never a ``counted=False`` duplicate.

    Every count of this module goes through it; a module that counts
    mentions its own way should too.

    Parameters
    ----------
    mentions : pandas.DataFrame
        The table from :func:`tag_slogans`. A table without a ``counted``
        column (from an older version, or built by hand) counts every row.
    forms : sequence of str or None, default ("compact", "enumerated", "expansion")
        Forms to keep; None keeps every form.

    Returns
    -------
    pandas.DataFrame
        The selected rows of ``mentions``.

    Examples
    --------
    >>> mentions = tag_slogans("落实“六保”任务，强化保就业保民生保市场主体。")
    >>> mentions[["form", "counted"]].values.tolist()
    [['compact', True], ['expansion', False]]
    >>> counted_mentions(mentions)["form"].tolist()
    ['compact']
    """
    return select_forms(mentions, forms)


def select_forms(mentions: pd.DataFrame, forms: Sequence[str] | None) -> pd.DataFrame:
    forms = check_forms(forms)
    keep = pd.Series(True, index=mentions.index)
    if forms is not None:
        keep &= mentions["form"].isin(forms)
    if "counted" in mentions.columns:
        keep &= mentions["counted"].astype("bool")
    return mentions[keep]
