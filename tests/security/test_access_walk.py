"""The role-by-callback walk: every button prefix the product defines and every command its
routers register, pressed or typed as each role (a stranger, the head of another school, an
observer of the school, a methodist, a second coordinator) against objects that are not theirs:
another school's occurrence and form, a report awaiting review, a deadline request, a request
another person sent, an import another coordinator has in progress.

Each refusal must be one of the product's refusals, answered at once, and no row may change.
A prefix or a command without an entry in the tables below fails the walk: a new button is
placed in the table (with the roles that may legitimately press it) before it ships."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from aiogram import Router
from aiogram.filters import Command as CommandFilter
from aiogram.filters.callback_data import CallbackData, CallbackQueryFilter
from sqlalchemy import delete, select

from demo.documents import seed_document, to_docx
from domain.roles import Command, Role, menu_commands
from handlers.common import callbacks
from handlers.common.callbacks import (
    AcceptAllCb,
    ActualCb,
    AskCb,
    CancelCb,
    CoordinatorCb,
    DigestOrgCb,
    EmailCb,
    ExportCb,
    ExtensionCb,
    FiguresCb,
    FiguresStepCb,
    FormCb,
    ImportCb,
    ImportColumnCb,
    ImportOrgCb,
    IndicatorCb,
    InviteAllCb,
    InviteRoleCb,
    LangCb,
    MeasureCb,
    MeasureEditCb,
    MessengerCb,
    NotesCb,
    NotMeCb,
    OrganisationCb,
    PickCb,
    ReportCb,
    ReportStartCb,
    ReportStepCb,
    RequestCb,
    ReviewCb,
    ReviewOpenCb,
    RoadmapArchiveCb,
    RoadmapCoordinatorsCb,
    RoadmapPickCb,
    SectionCb,
    SnoozeCb,
    StaffCb,
)
from handlers.routing import build_router
from standin import SimulatedUser
from storage.models import (
    AuditEvent,
    Base,
    ExtensionRequest,
    Measure,
    Person,
    Request,
    StatusReport,
)
from storage.usecases.strangers import STRANGER_ACTIONS
from tests.conftest import RunningBot
from tests.handlers.test_reports import reminded, report_without_evidence
from tests.handlers.test_requests_chat import ask_with_form

T = TypeVar("T", bound=CallbackData)

STRANGER, HEAD, OBSERVER, METHODIST, COORDINATOR = (
    "stranger",
    "head of another school",
    "observer",
    "methodist",
    "second coordinator",
)
ROLES = (STRANGER, HEAD, OBSERVER, METHODIST, COORDINATOR)
JOINED = frozenset(ROLES) - {STRANGER}

# What a refusal may say (the Russian texts): not yours, not your role, join first.
NOT_YOURS = "Эта кнопка не для вас"
REFUSALS = (
    NOT_YOURS,
    "Это может сделать только координатор",
    "Это может сделать координатор, а методист",
    "Приглашать людей может только координатор",
    "Это не входит в вашу роль",
    "Это действие вам недоступно",  # a conversation's step about something not theirs
    "Запросы школам отправляет координатор",  # /ask by a head: who may send requests
    "Здравствуйте! Этот бот напоминает",  # a stranger: how to join
)


@dataclass(frozen=True)
class Targets:
    """What the walk presses against: all of it the school «СОШ № 2»'s or Анна's."""

    occurrence_id: int  # Пётр's (СОШ № 2) reminded occurrence
    report_id: int  # Пётр's report, awaiting review
    extension_id: int  # Пётр's request to move a deadline, pending
    request_id: int  # Анна's request with a form
    form_occurrence_id: int  # that request's occurrence for СОШ № 2
    measure_id: int
    roadmap_id: int
    section_id: int
    school_id: int


@dataclass(frozen=True)
class Entry:
    presses: Callable[[Targets], list[CallbackData]]
    allowed: frozenset[str]  # who may legitimately press it: not walked
    why: str
    also: tuple[str, ...] = ()  # refusals special to this button
    # What a forger does next, had the button opened a conversation: texts typed, buttons
    # pressed. The walk does it too, so a refused button that left a conversation open shows
    # as changed rows.
    follow: Callable[[CallbackData], list[str | CallbackData]] = lambda _payload: []


def _report_steps(payload: CallbackData) -> list[str | CallbackData]:
    if getattr(payload, "action", None) == "extend":
        return ["30.06.2026", "Нужно больше времени"]
    return ["Готово", ReportStepCb(action="skip_evidence"), ReportStepCb(action="save")]


def _walk_all(*payloads: CallbackData) -> Callable[[Targets], list[CallbackData]]:
    return lambda _t: list(payloads)


WALK: dict[type[CallbackData], Entry] = {
    LangCb: Entry(_walk_all(LangCb(locale="en")), JOINED, "one's own language"),
    InviteRoleCb: Entry(
        _walk_all(*(InviteRoleCb(role=r.value) for r in Role)),
        frozenset({COORDINATOR}),
        "invite",
        follow=lambda _p: ["Иванов Иван Иванович, СОШ № 2"],
    ),
    CancelCb: Entry(_walk_all(CancelCb()), frozenset(ROLES), "ends one's own conversation"),
    ImportCb: Entry(
        _walk_all(*(ImportCb(action=a) for a in ("confirm", "columns", "cancel"))),
        frozenset(),
        "Анна's import in progress: her conversation, not the second coordinator's",
        also=("Нет загрузки, ожидающей подтверждения",),
    ),
    ImportColumnCb: Entry(
        _walk_all(ImportColumnCb(role="title", index=0), ImportColumnCb(role="title", index=-1)),
        frozenset(),
        "Анна's import in progress",
        also=("Нет загрузки, ожидающей подтверждения",),
    ),
    ImportOrgCb: Entry(
        _walk_all(ImportOrgCb(same=True, asked=0), ImportOrgCb(same=False, asked=0)),
        frozenset(),
        "Анна's import in progress",
        also=("Нет загрузки, ожидающей подтверждения",),
    ),
    OrganisationCb: Entry(
        lambda t: [
            OrganisationCb(action=a, organisation_id=t.school_id)
            for a in ("open", "rename", "merge", "into", "do")
        ],
        frozenset({COORDINATOR}),
        "/organisations: renaming and merging are the coordinator's",
        follow=lambda _p: ["Новое название школы"],
    ),
    SectionCb: Entry(
        lambda t: [SectionCb(roadmap_id=t.roadmap_id, section_id=t.section_id)],
        frozenset({COORDINATOR, OBSERVER}),
        "/measures: an observer reads it",
    ),
    MeasureCb: Entry(
        lambda t: [MeasureCb(measure_id=t.measure_id)],
        frozenset({COORDINATOR, OBSERVER}),
        "/measures: an observer reads it (the card has no buttons to change it)",
    ),
    MeasureEditCb: Entry(
        lambda t: [
            MeasureEditCb(measure_id=t.measure_id, field=f) for f in ("deadline", "assignees")
        ],
        frozenset({COORDINATOR}),
        "a measure's card",
        follow=lambda _p: ["до 1 мая 2026 г."],
    ),
    InviteAllCb: Entry(_walk_all(InviteAllCb()), frozenset({COORDINATOR}), "/people"),
    SnoozeCb: Entry(
        lambda t: [SnoozeCb(occurrence_id=t.occurrence_id, days=d) for d in (1, 3)],
        frozenset(),
        "СОШ № 2's reminder",
    ),
    ReportCb: Entry(
        lambda t: [
            ReportCb(occurrence_id=t.occurrence_id, action=a)
            for a in ("done", "in_progress", "not_done", "extend")
        ],
        frozenset(),
        "СОШ № 2's measure",
        follow=_report_steps,
    ),
    ReportStartCb: Entry(
        _walk_all(ReportStartCb()),
        frozenset({HEAD, METHODIST, COORDINATOR}),  # the department's measures are hers too
        "one's own /report list",
    ),
    PickCb: Entry(
        lambda t: [PickCb(occurrence_id=t.occurrence_id)], frozenset(), "СОШ № 2's measure"
    ),
    ReportStepCb: Entry(
        _walk_all(*(ReportStepCb(action=a) for a in ("skip_evidence", "save", "cancel"))),
        frozenset({HEAD, METHODIST, COORDINATOR}),
        "one's own report conversation",
    ),
    ReviewCb: Entry(
        lambda t: [ReviewCb(report_id=t.report_id, action=a) for a in ("accept", "return")],
        frozenset({COORDINATOR}),
        "a report awaiting review",
        follow=lambda _p: ["Исправьте, пожалуйста"],  # the comment of «Вернуть»
    ),
    ReviewOpenCb: Entry(
        lambda t: [ReviewOpenCb(report_id=t.report_id)],
        frozenset({COORDINATOR}),
        "a report awaiting review",
    ),
    ExtensionCb: Entry(
        lambda t: [ExtensionCb(request_id=t.extension_id, action=a) for a in ("approve", "reject")],
        frozenset({COORDINATOR}),
        "a pending request to move a deadline",
    ),
    DigestOrgCb: Entry(
        lambda t: [DigestOrgCb(key=f"o{t.school_id}")],
        frozenset({COORDINATOR, OBSERVER}),
        "/digest: an observer reads it",
    ),
    ExportCb: Entry(
        lambda t: [
            ExportCb(fmt="xlsx", roadmap_id=t.roadmap_id),
            ExportCb(fmt="docx", roadmap_id=t.roadmap_id),
        ],
        frozenset({HEAD, METHODIST, COORDINATOR, OBSERVER}),
        "/export: each sees only their own scope",
    ),
    RoadmapPickCb: Entry(
        lambda t: [
            RoadmapPickCb(view="export", roadmap_id=t.roadmap_id),
            RoadmapPickCb(view="measures", roadmap_id=t.roadmap_id),
        ],
        frozenset({HEAD, METHODIST, COORDINATOR, OBSERVER}),
        "which roadmap: /export's and /measures' for those who read them",
        also=("Эта кнопка устарела",),
    ),
    RoadmapArchiveCb: Entry(
        lambda t: [
            RoadmapArchiveCb(roadmap_id=t.roadmap_id, archive=True),
            RoadmapArchiveCb(roadmap_id=t.roadmap_id, archive=False),
        ],
        frozenset({COORDINATOR}),
        "/roadmaps: every coordinator's",
    ),
    NotesCb: Entry(
        lambda t: [
            NotesCb(roadmap_id=t.roadmap_id, section=section, action=action, year=2026)
            for section in ("explanatory", "conclusions")
            for action in ("clear", "save")
        ],
        frozenset({COORDINATOR}),
        "the report's typed sections: an observer opens and reads them, only a coordinator "
        "changes them",
    ),
    RoadmapCoordinatorsCb: Entry(
        lambda t: [
            RoadmapCoordinatorsCb(roadmap_id=t.roadmap_id),
            RoadmapCoordinatorsCb(roadmap_id=t.roadmap_id, person_id=1, named=True),
        ],
        frozenset({COORDINATOR}),
        "/roadmaps: who answers for a roadmap is every coordinator's to choose",
    ),
    EmailCb: Entry(
        _walk_all(EmailCb(setting="emails", on=False), EmailCb(setting="digest", on=True)),
        frozenset({HEAD, METHODIST, COORDINATOR}),
        "one's own e-mail settings",
    ),
    FormCb: Entry(
        lambda t: [FormCb(occurrence_id=t.form_occurrence_id)],
        frozenset(),
        "СОШ № 2's copy of a request's form",
    ),
    AskCb: Entry(
        lambda t: [
            AskCb(action="all"),
            AskCb(action="done"),
            AskCb(action="measure", value=t.measure_id),
        ],
        frozenset({COORDINATOR, METHODIST}),
        "/ask: one's own conversation (a methodist's measure is checked by /ask's own tests)",
    ),
    RequestCb: Entry(
        lambda t: [
            RequestCb(request_id=t.request_id, action=a)
            for a in ("collect", "withdraw", "due", "text")
        ],
        frozenset({COORDINATOR}),
        "Анна's request: every coordinator's, not a methodist's",
        follow=lambda p: ["до 25.12" if getattr(p, "action", "") == "due" else "Новый текст"],
    ),
    MessengerCb: Entry(
        _walk_all(MessengerCb(action="use", messenger="max"), MessengerCb(action="last")),
        JOINED,
        "one's own messenger",
    ),
    FiguresCb: Entry(
        lambda t: [FiguresCb(occurrence_id=t.occurrence_id)],
        frozenset(),
        "СОШ № 2's occurrence",
        follow=lambda _p: ["10 из 20"],
    ),
    FiguresStepCb: Entry(
        _walk_all(*(FiguresStepCb(action=a) for a in ("keep", "again", "cancel"))),
        frozenset({HEAD, METHODIST, COORDINATOR}),  # coordinators report on the department's
        "one's own figures conversation",
    ),
    IndicatorCb: Entry(
        _walk_all(
            *(
                IndicatorCb(indicator_id=1, action=a)
                for a in ("open", "all", "department", "count", "questions", "confirm")
            )
        ),
        frozenset({COORDINATOR}),
        "/indicators",
        follow=lambda _p: ["Сколько?"],
    ),
    ActualCb: Entry(
        lambda t: [
            ActualCb(measure_id=t.measure_id, action=a)
            for a in ("open", "draft", "not_due", "ongoing", "clear", "cancel")
        ],
        frozenset({COORDINATOR}),
        "«Фактический результат»: the coordinator's text for the report",
        follow=lambda _p: ["Проведено совещание"],
    ),
    AcceptAllCb: Entry(
        lambda t: [AcceptAllCb(measure_id=t.measure_id, upto=t.report_id)],
        frozenset({COORDINATOR}),
        "«Принять все»: a coordinator's decision",
    ),
    StaffCb: Entry(
        lambda t: [
            *(
                StaffCb(action=a, value=t.school_id)
                for a in ("replace", "replace_school", "deputy_school", "remind_deputy", "off")
            ),
            StaffCb(action="off_person", value=1),
            StaffCb(action="late"),
            StaffCb(action="late_remind"),
            StaffCb(action="email_invites"),
        ],
        frozenset({COORDINATOR}),
        "/people: a school's head replaced, a deputy, someone deactivated",
        follow=lambda _p: ["Иванов Иван Иванович"],
    ),
    CoordinatorCb: Entry(
        _walk_all(
            *(
                CoordinatorCb(action=a)
                for a in ("add", "hand_over", "hand_over_yes", "hand_over_no")
            )
        ),
        frozenset({COORDINATOR}),
        "/people: another coordinator, the coordinator's role handed over",
        follow=lambda _p: ["Иванов Иван Иванович"],
    ),
    NotMeCb: Entry(
        _walk_all(NotMeCb(account=1), NotMeCb(account=3)),  # Анна's and Пётр's accounts
        frozenset(),
        "«Это не я» unlinks only an account of one's own, linked after the one pressed from",
    ),
}

# Who may type each command; everyone else is refused.
COMMANDS: dict[str, frozenset[str]] = {
    Command.START: frozenset(ROLES),
    Command.HELP: frozenset(ROLES),
    Command.LANG: JOINED,
    Command.SETTINGS: JOINED,
    Command.CANCEL: JOINED,  # ends one's own conversation, whatever it is
    # The department's own measures are its coordinators' to report on too.
    Command.REPORT: frozenset({HEAD, METHODIST, COORDINATOR}),
    Command.MY: frozenset({HEAD, METHODIST, COORDINATOR}),
    Command.CALENDAR: frozenset({HEAD, METHODIST, COORDINATOR}),
    Command.EXPORT: frozenset({HEAD, METHODIST, COORDINATOR, OBSERVER}),
    Command.EMAIL: frozenset({HEAD, METHODIST, COORDINATOR}),
    Command.ASK: frozenset({METHODIST, COORDINATOR}),
    Command.REQUESTS: frozenset({METHODIST, COORDINATOR}),
    Command.DIGEST: frozenset({COORDINATOR, OBSERVER}),
    Command.IMPORT: frozenset({COORDINATOR}),
    Command.MEASURES: frozenset({COORDINATOR, OBSERVER}),
    Command.INDICATORS: frozenset({COORDINATOR}),
    Command.MEMO: frozenset({COORDINATOR}),
    Command.ROADMAPS: frozenset({COORDINATOR}),
    Command.PEOPLE: frozenset({COORDINATOR}),
    Command.INVITE: frozenset({COORDINATOR}),
    Command.TEMPLATE: frozenset({COORDINATOR}),
    Command.ORGANISATIONS: frozenset({COORDINATOR}),
}


def _routers(router: Router) -> list[Router]:
    return [router, *(r for sub in router.sub_routers for r in _routers(sub))]


def registered() -> tuple[set[str], set[str]]:
    """The button prefixes and the commands the product's routers answer."""
    prefixes: set[str] = set()
    commands: set[str] = set()
    for router in _routers(build_router()):
        for handler in router.callback_query.handlers:
            for flt in handler.filters or []:
                if isinstance(flt.callback, CallbackQueryFilter):
                    prefixes.add(flt.callback.callback_data.__prefix__)
        for handler in router.message.handlers:
            for flt in handler.filters or []:
                if isinstance(flt.callback, CommandFilter):
                    commands |= {str(c) for c in flt.callback.commands}
    return prefixes, commands


