"""Charts of the package's tables, with a Chinese font that needs no system install.

Every plot function takes its table first, draws on ``ax`` when one is given
(otherwise on a new figure sized for the data) and returns the Axes. None of
them saves anything: the report runner does that through
:func:`analysis.report.save_figure`.

The font comes from the ``mplfonts`` package, which ships Noto Sans CJK SC, so a
chart renders the same on a bare CI machine as on a desktop with CJK fonts.
"""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

import matplotlib
import matplotlib.dates as mdates
import matplotlib.lines
import matplotlib.patches
import matplotlib.pyplot as plt
import matplotlib.text
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from . import config
from .periods import PERIODS, check_period, choose_period, period_table
from .validation import check_choice, check_int

FONT_FILE = "NotoSansCJKsc-Regular.otf"

# Inches per bar / per matrix row; chosen so 10-pt CJK labels never touch.
_BAR_HEIGHT = 0.3
_CELL_SIZE = 0.42
_MAX_FIGURE_INCHES = 30.0


def chinese_font_path() -> Path:
    """Path of the Noto Sans CJK SC font file shipped by ``mplfonts``.

    Raises
    ------
    FileNotFoundError
        If the installed ``mplfonts`` does not contain the font.

    Examples
    --------
    >>> chinese_font_path().name
    'NotoSansCJKsc-Regular.otf'
    """
    import mplfonts

    path = Path(mplfonts.__file__).resolve().parent / "fonts" / FONT_FILE
    if not path.is_file():
        raise FileNotFoundError(
            f"{path}: the CJK font {FONT_FILE} is missing from the mplfonts package; "
            "reinstall mplfonts (pip install --force-reinstall mplfonts)"
        )
    return path


def use_chinese_font() -> str:
    """Make matplotlib draw Chinese text with Noto Sans CJK SC.

    Registers the font file shipped by ``mplfonts`` (once per process), puts it
    first in ``font.sans-serif``, selects the sans-serif family and turns off
    the Unicode minus sign, which the CJK font lacks. Calling it again changes
    nothing. Every plot function in this module calls it.

    Returns
    -------
    str
        The font family name now in use, ``"Noto Sans CJK SC"``.

    Examples
    --------
    >>> use_chinese_font()
    'Noto Sans CJK SC'
    >>> import matplotlib
    >>> matplotlib.rcParams["font.sans-serif"][0]
    'Noto Sans CJK SC'
    """
    path = chinese_font_path()
    if str(path) not in {entry.fname for entry in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(str(path))
    family = font_manager.FontProperties(fname=str(path)).get_name()
    others = [name for name in matplotlib.rcParams["font.sans-serif"] if name != family]
    matplotlib.rcParams["font.family"] = ["sans-serif"]
    matplotlib.rcParams["font.sans-serif"] = [family, *others]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return family


def _with_chinese_font(ax: Axes) -> Axes:
    """Point every text of ``ax`` at the CJK font, including those made before it was set.

    Titles, axis labels and tick labels are created with the axes, so an Axes
    made under another concrete font family would keep it and draw tofu.
    """
    family = matplotlib.rcParams["font.family"]
    for text in ax.findobj(matplotlib.text.Text):
        text.set_fontfamily(family)
    return ax


def _require_columns(table: pd.DataFrame, columns: list[str | None], *, function: str) -> None:
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"{function}: expected a pandas DataFrame, got {type(table).__name__}")
    missing = [column for column in columns if column is not None and column not in table.columns]
    if missing:
        raise KeyError(
            f"{function}: column(s) {missing} not in the table; it has {list(table.columns)}"
        )


def _new_axes(width: float, height: float) -> Axes:
    width = min(max(width, 4.0), _MAX_FIGURE_INCHES)
    height = min(max(height, 2.5), _MAX_FIGURE_INCHES)
    # Constrained layout makes room for long labels and an outside legend.
    figure = plt.figure(figsize=(width, height), layout="constrained")
    return figure.add_subplot()


def _label_inches(labels) -> float:
    # A CJK glyph is about as wide as the font is tall (10 pt ~ 0.14 in).
    longest = max((len(str(label)) for label in labels), default=0)
    return 0.14 * longest


def _no_data(ax: Axes, *, title: str | None) -> Axes:
    ax.text(0.5, 0.5, "无数据 (no data)", ha="center", va="center", transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title)
    return ax


def _as_float(series: pd.Series, *, function: str) -> np.ndarray:
    # Nullable integer columns (Int64 with <NA> for gaps) become NaN here.
    if not (pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series)):
        raise TypeError(f"{function}: column {series.name!r} must be numeric, got {series.dtype}")
    return series.astype("float64").to_numpy()


def _format_cell(value: float) -> str:
    # Two decimals read well for shares and association scores; big counts need none.
    if float(value).is_integer() or abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.2f}"


def _format_number(value: float) -> str:
    if value is None or pd.isna(value):
        return ""
    value = float(value)
    if float(value).is_integer():
        return f"{int(value):,}"
    if abs(value) >= 100:
        # "2.39e+03" is hard to read next to a bar; whole numbers are precise enough here.
        return f"{value:,.0f}"
    return f"{value:.3g}"


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
    _require_columns(table, [term, value], function="bar_terms")
    if n < 1:
        raise ValueError(f"bar_terms: n must be at least 1, got {n}")
    ranked = (
        table[[term, value]]
        .dropna(subset=[value])
        .sort_values([value, term], ascending=[False, True], kind="mergesort")
        .head(n)
    )
    if ax is None:
        ax = _new_axes(
            4.5 + _label_inches(ranked[term]), 1.0 + _BAR_HEIGHT * max(len(ranked), 3)
        )
    if ranked.empty:
        return _with_chinese_font(_no_data(ax, title=title))
    positions = np.arange(len(ranked))
    bars = ax.barh(positions, _as_float(ranked[value], function="bar_terms"), color="#3a6ea5")
    ax.set_yticks(positions, labels=[str(label) for label in ranked[term]])
    ax.invert_yaxis()
    ax.bar_label(bars, labels=[_format_number(v) for v in ranked[value]], padding=2, fontsize=8)
    # Leave room to the right of the longest bar for its number.
    ax.margins(x=0.12, y=0.01)
    if pd.api.types.is_integer_dtype(ranked[value]):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(xlabel if xlabel is not None else value)
    ax.spines[["top", "right"]].set_visible(False)
    if title:
        ax.set_title(title)
    return _with_chinese_font(ax)


