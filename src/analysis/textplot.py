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
from pathlib import Path

import matplotlib
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import matplotlib.text
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

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
    return f"{value:.3g}"


def bar_terms(
    table: pd.DataFrame,
    *,
    term: str = "term",
    value: str = "count",
    top_n: int = 30,
    ax: Axes | None = None,
    title: str | None = None,
    xlabel: str | None = None,
) -> Axes:
    """Ranked horizontal bars of the ``top_n`` largest values, largest on top.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per term, e.g. the output of
        :func:`analysis.textstat.term_frequency`.
    term, value : str
        Columns holding the bar labels and the bar lengths.
    top_n : int
        Number of bars; ties at the cut are broken by the label, so the chart
        is the same on every run.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure sized for ``top_n`` bars otherwise.
    title, xlabel : str, optional
        Chart title and value-axis label (defaults to ``value``).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"term": ["发展", "改革", "稳就业"], "count": [9, 4, 2]})
    >>> ax = bar_terms(table, top_n=2)
    >>> [label.get_text() for label in ax.get_yticklabels()]
    ['发展', '改革']
    """
    use_chinese_font()
    _require_columns(table, [term, value], function="bar_terms")
    if top_n < 1:
        raise ValueError(f"bar_terms: top_n must be at least 1, got {top_n}")
    ranked = (
        table[[term, value]]
        .dropna(subset=[value])
        .sort_values([value, term], ascending=[False, True], kind="mergesort")
        .head(top_n)
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
    >>> table = pd.DataFrame({"year": [2019, 2021], "per_10k": [1.5, 2.0]})
    >>> ax = timeline(table, x="year", y="per_10k")
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


_PERIOD_CODES = {"year": "Y", "month": "M", "day": "D"}
# Bar width as a share of the period, in days.
_PERIOD_DAYS = {"Y": 365.0, "M": 30.0, "D": 1.0}


def _automatic_period(dates: pd.Series) -> str:
    span = dates.max() - dates.min()
    if span > pd.Timedelta(days=3 * 366):
        return "year"
    if span > pd.Timedelta(days=62):
        return "month"
    return "day"


def documents_over_time(
    corpus: pd.DataFrame,
    *,
    period: str | None = None,
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
    period : {"year", "month", "day"}, optional
        Bar width; by default chosen from the date span (over three years:
        years; over two months: months; otherwise days).
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
    if period is not None and period not in _PERIOD_CODES:
        raise ValueError(
            f"documents_over_time: period must be one of {sorted(_PERIOD_CODES)} or None, got {period!r}"
        )
    dates = pd.to_datetime(corpus["date"])
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
            top_n=max(len(per_source), 1),
            ax=ax,
            title=f"{title or 'Documents'} by source (no document is dated)",
            xlabel="documents",
        )
    code = _PERIOD_CODES[period or _automatic_period(dated)]
    periods = dated.dt.to_period(code)
    slots = pd.period_range(periods.min(), periods.max(), freq=code)
    counts = periods.value_counts().reindex(slots, fill_value=0)
    if ax is None:
        ax = _new_axes(min(4.0 + 0.12 * len(slots), 16.0), 4.0)
    ax.bar(
        slots.to_timestamp(),
        counts.to_numpy(dtype=float),
        width=0.8 * _PERIOD_DAYS[code],
        align="edge",
        color="#3a6ea5",
    )
    locator = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    label = {"Y": "year", "M": "month", "D": "day"}[code]
    ax.set_xlabel(f"{label}" + (f" ({undated:,} undated documents not shown)" if undated else ""))
    ax.set_ylabel("documents")
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
    top_n: int | None = None,
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
    top_n : int, optional
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
    if top_n is not None:
        order = order[:top_n]
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
    top_n: int | None = 20,
    fill_value: float = 0.0,
) -> pd.DataFrame:
    """Square term-by-term matrix from an edge list, for :func:`heatmap`.

    Edges are undirected: each one fills both ``[a, b]`` and ``[b, a]``. The
    terms kept are the ``top_n`` with the largest sum of ``value`` over their
    edges, ordered by that sum (ties by term).

    Parameters
    ----------
    edges : pandas.DataFrame
        One row per pair, e.g. :func:`analysis.cooccurrence.cooccurrence`.
    source, target, value : str
        Columns holding the two terms and the edge weight.
    top_n : int, optional
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
    if top_n is not None:
        terms = terms[:top_n]
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
