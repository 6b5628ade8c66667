"""Who gets a памятка: every active school head (responsible person), with a fresh invitation
for those who have not joined yet; a head already in the bot needs no link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from domain.names import name_order
from domain.roles import Role
from storage.models import Organisation, Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.invitations import invite_person


@dataclass(frozen=True, slots=True)
class MemoHead:
    person_id: int
    full_name: str
    organisation: str
    token: str | None  # None: joined already
    expires_at: datetime | None


async def memo_heads(uow: UnitOfWork, *, now: datetime, ttl: timedelta) -> list[MemoHead]:
    """Every active head, by school; the ones not yet in the bot get a new single-use link
    (the caller commits, so that the tokens printed are the tokens kept)."""
    rows = (
        await uow.session.execute(
            select(Person.id, Person.full_name, Person.user_address, Organisation.name)
            .outerjoin(Organisation, Organisation.id == Person.organisation_id)
            .where(Person.role == Role.RESPONSIBLE.value, Person.is_active.is_(True))
        )
    ).all()
    heads = []
    # In the order of the schools' numbers: «СОШ № 2» before «СОШ № 10».
    rows = sorted(rows, key=lambda row: (name_order(row[3] or ""), name_order(row[1])))
    for person_id, full_name, address, organisation in rows:
        token = expires_at = None
        if address is None:
            token, expires_at = await invite_person(uow, person_id, now=now, ttl=ttl)
        heads.append(MemoHead(person_id, full_name, organisation or "", token, expires_at))
    return heads