def _complete_axis(values: pd.Series, *, freq: str | None):
    """All periods from the first to the last value, so absent ones become gaps."""
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
    _require_columns(table, [x, y, group], function="timeline")
    if ax is None:
        ax = _new_axes(8.0, 4.0)
    data = table[[c for c in dict.fromkeys([x, y, group]) if c is not None]].dropna(subset=[x])
    if data.empty:
        return _with_chinese_font(_no_data(ax, title=title))
    full_axis = _complete_axis(data[x], freq=freq)
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
            _as_float(series, function="timeline"),
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
    return _with_chinese_font(ax)


# Bar width as a share of the period, in days.
_PERIOD_DAYS = {"Y": 365.0, "Q": 91.0, "M": 30.0, "W": 7.0, "D": 1.0}


def documents_over_time(
    corpus: pd.DataFrame,
    *,
    period: str | None = None,
    value: str = "documents",
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Bars of documents per period; per source instead when no document is dated.

    Every period from the first to the last dated document has a slot, so a
    period without documents is visibly empty. Undated documents are counted
    in the axis label rather than dropped silently.

    Parameters
    ----------
    corpus : pandas.DataFrame
        A table from :func:`analysis.corpus.load_corpus` (``date``, and
        ``source`` for the undated fallback).
    period : {"year", "quarter", "month", "week", "day"}, optional
        Bar width; by default :func:`analysis.periods.choose_period`.
    value : {"documents", "characters"}, default "documents"
        What a bar measures. Characters show how much text a period really
        holds: one short resolution is one document, as a long report is.
        Thin periods (:mod:`analysis.periods`) are drawn hatched in grey.
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
    >>> corpus = pd.DataFrame({"date": pd.to_datetime(["2019-03-01", "2021-05-01", None]),
    ...                        "source": ["a", "a", "b"]})
    >>> ax = documents_over_time(corpus, period="year")
    >>> [int(bar.get_height()) for bar in ax.patches]
    [1, 0, 1]
    """
    use_chinese_font()
    _require_columns(corpus, ["date"], function="documents_over_time")
    if period is not None:
        check_period(period)
    check_choice(value, ("documents", "characters"), name="value")
    dates = pd.to_datetime(corpus["date"], errors="coerce")
    dated = dates.dropna()
    undated = int(dates.isna().sum())
    if dated.empty:
        source = corpus["source"] if "source" in corpus.columns else pd.Series(None, index=corpus.index)
        per_source = (
            source.astype("object").where(source.notna(), "(no source)").astype(str)
            .value_counts().rename_axis("source").reset_index(name="documents")
        )
        return bar_terms(
            per_source,
            term="source",
            value="documents",
            n=max(len(per_source), 1),
            ax=ax,
            title=f"{title or 'Documents'} by source (no document is dated)",
            xlabel="documents",
        )
    table = period_table(corpus, period=period or choose_period(corpus))
    code = PERIODS[table.attrs["period"]]
    slots = pd.PeriodIndex(table["period"])
    heights = table[value].fillna(0).to_numpy(dtype=float)
    thin = table["thin"].to_numpy(dtype=bool)
    if ax is None:
        ax = _new_axes(min(4.0 + 0.12 * len(slots), 16.0), 4.0)
    ax.bar(
        slots.to_timestamp(),
        heights,
        width=0.8 * _PERIOD_DAYS[code],
        align="edge",
        color=np.where(thin, "#b8b8b8", "#3a6ea5").tolist(),
        hatch=None,
    )
    for patch, is_thin in zip(ax.patches, thin):
        if is_thin:
            patch.set_hatch("///")
    if thin.any():
        ax.legend(
            handles=[matplotlib.patches.Patch(facecolor="#b8b8b8", hatch="///", label="thin period (little text)")],
            loc="upper left", frameon=False,
        )
    locator = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    label = table.attrs["period"]
    ax.set_xlabel(f"{label}" + (f" ({undated:,} undated documents not shown)" if undated else ""))
    ax.set_ylabel(value)
    ax.spines[["top", "right"]].set_visible(False)
    if title:
        ax.set_title(title)
    return _with_chinese_font(ax)


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
    _require_columns(table, [category, value, group], function="bar_counts")
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
        ax = _new_axes(
            5.5 + _label_inches(wide.index), 1.0 + _BAR_HEIGHT * max(len(wide), 3)
        )
    if wide.empty:
        return _with_chinese_font(_no_data(ax, title=title))
    positions = np.arange(len(wide))
    columns = list(wide.columns)
    colors = plt.get_cmap("tab10" if len(columns) <= 10 else "tab20")
    if stacked or len(columns) == 1:
        left = np.zeros(len(wide))
        for index, column in enumerate(columns):
            widths = _as_float(wide[column], function="bar_counts")
            ax.barh(positions, widths, left=left, color=colors(index), label=str(column))
            left += widths
        ax.bar_label(ax.containers[-1], labels=[_format_number(t) for t in left], padding=2, fontsize=8)
    else:
        height = 0.8 / len(columns)
        for index, column in enumerate(columns):
            offsets = positions - 0.4 + height * (index + 0.5)
            bars = ax.barh(
                offsets,
                _as_float(wide[column], function="bar_counts"),
                height=height,
                color=colors(index),
                label=str(column),
            )
            ax.bar_label(bars, labels=[_format_number(v) if v else "" for v in wide[column]], padding=2, fontsize=7)
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
    return _with_chinese_font(ax)


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
        ax = _new_axes(
            2.5 + _label_inches(matrix_df.index) + _CELL_SIZE * columns,
            1.5 + _label_inches(matrix_df.columns) + _CELL_SIZE * rows,
        )
    if matrix_df.empty:
        return _with_chinese_font(_no_data(ax, title=title))
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
                _format_cell(cell),
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
    return _with_chinese_font(ax)


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
    _require_columns(edges, [source, target, value], function="edges_to_matrix")
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


# ---------------------------------------------------------------------------
# Keyness, topics, networks and word clouds.

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
    _require_columns(table, [term, value], function="keyness_bars")
    if n < 1:
        raise ValueError(f"keyness_bars: n must be at least 1, got {n}")
    scores = table[[term, value]].dropna(subset=[value])
    scores = scores.assign(**{value: _as_float(scores[value], function="keyness_bars")})
    positive = scores[scores[value] > 0].sort_values(
        [value, term], ascending=[False, True], kind="mergesort"
    ).head(n)
    negative = scores[scores[value] < 0].sort_values(
        [value, term], ascending=[True, True], kind="mergesort"
    ).head(n)
    # Target terms on top, strongest first; reference terms below, strongest last.
    shown = pd.concat([positive, negative.iloc[::-1]], ignore_index=True)
    if ax is None:
        ax = _new_axes(6.0 + 2 * _label_inches(shown[term]), 1.2 + _BAR_HEIGHT * max(len(shown), 3))
    if shown.empty:
        _no_data(ax, title=title)
        # keyness_latest_period explains an empty table in attrs["note"]; show why here too.
        ax.set_xlabel(textwrap.fill(str(table.attrs.get("note", "")), width=70))
        return _with_chinese_font(ax)
    positions = np.arange(len(shown))
    values = shown[value].to_numpy()
    colours = np.where(values > 0, _POSITIVE_COLOUR, _NEGATIVE_COLOUR)
    bars = ax.barh(positions, values, color=colours)
    ax.set_yticks(positions, labels=[str(label) for label in shown[term]])
    ax.invert_yaxis()
    ax.bar_label(bars, labels=[_format_number(v) for v in values], padding=2, fontsize=8)
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
    return _with_chinese_font(ax)


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
    _require_columns(topic_terms, ["topic", "label", "term", "weight", "rank"], function="topic_terms_heatmap")
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
        ax = _new_axes(
            2.5 + _label_inches(f"{t} {label}" for t, label in zip(topics["topic"], topics["label"]))
            + cell_width * ranks,
            1.6 + (0.55 if two_lines else _CELL_SIZE) * len(topics),
        )
    if shown.empty:
        return _with_chinese_font(_no_data(ax, title=title))
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
    return _with_chinese_font(ax)


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
    _require_columns(shares, [x, topic, value], function="topic_share_area")
    if x is None:
        # Say why, so an empty chart in a report is not mistaken for a failure.
        why = "no period: the corpus is undated or too short"
        return _with_chinese_font(
            _no_data(ax if ax is not None else _new_axes(6.0, 3.0), title=f"{title} ({why})" if title else why)
        )
    undated = int(shares[x].isna().sum())
    data = shares.dropna(subset=[x])
    if ax is None:
        ax = _new_axes(9.0 + _label_inches(data[topic].astype(str)) if len(data) else 9.0, 4.5)
    if data.empty:
        return _with_chinese_font(_no_data(ax, title=title))
    wide = data.pivot_table(index=x, columns=topic, values=value, aggfunc="sum", sort=True)
    # Keep the topics in the table's order (topic number), not alphabetical.
    wide = wide[list(dict.fromkeys(data[topic]))]
    full_axis = _complete_axis(data[x], freq=freq)
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
    for index, name in enumerate(wide.columns):
        colour = colours(index % colours.N)
        ax.fill_between(positions, bottoms[:, index], tops[:, index], where=present,
                        color=colour, linewidth=0, label=str(name))
        if single.any():
            # An isolated period has no neighbour to make an area with: draw it as a bar.
            ax.bar(np.asarray(positions)[single], values[single, index], bottom=bottoms[single, index],
                   width=0.6 if not pd.api.types.is_datetime64_any_dtype(positions) else 200,
                   color=colour, linewidth=0)
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
    return _with_chinese_font(ax)


def _node_frequencies(graph, frequencies) -> dict:
    if frequencies is None:
        # Without term counts, a node's size follows the co-occurrences on its drawn edges.
        return {node: float(sum(data.get("count", 1) for *_, data in graph.edges(node, data=True)))
                for node in graph.nodes}
    if isinstance(frequencies, pd.DataFrame):
        _require_columns(frequencies, ["term", "count"], function="network")
        frequencies = frequencies.drop_duplicates("term").set_index("term")["count"]
    lookup = dict(frequencies.items()) if hasattr(frequencies, "items") else dict(frequencies)
    return {node: float(lookup.get(node, 0) or 0) for node in graph.nodes}


def _separate_labels(ax: Axes, positions: dict, labels: dict, *, rounds: int = 4, steps: int = 300) -> dict:
    """Move nodes apart until no two labels overlap; labels sit on their nodes.

    A spring layout places nodes without knowing how wide their labels are, so
    long CJK labels of nearby nodes collide. Each round fixes the axes limits,
    measures the labels in data units and pushes every overlapping pair apart
    along the axis where they overlap least (deterministic: no randomness, a
    fixed node order).
    """
    nodes = list(positions)
    points = np.array([positions[node] for node in nodes], dtype=float)
    renderer = ax.figure.canvas.get_renderer()
    gap = 1.08  # boxes kept a little apart so the white halos do not touch
    half = np.zeros((len(nodes), 2))
    for _ in range(rounds):
        low, high = points.min(axis=0), points.max(axis=0)
        # Room for the outermost labels, whose centres sit on the outermost nodes.
        margin = np.maximum(np.maximum((high - low) * 0.06, 0.05), 1.15 * half.max(axis=0))
        ax.set_xlim(low[0] - margin[0], high[0] + margin[0])
        ax.set_ylim(low[1] - margin[1], high[1] + margin[1])
        to_data = ax.transData.inverted()
        sizes = []
        for node in nodes:
            box = labels[node].get_window_extent(renderer)
            (x0, y0), (x1, y1) = to_data.transform([(box.x0, box.y0), (box.x1, box.y1)])
            sizes.append((abs(x1 - x0), abs(y1 - y0)))
        half = np.array(sizes) * gap / 2
        settled = True
        for _ in range(steps):
            dx = points[:, None, 0] - points[None, :, 0]
            dy = points[:, None, 1] - points[None, :, 1]
            overlap_x = half[:, None, 0] + half[None, :, 0] - np.abs(dx)
            overlap_y = half[:, None, 1] + half[None, :, 1] - np.abs(dy)
            clash = (overlap_x > 0) & (overlap_y > 0)
            np.fill_diagonal(clash, False)
            if not clash.any():
                break
            settled = False
            # Push along the cheaper axis; coincident points split by their order.
            along_x = overlap_x < overlap_y
            order = np.sign(np.arange(len(nodes))[:, None] - np.arange(len(nodes))[None, :])
            sign_x = np.where(dx != 0, np.sign(dx), order)
            sign_y = np.where(dy != 0, np.sign(dy), order)
            push_x = np.where(clash & along_x, sign_x * overlap_x / 2, 0.0).sum(axis=1)
            push_y = np.where(clash & ~along_x, sign_y * overlap_y / 2, 0.0).sum(axis=1)
            points += np.column_stack([push_x, push_y]) * 0.6
        else:
            settled = False
        if settled:
            break
    for node, point in zip(nodes, points):
        labels[node].set_position(point)
    return dict(zip(nodes, map(tuple, points)))


def network(
    graph,
    *,
    frequencies=None,
    random_state: int = 0,
    max_nodes: int = 60,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Draw a co-occurrence network: node size by frequency, edge width by weight, colour by community.

    Parameters
    ----------
    graph : networkx.Graph
        A graph from :func:`analysis.cooccurrence.cooccurrence_network` (edge
        ``weight``, node ``community``).
    frequencies : pandas.DataFrame or Series or dict, optional
        Term counts for the node sizes: a :func:`analysis.textstat.term_frequency`
        table (``term``, ``count``) or a term -> count mapping. By default the
        co-occurrence counts of each node's edges.
    random_state : int
        Seed of the spring layout, so the drawing is the same on every run.
    max_nodes : int
        Keep only the nodes with the largest frequencies (ties by term), so
        labels stay legible.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new 11 x 9 inch figure otherwise.
    title : str, optional
        Chart title; the legend names the edge measure.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import networkx as nx
    >>> graph = nx.Graph()
    >>> graph.add_edge("六稳", "六保", weight=0.8, count=3)
    >>> ax = network(graph)
    >>> sorted(text.get_text() for text in ax.texts)
    ['六保', '六稳']
    """
    import networkx as nx

    use_chinese_font()
    if not isinstance(graph, nx.Graph):
        raise TypeError(f"network: expected a networkx Graph, got {type(graph).__name__}")
    if max_nodes < 1:
        raise ValueError(f"network: max_nodes must be at least 1, got {max_nodes}")
    if ax is None:
        ax = _new_axes(11.0, 9.0)
    ax.set_axis_off()
    if graph.number_of_nodes() == 0:
        return _with_chinese_font(_no_data(ax, title=title))
    frequency = _node_frequencies(graph, frequencies)
    kept = sorted(graph.nodes, key=lambda node: (-frequency[node], str(node)))[:max_nodes]
    # Sorted node and edge order makes the seeded layout independent of insertion order.
    drawn = nx.Graph()
    drawn.add_nodes_from(sorted(kept, key=str))
    drawn.add_edges_from(
        sorted(((a, b, d) for a, b, d in graph.subgraph(kept).edges(data=True)), key=lambda e: (str(e[0]), str(e[1])))
    )
    weights = np.array([float(d.get("weight", 1.0)) for *_, d in drawn.edges(data=True)])
    if len(weights) and weights.max() > weights.min():
        scaled = (weights - weights.min()) / (weights.max() - weights.min())
    else:
        scaled = np.full(len(weights), 0.5)
    spread = 2.2 / math.sqrt(max(drawn.number_of_nodes(), 1))
    positions = nx.spring_layout(drawn, seed=random_state, k=spread, weight="weight", iterations=200)
    labels = {
        node: ax.text(0, 0, str(node), ha="center", va="center", fontsize=10, zorder=3,
                      bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "alpha": 0.7, "linewidth": 0})
        for node in drawn.nodes
    }
    positions = _separate_labels(ax, positions, labels)
    sizes = np.array([frequency[node] for node in drawn.nodes])
    if sizes.max() > 0:
        node_sizes = 120 + 1400 * np.sqrt(sizes / sizes.max())
    else:
        node_sizes = np.full(len(sizes), 300.0)
    communities = [drawn.nodes[node].get("community", graph.nodes[node].get("community", -1)) for node in drawn.nodes]
    palette = plt.get_cmap("tab10")
    colours = [palette(c % 10) if c is not None and c >= 0 else "#bbbbbb" for c in communities]
    nx.draw_networkx_edges(drawn, positions, ax=ax, width=0.5 + 4.0 * scaled, edge_color="#888888", alpha=0.55)
    nx.draw_networkx_nodes(drawn, positions, ax=ax, node_size=node_sizes, node_color=colours, alpha=0.8,
                           linewidths=0.5, edgecolors="white")
    measure = graph.graph.get("measure", "weight")
    ax.legend(
        handles=[
            matplotlib.lines.Line2D([], [], color="#888888", linewidth=4.5, label=f"edge width: {measure}"),
            matplotlib.lines.Line2D([], [], marker="o", linestyle="", markersize=12, color="#999999",
                                    label="node size: frequency"),
            matplotlib.lines.Line2D([], [], marker="o", linestyle="", markersize=8, color=palette(0),
                                    label="colour: community"),
        ],
        loc="lower left", fontsize=8, frameon=False,
    )
    hidden = graph.number_of_nodes() - drawn.number_of_nodes()
    if title or hidden:
        ax.set_title((title or "") + (f" ({hidden} less frequent terms not drawn)" if hidden else ""))
    return _with_chinese_font(ax)


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
    _require_columns(table, [term, value], function="wordcloud")
    if max_words < 1:
        raise ValueError(f"wordcloud: max_words must be at least 1, got {max_words}")
    if ax is None:
        ax = _new_axes(10.0, 5.5)
    ax.set_axis_off()
    weights = (
        table[[term, value]].dropna()
        .sort_values([value, term], ascending=[False, True], kind="mergesort")
        .head(max_words)
    )
    weights = weights[weights[value] > 0]
    if weights.empty:
        return _with_chinese_font(_no_data(ax, title=title))
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
    return _with_chinese_font(ax)


