"""/people's changes of staff, for a coordinator: a school's head replaced (the new one gets an
invitation, the school keeps its reports), a deputy added and who of them is reminded, someone
deactivated, and the late schools with their head's phone and e-mail. The buttons for
coordinators (another one added, the role handed over) lead to
handlers/people/coordinator_changes.py."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from aiogram import Router
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.email_address import normalise
from domain.labels import shorten
from domain.reminders.window import SendingWindow
from domain.roles import Command
from domain.school_staff import Reminded, StaffChangeError, StaffProblem
from handlers.common.access import refuse_unless
from handlers.common.callbacks import CoordinatorCb, StaffCb
from handlers.common.filters import HasText, Joined, in_state
from handlers.common.join_links import JoinLinks, links_text
from handlers.people.invitation_emails import InvitationEmails, email_invitations_text
from handlers.people.late_schools import remind_now_text, show_late_schools
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.invitations import IssuedInvitation
from storage.usecases.staff import (
    add_deputy,
    deactivate,
    replace_head,
    schools,
    set_reminded,
)

SHOWN = 40  # names on one screen: a municipality has about thirty schools


class StaffForm(StatesGroup):
    new_head = State()
    deputy = State()
    off_name = State()


def build_router() -> Router:
    router = Router(name="staff_changes")
    router.callback_query.register(on_staff, StaffCb.filter(), Joined())
    router.message.register(on_new_head, in_state(StaffForm.new_head), HasText(), Joined())
    router.message.register(on_deputy, in_state(StaffForm.deputy), HasText(), Joined())
    router.message.register(on_off_name, in_state(StaffForm.off_name), HasText(), Joined())
    return router


def staff_buttons() -> list[list[InlineKeyboardButton]]:
    """The buttons under /people's first message."""
    return [
        [_button(_("Replace a school's head"), StaffCb(action="replace"))],
        [_button(_("Add a deputy head"), StaffCb(action="deputy"))],
        [_button(_("Deactivate a person"), StaffCb(action="off"))],
        [_button(_("Late schools: whom to call"), StaffCb(action="late"))],
        [_button(_("E-mail the invitations not yet used"), StaffCb(action="email_invites"))],
        [_button(_("Add a coordinator"), CoordinatorCb(action="add"))],
        [_button(_("Hand the coordinator's role over"), CoordinatorCb(action="hand_over"))],
    ]


def _button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


async def on_staff(
    query: CallbackQuery,
    callback_data: StaffCb,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    state: FSMContext,
    timezone: ZoneInfo,
    window: SendingWindow,
    invitation_emails: InvitationEmails | None,
) -> None:
    if refusal := await refuse_unless(uow, clock, person, Command.PEOPLE, "people.staff"):
        await query.answer(refusal, show_alert=True)
        return
    action, value = callback_data.action, callback_data.value
    message = query.message if isinstance(query.message, Message) else None
    await query.answer()
    if message is None:
        return
    if action in ("replace", "deputy"):
        await state.clear()
        await message.answer(
            _("Which school?"), reply_markup=await _schools_keyboard(uow, f"{action}_school")
        )
    elif action in ("replace_school", "deputy_school"):
        school = await uow.organisations.get(value)
        if school is None or school.kind != "school":
            await message.answer(_("This button is no longer valid. Send /people again."))
            return
        await state.set_state(
            StaffForm.new_head if action == "replace_school" else StaffForm.deputy
        )
        await state.update_data(school=school.name)
        prompt = (
            _(
                "Who is the new head of «{school}»? Send the full name; the e-mail and the phone may follow, separated by commas."
            )
            if action == "replace_school"
            else _(
                "Who is the deputy of «{school}»? Send the full name; the e-mail and the phone may follow, separated by commas."
            )
        )
        await message.answer(prompt.format(school=school.name))
    elif action.startswith("remind_"):
        await _remind(message, uow, clock, person, action.removeprefix("remind_"), value)
    elif action == "off":
        await state.set_state(StaffForm.off_name)
        await message.answer(_("Whom to deactivate? Send their full name."))
    elif action == "off_person":
        await _deactivate(message, uow, clock, person, value)
    elif action == "late":
        await show_late_schools(message, uow, clock.now().astimezone(timezone).date())
    elif action == "email_invites":
        await message.answer(await email_invitations_text(uow, invitation_emails))
    elif action == "late_remind":
        await message.answer(await remind_now_text(uow, clock, timezone, window))


