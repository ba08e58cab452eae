"""The plotting setup every chart shares: the Chinese font, new figures sized for their data,
the "no data" panel, the column check and how numbers are written on a chart.

The font comes from the ``mplfonts`` package, which ships Noto Sans CJK SC, so a
chart renders the same on a bare CI machine as on a desktop with CJK fonts.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import matplotlib.text
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.axes import Axes

FONT_FILE = "NotoSansCJKsc-Regular.otf"

# Inches per bar / per matrix row; chosen so 10-pt CJK labels never touch.
BAR_HEIGHT = 0.3
CELL_SIZE = 0.42
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
    nothing. Every plot function in :mod:`analysis.textplot` calls it.

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


def with_chinese_font(ax: Axes) -> Axes:
    """Point every text of ``ax`` at the CJK font, including those made before it was set.

    Titles, axis labels and tick labels are created with the axes, so an Axes
    made under another concrete font family would keep it and draw tofu.

    Examples
    --------
    >>> ax = with_chinese_font(new_axes(4, 3))
    >>> ax.title.get_fontfamily() == matplotlib.rcParams["font.family"]
    True
    """
    family = matplotlib.rcParams["font.family"]
    for text in ax.findobj(matplotlib.text.Text):
        text.set_fontfamily(family)
    return ax


def require_plot_columns(table: pd.DataFrame, columns: list[str | None], *, function: str) -> None:
    """Check that a chart's ``table`` is a DataFrame with ``columns`` (None entries are ignored).

    Raises ``TypeError`` for another object and ``KeyError`` naming ``function``
    and the missing columns.

    Examples
    --------
    >>> require_plot_columns(pd.DataFrame({"term": []}), ["term", "count"], function="bar_terms")
    Traceback (most recent call last):
    ...
    KeyError: "bar_terms: column(s) ['count'] not in the table; it has ['term']"
    """
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"{function}: expected a pandas DataFrame, got {type(table).__name__}")
    missing = [column for column in columns if column is not None and column not in table.columns]
    if missing:
        raise KeyError(
            f"{function}: column(s) {missing} not in the table; it has {list(table.columns)}"
        )


def new_axes(width: float, height: float) -> Axes:
    """Axes on a new figure of ``width`` x ``height`` inches, kept between 4 x 2.5 and 30 x 30.

    Examples
    --------
    >>> [float(inches) for inches in new_axes(2.0, 50.0).figure.get_size_inches()]
    [4.0, 30.0]
    """
    width = min(max(width, 4.0), _MAX_FIGURE_INCHES)
    height = min(max(height, 2.5), _MAX_FIGURE_INCHES)
    # Constrained layout makes room for long labels and an outside legend.
    figure = plt.figure(figsize=(width, height), layout="constrained")
    return figure.add_subplot()


def label_inches(labels) -> float:
    """Inches the longest of ``labels`` takes at 10 pt.

    Examples
    --------
    >>> round(label_inches(["六稳", "保市场主体"]), 2)
    0.7
    """
    # A CJK glyph is about as wide as the font is tall (10 pt ~ 0.14 in).
    longest = max((len(str(label)) for label in labels), default=0)
    return 0.14 * longest


def no_data(ax: Axes, *, title: str | None) -> Axes:
    """Write "no data" across ``ax`` (no ticks) and return it.

    Examples
    --------
    >>> [text.get_text() for text in no_data(new_axes(4, 3), title=None).texts]
    ['无数据 (no data)']
    """
    ax.text(0.5, 0.5, "无数据 (no data)", ha="center", va="center", transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title)
    return ax


def as_float(series: pd.Series, *, function: str) -> np.ndarray:
    """The values of a numeric ``series`` as floats; ``TypeError`` naming ``function`` otherwise.

    Examples
    --------
    >>> as_float(pd.Series([1, None], dtype="Int64"), function="timeline")
    array([ 1., nan])
    """
    # Nullable integer columns (Int64 with <NA> for gaps) become NaN here.
    if not (pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series)):
        raise TypeError(f"{function}: column {series.name!r} must be numeric, got {series.dtype}")
    return series.astype("float64").to_numpy()


def format_cell(value: float) -> str:
    """A heat-map cell's number: whole numbers and large values without decimals, others with two.

    Examples
    --------
    >>> format_cell(0.4567), format_cell(1234.5)
    ('0.46', '1,234')
    """
    # Two decimals read well for shares and association scores; big counts need none.
    if float(value).is_integer() or abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.2f}"


def format_number(value: float) -> str:
    """A number written next to a bar: thousands separated, three significant digits below 100.

    Examples
    --------
    >>> format_number(2390.4), format_number(0.12345), format_number(None)
    ('2,390', '0.123', '')
    """
    if value is None or pd.isna(value):
        return ""
    value = float(value)
    if float(value).is_integer():
        return f"{int(value):,}"
    if abs(value) >= 100:
        # "2.39e+03" is hard to read next to a bar; whole numbers are precise enough here.
        return f"{value:,.0f}"
    return f"{value:.3g}"
