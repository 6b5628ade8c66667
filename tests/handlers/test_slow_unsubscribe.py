"""A client that sends the unsubscribe form slowly holds no database connection: on SQLite
the engine has one, and every transaction takes the write lock, so a stalled body there made
every chat wait (found by the outside review of issue 26)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from sqlalchemy import select

from standin import StandInServer
from storage.models import Person
from tests.replicas import webhook_replicas
from tests.support import MutableClock, unit_of_work


async def test_a_slowly_sent_unsubscribe_form_leaves_every_chat_answered(
    standin: StandInServer, clock: MutableClock, tmp_path: Path
) -> None:
    from storage.usecases.email.settings import unsubscribe_token

    db_url = f"sqlite+aiosqlite:///{tmp_path / 'roadmap.sqlite3'}"
    async with webhook_replicas(standin, db_url, clock, tmp_path, count=1) as replicas:
        bot = replicas.bot
        head = await bot.joined("Мария")
        async with unit_of_work(bot.session_factory) as uow:
            person = await uow.session.scalar(
                select(Person).where(Person.full_name == "Мария Тестовая")
            )
            assert person is not None
            token = await unsubscribe_token(uow, person.id, now=clock.now())
            await uow.commit()

        host, port = replicas.upstreams[0].removeprefix("http://").split(":")
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(
            (
                f"POST /email/unsubscribe/{token} HTTP/1.1\r\nHost: bot\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\n"
                "Content-Length: 1000\r\n\r\naction=uns"  # 10 of the 1,000 bytes, then silence
            ).encode()
        )
        await writer.drain()
        await asyncio.sleep(0.5)
        started = time.monotonic()
        reply = await head.ask("/help", timeout=30)
        assert "Извините" not in str(reply["text"])
        assert time.monotonic() - started < 3.0

        status = await asyncio.wait_for(reader.readline(), timeout=15)
        assert b" 408 " in status  # the stalled form is given up, not waited for
        writer.close()
