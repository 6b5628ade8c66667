"""Typed button payloads. The ``v1`` prefixes let a later change tell old buttons apart."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class LangCb(CallbackData, prefix="v1lang"):
    locale: str


class InviteRoleCb(CallbackData, prefix="v1inv"):
    role: str


class CancelCb(CallbackData, prefix="v1cancel"):
    pass
