"""Headless report: run every notebook on one corpus and publish HTML without code.

``run_report`` executes ``notebooks/NN-*.ipynb`` with papermill, exports each
one to HTML with the code cells left out, collects the figures and tables the
notebooks saved through :func:`save_figure` and :func:`save_table`, and writes
``index.html`` and ``manifest.json``. The new report replaces the previous one
only when every notebook succeeded, so a failed run never leaves a half-written
report behind.

Layout of a report folder::

    reports/<name>/
        index.html            corpus summary, links, figure thumbnails
        manifest.json         versions, parameters, corpus fingerprint, file lists
        NN-<notebook>.html    one page per notebook, no code
        figures/<name>.png    and <name>.svg
        tables/<name>.csv

Only this module writes under ``reports/``. It also keeps the notebook cache
under ``config.CACHE_DIR / "notebooks"`` (see :func:`run_report`): a rerun on
unchanged inputs reuses each executed notebook and the files it wrote.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import html
import json
import os
import platform
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pandas as pd

from . import __version__, config, display
from .cache import (
    CORPORA_DIR_NAME,
    NOTEBOOK_CACHE_DIR_NAME,
    corpus_content_hash,
    environment_fingerprint,
    notebook_cache_key,
    print_key,
    read_entry,
    read_pdf,
    remove_stale_entries,
    write_entry,
)
from .cache import write_pdf as store_pdf
from .options import SegmentOptions
from .periods import PERIODS, check_period, choose_period
from .validation import check_int

# The kernel `make setup` registers inside the venv (ipykernel install --sys-prefix --name analysis).
# Passed explicitly, so a notebook's own kernelspec metadata never decides where the report runs.
KERNEL_NAME = "analysis"
FALLBACK_KERNEL_NAME = "python3"
# Set False by the runner: a headless run has no widget frontend, so widget notebooks render statically.
# The options of analysis.tokens.tokenize that the report passes through to the notebooks that segment.
# What the runner decides once for every notebook; each notebook gets those it declares.
SEGMENTATION_PARAMETER = "segmentation"
# Where load_corpus keeps the loaded corpus (its cache=): the report's cache, or this run's own folder.
CORPUS_CACHE_PARAMETER = "corpus_cache"
# Inside the build folder: the loaded corpus and segments a --no-cache run shares between its notebooks.
RUN_CACHE_DIR_NAME = ".run-cache"
PERIOD_PARAMETER = "period"
INTERACTIVE_PARAMETER = "interactive"
# Rows of the top-slogan and top-term lists on the index page.
INDEX_TOP_ROWS = 10
FIGURE_DPI = 150
# Fixed so the ids inside SVG files do not change from run to run.
SVG_HASH_SALT = "analysis-report"
# Documents listed on the index page; the rest are counted, not listed.
INDEX_DOCUMENT_LIMIT = 50
NOTEBOOK_PATTERN = re.compile(r"^\d\d-[^/\\]+\.ipynb$")
OUTPUT_NAME_PATTERN = re.compile(r"^[^\W_][\w.-]*$")
RESERVED_PARAMETERS = ("corpus", "output_dir", "reference", "corpus_cache")
# A notebook declaring this parameter compares levels: it runs only when the corpus has more than
# one level or the report is given a reference corpus (--reference), and is skipped otherwise.
REFERENCE_PARAMETER = "reference"

# Drops every script the stock "lab" template fetches from a CDN (require.js,
# MathJax, mermaid, widgets) and adds a way back to the index.
_HTML_TEMPLATE = """\
{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_css -%}
{{ super() }}
<style type="text/css">{{ resources.report_style }}</style>
{%- endblock html_head_css -%}
{%- block body_header -%}
{{ super() }}
<nav class="report-nav" style="padding: 0.5em 1em;"><a href="index.html">&larr; Report index</a></nav>
{%- endblock body_header -%}
"""
_HTML_TEMPLATE_NAME = "analysis_report.html.j2"


class ReportError(RuntimeError):
    """The report could not be built; the message says which input or notebook and why."""


@dataclass(frozen=True)
class CorpusDescription:
    """What the index page and the manifest say about the corpus.

    Attributes
    ----------
    path : pathlib.Path
        The corpus file or folder.
    summary : pandas.DataFrame
        One row, from :func:`analysis.corpus.corpus_summary`.
    skipped : pandas.DataFrame
        Inputs the loader skipped: ``path``, ``record``, ``reason``.
    documents : pandas.DataFrame
        ``doc_id``, ``date``, ``date_precision``, ``source``, ``title`` of every document.
    fingerprint : str
        :func:`analysis.corpus.corpus_fingerprint` of the loaded corpus.
    damaged : pandas.DataFrame, optional
        Documents loaded but not in full, dates that could not be parsed and
        suspected stubs (:func:`analysis.corpus.damaged`): ``path``,
        ``record``, ``reason``.
    levels : tuple of str
        The administrative levels its documents carry, highest first.
    """

    path: Path
    summary: pd.DataFrame
    skipped: pd.DataFrame
    documents: pd.DataFrame
    fingerprint: str
    damaged: pd.DataFrame | None = None
    levels: tuple = ()


def report_name(path: str | os.PathLike) -> str:
    """Name of the report folder for a corpus: the file's or folder's stem.

    Parameters
    ----------
    path : path-like
        Corpus file or folder; a trailing slash is ignored.

    Returns
    -------
    str

    Examples
    --------
    >>> report_name("seeds/")
    'seeds'
    >>> report_name("x/cpc.jsonl")
    'cpc'
    >>> report_name("/data/gov_work_reports.jsonl.gz")
    'gov_work_reports'
    """
    text = os.fspath(path)
    candidate = Path(text.rstrip("/\\") or text)
    is_folder = text.endswith(("/", "\\")) or config.resolve_path(candidate).is_dir()
    name = candidate.name
    # Peel compression suffixes first so corpus.jsonl.gz is named "corpus".
    for suffix in (".gz", ".bz2", ".xz", ".zip"):
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    stem = name if is_folder else Path(name).stem
    stem = stem.strip().lstrip(".")
    if not stem:
        raise ValueError(f"cannot derive a report name from the corpus path {os.fspath(path)!r}")
    return stem


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
    run to run (creation date, random SVG ids) is left out.

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
    figure.savefig(
        folder / f"{name}.png",
        dpi=FIGURE_DPI,
        bbox_inches="tight",
        metadata={"Software": None},
    )
    with matplotlib.rc_context({"svg.hashsalt": SVG_HASH_SALT}):
        figure.savefig(folder / f"{name}.svg", bbox_inches="tight", metadata={"Date": None})
    return figure


def describe_corpus(path: str | os.PathLike) -> CorpusDescription:
    """Load a corpus once to describe it on the index page and in the manifest.

    Parameters
    ----------
    path : path-like
        Corpus file or folder, as accepted by :func:`analysis.corpus.load_corpus`.

    Returns
    -------
    CorpusDescription

    Raises
    ------
    ReportError
        If the corpus is missing or cannot be read; the message names it.

    Examples
    --------
    >>> description = describe_corpus(config.SEEDS_DIR)  # doctest: +SKIP
    >>> len(description.fingerprint)  # doctest: +SKIP
    64
    """
    path = Path(path)
    return _describe(path, _load(path))


def _load(path: Path, *, cache=None) -> pd.DataFrame:
    from . import corpus as corpus_module

    if not path.exists():
        raise ReportError(f"corpus not found: {path} (give a file or folder that exists)")
    try:
        return corpus_module.load_corpus(path, cache=cache)
    except (OSError, ValueError, UnicodeError) as error:
        raise ReportError(f"cannot read the corpus {path}: {error}") from error


def _describe(path: Path, corpus: pd.DataFrame) -> CorpusDescription:
    from . import corpus as corpus_module

    skipped = corpus_module.skipped(corpus)
    documents = corpus.reindex(columns=["doc_id", "date", "date_precision", "source", "title"])
    return CorpusDescription(
        path=path,
        summary=corpus_module.corpus_summary(corpus),
        skipped=skipped,
        documents=documents,
        fingerprint=corpus_module.corpus_fingerprint(corpus),
        damaged=corpus_module.damaged(corpus),
        levels=tuple(level for level in config.LEVELS if "level" in corpus.columns and (corpus["level"] == level).any()),
    )


def _select_notebooks(notebooks_dir: Path, notebooks) -> list[Path]:
    if not notebooks_dir.is_dir():
        raise ReportError(f"notebook folder not found: {notebooks_dir}")
    available = sorted(
        path for path in notebooks_dir.iterdir() if NOTEBOOK_PATTERN.fullmatch(path.name)
    )
    if notebooks is None:
        if not available:
            raise ReportError(f"{notebooks_dir}: no notebooks named NN-<name>.ipynb to run")
        return available
    if isinstance(notebooks, (str, os.PathLike)):
        notebooks = [notebooks]
    chosen = []
    for wanted in notebooks:
        wanted_name = Path(wanted).name
        matches = [
            path for path in available
            if wanted_name in (path.name, path.stem) or path.name.startswith(f"{wanted_name}-")
        ]
        if len(matches) != 1:
            names = ", ".join(path.name for path in available) or "none"
            raise ReportError(
                f"notebook {wanted!r} matches {len(matches)} notebooks in {notebooks_dir} (available: {names})"
            )
        chosen.append(matches[0])
    return sorted(dict.fromkeys(chosen))


def comparison_skip_reason(levels, reference) -> str | None:
    """Why a notebook that compares levels (07-diffusion) cannot run on this corpus, or None.

    Examples
    --------
    >>> comparison_skip_reason(("county",), None)
    'the corpus has one level (county) and no reference corpus was given (--reference PATH)'
    >>> comparison_skip_reason(("county",), "gov_work_reports.jsonl") is None
    True
    """
    if reference is not None or len(levels) > 1:
        return None
    described = f"one level ({levels[0]})" if levels else "no level"
    return f"the corpus has {described} and no reference corpus was given (--reference PATH)"


def _original_cell_number(notebook_path: Path, source: str, fallback: int) -> int:
    """1-based position of the failing cell in the notebook as written (papermill adds a cell)."""
    import nbformat

    try:
        original = nbformat.read(notebook_path, as_version=4)
    except Exception:  # the notebook already ran, so this only guards a race
        return fallback
    for number, cell in enumerate(original.cells, start=1):
        if cell.cell_type == "code" and cell.source == source:
            return number
    return fallback


def _execution_error(notebook_path: Path, error: Exception) -> ReportError:
    from papermill.exceptions import PapermillExecutionError

    if isinstance(error, PapermillExecutionError):
        number = _original_cell_number(notebook_path, error.source, error.cell_index + 1)
        first_line = next((line for line in error.source.splitlines() if line.strip()), "")
        return ReportError(
            f"notebook {notebook_path.name} failed in cell {number} "
            f"(In [{error.exec_count}]: {first_line.strip()!r}): {error.ename}: {error.evalue}. "
            "The previous report, if any, was left unchanged."
        )
    return ReportError(
        f"notebook {notebook_path.name} could not be run: {type(error).__name__}: {error}. "
        "The previous report, if any, was left unchanged."
    )


@functools.lru_cache(maxsize=1)
def _kernel_options() -> dict:
    import subprocess

    from jupyter_client.manager import AsyncKernelManager

    class QuietKernelManager(AsyncKernelManager):
        async def _async_launch_kernel(self, kernel_cmd, **kw):
            # The kernel process logs its own housekeeping to the terminal (a TCP notice, an
            # interrupt caught while shutting down). Cell output, errors included, travels over
            # the kernel protocol instead, so nothing a notebook prints is lost.
            kw.setdefault("stderr", subprocess.DEVNULL)
            kw["env"] = kernel_environment(kw.get("env") or os.environ)
            await super()._async_launch_kernel(kernel_cmd, **kw)

    return {"kernel_manager_class": QuietKernelManager}


def kernel_environment(environment) -> dict:
    """The environment a notebook's kernel starts with: the runner's, its package first on ``PYTHONPATH``.

    The notebook cache is keyed by the source of the package the runner
    imported, so the kernels must import that same package, also when it
    runs from a checkout (a git worktree, ``PYTHONPATH=src``) other than the
    one installed in the environment; a relative ``PYTHONPATH`` would
    otherwise be read from the notebook folder the kernel starts in.

    Examples
    --------
    >>> import analysis
    >>> first = kernel_environment({"PYTHONPATH": "src"})["PYTHONPATH"].split(os.pathsep)[0]
    >>> Path(first) == Path(analysis.__file__).resolve().parents[1]
    True
    """
    import sysconfig

    root = str(Path(__file__).resolve().parents[1])
    environment = dict(environment)
    installed = {str(Path(sysconfig.get_paths()[key]).resolve()) for key in ("purelib", "platlib")}
    if root not in installed:
        current = environment.get("PYTHONPATH")
        environment["PYTHONPATH"] = root + (os.pathsep + current if current else "")
    return environment


def kernel_name() -> str:
    """The Jupyter kernel the report runs notebooks on.

    The project's own kernel (``analysis``, registered into the virtualenv by
    ``make setup``) when it is installed, otherwise ipykernel's ``python3``,
    which runs the interpreter of the current environment too (a ``pip
    install`` without ``make``, or a conda environment).

    Returns
    -------
    str

    Examples
    --------
    >>> kernel_name() in (KERNEL_NAME, FALLBACK_KERNEL_NAME)
    True
    """
    from jupyter_client.kernelspec import KernelSpecManager

    available = KernelSpecManager().find_kernel_specs()
    return KERNEL_NAME if KERNEL_NAME in available else FALLBACK_KERNEL_NAME


def notebook_parameters(notebook_path: str | os.PathLike) -> list[str]:
    """Names assigned in a notebook's cell tagged ``parameters``, in order.

    Parameters
    ----------
    notebook_path : path-like
        The notebook.

    Returns
    -------
    list of str
        Empty when no cell is tagged ``parameters``.

    Examples
    --------
    >>> notebook_parameters(config.NOTEBOOKS_DIR / "06-explore.ipynb")  # doctest: +SKIP
    ['corpus', 'output_dir', 'top_n', 'random_state', 'interactive']
    """
    import ast

    import nbformat

    notebook = nbformat.read(notebook_path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            try:
                tree = ast.parse(cell.source)
            except SyntaxError as error:
                raise ReportError(
                    f"{Path(notebook_path).name}: the parameters cell is not valid Python (line {error.lineno})"
                ) from error
            return [
                target.id
                for statement in tree.body
                if isinstance(statement, ast.Assign)
                for target in statement.targets
                if isinstance(target, ast.Name)
            ]
    return []


#: Notebook metadata key (under ``"analysis"``) for the fewest documents a notebook can say anything about.
MIN_DOCUMENTS_KEY = "min_documents"


def notebook_min_documents(notebook_path: str | os.PathLike) -> int:
    """The fewest documents a notebook needs, from its metadata ``{"analysis": {"min_documents": n}}``; default 1.

    The corpus overview declares 0 (it shows the skipped inputs of a corpus
    where nothing loaded); the topic notebook 2 (one document has no topics).
    A notebook the corpus is too small for is not run: its page says why.

    Examples
    --------
    >>> notebook_min_documents(config.NOTEBOOKS_DIR / "01-corpus-overview.ipynb")
    0
    """
    import nbformat

    try:
        notebook = nbformat.read(str(notebook_path), as_version=4)
    except Exception as error:  # nbformat raises its own types for a broken notebook
        raise ReportError(f"{notebook_path}: cannot be read as a notebook: {error}") from error
    value = notebook.metadata.get("analysis", {}).get(MIN_DOCUMENTS_KEY, 1)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ReportError(f"{notebook_path}: metadata analysis.{MIN_DOCUMENTS_KEY} must be a whole number >= 0, got {value!r}")
    return value


def _not_run_page(page: Path, notebook_path: Path, *, documents: int, needed: int) -> tuple[str, str]:
    """Write the page of a notebook the corpus is too small for; returns its title and the reason."""
    import nbformat
    from nbformat.v4 import new_markdown_cell, new_notebook

    notebook = nbformat.read(str(notebook_path), as_version=4)
    title = _notebook_title(notebook) or notebook_path.stem
    message = (
        f"the corpus has {documents} document{'s' if documents != 1 else ''} and this page needs at least "
        f"{needed}; see the skipped inputs on the index page"
    )
    placeholder = new_notebook(cells=[new_markdown_cell(f"# {title}"), new_markdown_cell(f"Not run: {message}.")])
    page.write_text(notebook_to_html(placeholder, name=notebook_path.stem), encoding="utf-8")
    return title, message


def _execute(notebook_path: Path, parameters: dict, *, kernel: str):
    import papermill

    try:
        return papermill.execute_notebook(
            str(notebook_path),
            None,
            parameters=parameters,
            kernel_name=kernel,
            # The kernel starts in the notebook's folder. papermill's own cwd= would chdir this whole
            # process, which notebooks running at the same time in threads must not do.
            resources={"metadata": {"path": str(notebook_path.parent)}},
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,
            **_kernel_options(),
        )
    except Exception as error:  # papermill raises many types; all mean "this notebook failed"
        raise _execution_error(notebook_path, error) from error


def _notebook_title(notebook) -> str | None:
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip() or None
    return None


def notebook_to_html(notebook, *, name: str) -> str:
    """Render an executed notebook as a self-contained HTML page without code.

    Input cells, prompts and stderr streams (logging noise such as jieba's
    start-up messages) are left out; no script is loaded from the network.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        An executed notebook.
    name : str
        Page name, used as the HTML title when the notebook has no heading.

    Returns
    -------
    str

    Examples
    --------
    >>> import nbformat
    >>> page = notebook_to_html(nbformat.v4.new_notebook(), name="empty")
    >>> "<html" in page and "<script src=" not in page
    True
    """
    import nbformat
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    notebook = nbformat.from_dict(notebook)
    for number, cell in enumerate(notebook.cells):
        if "id" in cell:
            # papermill gives its injected cell a random id, and the page carries every id:
            # numbered ids make two runs of one notebook the same bytes.
            cell["id"] = f"cell-{number}"
        if cell.cell_type == "code":
            cell.outputs = [
                output for output in cell.outputs
                if not (output.get("output_type") == "stream" and output.get("name") == "stderr")
            ]
    notebook.metadata["title"] = _notebook_title(notebook) or name
    exporter = HTMLExporter(
        template_name="lab",
        extra_loaders=[DictLoader({_HTML_TEMPLATE_NAME: _HTML_TEMPLATE})],
        template_file=_HTML_TEMPLATE_NAME,
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    body, _ = exporter.from_notebook_node(
        notebook, resources={"metadata": {"name": name}, "report_style": display.PAGE_STYLE}
    )
    # nbconvert only takes two-letter codes; "en" makes browsers draw 复 with Japanese glyph forms.
    return display.set_page_language(body)


def _relative_files(folder: Path, pattern: str) -> list[str]:
    return sorted(path.relative_to(folder).as_posix() for path in folder.glob(pattern) if path.is_file())


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
body {{ font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif;
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


def _manifest(description, *, name, parameters, pages, figures, tables, kernel, cached=None) -> dict:
    from .lexicon import load_lexicon

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


def _is_replaceable(folder: Path) -> bool:
    if not folder.exists():
        return True
    return folder.is_dir() and (not any(folder.iterdir()) or (folder / "manifest.json").is_file())


# A build folder holds this file, locked, while its run is alive; the lock dies with the process,
# so the next run can tell a killed run's leftovers from a concurrent run's work in progress.
BUILD_LOCK_NAME = ".building"
# A build folder that has no lock file yet is left alone this long (the instant between mkdtemp
# and locking).
_UNLOCKED_BUILD_GRACE_SECONDS = 60


def _lock(handle, *, blocking: bool) -> bool:
    """flock an open file; True when locked. Without fcntl (Windows) there is nothing to wait for."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on the platforms the project runs on
        return True
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    return True


