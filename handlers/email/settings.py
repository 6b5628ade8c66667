"""/email: the person's address and which e-mails they get; `/email name@example.ru` sets the
address (a corrected address is tried again after a bounce)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command as CommandFilter
from aiogram.filters import CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.email_address import read_address
from domain.roles import Command, Role
from handlers.common.access import refuse_unless
from handlers.common.callbacks import EmailCb
from handlers.common.filters import Joined
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.email.settings import set_digest_by_email, set_email_address, set_email_wanted

EMAILS = "emails"
DIGEST = "digest"


def build_router() -> Router:
    router = Router(name="email")
    router.message.register(cmd_email, CommandFilter(Command.EMAIL.value), Joined())
    router.callback_query.register(on_setting, EmailCb.filter(), Joined())
    return router


async def cmd_email(
    message: Message, command: CommandObject, person: Person, uow: UnitOfWork, clock: Clock
) -> None:
    if refusal := await refuse_unless(uow, clock, person, Command.EMAIL, "email.settings"):
        await message.answer(refusal)
        return
    typed = (command.args or "").strip()
    if typed:
        reading = read_address(typed)
        if reading.address is None:
            await message.answer(
                _(
                    "«{text}» does not look like an e-mail address. Send it like this: "
                    "/email name@school.ru"
                ).format(text=typed[:100])
            )
            return
        await set_email_address(uow, person, reading.address, clock.now())
        await uow.commit()
        await message.answer(_("Saved: e-mails go to {address}.").format(address=reading.address))
    await message.answer(settings_text(person), reply_markup=settings_buttons(person))


async def on_setting(
    query: CallbackQuery, callback_data: EmailCb, person: Person, uow: UnitOfWork, clock: Clock
) -> None:
    if refusal := await refuse_unless(uow, clock, person, Command.EMAIL, "email.settings"):
        await query.answer(refusal, show_alert=True)
        return
    if callback_data.setting == EMAILS:
        await set_email_wanted(uow, person, callback_data.on, clock.now())
    elif callback_data.setting == DIGEST and person.role == Role.COORDINATOR.value:
        await set_digest_by_email(uow, person, callback_data.on, clock.now())
    else:
        await query.answer(_("This button is no longer valid. Send /email again."), show_alert=True)
        return
    await uow.commit()
    await query.answer(_("Saved."))
    if isinstance(query.message, Message):
        await query.message.edit_text(settings_text(person), reply_markup=settings_buttons(person))


def settings_text(person: Person) -> str:
    lines = []
    if person.email:
        lines.append(_("Your e-mail address: {address}").format(address=person.email))
    else:
        lines.append(
            _("The bot has no e-mail address for you. Add one like this: /email name@school.ru")
        )
    if person.email_unreachable_at is not None:
        lines.append(
            _(
                "⚠ The mail server refused this address, so nothing is sent to it. Send the "
                "correct one like this: /email name@school.ru"
            )
        )
    wanted = person.email_opt_out_at is None
    lines.append(
        _(
            "E-mails: on. While you are in this chat, reminders come here and not by e-mail; "
            "they come by e-mail only if the bot cannot reach you in the chat."
        )
        if wanted
        else _("E-mails: off. The bot sends you no e-mail.")
    )
    if person.role == Role.COORDINATOR.value:
        lines.append(
            _("The weekly digest by e-mail (chart and report attached): on.")
            if person.digest_by_email
            else _("The weekly digest by e-mail: off.")
        )
    return "\n\n".join(lines)


def settings_buttons(person: Person) -> InlineKeyboardMarkup:
    wanted = person.email_opt_out_at is None
    rows = [
        [
            InlineKeyboardButton(
                text=_("Turn e-mails off") if wanted else _("Turn e-mails on"),
                callback_data=EmailCb(setting=EMAILS, on=not wanted).pack(),
            )
        ]
    ]
    if person.role == Role.COORDINATOR.value:
        rows.append(
            [
                InlineKeyboardButton(
                    text=_("Digest by e-mail: turn off")
                    if person.digest_by_email
                    else _("Digest by e-mail: turn on"),
                    callback_data=EmailCb(setting=DIGEST, on=not person.digest_by_email).pack(),
                )
            ]
        )
    return InlineKeyboardMarkup(inline_keyboard=rows)
