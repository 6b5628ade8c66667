"""The reporting exchange with the real bot process over HTTP: reminder → «Выполнено» with a PDF →
returned with a comment → corrected → accepted → that occurrence's reminders stop."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from bench.seeding import seed_due_reminders
from standin import SimulatedUser, StandInServer
from storage.engine import create_engine, create_session_factory
from storage.models import Reminder, StatusReport
from tests.e2e.harness import BotProcess, bot_env, run_cli
from tests.e2e.preloaded import Preloaded


async def test_report_returned_corrected_accepted(
    standin: StandInServer, tmp_path: Path, preloaded: Preloaded
) -> None:
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'r.sqlite3'}"
    head = SimulatedUser.join(standin.world, "Мария", label="head")
    head.record.started = True
    await seed_due_reminders(db_url, [head.id], due_at=datetime.now(UTC) - timedelta(minutes=1))
    env = {**bot_env(standin, db_url), "SCHEDULER__TICK_SECONDS": "0.5"}
    _code, link, _err = await run_cli(
        "invite",
        "--name",
        "Антипина Анна Михайловна",
        "--role",
        "coordinator",
        env=env,
        cwd=tmp_path,
        preloaded=preloaded,
    )
    bot = BotProcess(env, tmp_path, tmp_path / "bot.log", preloaded)
    await bot.start(standin)
    try:
        coordinator = SimulatedUser.join(standin.world, "Анна")
        await coordinator.ask("/start " + link.strip().split("start=")[1], timeout=30)
        coordinator.skip_unread()

        reminder = await head.next_message(timeout=30)
        assert reminder["text"].startswith("⏰ Напоминание: мероприятие П3.2")
        await head.press("Выполнено", timeout=30)
        await head.next_message(timeout=30)
        await head.ask("Дорожная карта направлена", timeout=30)
        await head.upload(b"%PDF-1.4 roadmap", "карта.pdf", "application/pdf")
        await head.next_message(timeout=30)
        await head.press("Сохранить", timeout=30)
        await head.next_message(timeout=30)

        await coordinator.next_message(timeout=30)
        await coordinator.press("Вернуть с комментарием", timeout=30)
        await coordinator.next_message(timeout=30)
        await coordinator.ask("Нужен приказ об утверждении", timeout=30)
        assert "возвращён" in (await head.next_message(timeout=30))["text"]

        await head.press("Выполнено", timeout=30)
        await head.next_message(timeout=30)
        await head.ask("Направлена, приказ № 12", timeout=30)
        await head.press("Без файла и ссылки", timeout=30)
        await head.next_message(timeout=30)
        await head.press("Сохранить", timeout=30)
        await head.next_message(timeout=30)
        await coordinator.next_message(timeout=30)
        await coordinator.press("Принять", timeout=30)
        assert "принят" in (await head.next_message(timeout=30))["text"]
    finally:
        await standin.api.wake_pollers()
        assert await bot.stop() == 0, bot.log_text()

    engine = create_engine(db_url)
    async with create_session_factory(engine)() as session:
        reports = list(await session.scalars(select(StatusReport).order_by(StatusReport.id)))
        pending = list(await session.scalars(select(Reminder).where(Reminder.state == "pending")))
    await engine.dispose()
    assert [(r.version, r.review) for r in reports] == [(1, "returned"), (2, "accepted")]
    assert reports[0].evidence_file_name == "карта.pdf" and reports[0].evidence_size == 16
    assert pending == []  # no more reminders for this occurrence