@contextlib.contextmanager
def _publish_lock(target: Path):
    """Held while a report folder is swapped into place: two runs never swap at the same time.

    The lock file lives in the system's temporary folder, named by a hash of
    the report folder's path, so nothing is left beside the reports (and
    deleting a lock file others may wait on would break the lock).
    """
    key = hashlib.sha256(os.fsencode(target.resolve())).hexdigest()[:16]
    lock_path = Path(tempfile.gettempdir()) / f"analysis-report-{key}.lock"
    with open(lock_path, "a+b") as handle:
        _lock(handle, blocking=True)
        yield


def _hold_build(build: Path):
    """Lock a new build folder for the life of this run; returns the open lock file."""
    handle = open(build / BUILD_LOCK_NAME, "a+b")
    _lock(handle, blocking=True)
    return handle


def _remove_abandoned_builds(target: Path) -> list[Path]:
    """Delete the ``.tmp-`` build folders of killed runs (and ``.old-`` folders of a killed swap).

    Call with the publish lock held. A build whose lock file can be locked
    has no live run behind it; one that is still locked belongs to a run in
    progress and is left alone.
    """
    removed = []
    for folder in sorted(target.parent.glob(f".{target.name}.old-*")):
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    for folder in sorted(target.parent.glob(f".{target.name}.tmp-*")):
        lock_path = folder / BUILD_LOCK_NAME
        try:
            if not lock_path.exists():
                if time.time() - folder.stat().st_mtime < _UNLOCKED_BUILD_GRACE_SECONDS:
                    continue
            else:
                with open(lock_path, "a+b") as handle:
                    if not _lock(handle, blocking=False):
                        continue
        except FileNotFoundError:
            continue  # its own run finished and moved it meanwhile
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def _swap_into_place(build: Path, target: Path) -> None:
    """Put the finished build where the report belongs, keeping the old one until it is there.

    Call with the publish lock held (:func:`_publish_lock`).
    """
    (build / BUILD_LOCK_NAME).unlink(missing_ok=True)
    aside = build.with_name(build.name.replace(".tmp-", ".old-", 1))
    had_previous = target.exists()
    if had_previous:
        target.rename(aside)
    try:
        build.rename(target)
    except OSError:
        if had_previous:
            aside.rename(target)
        raise
    if had_previous:
        shutil.rmtree(aside)


