"""Charts of work-report targets (:mod:`analysis.workreport`): a target by year."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from .style import (
    new_axes,
    no_data,
    require_plot_columns,
    use_chinese_font,
    with_chinese_font,
)

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
    require_plot_columns(targets, ["year", "low", "high"], function="targets_over_time")
    rows = targets
    if indicator_id is not None and "indicator_id" in targets.columns:
        rows = targets[targets["indicator_id"] == indicator_id]
    rows = rows[rows["year"].notna()]
    if ax is None:
        ax = new_axes(9.0, 4.0)
    if rows.empty:
        return with_chinese_font(no_data(ax, title=title))
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
    return with_chinese_font(ax)
