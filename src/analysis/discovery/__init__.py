"""Discovery of coinages that are not in the lexicon yet.

Two detectors propose candidates for review:

``formula``
    :func:`analysis.slogans.discover_formulas`: quoted phrases, numbered
    formulas (四个意识), number pairs (四梁八柱), N字方针 and quoted
    enumerations. It sees only what is marked as a formula.
``phrase``
    :func:`discover_phrases`: recurrent phrases of plain text whose document
    frequency rises sharply in a period against the earlier periods of the
    same corpus (高质量发展, 全国统一大市场, 投资于人 written without quotes),
    ranked with the evidence that marks a coinage: quoted uses, known slogans
    nearby, and a form prior (:mod:`analysis.discovery.prior`) learned from
    the lexicon it is given.

:func:`discover` runs both and returns one table with the evidence for each
candidate and a ``detector`` column, ranked across the detectors by their fused ranks
(:func:`fuse_ranks`).

The modules, in the order of the work:

``inputs``     the corpus table, its periods, the lexicon's known forms
``ngrams``     recurrent n-grams counted at once, with their rise (:class:`ngrams.Joined`)
``joins``      two rising or known phrases joined by 和 into one long name (黄河流域生态保护和高质量发展)
``selection``  ordinary language out, one phrase per nest (:class:`selection.GenericFilter`)
``prior``      the form prior (:class:`FormPrior`)
``context``    the context prior (:class:`ContextPrior`)
``phrases``    the phrase detector (:func:`discover_phrases`, :func:`fit_form_prior`)
``table``      both detectors in one ranked table (:func:`discover`, :func:`fuse_ranks`)
"""

from .context import CONTEXT_CHARS, ContextPrior, context_features, contexts_in
from .ngrams import BOUNDARY_SAMPLE, MAX_NEIGHBOUR_SHARE, MIN_GROWTH
from .phrases import (
    CONTEXT_WEIGHT,
    MAX_CHARS,
    MIN_HISTORY,
    MIN_SHAPED_DOCUMENTS,
    NEAR_CHARS,
    NEAR_WEIGHT,
    PHRASE_COLUMNS,
    PRIOR_WEIGHT,
    QUOTE_WEIGHT,
    RankWeights,
    default_min_history,
    discover_phrases,
    fit_context_prior,
    fit_form_prior,
)
from .prior import (
    COUNTING_WORDS,
    MAX_NEGATIVES,
    NUMERALS,
    FormPrior,
    form_features,
    lexicon_forms,
    phrase_key,
    stock_tagger,
)
from .selection import HOLD_SHARE
from .table import DETECTORS, DISCOVERY_COLUMNS, FORMULA_FUSION_WEIGHT, FUSION_DEPTH, FUSION_K, NUMBERED_WEIGHT, discover, fuse_ranks, phrase_skip_reason

__all__ = [
    "BOUNDARY_SAMPLE", "CONTEXT_CHARS", "CONTEXT_WEIGHT", "COUNTING_WORDS", "DETECTORS", "DISCOVERY_COLUMNS", "FORMULA_FUSION_WEIGHT",
    "FUSION_DEPTH", "FUSION_K", "HOLD_SHARE", "MAX_CHARS",
    "MAX_NEGATIVES", "MAX_NEIGHBOUR_SHARE", "MIN_GROWTH", "MIN_HISTORY", "MIN_SHAPED_DOCUMENTS", "NEAR_CHARS", "NEAR_WEIGHT", "NUMBERED_WEIGHT",
    "NUMERALS", "PHRASE_COLUMNS", "PRIOR_WEIGHT", "QUOTE_WEIGHT", "ContextPrior", "FormPrior", "RankWeights", "discover", "discover_phrases",
    "context_features", "contexts_in", "default_min_history", "fit_context_prior", "fit_form_prior", "form_features", "fuse_ranks", "lexicon_forms", "phrase_key", "phrase_skip_reason", "stock_tagger",
]  # fmt: skip
