"""/people's coordinators: another coordinator added (an invitation, or at once for someone of
the department already in the bot), and the coordinator's role handed over after «Вы
уверены?». Both are the command line's (storage.usecases.staff); the chat refuses handing the
role over to someone not in the bot yet when nobody else coordinates."""

from __future__ import annotations

import secrets
from datetime import timedelta
from zoneinfo import ZoneInfo

from aiogram import Bot, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.roles import Command
from domain.school_staff import StaffChangeError
from handlers.common.access import refuse_unless
from handlers.common.callbacks import CoordinatorCb
from handlers.common.filters import Joined, TypedText, in_state
from handlers.common.join_links import JoinLinks
from handlers.common.menus import set_person_menu
from handlers.people.staff_changes import (
    invitation_text,
    name_email_phone,
    problem_text,
    step_ended,
)
from handlers.report.review import tell
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.staff import add_coordinator, hand_over, successor_of


class CoordinatorForm(StatesGroup):
    new_coordinator = State()
    successor = State()
    confirm = State()  # the successor's name in the conversation's data


def build_router() -> Router:
    router = Router(name="coordinator_changes")
    router.callback_query.register(on_button, CoordinatorCb.filter(), Joined())
    named = (TypedText(), Joined())
    router.message.register(on_new_coordinator, in_state(CoordinatorForm.new_coordinator), *named)
    router.message.register(on_successor, in_state(CoordinatorForm.successor), *named)
    return router


async def on_button(
    query: CallbackQuery,
    callback_data: CoordinatorCb,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    state: FSMContext,
    bot: Bot,
    i18n: I18n,
    timezone: ZoneInfo,
    invite_ttl: timedelta,
    join_links: JoinLinks,
) -> None:
    # Checked on every press: a head's forged button, or an old «Да» pressed by someone who
    # has handed the role over since, is refused here and nothing below runs.
    action = callback_data.action
    if refusal := await refuse_unless(uow, clock, person, Command.PEOPLE, "people.coordinator"):
        await state.clear()
        await query.answer(refusal, show_alert=True)
        return
    message = query.message if isinstance(query.message, Message) else None
    if action in ("hand_over_yes", "hand_over_no"):
        data = await state.get_data()
        asked = await state.get_state() == _CONFIRM and data.get("key") == callback_data.key
        if not (asked and callback_data.key and data.get("successor")):
            # An earlier question's button leaves the question now asked as it is.
            await query.answer(
                _("This button is no longer valid. Send /people again."), show_alert=True
            )
            return
        await state.clear()
        successor = str(data["successor"])
        await query.answer()
        if message is None:
            return
        if action == "hand_over_no":
            await message.answer(_("Nothing was changed: you are still the coordinator."))
            return
        await _hand_over(
            message, person, uow, clock, bot, i18n, successor, timezone, invite_ttl, join_links
        )
        return
    await query.answer()
    if message is None:
        return
    if action == "add":
        await state.set_state(CoordinatorForm.new_coordinator)
        await message.answer(
            _(
                "Who is the new coordinator? Send the full name; the e-mail and the phone may "
                "follow, separated by commas. They will have the same rights as you."
            )
        )
    elif action == "hand_over":
        await state.set_state(CoordinatorForm.successor)
        await message.answer(
            _(
                "To whom do you hand the coordinator's role over? Send the full name. You will "
                "stay in the bot as an observer."
            )
        )
    else:
        await message.answer(_("This button is no longer valid. Send /people again."))


_CONFIRM = CoordinatorForm.confirm.state


async def _typed_name(
    message: Message, person: Person, uow: UnitOfWork, clock: Clock, state: FSMContext, action: str
) -> tuple[str, str | None, str | None] | None:
    """The typed «ФИО, почта, телефон», the conversation ended; ``None`` once someone who may
    not, or a text with no name in it, was answered."""
    if await step_ended(message, person, uow, clock, state, action) is None:
        return None
    name, email, phone = name_email_phone(message.text or "")
    if not any(character.isalpha() for character in name):
        await message.answer(
            _("There is no name in this message. Send /people and try again.")
            + "\n"
            + _("Nothing was changed.")
        )
        return None
    return name, email, phone


