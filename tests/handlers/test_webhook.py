"""Webhook mode: the real application behind a load balancer, Telegram's secret header
checked, health and counters served, and (with Redis) a conversation that moves between
replicas mid-way."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from pathlib import Path

import pytest
from aiohttp import ClientSession
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import Application
from domain.roles import Role
from standin import StandInServer
from standin.webhook import SECRET_HEADER
from storage.models import Person, StatusReport
from tests.conftest import make_settings
from tests.handlers.test_reports import reminded, report_without_evidence, rows
from tests.replicas import (
    REDIS_URL,
    SECRET,
    WEBHOOK_PATH,
    free_port,
    requires_redis,
    webhook_replicas,
    webhook_settings,
)
from tests.support import MutableClock, row_counts


async def test_webhook_mode_registers_its_secret_and_takes_updates(
    standin: StandInServer, db_url: str, clock: MutableClock, tmp_path: Path
) -> None:
    async with webhook_replicas(standin, db_url, clock, tmp_path, count=1) as replicas:
        webhook = standin.world.webhook
        assert webhook is not None
        assert webhook.url == replicas.balancer.base_url + WEBHOOK_PATH
        assert webhook.secret_token == SECRET
        user = await replicas.bot.joined("Мария")
        assert "/report" in user.menu()  # joined as a responsible person: their menu is set
        # Acknowledged (2xx) only once handled, which is just after the reply went out.
        await standin.world.wait_until(lambda: standin.world.delivered_by_webhook, 5)
        assert standin.world.calls.get("getupdates", 0) == 0


async def test_requests_without_telegrams_secret_are_refused_and_change_nothing(
    standin: StandInServer, db_url: str, clock: MutableClock, tmp_path: Path
) -> None:
    async with webhook_replicas(standin, db_url, clock, tmp_path, count=1) as replicas:
        token = await replicas.bot.invite("Иванова Мария Петровна", Role.RESPONSIBLE, "СОШ № 1")
        before = await row_counts(replicas.bot.session_factory)
        stranger = standin.world.add_user("Мария")
        stranger.started = True
        update = {
            "update_id": 777,
            "message": {
                "message_id": 1,
                "date": int(time.time()),
                "chat": stranger.chat_json(),
                "from": stranger.as_json(),
                "text": f"/start {token}",
                "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            },
        }
        url = replicas.upstreams[0] + WEBHOOK_PATH
        async with ClientSession() as http:
            for headers in ({}, {SECRET_HEADER: "wrong-secret"}):
                async with http.post(url, json=update, headers=headers) as response:
                    assert response.status == 401
            assert await row_counts(replicas.bot.session_factory) == before
            assert await _joined(replicas.bot.session_factory, stranger.id) is False

            async with http.post(url, json=update, headers={SECRET_HEADER: SECRET}) as response:
                assert response.status == 200  # the same update with the secret is taken
        assert await _joined(replicas.bot.session_factory, stranger.id) is True


async def _joined(factory: async_sessionmaker[AsyncSession], user_address: int) -> bool:
    async with factory() as session:
        person = await session.scalar(select(Person).where(Person.user_address == user_address))
        return person is not None


async def test_health_and_counters_are_served(
    standin: StandInServer, db_url: str, clock: MutableClock, tmp_path: Path
) -> None:
    async with (
        webhook_replicas(standin, db_url, clock, tmp_path, count=1) as replicas,
        ClientSession() as http,
    ):
        async with http.get(replicas.upstreams[0] + "/healthz") as response:
            assert response.status == 200
            health = await response.json()
        assert health["status"] == "ok" and health["database"] == "ok"
        assert health["redis"] == "off"
        async with http.get(replicas.upstreams[0] + "/metrics") as response:
            metrics = await response.text()
        for name in (
            "roadmap_reminders_sent_total",
            "roadmap_reminders_failed_total",
            "roadmap_reminders_retried_total",
            "roadmap_users_unreachable_total",
        ):
            assert f"{name} 0.0" in metrics


def shared_state_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if getattr(r, "event", "") == "no_shared_state"]


async def test_webhook_mode_without_redis_warns_that_replicas_need_it(
    standin: StandInServer,
    db_url: str,
    clock: MutableClock,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.webhook"):
        async with webhook_replicas(standin, db_url, clock, tmp_path, count=1):
            pass
    (warning,) = shared_state_warnings(caplog)
    assert "REDIS__URL" in warning


@requires_redis
async def test_webhook_mode_with_redis_does_not_warn(
    standin: StandInServer,
    db_url: str,
    clock: MutableClock,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger="bot.webhook"):
        async with webhook_replicas(standin, db_url, clock, tmp_path, count=1, redis_url=REDIS_URL):
            pass
    started = [r for r in caplog.records if getattr(r, "event", "") == "webhook_started"]
    assert len(started) == 1  # it did start: the missing warning is not a missing log
    assert shared_state_warnings(caplog) == []


async def test_health_says_which_dependency_fails(
    standin: StandInServer, db_url: str, clock: MutableClock, tmp_path: Path
) -> None:
    port = free_port()
    settings = webhook_settings(
        make_settings(standin, db_url, tmp_path / "evidence"),
        public_url="http://127.0.0.1:1",
        port=port,
        redis_url=f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
        prefix="roadmap_dead",
    )
    app = Application(settings, clock=clock, handle_signals=False)
    task = asyncio.create_task(app.run())
    try:
        await standin.world.wait_until(lambda: standin.world.webhook is not None, 15)
        async with (
            ClientSession() as http,
            http.get(f"http://127.0.0.1:{port}/healthz") as response,
        ):
            assert response.status == 503
            health = await response.json()
        assert health["database"] == "ok"
        assert health["redis"].startswith("failing")
    finally:
        await app.stop()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 20)


@requires_redis
async def test_a_report_started_on_one_replica_is_finished_on_the_other(
    standin: StandInServer, db_url: str, clock: MutableClock, tmp_path: Path
) -> None:
    async with webhook_replicas(
        standin, db_url, clock, tmp_path, count=2, redis_url=REDIS_URL
    ) as replicas:
        coordinator, maria, _petr, _reminder = await reminded(replicas.bot)
        handled_before = dict(replicas.balancer.forwarded)
        await report_without_evidence(maria, "В работе", "Проект готов, согласуем с педсоветом")
        # Round robin: the conversation's four updates alternated between the replicas.
        for upstream in replicas.upstreams:
            assert replicas.balancer.forwarded[upstream] > handled_before.get(upstream, 0)
        (report,) = await rows(replicas.bot, StatusReport)
        assert report.status == "in_progress"
        assert report.text == "Проект готов, согласуем с педсоветом"
        notice = await coordinator.next_message()
        assert "Новый отчёт" in notice["text"]
        await asyncio.sleep(0.5)
        assert coordinator.unread() == []  # told once, not once per replica


async def test_calendar_subscription_is_served_and_revocable(
    standin: StandInServer, db_url: str, clock: MutableClock, tmp_path: Path
) -> None:
    from icalendar import Calendar

    async with (
        webhook_replicas(standin, db_url, clock, tmp_path, count=1) as replicas,
        ClientSession() as http,
    ):
        maria = await replicas.bot.joined("Мария")
        subscription = await maria.ask("/calendar")
        lines = str(subscription["text"]).splitlines()
        assert lines[0] == "Ваш личный адрес календаря (никому его не передавайте):"
        url = lines[1]
        assert url.startswith(replicas.balancer.base_url + "/calendar/") and url.endswith(".ics")
        async with http.get(url) as response:
            assert response.status == 200
            assert response.content_type == "text/calendar"
            calendar = Calendar.from_ical(await response.read())
        assert calendar["x-wr-calname"] == "Сроки дорожной карты"

        token = url.rsplit("/", 1)[1].removesuffix(".ics")
        for guess in (token[:-1] + ("A" if token[-1] != "A" else "B"), "x" * 200, ""):
            async with http.get(f"{replicas.balancer.base_url}/calendar/{guess}.ics") as response:
                assert response.status == 404
                assert "Мария" not in await response.text()

        # Only the address's digest is kept: asked again, the bot says it was given and works.
        again = await maria.ask("/calendar")
        assert "уже присылал" in str(again["text"]) and token not in str(again["text"])
        async with http.get(url) as response:
            assert response.status == 200

        renewed = await maria.ask("/calendar reset")
        new_url = str(renewed["text"]).splitlines()[1]
        assert new_url != url
        async with http.get(url) as response:
            assert response.status == 404  # the old address is revoked
        async with http.get(new_url) as response:
            assert response.status == 200


async def test_the_unsubscribe_link_asks_and_the_button_or_one_click_unsubscribes(
    standin: StandInServer, db_url: str, clock: MutableClock, tmp_path: Path
) -> None:
    from storage.usecases.email.settings import unsubscribe_token
    from tests.support import unit_of_work

    async with (
        webhook_replicas(standin, db_url, clock, tmp_path, count=1) as replicas,
        ClientSession() as http,
    ):
        factory = replicas.bot.session_factory
        await replicas.bot.invite("Иванова Мария Петровна", Role.RESPONSIBLE, "СОШ № 1")
        await replicas.bot.invite("Петров Пётр Петрович", Role.RESPONSIBLE, "СОШ № 2")
        async with unit_of_work(factory) as uow:
            people = {p.full_name: p for p in await uow.session.scalars(select(Person))}
            now = clock.now()
            maria_token = await unsubscribe_token(uow, people["Иванова Мария Петровна"].id, now=now)
            petr_token = await unsubscribe_token(uow, people["Петров Пётр Петрович"].id, now=now)
            await uow.commit()
        base = replicas.balancer.base_url + "/email/unsubscribe/"

        async def opted_out(name: str) -> bool:
            async with factory() as session:
                person = await session.scalar(select(Person).where(Person.full_name == name))
                assert person is not None
                return person.email_opt_out_at is not None

        async with http.get(base + maria_token) as response:
            assert response.status == 200
            page = await response.text()
        assert "Отписаться от писем бота дорожной карты?" in page
        assert 'name="action" value="unsubscribe"' in page
        assert not await opted_out("Иванова Мария Петровна")  # opening the link changes nothing

        async with http.post(base + maria_token, data={"action": "unsubscribe"}) as response:
            assert "Вы отписались." in await response.text()
        assert await opted_out("Иванова Мария Петровна")
        assert not await opted_out("Петров Пётр Петрович")

        # A mail program's own «Отписаться» button (RFC 8058).
        async with http.post(base + petr_token, data={"List-Unsubscribe": "One-Click"}) as response:
            assert response.status == 200
        assert await opted_out("Петров Пётр Петрович")

        async with http.post(base + maria_token, data={"action": "subscribe"}) as response:
            assert "Письма снова включены." in await response.text()
        assert not await opted_out("Иванова Мария Петровна")

        before = await row_counts(factory)
        guess = maria_token[:-1] + ("A" if maria_token[-1] != "A" else "B")
        for token in (guess, "x" * 200):
            async with http.post(base + token, data={"action": "unsubscribe"}) as response:
                assert response.status == 404
                assert "Мария" not in await response.text()
        assert await row_counts(factory) == before
        assert not await opted_out("Иванова Мария Петровна")
