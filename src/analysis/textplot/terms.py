"""Charts of term tables (:mod:`analysis.textstat`): ranked bars, keyness bars, a word cloud."""

from __future__ import annotations

import textwrap

import matplotlib.patches
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from .style import (
    BAR_HEIGHT,
    as_float,
    chinese_font_path,
    format_number,
    label_inches,
    new_axes,
    no_data,
    require_plot_columns,
    use_chinese_font,
    with_chinese_font,
)


def bar_terms(
    table: pd.DataFrame,
    *,
    term: str = "term",
    value: str = "count",
    n: int = 30,
    ax: Axes | None = None,
    title: str | None = None,
    xlabel: str | None = None,
) -> Axes:
    """Ranked horizontal bars of the ``n`` largest values, largest on top.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per term, e.g. the output of
        :func:`analysis.textstat.term_frequency`.
    term, value : str
        Columns holding the bar labels and the bar lengths.
    n : int
        Number of bars; ties at the cut are broken by the label, so the chart
        is the same on every run.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure sized for ``n`` bars otherwise.
    title, xlabel : str, optional
        Chart title and value-axis label (defaults to ``value``).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"term": ["发展", "改革", "稳就业"], "count": [9, 4, 2]})
    >>> ax = bar_terms(table, n=2)
    >>> [label.get_text() for label in ax.get_yticklabels()]
    ['发展', '改革']
    """
    use_chinese_font()
    require_plot_columns(table, [term, value], function="bar_terms")
    if n < 1:
        raise ValueError(f"bar_terms: n must be at least 1, got {n}")
    ranked = (
        table[[term, value]]
        .dropna(subset=[value])
        .sort_values([value, term], ascending=[False, True], kind="mergesort")
        .head(n)
    )
    if ax is None:
        ax = new_axes(
            4.5 + label_inches(ranked[term]), 1.0 + BAR_HEIGHT * max(len(ranked), 3)
        )
    if ranked.empty:
        return with_chinese_font(no_data(ax, title=title))
    positions = np.arange(len(ranked))
    bars = ax.barh(positions, as_float(ranked[value], function="bar_terms"), color="#3a6ea5")
    ax.set_yticks(positions, labels=[str(label) for label in ranked[term]])
    ax.invert_yaxis()
    ax.bar_label(bars, labels=[format_number(v) for v in ranked[value]], padding=2, fontsize=8)
    # Leave room to the right of the longest bar for its number.
    ax.margins(x=0.12, y=0.01)
    if pd.api.types.is_integer_dtype(ranked[value]):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(xlabel if xlabel is not None else value)
    ax.spines[["top", "right"]].set_visible(False)
    if title:
        ax.set_title(title)
    return with_chinese_font(ax)


_POSITIVE_COLOUR = "#3a6ea5"
_NEGATIVE_COLOUR = "#c0504d"


