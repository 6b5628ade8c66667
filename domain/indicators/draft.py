"""An indicator as read from a document, before it is saved: plain data, values as printed."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """What a column of an indicator table holds."""

    NUMBER = "number"
    NAME = "name"
    UNIT = "unit"
    BASE = "base"  # the base (initial, actual) value; its year in the header or in BASE_YEAR
    BASE_YEAR = "base_year"
    TARGET = "target"  # the target of one year, the year in the header
    TARGET_TEXT = "target_text"  # one column of targets in words («не менее 80 %»)
    DIRECTION = "direction"  # «Признак возрастания/убывания»
    SECTION = "section"  # a goal or task column merged down over its indicators
    UNUSED = "unused"  # responsible, data source, level, «Нарастающий итог», totals


# The roles a coordinator may point out for an indicator table.
CHOOSABLE = (Role.NAME, Role.UNIT, Role.BASE, Role.TARGET_TEXT)


class Direction(StrEnum):
    UP = "up"  # higher is better
    DOWN = "down"  # lower is better


class Source(StrEnum):
    HEADER = "header"
    CONTENT = "content"
    CHOSEN = "chosen"


@dataclass(frozen=True, slots=True)
class ColumnRole:
    index: int
    label: str  # the header as a person reads it, group cells first
    role: Role
    year: int | None = None  # of a TARGET or BASE column, when its header names one
    source: Source = Source.HEADER


@dataclass(frozen=True, slots=True)
class Value:
    year: int | None
    value: str  # exactly as printed, whitespace normalised


@dataclass(frozen=True, slots=True)
class IndicatorDraft:
    number: str
    name: str
    unit: str
    base: Value | None
    targets: tuple[Value, ...]
    direction: Direction | None
    direction_inferred: bool = False
    measure: str | None = None  # the measure whose row holds it
    section: str | None = None  # the task or subprogramme heading it sits under


@dataclass(frozen=True, slots=True)
class IndicatorTable:
    """One table of indicators (or the indicator columns of the table of measures)."""

    table_index: int
    columns: tuple[ColumnRole, ...]
    in_measures: bool = False  # the indicators sit on the measures' own rows
    # How each indicator is computed («Методика расчета», «Источник данных»), with no values:
    # a description of indicators read elsewhere, neither indicators nor measures.
    describes_only: bool = False

    @property
    def has_targets(self) -> bool:
        return any(c.role in (Role.TARGET, Role.TARGET_TEXT) for c in self.columns)


IndicatorChoice = dict[Role, int]  # a coordinator's answer: role -> column index (0-based)
