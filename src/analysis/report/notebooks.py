"""The notebooks a report runs: which ones, the parameters they declare, what they need, their titles."""

from __future__ import annotations

import os
import re
from pathlib import Path

from .. import config
from .errors import ReportError

# Set False by the runner: a headless run has no widget frontend, so widget notebooks render statically.
# The options of analysis.tokens.tokenize that the report passes through to the notebooks that segment.
# What the runner decides once for every notebook; each notebook gets those it declares.
SEGMENTATION_PARAMETER = "segmentation"
# Where load_corpus keeps the loaded corpus (its cache=): the report's cache, or this run's own folder.
CORPUS_CACHE_PARAMETER = "corpus_cache"
# Where tag_slogans keeps the corpus's mentions (its cache=): the report's cache, or this run's own folder.
MENTIONS_CACHE_PARAMETER = "mentions_cache"
PERIOD_PARAMETER = "period"
INTERACTIVE_PARAMETER = "interactive"
NOTEBOOK_PATTERN = re.compile(r"^\d\d-[^/\\]+\.ipynb$")
RESERVED_PARAMETERS = ("corpus", "output_dir", "reference", "corpus_cache", "mentions_cache", "level", "region")
# A notebook declaring this parameter compares levels: it runs only when the corpus has more than
# one level or the report is given a reference corpus (--reference), and is skipped otherwise.
REFERENCE_PARAMETER = "reference"
# The administrative level and region given to the corpus's documents whose data names none
# (--level, --region); a notebook declaring them gets them.
LEVEL_PARAMETER = "level"
REGION_PARAMETER = "region"


def select_notebooks(notebooks_dir: Path, notebooks) -> list[Path]:
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


def comparison_skip_reason(levels, reference, *, labelled: bool = True, seed_page: bool = False) -> str | None:
    """Why a notebook that compares levels (07-diffusion) cannot run on this corpus, or None.

    ``labelled`` is False when the corpus's documents carry no level and none was given
    (``--level``): comparing them with a reference corpus would guess their level.
    ``seed_page`` is True for the default corpus, whose one level the notebook's own
    parameters give (the seed page is one county's paper).

    Examples
    --------
    >>> comparison_skip_reason(("county",), None)
    'the corpus has one level (county) and no reference corpus was given (--reference PATH)'
    >>> comparison_skip_reason(("county",), "gov_work_reports.jsonl") is None
    True
    >>> comparison_skip_reason((), "gov_work_reports.jsonl", labelled=False)[:44]
    "the corpus's documents carry no level: give "
    >>> comparison_skip_reason((), None, seed_page=True)[:62]
    "the seed page has one level (set in the notebook's parameters)"
    """
    if reference is not None and not labelled:
        return (
            f"the corpus's documents carry no level: give --level ({', '.join(config.LEVELS)}) "
            "and --region for them to compare them with the reference corpus"
        )
    if reference is not None or len(levels) > 1:
        return None
    if seed_page and not levels:
        return "the seed page has one level (set in the notebook's parameters) and no reference corpus was given (--reference PATH)"
    described = f"one level ({levels[0]})" if levels else "no level"
    return f"the corpus has {described} and no reference corpus was given (--reference PATH)"


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


#: Notebook metadata key (under ``"analysis"``) for how long a notebook takes compared with the others.
COST_KEY = "cost"


def notebook_cost(notebook_path: str | os.PathLike) -> float:
    """How costly a notebook is, from its metadata ``{"analysis": {"cost": seconds}}``; default 0.

    The seconds it took on the 40 MB benchmark corpus (benchmarks/report_speed.py);
    only their order matters. The report starts the costliest notebooks
    first when it has no times of an earlier run (:func:`analysis.cache.read_notebook_times`),
    so the run does not end with one long notebook running alone.

    Examples
    --------
    >>> notebook_cost(config.NOTEBOOKS_DIR / "04-tfidf-topics.ipynb") > notebook_cost(config.NOTEBOOKS_DIR / "01-corpus-overview.ipynb")
    True
    """
    import nbformat

    try:
        notebook = nbformat.read(str(notebook_path), as_version=4)
    except Exception as error:  # nbformat raises its own types for a broken notebook
        raise ReportError(f"{notebook_path}: cannot be read as a notebook: {error}") from error
    value = notebook.metadata.get("analysis", {}).get(COST_KEY, 0)
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
        raise ReportError(f"{notebook_path}: metadata analysis.{COST_KEY} must be a number of seconds >= 0, got {value!r}")
    return float(value)


def notebook_title(notebook) -> str | None:
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip() or None
    return None
