"""``roadmap-bot deadlines``: one deadline text per input line -> one JSON object per line."""

from __future__ import annotations

import json
from typing import TextIO

from domain.deadlines import MonthDay, Period, Schedule, read_deadline


def schedule_json(text: str, schedule: Schedule) -> dict[str, object]:
    return {
        "text": text,
        "kind": schedule.kind.value,
        "due": [day.isoformat() for day in schedule.due],
        "start": schedule.start.isoformat() if schedule.start else None,
    }


def print_deadlines(source: TextIO, out: TextIO, period: Period, annual_due: MonthDay) -> int:
    for line in source:
        text = line.rstrip("\r\n")
        schedule = read_deadline(text, period, annual_due)
        out.write(json.dumps(schedule_json(text, schedule), ensure_ascii=False) + "\n")
    out.flush()
    return 0