# --- Print view ---------------------------------------------------------------------------------

PDF_NAME = "report.pdf"
# Browsers tried in turn; ANALYSIS_CHROMIUM names another Chromium-based executable.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
PDF_TIMEOUT_SECONDS = 300
PDF_FIXED_STAMP = b"20000101000000"
PRINT_MAX_ROWS = 40
"""Rows of a table printed in report.pdf. The pages show every row; a mailed PDF shows the
first rows and names the CSV that has all of them (CCTV's 2,880-row mention table alone
made the PDF 100 pages longer and took 5 of its 8 seconds to print)."""
_REPORT_TABLE = re.compile(
    r'(<div class="report-table-wrap"><table class="report-table"><thead>.*?</thead><tbody>)(.*?)(</tbody></table></div>)',
    flags=re.S,
)
NO_CHROMIUM_MESSAGE = (
    "report.pdf not written: Chromium was not found. Install it (Debian/Ubuntu: apt-get install chromium "
    "fonts-noto-cjk) or set ANALYSIS_CHROMIUM to a Chromium or Chrome executable and run the report again; "
    "or open index.html in a browser and print it to PDF."
)


def find_chromium() -> str | None:
    """The Chromium (or Chrome) executable used to print the report, or None.

    ``$ANALYSIS_CHROMIUM`` when set, otherwise the first of
    :data:`CHROMIUM_NAMES` on the ``PATH``.

    Examples
    --------
    >>> find_chromium() is None or Path(find_chromium()).name != ""
    True
    """
    chosen = os.environ.get("ANALYSIS_CHROMIUM")
    if chosen:
        return shutil.which(chosen)
    return next((found for found in map(shutil.which, CHROMIUM_NAMES) if found), None)


