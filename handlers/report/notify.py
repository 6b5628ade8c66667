"""Telling coordinators about new reports and requests, each in their own language."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from handlers.common.texts import status_name
from storage.usecases.reports import ReportCard

logger = logging.getLogger(__name__)


async def tell_each_coordinator(
    i18n: I18n,
    coordinators: Sequence[tuple[int, str | None]],
    send: Callable[[int], Awaitable[object]],
) -> int:
    """``send(chat_id)`` for each coordinator (chat, language), with their language current;
    one who cannot be reached does not stop the others. Returns how many were reached."""
    reached = 0
    for chat_id, locale in coordinators:
        with i18n.context(), i18n.use_locale(locale or i18n.default_locale):
            try:
                await send(chat_id)
                reached += 1
            except TelegramAPIError as error:
                logger.warning("could not reach coordinator %s: %s", chat_id, error)
    return reached


async def notify_coordinators(
    bot: Bot,
    coordinators: Sequence[tuple[int, str | None]],
    render: Callable[[], str],
    keyboard: Callable[[], InlineKeyboardMarkup],
) -> None:
    """Each coordinator gets ``render()`` in their language. Fetch them inside the transaction
    that saved what they are told about, so no second one is opened here."""

    async def send(chat_id: int) -> None:
        await bot.send_message(chat_id, render(), reply_markup=keyboard())

    await tell_each_coordinator(I18n.get_current(no_error=False), coordinators, send)


def report_summary(card: ReportCard) -> str:
    lines = [
        _("New report on {number} ({version})").format(
            number=card.measure_number, version=card.version
        ),
        card.measure_title[:300],
        _("From: {name}{organisation}").format(
            name=card.author, organisation=f" ({card.organisation})" if card.organisation else ""
        ),
        _("Due: {date}").format(date=f"{card.due_on:%d.%m.%Y}"),
        _("Status: {status}").format(status=status_name(card.status)),
        _("Result: {text}").format(text=card.text),
    ]
    if card.evidence_name or card.evidence_url:
        lines.append(
            _("Evidence: {evidence}").format(evidence=card.evidence_name or card.evidence_url)
        )
    return "\n".join(lines)[:4000]