# Targets a report says it does not set, or states in no readable way (analysis.workreport).
_NO_TARGET_QUALIFIERS = ("none", "not stated")


def targets_over_time(
    targets: pd.DataFrame,
    *,
    indicator_id: str | None = "gdp_growth",
    ax: Axes | None = None,
    title: str | None = None,
    ylabel: str | None = None,
) -> Axes:
    """A target by year: a point (5%左右) or a low–high band (6.5%-7%), with gaps for absent years.

    Every year from the first to the last has a slot: a year without a
    document (the corpus has no 2020 report) is a gap in the line, and a
    year whose report sets no target (``qualifier`` ``"none"`` or ``"not
    stated"``, as :func:`analysis.workreport.extract_targets` writes) is
    marked with a cross on the axis. A point is labelled with its value and
    qualifier where they change. Several rows in one year (several provinces) are drawn
    as their envelope, lowest low to highest high.

    Parameters
    ----------
    targets : pandas.DataFrame
        ``year``, ``low``, ``high`` and optionally ``qualifier``, ``unit``
        and ``indicator_id`` (the table from
        :func:`analysis.workreport.extract_targets`).
    indicator_id : str or None, default "gdp_growth"
        Keep the rows of this indicator; None draws every row.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.
    title, ylabel : str, optional
        Chart title and value-axis label (default: the unit).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> targets = pd.DataFrame({"indicator_id": "gdp_growth", "year": [2019, 2021],
    ...                         "low": [6.0, 6.0], "high": [6.5, 6.0], "qualifier": ["区间", "以上"]})
    >>> ax = targets_over_time(targets)
    >>> [int(year) for year in ax.get_lines()[0].get_xdata()]
    [2019, 2020, 2021]
    """
    use_chinese_font()
    _require_columns(targets, ["year", "low", "high"], function="targets_over_time")
    rows = targets
    if indicator_id is not None and "indicator_id" in targets.columns:
        rows = targets[targets["indicator_id"] == indicator_id]
    rows = rows[rows["year"].notna()]
    if ax is None:
        ax = _new_axes(9.0, 4.0)
    if rows.empty:
        return _with_chinese_font(_no_data(ax, title=title))
    years = np.arange(int(rows["year"].min()), int(rows["year"].max()) + 1)
    valued = rows[rows["low"].notna()].astype({"year": "int64"})
    low = valued.groupby("year")["low"].min().reindex(years).to_numpy(dtype=float)
    high = valued.groupby("year")["high"].max().reindex(years).to_numpy(dtype=float)
    middle = (low + high) / 2
    ax.fill_between(years, low, high, color="#3a6ea5", alpha=0.25, linewidth=0, label="low–high")
    ax.plot(years, middle, marker="o", markersize=4, linewidth=1.5, color="#3a6ea5", label="target")
    ranged = high > low
    ax.vlines(years[ranged], low[ranged], high[ranged], color="#3a6ea5", linewidth=3)
    qualifiers = valued.groupby("year")["qualifier"].first() if "qualifier" in valued.columns else pd.Series(dtype=object)
    previous = None
    for year, lo, hi in zip(years, low, high):
        if np.isnan(lo):
            previous = None
            continue
        value = f"{lo:g}" if lo == hi else f"{lo:g}–{hi:g}"
        qualifier = qualifiers.get(year, "")
        label = value + (qualifier if isinstance(qualifier, str) and qualifier != "区间" else "")
        # A run of equal targets (8%左右 for seven years) is labelled once, where it starts.
        if label != previous:
            ax.annotate(label, (year, hi), xytext=(0, 6), textcoords="offset points", ha="left", fontsize=7, rotation=30)
        previous = label
    if "qualifier" in rows.columns:
        unset = sorted(set(rows.loc[rows["qualifier"].isin(_NO_TARGET_QUALIFIERS), "year"].astype(int)) - set(valued["year"]))
        if unset:
            ax.plot(unset, [0] * len(unset), linestyle="none", marker="x", color="#c0504d", clip_on=False,
                    label="no target set or stated")
    ax.set_ylim(bottom=0, top=np.nanmax(high) * 1.15 if np.isfinite(np.nanmax(high)) else 1)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("year")
    unit = str(valued["unit"].iloc[0]) if "unit" in valued.columns and not valued.empty else ""
    ax.set_ylabel(ylabel if ylabel is not None else unit)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    if title:
        ax.set_title(title)
    return _with_chinese_font(ax)


