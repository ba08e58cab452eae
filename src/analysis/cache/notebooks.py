"""The cache of executed notebooks: a notebook run again on unchanged inputs is read back, not run.

An entry is keyed (:func:`notebook_cache_key`) by everything that decides what a
notebook prints, draws and writes: the notebook's bytes, its parameters, every
byte of the corpus (:func:`corpus_content_hash`), every source file of the
package, the package's ``data/`` files, the Python version and the version of
every installed distribution the package depends on, its optional extras
included (:func:`environment_fingerprint`). An entry holds the executed notebook
and the figures and tables it wrote, each checked against its recorded hash
when read, and is written aside and moved into place in one step.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import platform
import re
import shutil
import tempfile
import time
from importlib import metadata
from pathlib import Path

from .. import config
from .segments import STALE_TEMP_SECONDS, TEMP_PREFIX

NOTEBOOK_CACHE_DIR_NAME = "notebooks"
# Part of every key: bump it when the layout of an entry changes.
NOTEBOOK_CACHE_FORMAT = "1"
NOTEBOOK_CACHE_INDEX = "entry.json"
NOTEBOOK_CACHE_EXECUTED = "executed.ipynb"
BASE_DISTRIBUTIONS = ("ipykernel", "jupyter-client", "nbformat", "numpy", "pandas", "pyarrow")
"""Keyed whatever the metadata says: they run or shape every notebook (the package's own requirements
are added by :func:`keyed_distributions`)."""
# Figures and tables a notebook writes, relative to the build folder.
_OUTPUT_PATTERNS = ("figures/*", "tables/*")


def hash_file(digest, path: Path) -> None:
    with open(path, "rb") as handle:
        for block in iter(functools.partial(handle.read, 1 << 20), b""):
            digest.update(block)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    hash_file(digest, path)
    return digest.hexdigest()


def tree_sha256(root: Path, *, exclude: tuple[Path, ...] = ()) -> str:
    """Hash of every file under ``root``: relative path and bytes, in sorted order."""
    digest = hashlib.sha256()
    excluded = tuple(path.resolve() for path in exclude)
    files = sorted(
        path for path in root.rglob("*")
        if path.is_file() and not any(path.resolve().is_relative_to(folder) for folder in excluded)
    )
    for path in files:
        relative = path.relative_to(root).as_posix().encode("utf-8")
        # Lengths before contents, so no two different trees hash the same stream.
        digest.update(len(relative).to_bytes(8, "big") + relative + path.stat().st_size.to_bytes(8, "big"))
        hash_file(digest, path)
    return digest.hexdigest()


def corpus_content_hash(path: str | os.PathLike) -> str:
    """SHA-256 of a corpus's bytes: a file's contents, or every file of a folder with its relative path.

    Unlike :func:`analysis.corpus.corpus_fingerprint`, which describes the
    loaded documents, this changes with any byte of the input, so no change
    that the loader might pass on to a notebook goes unnoticed.

    Parameters
    ----------
    path : path-like
        Corpus file or folder.

    Returns
    -------
    str
        64 hexadecimal digits.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("六稳", encoding="utf-8")
    >>> before = corpus_content_hash(folder)
    >>> _ = (folder / "a.txt").write_text("六保", encoding="utf-8")
    >>> before == corpus_content_hash(folder)
    False
    """
    path = Path(path)
    if not path.is_dir():
        return file_sha256(path)
    from ..sources import display_path, list_files

    # The files the loader sees, and what it could not see: a file that cannot be read is
    # keyed by its name and the error, as the loader lists it as skipped, never a crash.
    files, problems = list_files(path)
    digest = hashlib.sha256()
    for file in files:
        relative = display_path(file.relative_to(path).as_posix()).encode("utf-8")
        digest.update(len(relative).to_bytes(8, "big") + relative)
        try:
            size = file.stat().st_size
            content = hashlib.sha256()
            hash_file(content, file)
            digest.update(b"F" + size.to_bytes(8, "big") + content.digest())
        except OSError as error:
            digest.update(b"E" + str(error.strerror or error).encode("utf-8"))
    for problem, reason in problems:
        relative = display_path(problem.relative_to(path).as_posix()).encode("utf-8")
        digest.update(b"P" + len(relative).to_bytes(8, "big") + relative + reason.encode("utf-8"))
    return digest.hexdigest()


def keyed_distributions() -> tuple[str, ...]:
    """The installed distributions whose version can change a result: everything the package requires.

    Read from the package's own metadata (its dependencies and its optional
    extras, but not the ``dev`` tools), so a dependency added to
    ``pyproject.toml`` is keyed without anyone remembering to list it here.

    Examples
    --------
    >>> {"pandas", "jieba", "opencc", "stopwordsiso", "networkx", "rjieba"} <= set(keyed_distributions())
    True
    """
    try:
        requirements = metadata.requires("analysis") or []
    except metadata.PackageNotFoundError:
        requirements = []
    names = set(BASE_DISTRIBUTIONS)
    for requirement in requirements:
        name, _, marker = requirement.partition(";")
        if re.search(r"extra\s*==\s*['\"]dev['\"]", marker):
            continue
        names.add(re.split(r"[\s\[<>=!~;(]", name.strip(), maxsplit=1)[0].lower())
    return tuple(sorted(names))


def _distribution_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def environment_fingerprint(cache_dir: Path) -> dict:
    """Package source, package data and library versions: what every notebook's output depends on.

    ``package_source`` hashes every ``.py`` file under the package, its
    subpackages included; ``package_data`` every file under ``data/`` except
    the caches; ``distributions`` the version of each of
    :func:`keyed_distributions` (None when not installed).
    """
    package_dir = Path(__file__).resolve().parents[1]
    source = hashlib.sha256()
    for path in sorted(package_dir.rglob("*.py")):
        relative = path.relative_to(package_dir).as_posix()
        source.update(relative.encode("utf-8") + b"\0")
        hash_file(source, path)
        source.update(b"\0")
    data = (
        tree_sha256(config.DATA_DIR, exclude=(config.CACHE_DIR, config.DATA_DIR / "cache", cache_dir))
        if config.DATA_DIR.is_dir()
        else None
    )
    return {
        "package_source": source.hexdigest(),
        "package_data": data,
        "python": platform.python_version(),
        "distributions": {name: _distribution_version(name) for name in keyed_distributions()},
    }


def notebook_cache_key(
    notebook_path: str | os.PathLike,
    parameters: dict,
    *,
    corpus_hash: str,
    environment: dict,
    kernel: str,
) -> str:
    """Key of a notebook's cache entry: a hash of everything that decides its output.

    Parameters
    ----------
    notebook_path : path-like
        The notebook; its bytes are hashed.
    parameters : dict
        The parameters papermill passes to it; ``output_dir`` (the build
        folder, different on every run) is left out.
    corpus_hash : str
        :func:`corpus_content_hash` of the corpus.
    environment : dict
        Package source, data and library versions (JSON-serialisable).
    kernel : str
        The kernel the notebook runs on.

    Returns
    -------
    str
        64 hexadecimal digits.

    Examples
    --------
    >>> import tempfile
    >>> notebook = Path(tempfile.mkdtemp()) / "01-x.ipynb"
    >>> _ = notebook.write_text("{}", encoding="utf-8")
    >>> key = lambda **p: notebook_cache_key(notebook, p, corpus_hash="c", environment={}, kernel="k")
    >>> key(top_n=5, output_dir="/a") == key(top_n=5, output_dir="/b")
    True
    >>> key(top_n=5) == key(top_n=6)
    False
    """
    described = {
        "format": NOTEBOOK_CACHE_FORMAT,
        "notebook": file_sha256(Path(notebook_path)),
        "parameters": {key: value for key, value in parameters.items() if key != "output_dir"},
        "corpus": corpus_hash,
        "environment": environment,
        "kernel": kernel,
    }
    text = json.dumps(described, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def output_state(build: Path) -> dict[str, str]:
    """Hash of every figure and table in the build folder, by relative path."""
    return {
        relative: file_sha256(build / relative)
        for pattern in _OUTPUT_PATTERNS
        for relative in sorted(path.relative_to(build).as_posix() for path in build.glob(pattern) if path.is_file())
    }


def read_entry(entry: Path):
    """The executed notebook and the files of a cache entry, or None when it is absent or damaged.

    Every file is checked against the hash recorded when the entry was
    written, so a truncated notebook or a missing table makes the whole
    entry count as absent and the notebook runs again.
    """
    import nbformat

    try:
        index = json.loads((entry / NOTEBOOK_CACHE_INDEX).read_text(encoding="utf-8"))
        if index.get("format") != NOTEBOOK_CACHE_FORMAT:
            return None
        files = index["files"]
        recorded = {NOTEBOOK_CACHE_EXECUTED: index["executed"], **{f"outputs/{name}": digest for name, digest in files.items()}}
        for relative, digest in recorded.items():
            if file_sha256(entry / relative) != digest:
                return None
        executed = nbformat.reads((entry / NOTEBOOK_CACHE_EXECUTED).read_text(encoding="utf-8"), as_version=4)
    except Exception:  # any unreadable part (nbformat raises its own types too) means a damaged entry
        return None
    return executed, sorted(files)


def write_entry(entry: Path, executed, build: Path, produced: list[str]) -> None:
    """Store an executed notebook and the files it produced, all at once or not at all.

    The entry is assembled in a temporary sibling folder (``.tmp-*``, never
    looked up by key) and moved into place with ``os.replace``; a damaged
    entry already under the key is moved aside first and deleted after.
    """
    import nbformat

    entry.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=entry.parent))
    aside = None
    try:
        executed_path = temporary / NOTEBOOK_CACHE_EXECUTED
        executed_path.write_text(nbformat.writes(executed), encoding="utf-8")
        files = {}
        for relative in produced:
            stored = temporary / "outputs" / relative
            stored.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(build / relative, stored)
            files[relative] = file_sha256(stored)
        index = {"format": NOTEBOOK_CACHE_FORMAT, "executed": file_sha256(executed_path), "files": files}
        # The index is written last: a folder without it is never trusted.
        (temporary / NOTEBOOK_CACHE_INDEX).write_text(json.dumps(index, indent=1, sort_keys=True), encoding="utf-8")
        if entry.exists():
            aside = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=entry.parent))
            os.replace(entry, aside / "damaged")
        try:
            os.replace(temporary, entry)
        except OSError:
            if not (entry / NOTEBOOK_CACHE_INDEX).is_file():
                raise
            # Another run stored the same key first; its entry holds the same result.
            shutil.rmtree(temporary, ignore_errors=True)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    finally:
        if aside is not None:
            shutil.rmtree(aside, ignore_errors=True)


#: In the cache root, beside the entries' folder: how long each notebook (by file name) took when it last
#: ran with the cache, for the report's scheduling.
NOTEBOOK_TIMES_NAME = "notebook-times.json"


def read_notebook_times(folder: Path) -> dict[str, float]:
    """Seconds each notebook took when it last ran with the cache (in cache root ``folder``), by file name.

    Empty when unknown or unreadable.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> read_notebook_times(folder)
    {}
    >>> write_notebook_times(folder, {"02-slogans.ipynb": 12.5})
    >>> write_notebook_times(folder, {"04-tfidf-topics.ipynb": 15.0})
    >>> read_notebook_times(folder)
    {'02-slogans.ipynb': 12.5, '04-tfidf-topics.ipynb': 15.0}
    """
    try:
        stored = json.loads((folder / NOTEBOOK_TIMES_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # absent or damaged: the report falls back on the notebooks' declared costs
    if not isinstance(stored, dict):
        return {}
    return {
        str(name): float(seconds)
        for name, seconds in stored.items()
        if isinstance(seconds, (int, float)) and not isinstance(seconds, bool) and seconds >= 0
    }


def write_notebook_times(folder: Path, times: dict[str, float]) -> None:
    """Record how long these notebooks took, keeping the other notebooks' times (written atomically)."""
    merged = {**read_notebook_times(folder), **{name: round(float(seconds), 2) for name, seconds in times.items()}}
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".json", dir=folder)
    os.close(handle)
    try:
        Path(temporary).write_text(json.dumps(merged, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(temporary, folder / NOTEBOOK_TIMES_NAME)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def remove_stale_entries(folder: Path) -> None:
    """Delete temporary folders that a killed run left behind (they are never read)."""
    if not folder.is_dir():
        return
    cutoff = time.time() - STALE_TEMP_SECONDS
    for path in folder.glob(f"{TEMP_PREFIX}*"):
        try:
            if path.stat().st_mtime < cutoff:
                shutil.rmtree(path, ignore_errors=True)
        except FileNotFoundError:
            pass  # another run removed it first




# --- The printed report -------------------------------------------------------------------------

PDF_CACHE_DIR_NAME = "pdf"


def print_key(folder: Path, pages: list[str], *, chromium: str) -> str:
    """Key of a printed report: the bytes of the index, the pages and the figures, and the browser.

    Printing takes several seconds; a report rebuilt from cached notebooks has the same pages, so
    its PDF is the same and can be read back.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "index.html").write_text("<p>稳</p>", encoding="utf-8")
    >>> print_key(folder, [], chromium="/usr/bin/chromium") == print_key(folder, [], chromium="/usr/bin/chromium")
    True
    """
    digest = hashlib.sha256()
    browser = Path(chromium)
    stamp = f"{browser.resolve()}:{browser.stat().st_size}:{browser.stat().st_mtime_ns}" if browser.exists() else chromium
    digest.update(stamp.encode("utf-8") + b"\0")
    names = ["index.html", *pages, *sorted(path.relative_to(folder).as_posix() for path in folder.glob("figures/*"))]
    for name in names:
        path = folder / name
        digest.update(name.encode("utf-8") + b"\0")
        if path.is_file():
            hash_file(digest, path)
        digest.update(b"\0")
    return digest.hexdigest()


def read_pdf(root: Path, key: str, target: Path) -> bool:
    """Copy the PDF stored under ``key`` to ``target``; False when there is none."""
    stored = root / PDF_CACHE_DIR_NAME / f"{key}.pdf"
    if not stored.is_file() or stored.stat().st_size == 0:
        return False
    shutil.copyfile(stored, target)
    return True


def write_pdf(root: Path, key: str, pdf: Path) -> None:
    """Store a printed report under ``key``, atomically (a temporary sibling moved into place)."""
    folder = root / PDF_CACHE_DIR_NAME
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".pdf", dir=folder)
    os.close(handle)
    try:
        shutil.copyfile(pdf, temporary)
        os.replace(temporary, folder / f"{key}.pdf")
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
