"""Each person's e-mail settings: the address, unsubscribing (by the link's token) and the
digest by e-mail; and who may get e-mail at all."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from domain.roles import Role
from storage.models import Organisation, Person
from storage.unit_of_work import UnitOfWork


def reachable_by_email() -> list[Any]:
    """Who may get e-mail at all: an address, active, not unsubscribed, not bounced."""
    return [
        Person.email.is_not(None),
        Person.is_active.is_(True),
        Person.email_opt_out_at.is_(None),
        Person.email_unreachable_at.is_(None),
    ]


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
