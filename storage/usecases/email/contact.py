"""Who a school writes back to: the coordinator named in every e-mail's signature and its
Reply-To, so a head's reply reaches a person and not the bot's unread mailbox."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from domain.roles import Role
from storage.models import Person
from storage.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class CoordinatorContact:
    full_name: str
    email: str | None
    phone: str | None


async def coordinator_contact(uow: UnitOfWork) -> CoordinatorContact | None:
    """The active coordinator to reply to: the longest-serving one with an e-mail address, or
    else with a phone; ``None`` when there is no coordinator yet."""
    rows = (
        await uow.session.scalars(
            select(Person)
            .where(Person.role == Role.COORDINATOR.value, Person.is_active.is_(True))
            .order_by(Person.id)
        )
    ).all()
    if not rows:
        return None
    best = next((p for p in rows if p.email), None) or next((p for p in rows if p.phone), rows[0])
    return CoordinatorContact(full_name=best.full_name, email=best.email, phone=best.phone)
