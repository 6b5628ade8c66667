"""One data folder no wrong command can lose: the CLI never makes a stray database, and
`make clean` leaves the data alone."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.test_settings_and_cli import ROOT, cli


@pytest.mark.process
def test_a_command_from_another_folder_finds_no_database_and_makes_none(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {"DATA_DIR": str(data), "BOT__USERNAME": "uo_bot"}
    invite = ("invite", "--name", "Иванова Мария Петровна", "--role", "responsible")

    refused = cli(*invite, env=env, cwd=tmp_path, installed=False, process=True)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert f"there is no database at {data / 'roadmap.sqlite3'}" in refused.stderr
    assert f"The data folder in the settings is {data}" in refused.stderr
    assert not data.exists()  # nothing made

    assert cli("db", "upgrade", env=env, cwd=tmp_path).returncode == 0
    elsewhere = tmp_path / "somewhere" / "else"
    elsewhere.mkdir(parents=True)
    invited = cli(*invite, env=env, cwd=elsewhere)
    assert invited.returncode == 0, invited.stderr
    assert list(elsewhere.iterdir()) == []  # the one database, not a new one here
    assert (data / "roadmap.sqlite3").stat().st_mode & 0o777 == 0o600
    assert data.stat().st_mode & 0o777 == 0o700


@pytest.mark.process
def test_make_clean_keeps_the_data_and_the_settings(tmp_path: Path) -> None:
    if shutil.which("make") is None:
        pytest.fail("make is needed: the README's commands are make targets")
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    shutil.copy(ROOT / "Makefile", checkout / "Makefile")
    shutil.copy(ROOT / "pyproject.toml", checkout / "pyproject.toml")
    for kept in ("data/roadmap.sqlite3", "data/evidence/ab/abcd", "data/backups/r.tar.gz"):
        (checkout / kept).parent.mkdir(parents=True, exist_ok=True)
        (checkout / kept).write_bytes(b"the department's data")
    (checkout / ".env").write_text("BOT__TOKEN=1:secret\n", encoding="utf-8")
    for rebuilt in (".venv/bin", ".mypy_cache", ".ruff_cache", ".pytest_cache"):
        (checkout / rebuilt).mkdir(parents=True)

    done = subprocess.run(
        ["make", "clean"], cwd=checkout, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert not (checkout / ".venv").exists() and not (checkout / ".mypy_cache").exists()
    for kept in ("data/roadmap.sqlite3", "data/evidence/ab/abcd", "data/backups/r.tar.gz", ".env"):
        assert (checkout / kept).is_file(), kept


def test_the_settings_file_is_never_committed() -> None:
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert ".env" in ignored and "/data/" in ignored
