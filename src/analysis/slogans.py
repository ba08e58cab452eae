"""Slogans (提法): find them in a corpus, count them, follow their life, read them in context.

``tag_slogans`` finds every mention of every lexicon entry in ``text_clean`` and
returns one row per mention. A mention has a *form*:

``compact``
    The slogan as printed, or one of its aliases: ``“六稳”工作``, ``控保稳进抬扛``.
``enumerated``
    A formula whose parts are single characters, written out character by
    character with separators: ``“控、保、稳、进、抬、扛”``. Every part must be
    there, in order; a few of them alone (守住“保”的底线) are not a mention.
``expansion``
    A run of a formula's components (or their aliases) that stands for the
    whole formula: ``保居民就业、保基本民生、保市场主体……`` or the run-together
    ``保就业保民生保市场主体``. See :data:`EXPANSION_MIN_PARTS` for how many
    components make an expansion.
``component``
    One component on its own (``稳就业``), linked to its formula but counted
    apart: :func:`slogan_counts` leaves components out unless asked.
    Single-character components are never tagged on their own, and
    two-character ones (创新, 东强) only inside quotes; see
    :data:`LONE_COMPONENT_MIN_CHARS`. No mention starts inside a word
    (确保就业 is not 保就业; see :data:`WORD_BEFORE`).

Overlaps are resolved so that no character is counted twice for one family:
the longer mention wins, then the more specific form (expansion, enumerated,
compact, component), then the earlier one. A formula written out character by
character is therefore ``enumerated`` even when the lexicon also lists that
spelling as an alias (控、保、稳、进、抬、扛): the form says how the text writes
the slogan. A run of components that is itself the slogan's canonical form or
an alias (外防输入、内防反弹, 碳达峰碳中和) is the slogan's name, so ``compact``.
The same rule holds across
families, so a slogan written inside a longer slogan of another entry is not
counted; two entries that claim exactly the same span are both kept, because
the text then really mentions both.
"""

from __future__ import annotations

import bisect
import functools
import html
import math
import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import pandas as pd

from .periods import PERIODS, check_period, choose_period, document_periods, thin_mask
from .validation import InputError

FORMS = ("compact", "enumerated", "expansion", "component")
COUNTED_FORMS = ("compact", "enumerated", "expansion")

# Specificity when two mentions of one family have the same length.
_FORM_RANK = {"expansion": 0, "enumerated": 1, "compact": 2, "component": 3}

EXPANSION_MIN_PARTS = 3
"""An expansion names at least this many distinct components …"""
EXPANSION_MIN_SHARE = 0.5
"""… and at least this share of them; formulas of three parts or fewer need all."""

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

DORMANT_AFTER = 3
"""A slogan not seen in the last this-many periods of the corpus is dormant."""

QUOTE_PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』", '"': '"', "'": "'"}
_QUOTE_CHARS = "".join(sorted(set(QUOTE_PAIRS) | set(QUOTE_PAIRS.values())))
_CLOSING_QUOTES = {close: open_ for open_, close in QUOTE_PAIRS.items()}

_SPACE = " \t\u3000"
_LIST_SEPARATORS = "、，,；;/"
_FILLER = re.escape(_SPACE + _QUOTE_CHARS)
# Between the characters of an enumerated formula: at least one separator,
# space or quote mark, otherwise it is the compact form.
_ENUMERATION_GAP = (
    f"(?:[{_FILLER}]*[{re.escape(_LIST_SEPARATORS)}][{_FILLER}]*|[{_FILLER}]+)"
)
# Between the components of an expansion: nothing (保就业保民生), a separator,
# and/or the connective that introduces the last item (……稳投资和稳预期).
_EXPANSION_GAP = re.compile(
    f"[{_FILLER}]*(?:[{re.escape(_LIST_SEPARATORS)}][{_FILLER}]*)?"
    f"(?:(?:以及|及|和|与|并)[{_FILLER}]*)?"
)

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
    "sentence",
]
KWIC_COLUMNS = ["doc_id", "date", "left", "match", "right", "start", "end"]


# --------------------------------------------------------------------------
# The compiled lexicon
# --------------------------------------------------------------------------


@dataclass
class _Family:
    slogan_id: str
    canonical: str
    n_components: int
    expansion_minimum: int | None  # None: the entry cannot be expanded


@dataclass
class _CompiledLexicon:
    families: list[_Family]
    # surface -> [(family index, form, component index or -1)]
    surfaces: dict[str, list[tuple[int, str, int]]]
    surface_pattern: re.Pattern | None
    enumerations: list[tuple[int, re.Pattern]] = field(default_factory=list)


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


def _expansion_minimum(n_components: int) -> int | None:
    if n_components < 2:
        return None
    if n_components <= EXPANSION_MIN_PARTS:
        return n_components
    return max(EXPANSION_MIN_PARTS, math.ceil(n_components * EXPANSION_MIN_SHARE))


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


def _compile_lexicon(lexicon: pd.DataFrame) -> _CompiledLexicon:
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
        families.append(
            _Family(
                slogan_id=slogan_id.strip(),
                canonical=canonical.strip(),
                n_components=len(components),
                expansion_minimum=None if single_characters else _expansion_minimum(len(components)),
            )
        )
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
    return _CompiledLexicon(families, surfaces, pattern, enumerations)


# --------------------------------------------------------------------------
# Tagging one text
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    family: int
    form: str

    def key(self) -> tuple:
        # Longest first, then the most specific form, then leftmost.
        return (self.start - self.end, _FORM_RANK[self.form], self.start, self.family)


def _surface_matches(text: str, pattern: re.Pattern) -> list[tuple[int, int]]:
    """The longest lexicon surface starting at every position where one starts."""
    found = []
    for match in pattern.finditer(text):
        start, end = match.span()
        found.append((start, end))
        # finditer resumes after the match; a surface may start inside it.
        # (A lookahead pattern would find those too, but it stops the regex
        # engine from skipping ahead to a possible first character: 3x slower.)
        for inner in range(start + 1, end):
            nested = pattern.match(text, inner)
            if nested:
                found.append(nested.span())
    return found


