"""``roadmap-bot import`` of a 1,000-measure roadmap beside the running bot on one SQLite file:
every chat update during the import's write is answered as it should be, none with «Извините,
у нас что-то пошло не так» (the import held the write lock for longer than SQLite's busy
timeout, and every update meanwhile failed). Also: the import is whole once it is done."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bench.import_speed import roadmap_docx
from domain.roles import Role
from standin import StandInServer
from storage.models import Measure
from tests.conftest import make_settings, start_bot
from tests.e2e.harness import base_env
from tests.support import MutableClock

pytestmark = pytest.mark.process

ROOT = Path(__file__).resolve().parents[2]
FAILED = "что-то пошло не так"


async def test_chat_answered_while_a_large_roadmap_is_imported(
    standin: StandInServer, tmp_path: Path, clock: MutableClock
) -> None:
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'roadmap.sqlite3'}"
    document = tmp_path / "карта.docx"
    document.write_bytes(roadmap_docx(1000))
    settings = make_settings(standin, db_url, tmp_path / "evidence")
    async with start_bot(standin, settings, clock) as bot:
        head = await bot.join_as("Мария", "Иванова Мария Петровна", Role.RESPONSIBLE, "СОШ № 1")
        importing = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "import",
            str(document),
            "--period",
            "2026-2030",
            "--json",
            env={**base_env(db_url), "PYTHONPATH": str(ROOT), "LOG_LEVEL": "WARNING"},
            cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )

        def said(words: str) -> int:
            return sum(words in str(m.get("text")) for m in head.inbox())

        asked = before = said("Команды:")
        slowest = 0.0
        while importing.returncode is None:
            asked += 1
            started = time.monotonic()
            await head.send("/help")
            await bot.world.wait_until(
                lambda: said("Команды:") + said(FAILED) >= asked,  # noqa: B023
                90,
            )
            slowest = max(slowest, time.monotonic() - started)
            await asyncio.sleep(0.2)
        _out, err = await importing.communicate()
        assert importing.returncode == 0, err.decode()[-2000:]
        async with bot.session_factory() as session:
            measures = await session.scalar(select(func.count(Measure.id)))
    assert measures == 1000
    print(f"{asked - before} /help during the import; the slowest answer took {slowest:.1f} s")
    assert said(FAILED) == 0
    # The chat went on all through the import: 11 asks on a quiet machine, 9 on a loaded one
    # (each waits for its answer), so at least 5 leaves room for load and still spans it.
    assert said("Команды:") == asked >= before + 5
