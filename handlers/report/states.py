"""The states of a head's report (ReportForm: what was done → evidence → confirm) and of a
request to move a deadline (ExtensionForm: the date → the reason), and the longest answer either
takes."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup

MAX_TEXT = 2000


class ReportForm(StatesGroup):
    text = State()
    evidence = State()
    confirm = State()


class ExtensionForm(StatesGroup):
    date = State()
    reason = State()
