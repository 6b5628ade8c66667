"""Whatever no other handler took: strangers learn how to join, members are pointed to /help."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from aiogram import Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.roles import Command, Role, may_use
from handlers.common.lost_conversation import lost_conversation_hint, start_report_button
from handlers.common.texts import how_to_join
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.reports.reportable import my_occurrences
from storage.usecases.strangers import answer_stranger


def build_router() -> Router:
    router = Router(name="fallback")
    router.message.register(on_any_message)
    router.callback_query.register(on_unknown_button)
    return router


async def on_any_message(
    message: Message, person: Person | None, uow: UnitOfWork, clock: Clock, timezone: ZoneInfo
) -> None:
    text = message.text or ""
    user_id = message.from_user.id if message.from_user else None
    if person is None:
        # One answer per burst, and nothing of what they wrote is kept.
        if await answer_stranger(uow, user_id, "stranger.message", clock.now()):
            await uow.commit()
            await message.answer(how_to_join(user_id))
        return
    if text.startswith("/"):
        command = text.split()[0][:40]
        uow.audit.add(
            at=clock.now(),
            action="command.unknown",
            outcome="refused",
            person_id=person.id,
            details={"command": command},
        )
        await uow.commit()
        await message.answer(
            _("I don't know the command {command}. Send /help to see what you can do.").format(
                command=command
            )
        )
        return
    today = clock.now().astimezone(timezone).date()  # an archived roadmap's measures: no hint
    if may_use(Role(person.role), Command.REPORT) and await my_occurrences(
        uow, person, limit=1, today=today
    ):
        await message.answer(lost_conversation_hint(message), reply_markup=start_report_button())
        return
    await message.answer(_("I didn't understand that. Send /help to see what you can do."))


async def on_unknown_button(
    query: CallbackQuery, person: Person | None, uow: UnitOfWork, clock: Clock
) -> None:
    """Outdated, forged or foreign buttons: say so, change nothing, keep a trace."""
    if person is None:
        # A stranger's press is traced like their messages: once per quiet spell, and
        # nothing of what the button carried (it may be anything they forged) is kept.
        if await answer_stranger(uow, query.from_user.id, "stranger.button", clock.now()):
            await uow.commit()
        await query.answer(how_to_join(query.from_user.id)[:200], show_alert=True)
        return
    uow.audit.add(
        at=clock.now(),
        action="button.unknown",
        outcome="refused",
        person_id=person.id,
        user_address=query.from_user.id,
        details={"data": (query.data or "")[:64]},
    )
    await uow.commit()
    await query.answer(
        _("This button is no longer valid. Send /help to start again."), show_alert=True
    )
