"""«Принять все» under a measure's card or a request in /requests: every answer shown as
awaiting review accepted in one tap, and each author thanked as for a single «Принять»."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n, ngettext
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from handlers.common.access import refuse_button
from handlers.common.callbacks import AcceptAllCb
from handlers.common.filters import Joined
from handlers.report.review import tell
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
) -> None:
    if not await may_decide(uow, person):
        await refuse_button(
            query, uow, clock, person, "report.accept_all", measure_id=callback_data.measure_id
        )
        return
    accepted = await accept_all(
        uow,
        measure_id=callback_data.measure_id,
        upto=callback_data.upto,
        reviewer=person,
        now=clock.now(),
    )
    await uow.commit()
    if not accepted:
        await query.answer(
            _(
                "Nothing new to accept: the answers shown here are already decided. Answers "
                "that came in later are not accepted by this button; open the list again to "
                "see them."
            ),
            show_alert=True,
        )
        return
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(
            ngettext(
                "Accepted {count} answer; its author has been told.",
                "Accepted {count} answers; their authors have been told.",
                len(accepted),
            ).format(count=len(accepted))
        )
    for answer in accepted:
        with i18n.use_locale(answer.author_locale or i18n.default_locale):
            await tell(
                bot,
                answer.author_chat,
                answer.author_locale,
                _("Your report on {number} was accepted. Thank you!").format(
                    number=answer.measure_number
                ),
            )