def _expansions(
    text: str, hits: list[tuple[int, int, int]], family: _Family, index: int
) -> list[_Candidate]:
    """Runs of one family's component hits (start, end, component) that name enough parts."""
    if family.expansion_minimum is None or len(hits) < 2:
        return []
    found = []
    hits = sorted(hits, key=lambda hit: (hit[0], -hit[1]))
    run: list[tuple[int, int, int]] = []

    def close_run() -> None:
        if len({component for _, _, component in run}) >= family.expansion_minimum:
            found.append(_Candidate(run[0][0], run[-1][1], index, "expansion"))

    for hit in hits:
        if run and hit[0] < run[-1][1]:
            continue  # overlaps the previous part of the run
        if run and _EXPANSION_GAP.fullmatch(text, run[-1][1], hit[0]):
            run.append(hit)
            continue
        if run:
            close_run()
        run = [hit]
    if run:
        close_run()
    return found


def _starts_inside_word(text: str, start: int) -> bool:
    """Whether the character before ``start`` and the one at it make one word (确保就业)."""
    return start > 0 and text[start - 1] in WORD_BEFORE.get(text[start], "")


def _candidates(text: str, compiled: _CompiledLexicon) -> list[_Candidate]:
    candidates: list[_Candidate] = []
    component_hits: dict[int, list[tuple[int, int, int]]] = {}
    if compiled.surface_pattern is not None:
        for start, end in _surface_matches(text, compiled.surface_pattern):
            if _starts_inside_word(text, start):
                continue
            for family, form, component in compiled.surfaces[text[start:end]]:
                if form == "component":
                    component_hits.setdefault(family, []).append((start, end, component))
                    if end - start < LONE_COMPONENT_MIN_CHARS and not _is_quoted(
                        text, start, end, slack=0
                    ):
                        continue
                candidates.append(_Candidate(start, end, family, form))
    for family, hits in component_hits.items():
        for expansion in _expansions(text, hits, compiled.families[family], family):
            # The lexicon's own spelling of a slogan (外防输入、内防反弹,
            # 碳达峰碳中和) names it: compact, although its parts are listed.
            named = compiled.surfaces.get(text[expansion.start : expansion.end], [])
            if (family, "compact", -1) not in named:
                candidates.append(expansion)
    for family, pattern in compiled.enumerations:
        for match in pattern.finditer(text):
            candidates.append(_Candidate(match.start(), match.end(), family, "enumerated"))
    return candidates


def _resolve(candidates: list[_Candidate]) -> list[_Candidate]:
    """Keep the longest, most specific mentions so that none overlap.

    Accepted spans are disjoint (or identical, for two families claiming the
    same text), so sorted by start their ends are sorted too and one bisect
    finds the only span that could overlap a new candidate.
    """
    starts: list[int] = []
    spans: list[tuple[int, int]] = []
    families_at: dict[tuple[int, int], set[int]] = {}
    kept: list[_Candidate] = []
    for candidate in sorted(set(candidates), key=_Candidate.key):
        span = (candidate.start, candidate.end)
        position = bisect.bisect_left(starts, candidate.end)
        if position:
            before = spans[position - 1]
            if before[1] > candidate.start:
                if before != span or candidate.family in families_at[before]:
                    continue
                families_at[before].add(candidate.family)
                kept.append(candidate)
                continue
        starts.insert(position, candidate.start)
        spans.insert(position, span)
        families_at[span] = {candidate.family}
        kept.append(candidate)
    return sorted(kept, key=lambda c: (c.start, c.end, c.family))


