"""One process, both messengers: a coordinator in MAX, a head in Telegram and a head in MAX
join from one roadmap's invitations, are reminded each in their messenger, report (the MAX
head with a document, restarted mid-report), the coordinator accepts both, and the digest
and the export count both."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl

from standin import SimulatedUser, StandInServer
from standin.max import MaxStandIn, MaxUser
from standin.users import button_texts
from tests.e2e.harness import BotProcess, bot_env, max_env, run_cli
from tests.e2e.preloaded import Preloaded
from tests.e2e.test_first_week_process import afternoon_zone, roadmap


async def invite_links(
    preloaded: Preloaded, env: dict[str, str], cwd: Path, name: str, *role: str
) -> dict[str, str]:
    """The invitation's «/start <token>» per messenger, as `roadmap-bot invite` prints them."""
    code, out, err = await run_cli(
        "invite", "--name", name, "--role", *role, env=env, cwd=cwd, preloaded=preloaded
    )
    assert code == 0, err
    links = dict(line.split(": ", 1) for line in out.strip().splitlines())
    assert set(links) == {"Telegram", "MAX"}
    assert links["MAX"].startswith("https://max.ru/roadmap_max_bot?start=")
    return {messenger: "/start " + url.split("start=", 1)[1] for messenger, url in links.items()}


async def test_both_messengers_in_one_process(
    standin: StandInServer, max_standin: MaxStandIn, tmp_path: Path, preloaded: Preloaded
) -> None:
    zone = afternoon_zone(datetime.now(UTC))
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'both.sqlite3'}"
    env = {
        **bot_env(standin, db_url),
        **max_env(max_standin),
        "TIMEZONE": zone,
        "SCHEDULER__TICK_SECONDS": "0.5",
        "SCHEDULER__WINDOW_START": "00:00",
        "SCHEDULER__WINDOW_END": "23:59",
        "SCHEDULER__WINDOW_WORKING_DAYS_ONLY": "false",
    }
    anna_links = await invite_links(
        preloaded, env, tmp_path, "Антипина Анна Михайловна", "coordinator"
    )
    maria_links = await invite_links(
        preloaded, env, tmp_path, "Иванова М.П.", "responsible", "--org", "СОШ № 1"
    )
    petr_links = await invite_links(
        preloaded, env, tmp_path, "Петров П.П.", "responsible", "--org", "СОШ № 2"
    )
    bot = BotProcess(env, tmp_path, tmp_path / "bot.log", preloaded)
    await bot.start(standin, max_standin=max_standin)
    try:
        anna = MaxUser.join(max_standin.world, "Анна")
        maria = SimulatedUser.join(standin.world, "Мария")
        petr = MaxUser.join(max_standin.world, "Пётр")
        assert "Анна Михайловна" in (await anna.ask(anna_links["MAX"], timeout=30))["text"]
        assert "Иванова" in (await maria.ask(maria_links["Telegram"], timeout=30))["text"]
        assert "Петров" in (await petr.ask(petr_links["MAX"], timeout=30))["text"]
        for user in (anna, maria, petr):
            user.skip_unread()

        # The coordinator imports the roadmap from a document sent in MAX.
        today = datetime.now(ZoneInfo(zone)).date()
        await anna.upload(roadmap(today), "карта.docx")
        await anna.next_message(timeout=30)
        await anna.press("Подтвердить", timeout=30)
        anna.skip_unread()

        # Each head hears of what is due and late in their own messenger.
        for head in (maria, petr):
            summary = await head.next_message(timeout=60)
            assert summary["text"].startswith("📋 Мероприятия дорожной карты")
            assert len(button_texts(summary)) == 2

        await maria.press("1 · Провести педагогический совет", timeout=30)
        await maria.next_message(timeout=30)
        await maria.press("Выполнено", timeout=30)
        await maria.next_message(timeout=30)
        await maria.ask("Педсовет проведён", timeout=30)
        await maria.press("Без файла и ссылки", timeout=30)
        await maria.next_message(timeout=30)
        await maria.press("Сохранить", timeout=30)
        assert "сохранён" in (await maria.next_message(timeout=30))["text"]

        await petr.press("1 · Провести педагогический совет", timeout=30)
        await petr.next_message(timeout=30)
        await petr.press("Выполнено", timeout=30)
        await petr.next_message(timeout=30)
        # Restarted while Пётр is writing his answer in MAX.
        await max_standin.wake_pollers()
        assert await bot.stop() == 0, bot.log_text()
        await bot.start(standin, max_standin=max_standin)
        await petr.ask("Педсовет проведён, протокол приложен", timeout=30)
        summary = await petr.ask_upload(b"%PDF-1.4 protocol", "Протокол педсовета.pdf", timeout=30)
        assert "Протокол педсовета.pdf" in summary["text"]
        await petr.press("Сохранить", timeout=30)
        assert "сохранён" in (await petr.next_message(timeout=30))["text"]

        # The coordinator, in MAX, accepts both.
        for _ in range(2):
            await anna.next_message(timeout=30)
        for _ in range(2):
            await anna.press("Принять", timeout=30)
        assert "принят" in (await maria.next_message(timeout=30))["text"]
        assert "принят" in (await petr.next_message(timeout=30))["text"]

        anna.skip_unread()
        await anna.send("/digest")
        chart = await anna.next_message(timeout=30)  # the chart first, then the text
        assert anna.file_content(chart).startswith(b"\x89PNG")
        overdue = (await anna.next_message(timeout=30))["text"]
        assert "СОШ № 1" in overdue and "СОШ № 2" in overdue  # both late with measure 2
        await anna.send("/export")
        choice = await anna.next_message(timeout=30)
        while "Таблица (.xlsx)" not in button_texts(choice):
            choice = await anna.next_message(timeout=30)
        await anna.press("Таблица (.xlsx)", timeout=30)
        sent = await anna.next_message(timeout=30)
        while "document" not in sent:
            sent = await anna.next_message(timeout=30)
        book = openpyxl.load_workbook(io.BytesIO(anna.file_content(sent)))
        answers = [row for row in book["Ответы"].iter_rows(min_row=2, values_only=True)]
        schools = sorted(str(row[2]) for row in answers if row[2])
        assert schools == ["СОШ № 1", "СОШ № 2"]
        texts = " ".join(str(cell) for row in answers for cell in row)
        assert "Педсовет проведён" in texts and "протокол приложен" in texts
    finally:
        await standin.api.wake_pollers()
        await max_standin.wake_pollers()
        assert await bot.stop() == 0, bot.log_text()
