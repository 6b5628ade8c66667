"""A municipality's first afternoon with the real process: heads join, the roadmap is imported,
each head gets one summary of what is due and late, one reports, the bot is restarted in the
middle of the other's report, who finishes it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date
from sqlalchemy import select

from demo.documents import to_docx
from domain.roadmap.draft import SourceDocument, SourceRow
from standin import SimulatedUser, StandInServer
from standin.users import button_texts
from storage.engine import create_engine, create_session_factory
from storage.models import StatusReport
from tests.e2e.harness import BotProcess, bot_env, run_cli
from tests.e2e.preloaded import Preloaded


def afternoon_zone(now: datetime) -> str:
    """A fixed-offset zone in which ``now`` is early afternoon, whenever the suite runs."""
    offset = (14 - now.hour + 12) % 24 - 12  # -12 .. +11 hours from UTC
    return f"Etc/GMT{-offset:+d}" if offset else "UTC"  # Etc/ signs are inverted


def roadmap(today: date) -> bytes:
    def due(day: date) -> str:
        return f"до {format_date(day, 'd MMMM y', locale='ru')} г."  # «до 3 декабря 2026 г.»

    rows = [
        ("1.", "Провести педагогический совет", due(today + timedelta(days=1))),
        ("2.", "Направить план работы со школами ШНОР", due(today - timedelta(days=5))),
    ]
    return to_docx(
        SourceDocument(
            paragraphs=(f"Дорожная карта на {today.year}-{today.year + 1} годы",),
            tables=(
                (
                    SourceRow(("№", "Мероприятие", "Срок", "Ответственные", "Результат")),
                    *(SourceRow((n, t, d, "Руководители ОО", "Отчёт")) for n, t, d in rows),
                ),
            ),
        )
    )


async def invite(
    preloaded: Preloaded, env: dict[str, str], cwd: Path, name: str, *role: str
) -> str:
    code, link, err = await run_cli(
        "invite", "--name", name, "--role", *role, env=env, cwd=cwd, preloaded=preloaded
    )
    assert code == 0, err
    return "/start " + link.strip().split("start=", 1)[1]


async def test_first_afternoon_summary_report_and_restart_mid_report(
    standin: StandInServer, tmp_path: Path, preloaded: Preloaded
) -> None:
    zone = afternoon_zone(datetime.now(UTC))
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'first.sqlite3'}"
    env = {
        **bot_env(standin, db_url),
        "TIMEZONE": zone,
        "SCHEDULER__TICK_SECONDS": "0.5",
        # Whatever day CI runs on: the window is open now (the rule itself is tested elsewhere).
        "SCHEDULER__WINDOW_START": "00:00",
        "SCHEDULER__WINDOW_END": "23:59",
        "SCHEDULER__WINDOW_WORKING_DAYS_ONLY": "false",
    }
    links = {
        "anna": await invite(preloaded, env, tmp_path, "Антипина Анна Михайловна", "coordinator"),
        "maria": await invite(
            preloaded, env, tmp_path, "Иванова М.П.", "responsible", "--org", "СОШ № 1"
        ),
        "petr": await invite(
            preloaded, env, tmp_path, "Петров П.П.", "responsible", "--org", "СОШ № 2"
        ),
    }
    bot = BotProcess(env, tmp_path, tmp_path / "bot.log", preloaded)
    await bot.start(standin)
    try:
        people = {name: SimulatedUser.join(standin.world, name) for name in links}
        for name, user in people.items():
            await user.ask(links[name], timeout=30)
            user.skip_unread()
        anna, maria, petr = people["anna"], people["maria"], people["petr"]
        today = datetime.now(ZoneInfo(zone)).date()
        await anna.upload(roadmap(today), "карта.docx")
        await anna.next_message(timeout=30)
        await anna.press("Подтвердить", timeout=30)

        summaries = [await head.next_message(timeout=60) for head in (maria, petr)]
        for summary in summaries:
            assert summary["text"].startswith("📋 Мероприятия дорожной карты")
            assert "просрочено на 5 дней" in summary["text"]
            assert "остался 1 день" in summary["text"]
            assert len(button_texts(summary)) == 2

        for head, answer in ((maria, "Педсовет проведён"), (petr, None)):
            await head.press("1 · Провести педагогический совет", timeout=30)
            await head.next_message(timeout=30)
            await head.press("Выполнено" if answer else "В работе", timeout=30)
            await head.next_message(timeout=30)
            if answer:
                await head.ask(answer, timeout=30)
                await head.press("Без файла и ссылки", timeout=30)
                await head.next_message(timeout=30)
                await head.press("Сохранить", timeout=30)
                await head.next_message(timeout=30)

        # Restarted while Пётр is writing his answer.
        await standin.api.wake_pollers()
        assert await bot.stop() == 0, bot.log_text()
        await bot.start(standin)
        await petr.ask("Педсовет назначен на пятницу", timeout=30)
        await petr.press("Без файла и ссылки", timeout=30)
        assert "Статус: В работе" in (await petr.next_message(timeout=30))["text"]
        await petr.press("Сохранить", timeout=30)
        assert "сохранён" in (await petr.next_message(timeout=30))["text"]
        assert maria.unread() == [] and len(petr.unread()) == 0
    finally:
        await standin.api.wake_pollers()
        assert await bot.stop() == 0, bot.log_text()

    engine = create_engine(db_url)
    async with create_session_factory(engine)() as session:
        reports = list(await session.scalars(select(StatusReport).order_by(StatusReport.id)))
    await engine.dispose()
    assert sorted((r.status, r.text) for r in reports) == [
        ("done", "Педсовет проведён"),
        ("in_progress", "Педсовет назначен на пятницу"),
    ]