# ---------------------------------------------------------------------------
# Slogans over periods: a heat map for many slogans, small multiples for the top ones.

_GAP_COLOUR = "#d9d9d9"
_THIN_MARK = "#555555"
# Colour scale of the heat map stops at this quantile of the non-zero rates, so one
# thin period with an extreme rate does not wash out every other cell.
HEATMAP_QUANTILE = 0.95


def _period_grid(table: pd.DataFrame, *, row: str, period: str, value: str, function: str):
    """Wide row x period matrix over the full run of periods; NaN where a period has no documents."""
    _require_columns(table, [row, period, value], function=function)
    data = table.dropna(subset=[period])
    if data.empty:
        return None
    periods = data[period]
    if isinstance(periods.dtype, pd.PeriodDtype):
        columns = pd.period_range(periods.min(), periods.max(), freq=periods.dtype.freq)
    else:
        columns = pd.Index(sorted(periods.unique()))
    values = data.assign(_value=_as_float(data[value], function=function))
    grid = values.pivot_table(index=row, columns=period, values="_value", aggfunc="sum", dropna=False, sort=False)
    grid = grid.reindex(columns=columns)
    # A period without any document has no rate for any slogan: a gap, whatever the pivot filled in.
    present = set(data.loc[data[value].notna(), period])
    gaps = np.array([column not in present for column in columns])
    grid.loc[:, gaps] = np.nan
    return grid, gaps


