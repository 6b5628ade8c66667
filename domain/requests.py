"""The coordinator's requests to schools («прошу в срок до 10.12 предоставить …»): the deadline
as people type it, and who the request goes to."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from domain.deadlines.model import Period, ScheduleKind
from domain.deadlines.reading import read_deadline

_YEAR = re.compile(r"\b(19|20)\d{2}\b")
ROLL_OVER_DAYS = 120


class DueProblem(StrEnum):
    UNREADABLE = "unreadable"  # no single date in it («в течение недели», «к пятнице»)
    PAST = "past"  # a date that has gone
    SEVERAL = "several"  # «ежегодно до 1 ноября»: a request has one deadline


@dataclass(frozen=True, slots=True)
class DueReading:
    due_on: date | None
    problem: DueProblem | None


def read_request_due(text: str, today: date) -> DueReading:
    """One date on or after ``today``. A day and month without a year that have passed this
    year mean next year when that is near («15.01» typed in December); «10.11» typed on 2
    December is a date that has gone, not one eleven months away."""
    period = Period(date(today.year, 1, 1), date(today.year + 1, 12, 31))
    schedule = read_deadline(text, period)
    if schedule.kind is ScheduleKind.RECURRING or len(set(schedule.due)) > 1:
        return DueReading(None, DueProblem.SEVERAL)
    if not schedule.due:
        return DueReading(None, DueProblem.UNREADABLE)
    due = schedule.due[0]
    if due < today and not _YEAR.search(text) and (_next_year(due) - today).days <= ROLL_OVER_DAYS:
        due = _next_year(due)
    if due < today:
        return DueReading(due, DueProblem.PAST)
    return DueReading(due, None)


def _next_year(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


class AddresseeKind(StrEnum):
    ALL = "all"  # every school
    TAG = "tag"  # schools with a tag (ШНОР)
    ORGANISATIONS = "organisations"  # chosen schools
    PEOPLE = "people"  # chosen people


@dataclass(frozen=True, slots=True)
class Addressees:
    kind: AddresseeKind
    tag: str | None = None
    ids: tuple[int, ...] = ()

    def as_json(self) -> dict[str, object]:
        return {"kind": self.kind.value, "tag": self.tag, "ids": list(self.ids)}

    @classmethod
    def from_json(cls, value: dict[str, object]) -> Addressees:
        ids = value.get("ids") or []
        assert isinstance(ids, list)
        tag = value.get("tag")
        return cls(
            AddresseeKind(str(value["kind"])),
            str(tag) if tag else None,
            tuple(int(i) for i in ids),
        )


# A request rides on a measure numbered «З-<request id>» (storage.usecases.requests.lifecycle):
# its number alone says that the school answers a request, not reports on a roadmap measure.
REQUEST_NUMBER_PREFIX = "З-"


def is_request_number(number: str) -> bool:
    """«З-1» is a request; «1.1» or «П3.3» is a measure of the roadmap."""
    return number.startswith(REQUEST_NUMBER_PREFIX)
