"""What a school head hears when a message or file belongs to no conversation in progress."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from handlers.common.callbacks import ReportStartCb


def lost_conversation_hint(message: Message) -> str:
    """A message that belongs to no conversation: most likely an answer to a report whose
    conversation ran out (or was cut off); say so, and how to go on."""
    if message.document is not None or message.photo:
        what = _("I did not save this file: it does not belong to any report in progress.")
    else:
        what = _("I did not save this message: it does not belong to any report in progress.")
    return (
        what
        + "\n"
        + _(
            "If you were writing a report, that conversation was interrupted. Press «Report», "
            "choose the measure and the status, then send your text or file again."
        )
    )


def start_report_button() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=_("Report"), callback_data=ReportStartCb().pack())]
        ]
    )