def defined_prefixes() -> set[str]:
    """Every CallbackData the product defines: in handlers.common.callbacks and anywhere else
    that was imported with the routers."""
    build_router()

    def every(cls: type[CallbackData]) -> list[type[CallbackData]]:
        return [cls, *(c for sub in cls.__subclasses__() for c in every(sub))]

    classes = {c for c in every(CallbackData) if c is not CallbackData}
    classes |= {
        c
        for _n, c in inspect.getmembers(callbacks, inspect.isclass)
        if issubclass(c, CallbackData) and c is not CallbackData
    }
    return {
        c.__prefix__
        for c in classes
        if c.__module__.split(".")[0] in {"handlers", "bot", "messengers", "scheduler"}
    }


def test_the_walk_has_an_entry_for_every_prefix_and_command() -> None:
    prefixes, commands = registered()
    walked = {cls.__prefix__ for cls in WALK}
    assert defined_prefixes() | prefixes == walked, "a button without an entry in WALK"
    assert commands == {str(c) for c in COMMANDS}, "a command without an entry in COMMANDS"
    assert {str(c) for c in Command} == {str(c) for c in COMMANDS}
    # The table agrees with the roles' menus: nobody is walked past a command they are shown.
    people = {HEAD: (Role.RESPONSIBLE, False), OBSERVER: (Role.OBSERVER, False)}
    people |= {METHODIST: (Role.RESPONSIBLE, True), COORDINATOR: (Role.COORDINATOR, False)}
    for who, (role, methodist) in people.items():
        shown = {str(c) for c in menu_commands(role, methodist=methodist)}
        typed = {str(c) for c, allowed in COMMANDS.items() if who in allowed}
        assert shown <= typed, who


