"""Telling coordinators about new reports and requests, each in their own language."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from handlers.texts import status_name
from storage.usecases.reports import ReportCard

logger = logging.getLogger(__name__)


async def notify_coordinators(
    bot: Bot,
    coordinators: Sequence[tuple[int, str | None]],
    render: Callable[[], str],
    keyboard: Callable[[], InlineKeyboardMarkup],
) -> None:
    """Each coordinator (chat, language) gets ``render()`` in their language. Fetch them inside
    the transaction that saved what they are told about, so no second one is opened here."""
    i18n = I18n.get_current(no_error=False)
    for chat_id, locale in coordinators:
        with i18n.use_locale(locale or i18n.default_locale):
            text, markup = render(), keyboard()
        try:
            await bot.send_message(chat_id, text, reply_markup=markup)
        except TelegramAPIError as error:  # one unreachable coordinator must not stop the others
            logger.warning("could not notify coordinator %s: %s", chat_id, error)


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
