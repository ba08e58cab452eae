"""``run_report``: run every notebook on a corpus and publish the report folder."""

from __future__ import annotations

import functools
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from .. import config
from ..cache import (
    CORPORA_DIR_NAME,
    MENTIONS_DIR_NAME,
    NOTEBOOK_CACHE_DIR_NAME,
    corpus_content_hash,
    environment_fingerprint,
    notebook_cache_key,
    print_key,
    read_entry,
    read_notebook_times,
    read_pdf,
    remove_stale_entries,
    write_notebook_times,
)
from ..cache import write_pdf as store_pdf
from ..options import SegmentOptions
from ..periods import check_period, choose_period
from ..validation import check_choice, check_int
from .description import describe_loaded_corpus, load_report_corpus, report_name
from .errors import ReportError
from .execution import (
    STAGING_DIR_NAME,
    NotebookJob,
    NotebookResult,
    default_notebook_jobs,
    kernel_name,
    kernel_pool,
    longest_first,
    print_progress,
    run_notebooks,
    segment_once,
    tag_once,
)
from .index import build_manifest, render_index, top_slogans_and_terms
from .notebooks import (
    CORPUS_CACHE_PARAMETER,
    INTERACTIVE_PARAMETER,
    LEVEL_PARAMETER,
    MENTIONS_CACHE_PARAMETER,
    PERIOD_PARAMETER,
    REFERENCE_PARAMETER,
    REGION_PARAMETER,
    RESERVED_PARAMETERS,
    SEGMENTATION_PARAMETER,
    comparison_skip_reason,
    notebook_min_documents,
    notebook_parameters,
    notebook_title,
    select_notebooks,
)
from .outputs import relative_files
from .pages import not_run_page, notebook_to_html
from .printing import NO_CHROMIUM_MESSAGE, PDF_NAME, find_chromium, write_pdf
from .publishing import hold_build, is_replaceable, publish_lock, remove_abandoned_builds, swap_into_place