def _page_parts(page: str) -> tuple[str, str, str]:
    head = re.search(r"<head[^>]*>(.*?)</head>", page, flags=re.S | re.I)
    body = re.search(r"<body([^>]*)>(.*)</body>", page, flags=re.S | re.I)
    return (head.group(1) if head else "", body.group(1) if body else "", body.group(2) if body else page)


def _first_rows(match: re.Match) -> str:
    rows = match.group(2).split("</tr>")[:-1]
    if len(rows) <= PRINT_MAX_ROWS:
        return match.group(0)
    columns = rows[0].count("<td")
    note = (f'<tr><td colspan="{columns}"><em>… {len(rows) - PRINT_MAX_ROWS:,} more rows: the first '
            f"{PRINT_MAX_ROWS} of {len(rows):,} are printed, every row is in the CSV named above.</em></td></tr>")
    return match.group(1) + "</tr>".join(rows[:PRINT_MAX_ROWS]) + "</tr>" + note + match.group(3)


def print_view(folder: str | os.PathLike, pages: list[str]) -> str:
    """One HTML document holding the index and every page in order, each page starting on a new sheet.

    The notebook pages' styles come first, then the index's. Links are
    dropped (they would print as paths on this machine); images stay
    relative to the report folder, so the document must be saved there.
    A table prints its first :data:`PRINT_MAX_ROWS` rows and says how many
    more its CSV holds.

    Parameters
    ----------
    folder : path-like
        The report folder with ``index.html``.
    pages : list of str
        Page file names in order (``02-slogans.html``).

    Returns
    -------
    str
    """
    folder = Path(folder)
    documents = [folder / "index.html", *(folder / page for page in pages)]
    heads, bodies = [], []
    for number, path in enumerate(documents):
        head, attributes, body = _page_parts(path.read_text(encoding="utf-8"))
        if number <= 1:  # the index's head and one notebook page's (every page has the same styles)
            heads.append(re.sub(r"<title>.*?</title>", "", head, flags=re.S | re.I))
        style = "" if number == 0 else ' style="break-before: page;"'
        # Links to files beside the report would print as absolute paths of this machine
        # (and of the build folder); a mailed PDF has no use for them.
        body = re.sub(r'(<a\b[^>]*?)\s+href="[^"]*"', r"\1", body, flags=re.I)
        body = _REPORT_TABLE.sub(_first_rows, body)
        bodies.append(f"<div{attributes}{style}>{body}</div>")
    return (
        f'<!DOCTYPE html>\n<html lang="{display.PAGE_LANGUAGE}">\n<head>\n<meta charset="utf-8">\n'
        + "\n".join(reversed(heads))
        + "\n<title>Report</title>\n</head>\n<body>\n"
        + "\n".join(bodies)
        + "\n</body>\n</html>\n"
    )


