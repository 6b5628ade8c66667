"""``make demo``: the bot working offline against the local Telegram stand-in."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shlex
import sys
import tempfile
import traceback
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.app import Application
from bot.settings import (
    BotSection,
    DbSection,
    EmailSection,
    MaxSection,
    SchedulerSection,
    Settings,
)
from demo.documents import (
    demo_filled_form,
    demo_form,
    district_plan,
    people_xlsx,
    seed_document,
    to_docx,
    with_indicators,
)
from demo.several_roadmaps import several_roadmaps
from demo.transcript import Transcript
from domain.messengers import MAX_OFFSET
from domain.roles import Role, commands_for
from handlers.common.callbacks import ActualCb
from standin import SimulatedUser, StandInServer, World
from standin.max import MaxStandIn, MaxUser, MaxWorld
from standin.smtp import MailServer
from standin.world import Json
from storage.models import AuditEvent, Measure, Person, Reminder

SCHOOLS = [
    (
        "МОУ СОШ № 1 г. Усть-Кута",
        "Иванова Мария Петровна",
        "директор",
        "sosh1@example.ru",
        "",
        "нет",
    ),
    ("МОУ СОШ № 2 г. Усть-Кута", "Петров Пётр Петрович", "директор", "sosh2@example.ru", "", "да"),
    (
        "МОУ СОШ № 3 г. Усть-Кута",
        "Сидорова Ольга Ивановна",
        "директор",
        "sosh3@example.ru",
        "",
        "нет",
    ),
]


IRKUTSK = ZoneInfo("Asia/Irkutsk")
RESPONSIBLE_MENU = [f"/{c.value}" for c in commands_for(Role.RESPONSIBLE)]


class DemoClock:
    """The demo moves through spring 2026, when the heads' roadmaps are due (17 April)."""

    def __init__(self, start: datetime) -> None:
        self._now = start

    def now(self) -> datetime:
        return self._now

    def set_local(self, text: str) -> None:
        self._now = datetime.fromisoformat(text).replace(tzinfo=IRKUTSK).astimezone(UTC)
        print(f"🕙 It is now {text.replace('T', ' ')} in Irkutsk", flush=True)


async def cli(env: dict[str, str], *args: str) -> str:
    print("$ roadmap-bot " + shlex.join(args), flush=True)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await process.communicate()
    output = stdout.decode().strip()
    print(output, flush=True)
    if process.returncode != 0:
        print(stderr.decode().strip(), file=sys.stderr, flush=True)  # what the command said
        raise RuntimeError(f"`roadmap-bot {args[0]}` failed (exit {process.returncode})")
    return output


def token_of(link: str) -> str:
    return link.strip().rsplit("\n", 1)[-1].split("start=", 1)[1]


def person(
    world: World, transcript: Transcript, first_name: str, label: str, **fields: str
) -> SimulatedUser:
    user = SimulatedUser.join(world, first_name, label=label, **fields)
    transcript.name(user.id, label)
    return user


class DepartmentCoordinator(SimulatedUser):
    """Анна works at the department, so its overdue measures remind her as they remind a
    head (the transcript shows each reminder); the demo's steps read the answer to what she
    did, past any reminder that came in meanwhile."""

    async def next_message(self, timeout: float = 10.0) -> Json:
        while True:
            message = await super().next_message(timeout)
            if not _is_reminder(message):
                return message


def _is_reminder(message: Json) -> bool:
    text = str(message.get("text", ""))
    return text.startswith(("⏰", "📋")) or text.endswith(REMINDER_FOOTER)


# The last line of every part of a reminders' summary (handlers/report/reminders.py).
REMINDER_FOOTER = "Чтобы отчитаться, нажмите кнопку с номером мероприятия."


def max_person(world: MaxWorld, transcript: Transcript, first_name: str, label: str) -> MaxUser:
    user = MaxUser.join(world, first_name, label=label)
    transcript.name(user.id, label, "MAX")
    return user


