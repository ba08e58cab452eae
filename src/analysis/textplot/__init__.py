"""Charts of the package's tables, with a Chinese font that needs no system install.

Every plot function takes its table first, draws on ``ax`` when one is given
(otherwise on a new figure sized for the data) and returns the Axes. None of
them saves anything: the report runner does that through
:func:`analysis.report.save_figure`.

The font comes from the ``mplfonts`` package, which ships Noto Sans CJK SC, so a
chart renders the same on a bare CI machine as on a desktop with CJK fonts.

The subpackage has one module per kind of table drawn, on one shared setup:
:mod:`~analysis.textplot.style` (the CJK font, new figures, number formats),
:mod:`~analysis.textplot.charts` (any long or wide table: timelines, grouped
bars, heat maps), :mod:`~analysis.textplot.corpus` (documents per period),
:mod:`~analysis.textplot.terms` (term frequencies, keyness, word clouds),
:mod:`~analysis.textplot.topics`, :mod:`~analysis.textplot.cooccurrence`,
:mod:`~analysis.textplot.slogans`, :mod:`~analysis.textplot.workreport` and
:mod:`~analysis.textplot.diffusion` (the charts of those stages). Every chart is
importable from ``analysis.textplot`` itself.
"""

from __future__ import annotations

from .style import (  # noqa: F401
    FONT_FILE,
    chinese_font_path,
    use_chinese_font,
)
from .charts import (  # noqa: F401
    bar_counts,
    edges_to_matrix,
    heatmap,
    timeline,
)
from .terms import (  # noqa: F401
    bar_terms,
    keyness_bars,
    wordcloud,
)
from .corpus import documents_over_time  # noqa: F401
from .topics import (  # noqa: F401
    topic_share_area,
    topic_terms_heatmap,
)
from .cooccurrence import (  # noqa: F401
    association_heatmap,
    network,
)
from .workreport import targets_over_time  # noqa: F401
from .slogans import (  # noqa: F401
    HEATMAP_QUANTILE,
    slogan_heatmap,
    slogan_small_multiples,
)
from .diffusion import (  # noqa: F401
    adoption_curve,
    lag_heatmap,
)

__all__ = [
    "FONT_FILE",
    "HEATMAP_QUANTILE",
    "adoption_curve",
    "association_heatmap",
    "bar_counts",
    "bar_terms",
    "chinese_font_path",
    "documents_over_time",
    "edges_to_matrix",
    "heatmap",
    "keyness_bars",
    "lag_heatmap",
    "network",
    "slogan_heatmap",
    "slogan_small_multiples",
    "targets_over_time",
    "timeline",
    "topic_share_area",
    "topic_terms_heatmap",
    "use_chinese_font",
    "wordcloud",
]
