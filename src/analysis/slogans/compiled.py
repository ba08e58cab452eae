"""The lexicon compiled into a matcher: the forms and their rules, each entry's family, the surface
screen, and the longest surface at each position of a text."""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from ..validation import InputError

FORMS = ("compact", "enumerated", "expansion", "component")
COUNTED_FORMS = ("compact", "enumerated", "expansion")
NAME_FORMS = ("compact", "enumerated")
"""Forms that name a slogan: they stay mentions inside a longer mention of another one."""

#: Specificity when two mentions of one family have the same length.
FORM_RANK = {"expansion": 0, "enumerated": 1, "compact": 2, "component": 3}

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


SPACE = " \t\u3000"
LIST_SEPARATORS = "、，,；;/"
#: What may pad the items of a list (spaces and quote marks), escaped for a regex character class.
FILLER = re.escape(SPACE + QUOTE_CHARS)
# Between the characters of an enumerated formula: at least one separator,
# space or quote mark, otherwise it is the compact form.
_ENUMERATION_GAP = (
    f"(?:[{FILLER}]*[{re.escape(LIST_SEPARATORS)}][{FILLER}]*|[{FILLER}]+)"
)


CONTEXT_COLUMNS = ("not_before", "not_after", "valid_from", "valid_until")
"""Optional lexicon columns with an entry's sense rules (see :mod:`analysis.slogans`)."""


def _undated(date) -> bool:
    # A Timestamp is never missing: only other values need pandas' check (asked per family and document).
    return date is None or (not isinstance(date, pd.Timestamp) and pd.isna(date))


@dataclass
class Family:
    """One lexicon entry as the tagger sees it: its names, the parts an expansion needs, its sense rules.

    Examples
    --------
    >>> lexicon = pd.DataFrame({"id": ["liuwen"], "canonical": ["六稳"], "not_after": [["定"]]})
    >>> family = compile_lexicon(lexicon).families[0]
    >>> family.canonical, family.breaks_context("六稳定", 0, 2), family.valid_on(pd.Timestamp("2020-01-01"))
    ('六稳', True, True)
    """

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


SCAN_BLOCK = 1 << 20
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
        for low in range(0, len(text), SCAN_BLOCK):
            high = min(len(text), low + SCAN_BLOCK)
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
    families: list[Family]
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


def as_list(value, *, where: str) -> list:
    """A lexicon cell as a list: None and NaN are empty, a string is one item; ``where`` names the entry in errors.

    Examples
    --------
    >>> as_list("六稳", where="entry 1"), as_list(None, where="entry 1"), as_list(("稳", "保"), where="entry 1")
    (['六稳'], [], ['稳', '保'])
    """
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
    strings = as_list(value, where=where)
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
    families: list[Family] = []
    surfaces: dict[str, list[tuple[int, str, int]]] = {}
    enumerations: list[tuple[int, re.Pattern]] = []
    for position, row in enumerate(lexicon.to_dict("records")):
        where = f"{source}: entry {position + 1} ('{row.get('id')}')"
        slogan_id, canonical = row.get("id"), row.get("canonical")
        if not isinstance(slogan_id, str) or not slogan_id.strip():
            raise ValueError(f"{where}: 'id' must be a non-empty string")
        if not isinstance(canonical, str) or not canonical.strip():
            raise ValueError(f"{where}: 'canonical' must be a non-empty string")
        aliases = [str(a).strip() for a in as_list(row.get("aliases"), where=where)]
        components = []
        for component in as_list(row.get("components"), where=where):
            if isinstance(component, str):
                component = {"text": component, "aliases": []}
            if not isinstance(component, dict) or not str(component.get("text") or "").strip():
                raise ValueError(f"{where}: every component needs a 'text'")
            texts = [str(component["text"]).strip()]
            texts += [str(a).strip() for a in as_list(component.get("aliases"), where=where)]
            components.append([t for t in dict.fromkeys(texts) if t])
        index = len(families)
        single_characters = len(components) >= 2 and all(len(c[0]) == 1 for c in components)
        family = Family(
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
