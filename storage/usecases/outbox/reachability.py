"""Whether a person can be reminded at all: marked unreachable when they block the bot or their
chat is gone (the coordinators are told), and reachable again when they write once more."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update

from domain.reminders.plan import CATCH_UP
from storage.bulk import insert_ignoring_duplicates
from storage.models import Occurrence, Person, Reminder
from storage.unit_of_work import UnitOfWork
from storage.usecases.accounts import fall_back
from storage.usecases.planning import plan_due_reminders


@dataclass(frozen=True, slots=True)
class UnreachablePerson:
    full_name: str
    organisation: str | None
    coordinator_chats: list[tuple[int, str | None]]  # (chat id, locale) of every coordinator
    # Where the day's e-mail reaches them now (None: no address, unsubscribed or bounced), and
    # their phone: what the coordinator is told, as the digest tells it.
    email: str | None = None
    phone: str | None = None


async def mark_unreachable(
    uow: UnitOfWork, person_id: int, reason: str, now: datetime
) -> UnreachablePerson | None:
    """Stop reminding someone who blocked the bot or whose chat is gone; tell the coordinators."""
    person = await uow.people.get(person_id)
    if person is None or person.unreachable_since_at is not None:
        return None
    if await fall_back(uow, person, reason, now):
        return None  # their other messenger reaches them; nobody needs to be told
    person.unreachable_since_at = now
    person.unreachable_reason = reason[:200]
    await uow.session.execute(
        update(Reminder)
        .where(Reminder.person_id == person_id, Reminder.state.in_(("pending", "sending")))
        .values(state="cancelled")
    )
    uow.audit.add(
        at=now, action="person.unreachable", person_id=person_id, details={"reason": reason[:200]}
    )
    organisation = (
        await uow.organisations.get(person.organisation_id) if person.organisation_id else None
    )
    coordinators = await uow.session.execute(
        select(Person.chat_address, Person.locale).where(
            Person.role == "coordinator",
            Person.chat_address.is_not(None),
            Person.is_active.is_(True),
            Person.id != person_id,
        )
    )
    by_email = person.email_opt_out_at is None and person.email_unreachable_at is None
    return UnreachablePerson(
        person.full_name,
        organisation.name if organisation else None,
        [(chat, locale) for chat, locale in coordinators if chat is not None],
        email=person.email if by_email else None,
        phone=person.phone,
    )


async def welcome_back(uow: UnitOfWork, person: Person, now: datetime) -> None:
    """Someone marked unreachable wrote to the bot again (they unblocked it): reachable once
    more. Their reminders stopped when they blocked it; the ones still ahead are planned again,
    and what they missed meanwhile comes as one catch-up per occurrence (in the next summary)."""
    person.unreachable_since_at = None
    person.unreachable_reason = None
    stopped = (
        await uow.session.execute(
            select(Reminder.id, Reminder.occurrence_id, Reminder.kind, Reminder.due_at)
            .join(Occurrence, Occurrence.id == Reminder.occurrence_id)
            .where(
                Reminder.person_id == person.id,
                Reminder.state == "cancelled",
                Occurrence.status == "open",
            )
        )
    ).all()
    missed: dict[int, tuple[datetime, str]] = {}  # occurrence -> its latest stopped slot
    for _id, occurrence_id, kind, due_at in stopped:
        if due_at <= now:
            slot = (due_at, kind.removeprefix(CATCH_UP))
            missed[occurrence_id] = max(missed.get(occurrence_id, slot), slot)
    # Every stopped row goes: the planner puts the slots ahead back, and one catch-up per
    # occurrence stands for what was missed (a stopped catch-up included).
    await uow.session.execute(
        delete(Reminder).where(Reminder.id.in_([rid for rid, *_rest in stopped]))
    )
    await insert_ignoring_duplicates(
        uow.session,
        Reminder.__table__,  # type: ignore[arg-type]
        [
            {
                "occurrence_id": occurrence_id,
                "person_id": person.id,
                "kind": (CATCH_UP + kind)[:32],
                "due_at": now,
                "state": "pending",
                "attempts": 0,
            }
            for occurrence_id, (_due_at, kind) in missed.items()
        ],
    )
    uow.audit.add(at=now, action="person.reachable", person_id=person.id)
    await plan_due_reminders(uow, now)
