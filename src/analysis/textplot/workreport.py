"""Charts of work-report targets (:mod:`analysis.workreport`): a target by year."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from ..validation import InputError
from .style import (
    new_axes,
    no_data,
    require_plot_columns,
    use_chinese_font,
    with_chinese_font,
)

# Targets a report says it does not set, or states in no readable way (analysis.workreport).
_NO_TARGET_QUALIFIERS = ("none", "not stated")
# One look per series, in the order the indicators are asked for: the first a filled
# circle, the next a hollow square, so that GNP years never pass for GDP ones in grey print too.
_SERIES_STYLES = (
    {"color": "#3a6ea5", "marker": "o", "markerfacecolor": "#3a6ea5"},
    {"color": "#d17a22", "marker": "s", "markerfacecolor": "white"},
    {"color": "#4f8a3c", "marker": "^", "markerfacecolor": "white"},
    {"color": "#7d5ba6", "marker": "D", "markerfacecolor": "white"},
)


def _series_label(rows: pd.DataFrame, indicator) -> str:
    if "indicator" in rows.columns and rows["indicator"].notna().any():
        return str(rows["indicator"].dropna().iloc[0])
    return str(indicator) if indicator is not None else "target"


def targets_over_time(
    targets: pd.DataFrame,
    *,
    indicator_id: str | Sequence[str] | None = "gdp_growth",
    ax: Axes | None = None,
    title: str | None = None,
    ylabel: str | None = None,
) -> Axes:
    """Targets by year: a point (5%左右) or a low–high band (6.5%-7%), with gaps for absent years.

    Several indicators can share the chart, each with its own colour and
    marker and a legend entry named after the indicator: the headline growth
    target is set on GNP (国民生产总值) up to 1993 and on GDP (国内生产总值)
    from 1994, and ``indicator_id=["gdp_growth", "gnp_growth"]`` draws the
    two as distinct series, so that the GNP years do not pass for GDP ones.

    Years run from the first year with a target to the last year with a row;
    a year without a document (the corpus has no 2020 report) is a gap in
    the lines, and a year whose report sets none of the drawn targets
    (``qualifier`` ``"none"`` or ``"not stated"``, as
    :func:`analysis.workreport.extract_targets` writes) is marked with a
    cross on the axis. A target is placed at its ``target_year`` when the
    table has one (the 1980 report sets the plan for 1981), else at its
    ``year``. A point is labelled with its value and qualifier where they
    change. Several rows of one indicator in one year (several provinces)
    are drawn as their envelope, lowest low to highest high.

    Parameters
    ----------
    targets : pandas.DataFrame
        ``year``, ``low``, ``high`` and optionally ``target_year``,
        ``qualifier``, ``unit``, ``indicator_id`` and ``indicator`` (the
        table from :func:`analysis.workreport.extract_targets`).
    indicator_id : str, sequence of str or None, default "gdp_growth"
        The indicator or indicators to draw, one series each; None draws
        every row as one series.
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
    >>> both = pd.concat([targets, pd.DataFrame({"indicator_id": "gnp_growth", "year": [1993],
    ...                   "low": [8.0], "high": [8.0], "indicator": "GNP growth (国民生产总值增长)"})])
    >>> ax = targets_over_time(both, indicator_id=["gdp_growth", "gnp_growth"])
    >>> [text.get_text() for text in ax.get_legend().get_texts()][:2]
    ['gdp_growth', 'GNP growth (国民生产总值增长)']
    """
    use_chinese_font()
    require_plot_columns(targets, ["year", "low", "high"], function="targets_over_time")
    if isinstance(indicator_id, str) or indicator_id is None:
        wanted = [indicator_id]
    else:
        wanted = list(indicator_id)
        if not wanted or not all(isinstance(value, str) for value in wanted):
            raise InputError(f"targets_over_time: indicator_id must be a str, a non-empty list of str or None, got {indicator_id!r}")
    rows = targets.copy()
    when = "target_year" if "target_year" in rows.columns else "year"
    rows["_x"] = rows[when].where(rows[when].notna(), rows["year"])
    rows = rows[rows["_x"].notna()]
    if "indicator_id" in rows.columns and wanted != [None]:
        rows = rows[rows["indicator_id"].isin(wanted)]
    if ax is None:
        ax = new_axes(9.0, 4.0)
    valued = rows[rows["low"].notna()].astype({"_x": "int64"})
    if valued.empty:
        return with_chinese_font(no_data(ax, title=title))
    years = np.arange(int(valued["_x"].min()), int(rows["_x"].max()) + 1)
    top = 0.0
    for indicator, style in zip(wanted, _SERIES_STYLES * len(wanted)):
        series = valued if indicator is None or "indicator_id" not in valued.columns else valued[valued["indicator_id"] == indicator]
        if series.empty:
            continue
        low = series.groupby("_x")["low"].min().reindex(years).to_numpy(dtype=float)
        high = series.groupby("_x")["high"].max().reindex(years).to_numpy(dtype=float)
        top = max(top, float(np.nanmax(high)))
        color = style["color"]
        ax.fill_between(years, low, high, color=color, alpha=0.2, linewidth=0)
        ax.plot(years, (low + high) / 2, linewidth=1.5, markersize=5, label=_series_label(series, indicator), **style)
        ranged = high > low
        ax.vlines(years[ranged], low[ranged], high[ranged], color=color, linewidth=3)
        qualifiers = series.groupby("_x")["qualifier"].first() if "qualifier" in series.columns else pd.Series(dtype=object)
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
                ax.annotate(label, (year, hi), xytext=(0, 6), textcoords="offset points", ha="left", fontsize=7,
                            rotation=30, color=color)
            previous = label
    if "qualifier" in rows.columns:
        unset = set(rows.loc[rows["qualifier"].isin(_NO_TARGET_QUALIFIERS), "_x"].astype(int))
        unset = sorted(year for year in unset - set(valued["_x"]) if year >= years[0])
        if unset:
            ax.plot(unset, [0] * len(unset), linestyle="none", marker="x", color="#c0504d", clip_on=False,
                    label="no target set or stated")
    ax.set_ylim(bottom=0, top=top * 1.15 if top > 0 else 1)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("year the target is for" if when == "target_year" else "year")
    unit = str(valued["unit"].iloc[0]) if "unit" in valued.columns else ""
    ax.set_ylabel(ylabel if ylabel is not None else unit)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    if title:
        ax.set_title(title)
    return with_chinese_font(ax)
