"""MAX in webhook mode: the subscription with its secret, deliveries checked on every call."""

from __future__ import annotations

from pathlib import Path

from aiohttp import ClientSession
from sqlalchemy import select

from domain.messengers import MAX_OFFSET
from domain.roles import Role
from standin import StandInServer
from standin.max import SECRET_HEADER, MaxStandIn
from standin.max.world import now_ms
from storage.models import Person
from tests.replicas import MAX_SECRET, MAX_WEBHOOK_PATH, webhook_replicas
from tests.support import MutableClock, audit_actions, row_counts


async def test_max_posts_to_the_webhook_with_its_secret_and_others_are_refused(
    standin: StandInServer,
    max_standin: MaxStandIn,
    db_url: str,
    clock: MutableClock,
    tmp_path: Path,
) -> None:
    async with webhook_replicas(
        standin, db_url, clock, tmp_path, count=2, max_standin=max_standin
    ) as replicas:
        subscription = max_standin.world.webhook
        assert subscription is not None
        assert subscription.url == replicas.balancer.base_url + MAX_WEBHOOK_PATH
        assert subscription.secret_token == MAX_SECRET
        assert max_standin.world.calls.get("get_updates", 0) == 0

        # Forged deliveries: no secret, a wrong one. 401, and nothing changes.
        token = await replicas.bot.invite("Иванова Мария Петровна", Role.RESPONSIBLE, "СОШ № 1")
        before = await row_counts(replicas.bot.session_factory)
        intruder = max_standin.world.add_user("Мария")
        forged = {
            "update_type": "bot_started",
            "timestamp": now_ms(),
            "chat_id": intruder.chat_id,
            "user": intruder.as_json(),
            "payload": token,
            "user_locale": "ru",
        }
        url = replicas.upstreams[0] + MAX_WEBHOOK_PATH
        async with ClientSession() as http:
            for headers in ({}, {SECRET_HEADER: "wrong-secret"}, {SECRET_HEADER: SECRET_HEADER}):
                async with http.post(url, json=forged, headers=headers) as response:
                    assert response.status == 401
        assert await row_counts(replicas.bot.session_factory) == before
        assert ("invitation.redeem", "ok") not in await audit_actions(replicas.bot.session_factory)

        # The real thing, through the balancer, to whichever replica: she joins and reports.
        maria = replicas.bot.max_user("Мария")
        welcome = await maria.ask(f"/start {token}")
        assert "Здравствуйте, Мария Петровна! Вы подключились" in welcome["text"]
        async with replicas.bot.session_factory() as session:
            person = await session.scalar(select(Person).where(Person.chat_address.is_not(None)))
        assert person is not None and person.chat_address == MAX_OFFSET + maria.id
        help_text = await maria.ask("/help")
        assert "/report" in help_text["text"]