async def ask(bot: RunningBot, who: str, user: Any, text: str) -> Any:
    """Type ``text`` and read the answer. A stranger is answered once per quiet spell
    (``storage.usecases.strangers``, tested on its own); the walk asks what each message is
    answered, so it forgets the stranger's last answer before each one."""
    if who == STRANGER:
        async with bot.session_factory() as session:
            await session.execute(delete(AuditEvent).where(AuditEvent.action.in_(STRANGER_ACTIONS)))
            await session.commit()
    return await user.ask(text)


async def snapshot(bot: RunningBot) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table that a decision, a report or a setting writes. Left out: the
    audit log (refusals are recorded), conversation states, the ids of sent MAX messages and
    job runs; reminders by what a button changes (snoozed, cancelled), not by the sender's
    progress, which goes on in the background."""
    skipped = {"audit_log", "conversation_states", "max_messages", "job_runs", "emails"}
    rows: dict[str, list[tuple[Any, ...]]] = {}
    async with bot.session_factory() as session:
        for table in Base.metadata.sorted_tables:
            if table.name in skipped:
                continue
            if table.name == "reminders":
                query = select(
                    table.c.id,
                    table.c.occurrence_id,
                    table.c.person_id,
                    table.c.due_at,
                    table.c.state.in_(("snoozed", "cancelled")),
                )
            else:
                query = select(table)
            rows[table.name] = [
                tuple(r) for r in await session.execute(query.order_by(*table.primary_key.columns))
            ]
    return rows


def pressed_on(message: dict[str, Any], cls: type[T]) -> T:
    """The first button of kind ``cls`` on a bot's message, as a forger would read it."""
    markup: dict[str, Any] = message.get("reply_markup") or {}
    for row in markup.get("inline_keyboard", []):
        for button in row:
            if str(button.get("callback_data", "")).startswith(cls.__prefix__ + ":"):
                return cls.unpack(button["callback_data"])
    raise AssertionError(f"no {cls.__name__} button")