# Inside the build folder: the loaded corpus and segments a --no-cache run shares between its notebooks.
RUN_CACHE_DIR_NAME = ".run-cache"


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
    level: str | None = None,
    region: str | None = None,
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
        the corpus once into the segment cache and tags its slogans once
        into the mentions cache (the run's own folders with ``--no-cache``),
        so no two notebooks segment or tag it again.

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
    ``level`` and ``region`` label the corpus's documents whose data names
    none, for the notebooks that declare them (07-diffusion). Left out, a
    notebook keeps its own defaults on the project's seed page (they describe
    it) and gets None on any other corpus, so the seed's county is never
    given to another corpus's documents.

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
    notebook_paths = select_notebooks(notebooks_dir, notebooks)
    name = report_name(corpus_path)
    target = config.resolve_path(output_dir) if output_dir is not None else config.REPORTS_DIR / name
    if not is_replaceable(target):
        raise ReportError(
            f"refusing to replace {target}: it exists and is not a report folder (no manifest.json)"
        )
    if reference is not None:
        reference = config.resolve_path(reference)
        if not reference.exists():
            raise ReportError(f"reference corpus not found: {reference} (give a file or folder that exists)")
    if not corpus_path.exists():
        raise ReportError(f"corpus not found: {corpus_path} (give a file or folder that exists)")
    if level is not None:
        level = check_choice(level, config.LEVELS, name="level")
    # The notebooks' own level and region describe the seed page; another corpus gets only what is given.
    seed_labels = level is None and region is None and corpus_path == config.resolve_path(config.DEFAULT_CORPUS)
    labels = {} if seed_labels else {LEVEL_PARAMETER: level, REGION_PARAMETER: region}
    workers = default_notebook_jobs() if notebook_jobs is None else check_int(notebook_jobs, name="notebook_jobs", minimum=1)
    segmentation = SegmentOptions.from_value(parameters.pop(SEGMENTATION_PARAMETER, None)).as_parameter()
    cache_root = config.resolve_path(cache_dir) if cache_dir is not None else config.CACHE_DIR

    target.parent.mkdir(parents=True, exist_ok=True)
    with publish_lock(target):
        remove_abandoned_builds(target)
    build = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    build_lock = hold_build(build)
    # What the notebooks of this run share without reusing earlier runs (--no-cache): the loaded corpus, its
    # segmentation and its slogan mentions. Inside the build folder, so it goes with the build, also a killed run's.
    run_cache = build / RUN_CACHE_DIR_NAME
    run_segments = run_cache / "segments" if segmentation["cache"] is False else None
    corpora_cache = str(cache_root / CORPORA_DIR_NAME) if cache else str(run_cache / CORPORA_DIR_NAME)
    mentions_cache = str(cache_root / MENTIONS_DIR_NAME) if cache else str(run_cache / MENTIONS_DIR_NAME)
    total = len(notebook_paths)
    try:
        corpus_frame = load_report_corpus(corpus_path, cache=corpora_cache)
        description = describe_loaded_corpus(corpus_path, corpus_frame)
        skip_reason = comparison_skip_reason(
            description.levels or ((level,) if level else ()), reference,
            labelled=bool(description.levels) or level is not None or seed_labels, seed_page=seed_labels,
        )
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
        done: dict[int, NotebookResult] = {}
        to_run: list[NotebookJob] = []
        skipped_notebooks = []
        for number, notebook_path in enumerate(notebook_paths, start=1):
            declared = notebook_parameters(notebook_path)
            if REFERENCE_PARAMETER in declared and skip_reason is not None:
                skipped_notebooks.append({"notebook": notebook_path.name, "reason": skip_reason})
                if progress:
                    print_progress(f"[{number}/{total}] {notebook_path.name} skipped: {skip_reason}")
                continue
            needed = notebook_min_documents(notebook_path)
            if documents < needed:
                page = f"{notebook_path.stem}.html"
                title, message = not_run_page(build / page, notebook_path, documents=documents, needed=needed)
                done[number] = NotebookResult(page, title, not_run=message)
                if progress:
                    print_progress(f"[{number}/{total}] {notebook_path.name} not run: {message}")
                continue
            runner_parameters = {"corpus": str(corpus_path), "output_dir": str(build)}
            if REFERENCE_PARAMETER in declared:
                runner_parameters[REFERENCE_PARAMETER] = str(reference) if reference is not None else None
            if INTERACTIVE_PARAMETER in declared:
                runner_parameters[INTERACTIVE_PARAMETER] = False
            runner_parameters.update({key: value for key, value in labels.items() if key in declared})
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
            if MENTIONS_CACHE_PARAMETER in declared:
                # The corpus's mentions as the runner tagged them, read back instead of tagged again.
                passed[MENTIONS_CACHE_PARAMETER] = mentions_cache
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
                to_run.append(NotebookJob(number, notebook_path, notebook_parameters_passed, entry))
                continue
            executed, stored_files = cached_run
            page = f"{notebook_path.stem}.html"
            (build / page).write_text(notebook_to_html(executed, name=notebook_path.stem), encoding="utf-8")
            done[number] = NotebookResult(
                page, notebook_title(executed) or notebook_path.stem, reused=True,
                files=[(relative, entry / "outputs" / relative) for relative in stored_files],
            )
            if progress:
                print_progress(f"[{number}/{total}] {notebook_path.name} … reused from cache in {time.perf_counter() - started:.1f} s")
        # Started now, the first kernels are up by the time the corpus is segmented and tagged.
        kernels = kernel_pool(kernel, folder=to_run[0].path.parent, count=len(to_run), workers=workers) if to_run else None
        try:
            if any(SEGMENTATION_PARAMETER in job.parameters for job in to_run):
                segment_once(
                    corpus_frame, {**segmentation, "cache": str(run_segments) if run_segments is not None else segmentation["cache"]},
                    progress=progress,
                )
            if any(MENTIONS_CACHE_PARAMETER in job.parameters for job in to_run):
                tag_once(corpus_frame, mentions_cache, progress=progress)
            # The notebooks load the corpus themselves; the runner's copy is not kept while they run.
            del corpus_frame
            if workers > 1:
                # Reading the times of earlier runs leaves the cache untouched, so a --no-cache run uses them too.
                to_run = longest_first(to_run, read_notebook_times(cache_root))
            ran = run_notebooks(
                to_run, build=build, kernel=kernel, workers=workers, progress=progress, total=total, kernels=kernels
            )
        finally:
            if kernels is not None:
                kernels.close()
        if entries_dir is not None and ran:
            try:
                write_notebook_times(cache_root, {job.path.name: ran[job.number].seconds for job in to_run})
            except OSError as error:
                # Only the next run's start order depends on them: the report itself is complete.
                print_progress(f"notebook times not recorded in {cache_root}: {error}")
        done.update(ran)
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
        figures = relative_files(build, "figures/*")
        tables = relative_files(build, "tables/*.csv")
        manifest = build_manifest(
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
                        print_progress(f"{PDF_NAME} reused from cache")
                else:
                    write_pdf(build, page_names)
                    if key is not None:
                        store_pdf(entries_dir.parent, key, build / PDF_NAME)
                    if progress:
                        print_progress(f"Printed {PDF_NAME}")
            except ReportError as error:
                # The HTML report is complete; a failed print must not throw it away.
                (build / "index.html").write_text(index(pdf=False), encoding="utf-8")
                print_progress(f"{PDF_NAME} not written: {error}")
        elif pdf and progress:
            print_progress(NO_CHROMIUM_MESSAGE)
        with publish_lock(target):
            swap_into_place(build, target)
    except BaseException:
        if progress:
            print_progress("failed")
        shutil.rmtree(build, ignore_errors=True)
        raise
    finally:
        build_lock.close()
    if progress:
        print_progress(f"Report written to {target / 'index.html'}")
    return target
