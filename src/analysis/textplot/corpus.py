"""Charts of a corpus table (:func:`analysis.corpus.load_corpus`): documents per period."""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.patches
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from ..periods import PERIODS, check_period, choose_period, period_table
from ..validation import check_choice
from .style import new_axes, require_plot_columns, use_chinese_font, with_chinese_font
from .terms import bar_terms

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
    require_plot_columns(corpus, ["date"], function="documents_over_time")
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
        ax = new_axes(min(4.0 + 0.12 * len(slots), 16.0), 4.0)
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
    return with_chinese_font(ax)
