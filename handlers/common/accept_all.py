"""The «Принять все» button, under a measure's card and a request in /requests: it carries what
was shown (handlers/report/accept_all.py accepts no more than that)."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton
from aiogram.utils.i18n import gettext as _

from handlers.common.callbacks import AcceptAllCb
from storage.usecases.reports.accept_all import Pending


def accept_all_button(measure_id: int, pending: Pending) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=_("Accept all ({count})").format(count=pending.count),
        callback_data=AcceptAllCb(measure_id=measure_id, upto=pending.upto).pack(),
    )