def _thin_flags(table: pd.DataFrame, columns, thin, *, period: str) -> np.ndarray:
    if thin is None and "thin" in table.columns:
        flagged = table.loc[table["thin"].fillna(False).astype(bool), period]
        thin = set(flagged)
    thin = set(thin or ())
    return np.array([column in thin for column in columns])


def _period_ticks(ax: Axes, columns, *, axis: str = "x", max_labels: int = 24) -> None:
    step = max(1, math.ceil(len(columns) / max_labels))
    positions = np.arange(0, len(columns), step)
    ax.set_xticks(positions, labels=[str(columns[i]) for i in positions])
    ax.tick_params(axis="x", labelrotation=90 if step == 1 and len(columns) > 12 else 45, labelsize=8)


def _first_use_order(grid: pd.DataFrame) -> list:
    """Rows by first period with a mention, then by total (largest first), then by name."""
    values = grid.to_numpy(dtype=float)
    used = np.nan_to_num(values) > 0
    first = np.where(used.any(axis=1), used.argmax(axis=1), values.shape[1])
    total = np.nansum(values, axis=1)
    order = sorted(range(len(grid)), key=lambda i: (first[i], -total[i], str(grid.index[i])))
    return [grid.index[i] for i in order]


def _top_slogan_grid(timeline, *, row, period, value, ranking, n, thin, function):
    """The slogan x period grid of the ``n`` slogans ranked highest (all when None), in order of first
    use, with its gap columns and thin-period flags; None when nothing is dated."""
    result = _period_grid(timeline, row=row, period=period, value=value, function=function)
    if result is None:
        return None
    grid, gaps = result
    if n is not None:
        totals = timeline.groupby(row)[ranking].sum()
        grid = grid.loc[sorted(grid.index, key=lambda name: (-float(totals.get(name, 0) or 0), str(name)))[:n]]
    grid = grid.loc[_first_use_order(grid)]
    return grid, gaps, _thin_flags(timeline, grid.columns, thin, period=period)


def _no_slogans(timeline, *, ax, title):
    if ax is None:
        ax = _new_axes(8.0, 3.0)
    return _with_chinese_font(_no_data(ax, title=title or timeline.attrs.get("note")))


