"""Telling coordinators about a new report, each in their own language."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from aiogram import Bot
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from domain.requests import is_request_number
from handlers.common.coordinators import tell_each_coordinator
from handlers.common.texts import status_name
from storage.usecases.reports.cards import ReportCard


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
        _summary_heading(card.measure_number, corrected=card.version > 1),
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


def _summary_heading(number: str, *, corrected: bool) -> str:
    """A request's answer is an answer, a measure's a report; a second version is «corrected»
    (people do not count versions)."""
    if is_request_number(number):
        if corrected:
            return _("Corrected answer to request {number}").format(number=number)
        return _("New answer to request {number}").format(number=number)
    if corrected:
        return _("Corrected report on {number}").format(number=number)
    return _("New report on {number}").format(number=number)
