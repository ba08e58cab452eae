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

Only this subpackage writes under ``reports/``. It also keeps the notebook cache
under ``config.CACHE_DIR / "notebooks"`` (see :func:`run_report`): a rerun on
unchanged inputs reuses each executed notebook and the files it wrote.

One module per stage of a report, every public name importable from
``analysis.report`` itself:

- :mod:`~analysis.report.outputs`: what a notebook calls (:func:`save_table`,
  :func:`show_table`, :func:`link_table`, :func:`save_figure`);
- :mod:`~analysis.report.discovery`: the slogans page's table of candidate
  new slogans (:func:`discovery_table`: both detectors where the corpus allows,
  a sample of a large corpus, and why, in the table's caption);
- :mod:`~analysis.report.description`: the corpus as the index page and the
  manifest describe it (:func:`describe_corpus`, :func:`report_name`);
- :mod:`~analysis.report.notebooks`: which notebooks run, the parameters they
  declare, the documents they need;
- :mod:`~analysis.report.execution`: kernels, papermill, one staging folder
  per notebook, several notebooks at once;
- :mod:`~analysis.report.pages`: a notebook as an HTML page without code;
- :mod:`~analysis.report.index`: ``index.html`` and ``manifest.json``;
- :mod:`~analysis.report.printing`: the print view and ``report.pdf``;
- :mod:`~analysis.report.publishing`: locks, leftovers of killed runs, the
  swap of a finished build into place;
- :mod:`~analysis.report.run`: :func:`run_report`, which puts them together;
- :mod:`~analysis.report.cli`: ``python -m analysis.report`` (:func:`main`);
- :mod:`~analysis.report.errors`: :class:`ReportError`.
"""

from __future__ import annotations

from .errors import ReportError  # noqa: F401
from .outputs import (  # noqa: F401
    FIGURE_DPI,
    OUTPUT_NAME_PATTERN,
    SHOW_MAX_ROWS,
    SVG_HASH_SALT,
    link_table,
    save_figure,
    save_table,
    show_table,
)
from .discovery import (  # noqa: F401
    DISCOVERY_MAX_CHARS,
    discovery_sample,
    discovery_table,
)
from .description import (  # noqa: F401
    CorpusDescription,
    describe_corpus,
    report_name,
)
from .notebooks import (  # noqa: F401
    CORPUS_CACHE_PARAMETER,
    COST_KEY,
    INTERACTIVE_PARAMETER,
    MENTIONS_CACHE_PARAMETER,
    MIN_DOCUMENTS_KEY,
    NOTEBOOK_PATTERN,
    PERIOD_PARAMETER,
    REFERENCE_PARAMETER,
    RESERVED_PARAMETERS,
    SEGMENTATION_PARAMETER,
    comparison_skip_reason,
    notebook_cost,
    notebook_min_documents,
    notebook_parameters,
)
from .pages import notebook_to_html  # noqa: F401
from .execution import (  # noqa: F401
    FALLBACK_KERNEL_NAME,
    KERNEL_NAME,
    MAX_DEFAULT_NOTEBOOK_JOBS,
    STAGING_DIR_NAME,
    default_notebook_jobs,
    kernel_environment,
    kernel_name,
    longest_first,
)
from .index import (  # noqa: F401
    INDEX_DOCUMENT_LIMIT,
    INDEX_TOP_ROWS,
    render_index,
    top_slogans_and_terms,
)
from .printing import (  # noqa: F401
    CHROMIUM_NAMES,
    NO_CHROMIUM_MESSAGE,
    PDF_FIXED_STAMP,
    PDF_NAME,
    PDF_TIMEOUT_SECONDS,
    PRINT_MAX_ROWS,
    find_chromium,
    print_view,
    write_pdf,
)
from .publishing import BUILD_LOCK_NAME  # noqa: F401
from .run import RUN_CACHE_DIR_NAME, run_report  # noqa: F401
from .cli import main  # noqa: F401
