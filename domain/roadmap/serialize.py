"""A draft as JSON-ready data: what ``roadmap-bot import --dry-run --json`` prints."""

from __future__ import annotations

from typing import Any

from domain.deadlines import Schedule
from domain.indicators.serialize import indicator_to_json, tables_to_json
from domain.roadmap.columns import ColumnUse
from domain.roadmap.draft import AssigneeSpec, MeasureDraft, RoadmapDraft


def draft_to_json(draft: RoadmapDraft) -> dict[str, Any]:
    details = draft.details
    return {
        "title": details.title,
        "order": {
            "number": details.order_number,
            "date": details.order_date.isoformat() if details.order_date else None,
        },
        "period": draft.period.label(),
        "annual_due": (
            f"{details.annual_due.month:02d}-{details.annual_due.day:02d}"
            if details.annual_due
            else None
        ),
        "coordinator": details.coordinator,
        "columns": columns_to_json(draft.columns),
        "sections": [{"number": s.number, "title": s.title} for s in draft.sections],
        "measures": [_measure(m) for m in draft.measures],
        "indicators": [indicator_to_json(i) for i in draft.indicators],
        # Which indicators' directions were inferred from their figures and wording, not read.
        "indicators_direction_inferred": [
            i.number for i in draft.indicators if i.direction_inferred
        ],
        "indicator_columns": tables_to_json(draft.indicator_tables),
        "warnings": [
            {"code": w.code.value, "measure": w.measure, "text": w.text} for w in draft.warnings
        ],
    }


def columns_to_json(uses: tuple[ColumnUse, ...]) -> list[dict[str, Any]]:
    """The mapping the import used: column numbers as a person counts them, from 1."""
    return [
        {
            "column": use.index + 1,
            "header": use.label,
            "role": use.column.value,
            "source": use.source.value,
        }
        for use in uses
    ]


def schedule_to_json(schedule: Schedule) -> dict[str, Any]:
    return {
        "kind": schedule.kind.value,
        "due": [day.isoformat() for day in schedule.due],
        "start": schedule.start.isoformat() if schedule.start else None,
    }


def _measure(measure: MeasureDraft) -> dict[str, Any]:
    return {
        "number": measure.number,
        "section": measure.section,
        "title": measure.title,
        "deadline_text": measure.deadline_text,
        "schedule": schedule_to_json(measure.schedule),
        "responsible_text": measure.responsible_text,
        "assignees": [_assignee(a) for a in measure.assignees],
        "result": measure.result,
        "control": measure.control,
        "from_order": measure.from_order,
    }


def _assignee(spec: AssigneeSpec) -> dict[str, str]:
    data = {"kind": spec.kind.value, "text": spec.text}
    for key in ("name", "position", "tag"):
        if getattr(spec, key):
            data[key] = getattr(spec, key)
    if spec.capacity != "responsible":
        data["capacity"] = spec.capacity
    return data
