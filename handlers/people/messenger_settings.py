"""/settings: the messengers a person is in, and which one the bot writes to.

A person may join in Telegram, in MAX, or in both. Reminders go to the messenger they wrote
from last, unless they choose one here. «Подключить …» gives them a personal link for the
other messenger; opening it there binds that account too. That is the only way to add a
messenger: a plain invitation opened by anyone once the person has joined is refused. The
person is then told in the messenger they were in, where «Это не я» undoes it.
"""

from __future__ import annotations

from datetime import timedelta

from aiogram import Router
from aiogram.filters import Command as CommandFilter
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.invitations import Purpose
from domain.messengers import Messenger, messenger_label
from domain.roles import Command
from handlers.common.access import not_yours, refuse_unless
from handlers.common.callbacks import MessengerCb, NotMeCb
from handlers.common.filters import Joined
from handlers.common.join_links import JoinLinks
from handlers.common.texts import press_start
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.accounts import (
    AccountView,
    UnlinkRefusedError,
    accounts_of,
    choose_messenger,
    unlink_account,
)
from storage.usecases.invitations import invite_person

USE = "use"
LAST = "last"
LINK = "link"


def build_router() -> Router:
    router = Router(name="messenger_settings")
    router.message.register(cmd_settings, CommandFilter(Command.SETTINGS.value), Joined())
    router.callback_query.register(on_choice, MessengerCb.filter(), Joined())
    router.callback_query.register(on_not_me, NotMeCb.filter(), Joined())
    return router


async def on_not_me(
    query: CallbackQuery, callback_data: NotMeCb, person: Person, uow: UnitOfWork, clock: Clock
) -> None:
    """«Это не я» under the notice of a new account: it is unlinked (and audited)."""
    try:
        unlinked = await unlink_account(
            uow, person, callback_data.account, by_address=query.from_user.id, now=clock.now()
        )
    except UnlinkRefusedError:
        uow.audit.add(
            at=clock.now(),
            action="account.unlink",
            outcome="forbidden",
            person_id=person.id,
            details={"account_id": callback_data.account},
        )
        await uow.commit()
        await query.answer(not_yours(), show_alert=True)
        return
    if unlinked is None:
        await query.answer(_("There is nothing to disconnect any more."), show_alert=True)
        return
    await uow.commit()
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(
            _(
                "Done: the {messenger} account is no longer connected to you, and the bot "
                "does not know it any more. If you want the bot in {messenger} yourself, send "
                "/settings and press «Connect {messenger}»."
            ).format(messenger=messenger_label(unlinked))
        )


async def cmd_settings(
    message: Message,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    messengers: list[Messenger],
) -> None:
    if refusal := await refuse_unless(uow, clock, person, Command.SETTINGS, "settings.show"):
        await message.answer(refusal)
        return
    accounts = await accounts_of(uow, person)
    await message.answer(
        settings_text(person, accounts, messengers),
        reply_markup=settings_buttons(person, accounts, messengers),
    )


async def on_choice(
    query: CallbackQuery,
    callback_data: MessengerCb,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    messengers: list[Messenger],
    join_links: JoinLinks,
    invite_ttl: timedelta,
) -> None:
    if refusal := await refuse_unless(uow, clock, person, Command.SETTINGS, "settings.change"):
        await query.answer(refusal, show_alert=True)
        return
    chosen = _messenger(callback_data.messenger)
    if callback_data.action == LINK and chosen in messengers:
        token, _expires = await invite_person(
            uow, person.id, now=clock.now(), ttl=invite_ttl, purpose=Purpose.LINK
        )
        await uow.commit()
        label = messenger_label(chosen)
        link = next((x.url for x in await join_links(token) if x.messenger == label), None)
        await query.answer()
        if link is not None and isinstance(query.message, Message):
            await query.message.answer(
                _(
                    "Open this link on a device where {messenger} is installed and "
                    "{press_start}: the bot will know you there too. The link is yours alone "
                    "and works once:\n{link}"
                ).format(messenger=label, press_start=press_start([chosen]), link=link)
            )
        return
    if callback_data.action == USE and chosen is not None:
        changed = await choose_messenger(uow, person, chosen)
    elif callback_data.action == LAST:
        changed = await choose_messenger(uow, person, None)
    else:
        changed = False
    if not changed:
        await query.answer(
            _("This button is no longer valid. Send /settings again."), show_alert=True
        )
        return
    await uow.commit()
    await query.answer(_("Saved."))
    accounts = await accounts_of(uow, person)
    if isinstance(query.message, Message):
        await query.message.edit_text(
            settings_text(person, accounts, messengers),
            reply_markup=settings_buttons(person, accounts, messengers),
        )


def settings_text(person: Person, accounts: list[AccountView], messengers: list[Messenger]) -> str:
    lines = [_("Messengers:")]
    by_messenger = {account.messenger: account for account in accounts}
    for messenger in messengers:
        account = by_messenger.get(messenger)
        label = messenger_label(messenger)
        if account is None:
            lines.append(_("• {messenger}: not connected").format(messenger=label))
        elif account.unreachable:
            lines.append(
                _("• {messenger}: the bot cannot write to you there (blocked?)").format(
                    messenger=label
                )
            )
        elif account.in_use:
            lines.append(_("• {messenger}: connected, reminders come here").format(messenger=label))
        else:
            lines.append(_("• {messenger}: connected").format(messenger=label))
    choice = _messenger(person.messenger_choice or "")
    lines.append("")
    lines.append(
        _("Reminders go to {messenger}, as you chose.").format(messenger=messenger_label(choice))
        if choice is not None
        else _("Reminders go to the messenger you last wrote to the bot from.")
    )
    return "\n".join(lines)


def settings_buttons(
    person: Person, accounts: list[AccountView], messengers: list[Messenger]
) -> InlineKeyboardMarkup | None:
    rows: list[list[InlineKeyboardButton]] = []
    connected = {a.messenger for a in accounts if not a.unreachable}
    choice = person.messenger_choice
    for messenger in messengers:
        label = messenger_label(messenger)
        if messenger in connected and len(connected) > 1 and choice != messenger.value:
            text = _("Reminders in {messenger}").format(messenger=label)
            data = MessengerCb(action=USE, messenger=messenger.value)
        elif messenger not in {a.messenger for a in accounts}:
            text = _("Connect {messenger}").format(messenger=label)
            data = MessengerCb(action=LINK, messenger=messenger.value)
        else:
            continue
        rows.append([InlineKeyboardButton(text=text, callback_data=data.pack())])
    if choice is not None:
        rows.append(
            [
                InlineKeyboardButton(
                    text=_("Where I last wrote from"), callback_data=MessengerCb(action=LAST).pack()
                )
            ]
        )
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def _messenger(value: str) -> Messenger | None:
    try:
        return Messenger(value)
    except ValueError:
        return None
