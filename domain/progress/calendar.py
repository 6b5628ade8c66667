"""Deadlines as calendar events: one all-day event per open occurrence, or, in the
coordinator's calendar of every school, one per measure and date with the number of schools."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
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
    # A coordinator's request, not a measure of an approved plan: the holder of requests under
    # no measure is no second roadmap to name.
    request: bool = False
    organisations: int = 1  # how many organisations share this deadline (one event for all)
    uid_key: str | None = None  # the event's UID when it stands for several occurrences

    @property
    def uid(self) -> str:
        return self.uid_key or f"occurrence-{self.occurrence_id}"


def one_per_measure(events: Iterable[DeadlineEvent]) -> list[DeadlineEvent]:
    """One event per measure and due date, counting the organisations it is due for: three
    schools and ten deadlines on 1 November make ten events, not thirty. The UID depends on
    the measure and the date only, so a school added later updates the event."""
    groups: dict[tuple[str, str, str, date, str | None], list[DeadlineEvent]] = {}
    for event in events:
        key = (
            event.roadmap,
            event.measure_number,
            event.measure_title,
            event.due_on,
            event.timezone,
        )
        groups.setdefault(key, []).append(event)
    merged = []
    for (roadmap, number, title, due_on, _zone), group in groups.items():
        names = {event.organisation for event in group}
        digest = hashlib.sha256(
            f"{roadmap}\n{number}\n{title}\n{due_on:%Y-%m-%d}".encode()
        ).hexdigest()
        merged.append(
            replace(
                group[0],
                organisation=group[0].organisation if len(names) == 1 else None,
                organisations=len(names),
                uid_key=f"deadline-{digest[:24]}",
            )
        )
    return merged