async def cast_and_objects(bot: RunningBot) -> tuple[dict[str, SimulatedUser], Targets]:
    anna, maria, petr, reminder = await reminded(bot)
    occurrence_id = pressed_on(reminder, ReportCb).occurrence_id
    petr_reminder = petr.inbox()[-1]
    petr_occurrence = pressed_on(petr_reminder, ReportCb).occurrence_id
    assert petr_occurrence != occurrence_id
    # Пётр asks to move the deadline, then reports: both wait for a coordinator.
    await petr.press("Перенести срок")
    await petr.next_message()
    await petr.ask("30.06.2026")
    await petr.ask("Ждём решения педсовета")
    await report_without_evidence(petr, "Выполнено", "Сделано")
    people = {
        OBSERVER: await bot.join_as("Ольга", "Сидорова Ольга", Role.OBSERVER, "СОШ № 2"),
        METHODIST: await bot.join_as(
            "Ирина",
            "Методист Ирина Олеговна",
            Role.RESPONSIBLE,
            "МКУ РЦ УО УКМО (методический кабинет)",
        ),
        COORDINATOR: await bot.join_as("Борис", "Борисов Борис", Role.COORDINATOR, "УО"),
        HEAD: maria,
        STRANGER: bot.user("Незнакомец"),
    }
    anna.skip_unread()
    await ask_with_form(anna)
    request_message = await petr.next_message(timeout=15)
    form_occurrence = pressed_on(request_message, FormCb).occurrence_id
    # Анна has a new import waiting for her «Подтвердить».
    await anna.upload(to_docx(seed_document("ust_kut")), "карта.docx")
    assert "Подтвердить" in str((await anna.next_message())["reply_markup"])
    async with bot.session_factory() as session:
        report_id = await session.scalar(select(StatusReport.id))
        extension_id = await session.scalar(select(ExtensionRequest.id))
        request_id = await session.scalar(select(Request.id))
        measure = await session.scalar(
            select(Measure).where(Measure.section_id.is_not(None)).limit(1)
        )
        petr_person = await session.scalar(select(Person).where(Person.full_name.like("Петров%")))
    assert report_id and extension_id and request_id and measure and petr_person
    assert measure.section_id is not None and petr_person.organisation_id is not None
    targets = Targets(
        occurrence_id=petr_occurrence,
        report_id=report_id,
        extension_id=extension_id,
        request_id=request_id,
        form_occurrence_id=form_occurrence,
        measure_id=measure.id,
        roadmap_id=measure.roadmap_id,
        section_id=measure.section_id,
        school_id=petr_person.organisation_id,
    )
    return people, targets


