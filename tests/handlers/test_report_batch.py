"""REPORT_NOTIFICATIONS=hourly: coordinators get one list an hour instead of a message per report."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import Application
from domain.roles import Role
from standin import SimulatedUser, StandInServer
from standin.users import button_texts
from storage.models import StatusReport
from tests.conftest import RunningBot, make_settings, start_bot
from tests.handlers.test_reports import reminded, report_without_evidence, rows
from tests.support import MutableClock


@pytest.fixture
async def hourly_bot(
    standin: StandInServer, db_url: str, clock: MutableClock, tmp_path: Path
) -> AsyncIterator[RunningBot]:
    settings = make_settings(standin, db_url, tmp_path / "evidence")
    settings.report_notifications = "hourly"
    async with start_bot(standin, settings, clock) as bot:
        yield bot


async def report_done(head: SimulatedUser, text: str) -> None:
    await report_without_evidence(head, "Выполнено", text)


async def test_reports_wait_for_the_hourly_list(hourly_bot: RunningBot) -> None:
    coordinator, maria, petr, _reminder = await reminded(hourly_bot)
    await report_done(maria, "Направлена в УО")
    await report_done(petr, "Размещена на сайте")
    await asyncio.sleep(0.3)
    assert coordinator.unread() == []  # nothing at once
    saved = await rows(hourly_bot, StatusReport)
    assert [report.notified_at for report in saved] == [None, None]

    assert await hourly_bot.app.report_batch.send() == 2
    listing = await coordinator.next_message()
    assert listing["text"].startswith("Новые отчёты: 2.")
    assert "П3.2 · СОШ № 1 — Выполнено (Иванова Мария Петровна)" in listing["text"]
    assert button_texts(listing) == ["П3.2 · СОШ № 1", "П3.2 · СОШ № 2"]
    assert all(report.notified_at is not None for report in await rows(hourly_bot, StatusReport))
    assert await hourly_bot.app.report_batch.send() == 0  # each report is listed once
    assert coordinator.unread() == []

    await coordinator.press("П3.2 · СОШ № 1")
    card = await coordinator.next_message()
    assert card["text"].startswith("Новый отчёт по мероприятию П3.2\n")
    await coordinator.press("Принять")
    assert "принят" in (await maria.next_message())["text"]
    again = await coordinator.press_data(f"v1ro:{saved[0].id}")
    assert again["show_alert"] and "уже рассмотрен" in again["text"]


async def test_only_coordinators_open_listed_reports(hourly_bot: RunningBot) -> None:
    _coordinator, maria, _petr, _reminder = await reminded(hourly_bot)
    await report_done(maria, "Направлена в УО")
    (report,) = await rows(hourly_bot, StatusReport)
    refused = await maria.press_data(f"v1ro:{report.id}")
    assert refused["show_alert"] and "не для вас" in refused["text"]
    methodist = await hourly_bot.join_as("Ольга", "Смирнова Ольга", Role.OBSERVER, None)
    assert (await methodist.press_data(f"v1ro:{report.id}"))["show_alert"]


async def test_a_blocked_coordinator_does_not_stop_the_list_for_the_others(
    hourly_bot: RunningBot,
) -> None:
    coordinator, maria, _petr, _reminder = await reminded(hourly_bot)
    deputy = await hourly_bot.join_as("Ирина", "Заместитель Ирина", Role.COORDINATOR, "УО")
    await report_done(maria, "Направлена в УО")
    coordinator.block()
    deputy.skip_unread()

    assert await hourly_bot.app.report_batch.send() == 1
    assert (await deputy.next_message())["text"].startswith("Новые отчёты: 1.")
    assert all(report.notified_at is not None for report in await rows(hourly_bot, StatusReport))


async def test_the_hourly_job_is_scheduled_only_when_asked_for(
    hourly_bot: RunningBot, standin: StandInServer, db_url: str, tmp_path: Path
) -> None:
    job = hourly_bot.app.scheduler.get_job("send_new_reports")
    assert job is not None and str(job.trigger.fields[6]) == "0"  # minute 0 of every hour
    instant = Application(make_settings(standin, db_url, tmp_path / "e"), handle_signals=False)
    assert instant.scheduler.get_job("send_new_reports") is None
    await instant.engine.dispose()
