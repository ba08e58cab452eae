"""Charts of topic models (:mod:`analysis.topics`): top terms per topic, topic shares over time."""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from .charts import complete_axis
from .style import (
    CELL_SIZE,
    label_inches,
    new_axes,
    no_data,
    require_plot_columns,
    use_chinese_font,
    with_chinese_font,
)

_WRAP_AT = 5


def _wrap_term(term) -> str:
    """Break a long term over two lines so that one long word does not widen every cell."""
    text = str(term)
    if len(text) <= _WRAP_AT:
        return text
    middle = (len(text) + 1) // 2
    return f"{text[:middle]}\n{text[middle:]}"


def topic_terms_heatmap(
    topic_terms: pd.DataFrame,
    *,
    n_terms: int = 10,
    ax: Axes | None = None,
    title: str | None = None,
    cmap: str = "Blues",
) -> Axes:
    """One row per topic, one column per rank: each cell names a top term, its colour the weight.

    Weights are scaled to the topic's strongest term, so colours compare the
    terms within a topic (NMF loadings of different topics are not on one
    scale).

    Parameters
    ----------
    topic_terms : pandas.DataFrame
        ``model.topic_terms`` of :func:`analysis.topics.fit_topics`
        (``topic``, ``label``, ``term``, ``weight``, ``rank``).
    n_terms : int
        Ranks shown per topic.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure sized for the grid otherwise.
    title : str, optional
        Chart title.
    cmap : str
        Matplotlib colour map.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"topic": [0, 0, 1], "label": ["稳·保", "稳·保", "改革"],
    ...                       "term": ["稳", "保", "改革"], "weight": [2.0, 1.0, 3.0], "rank": [1, 2, 1]})
    >>> ax = topic_terms_heatmap(table)
    >>> [text.get_text() for text in ax.texts]
    ['稳', '保', '改革']
    """
    use_chinese_font()
    require_plot_columns(topic_terms, ["topic", "label", "term", "weight", "rank"], function="topic_terms_heatmap")
    if n_terms < 1:
        raise ValueError(f"topic_terms_heatmap: n_terms must be at least 1, got {n_terms}")
    shown = topic_terms[topic_terms["rank"] <= n_terms]
    topics = (
        shown[["topic", "label"]].drop_duplicates("topic").sort_values("topic", kind="mergesort")
        .reset_index(drop=True)
    )
    ranks = int(shown["rank"].max()) if len(shown) else 0
    words = [_wrap_term(term) for term in shown["term"]]
    widest = max((len(line) for word in words for line in word.split("\n")), default=1)
    two_lines = any("\n" in word for word in words)
    # 8-pt glyphs are about 0.11 in wide; a little padding keeps neighbours apart.
    cell_width = max(0.55, 0.12 * widest + 0.2)
    if ax is None:
        ax = new_axes(
            2.5 + label_inches(f"{t} {label}" for t, label in zip(topics["topic"], topics["label"]))
            + cell_width * ranks,
            1.6 + (0.55 if two_lines else CELL_SIZE) * len(topics),
        )
    if shown.empty:
        return with_chinese_font(no_data(ax, title=title))
    row_of = {topic: row for row, topic in enumerate(topics["topic"])}
    strongest = shown.groupby("topic")["weight"].transform("max").to_numpy(dtype=float)
    relative = np.divide(shown["weight"].to_numpy(dtype=float), strongest, out=np.zeros(len(shown)), where=strongest > 0)
    grid = np.full((len(topics), ranks), np.nan)
    rows = shown["topic"].map(row_of).to_numpy()
    columns = shown["rank"].to_numpy(dtype=int) - 1
    grid[rows, columns] = relative
    image = ax.imshow(
        np.ma.masked_invalid(grid),
        cmap=plt.get_cmap(cmap).with_extremes(bad="#eeeeee"),
        aspect="auto",
        vmin=0.0,
        vmax=1.0,
        interpolation="nearest",
    )
    for row, column, word, share in zip(rows, columns, words, relative):
        ax.text(column, row, word, ha="center", va="center", fontsize=8, linespacing=1.0,
                color="white" if share > 0.6 else "black")
    ax.set_xticks(np.arange(ranks), labels=[str(rank) for rank in range(1, ranks + 1)])
    ax.set_yticks(
        np.arange(len(topics)), labels=[f"{topic}  {label}" for topic, label in zip(topics["topic"], topics["label"])]
    )
    ax.tick_params(axis="y", labelsize=9)
    ax.set_xlabel("rank of the term in the topic")
    ax.set_ylabel("topic")
    ax.figure.colorbar(image, ax=ax, shrink=0.8, label="weight / topic's largest weight")
    if title:
        ax.set_title(title)
    return with_chinese_font(ax)


