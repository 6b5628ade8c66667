"""The coordinator accepts a report («снять с контроля») or returns it with a comment; and
approves or rejects a request to move a deadline."""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.requests import is_request_number
from handlers.common.access import refuse_button, refuse_foreign
from handlers.common.callbacks import ExtensionCb, ReviewCb, ReviewOpenCb
from handlers.common.filters import Joined, in_state
from handlers.report.keyboards import report_buttons, review_buttons
from handlers.report.notify import report_summary
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.access import may_decide
from storage.usecases.reports.cards import ReportCard, report_card
from storage.usecases.reports.extensions import decide_extension, extension_decided
from storage.usecases.reports.review import review_done, review_report

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


async def tell(
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
        # The kind of error only: a chat's address is a person's messenger account.
        logger.warning("could not tell a person: %s", type(error).__name__)


def decided(what: str, who: str, at: datetime, timezone: ZoneInfo) -> str:
    """«✅ Принято: Антипина Анна Михайловна, 03.04.2026 10:15» under a card that is done."""
    return f"{what}: {who}, {at.astimezone(timezone):%d.%m.%Y %H:%M}"


async def close_card(bot: Bot, chat_id: int, message_id: int, text: str, line: str) -> None:
    """The card's buttons go, and it says who decided and when, so nobody presses them again."""
    try:
        await bot.edit_message_text(
            chat_id=chat_id,
            message_id=message_id,
            text=f"{text}\n\n{line}"[:4096],
            reply_markup=None,
        )
    except TelegramAPIError as error:  # too old to edit, or deleted: the decision stands anyway
        logger.warning("could not close a card: %s", error)


async def _review_line(uow: UnitOfWork, report_id: int, timezone: ZoneInfo) -> str | None:
    """«✅ Принято: Антипина Анна Михайловна, 03.04.2026 10:15», or None for a replaced one."""
    done = await review_done(uow, report_id)
    if done is None:
        return None
    what = _("✅ Accepted") if done.review == "accepted" else _("↩ Returned for correction")
    return decided(what, done.reviewer, done.at, timezone)


async def _already_reviewed(
    query: CallbackQuery, uow: UnitOfWork, report_id: int, timezone: ZoneInfo
) -> None:
    line = await _review_line(uow, report_id, timezone)
    if line is None:
        await query.answer(
            _("This report was already reviewed or replaced by a newer one."), show_alert=True
        )
        return
    await _answer_decided(
        query, _("This report was already reviewed. {decision}").format(decision=line), line
    )


async def on_review(
    query: CallbackQuery,
    callback_data: ReviewCb,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    state: FSMContext,
    bot: Bot,
    i18n: I18n,
    timezone: ZoneInfo,
) -> None:
    if not await may_decide(uow, person):
        await refuse_button(
            query, uow, clock, person, "report.review", report_id=callback_data.report_id
        )
        return
    card = await _reviewable(uow, callback_data.report_id)
    if card is None or callback_data.action not in ("accept", "return"):
        await _already_reviewed(query, uow, callback_data.report_id, timezone)
        return
    if callback_data.action == "return":
        await state.set_state(ReviewForm.comment)
        card_message = query.message if isinstance(query.message, Message) else None
        await state.update_data(
            report_id=card.report_id,
            card=[card_message.chat.id, card_message.message_id, card_message.text or ""]
            if card_message is not None
            else None,
        )
        await query.answer()
        if query.message is not None:
            await query.message.answer(
                _("Write what should be corrected. {name} will receive your comment.").format(
                    name=card.author
                )
            )
        return
    now = clock.now()
    if not await review_report(uow, card, person, accept=True, comment=None, now=now):
        # Another coordinator decided in the meantime: theirs stands, and only this one is told.
        await uow.rollback()
        await _already_reviewed(query, uow, card.report_id, timezone)
        return
    await uow.commit()
    await query.answer(_("Accepted."))
    if isinstance(query.message, Message):
        await close_card(
            bot,
            query.message.chat.id,
            query.message.message_id,
            query.message.text or "",
            decided(_("✅ Accepted"), person.full_name, now, timezone),
        )
    with i18n.use_locale(card.author_locale or i18n.default_locale):
        await tell(
            bot,
            card.author_chat,
            card.author_locale,
            accepted_text(card.measure_number),
        )


def accepted_text(number: str) -> str:
    if is_request_number(number):
        return _("Your answer to request {number} was accepted. Thank you!").format(number=number)
    return _("Your report on {number} was accepted. Thank you!").format(number=number)


def returned_text(number: str, reviewer: str, comment: str) -> str:
    """Who returned it (the head may want to call them), what they wrote, and what to do."""
    if is_request_number(number):
        text = _(
            "Your answer to request {number} was returned for correction by {reviewer}: "
            "«{comment}»\nPlease correct it and send it again."
        )
    else:
        text = _(
            "Your report on {number} was returned for correction by {reviewer}: "
            "«{comment}»\nPlease correct it and send it again with the buttons below."
        )
    return text.format(number=number, reviewer=reviewer, comment=comment)


async def on_open(
    query: CallbackQuery,
    callback_data: ReviewOpenCb,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
) -> None:
    """A report from the hourly list, shown in full with Accept / Return."""
    if not await may_decide(uow, person):
        await refuse_button(
            query, uow, clock, person, "report.open", report_id=callback_data.report_id
        )
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
    timezone: ZoneInfo,
) -> None:
    if not await may_decide(uow, person):
        await state.clear()
        await message.answer(await refuse_foreign(uow, clock, person, "report.return"))
        return
    comment = (message.text or "").strip()
    if not comment or len(comment) > MAX_COMMENT:
        await message.answer(
            _("Please write the comment as text, up to {limit} characters.").format(
                limit=MAX_COMMENT
            )
        )
        return
    data = await state.get_data()
    card = await _reviewable(uow, int(data.get("report_id", 0)))
    await state.clear()
    now = clock.now()
    if card is not None and not await review_report(
        uow, card, person, accept=False, comment=comment, now=now
    ):
        # Another coordinator decided in the meantime: theirs stands, and only this one is told.
        await uow.rollback()
        card = None
    if card is None:
        line = await _review_line(uow, int(data.get("report_id", 0)), timezone)
        await message.answer(
            _("This report was already reviewed. {decision}").format(decision=line)
            if line is not None
            else _("This report was already reviewed or replaced by a newer one.")
        )
        return
    await uow.commit()
    await message.answer(_("Returned. {name} will receive your comment.").format(name=card.author))
    if data.get("card"):
        chat_id, message_id, text = data["card"]
        line = decided(_("↩ Returned for correction"), person.full_name, now, timezone)
        await close_card(bot, int(chat_id), int(message_id), str(text), line)
    with i18n.use_locale(card.author_locale or i18n.default_locale):
        await tell(
            bot,
            card.author_chat,
            card.author_locale,
            returned_text(card.measure_number, person.full_name, comment),
            report_buttons(
                card.occurrence_id, snooze=False, request=is_request_number(card.measure_number)
            ),
        )


