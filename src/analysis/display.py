"""How tables, dates and documents are shown to a reader of the report.

The report's pages are read by historians and political scientists, often in
print: a document is named by its year and a short title, not by an internal
id; a date known only to the year reads ``2025``, not ``2025-01-01``; a table
is shown whole (scrolling inside the page, printed in full) with its CSV
linked beside it; Chinese text columns read from the left, numbers from the
right. This module turns tables into that HTML; :mod:`analysis.report` puts it
on the pages.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote

import numpy as np
import pandas as pd

# Object columns whose median value is longer than this get room to wrap (sentences, KWIC context).
LONG_TEXT_CHARS = 20
# The language of every page: Simplified Chinese, so browsers pick Chinese, not Japanese, glyph forms.
PAGE_LANGUAGE = "zh-Hans"

DATE_FORMATS = {"year": "%Y", "month": "%Y-%m", "day": "%Y-%m-%d"}

CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei")
"""Simplified Chinese fonts the pages ask for, in order: Noto/Source Han (Linux, and the font
the charts use), then those of macOS and Windows. Without a name the browser falls back to
whatever font it finds for a character, which may draw Japanese glyph forms or nothing at all."""
_CJK_STACK = ", ".join(f'"{font}"' for font in CJK_FONTS)
FONT_FAMILY = _CJK_STACK + ', system-ui, -apple-system, BlinkMacSystemFont, "Segoe UI", Helvetica, Arial, sans-serif'
"""The CSS font stack of every page and the index: :data:`CJK_FONTS`, then the families
JupyterLab's page style names."""
# Code and plain-text output keep their monospaced fonts; the Chinese ones come before the
# generic monospace, which names no Chinese font either.
CODE_FONT_FAMILY = 'menlo, consolas, "DejaVu Sans Mono", ' + _CJK_STACK + ", monospace"

# Styles added to every notebook page (after the notebook CSS, so they win). The notebook CSS
# sets its fonts through JupyterLab's variables, which name no Chinese font.
PAGE_STYLE = f"""
:root {{ --jp-ui-font-family: {FONT_FAMILY}; --jp-content-font-family: {FONT_FAMILY};
  --jp-code-font-family: {CODE_FONT_FAMILY}; }}
body {{ font-family: {FONT_FAMILY}; }}
.jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th {{ text-align: left; }}
.report-table-caption {{ font-size: 0.9em; color: #444; margin: 0.6em 0 0.2em; }}
.report-table-wrap {{ max-height: 36em; overflow: auto; border: 1px solid #ddd; margin: 0 0 1.2em; }}
.jp-RenderedHTMLCommon .report-table {{ border-collapse: collapse; font-size: 12.5px; margin: 0; }}
.jp-RenderedHTMLCommon .report-table th {{ position: sticky; top: 0; background: #f2f2f2; z-index: 1; }}
.jp-RenderedHTMLCommon .report-table td, .jp-RenderedHTMLCommon .report-table th {{
  text-align: left; vertical-align: top; padding: 0.2em 0.6em; border-bottom: 1px solid #eee; white-space: nowrap; }}
.jp-RenderedHTMLCommon .report-table td.num, .jp-RenderedHTMLCommon .report-table th.num {{
  text-align: right; font-variant-numeric: tabular-nums; }}
.jp-RenderedHTMLCommon .report-table td.long {{ min-width: 24em; max-width: 40em; white-space: normal; }}
@media print {{
  .report-table-wrap {{ max-height: none; overflow: visible; border: none; }}
  .report-table th {{ position: static; }}
  .jp-Cell, figure, img {{ break-inside: avoid; }}
  .report-nav {{ display: none; }}
}}
"""



