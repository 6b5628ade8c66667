"""Tables of target indicators laid out as public programmes print them, for the tests and
the layout generator: the unit in a column, at the end of the name or inside the target; a
base value with its year in three ways; targets by year (under a group header or not, years
not contiguous) or one column of targets in words; a direction column or none; responsible,
data source, level and «Нарастающий итог» columns; numbering and section rows.

What the importer must read back is the ``PlannedIndicator`` list itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from demo.layouts import Cell, Grid


class UnitForm(StrEnum):
    COLUMN = "column"  # «Ед. изм.» | «%»
    NAME_COMMA = "name_comma"  # «Доля …, %»
    NAME_PARENS = "name_parens"  # «Доля … (процентов)»
    IN_TARGET = "in_target"  # «не менее 80 %»


class BaseForm(StrEnum):
    VALUE_AND_YEAR = "value_and_year"  # «Базовое значение» over «значение | год»
    YEAR_IN_HEADER = "year_in_header"  # «Исходное значение (2023)»
    FACT_YEAR = "fact_year"  # «2023 г. (факт)» beside the years
    NONE = "none"


class TargetForm(StrEnum):
    YEARS_GROUPED = "years_grouped"  # «Значение показателя по годам» over «2024 | 2025 …»
    YEARS_FLAT = "years_flat"  # «2024 год | 2025 год …» in one header row
    TEXT = "text"  # one column: «не менее 80 %»


UNIT_HEADERS = ("Ед. изм.", "Единица измерения", "Единица измерения (по ОКЕИ)")
NAME_HEADERS = (
    "Наименование целевого показателя",
    "Наименование показателя (индикатора)",
    "Целевые индикаторы",
    "Показатель",
)
TARGET_GROUPS = ("Значение показателя по годам", "Плановое значение показателя", "Период, год")
TEXT_TARGET_HEADERS = ("Целевое значение показателя", "Показатель реализации")
EXTRAS = {
    "responsible": ("Ответственный исполнитель", "Управление образования"),
    "source": ("Источник данных", "Мониторинг, статистическая отчётность ОО-1"),
    "level": ("Уровень показателя", "МП"),
    "cumulative": ("Нарастающий итог", "Нет"),
}
# (name, unit, higher is better)
NAMES = (
    ("Доля обучающихся, охваченных дополнительным образованием", "%", True),
    ("Доля обучающихся, занимающихся во вторую смену", "%", False),
    ("Количество школ, в которых созданы центры «Точка роста»", "единиц", True),
    ("Доля педагогов, прошедших диагностику профессиональных дефицитов", "процентов", True),
    ("Доля выпускников, не получивших аттестат о среднем общем образовании", "%", False),
    ("Численность педагогов, прошедших повышение квалификации", "человек", True),
    ("Средний балл ЕГЭ по математике (профильный уровень)", "балл", True),
)
SECTIONS = (
    "Задача 1. Обеспечение доступности качественного общего образования",
    "Задача 2. Развитие кадрового потенциала",
)
BASE_YEAR = 2023


@dataclass(frozen=True)
class PlannedIndicator:
    number: str
    name: str
    unit: str
    base: tuple[int, str] | None
    targets: tuple[tuple[int | None, str], ...]
    up: bool


@dataclass(frozen=True)
class IndicatorLayout:
    unit: UnitForm
    base: BaseForm
    targets: TargetForm
    years: tuple[int, ...]  # not necessarily contiguous: (2024, 2025, 2026, 2030)
    name_header: int
    direction_column: bool
    extras: tuple[str, ...]  # keys of EXTRAS, in order
    sections: bool  # «Задача 1. …» rows merged across the table
    numbering_row: bool  # the «1 2 3 4 …» row under the header


def planned_indicators(count: int, layout: IndicatorLayout) -> list[PlannedIndicator]:
    planned = []
    for index in range(count):
        name, unit, up = NAMES[index % len(NAMES)]
        name = f"{name} в группе {index + 1}" if index >= len(NAMES) else name
        if layout.unit is UnitForm.IN_TARGET:
            unit = "%"
        start = 40 + index
        step = 5 if up else -5
        base = (BASE_YEAR, f"{start},5") if layout.base is not BaseForm.NONE else None
        if layout.targets is TargetForm.TEXT:
            targets: tuple[tuple[int | None, str], ...] = (
                (None, f"{'не менее' if up else 'не более'} {start + step} %"),
            )
        else:
            targets = tuple(
                (year, _figure(start + step * (n + 1), layout))
                for n, year in enumerate(layout.years)
            )
        number = f"{index // 3 + 1}.{index % 3 + 1}" if layout.sections else str(index + 1)
        planned.append(PlannedIndicator(number, name, unit, base, targets, up))
    return planned


def _figure(value: int, layout: IndicatorLayout) -> str:
    return f"{value} %" if layout.unit is UnitForm.IN_TARGET else f"{value},0"


def indicator_grid(indicators: list[PlannedIndicator], layout: IndicatorLayout) -> Grid:
    columns = _columns(layout)
    grid = Grid(len(columns))
    for row in _header(layout, columns):
        grid.add(row)
    if layout.numbering_row:
        grid.add([Cell(str(n + 1)) for n in range(len(columns))])
    section = -1
    for index, indicator in enumerate(indicators):
        if layout.sections and index // 3 != section:
            section = index // 3
            grid.add([Cell(SECTIONS[section % len(SECTIONS)], across=len(columns))])
        grid.add([Cell(_cell(indicator, column, layout)) for column in columns])
    return grid


def _columns(layout: IndicatorLayout) -> list[str]:
    columns = ["number", "name"]
    if layout.unit is UnitForm.COLUMN:
        columns.append("unit")
    if layout.direction_column:
        columns.append("direction")
    if layout.base is BaseForm.VALUE_AND_YEAR:
        columns += ["base", "base_year"]
    elif layout.base is not BaseForm.NONE:
        columns.append("base")
    if layout.targets is TargetForm.TEXT:
        columns.append("target")
    else:
        columns += [f"year:{year}" for year in layout.years]
    return columns + [f"extra:{key}" for key in layout.extras]


def _header(layout: IndicatorLayout, columns: list[str]) -> list[list[Cell]]:
    two_rows = layout.base is BaseForm.VALUE_AND_YEAR or layout.targets is TargetForm.YEARS_GROUPED
    down = 2 if two_rows else 1
    top: list[Cell] = []
    second: list[Cell] = []
    grouped_years = False
    for column in columns:
        if column == "base_year":
            continue
        if column == "base" and layout.base is BaseForm.VALUE_AND_YEAR:
            top.append(Cell("Базовое значение", across=2))
            second += [Cell("значение"), Cell("год")]
        elif column.startswith("year:"):
            year = column.split(":")[1]
            if layout.targets is TargetForm.YEARS_GROUPED:
                if not grouped_years:
                    group = TARGET_GROUPS[layout.name_header % len(TARGET_GROUPS)]
                    top.append(Cell(group, across=len(layout.years)))
                    grouped_years = True
                second.append(Cell(year))
            else:
                top.append(Cell(f"{year} год", down=down))
        else:
            top.append(Cell(_label(column, layout), down=down))
    return [top, second] if two_rows else [top]


def _label(column: str, layout: IndicatorLayout) -> str:
    if column == "number":
        return "№ п/п"
    if column == "name":
        return NAME_HEADERS[layout.name_header % len(NAME_HEADERS)]
    if column == "unit":
        return UNIT_HEADERS[layout.name_header % len(UNIT_HEADERS)]
    if column == "direction":
        return "Признак возрастания/убывания"
    if column == "base":
        if layout.base is BaseForm.YEAR_IN_HEADER:
            return f"Исходное значение ({BASE_YEAR})"
        return f"{BASE_YEAR} г. (факт)"
    if column == "target":
        return TEXT_TARGET_HEADERS[layout.name_header % len(TEXT_TARGET_HEADERS)]
    return EXTRAS[column.split(":")[1]][0]


def _cell(indicator: PlannedIndicator, column: str, layout: IndicatorLayout) -> str:
    if column == "number":
        return f"{indicator.number}."
    if column == "name":
        if layout.unit is UnitForm.NAME_COMMA:
            return f"{indicator.name}, {indicator.unit}"
        if layout.unit is UnitForm.NAME_PARENS:
            return f"{indicator.name} ({indicator.unit})"
        return indicator.name
    if column == "unit":
        return indicator.unit
    if column == "direction":
        return "Возрастание" if indicator.up else "Убывание"
    if column == "base":
        return indicator.base[1] if indicator.base else ""
    if column == "base_year":
        return str(indicator.base[0]) if indicator.base else ""
    if column == "target":
        return indicator.targets[0][1]
    if column.startswith("year:"):
        year = int(column.split(":")[1])
        return next(value for target_year, value in indicator.targets if target_year == year)
    return EXTRAS[column.split(":")[1]][1]
