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


class FiguresForm(StatesGroup):
    """An indicator's figures: the numerator (or the count), the denominator, and a check when
    they are far from the school's own a year before."""

    numerator = State()
    denominator = State()
    unusual = State()
