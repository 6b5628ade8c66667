"""Each person's e-mail settings: the address, unsubscribing (by the link's token) and the
digest by e-mail; and who may get e-mail at all."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from domain.invitations import UNSUBSCRIBE_TTL
from domain.roles import Role
from storage.models import Organisation, Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.tokens import UNSUBSCRIBE, issue_token, person_by_token


def reachable_by_email() -> list[Any]:
    """Who may get e-mail at all: an address, active, not unsubscribed, not bounced."""
    return [
        Person.email.is_not(None),
        Person.is_active.is_(True),
        Person.email_opt_out_at.is_(None),
        Person.email_unreachable_at.is_(None),
    ]


async def unsubscribe_token(
    uow: UnitOfWork, person_id: int, *, now: datetime, ttl: timedelta = UNSUBSCRIBE_TTL
) -> str:
    """The secret of one e-mail's unsubscribe link: each e-mail gets its own, kept only as a
    digest, working for ``ttl``."""
    return await issue_token(uow, person_id, UNSUBSCRIBE, now=now, ttl=ttl)


async def person_by_email_token(uow: UnitOfWork, token: str, now: datetime) -> Person | None:
    return await person_by_token(uow, token, UNSUBSCRIBE, now)


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
            *reachable_by_email(),
        )
        .order_by(Person.id)
    )
    return list(rows)


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