def _is_quoted(text: str, start: int, end: int, *, slack: int = QUOTE_SLACK) -> bool:
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    stoppers = _QUOTE_CHARS + "。！？!?\n"
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


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` around ``start:end``.

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
    return text[first:last].strip()


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


def _as_corpus(corpus) -> pd.DataFrame:
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
            "sentence": pd.Series(dtype="str"),
        }
    )


@functools.lru_cache(maxsize=4)
def _shipped_lexicon(path: str, modified_ns: int, size: int) -> pd.DataFrame:
    from .lexicon import load_lexicon

    return load_lexicon(path)


def _load_default_lexicon() -> pd.DataFrame:
    """The shipped lexicon, parsed once per version of the file.

    Reading the YAML costs as much as tagging a few megabytes; the file's
    modification time and size are in the cache key, so an edit is seen at
    once. Callers must not modify the frame.
    """
    from .lexicon import LEXICON_PATH

    stat = LEXICON_PATH.stat()
    return _shipped_lexicon(str(LEXICON_PATH), stat.st_mtime_ns, stat.st_size)


def tag_slogans(corpus, *, lexicon: pd.DataFrame | None = None) -> pd.DataFrame:
    """Find every mention of every lexicon slogan in ``text_clean``.

    Parameters
    ----------
    corpus : pandas.DataFrame or str
        A table with ``doc_id`` and ``text_clean`` (``body_start`` is used
        when present); a single string is tagged as document ``"0"``.
    lexicon : pandas.DataFrame, optional
        Entries as returned by :func:`analysis.lexicon.load_lexicon`
        (``id``, ``canonical``, ``aliases``, ``components``); defaults to the
        shipped lexicon.

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
        - ``sentence``: the sentence of ``text_clean`` holding the mention.

        ``attrs`` carries the lexicon's ``lexicon_version`` and
        ``lexicon_sha256`` when the lexicon has them.

    Examples
    --------
    >>> mentions = tag_slogans("扎实做好“六稳”工作，全面落实“六保”任务。")
    >>> mentions[["canonical", "form", "start", "end", "quoted"]].values.tolist()
    [['六稳', 'compact', 5, 7, True], ['六保', 'compact', 16, 18, True]]
    """
    corpus = _as_corpus(corpus)
    lexicon = _load_default_lexicon() if lexicon is None else lexicon
    compiled = _compile_lexicon(lexicon)
    body_starts = corpus["body_start"].tolist() if "body_start" in corpus.columns else None
    rows: dict[str, list] = {column: [] for column in MENTION_COLUMNS}
    for position, (doc_id, text) in enumerate(zip(corpus["doc_id"], corpus["text_clean"])):
        mentions = _resolve(_candidates(text, compiled))
        if not mentions:
            continue
        body_start = body_starts[position] if body_starts is not None else None
        if body_start is not None and pd.isna(body_start):
            body_start = None
        for mention in mentions:
            family = compiled.families[mention.family]
            rows["doc_id"].append(doc_id)
            rows["slogan_id"].append(family.slogan_id)
            rows["canonical"].append(family.canonical)
            rows["form"].append(mention.form)
            rows["surface"].append(text[mention.start : mention.end])
            rows["start"].append(mention.start)
            rows["end"].append(mention.end)
            rows["quoted"].append(_is_quoted(text, mention.start, mention.end))
            rows["in_title"].append(body_start is not None and mention.start < int(body_start))
            rows["sentence"].append(_sentence(text, mention.start, mention.end))
    if rows["doc_id"]:
        result = pd.DataFrame(rows, columns=MENTION_COLUMNS)
        result = result.astype({"start": "int64", "end": "int64", "quoted": "bool", "in_title": "bool"})
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
    lexicon = _load_default_lexicon() if lexicon is None else lexicon
    if tokenizer is None:
        from .tokens import get_tokenizer

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


def _check_columns(table: pd.DataFrame, needed: Sequence[str], *, producer: str) -> None:
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"expected the DataFrame from {producer}, got {type(table).__name__}")
    missing = [column for column in needed if column not in table.columns]
    if missing:
        raise ValueError(f"the table lacks column(s) {missing}; pass the table from {producer}")


def _select_forms(mentions: pd.DataFrame, forms: Sequence[str] | None) -> pd.DataFrame:
    if forms is None:
        return mentions
    forms = (forms,) if isinstance(forms, str) else tuple(forms)
    unknown = [form for form in forms if form not in FORMS]
    if unknown:
        raise ValueError(f"unknown form(s) {unknown}; choose from {FORMS}")
    return mentions[mentions["form"].isin(forms)]


def _document_table(corpus: pd.DataFrame, mentions: pd.DataFrame, period: str | None) -> pd.DataFrame:
    """doc_id, characters (and period) for every corpus document, in corpus order."""
    corpus = _as_corpus(corpus)
    documents = pd.DataFrame(
        {
            "doc_id": corpus["doc_id"].to_numpy(),
            "characters": corpus["text_clean"].str.len().astype("int64").to_numpy(),
        }
    )
    unknown = sorted(set(mentions["doc_id"]) - set(documents["doc_id"]), key=str)
    if unknown:
        raise ValueError(f"mentions refer to documents not in the corpus: {unknown[:5]}")
    if period is not None:
        if "date" not in corpus.columns:
            raise InputError("counting by period needs a 'date' column in the corpus")
        documents["period"] = document_periods(corpus, period).array
    return documents


def _slogan_table(mentions: pd.DataFrame) -> pd.DataFrame:
    slogans = mentions[["slogan_id", "canonical"]].drop_duplicates("slogan_id")
    return slogans.sort_values("slogan_id", kind="stable").reset_index(drop=True)


def _normalise_by(by) -> list[str]:
    keys = [by] if isinstance(by, str) else list(by)
    unknown = [key for key in keys if key not in ("slogan", "document", "form", *PERIODS)]
    if unknown:
        raise InputError(f"by must name 'slogan', 'document', 'form' and/or a period {list(PERIODS)}, got {unknown}")
    if sum(key in PERIODS for key in keys) > 1:
        raise InputError(f"by names more than one period: {keys}")
    return keys


def slogan_counts(
    mentions: pd.DataFrame,
    *,
    by: str | Sequence[str] = "slogan",
    corpus: pd.DataFrame | None = None,
    period: str | None = None,
    forms: Sequence[str] | None = COUNTED_FORMS,
) -> pd.DataFrame:
    """Count slogan mentions per slogan, and per document, period or form.

    Parameters
    ----------
    mentions : pandas.DataFrame
        The table from :func:`tag_slogans`.
    by : str or list of str, default "slogan"
        Rows are always per slogan; add ``"document"`` for one row per
        document and slogan, ``"form"`` for one row per form, or a period
        unit (``"year"``, ``"month"``, ...) for one row per period in a column
        of that name, as :func:`analysis.textstat.term_frequency` does.
    corpus : pandas.DataFrame, optional
        The tagged corpus (``doc_id``, ``text_clean``, and ``date`` for
        periods). Without it, sizes and rates are missing.
    period : {"year", "quarter", "month", "week", "day"}, optional
        Group documents by the period of their ``date``, in a column named
        ``period`` (``by="year"`` does the same in a column ``year``). Every
        period from the first to the last dated document gets a row; undated
        documents form a last row with period ``NaT``. Rates are pooled: the
        mentions of a period over the characters of all its documents.
    forms : sequence of str or None, default ("compact", "enumerated", "expansion")
        Which forms to count; components are left out because they are not
        the slogan itself. ``None`` counts every form.

    Returns
    -------
    pandas.DataFrame
        ``doc_id`` (with ``by="document"``), ``slogan_id``, ``canonical``,
        ``form`` (with ``by="form"``), ``period`` (pandas Period, with
        ``period``), then:

        - ``mentions``: mentions in the group; ``<NA>`` in a period with no
          documents (a gap in the corpus, not a zero).
        - ``documents``: documents in the group (all of them, mentioning the
          slogan or not).
        - ``documents_mentioning``: those with at least one mention.
        - ``characters``: characters of ``text_clean`` in those documents.
        - ``per_10k_chars``: ``mentions`` per 10,000 characters, so corpora
          and periods of different size compare; NaN for gaps.
        - ``thin`` (with a period): the period holds too little text for its
          rate to be trusted (:data:`analysis.periods.MIN_PERIOD_CHARACTERS`,
          :func:`analysis.periods.thin_mask`); False without a corpus.

        One row per slogan with at least one mention of the selected forms,
        sorted by document order, ``slogan_id``, form and period.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a", "b"],
    ...                        "text_clean": ["做好“六稳”工作。", "没有提法。"],
    ...                        "date": pd.to_datetime(["2020-01-05", "2020-03-01"])})
    >>> counts = slogan_counts(tag_slogans(corpus), corpus=corpus, period="month")
    >>> counts["period"].astype(str).tolist()
    ['2020-01', '2020-02', '2020-03']
    >>> counts["mentions"].tolist()  # February has no document: a gap, not a zero
    [1, <NA>, 0]
    """
    _check_columns(mentions, ("doc_id", "slogan_id", "canonical", "form"), producer="tag_slogans")
    keys = _normalise_by(by)
    period_column = "period"
    by_period = [key for key in keys if key in PERIODS]
    if by_period:
        if period is not None and period != by_period[0]:
            raise InputError(f"by={by!r} and period={period!r} name different periods")
        period, period_column = by_period[0], by_period[0]
    if period is not None:
        check_period(period)
    freq = PERIODS[period] if period is not None else None
    if freq is not None and corpus is None:
        raise InputError("counting by period needs the corpus (its 'date' column)")
    selected = _select_forms(mentions, forms)
    slogans = _slogan_table(selected)
    form_values = [f for f in FORMS if forms is None or f in forms]
    by_document = "document" in keys
    by_form = "form" in keys

    documents = _document_table(corpus, mentions, period) if corpus is not None else None
    if documents is None:
        # Without a corpus only the documents with mentions are known.
        documents = pd.DataFrame({"doc_id": pd.unique(mentions["doc_id"])})
        documents["characters"] = pd.array([pd.NA] * len(documents), dtype="Int64")

    # The grid: every group that could hold mentions, so that zeros are rows.
    grid = slogans.copy()
    if by_form:
        grid = grid.merge(pd.DataFrame({"form": form_values}), how="cross")
    group_keys = ["slogan_id"] + (["form"] if by_form else [])
    tagged = selected.copy()

    if by_document:
        doc_frame = documents.reset_index(drop=True).assign(_order=lambda d: range(len(d)))
        grid = doc_frame.merge(grid, how="cross")
        counted = tagged.groupby(["doc_id", *group_keys], sort=False).size().rename("mentions")
        grid = grid.merge(counted.reset_index(), on=["doc_id", *group_keys], how="left")
        grid["mentions"] = grid["mentions"].fillna(0).astype("Int64")
        grid["documents"] = pd.array([1] * len(grid), dtype="Int64")
        grid["documents_mentioning"] = (grid["mentions"] > 0).astype("Int64")
        sort_by = ["_order", "slogan_id"] + (["_form_order"] if by_form else [])
    else:
        if freq is not None:
            doc_periods = documents.set_index("doc_id")["period"]
            tagged["period"] = tagged["doc_id"].map(doc_periods)
            group_keys = group_keys + ["period"]
            dated = documents["period"].dropna()
            periods = (
                list(pd.period_range(dated.min(), dated.max(), freq=freq)) if len(dated) else []
            )
            if documents["period"].isna().any():
                periods.append(pd.NaT)
            sizes = documents.groupby("period", dropna=False).agg(
                documents=("doc_id", "size"), characters=("characters", "sum")
            )
            slots = pd.DataFrame({"period": pd.array(periods, dtype=f"period[{freq}]")})
            slots = slots.merge(sizes.reset_index(), on="period", how="left")
            dated_slots = slots["period"].notna().to_numpy()
            thin = pd.Series(False, index=slots.index)
            thin[dated_slots] = thin_mask(slots.loc[dated_slots, "characters"].fillna(0))
            sizes = slots.assign(thin=thin.to_numpy()).set_index("period")
            grid = grid.merge(
                pd.DataFrame({"period": pd.array(periods, dtype=f"period[{freq}]")}), how="cross"
            )
            grid = grid.merge(sizes.reset_index(), on="period", how="left")
            grid["characters"] = grid["characters"].fillna(0)
        else:
            grid["documents"] = len(documents) if corpus is not None else pd.NA
            grid["characters"] = documents["characters"].sum() if corpus is not None else pd.NA
        counted = tagged.groupby(group_keys, sort=False, dropna=False).agg(
            mentions=("doc_id", "size"), documents_mentioning=("doc_id", "nunique")
        )
        grid = grid.merge(counted.reset_index(), on=group_keys, how="left")
        for column in ("mentions", "documents_mentioning"):
            grid[column] = grid[column].fillna(0).astype("Int64")
        if corpus is None:
            grid["documents"] = pd.array([pd.NA] * len(grid), dtype="Int64")
        else:
            grid["documents"] = grid["documents"].fillna(0).astype("Int64")
            gap = grid["documents"] == 0
            grid.loc[gap, ["mentions", "documents_mentioning"]] = pd.NA
        sort_by = ["slogan_id"] + (["_form_order"] if by_form else [])
        if freq is not None:
            sort_by.append("period")

    grid["characters"] = grid["characters"].astype("Int64")
    if freq is not None and not by_document:
        grid["thin"] = grid["thin"].fillna(False).astype(bool)
    if by_form:
        grid["_form_order"] = grid["form"].map({f: i for i, f in enumerate(FORMS)})
    rate = grid["mentions"].astype("Float64") / grid["characters"].astype("Float64") * 10_000
    grid["per_10k_chars"] = rate.astype("float64").where(grid["characters"].fillna(0) > 0)
    grid = grid.sort_values(sort_by, kind="stable", na_position="last").reset_index(drop=True)
    columns = (
        (["doc_id"] if by_document else [])
        + ["slogan_id", "canonical"]
        + (["form"] if by_form else [])
        + (["period"] if freq is not None else [])
        + ["mentions", "documents", "documents_mentioning", "characters", "per_10k_chars"]
        + (["thin"] if freq is not None and not by_document else [])
    )
    return grid[columns].rename(columns={"period": period_column})


def slogan_lifecycle(
    mentions: pd.DataFrame,
    corpus: pd.DataFrame,
    *,
    period: str | None = None,
    dormant_after: int = DORMANT_AFTER,
    forms: Sequence[str] | None = COUNTED_FORMS,
) -> pd.DataFrame:
    """When each slogan appears, peaks and falls silent, and how it is written.

    Parameters
    ----------
    mentions : pandas.DataFrame
        The table from :func:`tag_slogans`.
    corpus : pandas.DataFrame
        The tagged corpus with ``doc_id``, ``text_clean`` and ``date``; a
        ``page`` column adds the share of mentions on page 1.
    period : {"year", "quarter", "month", "week", "day"}, optional
        The unit for the peak and for dormancy; by default
        :func:`analysis.periods.choose_period` of the corpus (months when
        nothing is dated).
    dormant_after : int, default 3
        A slogan is ``dormant`` when it was not seen in the last
        ``dormant_after`` periods of the corpus (counting the last period that
        holds a dated document), otherwise ``active``.
    forms : sequence of str or None, default ("compact", "enumerated", "expansion")
        Which forms count as a sighting.

    Returns
    -------
    pandas.DataFrame
        One row per slogan, sorted by ``first_seen`` then ``slogan_id``:
        ``slogan_id``, ``canonical``, ``first_seen``, ``last_seen`` (dates of
        the first and last dated document mentioning it), ``peak_period``
        (highest mentions per 10,000 characters among the periods that are
        not thin, see :mod:`analysis.periods`, unless every period is thin;
        the earliest on a tie),
        ``peak_per_10k_chars``, ``mentions``, ``documents`` (documents
        mentioning it), ``per_10k_chars`` (over the whole corpus),
        ``quoted_share``, ``title_share``, ``front_page_share`` (NaN without a
        ``page`` column), ``periods_since_last`` and ``status``
        (``active``, ``dormant``, or ``unknown`` when only undated documents
        mention it).

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a", "b"],
    ...                        "text_clean": ["做好“六稳”工作。", "没有提法。"],
    ...                        "date": pd.to_datetime(["2020-01-05", "2020-06-01"])})
    >>> life = slogan_lifecycle(tag_slogans(corpus), corpus)
    >>> life[["canonical", "periods_since_last", "status"]].values.tolist()
    [['六稳', 5, 'dormant']]
    """
    needed = ("doc_id", "slogan_id", "canonical", "form", "quoted", "in_title")
    _check_columns(mentions, needed, producer="tag_slogans")
    if not isinstance(dormant_after, int) or dormant_after < 1:
        raise ValueError(f"dormant_after must be a positive whole number, got {dormant_after!r}")
    corpus = _as_corpus(corpus)
    if period is None:
        period = (choose_period(corpus) if "date" in corpus.columns else None) or "month"
    freq = PERIODS[check_period(period)]
    documents = _document_table(corpus, mentions, period)
    documents["date"] = pd.to_datetime(corpus["date"], errors="coerce").to_numpy()
    if "page" in corpus.columns:
        documents["front_page"] = (pd.to_numeric(corpus["page"], errors="coerce") == 1).to_numpy()
    selected = _select_forms(mentions, forms)[list(needed)].merge(documents, on="doc_id", how="left")
    dated_periods = documents["period"].dropna()
    corpus_end = dated_periods.max() if len(dated_periods) else None
    total_characters = int(documents["characters"].sum())

    by_period = slogan_counts(mentions, corpus=corpus, period=period, forms=forms)
    by_period = by_period[by_period["period"].notna() & by_period["per_10k_chars"].notna()]
    # A peak is only believable where the period holds enough text: never a thin one, unless the
    # whole corpus is thin (a page or two), where every rate is equally fragile.
    if (~by_period["thin"]).any():
        by_period = by_period[~by_period["thin"]]

    rows = []
    for slogan_id, group in selected.groupby("slogan_id", sort=True):
        seen = group["date"].dropna()
        peaks = by_period[by_period["slogan_id"] == slogan_id]
        peak = peaks.loc[peaks["per_10k_chars"].idxmax()] if len(peaks) else None
        if len(seen) and corpus_end is not None:
            last_period = seen.max().to_period(freq)
            since = (corpus_end - last_period).n
            status = "dormant" if since >= dormant_after else "active"
        else:
            since, status = pd.NA, "unknown"
        rows.append(
            {
                "slogan_id": slogan_id,
                "canonical": group["canonical"].iloc[0],
                "first_seen": seen.min() if len(seen) else pd.NaT,
                "last_seen": seen.max() if len(seen) else pd.NaT,
                "peak_period": peak["period"] if peak is not None else pd.NaT,
                "peak_per_10k_chars": float(peak["per_10k_chars"]) if peak is not None else math.nan,
                "mentions": len(group),
                "documents": group["doc_id"].nunique(),
                "per_10k_chars": len(group) / total_characters * 10_000 if total_characters else math.nan,
                "quoted_share": float(group["quoted"].mean()),
                "title_share": float(group["in_title"].mean()),
                "front_page_share": (
                    float(group["front_page"].mean()) if "front_page" in group.columns else math.nan
                ),
                "periods_since_last": since,
                "status": status,
            }
        )
    columns = [
        "slogan_id", "canonical", "first_seen", "last_seen", "peak_period", "peak_per_10k_chars",
        "mentions", "documents", "per_10k_chars", "quoted_share", "title_share",
        "front_page_share", "periods_since_last", "status",
    ]  # fmt: skip
    result = pd.DataFrame(rows, columns=columns)
    result["first_seen"] = pd.to_datetime(result["first_seen"])
    result["last_seen"] = pd.to_datetime(result["last_seen"])
    result["peak_period"] = pd.array(result["peak_period"].tolist(), dtype=f"period[{freq}]")
    result["mentions"] = result["mentions"].astype("int64")
    result["documents"] = result["documents"].astype("int64")
    result["periods_since_last"] = result["periods_since_last"].astype("Int64")
    result["status"] = result["status"].astype("str")
    return result.sort_values(
        ["first_seen", "slogan_id"], kind="stable", na_position="last"
    ).reset_index(drop=True)


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
_NOT_AFTER_NUMBER = f"(?<![第{_NUMERALS}0-9.．])"
# Formulas count with Chinese numerals from two up (四个意识, 三大攻坚战): 一个 is
# the indefinite article, digits count things (3个百分点), and a numeral of
# several characters before 大 names a party congress (二十大).
_NUMBERED_FORMULA = re.compile(
    f"{_NOT_AFTER_NUMBER}(?:(?!一)[{_NUMERALS}][个大项]|[{_NUMERALS}]{{2,}}[个项])(?=[{_HAN_CHARS}])"
)
_NUMBERED_MAX_HEAD = 5
# Heads that count ordinary things, never a formula.
_GENERIC_HEADS = (
    "方面", "百分点", "部分", "阶段", "时期", "问题", "小时", "月", "国家", "地区", "城市",
    "省份", "单位", "企业", "项目", "环节", "层面", "领域", "途径", "渠道", "赛区", "多",
)  # fmt: skip
_N_CHARACTER = re.compile(
    f"{_NOT_AFTER_NUMBER}[{_NUMERALS}]+字(?:方针|要求|诀|经|箴言|原则|工作法)"
)
_PAIR_CHAR = f"(?:(?![{_NUMERALS}{_MEASURE_CHARS}{''.join(sorted(_FUNCTION_CHARS))}])[{_HAN_CHARS}])"
_NUMBER_PAIR = re.compile(f"{_NOT_AFTER_NUMBER}(?:[{_NUMERALS}]{_PAIR_CHAR}){{2,3}}")
_QUOTED_PHRASE = re.compile(
    "|".join(
        f"{re.escape(opening)}([{_HAN_CHARS}0-9A-Za-z+＋]{{2,{QUOTED_MAX_CHARS}}}){re.escape(closing)}"
        for opening, closing in QUOTE_PAIRS.items()
    )
)
_SEPARATOR_CLASS = re.escape(_LIST_SEPARATORS + _SPACE)
_QUOTED_ENUMERATION = re.compile(
    "|".join(
        f"{re.escape(opening)}([{_HAN_CHARS}](?:[{_SEPARATOR_CLASS}]+[{_HAN_CHARS}]){{2,}}){re.escape(closing)}"
        for opening, closing in QUOTE_PAIRS.items()
    )
)
_SEPARATOR_RUN = re.compile(f"[{_SEPARATOR_CLASS}{_QUOTE_CHARS}]+")


def _known_forms(lexicon: pd.DataFrame) -> set[str]:
    """Every surface form of the lexicon, with and without its separators."""
    from .lexicon import surface_forms

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


def _compact_spans(text: str, compiled: _CompiledLexicon | None) -> tuple[list[int], list[int]]:
    """Where the known slogans' compact forms stand (not components: 绿色通道 is new).

    Returns the starts, sorted, and for each the furthest end of any span
    starting there or before, so that one bisect tells whether a range
    overlaps a known slogan even when spans nest.
    """
    if compiled is None or compiled.surface_pattern is None:
        return [], []
    spans = sorted(
        (start, end)
        for start, end in _surface_matches(text, compiled.surface_pattern)
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
    corpus = _as_corpus(corpus)
    for name, value in (("min_count", min_count), ("min_documents", min_documents)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name} must be a whole number >= 1, got {value!r}")
    selected_kinds = DISCOVERY_KINDS if kinds is None else tuple([kinds] if isinstance(kinds, str) else kinds)
    unknown = [kind for kind in selected_kinds if kind not in DISCOVERY_KINDS]
    if unknown:
        raise ValueError(f"unknown kind(s) {unknown}; choose from {DISCOVERY_KINDS}")
    lexicon = _load_default_lexicon() if lexicon is None else lexicon
    compiled = _compile_lexicon(lexicon) if len(lexicon) else None
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
                "quoted": sum(_is_quoted(texts[p], s, e) for p, s, e in occurrences),
                "first_seen": min(seen) if seen else pd.NaT,
                "example": _sentence(text, first[1], first[2]),
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


# --------------------------------------------------------------------------
# Helpers for the slogans notebook
# --------------------------------------------------------------------------


def top_slogans(mentions: pd.DataFrame, *, n: int = 10, forms: Sequence[str] | None = COUNTED_FORMS) -> pd.DataFrame:
    """The ``n`` slogans with the most mentions.

    Parameters
    ----------
    mentions : pandas.DataFrame
        The table from :func:`tag_slogans`.
    n : int, default 10
        How many slogans.
    forms : sequence of str or None, default ("compact", "enumerated", "expansion")
        Which forms count (``None``: all, components included).

    Returns
    -------
    pandas.DataFrame
        ``slogan_id``, ``canonical``, ``mentions``, ``documents_mentioning``;
        most mentions first, ties broken by ``slogan_id``.

    Examples
    --------
    >>> mentions = tag_slogans("做好“六稳”工作，落实“六保”任务，六保是底线。")
    >>> top_slogans(mentions, n=1)[["canonical", "mentions"]].values.tolist()
    [['六保', 2]]
    """
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError(f"n must be a whole number >= 1, got {n!r}")
    counts = slogan_counts(mentions, forms=forms)[["slogan_id", "canonical", "mentions", "documents_mentioning"]]
    counts = counts.astype({"mentions": "int64", "documents_mentioning": "int64"})
    return (
        counts.sort_values(["mentions", "slogan_id"], ascending=[False, True], kind="stable")
        .head(n)
        .reset_index(drop=True)
    )


TIMELINE_COLUMNS = ["slogan_id", "canonical", "period", "mentions", "documents", "per_10k_chars"]


def slogan_timeline(
    mentions: pd.DataFrame,
    corpus: pd.DataFrame,
    *,
    period: str | None = None,
    n: int = 8,
    forms: Sequence[str] | None = COUNTED_FORMS,
) -> pd.DataFrame:
    """Rates of the top slogans per period, ready for :func:`analysis.textplot.timeline`.

    Parameters
    ----------
    mentions : pandas.DataFrame
        The table from :func:`tag_slogans`.
    corpus : pandas.DataFrame
        The tagged corpus (``doc_id``, ``text_clean``, ``date``).
    period : {"year", "quarter", "month", "week", "day"}, optional
        Defaults to :func:`analysis.periods.choose_period` of the corpus.
    n : int, default 8
        The slogans shown: the ``n`` most mentioned (:func:`top_slogans`).
    forms : sequence of str or None, default ("compact", "enumerated", "expansion")
        Which forms count.

    Returns
    -------
    pandas.DataFrame
        ``slogan_id``, ``canonical``, ``period`` (pandas Period), ``mentions``,
        ``documents``, ``per_10k_chars``: every period from the first to the
        last dated document, with ``<NA>``/NaN for periods without documents
        (gaps, not zeros). Undated documents are left out. When nothing is
        dated the table is empty and ``attrs["note"]`` says why.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a", "b"],
    ...                        "text_clean": ["做好“六稳”工作。", "做好“六稳”工作。"],
    ...                        "date": pd.to_datetime(["2019-05-01", "2021-05-01"])})
    >>> table = slogan_timeline(tag_slogans(corpus), corpus, period="year")
    >>> table["mentions"].tolist()
    [1, <NA>, 1]
    """
    corpus = _as_corpus(corpus)
    period = choose_period(corpus) if period is None and "date" in corpus.columns else period
    if period is None:
        empty = pd.DataFrame({column: pd.Series(dtype="object") for column in TIMELINE_COLUMNS})
        empty.attrs["note"] = "No document is dated, so there is no timeline."
        return empty
    chosen = top_slogans(mentions, n=n, forms=forms)["slogan_id"] if len(mentions) else []
    counts = slogan_counts(mentions, corpus=corpus, period=period, forms=forms)
    counts = counts[counts["slogan_id"].isin(chosen) & counts["period"].notna()]
    table = counts[TIMELINE_COLUMNS].reset_index(drop=True)
    table.attrs["period"] = period
    if table.empty:
        table.attrs["note"] = "No slogan of the lexicon is mentioned in a dated document."
    return table


# --------------------------------------------------------------------------
# Keyword in context
# --------------------------------------------------------------------------


def _kwic_spans(corpus, pattern_or_slogan, *, lexicon, forms, regex):
    """(doc position, start, end) of every match, in document order."""
    if isinstance(pattern_or_slogan, str):
        lexicon = _load_default_lexicon() if lexicon is None else lexicon
        chosen = lexicon[
            (lexicon["id"] == pattern_or_slogan) | (lexicon["canonical"] == pattern_or_slogan)
        ]
        if len(chosen):
            slogan_ids = set(chosen["id"])
            # Tag with the whole lexicon so that overlaps resolve as in tag_slogans.
            mentions = _select_forms(tag_slogans(corpus, lexicon=lexicon), forms)
            mentions = mentions[mentions["slogan_id"].isin(slogan_ids)]
            positions = {doc_id: i for i, doc_id in enumerate(corpus["doc_id"])}
            return [
                (positions[doc_id], start, end)
                for doc_id, start, end in zip(mentions["doc_id"], mentions["start"], mentions["end"])
            ]
        if not pattern_or_slogan:
            raise ValueError("kwic needs a non-empty pattern")
        pattern = re.compile(pattern_or_slogan if regex else re.escape(pattern_or_slogan))
    elif isinstance(pattern_or_slogan, re.Pattern):
        pattern = pattern_or_slogan
    else:
        raise TypeError(
            "pattern_or_slogan must be a slogan id, a canonical form, a regex string or a "
            f"compiled pattern, got {type(pattern_or_slogan).__name__}"
        )
    spans = []
    for position, text in enumerate(corpus["text_clean"]):
        for match in pattern.finditer(text):
            if match.end() == match.start():
                raise ValueError(
                    f"pattern {pattern.pattern!r} matches the empty string "
                    f"(document {corpus['doc_id'].iloc[position]!r}, offset {match.start()})"
                )
            spans.append((position, match.start(), match.end()))
    return spans


def kwic(
    corpus,
    pattern_or_slogan,
    *,
    window: int = 20,
    lexicon: pd.DataFrame | None = None,
    forms: Sequence[str] | None = None,
    regex: bool = True,
) -> pd.DataFrame:
    """Keyword in context: every match with the text on either side.

    Parameters
    ----------
    corpus : pandas.DataFrame or str
        A table with ``doc_id`` and ``text_clean`` (``date`` is copied when
        present), or one string.
    pattern_or_slogan : str or re.Pattern
        A slogan id or canonical form of the lexicon: the mentions
        :func:`tag_slogans` finds for that entry, in every form unless
        ``forms`` says otherwise. Any other string is a regular expression
        (or a literal with ``regex=False``); pass a compiled pattern to search
        for a slogan's text literally.
    window : int, default 20
        Characters of context on each side.
    lexicon : pandas.DataFrame, optional
        Defaults to the shipped lexicon.
    forms : sequence of str, optional
        For a slogan, the forms to show (default: all, components included).
    regex : bool, default True
        Whether a string that is not a slogan is a regular expression.

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``date`` (NaT without a date column), ``left``,
        ``match``, ``right`` (slices of ``text_clean`` with line breaks shown
        as spaces), ``start``, ``end`` (offsets into ``text_clean``), in
        document order then by ``start``.

    Examples
    --------
    >>> table = kwic("一要稳就业，二要保民生。", "保民生", window=3)
    >>> table[["left", "match", "right"]].values.tolist()
    [['，二要', '保民生', '。']]
    """
    _check_window(window)
    corpus = _as_corpus(corpus)
    spans = sorted(
        set(_kwic_spans(corpus, pattern_or_slogan, lexicon=lexicon, forms=forms, regex=regex))
    )
    return _kwic_table(corpus, spans, window=window)


def _check_window(window) -> None:
    if not isinstance(window, int) or isinstance(window, bool) or window < 0:
        raise ValueError(f"window must be a whole number >= 0, got {window!r}")


def _kwic_table(corpus: pd.DataFrame, spans: list[tuple[int, int, int]], *, window: int) -> pd.DataFrame:
    """KWIC rows for (document position, start, end) spans, in the order given."""
    texts = corpus["text_clean"].tolist()
    doc_ids = corpus["doc_id"].tolist()
    dates = (
        pd.to_datetime(corpus["date"], errors="coerce").tolist()
        if "date" in corpus.columns
        else [pd.NaT] * len(corpus)
    )

    def shown(text: str) -> str:
        return text.replace("\r", " ").replace("\n", " ")

    rows = {column: [] for column in KWIC_COLUMNS}
    for position, start, end in spans:
        text = texts[position]
        rows["doc_id"].append(doc_ids[position])
        rows["date"].append(dates[position])
        rows["left"].append(shown(text[max(0, start - window) : start]))
        rows["match"].append(shown(text[start:end]))
        rows["right"].append(shown(text[end : end + window]))
        rows["start"].append(start)
        rows["end"].append(end)
    table = pd.DataFrame(rows, columns=KWIC_COLUMNS)
    table["date"] = pd.to_datetime(table["date"])
    for column in ("left", "match", "right"):
        table[column] = table[column].astype("str")
    return table.astype({"start": "int64", "end": "int64"})


def kwic_top_slogans(
    corpus,
    mentions: pd.DataFrame,
    *,
    n: int = 5,
    lines: int = 5,
    window: int = 20,
    forms: Sequence[str] | None = COUNTED_FORMS,
) -> pd.DataFrame:
    """Keyword in context for the most mentioned slogans, a few lines each.

    Parameters
    ----------
    corpus : pandas.DataFrame or str
        The tagged corpus.
    mentions : pandas.DataFrame
        The table from :func:`tag_slogans` on that corpus.
    n : int, default 5
        How many slogans (:func:`top_slogans`).
    lines : int, default 5
        Mentions shown per slogan: its first ones in document order.
    window : int, default 20
        Characters of context on each side.
    forms : sequence of str or None, default ("compact", "enumerated", "expansion")
        Which forms are shown and counted.

    Returns
    -------
    pandas.DataFrame
        ``canonical``, ``form``, then the columns of :func:`kwic`; slogans in
        the order of :func:`top_slogans`, mentions in document order.

    Examples
    --------
    >>> text = "做好“六稳”工作，落实“六保”任务，六保是底线。"
    >>> table = kwic_top_slogans(text, tag_slogans(text), n=1, lines=1, window=2)
    >>> table[["canonical", "left", "match", "right"]].values.tolist()
    [['六保', '实“', '六保', '”任']]
    """
    _check_window(window)
    if not isinstance(lines, int) or isinstance(lines, bool) or lines < 1:
        raise ValueError(f"lines must be a whole number >= 1, got {lines!r}")
    corpus = _as_corpus(corpus)
    _check_columns(mentions, ("doc_id", "slogan_id", "canonical", "form", "start", "end"), producer="tag_slogans")
    positions = {doc_id: i for i, doc_id in enumerate(corpus["doc_id"])}
    unknown = sorted(set(mentions["doc_id"]) - set(positions), key=str)
    if unknown:
        raise ValueError(f"mentions refer to documents not in the corpus: {unknown[:5]}")
    selected = _select_forms(mentions, forms)
    rows = []
    for slogan_id in top_slogans(mentions, n=n, forms=forms)["slogan_id"] if len(selected) else []:
        chosen = selected[selected["slogan_id"] == slogan_id].assign(
            _position=lambda table: table["doc_id"].map(positions)
        )
        chosen = chosen.sort_values(["_position", "start"], kind="stable").head(lines)
        spans = list(zip(chosen["_position"], chosen["start"], chosen["end"]))
        table = _kwic_table(corpus, spans, window=window)
        table.insert(0, "form", chosen["form"].astype("str").to_numpy())
        table.insert(0, "canonical", chosen["canonical"].astype("str").to_numpy())
        rows.append(table)
    if not rows:
        empty = _kwic_table(corpus, [], window=window)
        empty.insert(0, "form", pd.Series(dtype="str"))
        empty.insert(0, "canonical", pd.Series(dtype="str"))
        return empty
    return pd.concat(rows, ignore_index=True)


def kwic_html(kwic_table: pd.DataFrame) -> str:
    """Render a :func:`kwic` table as an HTML table, the match in ``<mark>``.

    All corpus text is escaped, so a page that quotes markup cannot inject it.

    Parameters
    ----------
    kwic_table : pandas.DataFrame
        A table from :func:`kwic` (``left``, ``match``, ``right``; ``doc_id``
        and ``date`` are shown when present).

    Returns
    -------
    str
        A ``<table class="kwic">`` element.

    Examples
    --------
    >>> table = kwic("落实<b>六保</b>任务", "六保", window=3)
    >>> "<mark>六保</mark>" in kwic_html(table)
    True
    >>> "&lt;b&gt;" in kwic_html(table)
    True
    """
    _check_columns(kwic_table, ("left", "match", "right"), producer="kwic")
    meta = [column for column in ("doc_id", "date") if column in kwic_table.columns]

    def cell(value) -> str:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return ""
        if isinstance(value, pd.Timestamp):
            value = value.strftime("%Y-%m-%d")
        return html.escape(str(value))

    lines = ['<table class="kwic">', "<thead><tr>"]
    lines += [f"<th>{html.escape(column)}</th>" for column in meta]
    lines += ['<th class="left"></th><th class="match"></th><th class="right"></th>']
    lines += ["</tr></thead>", "<tbody>"]
    for row in kwic_table.to_dict("records"):
        cells = "".join(f"<td>{cell(row[column])}</td>" for column in meta)
        cells += (
            f'<td class="left" style="text-align:right">{cell(row["left"])}</td>'
            f'<td class="match"><mark>{cell(row["match"])}</mark></td>'
            f'<td class="right">{cell(row["right"])}</td>'
        )
        lines.append(f"<tr>{cells}</tr>")
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines)
