"""Diffusion: how central slogans reach lower levels, how faithfully, and what they coin.

The corpus carries each document's administrative ``level`` (one of
:data:`analysis.config.LEVELS`) and, where known, its ``region``; see
:func:`analysis.corpus.load_corpus` and :func:`analysis.corpus.combine_corpora`.
Four measures build on it:

First use and lag (:func:`first_use`, :func:`adoption_lags`)
    The first dated document of a level (or region) that mentions a slogan in
    a counted form (compact, enumerated, expansion: a lone component is not a
    mention), and how long after the central first use that came. The central
    first use is the earliest central document of the corpus or, when earlier
    or when the corpus has none, the date the lexicon records for the first
    statement (``introduced``), so a central archive with gaps (no 2020 work
    report) does not delay it; ``central_source`` says which.

    An archive that starts late cannot show an early use. When a level's (or
    region's) first dated document is later than the central first use, its
    first observed use is only an upper bound of its uptake: the row is
    ``left-censored``, not "lagging". A level that never mentions the slogan
    within its archive is ``not observed`` (right-censored at the archive's
    end). Year-dated documents stand on 1 January of their year; the
    ``precision`` columns say how far a lag can be trusted.

Adoption curve (:func:`adoption_curve`)
    Per period, the share of regions that have used a slogan by the end of
    that period, of all regions and of the regions whose archive had started.

Fidelity (:func:`uptakes`, :func:`local_formulas`)
    For every lower-level document that takes up a central formula, the most
    faithful form in which it does: the ``full expansion`` (every component
    named), the ``compact`` name, a ``partial list`` (an expansion naming
    some components), or a ``local variant`` (a local formula of the same
    numeral pattern sharing characters with it, such as 控保稳进抬扛 beside
    六稳 and 六保). :func:`local_formulas` lists the local formulas with the
    central formula each most resembles.

Text reuse (:func:`find_reuse`, :func:`reuse_table`, :func:`reuse_by_document`, :func:`reuse_by_period`)
    Passages of at least :data:`REUSE_MIN_CHARS` characters that a local
    document shares word for word with a central one. Characters are compared
    without whitespace and punctuation (a reprint that changes a comma still
    counts), and lengths and shares count those characters only; offsets
    (``start``, ``end``, ``central_start``, ``central_end``) index
    ``text_clean`` of each document. Candidates come from an index of the
    hashes of every :data:`REUSE_MIN_CHARS`-character window of the central
    texts, so the cost grows with the corpus, not with the number of pairs;
    each passage is then checked character by character.

The subpackage has one module per measure, on one shared reading of the corpus:
:mod:`~analysis.diffusion.documents` (levels, regions and dates of the documents,
the input checks, :class:`DiffusionError`, :func:`assign_dates`),
:mod:`~analysis.diffusion.adoption` (first use, lags, adoption curves),
:mod:`~analysis.diffusion.fidelity` (uptakes, local formulas) and
:mod:`~analysis.diffusion.reuse` (text reuse). Every public name is importable
from ``analysis.diffusion`` itself.
"""

from __future__ import annotations

from .documents import (  # noqa: F401
    CENTRAL,
    CENTRAL_LEXICON_LEVELS,
    DiffusionError,
    assign_dates,
)
from .adoption import (  # noqa: F401
    CURVE_COLUMNS,
    FIRST_USE_COLUMNS,
    LAG_COLUMNS,
    STATUSES,
    adoption_curve,
    adoption_lags,
    first_use,
)
from .fidelity import (  # noqa: F401
    FIDELITY_CLASSES,
    LOCAL_FORMULA_COLUMNS,
    UPTAKE_COLUMNS,
    local_formulas,
    resemblance,
    uptakes,
)
from .reuse import (  # noqa: F401
    REUSE_COLUMNS,
    REUSE_DOCUMENT_COLUMNS,
    REUSE_MIN_CHARS,
    REUSE_PERIOD_COLUMNS,
    REUSE_TABLE_COLUMNS,
    find_reuse,
    normalised_length,
    reuse_by_document,
    reuse_by_period,
    reuse_table,
)

__all__ = [
    "CENTRAL",
    "CENTRAL_LEXICON_LEVELS",
    "CURVE_COLUMNS",
    "DiffusionError",
    "FIDELITY_CLASSES",
    "FIRST_USE_COLUMNS",
    "LAG_COLUMNS",
    "LOCAL_FORMULA_COLUMNS",
    "REUSE_COLUMNS",
    "REUSE_DOCUMENT_COLUMNS",
    "REUSE_MIN_CHARS",
    "REUSE_PERIOD_COLUMNS",
    "REUSE_TABLE_COLUMNS",
    "STATUSES",
    "UPTAKE_COLUMNS",
    "adoption_curve",
    "adoption_lags",
    "assign_dates",
    "find_reuse",
    "first_use",
    "local_formulas",
    "normalised_length",
    "resemblance",
    "reuse_by_document",
    "reuse_by_period",
    "reuse_table",
    "uptakes",
]
