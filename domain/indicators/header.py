"""An indicator table's header: where it is, and what each column holds.

Public programmes print them in many ways: «Наименование целевого индикатора (показателя) | Ед.
измерения | Направленность | Значения индикаторов» over «отчетный год | текущий год …» over
«2020 | 2021 …»; «Целевые индикаторы | Исходное значение (2019) | 2020 | 2021»; «Показатель |
Единица измерения (по ОКЕИ) | Базовое значение» over «значение | год», then «Период, год» over
«2025 … 2030», «Нарастающий итог», «Ответственный»; «Показатели | Фактическое значение на 2010
г. | год» over the years. A header cell is read with the cells above it (its group).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from domain.indicators.draft import ColumnRole, IndicatorChoice, Role, Source

Grid = Sequence[tuple[str, ...]]

YEAR = re.compile(r"(?<![\d.,])((?:19|20)\d{2})(?![\d.,])")
_INDICATOR = re.compile(r"показател|индикатор")
_MEASURE = re.compile(r"мероприят|\bсрок|\bдат[аы]\b|содержани\w*\s+работ|\bдействи")
_NAME = re.compile(r"наименован|показател|индикатор|критери")
_UNIT = re.compile(r"ед\.?\s*изм|единиц\w*\s+измерен|^ед\.?$|океи|размерност")
_BASE = re.compile(r"базов|исходн|факт|отчетн")
_TARGET = re.compile(
    r"значени|планов|прогноз|целев\w*\s+(?:уров|ориентир)|ожидаем|результативн|реализац"
)
_DIRECTION = re.compile(r"возрастан|убыван|направленност|тенденци|желаем")
_UNUSED = re.compile(
    r"ответствен|исполнител|источник|информацион|уровень|уровн|нарастающ|итог|всего|методик|"
    r"расчет|принадлежност|связь|примечан|весов|периодичн|\bвид\b|\bтип\b|документ"
)
_SECTION = re.compile(r"^(?:цел[ьи]|задач|подпрограмм|направлени|раздел)")
_NUMBER = re.compile(r"^(?:№|n|no|#|номер)\s*(?:п\s*/?\s*п)?\.?$|^п\s*/\s*п$|^пп$")
_YEAR_CELL = re.compile(r"^(?:на\s+)?((?:19|20)\d{2})\s*(?:г\.?|год\w*)?(?:\s*\(?[^()]{0,30}\)?)?$")
_FIGURE = re.compile(r"^[<>≥≤]?\s*-?\d[\d\s]*(?:[.,]\d+)?\s*%?$")
_HEADER_WORDS = re.compile(
    r"наименован|ед\.?\s*изм|единиц\w*\s+измерен|значени|базов|исходн|^год\w*$|по\s+годам|"
    r"план|факт|прогноз|оценк|возрастан|убыван|^№"
)
_MAX_HEADER_ROWS = 4
_SEARCH_ROWS = 20


def normal(text: str) -> str:
    return " ".join(text.split()).lower().replace("ё", "е")


@dataclass(frozen=True, slots=True)
class Header:
    start: int
    depth: int
    columns: tuple[ColumnRole, ...]

    def index(self, role: Role) -> int | None:
        return next((c.index for c in self.columns if c.role is role), None)

    def of(self, role: Role) -> list[ColumnRole]:
        return [c for c in self.columns if c.role is role]


def find_header(grid: Grid, choice: IndicatorChoice | None = None) -> Header | None:
    """The header of an indicator table at the top of ``grid``, or None when the grid is not
    one (a table of measures, of people, of anything else)."""
    candidates = [r for r, row in enumerate(grid[:_SEARCH_ROWS]) if len({c for c in row if c}) >= 2]
    # A table starts with its header, under a few lines of title («Приложение 1 | Таблица 1»):
    # a row further down that mentions «показатели» is a measure's text, not a header.
    for start in candidates[:4]:
        row = grid[start]
        texts = [normal(c) for c in row]
        if any(_MEASURE.search(t) for t in texts):
            return None  # a table of measures
        name = next(
            (i for i, t in enumerate(texts) if t and len(t) <= 150 and _INDICATOR.search(t)),
            None,
        )
        if name is None:
            if len([t for t in texts if t]) >= 3:
                return None  # the header of another kind of table, or its data
            continue
        depth = header_depth(grid, start, name)
        header_rows = grid[start : start + depth]
        if any(_MEASURE.search(normal(c)) for r in header_rows for c in r):
            return None
        columns = classify(header_rows, choice or {})
        useful = {Role.TARGET, Role.TARGET_TEXT, Role.BASE, Role.UNIT, Role.DIRECTION}
        if any(c.role is Role.NAME for c in columns) and any(c.role in useful for c in columns):
            return Header(start, depth, columns)
        return None
    return None


def header_depth(grid: Grid, start: int, name: int) -> int:
    """Rows under the first that still belong to the header: the name cell merged down over
    them, or a row of years and short header words under group cells, with no figures."""
    depth = 1
    top = grid[start]
    while depth < _MAX_HEADER_ROWS and start + depth < len(grid):
        row = grid[start + depth]
        filled = [c for c in row if c]
        if not filled or is_column_numbers(filled):
            break
        if _numbered(row, top):
            break  # «1. | Доля … | % | …» under «№ п/п»: the first indicator, not the header
        cell = row[name] if name < len(row) else ""
        texts = [normal(c) for c in filled]
        years = any(_YEAR_CELL.match(t) for t in texts)
        short = all(len(c) <= 60 for c in filled if c not in top)
        figures = any(_FIGURE.match(t) and not _YEAR_CELL.match(t) for t in texts)
        words = any(_HEADER_WORDS.search(t) for t in texts)
        merged = cell == top[name] if name < len(top) else False
        if not short or figures or not (merged or years or words):
            break
        depth += 1
    return depth


_ROW_NUMBER = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?$")
_NUMBER_HEADER = re.compile(r"№|п/п|номер")


def _numbered(row: Sequence[str], top: Sequence[str]) -> bool:
    """A row numbered in the column headed «№»: data, however short and wordy its cells."""
    return bool(
        row and top and _ROW_NUMBER.match(row[0].strip()) and _NUMBER_HEADER.search(normal(top[0]))
    )


def is_column_numbers(filled: Sequence[str]) -> bool:
    """The «1 2 3 4 5» row under many headers."""
    return (
        len(filled) >= 3
        and all(c.strip().isdigit() for c in filled)
        and [int(c) for c in filled] == list(range(int(filled[0]), int(filled[0]) + len(filled)))
    )


def classify(header_rows: Grid, choice: IndicatorChoice) -> tuple[ColumnRole, ...]:
    width = max((len(r) for r in header_rows), default=0)
    columns: list[ColumnRole] = []
    for index in range(width):
        cells: list[str] = []
        for row in header_rows:
            text = " ".join(row[index].split()) if index < len(row) else ""
            if text and text not in cells:
                cells.append(text)
        if not cells:
            continue
        role, year = _role(cells)
        columns.append(ColumnRole(index, " / ".join(cells), role, year))
    return _settle(columns, choice)


def _role(cells: list[str]) -> tuple[Role, int | None]:
    """A column's role from its header cells, top (group) to bottom (its own)."""
    texts = [normal(c) for c in cells]
    leaf, label = texts[-1], " ".join(texts)
    leaf_year = _YEAR_CELL.match(leaf)
    years = YEAR.findall(label)
    if _DIRECTION.search(leaf):
        return Role.DIRECTION, None
    if _UNIT.search(leaf):
        return Role.UNIT, None
    if _NUMBER.match(leaf):
        return Role.NUMBER, None
    if _UNUSED.search(leaf) and not leaf_year:
        return Role.UNUSED, None
    if leaf_year:
        year = int(leaf_year[1])
        return (Role.BASE if _BASE.search(label) else Role.TARGET), year
    if _BASE.search(label):
        if re.match(r"^год\w*$", leaf):
            return Role.BASE_YEAR, None
        return Role.BASE, int(years[-1]) if years else None
    if "наименован" in leaf:
        return Role.NAME, None
    if _TARGET.search(leaf):
        return (Role.TARGET, int(years[0])) if len(set(years)) == 1 else (Role.TARGET_TEXT, None)
    if _NAME.search(leaf):
        return Role.NAME, None
    if _SECTION.search(leaf):
        return Role.SECTION, None
    return Role.UNUSED, None


