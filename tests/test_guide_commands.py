"""The README's guide for the IT person, run as written: every ``roadmap-bot`` line of its
shell blocks (``sudo -u roadmap`` dropped, ``<архив>`` the archive just made) in a temporary
install — its own folder with ``.venv`` and ``.env``, its own data folder — against the
Telegram and MAX stand-ins. A command the guide names that fails, or a guide that loses one of
its steps, fails here."""

from __future__ import annotations

import asyncio
import os
import re
import shlex
import sys
from pathlib import Path

import pytest

from standin import StandInServer
from standin.max import MaxStandIn

pytestmark = pytest.mark.process

README = Path(__file__).resolve().parent.parent / "README.md"
# The order the guide gives them in; each must be there.
STEPS = ("db upgrade", "doctor", "invite", "backup", "restore", "person export", "person forget")


def guide_commands() -> list[str]:
    """The ``roadmap-bot`` command lines of the IT person's part, joined over ``\\``."""
    text = README.read_text(encoding="utf-8")
    part = text.split("## ИТ-специалисту", 1)[1].split("\n## ", 1)[0]
    lines: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", part, flags=re.S):
        joined = re.sub(r"\\\n\s*", "", block)
        for line in joined.splitlines():
            command = line.split("#", 1)[0].strip()
            if ".venv/bin/roadmap-bot" in command:
                lines.append(command.replace("sudo -u roadmap ", ""))
    return lines


def test_the_guide_names_every_step_in_order() -> None:
    commands = guide_commands()
    found = [next(i for i, c in enumerate(commands) if f"roadmap-bot {s}" in c) for s in STEPS]
    assert found == sorted(found), commands


async def _run(folder: Path, line: str, env: dict[str, str]) -> tuple[int, str]:
    argv = shlex.split(line)
    process = await asyncio.create_subprocess_exec(
        *argv,
        cwd=folder,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(process.communicate(), 180)
    assert process.returncode is not None
    return process.returncode, out.decode()


async def test_the_guide_works_as_written(
    standin: StandInServer, max_standin: MaxStandIn, tmp_path: Path
) -> None:
    install = tmp_path / "app"
    install.mkdir()
    (install / ".venv").symlink_to(Path(sys.prefix))
    data = tmp_path / "var-lib-roadmap-bot"
    data.mkdir(mode=0o700)
    (install / ".env").write_text(
        "\n".join(
            (
                f"BOT__TOKEN={standin.world.token}",
                f"BOT__API_URL={standin.base_url}",
                f"MAX__TOKEN={max_standin.world.token}",
                f"MAX__API_URL={max_standin.base_url}",
                f"DATA_DIR={data}",
                "TIMEZONE=Asia/Irkutsk",
            )
        )
        + "\n",
        encoding="utf-8",
    )
    (install / ".env").chmod(0o600)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT__", "MAX__", "DB__"))}
    env.pop("DATA_DIR", None)
    archive = ""
    for line in guide_commands():
        if "<архив>" in line:
            line = line.replace("/var/lib/roadmap-bot/backups/<архив>.tar.gz", archive)
        line = line.replace("/var/lib/roadmap-bot", str(data))
        if " person forget" in line:  # the guide's example is a head who asked: invite her first
            name = shlex.split(line)[3]
            invited = (
                f'.venv/bin/roadmap-bot invite --role responsible --name "{name}" --org "СОШ 1"'
            )
            assert (await _run(install, invited, env))[0] == 0
        code, out = await _run(install, line, env)
        assert code == 0, (line, out)
        if " backup" in line and not archive:
            archive = next(str(p) for p in (data / "backups").glob("*.tar.gz"))
        if " invite" in line:
            assert "https://max.ru/" in out and "https://t.me/" in out, out
    assert archive, "the guide makes no backup"
    assert (data / "roadmap.sqlite3").is_file()
