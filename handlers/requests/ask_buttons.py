"""The buttons of /ask (AskCb), and the lone «Cancel» that /requests shows too."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from handlers.common.callbacks import AskCb


def ask_button(text: str, action: str, value: int = 0) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=AskCb(action=action, value=value).pack())


def cancel_button() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[ask_button(_("Cancel"), "cancel")]])
