"""One person's data under 152-ФЗ: everything the bot holds about them, and forgetting it.

Forgetting keeps the school's work as the school's: the reports, their files and the
decisions on them stay, attributed to a person row that no longer says who it was (its name,
ids, e-mail, phone and messenger accounts gone). What only served the person — invitations,
links, conversation state, e-mails composed for them, pending reminders — is deleted, and the
personal parts of the audit log (their messenger id, free-text reasons) are cleared.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import delete, or_, select, update

from storage.keys import name_key
from storage.models import (
    AccessToken,
    AuditEvent,
    ConversationState,
    EmailMessage,
    ExtensionRequest,
    Invitation,
    MaxMessageId,
    MessengerAccount,
    Organisation,
    Person,
    Reminder,
    StatusReport,
)
from storage.unit_of_work import UnitOfWork

FORGOTTEN_NAME = "(данные удалены)"


@dataclass(frozen=True, slots=True)
class Candidate:
    person_id: int
    full_name: str
    role: str
    organisation: str | None
    active: bool


async def people_named(uow: UnitOfWork, name: str) -> list[Candidate]:
    """Who ``name`` names: the whole name (any case, ё as е), else everyone whose name holds
    it (a surname alone)."""
    wanted = name_key(name)
    rows = (
        await uow.session.execute(
            select(Person, Organisation.name)
            .outerjoin(Organisation, Organisation.id == Person.organisation_id)
            .where(Person.name_key.is_not(None))
            .order_by(Person.id)
        )
    ).all()
    exact = [(p, org) for p, org in rows if p.name_key == wanted]
    chosen = exact or [(p, org) for p, org in rows if wanted and wanted in (p.name_key or "")]
    return [Candidate(p.id, p.full_name, p.role, org, p.is_active) for p, org in chosen]


async def export_person(uow: UnitOfWork, person_id: int) -> dict[str, Any]:
    """Everything about the person, as plain JSON-ready data."""
    session = uow.session
    person = await session.get(Person, person_id)
    if person is None:
        raise LookupError(person_id)
    organisation = (
        await session.get(Organisation, person.organisation_id) if person.organisation_id else None
    )
    accounts = await session.scalars(
        select(MessengerAccount).where(MessengerAccount.person_id == person_id)
    )
    reports = await session.scalars(
        select(StatusReport).where(StatusReport.person_id == person_id).order_by(StatusReport.id)
    )
    extensions = await session.scalars(
        select(ExtensionRequest).where(ExtensionRequest.person_id == person_id)
    )
    invitations = await session.scalars(select(Invitation).where(Invitation.person_id == person_id))
    emails = await session.scalars(
        select(EmailMessage).where(EmailMessage.person_id == person_id).order_by(EmailMessage.id)
    )
    audit = await session.scalars(
        select(AuditEvent).where(AuditEvent.person_id == person_id).order_by(AuditEvent.id)
    )
    addresses = await _addresses(uow, person)
    states = [
        {"state": state.state, "data": state.data, "updated_at": _when(state.updated_at)}
        for state in await session.scalars(select(ConversationState))
        if _is_about(state.key, addresses)
    ]
    return {
        "person": {
            "id": person.id,
            "full_name": person.full_name,
            "position": person.position,
            "role": person.role,
            "organisation": organisation.name if organisation else None,
            "email": person.email,
            "phone": person.phone,
            "language": person.locale,
            "active": person.is_active,
            "email_opt_out_at": _when(person.email_opt_out_at),
            "digest_by_email": person.digest_by_email,
            "created_at": _when(person.created_at),
            "joined_at": _when(person.joined_at),
        },
        "messenger_accounts": [
            {
                "messenger": a.messenger,
                "user_id": a.user_address,
                "chat_id": a.chat_address,
                "username": a.username,
                "joined_at": _when(a.joined_at),
                "last_used_at": _when(a.last_used_at),
            }
            for a in accounts
        ],
        "reports": [
            {
                "id": r.id,
                "occurrence_id": r.occurrence_id,
                "status": r.status,
                "text": r.text,
                "file": r.evidence_file_name,
                "link": r.evidence_url,
                "review": r.review,
                "review_comment": r.review_comment,
                "created_at": _when(r.created_at),
            }
            for r in reports
        ],
        "deadline_extensions": [
            {
                "occurrence_id": e.occurrence_id,
                "asked_for": e.requested_on.isoformat(),
                "reason": e.reason,
                "state": e.state,
                "created_at": _when(e.created_at),
            }
            for e in extensions
        ],
        "invitations": [
            {"created_at": _when(i.created_at), "used_at": _when(i.used_at)} for i in invitations
        ],
        "emails": [
            {
                "to": e.to_address,
                "subject": e.subject,
                "state": e.state,
                "created_at": _when(e.created_at),
                "sent_at": _when(e.sent_at),
            }
            for e in emails
        ],
        "audit_log": [
            {"at": _when(a.at), "action": a.action, "outcome": a.outcome, "details": a.details}
            for a in audit
        ],
        "conversation_state": states,
    }


async def forget_person(uow: UnitOfWork, person_id: int, now: datetime) -> set[int]:
    """Remove the person's personal data; their reports stay the school's (the caller
    commits). Returns the person's chat and user addresses, for the conversation state kept
    outside the database (Redis)."""
    session = uow.session
    person = await session.get(Person, person_id)
    if person is None:
        raise LookupError(person_id)
    addresses = await _addresses(uow, person)
    for state in list(await session.scalars(select(ConversationState))):
        if _is_about(state.key, addresses):
            await session.delete(state)
    if addresses:
        await session.execute(delete(MaxMessageId).where(MaxMessageId.chat_address.in_(addresses)))
        # Who wrote before joining, or from an account since let go: the id is theirs too.
        await session.execute(
            update(AuditEvent)
            .where(AuditEvent.user_address.in_(addresses))
            .values(user_address=None)
        )
    for model in (MessengerAccount, Invitation, AccessToken):
        await session.execute(delete(model).where(model.person_id == person_id))
    await session.execute(
        delete(Reminder).where(Reminder.person_id == person_id, Reminder.state != "sent")
    )
    email_of_person = [EmailMessage.person_id == person_id]
    if person.email:
        email_of_person.append(EmailMessage.to_address == person.email)
    await session.execute(delete(EmailMessage).where(or_(*email_of_person)))
    for event in await session.scalars(select(AuditEvent).where(AuditEvent.person_id == person_id)):
        event.user_address = None
        if event.details:
            # Ids, flags and counts say nothing about who it was; free text might.
            event.details = {
                key: value
                for key, value in event.details.items()
                if value is None or isinstance(value, bool | int | float)
            }
    person.full_name = FORGOTTEN_NAME
    person.name_key = None
    person.position = None
    person.user_address = None
    person.chat_address = None
    person.telegram_username = None
    person.locale = None
    person.email = None
    person.phone = None
    person.email_opt_out_at = None
    person.digest_by_email = False
    person.email_unreachable_at = None
    person.email_unreachable_reason = None
    person.messenger_choice = None
    person.unreachable_since_at = None
    person.unreachable_reason = None
    person.is_active = False
    uow.audit.add(at=now, action="person.forget", person_id=person_id, details=None)
    return addresses


async def _addresses(uow: UnitOfWork, person: Person) -> set[int]:
    accounts = await uow.session.execute(
        select(MessengerAccount.user_address, MessengerAccount.chat_address).where(
            MessengerAccount.person_id == person.id
        )
    )
    found = {address for row in accounts for address in row}
    found |= {a for a in (person.user_address, person.chat_address) if a is not None}
    used = await uow.session.scalars(
        select(Invitation.used_by_address).where(
            Invitation.person_id == person.id, Invitation.used_by_address.is_not(None)
        )
    )
    return found | {cast(int, a) for a in used}


def _is_about(key: str, addresses: set[int]) -> bool:
    """A conversation key (``fsm:<bot>:<chat>:<user>…``) of one of these chats or users."""
    wanted = {str(address) for address in addresses}
    return any(part in wanted for part in key.split(":")[2:])


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None
