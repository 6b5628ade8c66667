"""/start: joining by invitation, or a polite explanation for strangers."""

from __future__ import annotations

import logging

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import CommandObject, CommandStart
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.invitations import RedeemOutcome
from domain.messengers import messenger_label, messenger_of
from domain.names import address_name
from domain.roles import Role
from handlers.common.callbacks import NotMeCb
from handlers.common.filters import FromUser
from handlers.common.menus import set_person_menu
from handlers.common.texts import how_to_join
from handlers.people.help import help_text
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.invitations import redeem_invitation
from storage.usecases.planning import plan_due_reminders
from storage.usecases.requests.access import is_methodist
from storage.usecases.strangers import answer_stranger

logger = logging.getLogger(__name__)


def build_router() -> Router:
    router = Router(name="start")
    router.message.register(cmd_start_with_token, CommandStart(deep_link=True), FromUser())
    router.message.register(cmd_start, CommandStart())
    return router


async def cmd_start_with_token(
    message: Message,
    command: CommandObject,
    uow: UnitOfWork,
    clock: Clock,
    i18n: I18n,
    bot: Bot,
) -> None:
    user = message.from_user
    assert user is not None  # guaranteed by the FromUser filter
    redemption = await redeem_invitation(
        uow,
        token=(command.args or "").strip(),
        user_address=user.id,
        chat_id=message.chat.id,
        username=user.username,
        locale=i18n.default_locale,
        now=clock.now(),
    )
    if redemption.outcome is RedeemOutcome.UNKNOWN and redemption.person is None:
        # A stranger trying tokens: one answer and one audit row per quiet spell.
        if await answer_stranger(uow, user.id, "stranger.start", clock.now()):
            await uow.commit()
            await message.answer(_refusal(redemption.outcome, None))
        return
    if redemption.outcome is RedeemOutcome.OK:
        # The newcomer's reminders: only their own occurrences can change, but planning is
        # idempotent, so planning everything that is open is simply the safe way to do it.
        await plan_due_reminders(uow, clock.now())
    await uow.commit()

    if redemption.outcome is RedeemOutcome.OK and redemption.person is not None:
        person = redemption.person
        locale = person.locale or i18n.default_locale
        methodist = await is_methodist(uow, person)
        with i18n.use_locale(locale):
            await message.answer(
                _welcome(person) + "\n\n" + help_text(Role(person.role), methodist=methodist)
            )
        await set_person_menu(bot, i18n, person, locale, methodist=methodist)
        if redemption.new_account_id is not None:
            with i18n.use_locale(locale):
                await tell_of_new_account(
                    bot, redemption.told_chats, person, redemption.new_account_id, user.id
                )
        return
    await message.answer(_refusal(redemption.outcome, redemption.person))


async def tell_of_new_account(
    bot: Bot, chats: tuple[int, ...], person: Person, account_id: int, user_address: int
) -> None:
    """A messenger was added to the person: say so where they were before, with a button that
    undoes it if it was not them."""
    text = _(
        "{name}, your account in {messenger} has just been connected to the roadmap bot. "
        "If it was you, there is nothing to do. If it was not you, press «It was not me»: "
        "that account will be disconnected at once."
    ).format(
        name=address_name(person.full_name), messenger=messenger_label(messenger_of(user_address))
    )
    buttons = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=_("It was not me"), callback_data=NotMeCb(account=account_id).pack()
                )
            ]
        ]
    )
    for chat in chats:
        try:
            await bot.send_message(chat, text, reply_markup=buttons)
        except TelegramAPIError:
            # Blocked or gone there: the other chat, if any, is still told.
            logger.warning("could not tell of a new account", extra={"event": "notme_unsent"})


def _welcome(person: Person) -> str:
    return _("Welcome, {name}! You have joined the roadmap bot.").format(
        name=address_name(person.full_name)
    )


def _refusal(outcome: RedeemOutcome, person: Person | None) -> str:
    if outcome is RedeemOutcome.ALREADY_JOINED and person is not None:
        return _("You have already joined, {name}. Send /help to see what you can do.").format(
            name=address_name(person.full_name)
        )
    if outcome is RedeemOutcome.ACCOUNT_TAKEN:
        return _(
            "This messenger account has already joined the bot as another person, so it cannot "
            "use this invitation. If the invitation is meant for someone else, pass the link on "
            "to them."
        )
    if outcome is RedeemOutcome.HAS_ACCOUNT:
        return _(
            "The person this invitation is for has already joined the bot, so it cannot be "
            "used here. If it is you and you want the bot in this messenger too, open the bot "
            "where you joined, send /settings and press «Connect …»."
        )
    if outcome is RedeemOutcome.EXPIRED:
        return _(
            "This invitation has expired. Please ask the coordinator at the education "
            "department for a new link."
        )
    if outcome is RedeemOutcome.USED:
        return _(
            "This invitation has already been used. Each link works only once; please ask the "
            "coordinator for a new one."
        )
    return _(
        "This invitation link is not valid. Please check that you opened the whole link, or ask "
        "the coordinator for a new one."
    )


async def cmd_start(message: Message, person: Person | None, uow: UnitOfWork, clock: Clock) -> None:
    if person is None:
        user_id = message.from_user.id if message.from_user else None
        if await answer_stranger(uow, user_id, "stranger.start", clock.now()):
            await uow.commit()
            await message.answer(how_to_join(user_id))
        return
    methodist = await is_methodist(uow, person)
    await message.answer(
        _("Hello, {name}!").format(name=address_name(person.full_name))
        + "\n\n"
        + help_text(Role(person.role), methodist=methodist)
    )
