"""/invite: the coordinator creates an invitation link in the chat."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from aiogram import Router
from aiogram.filters import Command as CommandFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.roles import Command, Role, may_use
from handlers.common.callbacks import CancelCb, InviteRoleCb
from handlers.common.filters import HasText, Joined, in_state
from handlers.common.join_links import JoinLinks, links_text
from handlers.common.texts import role_name
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.invitations import has_joined, issue_invitation

MAX_NAME_LENGTH = 300
MAX_ORGANISATION_LENGTH = 500


class InviteForm(StatesGroup):
    person = State()


def build_router() -> Router:
    router = Router(name="invitations")
    router.message.register(cmd_invite, CommandFilter(Command.INVITE.value), Joined())
    router.callback_query.register(on_role_chosen, InviteRoleCb.filter(), Joined())
    router.callback_query.register(on_cancel, CancelCb.filter())
    router.message.register(on_person_details, in_state(InviteForm.person), HasText(), Joined())
    return router


def _cancel_button() -> InlineKeyboardButton:
    return InlineKeyboardButton(text=_("Cancel"), callback_data=CancelCb().pack())


async def _refuse(uow: UnitOfWork, clock: Clock, person: Person, action: str) -> str:
    uow.audit.add(at=clock.now(), action=action, outcome="forbidden", person_id=person.id)
    await uow.commit()
    return _("Only the coordinator can invite people. If you need someone invited, ask them.")


async def cmd_invite(message: Message, person: Person, uow: UnitOfWork, clock: Clock) -> None:
    if not may_use(Role(person.role), Command.INVITE):
        await message.answer(await _refuse(uow, clock, person, "invitation.start"))
        return
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=role_name(role), callback_data=InviteRoleCb(role=role).pack()
                )
            ]
            for role in (Role.RESPONSIBLE, Role.OBSERVER, Role.COORDINATOR)
        ]
        + [[_cancel_button()]]
    )
    await message.answer(_("Whom are you inviting? Choose their role:"), reply_markup=keyboard)


async def on_role_chosen(
    query: CallbackQuery,
    callback_data: InviteRoleCb,
    person: Person,
    state: FSMContext,
    uow: UnitOfWork,
    clock: Clock,
) -> None:
    if not may_use(Role(person.role), Command.INVITE):
        await query.answer(await _refuse(uow, clock, person, "invitation.role"), show_alert=True)
        return
    if callback_data.role not in {role.value for role in Role}:
        uow.audit.add(
            at=clock.now(), action="invitation.role", outcome="forged", person_id=person.id
        )
        await uow.commit()
        await query.answer(
            _("This button is no longer valid. Send /invite again."), show_alert=True
        )
        return
    await state.set_state(InviteForm.person)
    await state.update_data(role=callback_data.role)
    await query.answer()
    if query.message is not None:
        await query.message.answer(
            _(
                "Send the person's full name. To link them to a school or another organisation, "
                "add it after a semicolon, for example:\n"
                "Иванова Мария Петровна; МБОУ СОШ № 1"
            ),
            reply_markup=InlineKeyboardMarkup(inline_keyboard=[[_cancel_button()]]),
        )


async def on_cancel(query: CallbackQuery, state: FSMContext) -> None:
    await state.clear()
    await query.answer(_("Cancelled."))
    if query.message is not None:
        await query.message.answer(_("Cancelled. Nothing was saved."))


async def on_person_details(
    message: Message,
    person: Person,
    state: FSMContext,
    uow: UnitOfWork,
    clock: Clock,
    join_links: JoinLinks,
    timezone: ZoneInfo,
    invite_ttl: timedelta,
) -> None:
    if not may_use(Role(person.role), Command.INVITE):
        await state.clear()
        await message.answer(await _refuse(uow, clock, person, "invitation.issue"))
        return
    name, _sep, organisation = (message.text or "").partition(";")
    name, organisation = " ".join(name.split()), " ".join(organisation.split())
    if not name or len(name) > MAX_NAME_LENGTH or len(organisation) > MAX_ORGANISATION_LENGTH:
        await message.answer(
            _(
                "Please send a full name of up to {limit} characters, optionally followed by a "
                "semicolon and the organisation."
            ).format(limit=MAX_NAME_LENGTH)
        )
        return
    role = Role((await state.get_data())["role"])
    if await has_joined(uow, name, organisation or None):
        await state.clear()
        await message.answer(
            _(
                "{name} has already joined the bot, so a new invitation would not work. To "
                "get the bot in another messenger too, they send /settings in the bot and "
                "press «Connect …»."
            ).format(name=name)
        )
        return
    issued = await issue_invitation(
        uow,
        full_name=name,
        role=role,
        organisation=organisation or None,
        created_by_id=person.id,
        now=clock.now(),
        ttl=invite_ttl,
    )
    await uow.commit()
    await state.clear()
    links = await join_links(issued.token)
    expires_on = issued.expires_at.astimezone(timezone).strftime("%d.%m.%Y")
    await message.answer(
        _(
            "Invitation for {name} ({role}) is ready. Send this link to them by e-mail or "
            "messenger; it works once and until {date}:\n{link}"
        ).format(
            name=issued.full_name,
            role=role_name(role),
            date=expires_on,
            link=links_text(links),
        )
    )
