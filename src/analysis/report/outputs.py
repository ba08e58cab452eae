"""What a notebook calls to save and show its tables and figures, and the files they land in.

Notebooks import these through ``from analysis import report`` (``report.show_table``,
``report.save_figure``, ...); the runner passes ``output_dir``.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pandas as pd

from .. import display

FIGURE_DPI = 150
# Fixed so the ids inside SVG files do not change from run to run.
SVG_HASH_SALT = "analysis-report"
OUTPUT_NAME_PATTERN = re.compile(r"^[^\W_][\w.-]*$")


def _check_output_name(name: str, *, kind: str) -> str:
    if not isinstance(name, str) or not OUTPUT_NAME_PATTERN.fullmatch(name):
        raise ValueError(
            f"{kind} name {name!r} must be a plain file name of letters, digits, '-', '_' or '.', "
            "not starting with '.', '-' or '_' and without a folder"
        )
    return name


def save_table(
    df: pd.DataFrame,
    name: str,
    *,
    output_dir: str | os.PathLike | None = None,
    index: bool = False,
) -> pd.DataFrame:
    """Write a table as ``<output_dir>/tables/<name>.csv`` and hand it back for display.

    Nothing is written when ``output_dir`` is None (a notebook run by hand).
    The CSV is UTF-8 with ``\\n`` line ends and floats written with 10
    significant digits, so the same table always gives the same bytes.

    Parameters
    ----------
    df : pandas.DataFrame
        The table.
    name : str
        File stem, e.g. ``"02-slogan-counts"``.
    output_dir : path-like, optional
        The report's build folder, as passed to the notebook by papermill.
    index : bool
        Write the index as well.

    Returns
    -------
    pandas.DataFrame
        ``df`` itself, so a notebook cell can end with this call.

    Examples
    --------
    >>> import pandas as pd
    >>> save_table(pd.DataFrame({"term": ["发展"], "count": [3]}), "terms")
      term  count
    0   发展      3
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"save_table({name!r}): expected a pandas DataFrame, got {type(df).__name__}")
    _check_output_name(name, kind="table")
    if output_dir is None:
        return df
    folder = Path(output_dir) / "tables"
    folder.mkdir(parents=True, exist_ok=True)
    df.to_csv(
        folder / f"{name}.csv",
        index=index,
        encoding="utf-8",
        lineterminator="\n",
        float_format="%.10g",
    )
    return df


# A page shows every row of a table up to this many; beyond, the first rows and the CSV
# (54,000 rows of TF-IDF terms make a 9 MB page and a PDF Chromium cannot print).
SHOW_MAX_ROWS = 1_000


def _table_href(name: str, output_dir) -> str | None:
    # Pages sit at the top of the report folder, tables in tables/.
    return f"tables/{name}.csv" if output_dir is not None else None


def show_table(
    df: pd.DataFrame,
    name: str,
    *,
    output_dir: str | os.PathLike | None = None,
    caption: str | None = None,
    index: bool = False,
    max_rows: int | None = SHOW_MAX_ROWS,
):
    """Save a table (see :func:`save_table`) and show it whole, with its CSV linked beside it.

    Every row is on the page, in a box that scrolls (and prints in full), so
    a 71-row life-cycle table is not cut to its first ten rows. Only a table
    longer than ``max_rows`` (the TF-IDF terms of 5,000 news items) shows
    its first rows, and says so; the CSV always has all of them. Chinese text
    columns are left-aligned, numbers right-aligned, year-only dates shown as
    ``2025`` (:func:`analysis.display.table_html`).

    Parameters
    ----------
    df : pandas.DataFrame
    name : str
        File stem of the CSV, e.g. ``"02-slogan-lifecycle"``.
    output_dir : path-like, optional
        The report's build folder; without it nothing is written or linked.
    caption : str, optional
        What the table is for (whose partners, which slogan); defaults to
        ``df.attrs["note"]``.
    index : bool, default False
        Save and show the index too.
    max_rows : int, optional
        Rows shown at most (default :data:`SHOW_MAX_ROWS`); None shows every row.

    Returns
    -------
    IPython.display.HTML

    Examples
    --------
    >>> import pandas as pd
    >>> shown = show_table(pd.DataFrame({"term": ["发展"], "count": [3]}), "terms")
    >>> "发展" in shown.data
    True
    """
    from IPython.display import HTML

    save_table(df, name, output_dir=output_dir, index=index)
    return HTML(display.table_html(df, href=_table_href(name, output_dir), caption=caption, index=index,
                                   max_rows=max_rows))


