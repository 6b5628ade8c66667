"""A department's working week with the real process, one bot for all of it: the coordinator,
invited for «Управление образованием УКМО», imports the Ust-Kut roadmap, which names the
department «УО УКМО», and says so with one tap (no second, phantom department); a methodist
reports on a department measure and the report reaches her; thirty schools are loaded, twenty
heads join, one head is replaced mid-year (the new one joins, the old report stays the
school's); a request with a form goes to every school, twenty answer and «Принять все» accepts
the twenty in one tap; the digest names each overdue measure once, with the number of schools."""

from __future__ import annotations

import asyncio
import io
import itertools
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
from sqlalchemy import func, select

from demo.documents import seed_document, to_docx
from domain.roles import Role
from standin import SimulatedUser, StandInServer
from standin.users import button_texts
from standin.world import Json
from storage.engine import create_engine, create_session_factory
from storage.models import (
    Assignment,
    Measure,
    Occurrence,
    Organisation,
    OrganisationAlias,
    Person,
    StatusReport,
)
from storage.unit_of_work import UnitOfWork
from storage.usecases.invitations import issue_invitation
from tests.e2e.harness import BotProcess, bot_env
from tests.fixtures.forms import filled_form, form_template

DEPARTMENT = "Управление образованием УКМО"
SCHOOLS = 30
JOINED = 20  # heads who join the chat; the other ten have their links and have not used them
ZONE = "Asia/Irkutsk"
WAIT = 30  # seconds for any one answer: generous, the test waits for messages, never sleeps


def school(n: int) -> str:
    return f"МБОУ СОШ № {n}"