def slogan_heatmap(
    timeline: pd.DataFrame,
    *,
    row: str = "canonical",
    period: str = "period",
    value: str = "per_10k_chars",
    thin=None,
    max_rows: int | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    cmap: str = "YlOrRd",
) -> Axes:
    """Slogans x periods as a heat map: when each slogan appears, how intensely, and where the record is thin.

    Rows are ordered by first use (the first period with a mention), so the
    chart reads as a history from top to bottom. A white cell is a period
    whose documents do not mention the slogan; a hatched grey column is a
    period without any document (a gap in the sources, not a zero); a
    triangle above a column marks a *thin* period, whose little text makes
    its rates unreliable. The colour scale stops at the 95th percentile of the
    non-zero rates (cells above it take the darkest colour), so one thin
    period with an extreme rate cannot wash out the rest. Stays readable at
    40 slogans and 70 periods: the figure grows with the rows and period
    labels are thinned out.

    Parameters
    ----------
    timeline : pandas.DataFrame
        Long table, one row per slogan and period, e.g.
        :func:`analysis.slogans.slogan_timeline` (``canonical``, ``period``,
        ``per_10k_chars``; NaN rates for periods without documents). A
        boolean ``thin`` column, when present, marks thin periods.
    row, period, value : str
        Columns of the slogan, the period and the rate.
    thin : iterable, optional
        Thin periods (e.g. ``period_table(...)["period"][lambda p: ...]``);
        overrides a ``thin`` column.
    max_rows : int, optional
        Keep only the slogans with the most ``mentions`` (the largest summed
        rate without that column); all by default.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure sized for the matrix otherwise.
    title : str, optional
    cmap : str
        Sequential matplotlib colour map.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> table = pd.DataFrame({"canonical": ["六稳", "六稳", "六保", "六保"],
    ...                       "period": pd.PeriodIndex(["2019", "2020", "2019", "2020"], freq="Y"),
    ...                       "per_10k_chars": [0.0, 2.0, 1.0, 3.0]})
    >>> ax = slogan_heatmap(table)
    >>> [label.get_text() for label in ax.get_yticklabels()]
    ['六保', '六稳']
    """
    use_chinese_font()
    ranking = "mentions" if "mentions" in timeline.columns else value
    result = _top_slogan_grid(timeline, row=row, period=period, value=value, ranking=ranking, n=max_rows,
                              thin=thin, function="slogan_heatmap")
    if result is None:
        return _no_slogans(timeline, ax=ax, title=title)
    grid, gaps, thin_flags = result
    columns = grid.columns
    rows, n_periods = grid.shape
    if ax is None:
        ax = _new_axes(3.0 + _label_inches(grid.index) + max(6.0, 0.16 * n_periods), 2.2 + 0.28 * rows)
    values = grid.to_numpy(dtype=float)
    positive = values[np.nan_to_num(values) > 0]
    vmax = float(np.quantile(positive, HEATMAP_QUANTILE)) if len(positive) else 1.0
    vmax = vmax if vmax > 0 else 1.0
    colour_map = plt.get_cmap(cmap).with_extremes(bad="white")
    # Zero and gap cells are masked: white for "not mentioned", hatching added for gaps below.
    image = ax.imshow(np.ma.masked_where(~(np.nan_to_num(values) > 0), values), cmap=colour_map,
                      vmin=0.0, vmax=vmax, aspect="auto", interpolation="nearest")
    for column in np.flatnonzero(gaps):
        ax.add_patch(matplotlib.patches.Rectangle((column - 0.5, -0.5), 1.0, rows, facecolor=_GAP_COLOUR,
                                                  edgecolor="#9a9a9a", hatch="////", linewidth=0.0))
    thin_columns = np.flatnonzero(thin_flags & ~gaps)
    if len(thin_columns):
        ax.scatter(thin_columns, np.full(len(thin_columns), -0.95), marker="v", s=22, color=_THIN_MARK,
                   clip_on=False, zorder=4)
    ax.set_ylim(rows - 0.5, -1.4)
    ax.set_yticks(np.arange(rows), labels=[str(name) for name in grid.index])
    ax.tick_params(axis="y", labelsize=9, length=0)
    _period_ticks(ax, columns)
    # Faint row rules keep a long chart readable across its width.
    for boundary in np.arange(0.5, rows - 1, 1.0):
        ax.axhline(boundary, color="#f0f0f0", linewidth=0.6, zorder=3)
    ax.spines[["top", "right"]].set_visible(False)
    extend = "max" if len(positive) and positive.max() > vmax else "neither"
    colorbar = ax.figure.colorbar(image, ax=ax, shrink=min(0.8, 6.0 / max(rows, 1) + 0.3), extend=extend,
                                  pad=0.01)
    colorbar.set_label(value, fontsize=8)
    handles = [matplotlib.patches.Patch(facecolor="white", edgecolor="#999999", label="not mentioned"),
               matplotlib.patches.Patch(facecolor=_GAP_COLOUR, edgecolor="#9a9a9a", hatch="////",
                                        label="no documents (gap)")]
    if thin_flags.any():
        handles.append(matplotlib.lines.Line2D([], [], marker="v", linestyle="", color=_THIN_MARK,
                                               label="thin period (little text)"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.0, -0.07 if n_periods > 12 else -0.05),
              ncol=len(handles), fontsize=8, frameon=False)
    ax.set_xlabel("")
    ax.set_title(title if title is not None else "Slogans by period, in order of first use")
    return _with_chinese_font(ax)


