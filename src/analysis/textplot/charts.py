"""Charts of any long or wide table: lines over periods, grouped bars, a heat map of a matrix."""

from __future__ import annotations

import math

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from .style import (
    BAR_HEIGHT,
    CELL_SIZE,
    as_float,
    format_cell,
    format_number,
    label_inches,
    new_axes,
    no_data,
    require_plot_columns,
    use_chinese_font,
    with_chinese_font,
)


def complete_axis(values: pd.Series, *, freq: str | None):
    """All periods from the first to the last value, so absent ones become gaps.

    None when the run of periods is unknown (datetimes without ``freq``, text).

    Examples
    --------
    >>> list(complete_axis(pd.Series([2019, 2021]), freq=None))
    [2019, 2020, 2021]
    """
    present = values.dropna()
    if present.empty:
        return None
    if isinstance(values.dtype, pd.PeriodDtype):
        return pd.period_range(present.min(), present.max(), freq=values.dtype.freq)
    if pd.api.types.is_datetime64_any_dtype(values):
        if freq is None:
            return None
        return pd.date_range(present.min(), present.max(), freq=freq)
    if pd.api.types.is_integer_dtype(values):
        step = int(freq) if freq is not None else 1
        return pd.Index(range(int(present.min()), int(present.max()) + 1, step))
    return None


