"""E-mail: who gets the day's e-mail and what it tells them, each person's e-mail settings,
and the e-mail outbox (compose once, claim, record what the SMTP server answered)."""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select, update

from domain.reminders.calendar import WorkCalendar, russian_calendar
from domain.reminders.email_day import in_todays_email
from domain.reminders.policy import ReminderPolicy
from domain.roles import Role
from storage.bulk import insert_ignoring_duplicates
from storage.models import (
    Assignment,
    EmailMessage,
    Measure,
    Occurrence,
    Organisation,
    Person,
    Roadmap,
)
from storage.unit_of_work import UnitOfWork

DAILY = "daily"
DIGEST = "digest"
# An e-mail claimed for sending and not recorded within this long (the process died) is sent
# again: the one way a duplicate can happen, as with reminders.
EMAIL_LEASE = timedelta(minutes=10)
# Still refused after this many tries (about a day and a half with the backoff below): failed.
MAX_EMAIL_ATTEMPTS = 8
_BACKOFF_MINUTES = (1, 5, 15, 60, 180, 360, 720)


def retry_delay(attempts: int) -> timedelta:
    """The wait before the next try, growing with each refusal."""
    return timedelta(minutes=_BACKOFF_MINUTES[min(attempts, len(_BACKOFF_MINUTES)) - 1])


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


def _reachable_by_email() -> list[Any]:
    """Who may get e-mail at all: an address, active, not unsubscribed, not bounced."""
    return [
        Person.email.is_not(None),
        Person.is_active.is_(True),
        Person.email_opt_out_at.is_(None),
        Person.email_unreachable_at.is_(None),
    ]


def _in_no_messenger() -> Any:
    """Never joined, or blocked the bot: the chat cannot reach them."""
    return or_(Person.chat_address.is_(None), Person.unreachable_since_at.is_not(None))


