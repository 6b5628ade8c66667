"""Deadlines as calendar events: one all-day event per open occurrence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class DeadlineEvent:
    occurrence_id: int  # makes the event's UID: a refreshed file updates, never duplicates
    due_on: date
    measure_number: str
    measure_title: str
    planned_result: str
    organisation: str | None  # whose deadline, for the coordinator's calendar of all schools
    timezone: str | None = None  # the roadmap's: its due dates are days there
    roadmap: str = ""  # the roadmap's title: with several roadmaps, events say whose they are
