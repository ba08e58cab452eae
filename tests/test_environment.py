"""environment.yml (conda users) and pyproject.toml (pip users) must list the same runtime dependencies."""

from __future__ import annotations

import re
import sys

import yaml

from analysis import config

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*?)\s*$")
CONDA_ONLY = {"python", "pip"}


def _normalise(requirement: str) -> tuple[str, str]:
    match = REQUIREMENT.match(requirement.split(";")[0])
    assert match, f"cannot parse requirement {requirement!r}"
    name, spec = match.groups()
    return re.sub(r"[-_.]+", "-", name).lower(), spec.replace(" ", "")


def pyproject_requirements() -> dict[str, str]:
    project = tomllib.loads((config.PROJECT_ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    return dict(_normalise(r) for r in project["dependencies"])


def environment_requirements() -> dict[str, str]:
    environment = yaml.safe_load((config.PROJECT_ROOT / "environment.yml").read_text("utf-8"))
    found: dict[str, str] = {}
    for item in environment["dependencies"]:
        entries = item["pip"] if isinstance(item, dict) else [item]
        for entry in entries:
            name, spec = _normalise(entry)
            if name not in CONDA_ONLY:
                found[name] = spec
    return found


def test_environment_and_pyproject_list_the_same_dependencies():
    assert environment_requirements() == pyproject_requirements()


def test_required_packages_are_declared():
    declared = pyproject_requirements()
    for name in ("jupyterlab", "pandas", "jieba", "scikit-learn", "matplotlib"):
        assert name in declared, f"{name} missing from pyproject.toml"


def test_comparison_notices_a_disagreement():
    # The comparison itself must be able to fail: drop one package from the conda side.
    original = environment_requirements()
    trimmed = {k: v for k, v in original.items() if k != "jieba"}
    assert trimmed != pyproject_requirements()
    changed = dict(original, pandas=">=0.1")
    assert changed != pyproject_requirements()
