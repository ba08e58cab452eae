"""Running the notebooks: kernels, papermill, a staging folder per notebook, several at once."""

from __future__ import annotations

import collections
import functools
import os
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..cache import write_entry
from .errors import ReportError
from .notebooks import notebook_cost, notebook_title
from .outputs import relative_files
from .pages import notebook_to_html

# The kernel `make setup` registers inside the venv (ipykernel install --sys-prefix --name analysis).
# Passed explicitly, so a notebook's own kernelspec metadata never decides where the report runs.
KERNEL_NAME = "analysis"
FALLBACK_KERNEL_NAME = "python3"


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

    root = str(Path(__file__).resolve().parents[2])
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


#: Kernels started ahead of the notebooks that will run on them, per notebook job: a notebook
#: finishing finds the next one's kernel up, so no notebook waits for a kernel to start.
KERNELS_AHEAD = 1
# Arguments nbclient gives the kernels it starts itself; a kernel started ahead gets the same.
_KERNEL_ARGUMENTS = ["--HistoryManager.hist_file=:memory:"]
_PRESTARTED_ENGINE = "analysis-prestarted"


@dataclass
class StartedKernel:
    """A kernel started ahead of its notebook: its manager, kernel name and working folder."""

    manager: object
    name: str
    folder: Path


def start_kernel(kernel: str, folder: Path) -> StartedKernel:
    """Start a notebook kernel in ``folder`` as papermill would, to hand to a notebook later."""
    import asyncio

    manager = _kernel_options()["kernel_manager_class"](kernel_name=kernel)
    asyncio.run(manager.start_kernel(cwd=str(folder), extra_arguments=list(_KERNEL_ARGUMENTS)))
    return StartedKernel(manager, kernel, Path(folder))


def stop_kernel(started: StartedKernel) -> None:
    import asyncio

    try:
        asyncio.run(started.manager.shutdown_kernel(now=True))
    except Exception:  # a kernel that died on its own needs no stopping
        pass


class KernelPool:
    """Kernels for ``count`` notebooks, started ``ahead`` at a time before the notebooks ask for them.

    A kernel takes about a second to start, mostly waiting for the new process;
    started ahead, that second passes while the corpus is segmented or the
    previous notebook runs. :meth:`take` hands out a started kernel and starts
    the next; a kernel that failed to start is not handed out (the notebook then
    starts its own, and fails with papermill's own message if that fails too).
    :meth:`close` stops the kernels no notebook took.
    """

    def __init__(self, kernel: str, *, folder: Path, count: int, ahead: int):
        import concurrent.futures

        self.kernel, self.folder = kernel, Path(folder)
        self._left = count
        self._starting: collections.deque = collections.deque()
        self._lock = threading.Lock()
        self._starter = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, ahead), thread_name_prefix="kernel-start")
        for _ in range(min(ahead, count)):
            self._start_next()

    def _start_next(self) -> None:
        self._left -= 1
        self._starting.append(self._starter.submit(start_kernel, self.kernel, self.folder))

    def take(self) -> StartedKernel | None:
        with self._lock:
            future = self._starting.popleft() if self._starting else None
            if self._left > 0:
                self._start_next()
        if future is None:
            return None
        try:
            return future.result()
        except Exception:
            return None

    def close(self) -> None:
        with self._lock:
            self._left = 0
            waiting, self._starting = list(self._starting), collections.deque()
        for future in waiting:
            try:
                stop_kernel(future.result())
            except Exception:
                pass
        self._starter.shutdown(wait=True)


def kernel_pool(kernel: str, *, folder: Path, count: int, workers: int) -> KernelPool | None:
    """The kernels for ``count`` notebooks run ``workers`` at a time, :data:`KERNELS_AHEAD` per worker started ahead; None for none."""
    if count <= 0 or KERNELS_AHEAD <= 0:
        return None
    return KernelPool(kernel, folder=folder, count=count, ahead=workers * KERNELS_AHEAD)


@functools.lru_cache(maxsize=1)
def _register_prestarted_engine() -> str:
    """papermill's engine for a kernel started ahead: nbclient runs on it and shuts it down after."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.utils import merge_kwargs, remove_args

    class PrestartedEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None, stderr_file=None,
                                     start_timeout=60, execution_timeout=None, **kwargs):
            manager = kwargs.pop("km")
            kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
            client = PapermillNotebookClient(nb_man, km=manager, **merge_kwargs(
                kwargs, timeout=execution_timeout, startup_timeout=start_timeout, kernel_name=kernel_name,
                log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file,
            ))
            # Handed a manager, nbclient would leave its kernel running; this notebook is its only user.
            client.owns_km = True
            return client.execute()

    papermill_engines.register(_PRESTARTED_ENGINE, PrestartedEngine)
    return _PRESTARTED_ENGINE


def _execute(notebook_path: Path, parameters: dict, *, kernel: str | StartedKernel):
    import papermill

    engine = {}
    if isinstance(kernel, StartedKernel):
        engine = {"engine_name": _register_prestarted_engine(), "km": kernel.manager}
        kernel = kernel.name
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
            **engine,
        )
    except Exception as error:  # papermill raises many types; all mean "this notebook failed"
        raise _execution_error(notebook_path, error) from error


def print_progress(message: str, *, end: str = "\n") -> None:
    print(message, end=end, file=sys.stderr, flush=True)


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
class NotebookJob:
    """A notebook the run executes: its position, file, parameters and cache entry (None without the cache)."""

    number: int
    path: Path
    parameters: dict
    entry: Path | None


@dataclass
class NotebookResult:
    """A notebook's page and title, and its figures and tables as (path in the report, file holding it)."""

    page: str
    title: str
    reused: bool = False
    not_run: str | None = None
    files: list = None
    seconds: float | None = None

    def __post_init__(self):
        self.files = list(self.files or [])


