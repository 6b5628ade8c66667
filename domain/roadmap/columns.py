"""Column headers read by meaning: a broad vocabulary of how education departments name them.

The words come from the headers of public «дорожные карты», «планы мероприятий» and «комплексы
мер» of municipalities and regions: «Наименование мероприятия», «Содержание работы», «Сроки
исполнения», «Дата проведения», «Ответственный исполнитель», «ФИО ответственного», «Ожидаемый
результат», «Итоговый документ», «Форма контроля», «Направление», «Задача», «Примечание»,
«Место проведения», «Участники», «Источник финансирования», «Отметка о выполнении» ...
A header no pattern knows is not fatal: the cells below it decide (see ``recognise``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from domain.roadmap.cells import one_line


class Column(StrEnum):
    NUMBER = "number"
    TITLE = "title"
    DEADLINE = "deadline"
    RESPONSIBLE = "responsible"
    COORDINATION = "coordination"
    RESULT = "result"
    CONTROL = "control"
    SECTION = "section"  # a hierarchy column: direction, goal or task merged down over its rows
    UNUSED = "unused"  # place, participants, notes, financing, a completion mark


# Checked in this order, so that «Контроль выполнения мероприятия» is control, not a title,
# «Показатель реализации» a result, «Период реализации» a deadline, «Место проведения
# мероприятия» unused and «Ответственные и участники» responsible.
_MEANINGS: tuple[tuple[Column, re.Pattern[str]], ...] = (
    (
        Column.UNUSED,
        re.compile(
            r"примечан|отметк|место\s+провед|^место\b|источник|финансир|стоимост|бюджет|"
            r"информаци\w*\s+о\s+(?:выполн|исполн|ходе)|статус|целев\w*\s+(?:аудитор|групп)|"
            r"категори\w*\s+участ|охват|ресурс"
        ),
    ),
    (Column.CONTROL, re.compile(r"контрол")),
    (
        Column.RESULT,
        re.compile(
            r"результат|показател|индикатор|эффект|итогов\w*\s+документ|продукт|выходн|"
            r"форм\w*\s+(?:отчет|представлен|завершен)|вид\w*\s+документ|отчетн\w*\s+документ"
        ),
    ),
    (Column.DEADLINE, re.compile(r"срок|период|дата|когда|время|месяц|квартал|график")),
    (Column.COORDINATION, re.compile(r"координац|куратор")),
    (
        Column.RESPONSIBLE,
        re.compile(
            r"ответствен|исполнител|соисполн|участие|кто\b|фио|ф\.\s*и\.\s*о|лиц[оа]\b|"
            r"организатор"
        ),
    ),
    (Column.UNUSED, re.compile(r"участник|аудитори")),
    (
        Column.SECTION,
        re.compile(r"^(?:приоритетн\w*\s+)?(?:направлени|задач|цел[ьи]\b|раздел|блок|этап|модул)"),
    ),
    (
        Column.TITLE,
        re.compile(
            r"мероприят|событи|наименован|предмет|содержан|действи|\bмер[аы]?\b|\bтема\b|"
            r"деятельност|форм\w*\s+работ|перечень|вопрос"
        ),
    ),
    (Column.NUMBER, re.compile(r"^(?:№|n|no|#|номер)\s*(?:п\s*/?\s*п)?\.?$|^п\s*/\s*п$|^пп$")),
)

ROLES_NEEDED = (Column.TITLE, Column.DEADLINE)


def meaning(header: str) -> Column | None:
    text = normal(header)
    if not text:
        return None
    for column, pattern in _MEANINGS:
        if pattern.search(text):
            return column
    return None


def normal(text: str) -> str:
    return one_line(text).lower().replace("ё", "е")


class Source(StrEnum):
    HEADER = "header"  # the header says so
    CONTENT = "content"  # the cells say so (the header was unknown or silent)
    CHOSEN = "chosen"  # the coordinator said so


@dataclass(frozen=True, slots=True)
class ColumnUse:
    index: int
    label: str  # the header as a person reads it, group cells first: «Мероприятия / Сроки»
    column: Column
    source: Source


@dataclass(frozen=True, slots=True)
class Layout:
    """Which cell index holds what. Several responsible columns are allowed."""

    number: int | None
    title: int
    deadline: int | None
    responsible: tuple[tuple[int, Column], ...]
    result: int | None
    control: int | None
    header: tuple[str, ...]  # one label per column
    hierarchy: tuple[int, ...] = ()  # section columns, outermost first
    header_rows: tuple[tuple[str, ...], ...] = ()  # as printed, to skip them when repeated
    uses: tuple[ColumnUse, ...] = ()
    lead: str = ""  # a one-text row right above the header (a title, or a group over it all)

    @property
    def width(self) -> int:
        return len(self.header)
