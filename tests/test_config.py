from pathlib import Path

import pytest

from analysis import config


def test_paths_hang_off_the_project_root():
    assert (config.PROJECT_ROOT / "pyproject.toml").is_file()
    assert (config.PROJECT_ROOT / "src" / "analysis" / "config.py").is_file()
    for path in (config.DATA_DIR, config.LEXICON_DIR, config.SEEDS_DIR, config.NOTEBOOKS_DIR):
        assert path.is_dir(), path
        assert config.PROJECT_ROOT in path.parents


def test_relative_user_paths_resolve_from_the_cwd_not_the_project_root(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert config.resolve_path("seeds") == tmp_path.resolve() / "seeds"
    assert config.resolve_path("seeds") != config.SEEDS_DIR
    absolute = tmp_path / "corpus.jsonl"
    assert config.resolve_path(absolute) == absolute
    assert config.resolve_path(Path("~")).is_absolute()


@pytest.mark.parametrize("empty", ["", "   "])
def test_an_empty_user_path_is_an_error(empty):
    with pytest.raises(ValueError, match="empty path"):
        config.resolve_path(empty)
