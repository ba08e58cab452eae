"""The report's ``index.html`` (corpus summary, top slogans and terms, links) and ``manifest.json``."""

from __future__ import annotations

import html
import os
import platform
from importlib import metadata
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pandas as pd

from .. import __version__, display
from .description import CorpusDescription
from .printing import PDF_NAME

# Rows of the top-slogan and top-term lists on the index page.
INDEX_TOP_ROWS = 10
# Documents listed on the index page; the rest are counted, not listed.
INDEX_DOCUMENT_LIMIT = 50


def _href(relative_path: str) -> str:
    return html.escape(quote(relative_path), quote=True)


def _text(value) -> str:
    if value is None or (not isinstance(value, (list, dict)) and pd.isna(value)):
        return ""
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return f"{value:,}"
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    return html.escape(str(value), quote=True)


def _html_table(table: pd.DataFrame, *, empty: str) -> str:
    if table.empty:
        return f"<p>{html.escape(empty)}</p>"
    head = "".join(f"<th>{_text(column)}</th>" for column in table.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{_text(value)}</td>" for value in row) + "</tr>"
        for row in table.itertuples(index=False, name=None)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _read_table(path: Path) -> pd.DataFrame | None:
    try:
        # Only empty cells are missing: a term may well be spelled "NA" or "null".
        return pd.read_csv(path, encoding="utf-8", keep_default_na=False, na_values=[""])
    except (OSError, ValueError, UnicodeError):
        return None  # an unreadable or empty CSV simply does not feed the index


def top_slogans_and_terms(
    folder: str | os.PathLike, tables: list[str], *, n: int = INDEX_TOP_ROWS
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The index page's top slogans and top terms, read from the exported tables.

    Slogans come from the first table (by name) with ``canonical`` and
    ``mentions`` columns, summed per slogan; terms from a table with ``term``
    and ``count`` columns, preferring one without boilerplate
    (``*-no-boilerplate``), which names the content better.

    Parameters
    ----------
    folder : path-like
        The report (or build) folder.
    tables : list of str
        CSV paths relative to ``folder``, as in the manifest.
    n : int, default 10
        Rows kept in each list.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        ``canonical``, ``mentions``; and ``term``, ``count``. Empty when no
        exported table fits.

    Examples
    --------
    >>> slogans, terms = top_slogans_and_terms(".", [])
    >>> list(slogans.columns), list(terms.columns)
    (['canonical', 'mentions'], ['term', 'count'])
    """
    folder = Path(folder)
    slogans = pd.DataFrame({"canonical": pd.Series([], dtype="str"), "mentions": pd.Series([], dtype="int64")})
    terms = pd.DataFrame({"term": pd.Series([], dtype="str"), "count": pd.Series([], dtype="int64")})
    readable = [(table, _read_table(folder / table)) for table in sorted(tables)]
    readable = [(table, frame) for table, frame in readable if frame is not None]
    for table, frame in readable:
        if {"canonical", "mentions"} <= set(frame.columns):
            mentions = pd.to_numeric(frame["mentions"], errors="coerce").fillna(0).astype("int64")
            # Ties go to the smaller slogan_id, as in slogans.top_slogans, so the index's top
            # slogan is the one the notebooks (05's partners, 06's explorer) open on.
            key = frame["slogan_id"].astype("str") if "slogan_id" in frame.columns else frame["canonical"].astype("str")
            summed = pd.DataFrame({"key": key, "canonical": frame["canonical"].astype("str"), "mentions": mentions})
            summed = summed.groupby(["key", "canonical"], sort=True)["mentions"].sum().reset_index()
            summed = summed[summed["mentions"] > 0]
            slogans = summed.sort_values(["mentions", "key"], ascending=[False, True], kind="stable")
            slogans = slogans[["canonical", "mentions"]].head(n).reset_index(drop=True)
            break
    term_tables = [(table, frame) for table, frame in readable if {"term", "count"} <= set(frame.columns)]
    term_tables.sort(key=lambda item: (not Path(item[0]).stem.endswith("no-boilerplate"), item[0]))
    if term_tables:
        frame = term_tables[0][1]
        counts = pd.to_numeric(frame["count"], errors="coerce").fillna(0).astype("int64")
        terms = pd.DataFrame({"term": frame["term"].astype("str"), "count": counts})
        terms = terms.sort_values(["count", "term"], ascending=[False, True], kind="stable")
        terms = terms.head(n).reset_index(drop=True)
    return slogans, terms


def render_index(
    description: CorpusDescription,
    *,
    name: str,
    pages: list[tuple[str, str]],
    figures: list[str],
    tables: list[str],
    top_slogans: pd.DataFrame | None = None,
    top_terms: pd.DataFrame | None = None,
    pdf: bool = False,
) -> str:
    """The report's ``index.html``: corpus summary, top slogans and terms, page links, thumbnails.

    All corpus text (titles, sources, skip reasons, paths) is HTML-escaped;
    every link is relative to the report folder and nothing is loaded from
    the network.

    Parameters
    ----------
    description : CorpusDescription
        From :func:`describe_corpus`.
    name : str
        Report name shown as the heading.
    pages : list of (str, str)
        ``(file name, title)`` of each notebook page, in order.
    figures, tables : list of str
        Paths relative to the report folder (``figures/x.png``, ``tables/x.csv``).
    top_slogans, top_terms : pandas.DataFrame, optional
        From :func:`top_slogans_and_terms`; shown as they are.
    pdf : bool, default False
        Link ``report.pdf`` (the whole report for print or mail).

    Returns
    -------
    str

    Examples
    --------
    >>> import pandas as pd
    >>> description = CorpusDescription(
    ...     path=Path("c.jsonl"), summary=pd.DataFrame({"documents": [1]}),
    ...     skipped=pd.DataFrame(columns=["path", "record", "reason"]),
    ...     documents=pd.DataFrame({"doc_id": ["a"], "date": [None], "source": [None],
    ...                             "title": ["<b>标题</b>"]}),
    ...     fingerprint="0" * 64)
    >>> page = render_index(description, name="c", pages=[], figures=[], tables=[])
    >>> "&lt;b&gt;标题&lt;/b&gt;" in page and "<b>标题" not in page
    True
    """
    summary = description.summary
    documents = description.documents
    precisions = documents["date_precision"].dropna() if "date_precision" in documents.columns else pd.Series()
    # first_date and last_date read 1954 and 2025 when every date is known only to the year.
    # (A one-value column cannot tell by itself: the CCTV corpus starts on 2022-01-01.)
    year_only = "year" if len(precisions) and (precisions == "year").all() else "day"
    summary = summary.apply(
        lambda column: display.format_dates(column, year_only) if pd.api.types.is_datetime64_any_dtype(column) else column
    )
    summary_rows = "".join(
        f"<tr><th>{_text(column)}</th><td>{_text(summary[column].iloc[0])}</td></tr>"
        for column in summary.columns
    ) if not summary.empty else ""
    page_items = "".join(
        f'<li><a href="{_href(file_name)}">{_text(title)}</a></li>' for file_name, title in pages
    )
    thumbnails = "".join(
        f'<figure><a href="{_href(png)}"><img src="{_href(png)}" alt="{_text(Path(png).stem)}"></a>'
        f'<figcaption>{_text(Path(png).stem)}'
        + (
            f' · <a href="{_href(png[:-4] + ".svg")}">SVG</a>'
            if png[:-4] + ".svg" in set(figures)
            else ""
        )
        + "</figcaption></figure>"
        for png in figures
        if png.endswith(".png")
    )
    table_items = "".join(
        f'<li><a href="{_href(table)}">{_text(Path(table).name)}</a></li>' for table in tables
    )
    if "date" in documents.columns:
        # A date known only to the year reads 2025, not 2025-01-01.
        precision = documents["date_precision"] if "date_precision" in documents.columns else None
        documents = documents.assign(date=display.format_dates(documents["date"], precision))
        documents = documents.drop(columns=["date_precision"], errors="ignore")
    listed = documents.head(INDEX_DOCUMENT_LIMIT)
    more = len(documents) - len(listed)
    more_note = f"<p>… and {more:,} more documents.</p>" if more > 0 else ""
    pdf_note = f' The whole report for print or mail: <a href="{PDF_NAME}">{PDF_NAME}</a>.' if pdf else ""
    return f"""<!DOCTYPE html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Report: {_text(name)}</title>
<style>
body {{ font-family: {display.FONT_FAMILY};
       margin: 2em auto; max-width: 70em; padding: 0 1em; color: #222; }}
table {{ border-collapse: collapse; margin: 0.5em 0 1.5em; }}
th, td {{ border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }}
thead th, tbody th {{ background: #f4f4f4; }}
.tops {{ display: flex; flex-wrap: wrap; gap: 3em; }}
.figures {{ display: flex; flex-wrap: wrap; gap: 1em; }}
figure {{ margin: 0; width: 16em; }}
figure img {{ width: 100%; border: 1px solid #ddd; }}
figcaption {{ font-size: 0.85em; }}
</style>
</head>
<body>
<h1>Report: {_text(name)}</h1>
<p>Corpus <code>{_text(description.path)}</code>, fingerprint <code>{_text(description.fingerprint)}</code>.
Details in <a href="manifest.json">manifest.json</a>.{pdf_note}</p>
<h2>Corpus summary</h2>
<table>{summary_rows}</table>
<h2>Skipped inputs</h2>
{_html_table(description.skipped, empty="No input was skipped.")}
<h2>Damaged documents and date warnings</h2>
{_html_table(description.damaged if description.damaged is not None else pd.DataFrame(),
             empty="No document was loaded incomplete, undated by a bad date value or flagged as a stub.")}
<h2>Notebooks</h2>
<ol>{page_items}</ol>
<div class="tops">
<section><h2>Top slogans</h2>
{_html_table(top_slogans if top_slogans is not None else pd.DataFrame(), empty="No slogan table was exported.")}
</section>
<section><h2>Top terms</h2>
{_html_table(top_terms if top_terms is not None else pd.DataFrame(), empty="No term table was exported.")}
</section>
</div>
<h2>Figures</h2>
<div class="figures">{thumbnails or "<p>No figures.</p>"}</div>
<h2>Tables</h2>
<ul>{table_items or "<li>No tables.</li>"}</ul>
<h2>Documents</h2>
{_html_table(listed, empty="The corpus has no documents.")}
{more_note}
</body>
</html>
"""


def _package_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _problem_rows(table: pd.DataFrame | None) -> list[dict]:
    if table is None:
        return []
    return [
        {"path": str(path), "record": None if pd.isna(record) else int(record), "reason": str(reason)}
        for path, record, reason in zip(table["path"], table["record"], table["reason"])
    ]


def build_manifest(description, *, name, parameters, pages, figures, tables, kernel, cached=None) -> dict:
    from ..lexicon import load_lexicon

    lexicon = load_lexicon()
    return {
        "report": name,
        "package": {"name": "analysis", "version": __version__},
        "lexicon": {
            "version": lexicon.attrs.get("version"),
            "sha256": lexicon.attrs.get("sha256"),
            "entries": int(len(lexicon)),
        },
        "corpus": {
            "path": str(description.path),
            "fingerprint": description.fingerprint,
            "documents": int(len(description.documents)),
            "skipped": int(len(description.skipped)),
            "damaged": int(len(description.damaged)) if description.damaged is not None else None,
            # The rows themselves, so a reader of the manifest alone sees what was lost and why.
            "skipped_inputs": _problem_rows(description.skipped),
            "damaged_documents": _problem_rows(description.damaged),
        },
        "parameters": parameters,
        # Whether each notebook was reused from the notebook cache is the only field that
        # tells a cached build from a cold one; everything else in the report is the same bytes.
        "notebooks": [
            {"page": file_name, "title": title, "cached": bool(reused)}
            for (file_name, title), reused in zip(pages, cached or [False] * len(pages))
        ],
        "figures": figures,
        "tables": tables,
        "software": {
            "kernel": kernel,
            "python": platform.python_version(),
            **{
                package: _package_version(package)
                for package in ("pandas", "jieba", "scikit-learn", "matplotlib", "papermill", "nbconvert")
            },
        },
    }
