"""A request's life: sent (each addressee gets an occurrence, and those in the chat a reminder
due at once), amended (everyone still in the chat is told once), withdrawn."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, func, select, update

from domain.requests import AddresseeKind, Addressees
from storage.bulk import insert_ignoring_duplicates
from storage.models import (
    REQUEST_MEASURE,
    ROADMAP_MEASURE,
    Assignment,
    Measure,
    Occurrence,
    Organisation,
    Person,
    Reminder,
    Request,
    Roadmap,
)
from storage.unit_of_work import UnitOfWork
from storage.usecases.planning import (
    joined_people,
    plan_due_reminders,
    recipients_by_organisation,
    sync_occurrences,
)

# The reminder that brings a new request to each addressee at once, and the one that tells
# them of a change (its kind carries the time, so each change is told once).
REQUEST_SENT = "request"
REQUEST_CHANGED = "request_changed:"
# Requests sort after every measure of their roadmap.
_POSITION_BASE = 1_000_000


class NoAddresseesError(ValueError):
    """Nobody matches: no schools yet, no school with that tag, unknown ids."""


@dataclass(frozen=True, slots=True)
class SentRequest:
    request_id: int
    measure_id: int
    number: str
    organisations: int  # schools (or people) it went to
    told_now: int  # of them, people in the chat who hear of it at once


@dataclass(frozen=True, slots=True)
class Form:
    name: str
    sha256: str


async def send_request(
    uow: UnitOfWork,
    *,
    text: str,
    due_text: str,
    due_on: date,
    addressees: Addressees,
    now: datetime,
    form: Form | None = None,
    parent_measure_id: int | None = None,
    created_by_id: int | None = None,
    timezone: str = "Asia/Irkutsk",
) -> SentRequest:
    """Save the request and give every addressee its occurrence; the ones in the chat get a
    reminder due now. Raises ``NoAddresseesError`` before writing anything."""
    organisations, people = await _resolve(uow, addressees)
    if not organisations and not people:
        raise NoAddresseesError(addressees.kind.value)
    roadmap = await _roadmap_for(uow, parent_measure_id, due_on, now, timezone)
    count = await uow.session.scalar(select(func.count(Request.id))) or 0
    measure = Measure(
        roadmap_id=roadmap.id,
        number=f"З-{count + 1}",
        position=_POSITION_BASE + count + 1,
        title=text,
        deadline_text=due_text,
        schedule_kind="once",
        schedule_due=[due_on.isoformat()],
        responsible_text="",
        result_text=form.name if form else "",
        kind=REQUEST_MEASURE,
    )
    uow.session.add(measure)
    await uow.session.flush()
    request = Request(
        measure_id=measure.id,
        parent_measure_id=parent_measure_id,
        text=text,
        due_text=due_text,
        due_on=due_on,
        addressees=addressees.as_json(),
        form_name=form.name if form else None,
        form_sha256=form.sha256 if form else None,
        state="open",
        created_by_id=created_by_id,
        created_at=now,
    )
    uow.session.add(request)
    await uow.session.flush()
    measure.number = f"З-{request.id}"  # unique: the request's own number
    for organisation_id in organisations:
        uow.session.add(Assignment(measure_id=measure.id, organisation_id=organisation_id))
    for person_id in people:
        uow.session.add(Assignment(measure_id=measure.id, person_id=person_id))
    await uow.session.flush()
    await sync_occurrences(uow, [measure.id])
    told = await _tell_now(uow, measure.id, now)
    await plan_due_reminders(uow, now, [measure.id])
    uow.audit.add(
        at=now,
        action="request.send",
        person_id=created_by_id,
        details={"request_id": request.id, "addressees": len(organisations) + len(people)},
    )
    return SentRequest(
        request.id, measure.id, measure.number, len(organisations) + len(people), told
    )


async def _resolve(uow: UnitOfWork, addressees: Addressees) -> tuple[list[int], list[int]]:
    """(organisation ids, person ids) the request goes to."""
    if addressees.kind is AddresseeKind.PEOPLE:
        found = await uow.session.scalars(
            select(Person.id).where(Person.id.in_(addressees.ids), Person.is_active.is_(True))
        )
        return [], sorted(found)
    schools = list(
        await uow.session.execute(
            select(Organisation.id, Organisation.tags).where(Organisation.kind == "school")
        )
    )
    if addressees.kind is AddresseeKind.ALL:
        return sorted(i for i, _tags in schools), []
    if addressees.kind is AddresseeKind.TAG:
        return sorted(i for i, tags in schools if addressees.tag in (tags or [])), []
    known = {i for i, _tags in schools}
    return sorted(i for i in set(addressees.ids) if i in known), []


async def _roadmap_for(
    uow: UnitOfWork, parent_measure_id: int | None, due_on: date, now: datetime, timezone: str
) -> Roadmap:
    """A request under a measure belongs to that measure's roadmap. One under no measure
    belongs to no approved plan: it goes to the department's own holder «Запросы управления
    образования» (a roadmap of requests only, which no roadmap picker lists), so that which
    plan was imported last never decides where a request lands."""
    if parent_measure_id is not None:
        parent = await uow.session.get(Measure, parent_measure_id)
        if parent is not None:
            roadmap = await uow.session.get(Roadmap, parent.roadmap_id)
            if roadmap is not None:
                return roadmap
    plans = select(Measure.roadmap_id).where(Measure.kind == ROADMAP_MEASURE)
    holder = await uow.session.scalar(
        select(Roadmap).where(Roadmap.id.not_in(plans)).order_by(Roadmap.id).limit(1)
    )
    if holder is not None:
        if holder.period_end_on < due_on:  # the holder's period spans every request's deadline
            holder.period_end_on = date(due_on.year, 12, 31)
        return holder
    roadmap = Roadmap(
        title="Запросы управления образования",
        period_start_on=date(now.year, 1, 1),
        period_end_on=date(max(now.year, due_on.year), 12, 31),
        timezone=timezone,
        created_at=now,
    )
    uow.session.add(roadmap)
    await uow.session.flush()
    return roadmap


async def _tell_now(
    uow: UnitOfWork, measure_id: int, now: datetime, kind: str = REQUEST_SENT
) -> int:
    """A reminder due now for everyone in the chat the request reaches: they hear of it at
    once, whatever the reminder policy would say about a deadline this far ahead."""
    rows = (
        await uow.session.execute(
            select(Occurrence.id, Assignment.person_id, Assignment.organisation_id)
            .join(Assignment, Assignment.id == Occurrence.assignment_id)
            .where(Occurrence.measure_id == measure_id, Occurrence.status == "open")
        )
    ).all()
    # The same people the planner reminds: joined, active, reachable.
    by_org = await recipients_by_organisation(uow)
    joined = await joined_people(uow)
    reminders = []
    for occurrence_id, person_id, organisation_id in rows:
        if person_id is not None:
            recipients = [person_id] if person_id in joined else []
        else:
            recipients = by_org.get(organisation_id or 0, [])
        reminders += [
            {
                "occurrence_id": occurrence_id,
                "person_id": recipient,
                "kind": kind,
                "due_at": now,
                "state": "pending",
                "attempts": 0,
            }
            for recipient in recipients
        ]
    return await insert_ignoring_duplicates(uow.session, Reminder.__table__, reminders)  # type: ignore[arg-type]


async def amend_request(
    uow: UnitOfWork,
    request_id: int,
    now: datetime,
    *,
    by: int | None,
    text: str | None = None,
    due_on: date | None = None,
    due_text: str | None = None,
) -> int | None:
    """A new text or deadline. Answers already given stay; every addressee still in the chat
    is told once. Returns how many were told, or ``None`` for a closed or unknown request."""
    # The change is made only to a request still open, in one conditional update: a withdrawal
    # at the same moment either comes first (nothing changes here) or waits for this one.
    changes: dict[str, object] = {}
    if text is not None:
        changes["text"] = text
    if due_on is not None:
        changes.update(due_on=due_on, due_text=due_text or due_on.isoformat())
    measure_id = await uow.session.scalar(
        update(Request)
        .where(Request.id == request_id, Request.state == "open")
        .values(state="open", **changes)
        .returning(Request.measure_id)
        .execution_options(synchronize_session=False)
    )
    if measure_id is None:
        return None
    measure = await uow.session.get(Measure, measure_id)
    assert measure is not None
    if text is not None:
        measure.title = text
    if due_on is not None:
        measure.deadline_text = due_text or due_on.isoformat()
        measure.schedule_due = [due_on.isoformat()]
        # The addressees still owing an answer get the new date; who has answered is done
        # (no second occurrence asks them again). The old date's reminders stop.
        owing = list(
            await uow.session.scalars(
                select(Occurrence.id).where(
                    Occurrence.measure_id == measure.id, Occurrence.status == "open"
                )
            )
        )
        if owing:
            await uow.session.execute(
                update(Occurrence).where(Occurrence.id.in_(owing)).values(due_on=due_on)
            )
            # Deleted, not cancelled: the planner writes each slot once per occurrence, and the
            # new date's slots carry the same names.
            await uow.session.execute(
                delete(Reminder).where(
                    Reminder.occurrence_id.in_(owing), Reminder.state == "pending"
                )
            )
    await uow.session.flush()
    told = await _tell_now(uow, measure.id, now, f"{REQUEST_CHANGED}{int(now.timestamp())}")
    await plan_due_reminders(uow, now, [measure.id])
    uow.audit.add(
        at=now,
        action="request.amend",
        person_id=by,
        details={"request_id": request_id, "text": text is not None, "due": due_on is not None},
    )
    return told


async def withdraw_request(uow: UnitOfWork, request_id: int, now: datetime, by: int | None) -> bool:
    """Stop it: open occurrences cancelled, reminders stopped; answers already given stay.

    One conditional update decides: only an open request is withdrawn, so of two coordinators
    pressing at once exactly one goes on (and an amendment racing it waits or finds it closed).
    ``False``: it was already closed, and nothing changed."""
    measure_id = await uow.session.scalar(
        update(Request)
        .where(Request.id == request_id, Request.state == "open")
        .values(state="withdrawn", withdrawn_at=now, withdrawn_by_id=by)
        .returning(Request.measure_id)
        .execution_options(synchronize_session=False)
    )
    if measure_id is None:
        return False
    open_ids = list(
        await uow.session.scalars(
            select(Occurrence.id).where(
                Occurrence.measure_id == measure_id, Occurrence.status == "open"
            )
        )
    )
    if open_ids:
        await uow.session.execute(
            update(Occurrence).where(Occurrence.id.in_(open_ids)).values(status="cancelled")
        )
        await uow.session.execute(
            update(Reminder)
            .where(Reminder.occurrence_id.in_(open_ids), Reminder.state == "pending")
            .values(state="cancelled")
        )
    uow.audit.add(
        at=now, action="request.withdraw", person_id=by, details={"request_id": request_id}
    )
    return True


@dataclass(frozen=True, slots=True)
class Withdrawn:
    """Who withdrew a request and when, for whoever acts on it afterwards."""

    by: str | None  # None: withdrawn before this was recorded
    at: datetime


async def request_withdrawn(uow: UnitOfWork, request_id: int) -> Withdrawn | None:
    row = (
        await uow.session.execute(
            select(Person.full_name, Request.withdrawn_at)
            .select_from(Request)
            .outerjoin(Person, Person.id == Request.withdrawn_by_id)
            .where(Request.id == request_id, Request.state == "withdrawn")
        )
    ).first()
    if row is None or row.withdrawn_at is None:
        return None
    return Withdrawn(row.full_name, row.withdrawn_at)
