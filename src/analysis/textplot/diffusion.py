"""Charts of diffusion (:mod:`analysis.diffusion`): lags behind the centre, adoption curves."""

from __future__ import annotations

import matplotlib.patches
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from .. import config
from .charts import heatmap
from .style import (
    CELL_SIZE,
    format_number,
    label_inches,
    new_axes,
    no_data,
    require_plot_columns,
    use_chinese_font,
    with_chinese_font,
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
    require_plot_columns(lags, ["canonical", "level", "lag_days", "status"], function="lag_heatmap")
    if by not in ("level", "region"):
        raise ValueError(f"lag_heatmap: by must be 'level' or 'region', got {by!r}")
    table = lags[lags["level"] != "central"].copy()
    if used_only:
        used = set(table.loc[table["status"] != "not observed", "canonical"])
        table = table[table["canonical"].isin(used)]
    if by == "region":
        require_plot_columns(lags, ["region"], function="lag_heatmap")
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
        ax = new_axes(2.5 + label_inches(columns) + 0.8 * len(columns), 1.5 + CELL_SIZE * len(rows))
    if matrix.empty:
        return with_chinese_font(no_data(ax, title=title))
    heatmap(matrix, ax=ax, title=title, cmap="YlOrRd", annotate=False, xlabel=by, ylabel="slogan")
    for row, column, value, status in zip(table["canonical"], table["column"], months, table["status"]):
        x, y = columns.index(column), rows.index(row)
        if status in _LAG_EMPTY:
            label = _LAG_EMPTY[status]
        else:
            label = _LAG_MARKS.get(status, "") + ("0" if status == "same period" else format_number(round(value, 1)))
        if status in _LAG_MARKS:
            ax.add_patch(matplotlib.patches.Rectangle(
                (x - 0.5, y - 0.5), 1, 1, fill=False, hatch="//", edgecolor="#777777", linewidth=0,
            ))
        ax.text(x, y, label, ha="center", va="center", fontsize=8)
    if len(ax.figure.axes) > 1:
        ax.figure.axes[-1].set_ylabel(f"lag behind the central first use ({unit_days:g}-day units)")
    return with_chinese_font(ax)


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
    require_plot_columns(curve, ["canonical", "start", "share", "share_observed"], function="adoption_curve")
    if ax is None:
        ax = new_axes(8.0, 4.0)
    if curve.empty:
        return with_chinese_font(no_data(ax, title=title))
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
    return with_chinese_font(ax)
