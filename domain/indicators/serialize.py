"""Indicators as JSON-ready data, under ``indicators`` in ``roadmap-bot import --dry-run --json``."""

from __future__ import annotations

from typing import Any

from domain.indicators.draft import IndicatorDraft, IndicatorTable, Value


def indicator_to_json(indicator: IndicatorDraft) -> dict[str, Any]:
    return {
        "number": indicator.number,
        "name": indicator.name,
        "unit": indicator.unit,
        "base": _value(indicator.base) if indicator.base else None,
        "targets": [_value(target) for target in indicator.targets],
        "direction": indicator.direction.value if indicator.direction else None,
        "measure": indicator.measure,
    }


def tables_to_json(tables: tuple[IndicatorTable, ...]) -> list[dict[str, Any]]:
    """How each indicator table's columns were understood, columns counted from 1."""
    return [
        {
            "table": table.table_index + 1,
            "in_measures": table.in_measures,
            "columns": [
                {
                    "column": column.index + 1,
                    "header": column.label,
                    "role": column.role.value,
                    "year": column.year,
                    "source": column.source.value,
                }
                for column in table.columns
            ],
        }
        for table in tables
    ]


def _value(value: Value) -> dict[str, Any]:
    return {"year": value.year, "value": value.value}
