"""/start: joining by invitation, or a polite explanation for strangers."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import CommandObject, CommandStart
from aiogram.types import Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.invitations import RedeemOutcome
from domain.locales import pick_locale
from domain.roles import Role
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
        locale=pick_locale(None, user.language_code, i18n.default_locale),
        now=clock.now(),
    )
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
        return
    await message.answer(_refusal(redemption.outcome, redemption.person))


def _welcome(person: Person) -> str:
    return _("Welcome, {name}! You have joined the roadmap bot.").format(name=person.full_name)


def _refusal(outcome: RedeemOutcome, person: Person | None) -> str:
    if outcome is RedeemOutcome.ALREADY_JOINED and person is not None:
        return _("You have already joined, {name}. Send /help to see what you can do.").format(
            name=person.full_name
        )
    if outcome is RedeemOutcome.ACCOUNT_TAKEN:
        return _(
            "This messenger account has already joined the bot as another person, so it cannot "
            "use this invitation. If the invitation is meant for someone else, pass the link on "
            "to them."
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
            await message.answer(how_to_join())
        return
    methodist = await is_methodist(uow, person)
    await message.answer(
        _("Hello, {name}!").format(name=person.full_name)
        + "\n\n"
        + help_text(Role(person.role), methodist=methodist)
    )
