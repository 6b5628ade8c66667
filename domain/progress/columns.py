"""The official column names of «Таблица 2» (the layout of the implementation report the
region's ministry reads), one set for every output that shows them: the .docx, the .xlsx, a
measure's card and the calendar. Official names are Russian in every language of the bot: they
are the form's, not the interface's."""

from __future__ import annotations

from datetime import date

NUMBER = "№ п/п"
PERIOD = "Период реализации"
MEASURE = "Наименование мероприятия"
RESPONSIBLE = "Муниципальный орган управления образованием; ФИО, должность ответственного"
PLANNED_SHORT = "Прогнозируемый результат"  # where a line, not a table's header, names it
PLANNED = f"{PLANNED_SHORT} (характеристики результата)"
ACTUAL = "Фактический результат"


def actual_on(as_of: date) -> str:
    """Column 6 names the day it speaks of: «Фактический результат на 20.04.2026»."""
    return f"{ACTUAL} на {as_of:%d.%m.%Y}"


def table_2(as_of: date) -> tuple[str, ...]:
    return (NUMBER, PERIOD, MEASURE, RESPONSIBLE, PLANNED, actual_on(as_of))