def keyness_bars(
    table: pd.DataFrame,
    *,
    term: str = "term",
    value: str = "g2",
    n: int = 15,
    ax: Axes | None = None,
    title: str | None = None,
    target_label: str = "target",
    reference_label: str = "reference",
) -> Axes:
    """Two-sided bars: the terms most typical of the target (right) and of the reference (left).

    Parameters
    ----------
    table : pandas.DataFrame
        A keyness table from :func:`analysis.textstat.keyness`, whose ``value``
        column is signed (positive = more frequent in the target).
    term, value : str
        Columns holding the labels and the signed score (``"g2"``,
        ``"chi2"`` or ``"log_ratio"``).
    n : int
        Bars on each side; ties broken by the term.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure sized for the bars otherwise.
    title : str, optional
        Chart title.
    target_label, reference_label : str
        Names of the two corpora, written in the legend.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"term": ["六保", "改革", "发展"], "g2": [9.0, -1.0, -4.0]})
    >>> ax = keyness_bars(table, n=1)
    >>> [label.get_text() for label in ax.get_yticklabels()]
    ['六保', '发展']
    """
    use_chinese_font()
    require_plot_columns(table, [term, value], function="keyness_bars")
    if n < 1:
        raise ValueError(f"keyness_bars: n must be at least 1, got {n}")
    scores = table[[term, value]].dropna(subset=[value])
    scores = scores.assign(**{value: as_float(scores[value], function="keyness_bars")})
    positive = scores[scores[value] > 0].sort_values(
        [value, term], ascending=[False, True], kind="mergesort"
    ).head(n)
    negative = scores[scores[value] < 0].sort_values(
        [value, term], ascending=[True, True], kind="mergesort"
    ).head(n)
    # Target terms on top, strongest first; reference terms below, strongest last.
    shown = pd.concat([positive, negative.iloc[::-1]], ignore_index=True)
    if ax is None:
        ax = new_axes(6.0 + 2 * label_inches(shown[term]), 1.2 + BAR_HEIGHT * max(len(shown), 3))
    if shown.empty:
        no_data(ax, title=title)
        # keyness_latest_period explains an empty table in attrs["note"]; show why here too.
        ax.set_xlabel(textwrap.fill(str(table.attrs.get("note", "")), width=70))
        return with_chinese_font(ax)
    positions = np.arange(len(shown))
    values = shown[value].to_numpy()
    colours = np.where(values > 0, _POSITIVE_COLOUR, _NEGATIVE_COLOUR)
    bars = ax.barh(positions, values, color=colours)
    ax.set_yticks(positions, labels=[str(label) for label in shown[term]])
    ax.invert_yaxis()
    ax.bar_label(bars, labels=[format_number(v) for v in values], padding=2, fontsize=8)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.margins(x=0.15, y=0.01)
    ax.set_xlabel(f"{value} (> 0: more frequent in {target_label}; < 0: in {reference_label})")
    handles = [
        matplotlib.patches.Patch(color=_POSITIVE_COLOUR, label=f"typical of {target_label}"),
        matplotlib.patches.Patch(color=_NEGATIVE_COLOUR, label=f"typical of {reference_label}"),
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    if title:
        ax.set_title(title)
    return with_chinese_font(ax)


def wordcloud(
    table: pd.DataFrame,
    *,
    term: str = "term",
    value: str = "count",
    max_words: int = 100,
    random_state: int = 0,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """A word cloud of term frequencies (needs the optional ``wordcloud`` package).

    Install it with ``pip install "analysis[wordcloud]"`` (or ``pip install
    wordcloud``). The cloud uses the same CJK font as every other chart.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per term, e.g. :func:`analysis.textstat.term_frequency`.
    term, value : str
        Columns holding the words and their weights.
    max_words : int
        Largest number of words drawn.
    random_state : int
        Seed of the word placement.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.
    title : str, optional
        Chart title.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ImportError
        When the ``wordcloud`` package is not installed.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"term": ["发展", "六稳"], "count": [9, 4]})
    >>> ax = wordcloud(table)  # doctest: +SKIP
    """
    try:
        from wordcloud import WordCloud
    except ImportError as error:
        raise ImportError(
            "textplot.wordcloud needs the optional 'wordcloud' package: "
            "pip install 'analysis[wordcloud]' (or pip install wordcloud)"
        ) from error
    use_chinese_font()
    require_plot_columns(table, [term, value], function="wordcloud")
    if max_words < 1:
        raise ValueError(f"wordcloud: max_words must be at least 1, got {max_words}")
    if ax is None:
        ax = new_axes(10.0, 5.5)
    ax.set_axis_off()
    weights = (
        table[[term, value]].dropna()
        .sort_values([value, term], ascending=[False, True], kind="mergesort")
        .head(max_words)
    )
    weights = weights[weights[value] > 0]
    if weights.empty:
        return with_chinese_font(no_data(ax, title=title))
    cloud = WordCloud(
        font_path=str(chinese_font_path()),
        width=1600,
        height=880,
        background_color="white",
        max_words=max_words,
        random_state=random_state,
        prefer_horizontal=1.0,
        # Without a margin neighbouring CJK words read as one ("政府" + "教育" -> "政府教育").
        margin=24,
        colormap="Dark2",
    ).generate_from_frequencies(dict(zip(weights[term].astype(str), weights[value].astype(float))))
    ax.imshow(cloud.to_array(), interpolation="bilinear")
    if title:
        ax.set_title(title)
    return with_chinese_font(ax)