def link_table(
    df: pd.DataFrame,
    name: str,
    *,
    output_dir: str | os.PathLike | None = None,
    caption: str | None = None,
    index: bool = False,
):
    """Save a table and show only a link to its CSV: for a table the page already shows as a chart.

    Keeps each page to one view of each result (the chart), with the numbers
    one click away.

    Parameters
    ----------
    df, name, output_dir, caption, index
        As for :func:`show_table`.

    Returns
    -------
    IPython.display.HTML

    Examples
    --------
    >>> import pandas as pd
    >>> link_table(pd.DataFrame({"a": [1]}), "t", output_dir=None).data
    '<p class="report-table-caption">1 row · table not saved (no output_dir)</p>'
    """
    from IPython.display import HTML

    save_table(df, name, output_dir=output_dir, index=index)
    return HTML(display.table_link_html(df, href=_table_href(name, output_dir), caption=caption))


def save_figure(ax_or_fig, name: str, *, output_dir: str | os.PathLike | None = None):
    """Write a chart as ``<output_dir>/figures/<name>.png`` (150 dpi) and ``.svg``.

    Nothing is written when ``output_dir`` is None. Metadata that changes from
    run to run (creation date, random SVG ids) is left out. In a notebook kernel
    (Jupyter's inline backend) the PNG written is what the notebook shows, and
    the figure is closed, so it is not drawn once more when the cell ends.

    Parameters
    ----------
    ax_or_fig : matplotlib.axes.Axes or matplotlib.figure.Figure
        The chart, e.g. what a :mod:`analysis.textplot` function returned.
    name : str
        File stem, e.g. ``"03-top-terms"``.
    output_dir : path-like, optional
        The report's build folder, as passed to the notebook by papermill.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> figure, ax = plt.subplots()
    >>> save_figure(ax, "empty") is figure
    True
    """
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure, SubFigure

    if isinstance(ax_or_fig, Axes):
        figure = ax_or_fig.figure
    elif isinstance(ax_or_fig, (Figure, SubFigure)):
        figure = ax_or_fig
    else:
        raise TypeError(
            f"save_figure({name!r}): expected a matplotlib Axes or Figure, got {type(ax_or_fig).__name__}"
        )
    if isinstance(figure, SubFigure):
        figure = figure.figure
    _check_output_name(name, kind="figure")
    if output_dir is None:
        return figure
    import matplotlib

    folder = Path(output_dir) / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    png = io.BytesIO()
    figure.savefig(png, format="png", dpi=FIGURE_DPI, bbox_inches="tight", metadata={"Software": None})
    (folder / f"{name}.png").write_bytes(png.getvalue())
    with matplotlib.rc_context({"svg.hashsalt": SVG_HASH_SALT}):
        figure.savefig(folder / f"{name}.svg", bbox_inches="tight", metadata={"Date": None})
    if inline_backend():
        show_saved_png(figure, png.getvalue())
    return figure


def inline_backend() -> bool:
    """Whether figures are shown by Jupyter's inline backend (a notebook kernel, headless or not)."""
    import matplotlib

    return "inline" in matplotlib.get_backend()


def show_saved_png(figure, png: bytes) -> None:
    """Show the PNG just written in place of the figure, and close the figure.

    Left open, the inline backend would draw the figure a third time when the
    cell ends (after the PNG and the SVG), a third of the figure's drawing time. The saved PNG has more pixels than the
    inline one (``FIGURE_DPI`` against the figure's dpi), so it is shown at the
    size the inline drawing had, and prints sharper.
    """
    import matplotlib.pyplot as plt
    from IPython.display import Image, display

    # A PNG's width is the first field of its IHDR chunk, right after the signature.
    pixel_width = int.from_bytes(png[16:20], "big")
    display(Image(data=png, format="png", width=round(pixel_width * figure.dpi / FIGURE_DPI)))
    plt.close(figure)


def relative_files(folder: Path, pattern: str) -> list[str]:
    return sorted(path.relative_to(folder).as_posix() for path in folder.glob(pattern) if path.is_file())
