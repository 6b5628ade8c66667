"""The day's e-mail: who gets it (people the chat cannot reach) and which deadlines it tells
them of (see ``domain.reminders.email_day``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select

from domain.reminders.calendar import WorkCalendar, russian_calendar
from domain.reminders.email_day import in_todays_email
from domain.reminders.policy import ReminderPolicy
from domain.roles import Role
from storage.models import Assignment, EmailMessage, Measure, Occurrence, Person, Roadmap
from storage.unit_of_work import UnitOfWork
from storage.usecases.email.outbox import DAILY
from storage.usecases.email.settings import reachable_by_email


@dataclass(frozen=True, slots=True)
class DailyDeadline:
    occurrence_id: int
    measure_number: str
    measure_title: str
    planned_result: str
    due_on: date


@dataclass(frozen=True, slots=True)
class DailyRecipient:
    person_id: int
    full_name: str
    address: str
    locale: str | None
    roadmap_title: str
    deadlines: list[DailyDeadline]


def _in_no_messenger() -> Any:
    """Never joined, or blocked the bot: the chat cannot reach them."""
    return or_(Person.chat_address.is_(None), Person.unreachable_since_at.is_not(None))


async def daily_recipients(uow: UnitOfWork, today: date) -> list[DailyRecipient]:
    """Everyone the chat cannot reach who has something in today's e-mail, with those
    deadlines (see ``domain.reminders.email_day``). People who already have today's e-mail are
    left out, so running this twice composes nothing twice."""
    people = (
        await uow.session.scalars(select(Person).where(*reachable_by_email(), _in_no_messenger()))
    ).all()
    if not people:
        return []
    history = await _daily_history(uow, [p.id for p in people])
    wanted = [p for p in people if history.get(p.id, _History()).last_on != today]
    by_person = await _open_deadlines(uow, wanted)
    calendars: dict[tuple[int, int], WorkCalendar] = {}
    recipients = []
    for person in wanted:
        told = history.get(person.id, _History())
        chosen = []
        title = ""
        for row in by_person.get(person.id, []):
            span = (
                min(row.period_start.year, row.due_on.year),
                max(row.period_end.year, today.year),
            )
            calendar = calendars.get(span) or russian_calendar(*span)
            calendars[span] = calendar
            told_before = row.deadline.occurrence_id in told.occurrences
            if not told_before and row.period_end < today:
                continue  # a roadmap whose period is over is a record, not a to-do list
            if in_todays_email(
                row.deadline.due_on,
                row.policy,
                calendar,
                ZoneInfo(row.timezone),
                today=today,
                last_email_on=told.last_on,
                told_before=told_before,
            ):
                chosen.append(row.deadline)
                title = title or row.roadmap_title
        if chosen:
            recipients.append(
                DailyRecipient(
                    person.id,
                    person.full_name,
                    person.email or "",
                    person.locale,
                    title,
                    sorted(chosen, key=lambda d: (d.due_on, d.measure_number)),
                )
            )
    return recipients


@dataclass
class _History:
    last_on: date | None = None
    occurrences: set[int] = field(default_factory=set)


async def _daily_history(uow: UnitOfWork, person_ids: list[int]) -> dict[int, _History]:
    """Per person: the day of their last daily e-mail and every deadline one told them of.
    E-mails that failed or bounced told nothing."""
    rows = await uow.session.execute(
        select(EmailMessage.person_id, EmailMessage.day_on, EmailMessage.occurrences).where(
            EmailMessage.person_id.in_(person_ids),
            EmailMessage.kind == DAILY,
            EmailMessage.state.not_in(("failed", "bounced", "cancelled")),
        )
    )
    history: dict[int, _History] = defaultdict(_History)
    for person_id, day_on, occurrences in rows:
        if person_id is None:
            continue
        entry = history[person_id]
        if day_on is not None and (entry.last_on is None or day_on > entry.last_on):
            entry.last_on = day_on
        entry.occurrences.update(occurrences or [])
    return history


@dataclass(frozen=True, slots=True)
class _Row:
    deadline: DailyDeadline
    policy: ReminderPolicy
    timezone: str
    roadmap_title: str
    period_start: date
    period_end: date

    @property
    def due_on(self) -> date:
        return self.deadline.due_on


async def _open_deadlines(uow: UnitOfWork, people: list[Person]) -> dict[int, list[_Row]]:
    """Each person's open occurrences: their own, and their school's for a responsible person
    (as the chat's reminders go to every responsible person of the school)."""
    by_id = {p.id for p in people}
    by_org: dict[int, list[int]] = defaultdict(list)
    for person in people:
        if person.organisation_id is not None and person.role == Role.RESPONSIBLE.value:
            by_org[person.organisation_id].append(person.id)
    if not by_id:
        return {}
    rows = await uow.session.execute(
        select(
            Occurrence.id,
            Measure.number,
            Measure.title,
            Measure.result_text,
            Occurrence.due_on,
            Assignment.person_id,
            Assignment.organisation_id,
            Measure.reminder_policy,
            Roadmap.reminder_policy,
            Roadmap.timezone,
            Roadmap.title,
            Roadmap.period_start_on,
            Roadmap.period_end_on,
        )
        .join(Assignment, Assignment.id == Occurrence.assignment_id)
        .join(Measure, Measure.id == Occurrence.measure_id)
        .join(Roadmap, Roadmap.id == Measure.roadmap_id)
        .where(
            Occurrence.status == "open",
            or_(
                Assignment.person_id.in_(by_id),
                Assignment.organisation_id.in_(list(by_org)),
            ),
        )
        .order_by(Occurrence.due_on, Measure.position)
    )
    found: dict[int, list[_Row]] = defaultdict(list)
    for (
        occurrence_id,
        number,
        title,
        result,
        due_on,
        person_id,
        organisation_id,
        measure_policy,
        roadmap_policy,
        timezone,
        roadmap_title,
        period_start,
        period_end,
    ) in rows:
        row = _Row(
            DailyDeadline(occurrence_id, number, title, result, due_on),
            ReminderPolicy().overridden(roadmap_policy).overridden(measure_policy),
            timezone,
            roadmap_title,
            period_start,
            period_end,
        )
        owners = [person_id] if person_id is not None else by_org.get(organisation_id, [])
        for owner in owners:
            found[owner].append(row)
    return found
