"""Paths and defaults shared by every module.

Every path of the package's own files (data, lexicon, notebooks, the default
report folder) is derived here from the project root, never from the current
working directory, so notebooks, tests and the report runner all see the
same files wherever they are started from. Paths a user gives (a corpus, an
output folder) are the opposite: relative ones are taken from the current
directory, as in every command-line tool (:func:`resolve_path`).

The root is the checkout that holds ``src/analysis`` (the package is installed
editable); set ``ANALYSIS_PROJECT_ROOT`` to point a non-editable install at a
checkout.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(
    os.environ.get("ANALYSIS_PROJECT_ROOT", Path(__file__).resolve().parents[2])
).resolve()

DATA_DIR = PROJECT_ROOT / "data"
LEXICON_DIR = DATA_DIR / "lexicon"
DICTIONARY_DIR = DATA_DIR / "dictionaries"
STOPWORDS_DIR = DATA_DIR / "stopwords"
OCR_FIXES_PATH = DATA_DIR / "ocr_fixes.tsv"
# Caches are disposable; ANALYSIS_CACHE_DIR moves them (benchmarks use an empty one for cold runs).
CACHE_DIR = Path(os.environ.get("ANALYSIS_CACHE_DIR", DATA_DIR / "cache")).resolve()

SEEDS_DIR = PROJECT_ROOT / "seeds"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
REPORTS_DIR = PROJECT_ROOT / "reports"

# Development corpora live beside the checkout and are never copied into it.
SHARED_DIR = Path(os.environ.get("ANALYSIS_SHARED_DIR", PROJECT_ROOT.parent / "shared"))
SHARED_CORPORA_DIR = SHARED_DIR / "corpora"

DEFAULT_CORPUS = SEEDS_DIR
DEFAULT_TOP_N = 30
DEFAULT_RANDOM_STATE = 0

# Administrative levels, highest first: the one vocabulary for a corpus's ``level`` column and
# a lexicon entry's ``level``. ``county`` covers counties and urban districts (区).
LEVELS = ("central", "provincial", "municipal", "county")


def resolve_path(path: str | os.PathLike) -> Path:
    """Resolve a path a user gave: ``~`` expanded, relative paths taken from the current directory.

    ``load_corpus("mydata")`` run in ``/home/me`` reads ``/home/me/mydata``,
    whatever the project root is. Only the package's own files come from the
    constants of this module.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    pathlib.Path
        An absolute path.

    Raises
    ------
    ValueError
        If ``path`` is empty (``""`` would otherwise mean the current directory,
        which is never what a caller that forgot to fill it in meant).
    TypeError
        If ``path`` is not a str or path-like.

    Examples
    --------
    >>> import os
    >>> resolve_path("seeds") == Path(os.getcwd(), "seeds").resolve()
    True
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"expected a path (str or os.PathLike), got {type(path).__name__}")
    text = os.fspath(path)
    if isinstance(text, bytes):
        text = os.fsdecode(text)
    if not text.strip():
        raise ValueError("empty path: give a file or folder")
    candidate = Path(text).expanduser()
    if candidate.is_absolute():
        return candidate
    return (Path.cwd() / candidate).resolve()
