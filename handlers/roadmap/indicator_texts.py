"""The indicators an import found, and how each column of their table was understood, in the
reader's language."""

from __future__ import annotations

from domain.indicators.draft import (
    ColumnRole,
    IndicatorDraft,
    IndicatorTable,
    Role,
    Source,
    Value,
)
from domain.labels import shorten
from handlers.common.translation import N_
from handlers.common.translation import gettext as _

MAX_SHOWN = 8
# The preview is one chat message (Telegram takes 4,096 characters) with the measures' part
# before this one: the indicators' part stays within this many, the rest is counted.
BUDGET = 1800

ROLES: dict[Role, str] = {
    Role.NUMBER: N_("number"),
    Role.NAME: N_("indicator"),
    Role.UNIT: N_("unit"),
    Role.BASE: N_("base value"),
    Role.BASE_YEAR: N_("base year"),
    Role.TARGET: N_("target"),
    Role.TARGET_TEXT: N_("target value"),
    Role.DIRECTION: N_("higher or lower is better"),
    Role.SECTION: N_("section"),
    Role.UNUSED: N_("not used"),
}


def indicator_column_lines(table: IndicatorTable) -> list[str]:
    """«Столбец «2025» → плановое значение (2025 год)», numbered as a person counts columns; a
    run of year columns is one line."""
    lines = []
    columns = list(table.columns)
    position = 0
    while position < len(columns):
        column = columns[position]
        run = [column]
        while (
            column.role is Role.TARGET
            and position + len(run) < len(columns)
            and columns[position + len(run)].role is Role.TARGET
            and column.source is columns[position + len(run)].source
        ):
            run.append(columns[position + len(run)])
        lines.append(_run_line(run) if len(run) > 2 else _column_line(column))
        if len(run) <= 2:
            run = [column]
        position += len(run)
    return lines


def _column_line(column: ColumnRole) -> str:
    label = shorten(column.label, 50) or _("column {number}").format(number=column.index + 1)
    role = _(ROLES[column.role])
    if column.year is not None and column.role in (Role.TARGET, Role.BASE):
        role = _("{role} for {year}").format(role=role, year=column.year)
    if column.source is Source.CHOSEN:
        role = _("{role} (as you chose)").format(role=role)
    return _("{number}. Column «{label}» → {role}").format(
        number=column.index + 1, label=label, role=role
    )


def _run_line(run: list[ColumnRole]) -> str:
    years = ", ".join(str(c.year) for c in run if c.year is not None)
    return _("{first}–{last}. Columns «{label}» … → targets for {years}").format(
        first=run[0].index + 1,
        last=run[-1].index + 1,
        label=shorten(run[0].label, 40),
        years=years,
    )


def indicator_preview_lines(
    indicators: tuple[IndicatorDraft, ...], tables: tuple[IndicatorTable, ...]
) -> list[str]:
    if not tables:
        return []
    lines = [_("Target indicators: {count}").format(count=len(indicators))]
    for table in tables:
        lines.append(
            _("Indicators on the measures' rows:")
            if table.in_measures
            else _("Table {number} of indicators:").format(number=table.table_index + 1)
        )
        lines.extend(f"  {line}" for line in indicator_column_lines(table))
    shown = 0
    used = sum(len(line) + 1 for line in lines)
    for indicator in indicators[:MAX_SHOWN]:
        line = _indicator_line(indicator)
        if used + len(line) > BUDGET:
            break
        lines.append(line)
        used += len(line) + 1
        shown += 1
    if len(indicators) > shown:
        lines.append(_("… and {count} more").format(count=len(indicators) - shown))
    return lines


def _indicator_line(indicator: IndicatorDraft) -> str:
    parts = [f"{indicator.number}. {shorten(indicator.name, 90)}"]
    if indicator.unit:
        parts[0] += f", {indicator.unit}"
    if indicator.base:
        parts.append(_("base {value}").format(value=_value(indicator.base)))
    if indicator.targets:
        parts.append(
            _("targets {values}").format(
                values="; ".join(_value(t) for t in indicator.targets[:4])
                + (" …" if len(indicator.targets) > 4 else "")
            )
        )
    else:
        parts.append(_("no targets"))
    if indicator.measure:
        parts.append(_("measure {number}").format(number=indicator.measure))
    return "— " + ", ".join(parts)


def _value(value: Value) -> str:
    text = shorten(value.value, 40)
    return f"{value.year}: {text}" if value.year is not None else text