async def main() -> None:
    logging.basicConfig(level=logging.ERROR)
    workdir = Path(tempfile.mkdtemp(prefix="roadmap-demo-"))
    outdir = workdir / "out"  # the digest (text and chart) and the spreadsheets, to open
    outdir.mkdir()
    db_url = f"sqlite+aiosqlite:///{workdir / 'demo.sqlite3'}"
    try:
        with MailServer() as mail:  # the department's mail server, local like Telegram's
            await _demo(workdir, outdir, db_url, mail)
    except Exception:
        # Which step, and where to look: the traceback alone named neither.
        traceback.print_exc()
        print(
            f"\nDemo FAILED at step «{Transcript.current_step}».\n"
            f"What it wrote so far (database, files, out/) is in {workdir}",
            file=sys.stderr,
            flush=True,
        )
        raise SystemExit(1) from None
    print(
        "\nDemo finished: everything above ran offline against the local Telegram and MAX "
        "stand-ins and a local mail server."
    )
    print(
        "The digest (digest.txt, digest.png), the reports (.xlsx, .docx), the calendars "
        f"(.ics) and the e-mails (.eml) are in {outdir}"
    )
    for produced in sorted(outdir.iterdir()):
        print(f"  {produced.name}  ({produced.stat().st_size:,} bytes)")