def longest_first(jobs: list[NotebookJob], times: dict[str, float]) -> list[NotebookJob]:
    """The jobs in the order to start them: the longest first, so the run does not end on one long notebook alone.

    A notebook's length is the time it took when it last ran (``times``, by
    file name, from :func:`analysis.cache.read_notebook_times`) when every
    job has one, else its declared cost (:func:`notebook_cost`); ties keep
    notebook order. Only the start order changes: results are merged in
    notebook order whatever it is.
    """
    if jobs and all(job.path.name in times for job in jobs):
        cost = {job.number: times[job.path.name] for job in jobs}
    else:
        cost = {job.number: notebook_cost(job.path) for job in jobs}
    return sorted(jobs, key=lambda job: (-cost[job.number], job.number))


def segment_once(corpus: pd.DataFrame, options: dict, *, progress: bool) -> None:
    """Segment the corpus into the run's segment cache before any notebook starts.

    Notebooks running at the same time then read one segmentation instead of
    each segmenting the corpus. Those that leave documents out (03 and 04 leave
    out the procedural texts) tokenize the whole corpus and select from it
    (:func:`analysis.tokens.select_documents`), since the cache's shards are
    runs of the corpus's documents and a subset would not find them.
    """
    from ..tokens import cache_segments

    started = time.perf_counter()
    cache_segments(corpus, options=options)
    if progress:
        print_progress(f"Segmented {len(corpus):,} documents for the notebooks in {time.perf_counter() - started:.1f} s")


def tag_once(corpus: pd.DataFrame, folder: str, *, progress: bool) -> None:
    """Tag the corpus's slogans into the mentions cache ``folder`` before any notebook starts.

    The notebooks that count or show slogans (02, 05, 06, 08) then read one
    mention table (``tag_slogans(docs, cache=mentions_cache)``) instead of
    each tagging the corpus again.
    """
    from ..slogans import tag_slogans

    started = time.perf_counter()
    tag_slogans(corpus, cache=folder)
    if progress:
        print_progress(f"Tagged the slogans of {len(corpus):,} documents for the notebooks in {time.perf_counter() - started:.1f} s")


def _run_one(job: NotebookJob, *, build: Path, kernel: str, kernels: KernelPool | None = None) -> NotebookResult:
    """Execute one notebook into its own staging folder, store it in the cache and write its page."""
    staging = build / STAGING_DIR_NAME / job.path.stem
    for folder in ("figures", "tables"):
        (staging / folder).mkdir(parents=True)
    started = kernels.take() if kernels is not None else None
    if started is not None and started.folder != job.path.parent:
        stop_kernel(started)
        started = None
    try:
        executed = _execute(job.path, {**job.parameters, "output_dir": str(staging)}, kernel=started or kernel)
    except BaseException:
        if started is not None:  # nbclient stops the kernel it ran on, but not one it never reached
            stop_kernel(started)
        raise
    produced = relative_files(staging, "figures/*") + relative_files(staging, "tables/*")
    if job.entry is not None:
        write_entry(job.entry, executed, staging, produced)
    page = f"{job.path.stem}.html"
    (build / page).write_text(notebook_to_html(executed, name=job.path.stem), encoding="utf-8")
    return NotebookResult(
        page, notebook_title(executed) or job.path.stem, files=[(relative, staging / relative) for relative in produced]
    )


def run_notebooks(
    jobs: list[NotebookJob], *, build: Path, kernel: str, workers: int, progress: bool, total: int,
    kernels: KernelPool | None = None,
) -> dict[int, NotebookResult]:
    """Run the notebooks, ``workers`` at a time, started in the order given; results by notebook number.

    Each notebook writes into its own staging folder, so notebooks running at
    the same time never see each other's files. On a failure no further
    notebook starts, the running ones finish, and the failure of the first
    failing notebook (in notebook order) is raised.
    """
    import concurrent.futures

    def run(job: NotebookJob) -> tuple[NotebookResult, float]:
        started = time.perf_counter()
        result = _run_one(job, build=build, kernel=kernel, kernels=kernels)
        result.seconds = time.perf_counter() - started
        return result, result.seconds

    def report_done(job: NotebookJob, seconds: float) -> None:
        if progress:
            print_progress(f"[{job.number}/{total}] {job.path.name} … done in {seconds:.1f} s")

    results: dict[int, NotebookResult] = {}
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