def write_pdf(
    folder: str | os.PathLike,
    pages: list[str],
    *,
    chromium: str | None = None,
    timeout: float = PDF_TIMEOUT_SECONDS,
) -> Path | None:
    """Print the index and every page to ``<folder>/report.pdf`` with headless Chromium.

    For readers who send reports by mail. Tables are printed whole (not cut
    to their scroll boxes) and each page starts on a new sheet.

    Parameters
    ----------
    folder : path-like
        The report folder (or its build folder) with ``index.html`` and the pages.
    pages : list of str
        Page file names in order.
    chromium : str, optional
        Browser executable; default :func:`find_chromium`.
    timeout : float
        Seconds before printing is abandoned.

    Returns
    -------
    pathlib.Path or None
        The PDF, or None when no Chromium is available (nothing is written).

    Raises
    ------
    ReportError
        Chromium ran but did not produce the PDF; the message has its output.

    Examples
    --------
    >>> write_pdf("reports/seeds", ["01-corpus-overview.html"])  # doctest: +SKIP
    PosixPath('reports/seeds/report.pdf')
    """
    import subprocess

    folder = Path(folder).resolve()
    chromium = chromium or find_chromium()
    if chromium is None:
        return None
    target = folder / PDF_NAME
    # The print view sits in the report folder so its relative links (figures) resolve;
    # the browser profile goes to the system's temporary folder.
    view = folder / ".print-view.html"
    with tempfile.TemporaryDirectory(prefix="analysis-chromium-") as scratch:
        view.write_text(print_view(folder, pages), encoding="utf-8")
        command = [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
            f"--user-data-dir={scratch}", f"--print-to-pdf={target}", view.as_uri(),
        ]
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise ReportError(f"printing {PDF_NAME} with {chromium} failed: {error}") from error
        finally:
            view.unlink(missing_ok=True)
    if result.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
        output = (result.stderr or result.stdout or "").strip().splitlines()[-3:]
        raise ReportError(
            f"{chromium} did not write {PDF_NAME} (exit status {result.returncode}): {' | '.join(output)}"
        )
    # The print time is the only thing that differs between two prints of the same report;
    # a fixed stamp of the same length keeps the byte offsets and makes reruns identical.
    content = target.read_bytes()
    target.write_bytes(re.sub(rb"(/(?:Creation|Mod)Date \(D:)\d{14}", rb"\g<1>" + PDF_FIXED_STAMP, content))
    return target


def _progress(message: str, *, end: str = "\n") -> None:
    print(message, end=end, file=sys.stderr, flush=True)


# --- Running the notebooks ----------------------------------------------------------------------

#: Notebooks run at once by default: one per usable CPU, at most this many (each holds its own
#: copy of the corpus and its tables in memory, and past a few the longest notebook decides anyway).
MAX_DEFAULT_NOTEBOOK_JOBS = 4
# Inside the build folder: one folder per running notebook for the figures and tables it writes.
STAGING_DIR_NAME = ".notebooks"


def default_notebook_jobs() -> int:
    """How many notebooks the report runs at once unless told: the usable CPUs, at most :data:`MAX_DEFAULT_NOTEBOOK_JOBS`.

    Examples
    --------
    >>> 1 <= default_notebook_jobs() <= MAX_DEFAULT_NOTEBOOK_JOBS
    True
    """
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_DEFAULT_NOTEBOOK_JOBS))


@dataclass
class _NotebookJob:
    """A notebook the run executes: its position, file, parameters and cache entry (None without the cache)."""

    number: int
    path: Path
    parameters: dict
    entry: Path | None


@dataclass
class _NotebookResult:
    """A notebook's page and title, and its figures and tables as (path in the report, file holding it)."""

    page: str
    title: str
    reused: bool = False
    not_run: str | None = None
    files: list = None

    def __post_init__(self):
        self.files = list(self.files or [])


def _segment_once(corpus: pd.DataFrame, options: dict, *, progress: bool) -> None:
    """Segment the corpus into the run's segment cache before any notebook starts.

    Notebooks running at the same time then read one segmentation instead of
    each segmenting the corpus. 03 and 04 leave out the procedural texts, which
    changes the cache shards around them, so that document set is segmented too.
    """
    from .corpus import without_procedural
    from .tokens import cache_segments

    started = time.perf_counter()
    cache_segments(corpus, options=options)
    subset = without_procedural(corpus)
    if len(subset) != len(corpus):
        cache_segments(subset, options=options)
    if progress:
        _progress(f"Segmented {len(corpus):,} documents for the notebooks in {time.perf_counter() - started:.1f} s")


def _run_one(job: _NotebookJob, *, build: Path, kernel: str) -> _NotebookResult:
    """Execute one notebook into its own staging folder, store it in the cache and write its page."""
    staging = build / STAGING_DIR_NAME / job.path.stem
    for folder in ("figures", "tables"):
        (staging / folder).mkdir(parents=True)
    executed = _execute(job.path, {**job.parameters, "output_dir": str(staging)}, kernel=kernel)
    produced = _relative_files(staging, "figures/*") + _relative_files(staging, "tables/*")
    if job.entry is not None:
        write_entry(job.entry, executed, staging, produced)
    page = f"{job.path.stem}.html"
    (build / page).write_text(notebook_to_html(executed, name=job.path.stem), encoding="utf-8")
    return _NotebookResult(
        page, _notebook_title(executed) or job.path.stem, files=[(relative, staging / relative) for relative in produced]
    )


