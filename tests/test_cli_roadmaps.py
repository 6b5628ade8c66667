"""Several roadmaps from the command line: seeds 000 (to 2030) and 002 (ШНОР, 2024-2025)
in one database. ``--roadmap`` chooses by number, id or a part of the title; without it, or
naming none or two, the command lists the roadmaps and exits 2. ``roadmaps archive|restore``."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from tests.test_settings_and_cli import SEEDS, cli

UST_KUT = "000_8c94794e8422f1fe.txt"  # 2026-2030, active
SHNOR = "002_9a2ca02883d7d4ea.txt"  # Усть-Илимский район, 2024-2025: its period has ended, archived by itself


@pytest.fixture(scope="module")
def two_roadmaps_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both seeds imported once (each import is seconds); every test works on a copy."""
    folder = tmp_path_factory.mktemp("two")
    env = {"DB__URL": f"sqlite+aiosqlite:///{folder / 'two.sqlite3'}"}
    for seed in (UST_KUT, SHNOR):
        imported = cli("import", str(SEEDS / seed), env=env, cwd=folder)
        assert imported.returncode == 0, imported.stderr
    return folder / "two.sqlite3"


@pytest.fixture
def env(two_roadmaps_db: Path, tmp_path: Path) -> dict[str, str]:
    shutil.copy(two_roadmaps_db, tmp_path / "two.sqlite3")
    return {"DB__URL": f"sqlite+aiosqlite:///{tmp_path / 'two.sqlite3'}"}


def _report_titles(path: Path) -> tuple[str, int]:
    sheet = openpyxl.load_workbook(path)["Отчет"]
    title = str(next(sheet.iter_rows(min_row=1, max_row=1, values_only=True))[0])
    measures = [row for row in sheet.iter_rows(min_row=4, values_only=True) if row[2]]
    return title, len(measures)


@pytest.mark.process
def test_each_roadmap_exports_its_own_report_and_none_is_guessed(
    tmp_path: Path, env: dict[str, str]
) -> None:

    listed = cli("roadmaps", env=env, cwd=tmp_path, process=True)
    assert listed.returncode == 0, listed.stderr
    first, second = listed.stdout.splitlines()
    assert first.split()[:2] == ["1", "id:1"] and "до 2030 года" in first
    assert "2024-2025" in second and "[archived]" in second

    unchosen = cli("export", "--out", str(tmp_path / "x.xlsx"), env=env, cwd=tmp_path)
    assert unchosen.returncode == 2
    assert "runs 2 roadmaps" in unchosen.stderr and "01.01.2026–31.12.2030" in unchosen.stderr
    assert not (tmp_path / "x.xlsx").exists()

    to_2030, shnor = tmp_path / "2030.xlsx", tmp_path / "шнор.xlsx"
    by_number = cli("export", "--roadmap", "1", "--out", str(to_2030), env=env, cwd=tmp_path)
    assert by_number.returncode == 0, by_number.stderr
    by_title = cli("export", "--roadmap", "усть-илим", "--out", str(shnor), env=env, cwd=tmp_path)
    assert by_title.returncode == 0, by_title.stderr
    # An archived roadmap is history: exported, and said so.
    assert "archived" in by_title.stderr and "history" in by_title.stderr
    title, count = _report_titles(to_2030)
    assert "Усть-Кутском" in title and count == 22
    title, count = _report_titles(shnor)
    assert "Усть-Илимский" in title and count == 27

    by_id = tmp_path / "id.docx"
    docx = cli(
        "export", "--roadmap", "id:2", "--format", "docx", "--out", str(by_id),
        env=env, cwd=tmp_path,
    )  # fmt: skip
    assert docx.returncode == 0, docx.stderr and by_id.stat().st_size > 0


def test_roadmap_naming_nothing_or_two_is_refused(tmp_path: Path, env: dict[str, str]) -> None:
    nothing = cli("export", "--roadmap", "Байкальск", env=env, cwd=tmp_path)
    assert nothing.returncode == 2 and "names no roadmap" in nothing.stderr
    assert "id:2" in nothing.stderr  # the list to choose from
    both = cli("export", "--roadmap", "дорожная карта", env=env, cwd=tmp_path)
    assert both.returncode == 2 and "names 2 roadmaps" in both.stderr
    calendar = cli("calendar", "--all", "--roadmap", "7", env=env, cwd=tmp_path)
    assert calendar.returncode == 2 and "names no roadmap" in calendar.stderr
    asked = cli(
        "ask", "--text", "Пришлите план", "--to", "all", "--due", "до 18.12", "--measure", "1.1",
        env=env, cwd=tmp_path,
    )  # fmt: skip
    assert asked.returncode == 2 and "runs 2 roadmaps" in asked.stderr


def test_an_export_period_outside_the_roadmap_is_refused(
    tmp_path: Path, env: dict[str, str]
) -> None:
    after = cli(
        "export", "--roadmap", "Усть-Илимский", "--from", "2026-01-01", "--to", "2026-06-01",
        env=env, cwd=tmp_path,
    )  # fmt: skip
    assert after.returncode == 2
    assert "outside the roadmap's period (01.01.2024–31.12.2025)" in after.stderr
    before = cli("export", "--roadmap", "1", "--as-of", "2025-06-01", env=env, cwd=tmp_path)
    assert before.returncode == 2 and "outside the roadmap's period" in before.stderr


def test_archive_and_restore_from_the_command_line(tmp_path: Path, env: dict[str, str]) -> None:
    archived = cli("roadmaps", "archive", "Усть-Кут", env=env, cwd=tmp_path)
    assert archived.returncode == 0, archived.stderr
    assert "archived: no reminders" in archived.stdout
    # Both archived now; the list keeps them numbered, in the order they started.
    assert archived.stdout.count("[archived]") == 2
    restored = cli("roadmaps", "restore", "id:2", env=env, cwd=tmp_path)
    assert restored.returncode == 0, restored.stderr
    assert "restored" in restored.stdout and restored.stdout.count("[archived]") == 1
    unnamed = cli("roadmaps", "archive", "нет такой", env=env, cwd=tmp_path)
    assert unnamed.returncode == 2 and "names no roadmap" in unnamed.stderr
