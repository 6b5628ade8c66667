"""The command line loads only what a command needs: ``deadlines`` and ``import`` start without
aiogram, matplotlib or the scheduler, which take seconds to import on a small server.

Each command runs in a fresh interpreter, as ``roadmap-bot`` runs it, and reports which of the
heavy packages it loaded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("aiogram", "matplotlib", "apscheduler")
pytestmark = pytest.mark.process  # each test starts a fresh interpreter
SEED_ROADMAP = ROOT / "tests" / "fixtures" / "seeds" / "000_8c94794e8422f1fe.txt"

# Runs the command line's main() on the arguments, then prints the heavy packages it loaded.
PROBE = f"""
import json, sys
from cli.main import main
code = main(sys.argv[1:])
print(json.dumps({{"code": code, "loaded": [m for m in {HEAVY!r} if m in sys.modules]}}))
"""


def loaded_by(*args: str, tmp_path: Path, stdin: str = "") -> dict[str, object]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BOT__", "DB__", "MAX__"))}
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        input=stdin,
        env={**clean, "DB__URL": f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite3'}"},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return report


def test_deadlines_loads_no_heavy_package(tmp_path: Path) -> None:
    report = loaded_by(
        "deadlines", "--period", "2026-2030", tmp_path=tmp_path, stdin="ежегодно до 1 ноября\n"
    )
    assert report == {"code": 0, "loaded": []}


def test_import_dry_run_loads_no_heavy_package(tmp_path: Path) -> None:
    report = loaded_by("import", "--dry-run", str(SEED_ROADMAP), tmp_path=tmp_path)
    assert report == {"code": 0, "loaded": []}


@pytest.mark.parametrize("module", ["cli.main", "cli.commands", "cli.invite", "cli.people"])
def test_command_modules_import_without_aiogram(module: str) -> None:
    """Building invitation links from names needs no messenger: aiogram loads only when a
    messenger must be asked for the bot's name."""
    code = f"import sys, {module}; print([m for m in {HEAVY!r} if m in sys.modules])"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"