def _settle(columns: list[ColumnRole], choice: IndicatorChoice) -> tuple[ColumnRole, ...]:
    """One name column (the rightmost of several: «Цели и задачи | Показатели»), one base; the
    coordinator's choice overrides the header."""
    names = [c for c in columns if c.role is Role.NAME]
    settled: list[ColumnRole] = []
    for column in columns:
        role = column.role
        if role is Role.NAME and column is not names[-1]:
            role = Role.SECTION if column.index < names[-1].index else Role.UNUSED
        settled.append(ColumnRole(column.index, column.label, role, column.year))
    bases = [c for c in settled if c.role is Role.BASE]
    if len(bases) > 1:  # «2018 (факт) | 2019 (факт)»: the latest is the base
        keep = bases[-1].index
        settled = [
            ColumnRole(c.index, c.label, Role.UNUSED, c.year)
            if c.role is Role.BASE and c.index != keep
            else c
            for c in settled
        ]
    for role, index in choice.items():
        settled = [
            ColumnRole(c.index, c.label, Role.UNUSED, c.year) if c.role is role else c
            for c in settled
        ]
        settled = [
            ColumnRole(c.index, c.label, role, c.year, Source.CHOSEN) if c.index == index else c
            for c in settled
        ]
    return tuple(settled)
