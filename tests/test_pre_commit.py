"""The pre-commit hooks (`make hooks`) refuse what `make check` would refuse, before the commit:
ruff's lint and its format check, run on the project's own virtual environment."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRE_COMMIT = Path(sys.prefix) / "bin" / "pre-commit"


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A fresh git repository with the project's hook configuration, ruff settings and venv."""
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    shutil.copy(ROOT / ".pre-commit-config.yaml", repo)
    shutil.copy(ROOT / "pyproject.toml", repo)
    (repo / ".venv").symlink_to(Path(sys.prefix))
    return repo


def run_hooks(repo: Path, file_name: str, source: str) -> subprocess.CompletedProcess[str]:
    (repo / file_name).write_text(source, encoding="utf-8")
    subprocess.run(["git", "add", file_name], cwd=repo, check=True)
    return subprocess.run(
        [str(PRE_COMMIT), "run", "--files", file_name],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home")},
        timeout=120,
    )


def test_clean_code_passes(repository: Path) -> None:
    result = run_hooks(repository, "clean.py", '"""Fine."""\n\nimport os\n\nprint(os.sep)\n')
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ruff check" in result.stdout and "ruff format --check" in result.stdout


def test_an_unused_import_is_refused(repository: Path) -> None:
    result = run_hooks(repository, "unused.py", '"""Unused."""\n\nimport os\n')
    assert result.returncode != 0
    assert "F401" in result.stdout  # ruff names the rule: `os` imported but unused


def test_unformatted_code_is_refused(repository: Path) -> None:
    result = run_hooks(repository, "ugly.py", '"""Ugly."""\n\nx = ( 1,2 )\n')
    assert result.returncode != 0
    assert "1 file would be reformatted" in result.stdout and "ugly.py" in result.stdout