async def _schools_keyboard(uow: UnitOfWork, action: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _button(
                    shorten(school.short_name or school.name, 60),
                    StaffCb(action=action, value=school.id),
                )
            ]
            for school in (await schools(uow))[:SHOWN]
        ]
    )


def name_email_phone(text: str) -> tuple[str, str | None, str | None]:
    """«Иванова Мария Петровна, ivanova@school.ru, +7 900 000-00-00», in any order after the
    name."""
    name, *rest = [part.strip() for part in text.split(",")]
    email = next((address for part in rest if (address := normalise(part))), None)
    phone = next((part for part in rest if sum(c.isdigit() for c in part) >= 5), None)
    return " ".join(name.split())[:300], email, phone


async def step_ended(
    message: Message, person: Person, uow: UnitOfWork, clock: Clock, state: FSMContext, action: str
) -> dict[str, object] | None:
    """A typed step of /people ended: the conversation's data, its state cleared; ``None``
    once someone who may not (any more) was told so. Asked at every step, not only the first:
    the role may have changed since /people was sent."""
    if refusal := await refuse_unless(uow, clock, person, Command.PEOPLE, action):
        await state.clear()
        await message.answer(refusal)
        return None
    data = await state.get_data()
    await state.clear()
    return data


async def _typed_person(
    message: Message, person: Person, uow: UnitOfWork, clock: Clock, state: FSMContext, action: str
) -> tuple[str, str, str | None, str | None] | None:
    """The school the conversation is about and the person typed for it («ФИО, почта,
    телефон»), the conversation ended; ``None`` once someone who may not was told so."""
    data = await step_ended(message, person, uow, clock, state, action)
    if data is None:
        return None
    return (str(data.get("school", "")), *name_email_phone(message.text or ""))


async def on_new_head(
    message: Message,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    state: FSMContext,
    timezone: ZoneInfo,
    invite_ttl: timedelta,
    join_links: JoinLinks,
) -> None:
    typed = await _typed_person(message, person, uow, clock, state, "people.replace_head")
    if typed is None:
        return
    school, name, email, phone = typed
    try:
        replaced = await replace_head(
            uow,
            school_name=school,
            full_name=name,
            email=email,
            phone=phone,
            now=clock.now(),
            by_id=person.id,
            ttl=invite_ttl,
        )
    except StaffChangeError as refused:
        await uow.rollback()
        await message.answer(problem_text(refused))
        return
    await uow.commit()
    old = ", ".join(replaced.old_names) or "—"
    text = _(
        "«{school}» has a new head: {name}. {old} can no longer use the bot; the school's "
        "reports and deadlines stay with the school."
    ).format(school=replaced.school, name=name, old=old)
    await message.answer(text + await invitation_text(replaced.invitation, timezone, join_links))


async def on_deputy(
    message: Message,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    state: FSMContext,
    timezone: ZoneInfo,
    invite_ttl: timedelta,
    join_links: JoinLinks,
) -> None:
    typed = await _typed_person(message, person, uow, clock, state, "people.add_deputy")
    if typed is None:
        return
    school_name, name, email, phone = typed
    try:
        issued = await add_deputy(
            uow,
            school_name=school_name,
            full_name=name,
            email=email,
            phone=phone,
            now=clock.now(),
            by_id=person.id,
            ttl=invite_ttl,
        )
    except StaffChangeError as refused:
        await uow.rollback()
        await message.answer(problem_text(refused))
        return
    await uow.commit()
    school = await uow.organisations.get_by_name(school_name)
    assert school is not None
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _button(_("The head"), StaffCb(action="remind_head", value=school.id)),
                _button(_("The deputy"), StaffCb(action="remind_deputy", value=school.id)),
                _button(_("Both"), StaffCb(action="remind_both", value=school.id)),
            ]
        ]
    )
    text = _(
        "{name} is now a deputy of «{school}» and reports for the school as its head does. "
        "Who of them should get the school's reminders?"
    ).format(name=issued.full_name, school=school_name)
    await message.answer(
        text + await invitation_text(issued, timezone, join_links), reply_markup=keyboard
    )


