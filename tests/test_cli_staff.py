"""``roadmap-bot staff``: a head replaced (the new one's link printed), a head of another school
refused with nothing changed, a deputy and who is reminded, someone deactivated, a second
coordinator and the role handed over."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.fixtures.people import people_xlsx
from tests.test_settings_and_cli import cli

SCHOOL_1 = "МОУ СОШ № 1 г. Усть-Кута"


@pytest.mark.process
def test_staff_changes_from_the_command_line(tmp_path: Path) -> None:
    database = tmp_path / "s.sqlite3"
    env = {"DB__URL": f"sqlite+aiosqlite:///{database}", "BOT__USERNAME": "uo_bot"}
    sheet = tmp_path / "heads.xlsx"
    sheet.write_bytes(people_xlsx())
    assert cli("db", "upgrade", env=env, cwd=tmp_path).returncode == 0  # the install's first step
    assert cli("people", str(sheet), env=env, cwd=tmp_path).returncode == 0

    refused = cli(
        "staff", "replace-head", "--school", SCHOOL_1, "--name", "Петров Пётр Петрович",
        env=env, cwd=tmp_path, process=True,
    )  # fmt: skip
    assert refused.returncode == 1
    assert "already heads «МОУ СОШ № 2 г. Усть-Кута»" in refused.stderr
    assert "nothing was changed" in refused.stderr

    replaced = cli(
        "staff", "replace-head", "--school", SCHOOL_1, "--name", "Сидорова Светлана Ивановна",
        "--phone", "+7 900 111-22-33", env=env, cwd=tmp_path,
    )  # fmt: skip
    assert replaced.returncode == 0, replaced.stderr
    assert "invitation for Сидорова Светлана Ивановна" in replaced.stdout
    assert "https://t.me/uo_bot?start=" in replaced.stdout

    deputy = cli(
        "staff", "add-deputy", "--school", SCHOOL_1, "--name", "Орлова Ольга Игоревна",
        env=env, cwd=tmp_path,
    )  # fmt: skip
    assert deputy.returncode == 0, deputy.stderr
    remind = cli("staff", "remind", "--school", SCHOOL_1, "--who", "deputy", env=env, cwd=tmp_path)
    assert remind.returncode == 0, remind.stderr
    off = cli("staff", "deactivate", "--name", "Орлова Ольга Игоревна", env=env, cwd=tmp_path)
    assert off.returncode == 0, off.stderr

    coordinator = cli(
        "staff", "add-coordinator", "--name", "Антипина Анна Михайловна", "--org", "УО",
        env=env, cwd=tmp_path,
    )  # fmt: skip
    assert coordinator.returncode == 0, coordinator.stderr
    last = cli("staff", "deactivate", "--name", "Антипина Анна Михайловна", env=env, cwd=tmp_path)
    assert last.returncode == 1 and "the only coordinator" in last.stderr
    over = cli(
        "staff", "hand-over", "--from", "Антипина Анна Михайловна",
        "--to", "Борисова Вера Николаевна", env=env, cwd=tmp_path,
    )  # fmt: skip
    assert over.returncode == 0, over.stderr

    with sqlite3.connect(database) as db:
        people = {
            name: (role, active, deputy)
            for name, role, active, deputy in db.execute(
                "SELECT full_name, role, is_active, deputy FROM people"
            )
        }
        reminded = db.execute(
            "SELECT reminded FROM organisations WHERE name = ?", (SCHOOL_1,)
        ).fetchone()
        revoked = db.execute(
            "SELECT count(*) FROM invitations i JOIN people p ON p.id = i.person_id "
            "WHERE p.full_name = 'Орлова Ольга Игоревна' AND i.revoked_at IS NOT NULL"
        ).fetchone()
    assert people["Иванова Мария Петровна"] == ("responsible", 0, 0)
    assert people["Сидорова Светлана Ивановна"] == ("responsible", 1, 0)
    assert people["Петров Пётр Петрович"] == ("responsible", 1, 0)
    assert people["Орлова Ольга Игоревна"] == ("responsible", 0, 1)
    assert people["Антипина Анна Михайловна"] == ("observer", 1, 0)
    assert people["Борисова Вера Николаевна"] == ("coordinator", 1, 0)
    assert reminded == ("deputy",)
    assert revoked == (1,)
