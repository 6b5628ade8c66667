"""``roadmap-bot person forget NAME`` with several replicas: the conversation the bot keeps for
her in Redis (a half-written report holds her own words) is gone after the command, run as the
IT person runs it; another head's conversation, and another bot's keys in the same Redis, stay.
"""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiogram.fsm.storage.base import StorageKey
from redis.asyncio import Redis
from sqlalchemy import select, update

from bot.dispatcher import build_fsm_storage
from bot.settings import RedisSection
from domain.roles import Role
from storage.engine import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.invitations import issue_invitation
from storage.usecases.personal_data import FORGOTTEN_NAME
from tests.redis_probe import DEFAULT, answers
from tests.support import MutableClock

pytestmark = pytest.mark.process

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 4, 3, 2, 0, tzinfo=UTC)
MARIA, PETR = ("Иванова Мария Петровна", 5001), ("Петров Пётр Петрович", 5002)
DRAFT = "Дорожная карта утверждена, Иванова М. П., +7 914 000-11-22"


@pytest.fixture
async def redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL") or DEFAULT
    if not await answers(url):
        pytest.skip(f"no Redis answers at {url} (TEST_REDIS_URL)")
    return url


async def heads_in(database: str) -> None:
    """Two school heads invited and joined (a private chat's id is the user's)."""
    engine = create_engine(database)
    await upgrade(engine)
    async with create_session_factory(engine)() as session:
        uow = UnitOfWork(session)
        for name, address in (MARIA, PETR):
            await issue_invitation(
                uow, full_name=name, role=Role.RESPONSIBLE, organisation="СОШ № 1", now=NOW
            )
            await session.execute(
                update(Person)
                .where(Person.full_name == name)
                .values(user_address=address, chat_address=address, joined_at=NOW)
            )
        await uow.commit()
    await engine.dispose()


async def names_in(database: str) -> list[str]:
    engine = create_engine(database)
    async with create_session_factory(engine)() as session:
        names = sorted(await session.scalars(select(Person.full_name)))
    await engine.dispose()
    return names


async def test_forget_from_the_command_line_clears_her_conversation_in_redis(
    redis_url: str, tmp_path: Path
) -> None:
    database = f"sqlite+aiosqlite:///{tmp_path / 'roadmap.sqlite3'}"
    await heads_in(database)
    prefix = f"roadmap-forget-{uuid.uuid4().hex[:12]}"  # this test's keys alone
    neighbour = f"{prefix}-other-bot"  # another bot sharing the Redis, the same chat ids
    section = RedisSection(url=redis_url, prefix=prefix)
    engine = create_engine(database)
    # The storage the bot's dispatcher builds with REDIS__URL: its keys, its layout.
    storage, _isolation = build_fsm_storage(section, create_session_factory(engine), MutableClock())
    other_bot, _ = build_fsm_storage(
        RedisSection(url=redis_url, prefix=neighbour),
        create_session_factory(engine),
        MutableClock(),
    )
    client = Redis.from_url(redis_url)
    try:
        for address in (MARIA[1], PETR[1]):
            key = StorageKey(bot_id=42, chat_id=address, user_id=address)
            await storage.set_state(key, "ReportFlow:text")
            await storage.set_data(key, {"occurrence_id": 7, "draft": DRAFT})
            await other_bot.set_state(key, "ReportFlow:text")
        maria_keys = [k async for k in client.scan_iter(match=f"{prefix}:{MARIA[1]}:*")]
        assert len(maria_keys) == 2  # her state and her data, as the bot wrote them

        forget = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "person",
            "forget",
            MARIA[0],
            env={
                **{k: v for k, v in os.environ.items() if not k.startswith(("DB__", "REDIS__"))},
                "PYTHONPATH": str(ROOT),
                "DATA_DIR": str(tmp_path),
                "DB__URL": database,
                "REDIS__URL": redis_url,
                "REDIS__PREFIX": prefix,
            },
            cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(forget.communicate(), 120)
        assert forget.returncode == 0, err.decode()
        assert "personal data of person" in out.decode()

        left = sorted([k.decode() async for k in client.scan_iter(match=f"{prefix}:*")])
        assert left == [
            f"{prefix}:{PETR[1]}:{PETR[1]}:default:data",
            f"{prefix}:{PETR[1]}:{PETR[1]}:default:state",
        ]
        maria = StorageKey(bot_id=42, chat_id=MARIA[1], user_id=MARIA[1])
        assert await storage.get_state(maria) is None and await storage.get_data(maria) == {}
        petr = StorageKey(bot_id=42, chat_id=PETR[1], user_id=PETR[1])
        assert await storage.get_state(petr) == "ReportFlow:text"
        assert (await storage.get_data(petr))["draft"] == DRAFT
        assert await other_bot.get_state(maria) == "ReportFlow:text"  # not this bot's to forget
        assert await names_in(database) == [FORGOTTEN_NAME, PETR[0]]
    finally:
        for pattern in (f"{prefix}:*", f"{neighbour}:*"):
            if stale := [k async for k in client.scan_iter(match=pattern)]:
                await client.delete(*stale)
        await client.aclose()
        await storage.close()
        await other_bot.close()
        await engine.dispose()
