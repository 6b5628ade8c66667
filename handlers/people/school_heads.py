"""/people: the schools and heads of the municipality from a spreadsheet, then links for all."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from zoneinfo import ZoneInfo

from aiogram import Bot, Router
from aiogram.filters import Command as CommandFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.labels import shorten
from domain.people_sheet import SchoolHead, read_people
from domain.roadmap.draft import ImportProblemError, ProblemCode
from domain.roles import Command
from formats.roadmap_files import read_roadmap_file
from formats.templates import invitation_links, people_template, roadmap_template
from handlers.common.access import refuse_unless
from handlers.common.callbacks import InviteAllCb
from handlers.common.filters import HasDocument, Joined, in_state
from handlers.common.join_links import JoinLinks
from handlers.people.staff_changes import staff_buttons
from handlers.roadmap.import_reading import fetch_file
from handlers.roadmap.import_texts import problem_text
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.people import import_school_heads, invite_everyone
from storage.usecases.planning import sync_occurrences


class PeopleForm(StatesGroup):
    file = State()


def build_router() -> Router:
    router = Router(name="people")
    router.message.register(cmd_template, CommandFilter(Command.TEMPLATE.value), Joined())
    router.message.register(cmd_people, CommandFilter(Command.PEOPLE.value), Joined())
    router.message.register(on_people_file, in_state(PeopleForm.file), HasDocument(), Joined())
    router.callback_query.register(on_invite_all, InviteAllCb.filter(), Joined())
    return router


async def cmd_template(message: Message, person: Person, uow: UnitOfWork, clock: Clock) -> None:
    if refusal := await refuse_unless(uow, clock, person, Command.TEMPLATE, "template"):
        await message.answer(refusal)
        return
    await message.answer_document(
        BufferedInputFile(roadmap_template(), "Шаблон дорожной карты.xlsx"),
        caption=_("Roadmap template: fill in the measures and send the file back to me."),
    )
    await message.answer_document(
        BufferedInputFile(people_template(), "Школы и руководители.xlsx"),
        caption=_("Schools and heads: one row per school. Send it back after /people."),
    )


async def cmd_people(
    message: Message, person: Person, uow: UnitOfWork, clock: Clock, state: FSMContext
) -> None:
    if refusal := await refuse_unless(uow, clock, person, Command.PEOPLE, "people.start"):
        await message.answer(refusal)
        return
    await state.set_state(PeopleForm.file)
    await message.answer(
        _(
            "Send the list of schools and their heads as a spreadsheet (.xlsx): school, head's "
            "full name, position, e-mail, phone, and «да» for schools with low results (ШНОР). "
            "The template is below."
        ),
        reply_markup=InlineKeyboardMarkup(inline_keyboard=staff_buttons()),
    )
    await message.answer_document(BufferedInputFile(people_template(), "Школы и руководители.xlsx"))


async def on_people_file(
    message: Message,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    bot: Bot,
    state: FSMContext,
) -> None:
    document = message.document
    assert document is not None
    if refusal := await refuse_unless(uow, clock, person, Command.PEOPLE, "people.upload"):
        await message.answer(refusal)
        return
    await state.clear()
    try:
        data = await fetch_file(bot, document.file_id, document.file_size)
        name = document.file_name or "people.xlsx"
        heads = await asyncio.to_thread(lambda: read_people(read_roadmap_file(name, data)))
    except ImportProblemError as problem:
        await message.answer(_people_problem(problem))
        return
    if not heads:
        await message.answer(_people_problem(ImportProblemError(ProblemCode.NO_TABLE)))
        return
    imported = await import_school_heads(uow, heads, now=clock.now(), imported_by_id=person.id)
    await sync_occurrences(uow)  # new schools' occurrences; reminders follow once heads join
    await uow.commit()
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=_("Invite everyone"), callback_data=InviteAllCb().pack())]
        ]
    )
    saved = _(
        "Saved: {rows} rows; new schools: {schools}, new people: {people}. Measures for "
        "every school now include the new schools ({assignments} assignments added)."
    ).format(
        rows=len(heads),
        schools=imported.schools_added,
        people=imported.people_added,
        assignments=imported.assignments_added,
    )
    # One message: the button to invite everyone stays under the newest one.
    warning = bad_addresses_text(heads)
    await message.answer(saved + (f"\n\n{warning}" if warning else ""), reply_markup=keyboard)


BAD_ADDRESSES_SHOWN = 15


def bad_addresses_text(heads: list[SchoolHead]) -> str | None:
    """The rows whose e-mail cell holds no address: the rest of each row is saved, but nothing
    can be e-mailed to them until the address is corrected."""
    bad = [head for head in heads if head.email_problem]
    if not bad:
        return None
    lines = [
        _(
            "These e-mail addresses could not be read, so no e-mail can reach these people "
            "until they are corrected (everything else is saved). Correct them in the "
            "spreadsheet and send it again, or the person sends /email name@school.ru in the bot:"
        )
    ]
    # Short lines, few of them: the list shares one message (4,096 characters) with the summary.
    lines += [
        f"• {shorten(head.full_name, 50)} ({shorten(head.school, 50)}): "
        f"«{shorten(head.email_problem or '', 50)}»"
        for head in bad[:BAD_ADDRESSES_SHOWN]
    ]
    if len(bad) > BAD_ADDRESSES_SHOWN:
        lines.append(_("… and {count} more").format(count=len(bad) - BAD_ADDRESSES_SHOWN))
    return "\n".join(lines)


def _people_problem(problem: ImportProblemError) -> str:
    if problem.code in (
        ProblemCode.NO_TABLE,
        ProblemCode.NO_MEASURES,
        ProblemCode.NEEDS_COLUMNS,
    ):
        return (
            _(
                "I couldn't find the list in this file. It needs the columns «Образовательная "
                "организация» and «ФИО руководителя». Send /template for a ready spreadsheet."
            )
            + "\n"
            + _("Nothing was saved.")
        )
    return problem_text(problem)


async def on_invite_all(
    query: CallbackQuery,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    bot: Bot,
    timezone: ZoneInfo,
    invite_ttl: timedelta,
    join_links: JoinLinks,
) -> None:
    if refusal := await refuse_unless(uow, clock, person, Command.PEOPLE, "people.invite_all"):
        await query.answer(refusal, show_alert=True)
        return
    lines = await invite_everyone(uow, now=clock.now(), ttl=invite_ttl, created_by_id=person.id)
    await uow.commit()
    await query.answer()
    if query.message is None:
        return
    if not lines:
        await bot.send_message(query.message.chat.id, _("Everyone has already joined."))
        return
    rows = [
        (
            line.organisation,
            line.full_name,
            [(link.messenger, link.url) for link in await join_links(line.invitation.token)],
            line.invitation.expires_at.astimezone(timezone).strftime("%d.%m.%Y"),
        )
        for line in lines
    ]
    await bot.send_document(
        query.message.chat.id,
        BufferedInputFile(invitation_links(rows), "Приглашения.xlsx"),
        caption=_(
            "{count} personal invitation links. Send each person their own link by e-mail; "
            "every link works once."
        ).format(count=len(rows)),
    )
