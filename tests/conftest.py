"""Shared fixtures. Development corpora are optional: tests that need them skip with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import config

SEED_FILE = config.SEEDS_DIR / "000_fb9efe5851bc9182.txt"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED_FILE


def _shared_corpus(name: str) -> Path:
    path = config.SHARED_CORPORA_DIR / name
    if not path.exists():
        pytest.skip(f"development corpus {name} not found under {config.SHARED_CORPORA_DIR}")
    return path


@pytest.fixture(scope="session")
def gov_reports_path() -> Path:
    return _shared_corpus("gov_work_reports.jsonl")


@pytest.fixture(scope="session")
def cctv_news_path() -> Path:
    return _shared_corpus("cctv_news_2022.jsonl")