async def daily_recipients(uow: UnitOfWork, today: date) -> list[DailyRecipient]:
    """Everyone the chat cannot reach who has something in today's e-mail, with those
    deadlines (see ``domain.reminders.email_day``). People who already have today's e-mail are
    left out, so running this twice composes nothing twice."""
    people = (
        await uow.session.scalars(select(Person).where(*_reachable_by_email(), _in_no_messenger()))
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


async def email_token(uow: UnitOfWork, person_id: int) -> str:
    """The secret of the person's unsubscribe link, made on first use."""
    token = await uow.session.scalar(select(Person.email_token).where(Person.id == person_id))
    if token:
        return token
    token = secrets.token_urlsafe(32)
    await uow.session.execute(
        update(Person).where(Person.id == person_id).values(email_token=token)
    )
    return token


async def person_by_email_token(uow: UnitOfWork, token: str) -> Person | None:
    if not token or len(token) > 64:
        return None
    return await uow.session.scalar(select(Person).where(Person.email_token == token))


async def set_email_wanted(uow: UnitOfWork, person: Person, wanted: bool, now: datetime) -> None:
    """Unsubscribe (``wanted=False``) or subscribe again: every e-mail, digest included."""
    person.email_opt_out_at = None if wanted else (person.email_opt_out_at or now)
    uow.audit.add(
        at=now,
        action="email.subscribe" if wanted else "email.unsubscribe",
        person_id=person.id,
    )


async def set_digest_by_email(uow: UnitOfWork, person: Person, wanted: bool, now: datetime) -> None:
    person.digest_by_email = wanted
    uow.audit.add(at=now, action="email.digest", person_id=person.id, details={"wanted": wanted})


async def digest_email_recipients(uow: UnitOfWork) -> list[Person]:
    """Coordinators who asked for the weekly digest by e-mail and can get it."""
    rows = await uow.session.scalars(
        select(Person)
        .where(
            Person.role == Role.COORDINATOR.value,
            Person.digest_by_email.is_(True),
            *_reachable_by_email(),
        )
        .order_by(Person.id)
    )
    return list(rows)


@dataclass(frozen=True, slots=True)
class ComposedEmail:
    kind: str
    key: str
    to_address: str
    subject: str
    message: bytes
    person_id: int | None = None
    day_on: date | None = None
    occurrences: list[int] | None = None


async def enqueue_email(uow: UnitOfWork, email: ComposedEmail, now: datetime) -> bool:
    """Put a composed e-mail in the outbox; ``False`` if one with its key is there already."""
    written = await insert_ignoring_duplicates(
        uow.session,
        EmailMessage.__table__,  # type: ignore[arg-type]
        [
            {
                "person_id": email.person_id,
                "kind": email.kind,
                "key": email.key[:128],
                "day_on": email.day_on,
                "occurrences": email.occurrences,
                "to_address": email.to_address,
                "subject": email.subject,
                "message": email.message,
                "state": "pending",
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
        ],
    )
    return written > 0


@dataclass(frozen=True, slots=True)
class OutgoingEmail:
    email_id: int
    person_id: int | None
    to_address: str
    message: bytes


async def claim_emails(
    uow: UnitOfWork, now: datetime, *, limit: int = 50, lease: timedelta = EMAIL_LEASE
) -> list[OutgoingEmail]:
    """E-mails due now (and sends whose lease ran out), marked as being sent. A daily e-mail
    for someone who has since joined the chat or unsubscribed is dropped: the chat or nothing
    tells them now."""
    due = (
        select(EmailMessage, Person)
        .outerjoin(Person, Person.id == EmailMessage.person_id)
        .where(
            or_(
                (EmailMessage.state == "pending") & (EmailMessage.next_attempt_at <= now),
                (EmailMessage.state == "sending") & (EmailMessage.claimed_at <= now - lease),
            )
        )
        .order_by(EmailMessage.next_attempt_at)
        .limit(limit)
        .with_for_update(skip_locked=True, of=EmailMessage)
    )
    claimed: list[OutgoingEmail] = []
    for email, person in (await uow.session.execute(due)).all():
        if person is not None and _no_longer_wanted(email, person):
            email.state = "cancelled"
            continue
        email.state = "sending"
        email.claimed_at = now
        email.attempts += 1
        claimed.append(OutgoingEmail(email.id, email.person_id, email.to_address, email.message))
    return claimed


def _no_longer_wanted(email: EmailMessage, person: Person) -> bool:
    if not person.is_active or person.email_opt_out_at is not None:
        return True
    if person.email_unreachable_at is not None:
        return True
    if email.kind == DAILY:
        return person.chat_address is not None and person.unreachable_since_at is None
    if email.kind == DIGEST:
        return not person.digest_by_email
    return False


async def mark_email_sent(uow: UnitOfWork, email_id: int, now: datetime) -> None:
    await uow.session.execute(
        update(EmailMessage)
        .where(EmailMessage.id == email_id)
        .values(state="sent", sent_at=now, last_error=None)
    )


async def mark_email_retry(uow: UnitOfWork, email_id: int, error: str, now: datetime) -> bool:
    """Try again after the backoff, or give up after ``MAX_EMAIL_ATTEMPTS``; ``True`` if it
    will be tried again."""
    email = await uow.session.get(EmailMessage, email_id)
    if email is None:
        return False
    email.last_error = error[:500]
    if email.attempts >= MAX_EMAIL_ATTEMPTS:
        email.state = "failed"
        return False
    email.state = "pending"
    email.next_attempt_at = now + retry_delay(email.attempts)
    return True


async def mark_email_bounced(
    uow: UnitOfWork, email_id: int, person_id: int | None, reason: str, now: datetime
) -> None:
    """The server refused the address for good: the person is unreachable by e-mail until
    someone corrects their address (the digest lists them), and their other e-mails stop."""
    await uow.session.execute(
        update(EmailMessage)
        .where(EmailMessage.id == email_id)
        .values(state="bounced", last_error=reason[:500])
    )
    if person_id is None:
        return
    await uow.session.execute(
        update(Person)
        .where(Person.id == person_id, Person.email_unreachable_at.is_(None))
        .values(email_unreachable_at=now, email_unreachable_reason=reason[:200])
    )
    await uow.session.execute(
        update(EmailMessage)
        .where(EmailMessage.person_id == person_id, EmailMessage.state == "pending")
        .values(state="cancelled")
    )
    uow.audit.add(
        at=now, action="email.bounced", person_id=person_id, details={"reason": reason[:200]}
    )


async def organisation_name(uow: UnitOfWork, person: Person) -> str | None:
    if person.organisation_id is None:
        return None
    return await uow.session.scalar(
        select(Organisation.name).where(Organisation.id == person.organisation_id)
    )


async def set_email_address(uow: UnitOfWork, person: Person, address: str, now: datetime) -> None:
    """A new or corrected address: a bounce recorded for the old one no longer applies."""
    person.email = address
    person.email_unreachable_at = None
    person.email_unreachable_reason = None
    uow.audit.add(at=now, action="email.address", person_id=person.id)
