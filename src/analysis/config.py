"""Paths and defaults shared by every module.

Every path the package reads or writes is derived here from the project root,
never from the current working directory, so notebooks, tests and the report
runner all see the same files wherever they are started from.

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
    """Resolve a user-given path; relative paths are taken from the project root.

    Examples
    --------
    >>> resolve_path("seeds").name
    'seeds'
    """
    candidate = Path(path).expanduser()
    if candidate.is_absolute():
        return candidate
    return (PROJECT_ROOT / candidate).resolve()
