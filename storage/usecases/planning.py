"""Occurrences from schedules and assignments, and the reminders they should get.

Both steps are idempotent: rows are keyed (assignment, due date) and (occurrence, person, kind)
and inserted with ON CONFLICT DO NOTHING, so the planner can run as often as it likes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select, update

from domain.reminders.calendar import WorkCalendar, russian_calendar
from domain.reminders.plan import PlannedReminder, plan_with_catch_up
from domain.reminders.policy import ReminderPolicy
from domain.roles import Role
from domain.school_staff import Reminded, StaffMember, reminded_of
from storage.bulk import insert_ignoring_duplicates
from storage.models import (
    Assignment,
    Measure,
    Occurrence,
    Organisation,
    Person,
    Reminder,
    Roadmap,
    StatusReport,
)
from storage.unit_of_work import UnitOfWork
from storage.usecases.roadmap_choice import reminded_condition

# Regular overdue reminders reach at most this far past a due date (5 x 3 working days and
# holidays); older open occurrences are looked at only for someone never reminded of them.
PLANNING_HORIZON_PAST = timedelta(days=60)


async def sync_occurrences(uow: UnitOfWork, measure_ids: list[int] | None = None) -> int:
    """One open occurrence per assignment and due date; occurrences whose date or assignee is
    gone are cancelled unless someone already reported on them. Returns occurrences added."""
    query = select(Measure.id, Measure.schedule_due, Measure.schedule_start_on, Assignment.id).join(
        Assignment, Assignment.measure_id == Measure.id
    )
    if measure_ids is not None:
        query = query.where(Measure.id.in_(measure_ids))
    rows: list[dict[str, Any]] = []
    wanted: set[tuple[int, date]] = set()
    for measure_id, due, start, assignment_id in await uow.session.execute(query):
        for iso in due or []:
            day = date.fromisoformat(iso)
            wanted.add((assignment_id, day))
            rows.append(
                {
                    "assignment_id": assignment_id,
                    "measure_id": measure_id,
                    "due_on": day,
                    "opens_on": start,
                    "status": "open",
                }
            )
    added = await insert_ignoring_duplicates(uow.session, Occurrence.__table__, rows)  # type: ignore[arg-type]
    await _cancel_unwanted(uow, wanted, measure_ids)
    return added


async def _cancel_unwanted(
    uow: UnitOfWork, wanted: set[tuple[int, date]], measure_ids: list[int] | None
) -> None:
    query = select(Occurrence.id, Occurrence.assignment_id, Occurrence.due_on).where(
        Occurrence.status == "open"
    )
    if measure_ids is not None:
        query = query.where(Occurrence.measure_id.in_(measure_ids))
    reported = select(StatusReport.occurrence_id)
    stale = [
        occurrence_id
        for occurrence_id, assignment_id, due_on in await uow.session.execute(
            query.where(Occurrence.id.not_in(reported))
        )
        if (assignment_id, due_on) not in wanted
    ]
    if stale:
        await uow.session.execute(
            update(Occurrence).where(Occurrence.id.in_(stale)).values(status="cancelled")
        )
        await uow.session.execute(
            update(Reminder)
            .where(Reminder.occurrence_id.in_(stale), Reminder.state == "pending")
            .values(state="cancelled")
        )


@dataclass
class _PlanCache:
    calendars: dict[tuple[int, int], WorkCalendar] = field(default_factory=dict)
    plans: dict[
        tuple[date, ReminderPolicy, str], tuple[list[PlannedReminder], PlannedReminder | None]
    ] = field(default_factory=dict)


async def plan_due_reminders(
    uow: UnitOfWork, now: datetime, measure_ids: list[int] | None = None
) -> int:
    """Reminder rows for every open occurrence, for every recipient who can receive them (joined,
    active, reachable): the slots still ahead and, for a recipient never reminded of it, one
    catch-up when the deadline is already near or past (imported late, joined late, assigned
    late, a moved deadline). Returns rows written."""
    recipients_by_org = await recipients_by_organisation(uow)
    joined = await joined_people(uow)
    query = (
        select(
            Occurrence.id,
            Occurrence.due_on,
            Assignment.person_id,
            func.coalesce(Assignment.organisation_id, Person.organisation_id),
            Measure.reminder_policy,
            Roadmap.reminder_policy,
            Roadmap.timezone,
            Roadmap.period_start_on,
            Roadmap.period_end_on,
        )
        .join(Assignment, Assignment.id == Occurrence.assignment_id)
        .join(Measure, Measure.id == Occurrence.measure_id)
        .join(Roadmap, Roadmap.id == Measure.roadmap_id)
        .outerjoin(Person, Person.id == Assignment.person_id)
        .where(
            Occurrence.status == "open",
            Occurrence.due_on <= (now + _FAR_AHEAD).date(),
            reminded_condition(now.date()),  # an archived roadmap plans no reminders
        )
    )
    if measure_ids is not None:
        query = query.where(Occurrence.measure_id.in_(measure_ids))
    cache = _PlanCache()
    rows: list[dict[str, Any]] = []
    owed: list[tuple[int, int, PlannedReminder]] = []  # (occurrence, person, catch-up)
    horizon = (now - PLANNING_HORIZON_PAST).date()
    written = 0
    for (
        occurrence_id,
        due_on,
        person_id,
        organisation_id,
        measure_policy,
        roadmap_policy,
        timezone,
        period_start,
        period_end,
    ) in await uow.session.execute(query):
        # A measure given to someone who has not joined (or cannot be reached) is reminded to
        # their organisation's people in the chat instead, who are told whose it is: at the
        # department, its coordinators and methodists; at a school, its head.
        people = [person_id] if person_id in joined else recipients_by_org.get(organisation_id, [])
        if not people:
            continue
        policy = ReminderPolicy().overridden(roadmap_policy).overridden(measure_policy)
        ahead, catch_up = _plan(
            cache, due_on, policy, timezone, now, (period_start.year, period_end.year)
        )
        # A roadmap whose period is over is a record, not a to-do list: no catch-ups from it.
        if period_end < now.date():
            catch_up = None
        for person in people:
            if catch_up is not None:
                owed.append((occurrence_id, person, catch_up))
            if due_on < horizon:
                continue  # nothing of the regular cadence is ahead any more
            rows.extend(_row(occurrence_id, person, p) for p in ahead)
        if len(rows) >= 20_000:
            written += await insert_ignoring_duplicates(uow.session, Reminder.__table__, rows)  # type: ignore[arg-type]
            rows = []
    # Catch-ups go only to whoever has no reminder row for the occurrence yet: one written now
    # is such a row, so planning again (every few minutes, on every replica) adds none.
    reminded = await _already_reminded(uow, {occurrence for occurrence, _, _ in owed})
    rows.extend(
        _row(occurrence, person, catch_up)
        for occurrence, person, catch_up in owed
        if (occurrence, person) not in reminded
    )
    written += await insert_ignoring_duplicates(uow.session, Reminder.__table__, rows)  # type: ignore[arg-type]
    await _cancel_stand_ins(uow)
    return written


async def _cancel_stand_ins(uow: UnitOfWork) -> None:
    """Once the person a measure is given to has joined, the reminders that went to others in
    their stead stop: from now on the measure's own person is reminded."""
    joined = select(Person.id).where(
        Person.chat_address.is_not(None),
        Person.is_active.is_(True),
        Person.unreachable_since_at.is_(None),
    )
    given_to_another = (
        select(Occurrence.id)
        .join(Assignment, Assignment.id == Occurrence.assignment_id)
        .where(
            Occurrence.id == Reminder.occurrence_id,
            Assignment.person_id.is_not(None),
            Assignment.person_id != Reminder.person_id,
            Assignment.person_id.in_(joined),
        )
        .exists()
    )
    await uow.session.execute(
        update(Reminder)
        .where(Reminder.state == "pending", given_to_another)
        .values(state="cancelled")
        .execution_options(synchronize_session=False)
    )


