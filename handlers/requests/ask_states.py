"""The states of /ask: text → who (pick: choosing schools or people) → due → form → confirm."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class AskForm(StatesGroup):
    text = State()
    who = State()
    pick = State()
    due = State()
    form = State()
    confirm = State()
