"""The coordinator accepts a report («снять с контроля») or returns it with a comment; and
approves or rejects a request to move a deadline."""

from __future__ import annotations

import logging

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.roles import Command
from handlers.callbacks import ExtensionCb, ReviewCb, ReviewOpenCb
from handlers.filters import Joined, in_state
from handlers.report_keyboards import report_buttons, review_buttons
from handlers.report_notify import report_summary
from handlers.roles import refuse_unless
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.reports import (
    ReportCard,
    decide_extension,
    pending_extension,
    report_card,
    review_report,
)

logger = logging.getLogger(__name__)
MAX_COMMENT = 2000


class ReviewForm(StatesGroup):
    comment = State()


def build_router() -> Router:
    router = Router(name="report_review")
    router.callback_query.register(on_review, ReviewCb.filter(), Joined())
    router.message.register(on_comment, in_state(ReviewForm.comment), Joined())
    router.callback_query.register(on_extension, ExtensionCb.filter(), Joined())
    router.callback_query.register(on_open, ReviewOpenCb.filter(), Joined())
    return router


async def _reviewable(uow: UnitOfWork, report_id: int) -> ReportCard | None:
    card = await report_card(uow, report_id)
    if card is None or not card.is_latest or card.review != "pending":
        return None
    return card


async def _tell(
    bot: Bot,
    chat_id: int | None,
    locale: str | None,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    if chat_id is None:
        return
    try:
        await bot.send_message(chat_id, text, reply_markup=markup)
    except TelegramAPIError as error:
        logger.warning("could not tell %s: %s", chat_id, error)


async def on_review(
    query: CallbackQuery,
    callback_data: ReviewCb,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    state: FSMContext,
    bot: Bot,
    i18n: I18n,
) -> None:
    if refusal := await refuse_unless(uow, clock, person, Command.MEASURES, "report.review"):
        await query.answer(refusal, show_alert=True)
        return
    card = await _reviewable(uow, callback_data.report_id)
    if card is None or callback_data.action not in ("accept", "return"):
        await query.answer(
            _("This report was already reviewed or replaced by a newer one."), show_alert=True
        )
        return
    if callback_data.action == "return":
        await state.set_state(ReviewForm.comment)
        await state.update_data(report_id=card.report_id)
        await query.answer()
        if query.message is not None:
            await query.message.answer(
                _("Write a comment for {name}: what should be corrected?").format(name=card.author)
            )
        return
    await review_report(uow, card, person, accept=True, comment=None, now=clock.now())
    await uow.commit()
    await query.answer(_("Accepted."))
    with i18n.use_locale(card.author_locale or i18n.default_locale):
        await _tell(
            bot,
            card.author_chat,
            card.author_locale,
            _("Your report on {number} was accepted. Thank you!").format(
                number=card.measure_number
            ),
        )


async def on_open(
    query: CallbackQuery,
    callback_data: ReviewOpenCb,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
) -> None:
    """A report from the hourly list, shown in full with Accept / Return."""
    if refusal := await refuse_unless(uow, clock, person, Command.MEASURES, "report.open"):
        await query.answer(refusal, show_alert=True)
        return
    card = await _reviewable(uow, callback_data.report_id)
    if card is None:
        await query.answer(
            _("This report was already reviewed or replaced by a newer one."), show_alert=True
        )
        return
    await query.answer()
    if query.message is not None:
        await query.message.answer(
            report_summary(card), reply_markup=review_buttons(card.report_id)
        )


async def on_comment(
    message: Message,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    state: FSMContext,
    bot: Bot,
    i18n: I18n,
) -> None:
    if refusal := await refuse_unless(uow, clock, person, Command.MEASURES, "report.return"):
        await state.clear()
        await message.answer(refusal)
        return
    comment = (message.text or "").strip()
    if not comment or len(comment) > MAX_COMMENT:
        await message.answer(
            _("Please write the comment as text, up to {limit} characters.").format(
                limit=MAX_COMMENT
            )
        )
        return
    card = await _reviewable(uow, int((await state.get_data()).get("report_id", 0)))
    await state.clear()
    if card is None:
        await message.answer(_("This report was already reviewed or replaced by a newer one."))
        return
    await review_report(uow, card, person, accept=False, comment=comment, now=clock.now())
    await uow.commit()
    await message.answer(_("Returned to {name} with your comment.").format(name=card.author))
    with i18n.use_locale(card.author_locale or i18n.default_locale):
        await _tell(
            bot,
            card.author_chat,
            card.author_locale,
            _("Your report on {number} was returned: {comment}\nPlease correct it.").format(
                number=card.measure_number, comment=comment
            ),
            report_buttons(card.occurrence_id, snooze=False),
        )


async def on_extension(
    query: CallbackQuery,
    callback_data: ExtensionCb,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    bot: Bot,
    i18n: I18n,
) -> None:
    if refusal := await refuse_unless(uow, clock, person, Command.MEASURES, "extension.decide"):
        await query.answer(refusal, show_alert=True)
        return
    request = await pending_extension(uow, callback_data.request_id)
    if request is None or callback_data.action not in ("approve", "reject"):
        await query.answer(_("This request was already decided."), show_alert=True)
        return
    approve = callback_data.action == "approve"
    await decide_extension(uow, request, person, approve=approve, now=clock.now())
    await uow.commit()
    await query.answer(_("Approved.") if approve else _("Rejected."))
    author = await uow.people.get(request.person_id)
    if author is None:
        return
    with i18n.use_locale(author.locale or i18n.default_locale):
        text = (
            _("The coordinator moved your deadline to {date}.")
            if approve
            else _("The coordinator did not move your deadline; it stays as it was.")
        ).format(date=f"{request.requested_on:%d.%m.%Y}")
        await _tell(bot, author.telegram_chat_id, author.locale, text)