async def on_extension(
    query: CallbackQuery,
    callback_data: ExtensionCb,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    bot: Bot,
    i18n: I18n,
    timezone: ZoneInfo,
) -> None:
    if not await may_decide(uow, person):
        await refuse_button(
            query, uow, clock, person, "extension.decide", request_id=callback_data.request_id
        )
        return
    approve = callback_data.action == "approve"
    now = clock.now()
    request = (
        await decide_extension(uow, callback_data.request_id, person, approve=approve, now=now)
        if callback_data.action in ("approve", "reject")
        else None
    )
    if request is None:
        # Decided already, perhaps a moment ago by another coordinator: say who, change nothing.
        await uow.rollback()
        await _extension_already_decided(query, uow, callback_data.request_id, timezone)
        return
    await uow.commit()
    await query.answer(_("Approved.") if approve else _("Rejected."))
    if isinstance(query.message, Message):
        what = _("✅ Deadline moved") if approve else _("✖ Deadline not moved")
        await close_card(
            bot,
            query.message.chat.id,
            query.message.message_id,
            query.message.text or "",
            decided(what, person.full_name, now, timezone),
        )
    author = await uow.people.get(request.person_id)
    if author is None:
        return
    with i18n.use_locale(author.locale or i18n.default_locale):
        text = (
            _("The coordinator moved your deadline to {date}.")
            if approve
            else _("The coordinator did not move your deadline; it stays as it was.")
        ).format(date=f"{request.requested_on:%d.%m.%Y}")
        await tell(bot, author.chat_address, author.locale, text)


async def _extension_already_decided(
    query: CallbackQuery, uow: UnitOfWork, request_id: int, timezone: ZoneInfo
) -> None:
    done = await extension_decided(uow, request_id)
    if done is None:
        await query.answer(_("This request was already decided."), show_alert=True)
        return
    what = _("✅ Deadline moved") if done.approved else _("✖ Deadline not moved")
    line = decided(what, done.decider, done.at, timezone)
    await _answer_decided(
        query, _("This request was already decided. {decision}").format(decision=line), line
    )


async def _answer_decided(query: CallbackQuery, alert: str, line: str) -> None:
    """The one who decided second: who decided and when, and their card closed with it."""
    await query.answer(alert[:200], show_alert=True)
    if isinstance(query.message, Message) and query.bot is not None:
        await close_card(
            query.bot,
            query.message.chat.id,
            query.message.message_id,
            query.message.text or "",
            line,
        )