# Occurrences further ahead than the longest reminder offset (a year) have nothing to plan yet.
_FAR_AHEAD = timedelta(days=366)
_CHUNK = 5_000


def _row(occurrence_id: int, person_id: int, planned: PlannedReminder) -> dict[str, Any]:
    return {
        "occurrence_id": occurrence_id,
        "person_id": person_id,
        "kind": planned.kind,
        "due_at": planned.due_at,
        "state": "pending",
        "attempts": 0,
    }


async def _already_reminded(uow: UnitOfWork, occurrence_ids: set[int]) -> set[tuple[int, int]]:
    ids = sorted(occurrence_ids)
    pairs: set[tuple[int, int]] = set()
    for start in range(0, len(ids), _CHUNK):
        rows = await uow.session.execute(
            select(Reminder.occurrence_id, Reminder.person_id)
            .where(Reminder.occurrence_id.in_(ids[start : start + _CHUNK]))
            .distinct()
        )
        pairs.update((occurrence, person) for occurrence, person in rows)
    return pairs


def _plan(
    cache: _PlanCache,
    due_on: date,
    policy: ReminderPolicy,
    timezone: str,
    now: datetime,
    years: tuple[int, int],
) -> tuple[list[PlannedReminder], PlannedReminder | None]:
    key = (due_on, policy, timezone)
    if key not in cache.plans:
        span = (min(years[0], due_on.year), max(years[1], due_on.year))
        calendar = cache.calendars.get(span) or russian_calendar(*span)
        cache.calendars[span] = calendar
        cache.plans[key] = plan_with_catch_up(due_on, policy, calendar, ZoneInfo(timezone), now)
    return cache.plans[key]


async def joined_people(uow: UnitOfWork) -> set[int]:
    rows = await uow.session.scalars(
        select(Person.id).where(
            Person.chat_address.is_not(None),
            Person.is_active.is_(True),
            Person.unreachable_since_at.is_(None),
        )
    )
    return set(rows)


async def recipients_by_organisation(uow: UnitOfWork) -> dict[int, list[int]]:
    """The head, the deputies or both, as the school chose (domain.school_staff), of the
    organisation's joined responsible people; at the department, its methodists and its
    coordinators, whose own measures they are (they have /report and /my as heads do)."""
    rows = await uow.session.execute(
        select(Person.organisation_id, Person.id, Person.deputy, Organisation.reminded)
        .join(Organisation, Organisation.id == Person.organisation_id)
        .where(
            or_(
                Person.role == Role.RESPONSIBLE.value,
                and_(
                    Person.role == Role.COORDINATOR.value,
                    Organisation.kind == "department",
                ),
            ),
            Person.chat_address.is_not(None),
            Person.is_active.is_(True),
            Person.unreachable_since_at.is_(None),
        )
        .order_by(Person.id)
    )
    staff: dict[int, list[StaffMember]] = defaultdict(list)
    choices: dict[int, Reminded | None] = {}
    for organisation_id, person_id, deputy, reminded in rows:
        assert organisation_id is not None  # joined to its organisation above
        staff[organisation_id].append(StaffMember(person_id, deputy))
        choices[organisation_id] = Reminded(reminded) if reminded else None
    return {org: reminded_of(choices[org], members) for org, members in staff.items()}


async def replan(uow: UnitOfWork, now: datetime, measure_ids: list[int] | None = None) -> int:
    """After an import, an edit, a join: occurrences, then reminders. Returns reminders written."""
    await sync_occurrences(uow, measure_ids)
    return await plan_due_reminders(uow, now, measure_ids)
