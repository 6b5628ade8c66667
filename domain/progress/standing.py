"""One occurrence's standing on a given day, from its due date and its latest report."""

from __future__ import annotations

from datetime import date
from enum import StrEnum


class Standing(StrEnum):
    DONE = "done"
    OVERDUE = "overdue"
    IN_PROGRESS = "in_progress"
    NOT_DONE = "not_done"
    NO_ANSWER = "no_answer"


# Charts and tables put what needs the coordinator's attention first.
WORST_FIRST: tuple[Standing, ...] = (
    Standing.OVERDUE,
    Standing.NOT_DONE,
    Standing.NO_ANSWER,
    Standing.IN_PROGRESS,
    Standing.DONE,
)


def standing(due_on: date, latest_report: str | None, closed: bool, today: date) -> Standing:
    """«Done» wins (a report of done, or the occurrence closed); «not done» is what the school
    said, before or after the date, and stays apart; past the due date, no answer and «in
    progress» are overdue; before it, the latest answer counts."""
    if closed or latest_report == "done":
        return Standing.DONE
    if latest_report == "not_done":
        return Standing.NOT_DONE
    if due_on < today:
        return Standing.OVERDUE
    if latest_report == "in_progress":
        return Standing.IN_PROGRESS
    return Standing.NO_ANSWER


def on_time_share(due_dates_done: list[tuple[date, date | None]]) -> float | None:
    """Share of occurrences reported done on or before their due date, among those due so far
    (pairs of due date and the day «done» was reported, ``None`` if not yet)."""
    if not due_dates_done:
        return None
    on_time = sum(1 for due_on, done_on in due_dates_done if done_on and done_on <= due_on)
    return on_time / len(due_dates_done)
