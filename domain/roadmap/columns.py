"""Columns recognised by meaning, not by one spelling of their header."""

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


# Checked in this order: «Контроль выполнения мероприятия» is control, not a title;
# «Показатель реализации» is a result, «Период реализации» a deadline.
_MEANINGS: tuple[tuple[Column, re.Pattern[str]], ...] = (
    (Column.CONTROL, re.compile(r"контрол")),
    (Column.RESULT, re.compile(r"результат|показател|эффект")),
    (
        Column.DEADLINE,
        re.compile(r"срок|период|дата|когда|время"),
    ),
    (Column.COORDINATION, re.compile(r"координац")),
    (Column.RESPONSIBLE, re.compile(r"ответствен|исполнител|участ|кто\b|соисполн")),
    (Column.TITLE, re.compile(r"мероприят|событи|наименован|предмет|содержан|действи|задач")),
    (Column.NUMBER, re.compile(r"^(?:№|n|no|#)\s*(?:п\s*/\s*п)?\.?$|^п\s*/\s*п$")),
)


def meaning(header: str) -> Column | None:
    text = one_line(header).lower().replace("ё", "е")
    for column, pattern in _MEANINGS:
        if pattern.search(text):
            return column
    return None


@dataclass(frozen=True, slots=True)
class Layout:
    """Which cell index holds what. Several responsible columns are allowed."""

    number: int | None
    title: int
    deadline: int | None
    responsible: tuple[tuple[int, Column], ...]
    result: int | None
    control: int | None
    header: tuple[str, ...]


def recognise_header(cells: tuple[str, ...]) -> Layout | None:
    """A header row names a title column and at least two other known columns."""
    found: dict[Column, list[int]] = {}
    for index, cell in enumerate(cells):
        column = meaning(cell) if cell.strip() else None
        if column is not None:
            found.setdefault(column, []).append(index)
    if Column.TITLE not in found or len(found) < 3:
        return None
    responsible = tuple(
        (index, column)
        for column in (Column.COORDINATION, Column.RESPONSIBLE)
        for index in found.get(column, [])
    )
    return Layout(
        number=_first(found, Column.NUMBER),
        title=found[Column.TITLE][0],
        deadline=_first(found, Column.DEADLINE),
        responsible=tuple(sorted(responsible)),
        result=_first(found, Column.RESULT),
        control=_first(found, Column.CONTROL),
        header=cells,
    )


def _first(found: dict[Column, list[int]], column: Column) -> int | None:
    indices = found.get(column)
    return indices[0] if indices else None