def _run_notebooks(
    jobs: list[_NotebookJob], *, build: Path, kernel: str, workers: int, progress: bool, total: int
) -> dict[int, _NotebookResult]:
    """Run the notebooks, ``workers`` at a time; results by notebook number.

    Each notebook writes into its own staging folder, so notebooks running at
    the same time never see each other's files. On a failure no further
    notebook starts, the running ones finish, and the failure of the first
    failing notebook (in notebook order) is raised.
    """
    import concurrent.futures

    def run(job: _NotebookJob) -> tuple[_NotebookResult, float]:
        started = time.perf_counter()
        result = _run_one(job, build=build, kernel=kernel)
        return result, time.perf_counter() - started

    def report_done(job: _NotebookJob, seconds: float) -> None:
        if progress:
            _progress(f"[{job.number}/{total}] {job.path.name} … done in {seconds:.1f} s")

    results: dict[int, _NotebookResult] = {}
    if workers == 1 or len(jobs) <= 1:
        for job in jobs:
            results[job.number], seconds = run(job)
            report_done(job, seconds)
        return results
    failures: dict[int, BaseException] = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=min(workers, len(jobs)), thread_name_prefix="notebook") as pool:
        futures = {pool.submit(run, job): job for job in jobs}
        try:
            for future in concurrent.futures.as_completed(futures):
                job = futures[future]
                if future.cancelled():
                    continue
                error = future.exception()
                if error is not None:
                    failures[job.number] = error
                    for waiting in futures:
                        waiting.cancel()
                    continue
                results[job.number], seconds = future.result()
                report_done(job, seconds)
        except BaseException:
            # Interrupted while waiting: start nothing more; the pool waits for the running notebooks.
            for waiting in futures:
                waiting.cancel()
            raise
    if failures:
        raise failures[min(failures)]
    return results


