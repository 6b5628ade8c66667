"""Each Telegram update is handled once: delivered again (Telegram's retry after a lost 2xx, a
proxy passing the request to the next replica when the first closed the connection) it is
acknowledged, not answered twice; while a delivery is in hand elsewhere the next is asked to
come back (503), so a replica that dies mid-update loses nothing."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from aiohttp import ClientSession
from redis.asyncio import Redis

from bot.update_ledger import Claim, UpdateLedger
from standin import StandInServer
from standin.users import SimulatedUser
from standin.webhook import SECRET_HEADER
from tests.replicas import REDIS_URL, SECRET, WEBHOOK_PATH, webhook_replicas
from tests.support import MutableClock


async def test_in_one_process_the_ledger_says_new_working_done() -> None:
    ledger = UpdateLedger(None, "t")
    assert await ledger.claim(1) is Claim.NEW
    assert await ledger.claim(1) is Claim.WORKING
    await ledger.finish(1)
    assert await ledger.claim(1) is Claim.DONE
    assert await ledger.claim(2) is Claim.NEW
    await ledger.release(2)  # its handling failed: the next delivery handles it
    assert await ledger.claim(2) is Claim.NEW


@pytest.mark.skipif(not REDIS_URL, reason="needs Redis: make test sets TEST_REDIS_URL")
async def test_replicas_share_the_ledger_through_redis(tmp_path: Path) -> None:
    prefix = f"ledger-test-{tmp_path.name}-{time.monotonic_ns()}"
    first, second = Redis.from_url(REDIS_URL), Redis.from_url(REDIS_URL)
    try:
        one, other = UpdateLedger(first, prefix), UpdateLedger(second, prefix)
        assert await one.claim(7) is Claim.NEW
        assert await other.claim(7) is Claim.WORKING  # in hand on the first replica
        await one.finish(7)
        assert await other.claim(7) is Claim.DONE
        assert await other.claim(8) is Claim.NEW
        await other.release(8)
        assert await one.claim(8) is Claim.NEW
    finally:
        await first.delete(*[k async for k in first.scan_iter(match=f"{prefix}:*")] or ["-"])
        await first.aclose()
        await second.aclose()


async def test_an_update_delivered_twice_is_answered_once(
    standin: StandInServer, db_url: str, clock: MutableClock, tmp_path: Path
) -> None:
    async with webhook_replicas(standin, db_url, clock, tmp_path, count=1) as replicas:
        url = replicas.upstreams[0] + WEBHOOK_PATH
        visitor = SimulatedUser.join(standin.world, "Гость", started=True)  # wrote to the bot
        update = {
            "update_id": 424242,
            "message": {
                "message_id": 1,
                "date": int(time.time()),
                "chat": {"id": visitor.id, "type": "private", "first_name": "Гость"},
                "from": {"id": visitor.id, "is_bot": False, "first_name": "Гость"},
                "text": "/help",
            },
        }
        async with ClientSession() as http:
            for _ in range(2):
                async with http.post(url, json=update, headers={SECRET_HEADER: SECRET}) as response:
                    assert response.status == 200
        assert len(standin.world.bot_messages(visitor.id)) == 1


async def test_a_redis_that_does_not_answer_leaves_every_update_handled() -> None:
    """Handling an update twice beats not handling it: with the ledger's Redis down, each
    delivery is new and nothing raises."""
    down = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.5)
    try:
        ledger = UpdateLedger(down, "t")
        assert await ledger.claim(9) is Claim.NEW
        await ledger.finish(9)
        await ledger.release(9)
        assert await ledger.claim(9) is Claim.NEW
    finally:
        await down.aclose()
