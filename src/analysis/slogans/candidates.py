"""Mentions in one text: the candidates (compact, component, expansion, enumerated), the nesting rule
that resolves them, shared parts, quotes and sentences."""

from __future__ import annotations

import bisect
import re
from typing import NamedTuple, Sequence

import numpy as np
import pandas as pd

from .compiled import (
    EXPANSION_LIST_MIN_SHARE,
    FILLER,
    FORM_RANK,
    LIST_SEPARATORS,
    LONE_COMPONENT_MIN_CHARS,
    NAME_FORMS,
    QUOTE_CHARS,
    QUOTE_PAIRS,
    QUOTE_SLACK,
    RUN_TOGETHER_MIN_CHARS,
    SPACE,
    WORD_BEFORE,
    CompiledLexicon,
    Family,
    surface_matches,
)

_CLOSING_QUOTES = {close: open_ for open_, close in QUOTE_PAIRS.items()}


# Between the components of an expansion: nothing (保就业保民生), a separator,
# and/or the connective that introduces the last item (……稳投资和稳预期).
_EXPANSION_GAP = re.compile(
    f"[{FILLER}]*(?:[{re.escape(LIST_SEPARATORS)}][{FILLER}]*)?"
    f"(?:(?:以及|及|和|与|并)[{FILLER}]*)?"
)

_GAP_OPENERS = frozenset(SPACE + QUOTE_CHARS + LIST_SEPARATORS + "以及和与并")
"""Every character a non-empty :data:`_EXPANSION_GAP` can start with."""


# A sentence ends at a full stop, question or exclamation mark, or a line
# break; closing quotes and brackets right after the stop belong to it.
_SENTENCE_END = re.compile(r"[。！？!?]+[”’」』）)\"']*|\n")


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
        return (self.start - self.end, FORM_RANK[self.form], self.start, self.family)


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
    text: str, hits: list[tuple[int, int, int]], family: Family, index: int
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


def find_candidates(text: str, compiled: CompiledLexicon, *, date=None, starts: np.ndarray | None = None) -> list[_Candidate]:
    """Every possible mention in ``text`` of an entry whose sense holds on ``date``.

    ``starts``: the screen's positions for ``text``, when screened with other texts.

    Examples
    --------
    >>> import pandas as pd
    >>> from analysis.slogans.compiled import compile_lexicon
    >>> compiled = compile_lexicon(pd.DataFrame({"id": ["liuwen"], "canonical": ["六稳"], "components": [
    ...     ["稳就业", "稳金融", "稳外贸", "稳外资", "稳投资", "稳预期"]]}))
    >>> [(c.start, c.end, c.form) for c in find_candidates("做好“六稳”工作，稳就业。", compiled)]
    [(3, 5, 'compact'), (9, 12, 'component')]
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


def resolve(candidates: list[_Candidate]) -> list[_Candidate]:
    """Keep the mentions the nesting rule of :mod:`analysis.slogans` allows.

    Candidates are taken longest (then most specific, then leftmost) first;
    one is kept unless it overlaps a kept mention of its own slogan, crosses
    a kept mention of another slogan, or lies inside one without being a
    name (compact or enumerated). Identical spans of two slogans are both
    kept.

    Whether a candidate is kept depends only on the candidates it overlaps,
    so the rule is applied to each group of spans that overlap one another
    (usually a handful) on its own: the same result as over the whole
    document at once, without keeping one sorted list of every mention.

    Examples
    --------
    >>> import pandas as pd
    >>> from analysis.slogans.compiled import compile_lexicon
    >>> compiled = compile_lexicon(pd.DataFrame({"id": ["liuwen"], "canonical": ["六稳"], "components": [
    ...     ["稳就业", "稳金融", "稳外贸", "稳外资", "稳投资", "稳预期"]]}))
    >>> candidates = find_candidates("稳就业、稳金融、稳外贸", compiled)
    >>> [c.form for c in candidates], [(m.start, m.end, m.form) for m in resolve(candidates)]
    (['component', 'component', 'component', 'expansion'], [(0, 11, 'expansion')])
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
    """:func:`resolve` for one group of overlapping candidates.

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


def attribute_shared_parts(mentions: list[_Candidate], sentences: list[tuple[int, int]], families: list[Family]):
    """One formula for a lone part that several formulas share (保基本民生: 六保 and 三保).

    The part goes to the formula with the most other mentions in the same
    sentence (its name or its other parts: 保就业保基本民生 is 六保's), then to the
    formula stated first (an unknown first statement counts as last), then to
    the first in the lexicon.

    Examples
    --------
    >>> import pandas as pd
    >>> from analysis.slogans.compiled import compile_lexicon
    >>> compiled = compile_lexicon(pd.DataFrame({"id": ["a", "b"], "canonical": ["六保", "三保"], "components": [
    ...     ["保就业", "保基本民生"], ["保工资", "保基本民生"]]}))
    >>> text = "稳住保基本民生。"
    >>> mentions = resolve(find_candidates(text, compiled))
    >>> kept, spans = attribute_shared_parts(mentions, sentence_spans(text, mentions), compiled.families)
    >>> [compiled.families[m.family].canonical for m in mentions], [compiled.families[m.family].canonical for m in kept]
    (['六保', '三保'], ['六保'])
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


def counted_flags(mentions: list[_Candidate], sentences: list[tuple[int, int]]) -> list[bool]:
    """False for an expansion whose sentence also names its slogan (one reference, one count).

    Examples
    --------
    >>> import pandas as pd
    >>> from analysis.slogans.compiled import compile_lexicon
    >>> compiled = compile_lexicon(pd.DataFrame({"id": ["liuwen"], "canonical": ["六稳"], "components": [
    ...     ["稳就业", "稳金融", "稳外贸", "稳外资", "稳投资", "稳预期"]]}))
    >>> text = "做好“六稳”工作，稳就业、稳金融、稳外贸。"
    >>> mentions = resolve(find_candidates(text, compiled))
    >>> [m.form for m in mentions], counted_flags(mentions, sentence_spans(text, mentions))
    (['compact', 'expansion'], [True, False])
    """
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


def sentence_spans(text: str, mentions: Sequence[_Candidate]) -> list[tuple[int, int]]:
    """:func:`_sentence_span` of each mention (sorted by start), with the searches mentions share made once.

    A search for the next sentence end from a mention's end finds the same
    end from any position up to it. A sentence starts at the end of the
    last sentence end before the mention, so when no character of a sentence
    end stands between a known sentence end (the previous mention's sentence
    start, or the end of the last sentence end found ahead) and the
    mention, that is where its sentence starts: mentions of one sentence, and
    of sentences that follow one another, cost about one search each.

    Examples
    --------
    >>> import pandas as pd
    >>> from analysis.slogans.compiled import compile_lexicon
    >>> compiled = compile_lexicon(pd.DataFrame({"id": ["liuwen"], "canonical": ["六稳"], "components": [
    ...     ["稳就业", "稳金融", "稳外贸", "稳外资", "稳投资", "稳预期"]]}))
    >>> text = "做好“六稳”工作。稳就业！"
    >>> sentence_spans(text, resolve(find_candidates(text, compiled)))
    [(0, 9), (9, 13)]
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