def slogan_small_multiples(
    timeline: pd.DataFrame,
    *,
    n: int = 12,
    row: str = "canonical",
    period: str = "period",
    value: str = "per_10k_chars",
    count: str | None = "mentions",
    thin=None,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """One small chart per top slogan, stacked, each on its own scale: the shape of each career.

    Each band is one slogan's rate over the periods, scaled to its own peak
    (written at the right), so a rare slogan's rise and fall is as visible as
    a common one's. Breaks are periods without documents; grey columns are
    thin periods. Slogans are the ``n`` with the most mentions, in order of
    first use.

    Parameters
    ----------
    timeline : pandas.DataFrame
        As for :func:`slogan_heatmap`.
    n : int, default 12
        How many slogans.
    row, period, value : str
        Columns of the slogan, the period and the rate.
    count : str, optional
        Column ranking the slogans (summed); ``value`` when None or absent.
    thin : iterable, optional
        Thin periods; overrides a ``thin`` column.
    ax : matplotlib.axes.Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> table = pd.DataFrame({"canonical": ["六稳", "六稳", "六保", "六保"],
    ...                       "period": pd.PeriodIndex(["2019", "2020", "2019", "2020"], freq="Y"),
    ...                       "mentions": [0, 5, 1, 3], "per_10k_chars": [0.0, 2.0, 1.0, 3.0]})
    >>> ax = slogan_small_multiples(table, n=1)
    >>> [label.get_text() for label in ax.get_yticklabels()]
    ['六稳']
    """
    use_chinese_font()
    n = check_int(n, name="slogan_small_multiples: n")
    ranking = count if count is not None and count in timeline.columns else value
    result = _top_slogan_grid(timeline, row=row, period=period, value=value, ranking=ranking, n=n,
                              thin=thin, function="slogan_small_multiples")
    if result is None:
        return _no_slogans(timeline, ax=ax, title=title)
    grid, gaps, thin_flags = result
    columns = grid.columns
    rows, n_periods = grid.shape
    if ax is None:
        ax = _new_axes(2.5 + _label_inches(grid.index) + max(6.0, 0.14 * n_periods), 1.4 + 0.55 * rows)
    x = np.arange(n_periods)
    for column in np.flatnonzero(thin_flags & ~gaps):
        ax.axvspan(column - 0.5, column + 0.5, color="#000000", alpha=0.07, linewidth=0)
    for column in np.flatnonzero(gaps):
        ax.axvspan(column - 0.5, column + 0.5, facecolor="none", edgecolor="#c8c8c8", hatch="////", linewidth=0)
    palette = plt.get_cmap("tab10")
    clipped_any = False
    for position, name in enumerate(grid.index):
        series = grid.loc[name].to_numpy(dtype=float)
        # The scale comes from the periods with enough text: a thin period's rate is
        # drawn, but capped at the band's top (with a caret) instead of flattening the rest.
        steady = np.where(thin_flags, np.nan, series)
        reference = steady if np.isfinite(steady).any() and np.nanmax(steady) > 0 else series
        peak = np.nanmax(reference) if np.isfinite(reference).any() else 0.0
        scaled = series / peak if peak > 0 else np.where(np.isnan(series), np.nan, 0.0)
        clipped = np.nan_to_num(scaled) > 1.0
        scaled = np.minimum(scaled, 1.0)
        base = position + 0.42
        top = base - 0.8 * scaled
        colour = palette(position % 10)
        ax.fill_between(x, base, top, where=~np.isnan(scaled), color=colour, alpha=0.35, linewidth=0)
        ax.plot(x, top, color=colour, linewidth=1.2)
        if clipped.any():
            clipped_any = True
            ax.scatter(x[clipped], top[clipped] - 0.08, marker="^", s=14, color=colour, zorder=4)
        ax.text(n_periods - 0.3, position, f"peak {_format_number(peak)}", fontsize=7, va="center",
                ha="left", color="#444444", clip_on=False)
    if clipped_any or thin_flags.any():
        ax.text(0.0, -0.06 if n_periods <= 12 else -0.1,
                "grey columns: thin periods (little text), their rates capped at the band's top (^); "
                "hatched: no documents",
                transform=ax.transAxes, fontsize=8, color="#444444", va="top")
    ax.set_ylim(rows - 0.45, -0.55)
    ax.set_xlim(-0.5, n_periods - 0.5)
    ax.set_yticks(np.arange(rows), labels=[str(name) for name in grid.index])
    ax.tick_params(axis="y", labelsize=9, length=0)
    _period_ticks(ax, columns)
    ax.spines[["top", "right", "left"]].set_visible(False)
    ax.set_title(title if title is not None else f"Top {rows} slogans, each on its own scale ({value})")
    return _with_chinese_font(ax)


def _cluster_order(matrix: pd.DataFrame) -> list:
    """Terms in the leaf order of an average-linkage clustering, so blocks of related terms sit together."""
    if len(matrix) < 3:
        return list(matrix.index)
    from scipy.cluster.hierarchy import leaves_list, linkage
    from scipy.spatial.distance import squareform

    similarity = matrix.to_numpy(dtype=float)
    # Never seen together counts as less related than any measured pair.
    floor = np.nanmin(similarity) - 1.0 if np.isfinite(similarity).any() else 0.0
    similarity = np.nan_to_num(similarity, nan=floor)
    distance = similarity.max() - similarity
    np.fill_diagonal(distance, 0.0)
    distance = (distance + distance.T) / 2
    order = leaves_list(linkage(squareform(distance, checks=False), method="average", optimal_ordering=True))
    return [matrix.index[i] for i in order]


def association_heatmap(
    edges: pd.DataFrame,
    *,
    measure: str = "npmi",
    n: int = 30,
    min_count: int = 1,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Term x term heat map of an association measure, for the terms with the strongest associations.

    Terms are chosen by their strongest pair (highest ``measure`` among
    their edges with at least ``min_count`` shared contexts), not by raw
    frequency, and ordered by clustering, so blocks of terms that keep
    company show as dark squares along the diagonal. Pairs never seen
    together are grey; the colour scale is centred on 0 (independence) for
    ``npmi`` and ``pmi``.

    Parameters
    ----------
    edges : pandas.DataFrame
        :func:`analysis.cooccurrence.cooccurrence` (``term_a``, ``term_b``,
        ``count`` and the measure).
    measure : str, default "npmi"
    n : int, default 30
        Terms shown.
    min_count : int, default 1
        Ignore pairs seen together fewer times when choosing the terms.
    ax : matplotlib.axes.Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> edges = pd.DataFrame({"term_a": ["六稳", "六稳", "六保"], "term_b": ["六保", "就业", "就业"],
    ...                       "count": [5, 1, 2], "npmi": [0.9, 0.1, 0.4]})
    >>> ax = association_heatmap(edges, n=2)
    >>> sorted(label.get_text() for label in ax.get_xticklabels())
    ['六保', '六稳']
    """
    _require_columns(edges, ["term_a", "term_b", "count", measure], function="association_heatmap")
    if not isinstance(n, int) or isinstance(n, bool) or n < 2:
        raise ValueError(f"association_heatmap: n must be a whole number >= 2, got {n!r}")
    usable = edges[(edges["count"] >= min_count) & edges[measure].notna()]
    both = pd.concat([usable[["term_a", measure, "count"]].set_axis(["term", "value", "count"], axis=1),
                      usable[["term_b", measure, "count"]].set_axis(["term", "value", "count"], axis=1)])
    strongest = both.sort_values(["value", "count", "term"], ascending=[False, False, True], kind="stable")
    terms = list(dict.fromkeys(strongest["term"]))[:n]
    matrix = edges_to_matrix(usable, value=measure, n=None, fill_value=np.nan)
    matrix = matrix.reindex(index=terms, columns=terms)
    if not matrix.empty:
        order = _cluster_order(matrix)
        matrix = matrix.loc[order, order]
    diverging = measure in ("npmi", "pmi")
    limit = float(np.nanmax(np.abs(matrix.to_numpy(dtype=float)))) if matrix.notna().any().any() else 1.0
    return heatmap(
        matrix,
        ax=ax,
        title=title if title is not None else f"Strongest associations ({measure}), clustered",
        cmap="RdBu_r" if diverging else "Blues",
        vmin=-limit if diverging else None,
        vmax=limit if diverging else None,
        annotate=False,
        xlabel="",
        ylabel="",
    )


# Lag chart: how a cell that is not a plain observed lag is written.
_LAG_MARKS = {"left-censored": "≤", "same period": "≈"}


_LAG_EMPTY = {"not observed": "—", "no central date": "?"}


def lag_heatmap(
    lags: pd.DataFrame,
    *,
    by: str = "level",
    unit_days: float = 30.0,
    used_only: bool = True,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Slogans by levels (or regions), each cell coloured by the lag behind the central first use.

    Cells are written in months (``unit_days``): a plain number is an
    observed lag, ``≤n`` a left-censored one (the archive starts after the
    central first use, so the level may have used the slogan earlier), ``≈0``
    a first use in the same year or month as the central one, ``—`` no use in
    the archive and ``?`` no known central first use. Censored cells are
    hatched so they are not read as observed lags.

    Parameters
    ----------
    lags : pandas.DataFrame
        From :func:`analysis.diffusion.adoption_lags` (``canonical``,
        ``level``, ``region``, ``lag_days``, ``status``).
    by : {"level", "region"}
        Columns of the chart; the central level is left out.
    unit_days : float, default 30
        Days per unit written in the cells (30: months).
    used_only : bool, default True
        Draw only the slogans that some level below the centre used.
    ax : matplotlib.axes.Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> lags = pd.DataFrame({"canonical": ["六保"], "level": ["county"], "region": ["郑州高新区"],
    ...                      "lag_days": pd.array([45], dtype="Int64"), "status": ["left-censored"]})
    >>> ax = lag_heatmap(lags)
    >>> [text.get_text() for text in ax.texts]
    ['≤1.5']
    """
    use_chinese_font()
    _require_columns(lags, ["canonical", "level", "lag_days", "status"], function="lag_heatmap")
    if by not in ("level", "region"):
        raise ValueError(f"lag_heatmap: by must be 'level' or 'region', got {by!r}")
    table = lags[lags["level"] != "central"].copy()
    if used_only:
        used = set(table.loc[table["status"] != "not observed", "canonical"])
        table = table[table["canonical"].isin(used)]
    if by == "region":
        _require_columns(lags, ["region"], function="lag_heatmap")
        table["column"] = [
            f"{region} ({level})" if isinstance(region, str) else f"({level})"
            for level, region in zip(table["level"], table["region"])
        ]
    else:
        table["column"] = table["level"]
    rows = list(dict.fromkeys(table["canonical"]))
    # Levels from the highest down, so the chart reads as the path a slogan travels.
    rank = {level: number for number, level in enumerate(config.LEVELS)}
    columns = sorted(
        dict.fromkeys(table["column"]),
        key=lambda column: (rank.get(table.loc[table["column"] == column, "level"].iloc[0], len(rank)), column),
    )
    months = table["lag_days"].astype("Float64").astype("float64") / unit_days
    matrix = pd.DataFrame(np.nan, index=rows, columns=columns)
    for row, column, value in zip(table["canonical"], table["column"], months):
        matrix.loc[row, column] = value
    if ax is None:
        ax = _new_axes(2.5 + _label_inches(columns) + 0.8 * len(columns), 1.5 + _CELL_SIZE * len(rows))
    if matrix.empty:
        return _with_chinese_font(_no_data(ax, title=title))
    heatmap(matrix, ax=ax, title=title, cmap="YlOrRd", annotate=False, xlabel=by, ylabel="slogan")
    for row, column, value, status in zip(table["canonical"], table["column"], months, table["status"]):
        x, y = columns.index(column), rows.index(row)
        if status in _LAG_EMPTY:
            label = _LAG_EMPTY[status]
        else:
            label = _LAG_MARKS.get(status, "") + ("0" if status == "same period" else _format_number(round(value, 1)))
        if status in _LAG_MARKS:
            ax.add_patch(matplotlib.patches.Rectangle(
                (x - 0.5, y - 0.5), 1, 1, fill=False, hatch="//", edgecolor="#777777", linewidth=0,
            ))
        ax.text(x, y, label, ha="center", va="center", fontsize=8)
    if len(ax.figure.axes) > 1:
        ax.figure.axes[-1].set_ylabel(f"lag behind the central first use ({unit_days:g}-day units)")
    return _with_chinese_font(ax)


def adoption_curve(
    curve: pd.DataFrame,
    *,
    n: int = 8,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Share of regions that have used each slogan by each period, one step line per slogan.

    The solid line is the share of all regions; the dotted one the share of
    the regions whose archive had started, which is higher while archives
    are still opening (left-censoring).

    Parameters
    ----------
    curve : pandas.DataFrame
        From :func:`analysis.diffusion.adoption_curve` (``canonical``,
        ``start``, ``share``, ``share_observed``).
    n : int, default 8
        Draw the ``n`` slogans with the highest final share (ties: the
        earliest to reach it, then by name).
    ax : matplotlib.axes.Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> curve = pd.DataFrame({"canonical": ["六稳"] * 2, "start": pd.to_datetime(["2020-01-01", "2020-02-01"]),
    ...                       "share": [0.5, 1.0], "share_observed": [1.0, 1.0]})
    >>> ax = adoption_curve(curve)
    >>> [text.get_text() for text in ax.get_legend().get_texts()]
    ['六稳']
    """
    use_chinese_font()
    _require_columns(curve, ["canonical", "start", "share", "share_observed"], function="adoption_curve")
    if ax is None:
        ax = _new_axes(8.0, 4.0)
    if curve.empty:
        return _with_chinese_font(_no_data(ax, title=title))
    colours = plt.get_cmap("tab10")
    ordered = curve.sort_values("start", kind="stable")
    final = ordered.groupby("canonical", sort=False)["share"].last()
    reached = ordered[ordered["share"] >= ordered["canonical"].map(final)].groupby("canonical")["start"].min()
    chosen = sorted(final.index, key=lambda name: (-final[name], reached[name], str(name)))[:n]
    for number, canonical in enumerate(chosen):
        frame = ordered[ordered["canonical"] == canonical]
        frame = frame.sort_values("start")
        colour = colours(number % 10)
        ax.step(frame["start"], frame["share"], where="post", color=colour, label=str(canonical))
        ax.step(frame["start"], frame["share_observed"], where="post", color=colour, linestyle=":", linewidth=1)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("share of regions that have used it")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    if title:
        ax.set_title(title)
    return _with_chinese_font(ax)