def run_report(
    corpus_path: str | os.PathLike,
    *,
    output_dir: str | os.PathLike | None = None,
    notebooks=None,
    notebooks_dir: str | os.PathLike | None = None,
    parameters: dict | None = None,
    progress: bool = True,
    cache: bool = True,
    cache_dir: str | os.PathLike | None = None,
    pdf: bool = True,
    reference: str | os.PathLike | None = None,
    notebook_jobs: int | None = None,
) -> Path:
    """Run the notebooks on a corpus and publish the report folder.

    Each ``NN-*.ipynb`` runs headless (on :func:`kernel_name`, whatever
    kernel the notebook's metadata names; working directory the notebook
    folder) with the parameters ``corpus`` (absolute path), ``output_dir``
    (where it saves figures and tables), ``top_n`` and ``random_state``, and
    ``interactive=False`` for a notebook whose parameters cell declares
    ``interactive`` (widgets cannot run headless). The report is built in a hidden sibling folder and moved
    into place only when every notebook succeeded.

    With ``cache=True`` a notebook whose inputs are unchanged is not run
    again: its executed notebook and the figures and tables it wrote are
    reused from ``<cache_dir>/notebooks/<key>/``. The key
    (:func:`analysis.cache.notebook_cache_key`) covers the notebook's bytes, its parameters
    (except ``output_dir``), every byte of the corpus
    (:func:`analysis.cache.corpus_content_hash`), the package source (``src/analysis/*.py``),
    the package data (``data/`` without the cache), the kernel, and the
    versions of Python, pandas, numpy, scikit-learn, jieba, matplotlib,
    papermill and nbconvert. A cached build is byte-identical to a cold one
    except the per-notebook ``cached`` flag in ``manifest.json``. Entries are
    written atomically; a damaged entry (a file missing or not matching the
    hash recorded with it) is ignored and rewritten.

    Parameters
    ----------
    corpus_path : path-like
        Corpus file or folder; relative paths are taken from the current directory.
    output_dir : path-like, optional
        Report folder; default ``reports/<report_name(corpus_path)>``. An
        existing folder is replaced only if it is empty or holds a report
        (a ``manifest.json``).
    notebooks : list of str, optional
        Run only these notebooks (file names, stems or ``NN`` prefixes).
    notebooks_dir : path-like, optional
        Folder of the notebooks; default :data:`analysis.config.NOTEBOOKS_DIR`.
    parameters : dict, optional
        Extra or overriding notebook parameters (``top_n``, ``random_state``,
        ...). ``corpus`` and ``output_dir`` are set by the runner.
    progress : bool
        Print one line per notebook to stderr ("done in ..." or "reused from cache").
    cache : bool, default True
        Reuse and store executed notebooks. False runs every notebook and
        leaves the notebook cache untouched (the segment cache is controlled
        by the ``segmentation`` parameter, an
        :class:`analysis.options.SegmentOptions` as a dict).
    cache_dir : path-like, optional
        Cache root; entries go under ``<cache_dir>/notebooks``. Default
        :data:`analysis.config.CACHE_DIR`.
    pdf : bool, default True
        Also print the whole report to ``report.pdf`` (:func:`write_pdf`)
        when Chromium is installed; without it the progress output says how
        to get one.
    reference : path-like, optional
        A reference corpus (the central documents) for the notebooks that
        compare levels (those declaring a ``reference`` parameter,
        07-diffusion). Without it such a notebook runs only when the corpus
        itself has more than one level; otherwise it is skipped, with a
        progress line and an entry under ``skipped_notebooks`` in the
        manifest saying why.
    notebook_jobs : int, optional
        Notebooks run at once, each on its own kernel; default
        :func:`default_notebook_jobs` (the usable CPUs, at most 4). Each
        notebook writes its figures and tables into a folder of its own,
        merged in notebook order, so the report is the same bytes whatever
        this number. Before the first notebook starts, the runner segments
        the corpus once into the segment cache (the run's own folder with
        ``--no-cache``), so no two notebooks segment it at the same time.

    Returns
    -------
    pathlib.Path
        The report folder.

    Raises
    ------
    ReportError
        If the corpus or a notebook is missing, or a notebook fails; for a
        failure the message names the notebook, the cell and the error, and
        the previous report is left untouched.

    Examples
    --------
    >>> folder = run_report("seeds", progress=False)  # doctest: +SKIP
    >>> (folder / "index.html").is_file()  # doctest: +SKIP
    True
    """
    corpus_path = config.resolve_path(corpus_path)
    parameters = dict(parameters or {})
    clashes = [key for key in RESERVED_PARAMETERS if key in parameters]
    if clashes:
        raise ReportError(f"parameters {clashes} are set by run_report itself; use its arguments instead")
    notebooks_dir = config.resolve_path(notebooks_dir) if notebooks_dir is not None else config.NOTEBOOKS_DIR
    notebook_paths = _select_notebooks(notebooks_dir, notebooks)
    name = report_name(corpus_path)
    target = config.resolve_path(output_dir) if output_dir is not None else config.REPORTS_DIR / name
    if not _is_replaceable(target):
        raise ReportError(
            f"refusing to replace {target}: it exists and is not a report folder (no manifest.json)"
        )
    if reference is not None:
        reference = config.resolve_path(reference)
        if not reference.exists():
            raise ReportError(f"reference corpus not found: {reference} (give a file or folder that exists)")
    if not corpus_path.exists():
        raise ReportError(f"corpus not found: {corpus_path} (give a file or folder that exists)")
    workers = default_notebook_jobs() if notebook_jobs is None else check_int(notebook_jobs, name="notebook_jobs", minimum=1)
    segmentation = SegmentOptions.from_value(parameters.pop(SEGMENTATION_PARAMETER, None)).as_parameter()
    cache_root = config.resolve_path(cache_dir) if cache_dir is not None else config.CACHE_DIR

    target.parent.mkdir(parents=True, exist_ok=True)
    with _publish_lock(target):
        _remove_abandoned_builds(target)
    build = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    build_lock = _hold_build(build)
    # What the notebooks of this run share without reusing earlier runs (--no-cache): the loaded corpus and
    # its segmentation. Inside the build folder, so it goes with the build, also a killed run's.
    run_cache = build / RUN_CACHE_DIR_NAME
    run_segments = run_cache / "segments" if segmentation["cache"] is False else None
    corpora_cache = str(cache_root / CORPORA_DIR_NAME) if cache else str(run_cache / CORPORA_DIR_NAME)
    total = len(notebook_paths)
    try:
        corpus_frame = _load(corpus_path, cache=corpora_cache)
        description = _describe(corpus_path, corpus_frame)
        skip_reason = comparison_skip_reason(description.levels, reference)
        kernel = kernel_name()
        entries_dir = corpus_hash = environment = None
        if cache:
            entries_dir = cache_root / NOTEBOOK_CACHE_DIR_NAME
            remove_stale_entries(entries_dir)
            corpus_hash = corpus_content_hash(corpus_path)
            reference_hash = corpus_content_hash(reference) if reference is not None else None
            environment = environment_fingerprint(entries_dir.parent)
        # The period is decided here, once, so every page counts by the same unit.
        chosen_period = parameters.pop(PERIOD_PARAMETER, None) or choose_period(description.documents) or "year"
        settings = {
            "top_n": config.DEFAULT_TOP_N,
            "random_state": config.DEFAULT_RANDOM_STATE,
            **parameters,
            PERIOD_PARAMETER: check_period(chosen_period),
            SEGMENTATION_PARAMETER: segmentation,
        }
        documents = len(description.documents)
        # mkdtemp makes the folder private; a published report is as readable as any other.
        build.chmod(0o755)
        (build / "figures").mkdir()
        (build / "tables").mkdir()
        done: dict[int, _NotebookResult] = {}
        to_run: list[_NotebookJob] = []
        skipped_notebooks = []
        for number, notebook_path in enumerate(notebook_paths, start=1):
            declared = notebook_parameters(notebook_path)
            if REFERENCE_PARAMETER in declared and skip_reason is not None:
                skipped_notebooks.append({"notebook": notebook_path.name, "reason": skip_reason})
                if progress:
                    _progress(f"[{number}/{total}] {notebook_path.name} skipped: {skip_reason}")
                continue
            needed = notebook_min_documents(notebook_path)
            if documents < needed:
                page = f"{notebook_path.stem}.html"
                title, message = _not_run_page(build / page, notebook_path, documents=documents, needed=needed)
                done[number] = _NotebookResult(page, title, not_run=message)
                if progress:
                    _progress(f"[{number}/{total}] {notebook_path.name} not run: {message}")
                continue
            runner_parameters = {"corpus": str(corpus_path), "output_dir": str(build)}
            if REFERENCE_PARAMETER in declared:
                runner_parameters[REFERENCE_PARAMETER] = str(reference) if reference is not None else None
            if INTERACTIVE_PARAMETER in declared:
                runner_parameters[INTERACTIVE_PARAMETER] = False
            # Runner-wide settings go only to the notebooks that declare them, so papermill
            # does not warn about parameters a notebook never declared.
            passed = {
                key: value
                for key, value in settings.items()
                if key not in (PERIOD_PARAMETER, SEGMENTATION_PARAMETER) or key in declared
            }
            if run_segments is not None and SEGMENTATION_PARAMETER in passed:
                passed[SEGMENTATION_PARAMETER] = {**segmentation, "cache": str(run_segments)}
            if CORPUS_CACHE_PARAMETER in declared:
                # The corpus as the runner loaded it, read back instead of cleaned again.
                passed[CORPUS_CACHE_PARAMETER] = corpora_cache
            notebook_parameters_passed = {**runner_parameters, **passed}
            entry = None
            cached_run = None
            started = time.perf_counter()
            if entries_dir is not None:
                key = notebook_cache_key(
                    notebook_path, notebook_parameters_passed,
                    # The reference corpus's bytes shape a comparing notebook as much as the corpus's.
                    corpus_hash=corpus_hash if REFERENCE_PARAMETER not in declared else f"{corpus_hash}+{reference_hash}",
                    environment=environment, kernel=kernel,
                )
                entry = entries_dir / key
                cached_run = read_entry(entry)
            if cached_run is None:
                to_run.append(_NotebookJob(number, notebook_path, notebook_parameters_passed, entry))
                continue
            executed, stored_files = cached_run
            page = f"{notebook_path.stem}.html"
            (build / page).write_text(notebook_to_html(executed, name=notebook_path.stem), encoding="utf-8")
            done[number] = _NotebookResult(
                page, _notebook_title(executed) or notebook_path.stem, reused=True,
                files=[(relative, entry / "outputs" / relative) for relative in stored_files],
            )
            if progress:
                _progress(f"[{number}/{total}] {notebook_path.name} … reused from cache in {time.perf_counter() - started:.1f} s")
        if any(SEGMENTATION_PARAMETER in job.parameters for job in to_run):
            _segment_once(
                corpus_frame, {**segmentation, "cache": str(run_segments) if run_segments is not None else segmentation["cache"]},
                progress=progress,
            )
        # The notebooks load the corpus themselves; the runner's copy is not kept while they run.
        del corpus_frame
        done.update(_run_notebooks(to_run, build=build, kernel=kernel, workers=workers, progress=progress, total=total))
        pages = []
        reused_flags = []
        not_run: dict[str, str] = {}
        # Each notebook wrote into its own folder; merged in notebook order, a later notebook's file
        # replaces an earlier one's of the same name, as when they ran one after another.
        for number in sorted(done):
            result = done[number]
            pages.append((result.page, result.title))
            reused_flags.append(result.reused)
            if result.not_run is not None:
                not_run[result.page] = result.not_run
            for relative, source in result.files:
                if result.reused:
                    shutil.copyfile(source, build / relative)
                else:
                    os.replace(source, build / relative)
        shutil.rmtree(build / STAGING_DIR_NAME, ignore_errors=True)
        shutil.rmtree(run_cache, ignore_errors=True)
        figures = _relative_files(build, "figures/*")
        tables = _relative_files(build, "tables/*.csv")
        manifest = _manifest(
            description, name=name, parameters=settings, pages=pages, figures=figures, tables=tables,
            kernel=kernel, cached=reused_flags,
        )
        for entry_row in manifest["notebooks"]:
            if entry_row["page"] in not_run:
                entry_row["not_run"] = not_run[entry_row["page"]]
        manifest["skipped_notebooks"] = skipped_notebooks
        (build / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        top_slogans, top_terms = top_slogans_and_terms(build, tables)
        index = functools.partial(
            render_index, description, name=name, pages=pages, figures=figures, tables=tables,
            top_slogans=top_slogans, top_terms=top_terms,
        )
        printing = pdf and find_chromium() is not None
        (build / "index.html").write_text(index(pdf=printing), encoding="utf-8")
        if printing:
            try:
                page_names = [page for page, _ in pages]
                key = print_key(build, page_names, chromium=find_chromium()) if entries_dir is not None else None
                if key is not None and read_pdf(entries_dir.parent, key, build / PDF_NAME):
                    if progress:
                        _progress(f"{PDF_NAME} reused from cache")
                else:
                    write_pdf(build, page_names)
                    if key is not None:
                        store_pdf(entries_dir.parent, key, build / PDF_NAME)
                    if progress:
                        _progress(f"Printed {PDF_NAME}")
            except ReportError as error:
                # The HTML report is complete; a failed print must not throw it away.
                (build / "index.html").write_text(index(pdf=False), encoding="utf-8")
                _progress(f"{PDF_NAME} not written: {error}")
        elif pdf and progress:
            _progress(NO_CHROMIUM_MESSAGE)
        with _publish_lock(target):
            _swap_into_place(build, target)
    except BaseException:
        if progress:
            _progress("failed")
        shutil.rmtree(build, ignore_errors=True)
        raise
    finally:
        build_lock.close()
    if progress:
        _progress(f"Report written to {target / 'index.html'}")
    return target


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m analysis.report CORPUS [options]``.

    Returns the exit status: 0 on success, 1 when the report failed (with a
    one-paragraph message on stderr), 2 for bad arguments.

    Examples
    --------
    >>> main(["seeds", "--quiet"])  # doctest: +SKIP
    0
    """
    parser = argparse.ArgumentParser(
        prog="python -m analysis.report",
        description="Run the analysis notebooks on a corpus and write an HTML report without code.",
    )
    parser.add_argument(
        "corpus",
        nargs="?",
        default=None,
        help="corpus file or folder; relative paths are taken from the current directory "
        "(default: the project's seed page, seeds/)",
    )
    parser.add_argument("--output", help="report folder (default: reports/<corpus name>)")
    parser.add_argument("--top-n", type=int, default=config.DEFAULT_TOP_N, help="rows in top-N tables and charts")
    parser.add_argument("--random-state", type=int, default=config.DEFAULT_RANDOM_STATE, help="seed for topic models")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes for segmentation (-1: one per CPU)")
    parser.add_argument(
        "--backend", choices=("jieba", "rjieba"), default="jieba", help="segmenter; rjieba needs the [fast] extra"
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="run every notebook and segment every document again, ignoring (and not writing) the "
        "notebook and segment caches",
    )
    parser.add_argument("--cache-dir", help="segment cache folder (default: data/cache or $ANALYSIS_CACHE_DIR)")
    parser.add_argument(
        "--engine", choices=("local", "dask"), default="local", help="run segmentation locally or on Dask"
    )
    parser.add_argument("--scheduler", help="address of a Dask scheduler, e.g. tcp://host:8786 (with --engine dask)")
    parser.add_argument("--no-pdf", action="store_true", help="do not print the report to report.pdf")
    parser.add_argument(
        "--period", choices=list(PERIODS), help="unit of every timeline (default: chosen from the span of the dates)"
    )
    parser.add_argument(
        "--reference",
        help="reference corpus (e.g. the central documents) for 07-diffusion; without it that notebook runs "
        "only on a corpus with more than one level",
    )
    parser.add_argument(
        "--notebook-jobs", type=int, default=None,
        help=f"notebooks run at once (default: one per CPU, at most {MAX_DEFAULT_NOTEBOOK_JOBS}; 1 runs them one "
        "after another); the report is the same whatever this number",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    arguments = parser.parse_args(argv)
    cache: bool | str = False if arguments.no_cache else (arguments.cache_dir or True)
    try:
        folder = run_report(
            arguments.corpus if arguments.corpus is not None else config.DEFAULT_CORPUS,
            output_dir=arguments.output,
            parameters={
                "top_n": arguments.top_n,
                "random_state": arguments.random_state,
                PERIOD_PARAMETER: arguments.period,
                SEGMENTATION_PARAMETER: SegmentOptions(
                    n_jobs=arguments.jobs, backend=arguments.backend, cache=cache,
                    engine=arguments.engine, scheduler=arguments.scheduler,
                ),
            },
            progress=not arguments.quiet,
            cache=not arguments.no_cache,
            pdf=not arguments.no_pdf,
            reference=arguments.reference,
            notebook_jobs=arguments.notebook_jobs,
        )
    except ReportError as error:
        print(f"report failed: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("report failed: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # any other failure is reported in one line too, never as a traceback
        print(f"report failed: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    if arguments.quiet:
        print(folder / "index.html")
    return 0


if __name__ == "__main__":
    sys.exit(main())
