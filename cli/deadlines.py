"""``roadmap-bot deadlines``: one deadline text per input line -> one JSON object per line."""

from __future__ import annotations

import argparse
import json

from domain.deadlines import MonthDay, Period, Schedule, read_deadline
from domain.deadlines.model import DECEMBER_31

# Not ``from typing import TYPE_CHECKING``: importing typing alone costs this command 2 ms of
# its ~35 ms budget above Python's own start (bench: at most 3× ``python -c pass``).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO


def period_argument(text: str) -> Period:
    try:
        return Period.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def month_day_argument(text: str) -> MonthDay:
    try:
        return MonthDay.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_deadline_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--period", required=True, type=period_argument, help="2026-2030, 2025 or 2025/2026"
    )
    parser.add_argument(
        "--annual-due",
        type=month_day_argument,
        default=DECEMBER_31,
        help="yearly report date, MM-DD",
    )


def deadlines_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="roadmap-bot deadlines",
        description="read deadline texts from stdin (one per line), print JSON lines",
    )
    add_deadline_arguments(parser)
    return parser


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