async def on_new_coordinator(
    message: Message,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    state: FSMContext,
    bot: Bot,
    i18n: I18n,
    timezone: ZoneInfo,
    invite_ttl: timedelta,
    join_links: JoinLinks,
) -> None:
    typed = await _typed_name(message, person, uow, clock, state, "people.add_coordinator")
    if typed is None:
        return
    name, email, phone = typed
    department = (
        await uow.organisations.get(person.organisation_id) if person.organisation_id else None
    )
    try:
        issued = await add_coordinator(
            uow,
            full_name=name,
            organisation=department.name if department else None,
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
    if issued is not None:
        text = _("{name} will be a coordinator too, with the same rights as you.").format(
            name=issued.full_name
        )
        await message.answer(text + await invitation_text(issued, timezone, join_links))
        return
    added = await uow.people.find(name, person.organisation_id)
    assert added is not None
    await message.answer(
        _("{name} is a coordinator now too; the bot has told them.").format(name=added.full_name)
    )
    await _tell_new_coordinator(bot, i18n, added, person, handed_over=False)


async def on_successor(
    message: Message, person: Person, uow: UnitOfWork, clock: Clock, state: FSMContext
) -> None:
    typed = await _typed_name(message, person, uow, clock, state, "people.hand_over")
    if typed is None:
        return
    try:
        successor = await successor_of(uow, person, typed[0], keep_someone=True)
    except StaffChangeError as refused:
        await message.answer(problem_text(refused))
        return
    key = secrets.token_hex(4)  # this question's: an earlier question's «Да» is not it
    await state.set_state(CoordinatorForm.confirm)
    await state.update_data(successor=successor.full_name, key=key)
    what = (
        _("{name} becomes the coordinator at once.")
        if successor.person_id is not None
        else _("{name} gets an invitation to join the bot as the coordinator.")
    ).format(name=successor.full_name)
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=_("Yes"),
                    callback_data=CoordinatorCb(action="hand_over_yes", key=key).pack(),
                ),
                InlineKeyboardButton(
                    text=_("No"), callback_data=CoordinatorCb(action="hand_over_no", key=key).pack()
                ),
            ]
        ]
    )
    await message.answer(
        _("Hand the coordinator's role over to {name}?").format(name=successor.full_name)
        + "\n\n"
        + what
        + " "
        + _(
            "You become an observer at once: you will read /digest, /export and /measures, "
            "but will no longer change anything, and the bot will no longer remind you."
        )
        + "\n\n"
        + _("Are you sure?"),
        reply_markup=keyboard,
    )


async def _hand_over(
    message: Message,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    bot: Bot,
    i18n: I18n,
    successor: str,
    timezone: ZoneInfo,
    invite_ttl: timedelta,
    join_links: JoinLinks,
) -> None:
    try:
        issued = await hand_over(
            uow,
            from_person=person,
            full_name=successor,
            now=clock.now(),
            ttl=invite_ttl,
            keep_someone=True,
        )
    except StaffChangeError as refused:  # someone changed since «Вы уверены?» was asked
        await uow.rollback()
        await message.answer(problem_text(refused))
        return
    await uow.commit()
    done = _(
        "Done: {name} is the coordinator now. You are an observer from now on: /digest, "
        "/export and /measures stay open to you."
    ).format(name=successor)
    await message.answer(done + await invitation_text(issued, timezone, join_links))
    await set_person_menu(bot, i18n, person, person.locale or i18n.default_locale)
    if issued is None:
        taking = await uow.people.find(successor, person.organisation_id)
        if taking is not None:
            await _tell_new_coordinator(bot, i18n, taking, person, handed_over=True)


async def _tell_new_coordinator(
    bot: Bot, i18n: I18n, taking: Person, by: Person, *, handed_over: bool
) -> None:
    """Someone in the bot already: told in their own language, their menu a coordinator's."""
    locale = taking.locale or i18n.default_locale
    with i18n.use_locale(locale):
        told = (
            _("{name} hands the coordinator's role over to you.")
            if handed_over
            else _("{name} adds you to the bot's coordinators.")
        )
        text = told.format(name=by.full_name) + " " + _("Send /help to see what you can do now.")
        await tell(bot, taking.chat_address, locale, text)
    await set_person_menu(bot, i18n, taking, locale)