def timeline(
    table: pd.DataFrame,
    *,
    x: str,
    y: str,
    group: str | None = None,
    freq: str | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    ylabel: str | None = None,
) -> Axes:
    """Values per period as lines with markers; missing periods are gaps, not zeros.

    A NaN in ``y`` breaks the line. Periods absent from the table are added as
    NaN (so they show as gaps too) when the full run of periods is known:
    ``x`` of Period dtype, ``x`` of integers (consecutive periods such as
    years, step 1) or ``x`` of datetimes with ``freq`` given.

    Parameters
    ----------
    table : pandas.DataFrame
        Long table, one row per period (and group).
    x, y : str
        Columns for the period and the value (a rate or a count).
    group : str, optional
        Column whose values get one line each, with a legend.
    freq : str, optional
        Pandas frequency of datetime ``x`` (``"MS"``, ``"YS"``, ``"D"``) used
        to find absent periods; for integer ``x``, the step between periods.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.
    title, ylabel : str, optional
        Chart title and value-axis label (defaults to ``y``).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"year": [2019, 2021], "per_10k_tokens": [1.5, 2.0]})
    >>> ax = timeline(table, x="year", y="per_10k_tokens")
    >>> [int(year) for year in ax.get_lines()[0].get_xdata()]
    [2019, 2020, 2021]
    """
    use_chinese_font()
    require_plot_columns(table, [x, y, group], function="timeline")
    if ax is None:
        ax = new_axes(8.0, 4.0)
    data = table[[c for c in dict.fromkeys([x, y, group]) if c is not None]].dropna(subset=[x])
    if data.empty:
        return with_chinese_font(no_data(ax, title=title))
    full_axis = complete_axis(data[x], freq=freq)
    groups = [(None, data)] if group is None else sorted(data.groupby(group, sort=False), key=lambda item: str(item[0]))
    categorical = full_axis is None and not (
        pd.api.types.is_numeric_dtype(data[x]) or pd.api.types.is_datetime64_any_dtype(data[x])
    )
    category_order = list(dict.fromkeys(data[x])) if categorical else None
    for name, rows in groups:
        series = rows.groupby(x, sort=True)[y].sum(min_count=1)
        if full_axis is not None:
            series = series.reindex(full_axis)
        elif categorical:
            series = series.reindex(category_order)
        positions = series.index
        if isinstance(positions, pd.PeriodIndex):
            positions = positions.to_timestamp()
        elif categorical:
            positions = np.arange(len(series))
        ax.plot(
            positions,
            as_float(series, function="timeline"),
            marker="o",
            markersize=3.5,
            linewidth=1.5,
            label=None if name is None else str(name),
        )
    if categorical:
        ax.set_xticks(np.arange(len(category_order)), labels=[str(c) for c in category_order])
        ax.tick_params(axis="x", labelrotation=45)
    elif pd.api.types.is_datetime64_any_dtype(data[x]) or isinstance(data[x].dtype, pd.PeriodDtype):
        locator = mdates.AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    elif pd.api.types.is_integer_dtype(data[x]):
        if data[x].nunique() == 1:
            # One period: the integer locator would fall back to fractional ticks.
            ax.set_xticks([int(data[x].iloc[0])])
        else:
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(x)
    ax.set_ylabel(ylabel if ylabel is not None else y)
    if not (data[y] < 0).any():
        # Rates and counts start at zero; a floating baseline exaggerates change.
        ax.set_ylim(bottom=0)
    ax.spines[["top", "right"]].set_visible(False)
    if group is not None:
        ax.legend(title=group, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    if title:
        ax.set_title(title)
    return with_chinese_font(ax)


def bar_counts(
    table: pd.DataFrame,
    *,
    category: str,
    value: str = "count",
    group: str | None = None,
    stacked: bool = True,
    n: int | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    xlabel: str | None = None,
) -> Axes:
    """Horizontal bars of counts per category, split by ``group`` (stacked or side by side).

    Made for slogan counts by family and form (the output of
    :func:`analysis.slogans.slogan_counts`), but any long table works. Rows
    with the same category and group are summed; categories are ordered by
    their total, largest on top.

    Parameters
    ----------
    table : pandas.DataFrame
        Long table with one row per category (and group).
    category : str
        Column with the bar labels (e.g. ``"canonical"``).
    value : str
        Column with the numbers to add up.
    group : str, optional
        Column splitting each bar (e.g. ``"form"``), with a legend.
    stacked : bool
        Stack the groups in one bar (default) or draw them side by side.
    n : int, optional
        Keep only the categories with the largest totals.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.
    title, xlabel : str, optional
        Chart title and value-axis label (defaults to ``value``).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> counts = pd.DataFrame({"canonical": ["六稳", "六稳", "六保"],
    ...                        "form": ["compact", "enumerated", "compact"],
    ...                        "count": [3, 1, 2]})
    >>> ax = bar_counts(counts, category="canonical", group="form")
    >>> [label.get_text() for label in ax.get_yticklabels()]
    ['六稳', '六保']
    """
    use_chinese_font()
    require_plot_columns(table, [category, value, group], function="bar_counts")
    if group is None:
        wide = table.groupby(category, sort=True)[value].sum().to_frame(value)
    else:
        wide = table.pivot_table(
            index=category, columns=group, values=value, aggfunc="sum", fill_value=0, sort=True
        )
    totals = wide.sum(axis=1)
    order = sorted(wide.index, key=lambda label: (-totals[label], str(label)))
    if n is not None:
        order = order[:n]
    wide = wide.loc[order]
    if ax is None:
        ax = new_axes(
            5.5 + label_inches(wide.index), 1.0 + BAR_HEIGHT * max(len(wide), 3)
        )
    if wide.empty:
        return with_chinese_font(no_data(ax, title=title))
    positions = np.arange(len(wide))
    columns = list(wide.columns)
    colors = plt.get_cmap("tab10" if len(columns) <= 10 else "tab20")
    if stacked or len(columns) == 1:
        left = np.zeros(len(wide))
        for index, column in enumerate(columns):
            widths = as_float(wide[column], function="bar_counts")
            ax.barh(positions, widths, left=left, color=colors(index), label=str(column))
            left += widths
        ax.bar_label(ax.containers[-1], labels=[format_number(t) for t in left], padding=2, fontsize=8)
    else:
        height = 0.8 / len(columns)
        for index, column in enumerate(columns):
            offsets = positions - 0.4 + height * (index + 0.5)
            bars = ax.barh(
                offsets,
                as_float(wide[column], function="bar_counts"),
                height=height,
                color=colors(index),
                label=str(column),
            )
            ax.bar_label(bars, labels=[format_number(v) if v else "" for v in wide[column]], padding=2, fontsize=7)
    ax.set_yticks(positions, labels=[str(label) for label in wide.index])
    ax.invert_yaxis()
    ax.margins(x=0.12, y=0.01)
    if pd.api.types.is_integer_dtype(table[value]):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(xlabel if xlabel is not None else value)
    ax.spines[["top", "right"]].set_visible(False)
    if group is not None:
        ax.legend(title=group, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    if title:
        ax.set_title(title)
    return with_chinese_font(ax)


def heatmap(
    matrix_df: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    cmap: str = "Blues",
    annotate: bool | None = None,
    colorbar: bool = True,
    vmin: float | None = None,
    vmax: float | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
) -> Axes:
    """Colour-coded grid of a numeric matrix, labelled by its index and columns.

    Empty (NaN) cells are drawn light grey, so "no value" is not mistaken for
    zero.

    Parameters
    ----------
    matrix_df : pandas.DataFrame
        Numeric wide table: rows and columns become the axes (e.g. documents
        by topics, or terms by terms from :func:`edges_to_matrix`).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure sized for the matrix otherwise.
    title : str, optional
        Chart title.
    cmap : str
        Matplotlib colour map.
    annotate : bool, optional
        Write each value in its cell; by default only when the matrix has at
        most 15 rows and 15 columns.
    colorbar : bool
        Draw a colour bar.
    vmin, vmax : float, optional
        Colour scale limits (default: the data's range).
    xlabel, ylabel : str, optional
        Axis labels (default: the columns' and index's names).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> matrix = pd.DataFrame([[1.0, 0.2], [0.2, 1.0]], index=["六稳", "六保"], columns=["六稳", "六保"])
    >>> ax = heatmap(matrix)
    >>> [label.get_text() for label in ax.get_xticklabels()]
    ['六稳', '六保']
    """
    use_chinese_font()
    if not isinstance(matrix_df, pd.DataFrame):
        raise TypeError(f"heatmap: expected a pandas DataFrame, got {type(matrix_df).__name__}")
    non_numeric = [c for c in matrix_df.columns if not pd.api.types.is_numeric_dtype(matrix_df[c])]
    if non_numeric:
        raise TypeError(f"heatmap: the matrix must be numeric; column(s) {non_numeric} are not")
    rows, columns = matrix_df.shape
    if ax is None:
        ax = new_axes(
            2.5 + label_inches(matrix_df.index) + CELL_SIZE * columns,
            1.5 + label_inches(matrix_df.columns) + CELL_SIZE * rows,
        )
    if matrix_df.empty:
        return with_chinese_font(no_data(ax, title=title))
    values = matrix_df.astype("float64").to_numpy()
    colour_map = plt.get_cmap(cmap).with_extremes(bad="#eeeeee")
    image = ax.imshow(
        np.ma.masked_invalid(values),
        cmap=colour_map,
        aspect="auto",
        vmin=vmin,
        vmax=vmax,
        interpolation="nearest",
    )
    ax.set_xticks(np.arange(columns), labels=[str(c) for c in matrix_df.columns])
    ax.set_yticks(np.arange(rows), labels=[str(r) for r in matrix_df.index])
    ax.tick_params(axis="x", labelrotation=60, labelsize=9)
    ax.tick_params(axis="y", labelsize=9)
    for label in ax.get_xticklabels():
        label.set_horizontalalignment("right")
        label.set_rotation_mode("anchor")
    if annotate is None:
        annotate = rows <= 15 and columns <= 15
    if annotate:
        low, high = image.get_clim()
        middle = (low + high) / 2
        for (row, column), cell in np.ndenumerate(values):
            if math.isnan(cell):
                continue
            ax.text(
                column,
                row,
                format_cell(cell),
                ha="center",
                va="center",
                fontsize=7,
                color="white" if cell > middle else "black",
            )
    if colorbar:
        ax.figure.colorbar(image, ax=ax, shrink=0.8)
    ax.set_xlabel(xlabel if xlabel is not None else (matrix_df.columns.name or ""))
    ax.set_ylabel(ylabel if ylabel is not None else (matrix_df.index.name or ""))
    if title:
        ax.set_title(title)
    return with_chinese_font(ax)


def edges_to_matrix(
    edges: pd.DataFrame,
    *,
    source: str = "term_a",
    target: str = "term_b",
    value: str = "count",
    n: int | None = 20,
    fill_value: float = 0.0,
) -> pd.DataFrame:
    """Square term-by-term matrix from an edge list, for :func:`heatmap`.

    Edges are undirected: each one fills both ``[a, b]`` and ``[b, a]``. The
    terms kept are the ``n`` with the largest sum of ``value`` over their
    edges, ordered by that sum (ties by term).

    Parameters
    ----------
    edges : pandas.DataFrame
        One row per pair, e.g. :func:`analysis.cooccurrence.cooccurrence`.
    source, target, value : str
        Columns holding the two terms and the edge weight.
    n : int, optional
        Number of terms to keep; all of them when None.
    fill_value : float
        Value of pairs without an edge (the diagonal included).

    Returns
    -------
    pandas.DataFrame
        Symmetric matrix, index and columns named ``term``.

    Examples
    --------
    >>> import pandas as pd
    >>> edges = pd.DataFrame({"term_a": ["六稳", "六稳"], "term_b": ["六保", "就业"], "count": [5, 2]})
    >>> edges_to_matrix(edges).loc["六保", "六稳"]
    np.float64(5.0)
    """
    require_plot_columns(edges, [source, target, value], function="edges_to_matrix")
    both_ways = pd.concat(
        [
            edges[[source, target, value]].set_axis(["row", "column", "value"], axis=1),
            edges[[target, source, value]].set_axis(["row", "column", "value"], axis=1),
        ],
        ignore_index=True,
    )
    strength = both_ways.groupby("row")["value"].sum()
    terms = sorted(strength.index, key=lambda term: (-strength[term], str(term)))
    if n is not None:
        terms = terms[:n]
    kept = both_ways[both_ways["row"].isin(terms) & both_ways["column"].isin(terms)]
    matrix = (
        kept.pivot_table(index="row", columns="column", values="value", aggfunc="sum")
        .reindex(index=terms, columns=terms)
        .astype(float)
        .fillna(fill_value)
    )
    matrix.index.name = "term"
    matrix.columns.name = "term"
    return matrix
