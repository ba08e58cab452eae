"""The command line, ``python -m analysis.report CORPUS [options]``."""

from __future__ import annotations

import argparse
import sys

from .. import config
from ..options import SegmentOptions
from ..periods import PERIODS
from .errors import ReportError
from .execution import MAX_DEFAULT_NOTEBOOK_JOBS
from .notebooks import PERIOD_PARAMETER, SEGMENTATION_PARAMETER
from .run import run_report


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
        "--level", choices=list(config.LEVELS),
        help="administrative level of the corpus's documents whose data names none, for 07-diffusion "
        "(default: none; the seed page is a county paper)",
    )
    parser.add_argument("--region", help="region of the corpus's documents whose data names none, e.g. 河南省")
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
            level=arguments.level,
            region=arguments.region,
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