def format_dates(dates, precision=None) -> pd.Series:
    """Dates as text, as precise as they are known: ``2025``, ``2022-06`` or ``2022-06-02``.

    Parameters
    ----------
    dates : sequence or pandas.Series
        Anything :func:`pandas.to_datetime` reads; unreadable values and NaT
        become empty strings.
    precision : str, sequence or pandas.Series, optional
        ``"year"``, ``"month"`` or ``"day"`` for all dates or for each
        (the ``date_precision`` column of :func:`analysis.corpus.load_corpus`).
        Without it, a column whose dates all fall on 1 January is taken to be
        known to the year only; anything else is shown to the day.

    Returns
    -------
    pandas.Series
        Strings, with the index of ``dates`` when it is a Series.

    Examples
    --------
    >>> format_dates(pd.to_datetime(["2024-01-01", "2025-01-01"])).tolist()
    ['2024', '2025']
    >>> format_dates(["2022-06-02", None]).tolist()
    ['2022-06-02', '']
    >>> format_dates(["2022-06-01"], precision="month").tolist()
    ['2022-06']
    """
    index = dates.index if isinstance(dates, pd.Series) else None
    values = pd.Series(pd.to_datetime(pd.Series(dates, index=index), errors="coerce"), index=index)
    if precision is None:
        present = values.dropna()
        yearly = len(present) > 0 and bool(((present.dt.month == 1) & (present.dt.day == 1)
                                             & (present == present.dt.normalize())).all())
        precision = "year" if yearly else "day"
    if isinstance(precision, str) or precision is None:
        precision = pd.Series(precision, index=values.index, dtype="object")
    else:
        precision = pd.Series(list(precision), index=values.index, dtype="object")
    unknown = sorted({str(p) for p in precision.dropna()} - set(DATE_FORMATS))
    if unknown:
        raise ValueError(f"format_dates: unknown date precision {unknown}; use one of {list(DATE_FORMATS)}")
    text = pd.Series("", index=values.index, dtype="object")
    for level, pattern in DATE_FORMATS.items():
        chosen = values.notna() & (precision.fillna("day") == level)
        text[chosen] = values[chosen].dt.strftime(pattern)
    return text.astype("str")


def label_documents(table: pd.DataFrame, corpus: pd.DataFrame, *, column: str = "document") -> pd.DataFrame:
    """The table with a readable ``document`` column (date and short title) before ``doc_id``.

    Parameters
    ----------
    table : pandas.DataFrame
        Any table with a ``doc_id`` column (mentions, KWIC lines, TF-IDF terms).
    corpus : pandas.DataFrame
        The corpus the ids come from; labels are
        :func:`analysis.corpus.document_labels`.
    column : str, default "document"
        Name of the new column.

    Returns
    -------
    pandas.DataFrame
        A copy; ``doc_id`` is kept so every row can still be traced back.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a"], "date": pd.to_datetime(["2020-06-02"]), "title": ["高新区新闻"]})
    >>> label_documents(pd.DataFrame({"doc_id": ["a"], "term": ["扶贫"]}), corpus).columns.tolist()
    ['document', 'doc_id', 'term']
    """
    if not isinstance(table, pd.DataFrame) or "doc_id" not in table.columns:
        raise ValueError("label_documents: the table needs a doc_id column")
    from .corpus import document_labels

    labels = document_labels(corpus)
    unknown = sorted(set(table["doc_id"]) - set(labels.index), key=str)
    if unknown:
        raise ValueError(f"label_documents: doc_id(s) not in the corpus: {unknown[:5]}")
    labelled = table.copy()
    labelled.insert(int(labelled.columns.get_loc("doc_id")), column, table["doc_id"].map(labels).to_numpy())
    labelled.attrs = dict(table.attrs)
    return labelled


def _is_numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def _number_text(value) -> str:
    if value is None or pd.isna(value):
        return ""
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if abs(value) >= 1e4:
        return f"{value:,.0f}"
    return f"{value:.4g}"


def _column_text(series: pd.Series) -> list[str]:
    if pd.api.types.is_datetime64_any_dtype(series):
        return format_dates(series).tolist()
    if _is_numeric(series):
        return [_number_text(value) for value in series]
    return ["" if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)) else str(value)
            for value in series]


