"""The e-mail outbox: a composed e-mail is put in once (by its key), claimed for sending, and
what the SMTP server answered is recorded (sent, tried again after a backoff, failed, bounced)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select, update

from storage.bulk import insert_ignoring_duplicates
from storage.models import EmailMessage, Person
from storage.unit_of_work import UnitOfWork

DAILY = "daily"
DIGEST = "digest"
# An e-mail claimed for sending and not recorded within this long (the process died) is sent
# again: the one way a duplicate can happen, as with reminders.
EMAIL_LEASE = timedelta(minutes=10)
# Still refused after this many tries (about a day and a half with the backoff below): failed.
MAX_EMAIL_ATTEMPTS = 8
_BACKOFF_MINUTES = (1, 5, 15, 60, 180, 360, 720)
# What is left of an e-mail that will not be sent again: its body carried links that join the
# bot or unsubscribe, so only the metadata (to whom, what, when, how it ended) is kept.
CLEARED = b""


def retry_delay(attempts: int) -> timedelta:
    """The wait before the next try, growing with each refusal."""
    return timedelta(minutes=_BACKOFF_MINUTES[min(attempts, len(_BACKOFF_MINUTES)) - 1])


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
            email.message = CLEARED
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
        .values(state="sent", sent_at=now, last_error=None, message=CLEARED)
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
        email.message = CLEARED
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
        .values(state="bounced", last_error=reason[:500], message=CLEARED)
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
        .values(state="cancelled", message=CLEARED)
    )
    uow.audit.add(
        at=now, action="email.bounced", person_id=person_id, details={"reason": reason[:200]}
    )
