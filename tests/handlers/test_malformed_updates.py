"""Finding 12 of the security review: an update of a shape the messenger should never send,
delivered with the right secret, is answered 200 (so it is not sent again forever) and logged
by its type and id only, never with its values; the next good update is handled as usual."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest
from aiohttp import ClientSession

from domain.roles import Role
from standin import StandInServer
from standin.max import SECRET_HEADER as MAX_SECRET_HEADER
from standin.max import MaxStandIn
from standin.webhook import SECRET_HEADER
from tests.replicas import MAX_SECRET, MAX_WEBHOOK_PATH, SECRET, WEBHOOK_PATH, webhook_replicas
from tests.support import MutableClock

PHONE = "+79001234567"
WROTE = "Иванова Мария Петровна"


def _leaked(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if PHONE in r.getMessage()
        or WROTE in r.getMessage()
        or (r.exc_info and (PHONE in str(r.exc_info[1]) or WROTE in str(r.exc_info[1])))
    ]


async def test_a_malformed_telegram_update_is_answered_200_and_logged_without_its_values(
    standin: StandInServer,
    db_url: str,
    clock: MutableClock,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    async with webhook_replicas(standin, db_url, clock, tmp_path, count=1) as replicas:
        url = replicas.upstreams[0] + WEBHOOK_PATH
        malformed = [
            {"update_id": 901, "message": {"text": f"{WROTE} {PHONE}", "chat": PHONE}},
            {"update_id": "x", f"{WROTE}": PHONE},
        ]
        async with ClientSession() as http:
            for update in malformed:
                headers = {SECRET_HEADER: SECRET}
                async with http.post(url, json=update, headers=headers) as response:
                    assert response.status == 200
            async with http.post(url, data=b"{not json", headers=headers) as response:
                assert response.status == 200
        assert _leaked(caplog) == []
        dropped = [r.getMessage() for r in caplog.records if "malformed" in r.getMessage()]
        assert "a malformed Telegram update was dropped: update 901, kind message" in dropped
        assert "a malformed Telegram update was dropped: update ?, kind ?" in dropped
        # The bot goes on: a real update after them is handled.
        token = await replicas.bot.invite(WROTE, Role.RESPONSIBLE, "СОШ № 1")
        welcome = await replicas.bot.user("Мария").ask(f"/start {token}")
        assert "Вы подключились к боту" in welcome["text"]


async def test_a_malformed_max_update_is_answered_200_and_logged_without_its_values(
    standin: StandInServer,
    max_standin: MaxStandIn,
    db_url: str,
    clock: MutableClock,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    async with webhook_replicas(
        standin, db_url, clock, tmp_path, count=1, max_standin=max_standin
    ) as replicas:
        url = replicas.upstreams[0] + MAX_WEBHOOK_PATH
        stamp = int(time.time() * 1000)
        malformed = [
            # pydantic refuses the converted update: its error quotes the values.
            {
                "update_type": "bot_started",
                "timestamp": stamp,
                "chat_id": 5,
                "user": {"user_id": 77, "name": [WROTE, PHONE]},
                "payload": "x",
            },
            {"update_type": "message_created", "timestamp": stamp, "message": f"{WROTE} {PHONE}"},
            {"update_type": f"{WROTE} {PHONE}", "timestamp": PHONE, "message": {}},
        ]
        headers = {MAX_SECRET_HEADER: MAX_SECRET}
        async with ClientSession() as http:
            for update in malformed:
                async with http.post(url, json=update, headers=headers) as response:
                    assert response.status == 200
            async with http.post(url, data=b"[1, 2", headers=headers) as response:
                assert response.status == 200
        assert _leaked(caplog) == []
        dropped = [r.getMessage() for r in caplog.records if "dropped" in r.getMessage()]
        assert f"a malformed MAX update was dropped: type bot_started, timestamp {stamp}" in dropped
        token = await replicas.bot.invite(WROTE, Role.RESPONSIBLE, "СОШ № 1")
        welcome = await replicas.bot.max_user("Мария").ask(f"/start {token}")
        assert "Вы подключились к боту" in welcome["text"]