def people_sheet() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Образовательная организация", "ФИО руководителя", "Должность"])
    for n in range(1, SCHOOLS + 1):
        sheet.append([school(n), f"Руководитель{n:02d} Иван Петрович", "директор"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def start_command(text: str) -> str:
    found = re.search(r"start=([\w-]+)", text)
    assert found, text
    return "/start " + found.group(1)


async def next_with(user: SimulatedUser, test: Callable[[Json], bool]) -> Json:
    """The next message that passes ``test``, skipping the reminders the clock brings."""
    while True:
        message = await user.next_message(timeout=WAIT)
        if test(message):
            return message


async def next_text_with(user: SimulatedUser, words: str) -> Json:
    return await next_with(user, lambda message: words in str(message.get("text", "")))


async def press_under(user: SimulatedUser, message: Json, text: str) -> Json:
    """Press ``text`` under this very message: a reminder that came meanwhile may carry a
    button of the same name, for another measure."""
    for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
        for button in row:
            if button.get("text") == text:
                return await user.press_data(
                    button["callback_data"], message=message, label=text, timeout=WAIT
                )
    raise AssertionError(f"no {text!r} under {message.get('text')!r}: {button_texts(message)}")


async def report_done(user: SimulatedUser, text: str) -> Json:
    """/report, the first measure offered, «Выполнено», a text, no file, «Сохранить»."""
    user.skip_unread()
    await user.send("/report")
    offered = await next_text_with(user, "По какому мероприятию")
    await press_under(user, offered, button_texts(offered)[0])
    await press_under(user, await next_with(user, has_button("Выполнено")), "Выполнено")
    await next_text_with(user, "что сделано?")
    await user.send(text)
    await press_under(
        user, await next_with(user, has_button("Без файла и ссылки")), "Без файла и ссылки"
    )
    await press_under(user, await next_with(user, has_button("Сохранить")), "Сохранить")
    return await next_text_with(user, "сохранён")


async def invite_coordinator(db_url: str) -> str:
    """The first coordinator's invitation, as ``roadmap-bot invite --role coordinator --org``
    writes it (tests/e2e/test_first_week_process.py runs that command): written here, it
    spares the scenario a command-line process of its own."""
    engine = create_engine(db_url)
    try:
        async with create_session_factory(engine)() as session:
            uow = UnitOfWork(session)
            issued = await issue_invitation(
                uow,
                full_name="Антипина Анна Михайловна",
                role=Role.COORDINATOR,
                organisation=DEPARTMENT,
                now=datetime.now(UTC),
            )
            await uow.commit()
    finally:
        await engine.dispose()
    return issued.token


async def answer_with_form(n: int, head: SimulatedUser) -> None:
    request = await next_text_with(head, "Запрос управления образования № З-1")
    await press_under(head, request, "Выполнено")
    await next_text_with(head, "пришлите заполненную форму")
    await head.upload(filled_form(counts=(20 + n, 25, 30)), "Численность.xlsx")
    await press_under(head, await next_with(head, has_button("Сохранить")), "Сохранить")
    await next_text_with(head, "сохранён")


def has_button(text: str) -> Callable[[Json], bool]:
    return lambda message: text in button_texts(message)


async def test_a_department_week_import_methodist_new_head_request_and_digest(
    standin: StandInServer, tmp_path: Path
) -> None:
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'week.sqlite3'}"
    env = {
        **bot_env(standin, db_url),
        "TIMEZONE": ZONE,
        "SCHEDULER__TICK_SECONDS": "0.5",
        "SCHEDULER__PER_CHAT_INTERVAL": "0",
        # Whatever day and hour CI runs: the window is open (the rule is tested elsewhere).
        "SCHEDULER__WINDOW_START": "00:00",
        "SCHEDULER__WINDOW_END": "23:59",
        "SCHEDULER__WINDOW_WORKING_DAYS_ONLY": "false",
    }
    bot = BotProcess(env, tmp_path, tmp_path / "bot.log")
    await bot.start(standin)  # its first step makes the database the command line writes to
    try:
        token = await invite_coordinator(db_url)
        anna = SimulatedUser.join(standin.world, "Анна")
        await anna.ask(f"/start {token}", timeout=WAIT)

        # 1. The roadmap names the department «УО УКМО»: one tap says it is hers.
        await anna.upload(to_docx(seed_document("ust_kut")), "Дорожная карта УКМО.docx")
        preview = await next_text_with(anna, "«УО УКМО» — это «Управление образованием УКМО»?")
        await press_under(anna, preview, "Да")
        question = await next_with(anna, has_button("Подтвердить"))
        await press_under(anna, question, "Подтвердить")
        saved = await next_text_with(anna, "Мероприятий добавлено")
        assert "Мероприятий добавлено: 22" in saved["text"]

        # 2. A methodist of the department, invited in the chat, reports on its measure.
        anna.skip_unread()
        await anna.send("/invite")
        roles = await next_text_with(anna, "Выберите роль")
        await press_under(anna, roles, "ответственный исполнитель")
        await next_text_with(anna, "Отправьте ФИО")
        await anna.send(f"Парилов Сергей Викторович; {DEPARTMENT}")
        invitation = await next_text_with(anna, "start=")
        sergey = SimulatedUser.join(standin.world, "Сергей")
        await sergey.ask(start_command(invitation["text"]), timeout=WAIT)
        anna.skip_unread()
        reported = await report_done(sergey, "Карта размещена на сайте")
        assert "сохранён и отправлен координатору" in reported["text"]
        told = await next_text_with(anna, "Новый отчёт по мероприятию")
        assert f"От: Парилов Сергей Викторович ({DEPARTMENT})" in told["text"]
        assert "Карта размещена на сайте" in told["text"]

        # 3. Thirty schools from the spreadsheet, a link for everyone, twenty heads join.
        anna.skip_unread()
        await anna.send("/people")
        await next_text_with(anna, "Пришлите список школ")
        await anna.upload(people_sheet(), "Школы.xlsx")
        loaded = await next_with(anna, has_button("Пригласить всех"))
        assert f"новых школ: {SCHOOLS}" in loaded["text"]
        await press_under(anna, loaded, "Пригласить всех")
        links_file = await next_with(anna, lambda message: "document" in message)
        links = openpyxl.load_workbook(
            io.BytesIO(standin.world.files[links_file["document"]["file_id"]].content)
        ).active
        assert links is not None
        link_of = {str(row[0]): str(row[2]) for row in links.iter_rows(min_row=2, values_only=True)}
        heads = {n: SimulatedUser.join(standin.world, f"Директор{n}") for n in range(1, JOINED + 1)}
        await asyncio.gather(
            *(
                head.ask(start_command(link_of[school(n)]), timeout=WAIT)
                for n, head in heads.items()
            )
        )

        # The head of school 1 reports, then is replaced; the new head joins by her link.
        old_report = await report_done(heads[1], "Педсовет по итогам ВПР проведён")
        assert "сохранён и отправлен координатору" in old_report["text"]
        anna.skip_unread()
        await anna.send("/people")
        staff = await next_with(anna, has_button("Заменить руководителя"))
        await press_under(anna, staff, "Заменить руководителя")
        which = await next_text_with(anna, "Какая школа?")
        assert button_texts(which)[:3] == [school(1), school(2), school(3)]  # not № 1, 10, 11
        await press_under(anna, which, school(1))
        await next_text_with(anna, "Кто новый руководитель")
        await anna.send("Сидорова Светлана Ивановна, s.sidorova@school1.ru")
        replaced = await next_text_with(anna, "новый руководитель: Сидорова Светлана Ивановна")
        svetlana = SimulatedUser.join(standin.world, "Светлана")
        welcome = await svetlana.ask(start_command(replaced["text"]), timeout=WAIT)
        assert "Сидорова" in welcome["text"] or "Светлана" in welcome["text"]
        stranger = await heads[1].ask("/my", timeout=WAIT)
        assert "Здравствуйте! Этот бот напоминает" in stranger["text"]  # the old head is out
        heads[1] = svetlana

        # 4. A request with a form to every school; the twenty in the chat answer.
        today = datetime.now(ZoneInfo(ZONE)).date()
        anna.skip_unread()
        await anna.send("/ask")
        await next_text_with(anna, "Напишите запрос школам")
        await anna.send("Прошу предоставить сведения о численности обучающихся по форме.")
        who = await next_with(anna, has_button(f"Всем школам ({SCHOOLS})"))
        await press_under(anna, who, f"Всем школам ({SCHOOLS})")
        await next_text_with(anna, "К какому сроку")
        await anna.send(f"до {today + timedelta(days=10):%d.%m.%Y}")
        await next_with(anna, has_button("Без формы"))
        await anna.upload(form_template(), "Численность.xlsx")
        ready = await next_with(anna, has_button("Отправить"))
        await press_under(anna, ready, "Отправить")
        sent = await next_text_with(anna, "адресатам")
        assert f"отправлен {SCHOOLS} адресатам; в чате его уже получили: {JOINED}" in sent["text"]
        await asyncio.gather(*(answer_with_form(n, head) for n, head in heads.items()))
        anna.skip_unread()
        await anna.send("/requests")
        card = await next_with(anna, has_button(f"Принять все ({JOINED})"))
        assert f"Ждут вашего решения: {JOINED}" in card["text"]
        await press_under(anna, card, f"Принять все ({JOINED})")
        accepted = await next_text_with(anna, "Принято")
        assert accepted["text"].startswith(f"Принято {JOINED} ответов")

        # 5. The digest for thirty schools: a measure once, with how many are late on it.
        anna.skip_unread()
        await anna.send("/digest")
        await next_with(anna, lambda message: "photo" in message)  # the chart first
        parts = [await next_text_with(anna, "Сводка на")]
        while not parts[-1].get("reply_markup"):  # the buttons ride on the last part
            parts.append(await next_with(anna, is_digest_part))
        late = overdue_lines("\n".join(str(part["text"]) for part in parts))
    finally:
        await standin.api.wake_pollers()
        assert await bot.stop() == 0, bot.log_text()
    # «• 20.04 П3.3 Разместить дорожную карту … — 30 организаций, просрочено на 232 дня»
    numbers = [line.split()[2] for line in late]
    assert len(numbers) == len(set(numbers)), late
    assert not any("СОШ" in line for line in late), late  # no line per school
    assert numbers.count("П3.3") == 1 and "— 30 организаций," in late[numbers.index("П3.3")]
    # School 1 reported on П3.2 before its head was replaced: the school's report still counts.
    assert "— 29 организаций," in late[numbers.index("П3.2")]

    engine = create_engine(db_url)
    async with create_session_factory(engine)() as session:
        organisations = dict(
            (await session.execute(select(Organisation.name, Organisation.id))).all()
        )
        # 1. No phantom «УО УКМО»: it is the department's other name.
        assert "УО УКМО" not in organisations
        department = organisations[DEPARTMENT]
        alias = await session.scalar(
            select(OrganisationAlias.organisation_id).where(OrganisationAlias.name == "УО УКМО")
        )
        assert alias == department
        # 2. The methodist's report is on one of the department's own measures.
        # 3. The old head's report stays the school's; the new head is the school's.
        rows = (
            await session.execute(
                select(Person.full_name, Person.is_active, Assignment.organisation_id)
                .join(StatusReport, StatusReport.person_id == Person.id)
                .join(Occurrence, Occurrence.id == StatusReport.occurrence_id)
                .join(Assignment, Assignment.id == Occurrence.assignment_id)
                .join(Measure, Measure.id == Occurrence.measure_id)
                .where(Measure.number != "З-1")
                .order_by(StatusReport.id)
            )
        ).all()
        assert [tuple(row) for row in rows] == [
            ("Парилов Сергей Викторович", True, department),
            ("Руководитель01 Иван Петрович", False, organisations[school(1)]),
        ]
        new_head = await session.scalar(
            select(Person).where(Person.full_name == "Сидорова Светлана Ивановна")
        )
        assert new_head is not None and new_head.organisation_id == organisations[school(1)]
        assert new_head.user_address == svetlana.id
        # 4. Twenty answers to the request, all accepted in the one tap.
        reviews = (
            await session.execute(
                select(StatusReport.review, func.count(StatusReport.id))
                .join(Occurrence, Occurrence.id == StatusReport.occurrence_id)
                .join(Measure, Measure.id == Occurrence.measure_id)
                .where(Measure.number == "З-1")
                .group_by(StatusReport.review)
            )
        ).all()
        assert [tuple(row) for row in reviews] == [("accepted", JOINED)]
    await engine.dispose()


def is_digest_part(message: Json) -> bool:
    return not str(message.get("text", "")).startswith(("⏰", "📋"))


def overdue_lines(digest: str) -> list[str]:
    """The measures under «Просрочено (N):», a line each; N of them."""
    lines = digest.splitlines()
    heading = next(i for i, line in enumerate(lines) if line.startswith("Просрочено ("))
    count = int(lines[heading].removeprefix("Просрочено (").removesuffix("):"))
    late = list(itertools.takewhile(lambda line: line.startswith("• "), lines[heading + 1 :]))
    assert len(late) == count, lines
    return late