def table_html(
    table: pd.DataFrame,
    *,
    href: str | None = None,
    caption: str | None = None,
    index: bool = False,
    max_rows: int | None = None,
) -> str:
    """A whole table as HTML: every row, scrolling inside the page, the CSV linked beside.

    Text columns are left-aligned (Chinese reads from the left), numbers
    right-aligned; dates are shown as precisely as they are known
    (:func:`format_dates`), periods as pandas prints them (``2025``,
    ``2022-06``). Every value is HTML-escaped. When printed, the table is not
    cut to the scroll box.

    Parameters
    ----------
    table : pandas.DataFrame
    href : str, optional
        Link to the table's CSV, relative to the page (``tables/x.csv``).
    caption : str, optional
        What the table is (e.g. whose partners); defaults to ``table.attrs["note"]``.
    index : bool, default False
        Show the index as the first column(s).
    max_rows : int, optional
        Show at most this many rows (the caption says how many there are);
        every row by default.

    Returns
    -------
    str

    Examples
    --------
    >>> page = table_html(pd.DataFrame({"term": ["<b>发展</b>"], "count": [3]}), href="tables/t.csv")
    >>> "&lt;b&gt;发展" in page and 'class="num"' in page and 'href="tables/t.csv"' in page
    True
    """
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"table_html: expected a pandas DataFrame, got {type(table).__name__}")
    if caption is None:
        caption = table.attrs.get("note")
    shown = table.reset_index() if index else table
    rows = len(shown)
    parts = []
    if caption:
        parts.append(html.escape(str(caption)))
    parts.append(f"{rows:,} row{'s' if rows != 1 else ''}")
    if max_rows is not None and rows > max_rows:
        parts.append(f"the first {max_rows:,} shown, every row in the CSV")
        shown = shown.head(max_rows)
        rows = max_rows
    if href:
        name = href.rsplit("/", 1)[-1]
        parts.append(f'<a href="{html.escape(quote(href), quote=True)}">{html.escape(name)}</a>')
    caption_html = f'<p class="report-table-caption">{" · ".join(parts)}</p>'
    if shown.empty:
        return caption_html + "<p><em>The table is empty.</em></p>"
    classes = []
    cells = []
    for position in range(shown.shape[1]):
        series = shown.iloc[:, position]
        texts = _column_text(series)
        if _is_numeric(series):
            kind = "num"
        else:
            lengths = [len(text) for text in texts]
            kind = "long" if lengths and float(np.median(lengths)) > LONG_TEXT_CHARS else ""
        classes.append(kind)
        cells.append(texts)
    attribute = [f' class="{kind}"' if kind else "" for kind in classes]
    head = "".join(f"<th{attribute[i]}>{html.escape(str(column))}</th>" for i, column in enumerate(shown.columns))
    body = "".join(
        "<tr>" + "".join(f"<td{attribute[i]}>{html.escape(cells[i][row])}</td>" for i in range(len(cells))) + "</tr>"
        for row in range(rows)
    )
    return (
        caption_html
        + f'<div class="report-table-wrap"><table class="report-table"><thead><tr>{head}</tr></thead>'
        + f"<tbody>{body}</tbody></table></div>"
    )


def table_link_html(table: pd.DataFrame, *, href: str | None, caption: str | None = None) -> str:
    """One line that names a table and links its CSV, for a table already shown as a chart.

    Examples
    --------
    >>> table_link_html(pd.DataFrame({"a": [1, 2]}), href="tables/x.csv", caption="Top terms")
    '<p class="report-table-caption">Top terms · 2 rows · table: <a href="tables/x.csv">x.csv</a></p>'
    """
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"table_link_html: expected a pandas DataFrame, got {type(table).__name__}")
    if caption is None:
        caption = table.attrs.get("note")
    parts = [html.escape(str(caption))] if caption else []
    rows = len(table)
    parts.append(f"{rows:,} row{'s' if rows != 1 else ''}")
    if href:
        name = href.rsplit("/", 1)[-1]
        parts.append(f'table: <a href="{html.escape(quote(href), quote=True)}">{html.escape(name)}</a>')
    else:
        parts.append("table not saved (no output_dir)")
    return f'<p class="report-table-caption">{" · ".join(parts)}</p>'


def set_page_language(page: str, *, language: str = PAGE_LANGUAGE) -> str:
    """Set the ``lang`` attribute of a page's ``<html>`` tag (added when missing).

    nbconvert accepts only two-letter codes and writes ``lang="en"``, which
    makes browsers draw Chinese with Japanese glyph forms.

    Examples
    --------
    >>> set_page_language('<!DOCTYPE html>\\n<html lang="en">\\n<body></body></html>')
    '<!DOCTYPE html>\\n<html lang="zh-Hans">\\n<body></body></html>'
    """
    tag = re.search(r"<html\b[^>]*>", page, flags=re.IGNORECASE)
    if tag is None:
        return page
    opening = tag.group(0)
    if re.search(r"\blang\s*=", opening, flags=re.IGNORECASE):
        replaced = re.sub(r'\blang\s*=\s*("[^"]*"|\'[^\']*\'|[^\s>]+)', f'lang="{language}"', opening,
                          count=1, flags=re.IGNORECASE)
    else:
        replaced = opening[:-1] + f' lang="{language}">'
    return page[: tag.start()] + replaced + page[tag.end():]