async def _remind(
    message: Message, uow: UnitOfWork, clock: Clock, person: Person, who: str, school_id: int
) -> None:
    school = await uow.organisations.get(school_id)
    if school is None or who not in {choice.value for choice in Reminded}:
        await message.answer(_("This button is no longer valid. Send /people again."))
        return
    choice = Reminded(who)
    await set_reminded(
        uow, school_name=school.name, choice=choice, now=clock.now(), by_id=person.id
    )
    await uow.commit()
    chosen = {
        Reminded.HEAD: _("the head"),
        Reminded.DEPUTY: _("the deputy"),
        Reminded.BOTH: _("the head and the deputy"),
    }[choice]
    await message.answer(
        _("Saved: the reminders of «{school}» go to {who}.").format(school=school.name, who=chosen)
    )


async def on_off_name(
    message: Message, person: Person, uow: UnitOfWork, clock: Clock, state: FSMContext
) -> None:
    if await step_ended(message, person, uow, clock, state, "people.deactivate") is None:
        return
    found = [p for p in await uow.people.named(message.text or "") if p.is_active]
    if not found:
        await message.answer(
            _("Nobody active is named so. Check the full name and send /people again.")
        )
        return
    rows = []
    for someone in found[:SHOWN]:
        organisation = (
            await uow.organisations.get(someone.organisation_id)
            if someone.organisation_id
            else None
        )
        label = someone.full_name + (f" — {organisation.name}" if organisation else "")
        rows.append([_button(shorten(label, 60), StaffCb(action="off_person", value=someone.id))])
    await message.answer(
        _("Deactivate? They will no longer be able to use the bot, and their links stop working."),
        reply_markup=InlineKeyboardMarkup(inline_keyboard=rows),
    )


async def _deactivate(
    message: Message, uow: UnitOfWork, clock: Clock, person: Person, person_id: int
) -> None:
    someone = await uow.people.get(person_id)
    if someone is None or not someone.is_active:
        await message.answer(_("This person is already deactivated."))
        return
    try:
        await deactivate(uow, someone, now=clock.now(), by_id=person.id)
    except StaffChangeError as refused:
        await uow.rollback()
        await message.answer(problem_text(refused))
        return
    await uow.commit()
    await message.answer(
        _(
            "{name} is deactivated: the bot no longer answers them, their invitations and "
            "calendar links no longer work, and they get no reminders. What they reported is kept."
        ).format(name=someone.full_name)
    )


async def invitation_text(
    issued: IssuedInvitation | None, timezone: ZoneInfo, join_links: JoinLinks
) -> str:
    if issued is None:
        return ""
    links = await join_links(issued.token)
    return "\n\n" + _(
        "Send this invitation to {name}; it works once and until {date}:\n{link}"
    ).format(
        name=issued.full_name,
        date=issued.expires_at.astimezone(timezone).strftime("%d.%m.%Y"),
        link=links_text(links),
    )


def problem_text(refused: StaffChangeError) -> str:
    texts = {
        StaffProblem.NO_SCHOOL: _("There is no such school any more. Send /people again."),
        StaffProblem.HEADS_ANOTHER_SCHOOL: _(
            "This person already heads «{detail}». Replace the head of that school first."
        ),
        StaffProblem.ALREADY_HEAD: _("This person already heads «{detail}»."),
        StaffProblem.NO_PERSON: _("Nobody active is named so."),
        StaffProblem.SAME_PERSON: _("You cannot hand the role over to yourself."),
        StaffProblem.LAST_COORDINATOR: _(
            "This is the only coordinator: add another coordinator first."
        ),
        StaffProblem.ALREADY_COORDINATOR: _("{detail} is a coordinator already."),
        StaffProblem.NOBODY_LEFT: _(
            "You are the only coordinator in the bot, and {detail} has not joined it yet: "
            "until they do, nobody could run the bot. Add {detail} as a coordinator first "
            "(/people, «Add a coordinator»), and hand the role over once they have joined."
        ),
    }
    return texts[refused.problem].format(detail=refused.detail) + "\n" + _("Nothing was changed.")