def topic_share_area(
    shares: pd.DataFrame,
    *,
    x: str | None = "year",
    topic: str = "label",
    value: str = "share",
    freq: str | None = None,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Stacked areas of topic shares per period; periods without documents are left blank.

    Parameters
    ----------
    shares : pandas.DataFrame
        Long table such as :func:`analysis.topics.topic_share`: one row per
        period and topic. Rows whose period is missing (undated documents)
        are not drawn; their number is written in the axis label.
    x, topic, value : str
        Columns for the period, the topic name and its share. ``x=None``
        (an undated corpus, see :func:`analysis.topics.topic_share`) draws a
        "no data" note.
    freq : str, optional
        As for :func:`timeline`: how to find absent periods of datetime ``x``
        (integer periods such as years are completed in steps of 1).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.
    title : str, optional
        Chart title.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> shares = pd.DataFrame({"year": [2019, 2019, 2021, 2021], "label": ["甲", "乙", "甲", "乙"],
    ...                        "share": [0.7, 0.3, 0.2, 0.8]})
    >>> ax = topic_share_area(shares)
    >>> len(ax.collections), float(ax.get_ylim()[1])
    (2, 1.0)
    """
    use_chinese_font()
    require_plot_columns(shares, [x, topic, value], function="topic_share_area")
    if x is None:
        # Say why, so an empty chart in a report is not mistaken for a failure.
        why = "no period: the corpus is undated or too short"
        return with_chinese_font(
            no_data(ax if ax is not None else new_axes(6.0, 3.0), title=f"{title} ({why})" if title else why)
        )
    undated = int(shares[x].isna().sum())
    data = shares.dropna(subset=[x])
    if ax is None:
        ax = new_axes(9.0 + label_inches(data[topic].astype(str)) if len(data) else 9.0, 4.5)
    if data.empty:
        return with_chinese_font(no_data(ax, title=title))
    wide = data.pivot_table(index=x, columns=topic, values=value, aggfunc="sum", sort=True)
    # Keep the topics in the table's order (topic number), not alphabetical.
    wide = wide[list(dict.fromkeys(data[topic]))]
    full_axis = complete_axis(data[x], freq=freq)
    if full_axis is not None:
        wide = wide.reindex(full_axis)
    positions = wide.index.to_timestamp() if isinstance(wide.index, pd.PeriodIndex) else wide.index
    categorical = not (
        pd.api.types.is_numeric_dtype(positions) or pd.api.types.is_datetime64_any_dtype(positions)
    )
    if categorical:
        category_labels = [str(value) for value in positions]
        positions = np.arange(len(positions))
    values = wide.astype("float64").to_numpy()
    present = ~np.isnan(values).all(axis=1)
    # A present period lacking one topic has a zero share of it; an absent period stays NaN.
    values = np.where(present[:, None], np.nan_to_num(values), np.nan)
    tops = np.cumsum(values, axis=1)
    bottoms = tops - values
    colours = plt.get_cmap("tab10" if wide.shape[1] <= 10 else "tab20")
    padded = np.concatenate([[False], present, [False]])
    single = present & ~padded[:-2] & ~padded[2:]
    bar_width = 0.6
    if pd.api.types.is_datetime64_any_dtype(positions):
        # On a date axis a width is a time span (a bare number is read as zero days): 60 % of one
        # period, a year or a month, as the gaps between consecutive periods say.
        steps = np.diff(np.asarray(positions, dtype="datetime64[D]"))
        bar_width = (steps.min() if len(steps) else np.timedelta64(365, "D")) * 0.6
    for index, name in enumerate(wide.columns):
        colour = colours(index % colours.N)
        ax.fill_between(positions, bottoms[:, index], tops[:, index], where=present,
                        color=colour, linewidth=0, label=str(name))
        if single.any():
            # An isolated period has no neighbour to make an area with: draw it as a bar.
            ax.bar(np.asarray(positions)[single], values[single, index], bottom=bottoms[single, index],
                   width=bar_width, color=colour, linewidth=0)
    if categorical:
        ax.set_xticks(positions, labels=category_labels)
        ax.tick_params(axis="x", labelrotation=45)
    elif pd.api.types.is_datetime64_any_dtype(positions):
        locator = mdates.AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    else:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, max(1.0, float(np.nanmax(tops)) if present.any() else 1.0))
    ax.set_xlabel(f"{x}" + (f" ({undated:,} rows of undated documents not shown)" if undated else "")
                  + ("; blank: no documents" if (~present).any() else ""))
    ax.set_ylabel(value)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(title=topic, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False, reverse=True)
    if title:
        ax.set_title(title)
    return with_chinese_font(ax)
