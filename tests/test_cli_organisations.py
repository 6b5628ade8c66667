"""``roadmap-bot organisations``: list, rename, merge: the department imported as «УО УКМО»
becomes one with the department the coordinator was invited to, its measures with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_settings_and_cli import SEEDS, cli

pytestmark = pytest.mark.process


def _ids(listing: str) -> dict[str, int]:
    return {line.split("\t")[2]: int(line.split("\t")[0]) for line in listing.splitlines()}


def test_merge_and_rename_from_the_command_line(tmp_path: Path) -> None:
    env = {"DB__URL": f"sqlite+aiosqlite:///{tmp_path / 'r.sqlite3'}"}
    imported = cli("import", str(SEEDS / "000_8c94794e8422f1fe.txt"), env=env, cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert "organisations added: " in imported.stdout and "ГАУ ДПО ИРО" in imported.stdout
    # The command line asks nothing: the centre with and without its qualifier became two.
    ids = _ids(cli("organisations", "list", env=env, cwd=tmp_path).stdout)
    centre, cabinet = ids["МКУ РЦ УО УКМО"], ids["МКУ РЦ УО УКМО (методический кабинет)"]

    same = cli(
        "organisations", "merge", str(centre), str(centre), env=env, cwd=tmp_path, process=True
    )
    assert same.returncode == 2 and "two different" in same.stderr

    merged = cli("organisations", "merge", str(cabinet), str(centre), env=env, cwd=tmp_path)
    assert merged.returncode == 0, merged.stderr
    assert "merged «МКУ РЦ УО УКМО» into «МКУ РЦ УО УКМО (методический кабинет)»" in (merged.stdout)
    listing = cli("organisations", "list", env=env, cwd=tmp_path).stdout
    assert "\tМКУ РЦ УО УКМО\n" not in listing and "(also: МКУ РЦ УО УКМО)" in listing

    taken = cli(
        "organisations", "rename", str(ids["ГАУ ДПО ИРО"]), "УО УКМО", env=env, cwd=tmp_path
    )
    assert taken.returncode == 2 and "merge them instead" in taken.stderr
    renamed = cli(
        "organisations", "rename", str(ids["ГАУ ДПО ИРО"]),
        "ГАУ ДПО «Институт развития образования Иркутской области»", env=env, cwd=tmp_path,
    )  # fmt: skip
    assert renamed.returncode == 0, renamed.stderr
    assert "(also: ГАУ ДПО ИРО)" in cli("organisations", "list", env=env, cwd=tmp_path).stdout