def _fake_message(user: SimulatedUser) -> dict[str, Any]:
    """A stranger has no bot message in their chat yet: a button is pressed on one anyway."""
    return {
        "message_id": 1,
        "date": 0,
        "chat": {"id": user.id, "type": "private"},
        "text": "…",
    }


async def test_every_button_and_command_as_every_role_changes_nothing(
    running_bot: RunningBot,
) -> None:
    people, targets = await cast_and_objects(running_bot)
    for who in ROLES:
        people[who].skip_unread()
    before = await snapshot(running_bot)
    walked = 0
    for cls, entry in WALK.items():
        for who in ROLES:
            if who in entry.allowed:
                continue
            user = people[who]
            message = None if user.inbox() else _fake_message(user)
            for payload in entry.presses(targets):
                data = payload.pack()
                answer = await user.press_data(data, message=message)
                assert answer["show_alert"], (who, data, answer)
                text = str(answer["text"])
                assert any(r in text for r in (*REFUSALS, *entry.also)), (who, data, text)
                if entry.also and who is not COORDINATOR:
                    assert not any(r in text for r in entry.also), (who, data, text)
                walked += 1
                for step in entry.follow(payload):
                    if isinstance(step, str):
                        await ask(running_bot, who, user, step)
                    else:
                        await user.press_data(step.pack(), message=message)
            assert await snapshot(running_bot) == before, (who, cls.__name__)
    for command, allowed in COMMANDS.items():
        for who in ROLES:
            if who in allowed:
                continue
            reply = await ask(running_bot, who, people[who], f"/{command}")
            assert any(r in str(reply["text"]) for r in REFUSALS), (who, command, reply["text"])
            walked += 1
    assert await snapshot(running_bot) == before
    assert walked > 150
