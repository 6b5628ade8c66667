"""An indicator table's rows -> indicators: numbering rows, repeated headers and section rows
(«Задача 1. …», «Подпрограмма …» merged across the table) are skipped; each other row with a
name is one indicator with its unit, base, targets and direction."""

from __future__ import annotations

import re
from collections.abc import Sequence

from domain.indicators.draft import IndicatorDraft, Role, Value
from domain.indicators.header import Grid, Header, is_column_numbers, normal
from domain.indicators.values import (
    NUMBER_AT_START,
    direction_mark,
    infer_direction,
    one_line,
    printed,
    unit_from_name,
    unit_from_targets,
    year_of,
)

_SECTION_WORDS = re.compile(
    r"^(?:\d{1,2}(?:\.\d{1,2})*\.?\s+)?(?:цель|цели|задача|задачи|подпрограмма|муниципальная\s+"
    r"программа|государственная\s+программа|направление|раздел|основное\s+мероприятие|"
    r"региональный\s+проект|федеральный\s+проект|комплекс\s+процессных|блок)\b",
    re.IGNORECASE,
)
_VALUE_IN_PARENS = re.compile(
    r"^(?P<value>.+?)\s*\((?:на\s+)?(?P<year>(?:19|20)\d{2})\s*(?:г\.?|год\w*)?\)$"
)
_VALUE_ROLES = (Role.UNIT, Role.BASE, Role.TARGET, Role.TARGET_TEXT, Role.DIRECTION)


def read_rows(header: Header, rows: Grid) -> list[IndicatorDraft]:
    """The indicators under the header (``rows`` come after it)."""
    name = header.index(Role.NAME)
    if name is None:
        return []
    number = header.index(Role.NUMBER)
    hierarchy = header.index(Role.SECTION)
    values = {c.index for c in header.columns if c.role in _VALUE_ROLES}
    width = max((c.index for c in header.columns), default=0) + 1
    drafts: list[IndicatorDraft] = []
    section: str | None = None
    for raw in rows:
        cells = tuple(raw) + ("",) * max(0, width - len(raw))
        texts = [c for i, c in enumerate(cells) if c and i != hierarchy]
        if not texts or is_column_numbers(texts) or _repeats_header(cells, header):
            continue
        if hierarchy is not None and cells[hierarchy]:
            section = one_line(cells[hierarchy])
        heading = _section_row(cells, texts, name, number, values)
        if heading is not None:
            section = heading
            continue
        if not cells[name]:
            continue
        ordinal = one_line(cells[number]).rstrip(".") if number is not None else ""
        drafts.append(
            indicator(cells, header, ordinal or str(len(drafts) + 1), section, None, number)
        )
    return _without_headings(drafts)


def _without_headings(drafts: list[IndicatorDraft]) -> list[IndicatorDraft]:
    """«1 | Развитие общего образования» with no values, followed by «1.1», «1.2»: a heading
    numbered like the indicators under it, not an indicator."""
    kept = []
    for position, draft in enumerate(drafts):
        empty = not (draft.unit or draft.base or draft.targets)
        prefix = draft.number.rstrip(".") + "."
        if empty and any(d.number.startswith(prefix) for d in drafts[position + 1 :]):
            continue
        kept.append(draft)
    return kept


def indicator(
    cells: Sequence[str],
    header: Header,
    number: str,
    section: str | None,
    measure: str | None,
    number_column: int | None = None,
) -> IndicatorDraft:
    name_index = header.index(Role.NAME)
    assert name_index is not None
    name = one_line(cells[name_index])
    if number_column is None and (start := NUMBER_AT_START.match(name)):
        number, name = start[1], name[start.end() :]  # «1. Охват дошкольным …» in the name
    unit_index = header.index(Role.UNIT)
    unit = (printed(cells[unit_index]) or "") if unit_index is not None else ""
    if not unit:
        name, unit = unit_from_name(name)
    base = _base(cells, header)
    targets = tuple(
        Value(column.year, value)
        for column in header.columns
        if column.role in (Role.TARGET, Role.TARGET_TEXT)
        and (value := printed(cells[column.index])) is not None
    )
    if not unit:
        unit = unit_from_targets([t.value for t in targets])
    direction_index = header.index(Role.DIRECTION)
    direction = direction_mark(cells[direction_index]) if direction_index is not None else None
    inferred = direction is None
    if direction is None:
        direction = infer_direction(name, base, targets)
    return IndicatorDraft(
        number=number,
        name=name,
        unit=unit,
        base=base,
        targets=targets,
        direction=direction,
        direction_inferred=inferred and direction is not None,
        measure=measure,
        section=section,
    )


def _base(cells: Sequence[str], header: Header) -> Value | None:
    year_index = header.index(Role.BASE_YEAR)
    for column in header.of(Role.BASE):
        value = printed(cells[column.index])
        if value is None:
            continue
        year = column.year
        if year_index is not None:
            year = year_of(cells[year_index]) or year
        elif year is None and (match := _VALUE_IN_PARENS.match(value)):
            return Value(int(match["year"]), match["value"])  # «78,2 (2019 г.)»
        return Value(year, value)
    return None


def _section_row(
    cells: Sequence[str], texts: list[str], name: int, number: int | None, values: set[int]
) -> str | None:
    """A heading across the table, or a «Задача 1. …» row with no values of its own."""
    if len(set(texts)) == 1 and (len(texts) > 1 or not cells[name]):
        return one_line(texts[0])
    own = [c for i, c in enumerate(cells) if c and i != number]
    if len(set(own)) == 1 and len(own) > 1:  # «| 1. | heading merged over the rest |»
        return one_line(own[0])
    title = one_line(cells[name])
    if title and not any(cells[i] for i in values) and _SECTION_WORDS.match(title):
        return title
    return None


def _repeats_header(cells: Sequence[str], header: Header) -> bool:
    labels = {c.index: normal(c.label.split(" / ")[-1]) for c in header.columns}
    same = [normal(cells[i]) == label for i, label in labels.items() if i < len(cells)]
    return sum(same) >= max(2, len(same) // 2 + 1)
