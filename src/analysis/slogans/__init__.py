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

Which spans count for which slogan (the nesting rule):

- **Within one slogan** no character is counted twice: of overlapping
  mentions the longer wins, then the more specific form (expansion,
  enumerated, compact, component), then the earlier one. A formula written
  out character by character is therefore ``enumerated`` even when the
  lexicon also lists that spelling as an alias (控、保、稳、进、抬、扛): the form
  says how the text writes the slogan. A run of components that is itself the
  slogan's canonical form or an alias (外防输入、内防反弹, 碳达峰碳中和) is the
  slogan's name, so ``compact``.
- **Across slogans** a *name* (``compact`` or ``enumerated``) inside a longer
  mention of another slogan is still a mention of its own slogan: 小康社会 in
  全面建成小康社会 (a component of 四个全面), 高质量发展 in
  黄河流域生态保护和高质量发展, 西美 in 东强、南动、西美、北静、中优、外联. A
  ``component`` or ``expansion`` inside a longer mention of another slogan is
  not kept: a part of a list belongs to the list it stands in
  (保基本民生 inside a 六保 expansion is not also a 三保 component). Mentions
  of two slogans that cross without one containing the other are resolved
  as within a slogan (the longer wins). Two slogans that claim exactly the
  same span are both kept, because the text then really mentions both —
  except that a list matching all components of one entry and only some of
  another's is the first entry's (see :func:`expansion_minimum`).

One reference, one count: an ``expansion`` in a sentence that also names the
same slogan (``compact`` or ``enumerated``) spells out that name, as in
做好“六保”工作，强化保居民就业、……、保基层运转. Both spans are kept, and the
expansion has ``counted=False``; every count (:func:`slogan_counts`,
:func:`slogan_lifecycle`, :func:`top_slogans`, :func:`slogan_timeline`, the
explorer's timeline) counts only ``counted`` mentions.

Senses: a lexicon row may carry context rules (``not_before``,
``not_after``: strings that may not immediately precede or follow a match;
``valid_from``, ``valid_until``: the dates, ``YYYY[-MM[-DD]]``, between which
the sense holds). A candidate that breaks a rule is no mention of that entry
(隐患动态清零 is not 动态清零, 六稳定 is not 六稳), and a document dated outside
the range mentions no form of it; an undated document is not judged by date.
Absent columns mean no rules.

Traditional characters inside a simplified document (「六穩」) are read as
their simplified forms wherever that turns them into a character of a
lexicon form (OpenCC ``t2s``, one character at a time, so offsets and
``surface`` stay those of ``text_clean``).

The subpackage has one module per stage: :mod:`~analysis.slogans.compiled`
(the lexicon compiled into a matcher), :mod:`~analysis.slogans.candidates`
(the mentions of one text: candidates and the nesting rule),
:mod:`~analysis.slogans.tagger` (the mention table),
:mod:`~analysis.slogans.counts` (counts, life cycles, timelines),
:mod:`~analysis.slogans.kwic` (keyword in context) and
:mod:`~analysis.slogans.formulas` (discovery of formulas the lexicon lacks).
Every public name is importable from ``analysis.slogans`` itself.
"""

from __future__ import annotations

from .compiled import (  # noqa: F401
    CONTEXT_COLUMNS,
    COUNTED_FORMS,
    EXPANSION_LIST_MIN_SHARE,
    EXPANSION_MIN_PARTS,
    EXPANSION_MIN_SHARE,
    FORMS,
    LONE_COMPONENT_MIN_CHARS,
    NAME_FORMS,
    QUOTE_PAIRS,
    QUOTE_SLACK,
    RUN_TOGETHER_MIN_CHARS,
    WORD_BEFORE,
    expansion_minimum,
)
from .tagger import (  # noqa: F401
    MENTION_COLUMNS,
    check_dictionary,
    counted_mentions,
    tag_slogans,
)
from .counts import (  # noqa: F401
    DORMANT_AFTER,
    TIMELINE_COLUMNS,
    slogan_counts,
    slogan_lifecycle,
    slogan_timeline,
    top_slogans,
)
from .kwic import (  # noqa: F401
    KWIC_COLUMNS,
    kwic,
    kwic_html,
    kwic_top_slogans,
)
from .formulas import (  # noqa: F401
    DISCOVERY_COLUMNS,
    DISCOVERY_KINDS,
    EXTENSION_SHARE,
    QUOTED_MAX_CHARS,
    discover_formulas,
)

__all__ = [
    "CONTEXT_COLUMNS",
    "COUNTED_FORMS",
    "DISCOVERY_COLUMNS",
    "DISCOVERY_KINDS",
    "DORMANT_AFTER",
    "EXPANSION_LIST_MIN_SHARE",
    "EXPANSION_MIN_PARTS",
    "EXPANSION_MIN_SHARE",
    "EXTENSION_SHARE",
    "FORMS",
    "KWIC_COLUMNS",
    "LONE_COMPONENT_MIN_CHARS",
    "MENTION_COLUMNS",
    "NAME_FORMS",
    "QUOTED_MAX_CHARS",
    "QUOTE_PAIRS",
    "QUOTE_SLACK",
    "RUN_TOGETHER_MIN_CHARS",
    "TIMELINE_COLUMNS",
    "WORD_BEFORE",
    "check_dictionary",
    "counted_mentions",
    "discover_formulas",
    "expansion_minimum",
    "kwic",
    "kwic_html",
    "kwic_top_slogans",
    "slogan_counts",
    "slogan_lifecycle",
    "slogan_timeline",
    "tag_slogans",
    "top_slogans",
]
