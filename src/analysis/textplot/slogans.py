"""Charts of slogans over periods (:mod:`analysis.slogans`): a heat map for many slogans,
small multiples for the top ones.
"""

from __future__ import annotations

import math

import matplotlib.lines
import matplotlib.patches
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from ..validation import check_int
from .style import (
    as_float,
    format_number,
    label_inches,
    new_axes,
    no_data,
    require_plot_columns,
    use_chinese_font,
    with_chinese_font,
)

_GAP_COLOUR = "#d9d9d9"
_THIN_MARK = "#555555"
# Colour scale of the heat map stops at this quantile of the non-zero rates, so one
# thin period with an extreme rate does not wash out every other cell.
HEATMAP_QUANTILE = 0.95


def _period_grid(table: pd.DataFrame, *, row: str, period: str, value: str, function: str):
    """Wide row x period matrix over the full run of periods; NaN where a period has no documents."""
    require_plot_columns(table, [row, period, value], function=function)
    data = table.dropna(subset=[period])
    if data.empty:
        return None
    periods = data[period]
    if isinstance(periods.dtype, pd.PeriodDtype):
        columns = pd.period_range(periods.min(), periods.max(), freq=periods.dtype.freq)
    else:
        columns = pd.Index(sorted(periods.unique()))
    values = data.assign(_value=as_float(data[value], function=function))
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
        ax = new_axes(8.0, 3.0)
    return with_chinese_font(no_data(ax, title=title or timeline.attrs.get("note")))


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
        ax = new_axes(3.0 + label_inches(grid.index) + max(6.0, 0.16 * n_periods), 2.2 + 0.28 * rows)
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
    return with_chinese_font(ax)


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
        ax = new_axes(2.5 + label_inches(grid.index) + max(6.0, 0.14 * n_periods), 1.4 + 0.55 * rows)
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
        # A period between two gaps has no neighbour to draw a line to: it gets a short step of its own.
        present = np.concatenate([[False], ~np.isnan(scaled), [False]])
        for column in np.flatnonzero(present[1:-1] & ~present[:-2] & ~present[2:]):
            step = [column - 0.3, column + 0.3]
            ax.fill_between(step, base, top[column], color=colour, alpha=0.35, linewidth=0)
            ax.plot(step, [top[column]] * 2, color=colour, linewidth=1.2)
        if clipped.any():
            clipped_any = True
            ax.scatter(x[clipped], top[clipped] - 0.08, marker="^", s=14, color=colour, zorder=4)
        ax.text(n_periods - 0.3, position, f"peak {format_number(peak)}", fontsize=7, va="center",
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
    return with_chinese_font(ax)
