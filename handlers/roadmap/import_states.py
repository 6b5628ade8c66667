"""The states of a roadmap import: choosing a column, confirming the preview."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class RoadmapImportForm(StatesGroup):
    choosing_column = State()
    confirming = State()
