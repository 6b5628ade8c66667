"""The figures a written implementation report opens with."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from domain.progress.standing import Standing, standing


@dataclass(frozen=True, slots=True)
class ReportFigures:
    measures: int
    due: int  # occurrences (a measure at a school, a year) due by the report date
    done_on_time: int
    done_late: int
    in_progress: int
    overdue: int
    not_done: int
    waiting: int = 0  # due on the report day itself, no answer yet
    ahead: int = 0  # done before its due date, among those not due yet: outside ``due``

    @property
    def on_time_share(self) -> float | None:
        return self.done_on_time / self.due if self.due else None

    @property
    def adds_up(self) -> bool:
        """The parts of ``due`` sum to it: what a reader checks first."""
        parts = self.done_on_time + self.done_late + self.in_progress + self.overdue
        return parts + self.not_done + self.waiting == self.due


def percent(share: float) -> str:
    """As a ministry reader writes it: «12,5 %», «100 %», one decimal at most, a comma."""
    value = round(share * 100, 1)
    text = f"{value:.1f}".replace(".", ",")
    return f"{text.removesuffix(',0')} %"


@dataclass(frozen=True, slots=True)
class OccurrenceOutcome:
    due_on: date
    latest_report: str | None
    closed: bool
    done_on: date | None  # the day «done» was reported, if it was


def count_figures(
    measures: int, outcomes: Iterable[OccurrenceOutcome], as_of: date
) -> ReportFigures:
    """Done is on time or late by the day it was reported; the rest by its standing on
    ``as_of``. Only occurrences due by then are counted in the parts of ``due``, so the parts
    add up to it; what was done ahead of a later date is counted apart."""
    counts = {"due": 0, "on_time": 0, "late": 0, "in_progress": 0, "overdue": 0, "not_done": 0}
    ahead = ahead_of_answer = 0
    for item in outcomes:
        state = standing(item.due_on, item.latest_report, item.closed, as_of)
        if item.due_on > as_of:
            ahead += state is Standing.DONE
            continue
        counts["due"] += 1
        if state is Standing.DONE:
            late = item.done_on is not None and item.done_on > item.due_on
            counts["late" if late else "on_time"] += 1
        elif state is Standing.IN_PROGRESS:
            counts["in_progress"] += 1
        elif state is Standing.OVERDUE:
            counts["overdue"] += 1
        elif state is Standing.NOT_DONE:
            counts["not_done"] += 1
        else:
            ahead_of_answer += 1
    return ReportFigures(
        measures=measures,
        due=counts["due"],
        done_on_time=counts["on_time"],
        done_late=counts["late"],
        in_progress=counts["in_progress"],
        overdue=counts["overdue"],
        not_done=counts["not_done"],
        waiting=ahead_of_answer,
        ahead=ahead,
    )