async def _demo(workdir: Path, outdir: Path, db_url: str, mail: MailServer) -> None:
    async with StandInServer() as standin, MaxStandIn() as max_standin:
        world = standin.world
        max_world = max_standin.world
        transcript = Transcript(world)
        transcript.watch(max_world, "MAX")
        settings = Settings(
            bot=BotSection(token=world.token, api_url=standin.base_url, polling_timeout=2),
            # One process serves both messengers: СОШ № 3 has moved to MAX.
            max=MaxSection(
                token=max_world.token,
                api_url=max_standin.base_url,
                polling_timeout=2,
                per_chat_interval=0,
                upload_pause=0.05,
            ),
            db=DbSection(url=db_url),
            scheduler=SchedulerSection(tick_seconds=0.3, plan_minutes=0.1),
            email=EmailSection(
                host="127.0.0.1",
                port=mail.port,
                sender="Управление образованием УКМО <roadmap@uo-ukmo.example.ru>",
                starttls=False,
            ),
            evidence_dir=str(workdir / "evidence"),
            _env_file=None,
        )
        env = {
            **os.environ,
            "BOT__TOKEN": world.token,
            "BOT__API_URL": standin.base_url,
            "MAX__TOKEN": max_world.token,
            "MAX__API_URL": max_standin.base_url,
            "DB__URL": db_url,
            "EVIDENCE_DIR": str(workdir / "evidence"),
        }
        print(
            f"Telegram stand-in on {standin.base_url}; MAX stand-in on {max_standin.base_url}; "
            f"database {workdir / 'demo.sqlite3'}"
        )

        transcript.step("1. The first coordinator is invited from the command line")
        await cli(env, "db", "upgrade")  # the one command, with `run`, that makes a database
        link = await cli(
            env,
            "invite",
            "--name",
            "Антипина Анна Михайловна",
            "--role",
            "coordinator",
            "--org",
            "Управление образованием УКМО",
        )
        clock = DemoClock(datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
        app = Application(settings, clock=clock, handle_signals=False)
        polling = asyncio.create_task(app.run())
        await world.wait_until(lambda: world.calls.get("getupdates", 0) > 0, 30)
        await max_world.wait_until(lambda: max_world.calls.get("get_updates", 0) > 0, 30)

        transcript.step("2. The coordinator opens the link and presses Start")
        anna = DepartmentCoordinator.join(world, "Анна", label="Анна (координатор)")
        transcript.name(anna.id, "Анна (координатор)")
        await anna.ask(f"/start {token_of(link)}")
        await anna.wait_menu([f"/{c.value}" for c in commands_for(Role.COORDINATOR)])

        transcript.step(
            "3. She sends the approved Ust-Kut roadmap as a Word file and checks the preview. "
            "The roadmap says «УО УКМО» where she was invited as «Управление образованием "
            "УКМО»: the preview asks, and one tap «Да» makes them one (so do the methodical "
            "centre written with and without «(методический кабинет)», and a typo)"
        )
        await anna.upload(to_docx(seed_document("ust_kut")), "Дорожная карта УКМО до 2030.docx")
        preview = await anna.next_message()
        while "Да" in _buttons(preview):
            await anna.press("Да")
            preview = await anna.next_message()
        await anna.press("Подтвердить")
        await anna.next_message()

        transcript.step("4. She loads the list of schools and sends everyone their invitation")
        await anna.ask("/people")
        await anna.next_message()
        await anna.upload(people_xlsx(SCHOOLS), "Руководители ОО.xlsx")
        await anna.next_message()
        await anna.press("Пригласить всех")
        links_message = await anna.next_message()
        links = _links(world, links_message)

        transcript.step(
            "5. The heads join; Пётр's Telegram is in English, so he switches to Russian"
        )
        maria = person(world, transcript, "Мария", "Мария (СОШ № 1)")
        petr = person(world, transcript, "Pyotr", "Пётр (СОШ № 2)", language_code="en")
        await maria.ask(f"/start {links['Иванова Мария Петровна']}")
        await maria.wait_menu(RESPONSIBLE_MENU)
        await petr.ask(f"/start {links['Петров Пётр Петрович']}")
        await petr.wait_menu(RESPONSIBLE_MENU)
        await petr.ask("/lang")
        await petr.press("Русский")
        await petr.next_message()

        transcript.step("6. The coordinator opens the school heads' own deadline from the order")
        sections = await anna.ask("/measures")
        await anna.press(_buttons(sections)[-1])
        measures = await anna.next_message()
        await anna.press(next(b for b in _buttons(measures) if b.startswith("П3.2")))
        await anna.next_message()

        transcript.step("7. Two weeks before 17 April the heads are reminded; Мария snoozes")
        clock.set_local("2026-04-03T10:00")
        await maria.next_message(timeout=20)
        await petr.next_message(timeout=20)
        await maria.press("Напомнить завтра")

        transcript.step(
            "8. Пётр blocks the bot; on Monday his reminder fails and the coordinator is told. "
            "The day's e-mail (the job runs at 09:00 on working days) reaches him and Ольга, "
            "who has not joined yet: what is due, and her personal link to join"
        )
        petr.block()
        clock.set_local("2026-04-06T10:00")
        await anna.next_message(timeout=20)
        await maria.next_message(timeout=20)
        await maria.next_message(timeout=20)
        assert app.daily_emails is not None and app.email_outbox is not None
        await app.daily_emails.queue()
        await _delivered(mail, "sosh3@example.ru", "sosh2@example.ru")
        for address in ("sosh3@example.ru", "sosh2@example.ru"):
            for letter in mail.mailbox.to(address):
                _show_email(transcript, letter)
        (olga_letter,) = mail.mailbox.to("sosh3@example.ru")
        (outdir / "Письмо (Ольга, СОШ № 3).eml").write_bytes(olga_letter.as_bytes())

        transcript.step(
            "9. Мария reports «Выполнено» with a PDF; the coordinator returns it, then accepts"
        )
        await maria.press("Выполнено")
        await maria.next_message()
        await maria.ask("Дорожная карта школы направлена в УО 10 апреля")
        await maria.upload(b"%PDF-1.4 demo", "Дорожная карта СОШ 1.pdf", "application/pdf")
        await maria.next_message()
        await maria.press("Сохранить")
        await maria.next_message()
        await anna.next_message()
        await anna.press("Вернуть с комментарием")
        await anna.next_message()
        await anna.ask("Приложите, пожалуйста, приказ об утверждении")
        await maria.next_message()
        await maria.press("Выполнено")
        await maria.next_message()
        await maria.ask("Направлена; приказ № 12 от 09.04.2026 размещён на сайте школы")
        await maria.ask("https://sosh1.example.ru/docs/roadmap")
        await maria.press("Сохранить")
        await maria.next_message()
        await anna.next_message()
        await anna.press("Принять")
        await maria.next_message()
        await maria.ask("/my")

        transcript.step(
            "10. Friday 17 April, 15:00: Мария gets what the skipped days' reminders said as one "
            "summary; Ольга, the head of СОШ № 3, joins only now and in MAX, where her school "
            "has moved (her first link expired, the coordinator prints a new one: a Telegram "
            "link and a MAX link); one message tells her what is due and what is already late"
        )
        clock.set_local("2026-04-17T15:00")
        await maria.next_message(timeout=20)  # the days the demo skipped, as one summary
        fresh = await cli(
            env,
            "invite",
            "--name",
            "Сидорова Ольга Ивановна",
            "--role",
            "responsible",
            "--org",
            "МОУ СОШ № 3 г. Усть-Кута",
        )
        olga = max_person(max_world, transcript, "Ольга", "Ольга (СОШ № 3, в MAX)")
        await olga.ask(f"/start {token_of(fresh)}")  # she opens the MAX link
        # The summary comes from the outbox's next tick.
        await max_world.wait_until(
            lambda: any("📋" in str(m.get("text")) for m in olga.inbox()), 20
        )
        olga.skip_unread()
        summary = next(m for m in reversed(olga.inbox()) if "📋" in str(m.get("text")))
        await olga.press(next(b for b in _buttons(summary) if b.startswith("П3.2")))
        await olga.next_message()

        transcript.step("11. What is refused, politely")
        guest = person(world, transcript, "Гость", "Незнакомец")
        await guest.ask("Здравствуйте, как получить отчёт?")
        await guest.ask(f"/start {links['Иванова Мария Петровна']}")
        await maria.ask("/invite")
        await maria.ask_upload(b"MZ\x90\x00", "report.exe")
        await maria.press_data("v1rev:1:accept", label="a forged «accept report» button")
        await anna.upload(b"%PDF-1.4", "дорожная карта.pdf")
        await anna.next_message()

        transcript.step(
            "12. Monday 20 April, 09:00: the weekly digest reaches the coordinator (the job the "
            "scheduler runs every Monday), in the chat and, as she asked in /email, by e-mail "
            "with the chart and the report attached"
        )
        await anna.ask("/email antipina@uo-ukmo.example.ru")
        await anna.next_message()
        await anna.press("Сводка по почте: включить")
        clock.set_local("2026-04-20T09:00")
        anna.skip_unread()
        await app.weekly()
        await _delivered(mail, "antipina@uo-ukmo.example.ru")
        (digest_letter,) = mail.mailbox.to("antipina@uo-ukmo.example.ru")
        _show_email(transcript, digest_letter)
        (outdir / "Сводка (письмо координатору).eml").write_bytes(digest_letter.as_bytes())
        chart = await anna.next_message()
        digest_parts = [await anna.next_message()]
        while anna.unread():
            digest_parts.append(await anna.next_message())
        (outdir / "digest.txt").write_text(
            "\n\n".join(str(part["text"]) for part in digest_parts), encoding="utf-8"
        )
        (outdir / "digest.png").write_bytes(_file_content(world, chart, "photo"))
        if _buttons(digest_parts[-1]):
            await anna.press(_buttons(digest_parts[-1])[0])
            await anna.next_message()

        transcript.step(
            "12a. The coordinator writes the actual result of П3.2 for the report's column 6: "
            "the bot shows a draft from the schools' accepted answers, she sends her own words"
        )
        async with app.session_factory() as session:
            measure_id = await session.scalar(select(Measure.id).where(Measure.number == "П3.2"))
        await anna.press_data(
            ActualCb(measure_id=measure_id or 0, action="open").pack(),
            label="«Фактический результат» on the card of П3.2",
        )
        await anna.next_message()
        await anna.ask(
            "Дорожные карты повышения качества образования разработаны и утверждены во всех "
            "школах, размещены на их официальных сайтах"
        )

        transcript.step(
            "13. The coordinator exports the implementation report: the spreadsheet, and the "
            "document ready to sign (she gives her position once for the signature); so does "
            "the CLI"
        )
        await anna.ask("/export")
        await anna.press("Таблица (.xlsx)")
        exported = await anna.next_message()
        (outdir / "Отчет о реализации (из чата).xlsx").write_bytes(
            _file_content(world, exported, "document")
        )
        await anna.ask("/export")
        await anna.press("Документ (.docx)")
        await anna.next_message()
        document = await anna.ask("Заместитель начальника Управления образованием УКМО")
        (outdir / "Отчет о реализации (из чата).docx").write_bytes(
            _file_content(world, document, "document")
        )
        await cli(
            env,
            "export",
            "--as-of",
            "2026-04-20",
            "--out",
            str(outdir / "Отчет о реализации на 2026-04-20.xlsx"),
        )
        await cli(
            env,
            "export",
            "--format",
            "docx",
            "--as-of",
            "2026-04-20",
            "--out",
            str(outdir / "Отчет о реализации на 2026-04-20.docx"),
        )

        transcript.step(
            "14. Deadlines in everyone's calendar: Пётр takes his as an .ics file; the CLI "
            "writes the coordinator's calendar of every school"
        )
        calendar_message = await petr.ask("/calendar")
        (outdir / "Сроки (Пётр, СОШ № 2).ics").write_bytes(
            _file_content(world, calendar_message, "document")
        )
        await cli(env, "calendar", "--all", "--out", str(outdir / "Все сроки.ics"))

        transcript.step(
            "15. Another district's plan names its deadline column «Этап»: one tap on the right "
            "column, and the next file with that header needs none"
        )
        await anna.upload(district_plan(2026), "План работы 2026.docx")
        question = await anna.next_message()
        await anna.press(next(b for b in _buttons(question) if "Этап" in b))
        await anna.next_message()
        await anna.press("Подтвердить")
        await anna.next_message()
        await anna.upload(district_plan(2027), "План работы 2027.docx")
        await anna.next_message()
        await anna.press("Отмена")
        await anna.next_message()
        plan_file = workdir / "План работы 2027.docx"
        plan_file.write_bytes(district_plan(2027))
        await cli(env, "import", str(plan_file), "--dry-run", "--columns", "deadline=3")

        transcript.step(
            "16. A request beyond the roadmap: the coordinator asks every school for a form by "
            "Friday; Мария's first file has a word where a number goes, and the bot says where; "
            "Ольга answers too; the coordinator gets one merged workbook (the CLI writes it too)"
        )
        await anna.ask("/ask")
        await anna.ask(
            "Прошу в срок до 24.04 предоставить сведения о численности обучающихся по форме."
        )
        await anna.press("Всем школам (3)")
        await anna.next_message()
        await anna.ask("до 24.04")
        await anna.upload(demo_form(), "Численность обучающихся.xlsx")
        await anna.next_message()
        await anna.press("Отправить")
        await anna.next_message()
        for head in (maria, olga):
            # Read on to the request: it may already have arrived while the coordinator was
            # answered (skipping what is unread here would skip the request itself).
            request = await head.next_message(timeout=20)
            while "Запрос управления образования" not in str(request.get("text")):
                request = await head.next_message(timeout=20)
        await maria.press("📎 Форма для заполнения")
        await maria.next_message()
        await maria.press("Выполнено")
        await maria.next_message()  # the filled form first: no sentence asked before it
        await maria.ask_upload(demo_filled_form(("24", "двадцать два", "26")), "СОШ 1.xlsx")
        await maria.upload(demo_filled_form((24, 22, 26)), "СОШ 1.xlsx")
        await maria.next_message()
        await maria.press("Сохранить")
        await maria.next_message()
        await olga.press("Выполнено")
        await olga.next_message()
        await olga.upload(demo_filled_form((31, 28, 30)), "СОШ 3.xlsx")  # a document, in MAX
        await olga.next_message()
        await olga.press("Сохранить")
        await olga.next_message()
        standing = await anna.ask("/requests")
        while "Ответили" not in str(standing.get("text")):  # after the reports' notices
            standing = await anna.next_message()
        await anna.press("Сводные ответы (.xlsx)")
        merged = await anna.next_message()
        (outdir / "Запрос З-1 — сводные ответы.xlsx").write_bytes(
            _file_content(world, merged, "document")
        )
        await cli(
            env, "collect", "1", "--out", str(outdir / "Запрос З-1 (из командной строки).xlsx")
        )

        transcript.step(
            "16a. The department's own measures: Сергей, a methodist of the department, joins "
            "and reports on its overdue measure 1.1 with /report"
        )
        methodist_link = await cli(
            env,
            "invite",
            "--name",
            "Парилов Сергей Викторович",
            "--role",
            "responsible",
            "--org",
            "Управление образованием УКМО",
        )
        sergey = person(world, transcript, "Сергей", "Сергей (методист УО)")
        await sergey.ask(f"/start {token_of(methodist_link)}")
        await sergey.send("/report")
        await world.wait_until(
            lambda: any("По какому мероприятию" in str(m.get("text")) for m in sergey.inbox()),
            20,
        )
        choices = next(
            m for m in reversed(sergey.inbox()) if "По какому мероприятию" in str(m.get("text"))
        )
        await sergey.press(next(b for b in _buttons(choices) if b.startswith("1.1 ")))
        await sergey.press("Выполнено")
        await world.wait_until(
            lambda: any("что сделано" in str(m.get("text")) for m in sergey.inbox()), 20
        )
        await sergey.send("Муниципальная дорожная карта разработана и утверждена приказом № 61")
        await sergey.press("Без файла и ссылки")
        await sergey.press("Сохранить")

        transcript.step(
            "17. The roadmap's target indicators: the coordinator sends the roadmap again with "
            "its table of indicators; /indicators shows what the schools will be asked (two "
            "numbers for a share, in the indicator's own words); she sets the date the figures "
            "are as of and confirms"
        )
        # Her chat may still get the methodist's report of step 16a: each step waits for the
        # message that carries the button it presses.
        anna.skip_unread()
        await anna.upload(
            with_indicators(to_docx(seed_document("ust_kut"))), "Дорожная карта УКМО до 2030.docx"
        )
        preview = await anna.next_message(timeout=30)
        while "Подтвердить" not in _buttons(preview):
            preview = await anna.next_message(timeout=30)
        await anna.press("Подтвердить")
        await anna.next_message()
        listing = await anna.ask("/indicators")
        while not any(b.startswith("1 ·") for b in _buttons(listing)):
            listing = await anna.next_message(timeout=30)
        await anna.press(next(b for b in _buttons(listing) if b.startswith("1 ·")))
        card = await anna.next_message(timeout=30)
        while "Изменить даты" not in _buttons(card):
            card = await anna.next_message(timeout=30)
        await anna.press("Изменить даты")
        await anna.next_message()
        await anna.ask("30.04.2026")
        await anna.press("Подтвердить сбор")
        await anna.next_message()

        transcript.step(
            "18. A week before 30 April the heads are asked for the figures: Мария first types "
            "a percentage and is told what is asked, then sends both numbers in one line; "
            "Ольга answers in MAX, one question a message; «Таблица 1» sums them"
        )
        maria.skip_unread()
        olga.skip_unread()
        clock.set_local("2026-04-23T10:00")
        for head in (maria, olga):
            asked = await head.next_message(timeout=20)
            while "📊" not in str(asked.get("text")):
                asked = await head.next_message(timeout=20)
        await maria.press("Ввести данные")
        await maria.next_message()
        await maria.ask("30 %")
        await maria.ask("12 из 40")
        await olga.press("Ввести данные")
        await olga.next_message()
        await olga.ask("9")
        await olga.ask("31")
        # «Таблица 1»: the two schools' figures summed (12 + 9 of 40 + 31), as the report prints
        # it before «Таблица 2»; the document itself is written to the output folder.
        await cli(env, "indicators", "--roadmap", "до 2030", "--as-of", "2026-04-30")
        await cli(
            env,
            "export",
            "--roadmap",
            "до 2030",
            "--format",
            "docx",
            "--as-of",
            "2026-04-30",
            "--out",
            str(outdir / "Отчет с Таблицей 1 на 30.04.2026.docx"),
        )

        transcript.step(
            "19. People change: the coordinator accepts both answers to the request in one "
            "tap («Принять все»); Пётр has left СОШ № 2, so she replaces its head, and the new "
            "head gets her invitation while the school keeps its reports; the CLI adds a "
            "deputy to СОШ № 1 who gets its reminders"
        )
        standing = await anna.ask("/requests")
        while "Принять все" not in str(standing.get("reply_markup")):
            standing = await anna.next_message()
        await anna.press(next(b for b in _buttons(standing) if b.startswith("Принять все")))
        await anna.next_message()
        await anna.ask("/people")
        await anna.next_message()
        await anna.press("Заменить руководителя")
        await anna.next_message()
        await anna.press("МОУ СОШ № 2 г. Усть-Кута")
        await anna.next_message()
        await anna.ask("Кузнецова Елена Викторовна, kuznetsova@example.ru, +7 395 655-12-34")
        await cli(
            env,
            "staff",
            "add-deputy",
            "--school",
            "МОУ СОШ № 1 г. Усть-Кута",
            "--name",
            "Орлова Татьяна Сергеевна",
        )
        await cli(env, "staff", "remind", "--school", "МОУ СОШ № 1 г. Усть-Кута", "--who", "both")

        transcript.step(
            "21. Several roadmaps at once: the ШНОР roadmap of another district comes from the "
            "command line (its period has ended: archived, no reminders); /export asks which "
            "roadmap, and the CLI exports each one's own report with --roadmap"
        )
        await several_roadmaps(anna, world, env, outdir, cli, _file_content)

        transcript.step("22. What the database now holds")
        async with app.session_factory() as session:
            people = (
                await session.scalars(select(Person).where(Person.user_address.is_not(None)))
            ).all()
            measure_count = await session.scalar(
                select(func.count(Measure.id)).where(Measure.kind == "roadmap")
            )
            refused = await session.scalar(
                select(func.count(AuditEvent.id)).where(AuditEvent.outcome != "ok")
            )
            sent = await session.scalar(
                select(func.count(Reminder.id)).where(Reminder.state == "sent")
            )
            planned = await session.scalar(
                select(func.count(Reminder.id)).where(Reminder.state == "pending")
            )
        for joined in people:
            where = (
                "MAX" if joined.chat_address and joined.chat_address >= MAX_OFFSET else "Telegram"
            )
            transcript.note(f"joined: {joined.full_name:<28} {joined.role:<12} in {where}")
        transcript.note(f"measures: {measure_count}; refused attempts in the audit log: {refused}")
        transcript.note(f"reminders sent: {sent}; planned for later: {planned}")

        await app.stop()
        await standin.api.wake_pollers()
        await max_standin.wake_pollers()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(polling, 10)


async def _delivered(mail: MailServer, *addresses: str) -> None:
    """Wait for the outbox (the scheduler's job, every few tenths of a second here) to hand
    an e-mail for each address to the mail server."""
    for _ in range(200):
        if all(mail.mailbox.to(address) for address in addresses):
            return
        await asyncio.sleep(0.05)
    raise RuntimeError(f"no e-mail reached {addresses}")


def _show_email(transcript: Transcript, letter: EmailMessage) -> None:
    """An e-mail as its reader's mail program lists it: who, subject, the text, attachments."""
    plain = letter.get_body(("plain",))
    text = str(plain.get_content()) if plain is not None else ""
    attached = [str(part.get_filename()) for part in letter.iter_attachments()]
    lines = [f"✉ e-mail to {letter['To']}: «{letter['Subject']}»"]
    lines += ["   " + line for line in text.strip().splitlines() if line.strip()]
    lines += [f"   📎 {name}" for name in attached]
    transcript.note("\n".join(lines))


def _file_content(world: World, message: dict[str, object], kind: str) -> bytes:
    """The bytes of a photo or document the bot sent (the stand-in keeps every upload)."""
    attached = message[kind]
    file_json = attached[-1] if isinstance(attached, list) else attached
    assert isinstance(file_json, dict)
    return world.files[str(file_json["file_id"])].content


def _buttons(message: dict[str, object]) -> list[str]:
    markup = message.get("reply_markup") or {}
    assert isinstance(markup, dict)
    return [button["text"] for row in markup.get("inline_keyboard", []) for button in row]


def _links(world: World, message: dict[str, object]) -> dict[str, str]:
    """Read the links spreadsheet the bot sent, as the coordinator would open it."""
    import io

    import openpyxl

    document = message["document"]
    assert isinstance(document, dict)
    sheet = openpyxl.load_workbook(io.BytesIO(world.files[document["file_id"]].content)).active
    assert sheet is not None
    links = {}
    for _org, name, *person_links, _until in sheet.iter_rows(min_row=2, values_only=True):
        links[str(name)] = token_of(str(person_links[0]))  # one token: any link binds
        print(f"   {name}: " + "  ".join(str(link) for link in person_links))
    return links


if __name__ == "__main__":
    asyncio.run(main())
