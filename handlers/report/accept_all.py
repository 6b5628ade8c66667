"""«Принять все» under a measure's card or a request in /requests: every answer shown as
awaiting review accepted in one tap, and each author thanked as for a single «Принять». Under
a request with a spreadsheet form, only answers whose filled form passes the check; the rest
are named, with why, for the coordinator to decide (handlers/requests/checked_answers.py)."""

from __future__ import annotations

from pathlib import Path

from aiogram import Bot, Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n, ngettext
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from handlers.common.access import refuse_button
from handlers.common.callbacks import AcceptAllCb
from handlers.common.filters import Joined
from handlers.report.review import accepted_text, tell
from handlers.requests.checked_answers import left_text, sort_shown
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.access import may_decide
from storage.usecases.reports.accept_all import accept_all


def build_router() -> Router:
    router = Router(name="accept_all")
    router.callback_query.register(on_accept_all, AcceptAllCb.filter(), Joined())
    return router


async def on_accept_all(
    query: CallbackQuery,
    callback_data: AcceptAllCb,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    bot: Bot,
    i18n: I18n,
    evidence_dir: Path,
) -> None:
    if not await may_decide(uow, person):
        await refuse_button(
            query, uow, clock, person, "report.accept_all", measure_id=callback_data.measure_id
        )
        return
    measure_id, upto = callback_data.measure_id, callback_data.upto
    checked = await sort_shown(uow, measure_id, upto, evidence_dir)
    if checked is not None:
        await query.answer()  # its forms are being checked: that may take a few seconds
    accepted = await accept_all(
        uow,
        measure_id=measure_id,
        upto=upto,
        reviewer=person,
        now=clock.now(),
        only=None if checked is None else checked.accept,
    )
    await uow.commit()
    left = left_text(checked.left) if checked is not None else ""
    message = query.message if isinstance(query.message, Message) else None
    if not accepted and not left:
        nothing = _(
            "Nothing new to accept: the answers shown here are already decided. Answers "
            "that came in later are not accepted by this button; open the list again to "
            "see them."
        )
        if checked is None:
            await query.answer(nothing, show_alert=True)
        elif message is not None:
            await message.answer(nothing)
        return
    if checked is None:
        await query.answer()
    if message is not None:
        done = (
            ngettext(
                "Accepted {count} answer; its author has been told.",
                "Accepted {count} answers; their authors have been told.",
                len(accepted),
            ).format(count=len(accepted))
            if accepted
            else _("Nothing was accepted.")
        )
        await message.answer(done + ("\n\n" + left if left else ""))
    for answer in accepted:
        with i18n.use_locale(answer.author_locale or i18n.default_locale):
            # «Ваш ответ на запрос З-1 принят» for a request, as a single «Принять» says.
            await tell(
                bot, answer.author_chat, answer.author_locale, accepted_text(answer.measure_number)
            )
