"""Package-wide safety checks: no code path may turn data into code.

Corpus text, lexicons and caches are untrusted input; pickle, eval and
yaml.load without a safe loader would let such a file run code when read.
"""

from __future__ import annotations

import re

import pytest

from analysis import config

PACKAGE_DIR = config.PROJECT_ROOT / "src" / "analysis"

FORBIDDEN = {
    "import pickle": re.compile(r"^\s*(?:import\s+(?:c?pickle|dill|shelve)\b|from\s+(?:c?pickle|dill|shelve)\s+import)", re.M),
    "pickle.load": re.compile(r"\bpickle\.loads?\s*\("),
    "pd.read_pickle": re.compile(r"\bread_pickle\s*\("),
    "joblib.load": re.compile(r"\bjoblib\.load\s*\(|from\s+joblib\s+import\s+[^\n]*\bload\b"),
    "yaml.load without SafeLoader": re.compile(r"\byaml\.(?:load|load_all)\s*\((?![^)\n]*Loader\s*=\s*yaml\.(?:C?SafeLoader))"),
    "yaml unsafe loaders": re.compile(r"\byaml\.(?:unsafe_load|full_load|UnsafeLoader|FullLoader)\b"),
    "eval(": re.compile(r"(?<![\w.])eval\s*\("),
    "exec(": re.compile(r"(?<![\w.])exec\s*\("),
    "numpy allow_pickle": re.compile(r"allow_pickle\s*=\s*True"),
}


def package_sources():
    sources = sorted(PACKAGE_DIR.rglob("*.py"))
    assert sources, f"no Python files under {PACKAGE_DIR}"
    return sources


@pytest.mark.parametrize("name", sorted(FORBIDDEN))
def test_no_unsafe_deserialisation_or_eval_in_the_package(name):
    pattern = FORBIDDEN[name]
    hits = []
    for path in package_sources():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if pattern.search(line):
                hits.append(f"{path.relative_to(PACKAGE_DIR)}:{number}: {line.strip()}")
    assert not hits, f"{name} found:\n" + "\n".join(hits)


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("import pickle", "import pickle"),
        ("import pickle", "from pickle import loads"),
        ("pickle.load", "data = pickle.load(handle)"),
        ("pd.read_pickle", "frame = pd.read_pickle(path)"),
        ("joblib.load", "model = joblib.load(path)"),
        ("yaml.load without SafeLoader", "data = yaml.load(text)"),
        ("yaml.load without SafeLoader", "data = yaml.load(text, Loader=yaml.Loader)"),
        ("yaml unsafe loaders", "data = yaml.full_load(text)"),
        ("eval(", "value = eval(cell)"),
        ("exec(", "exec(code)"),
        ("numpy allow_pickle", "np.load(path, allow_pickle=True)"),
    ],
)
def test_the_scan_catches_each_forbidden_form(name, line):
    assert FORBIDDEN[name].search(line)


@pytest.mark.parametrize(
    "line",
    [
        "data = yaml.load(text, Loader=yaml.SafeLoader)",
        "data = yaml.safe_load(text)",
        "result = frame.eval_metrics()",
        "model.evaluate(x)",
        "# never unpickle: a cache file is data",
    ],
)
def test_the_scan_allows_safe_forms(line):
    assert not any(pattern.search(line) for pattern in FORBIDDEN.values())
