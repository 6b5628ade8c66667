"""The secrets of links that open something without the chat (a calendar subscription, an
unsubscribe page): made here, kept only as their SHA-256, looked up by it, run out, revoked."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.invitations import token_digest
from storage.models import AccessToken, Person
from storage.unit_of_work import UnitOfWork

CALENDAR = "calendar"
UNSUBSCRIBE = "unsubscribe"
_LONGEST = 64  # longer than any token made here: refused before hashing


async def issue_token(
    uow: UnitOfWork,
    person_id: int,
    purpose: str,
    *,
    now: datetime,
    ttl: timedelta,
    revoke_others: bool = False,
) -> str:
    """A new token; the caller hands it out once, since only its digest stays."""
    if revoke_others:
        await revoke_tokens(uow, person_id, purpose, now)
    token = secrets.token_urlsafe(32)  # 256 bits: not guessable, not enumerable
    uow.session.add(
        AccessToken(
            person_id=person_id,
            purpose=purpose,
            digest=token_digest(token),
            created_at=now,
            expires_at=now + ttl,
        )
    )
    await uow.session.flush()
    return token


async def revoke_tokens(uow: UnitOfWork, person_id: int, purpose: str, now: datetime) -> None:
    await uow.session.execute(
        update(AccessToken)
        .where(
            AccessToken.person_id == person_id,
            AccessToken.purpose == purpose,
            AccessToken.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )


async def live_token_since(
    uow: UnitOfWork, person_id: int, purpose: str, now: datetime
) -> datetime | None:
    """When the person's newest token for ``purpose`` that still works was made, if any."""
    return await uow.session.scalar(
        select(AccessToken.created_at)
        .where(
            AccessToken.person_id == person_id,
            AccessToken.purpose == purpose,
            AccessToken.revoked_at.is_(None),
            AccessToken.expires_at > now,
        )
        .order_by(AccessToken.created_at.desc())
        .limit(1)
    )


async def person_by_token(
    uow: UnitOfWork, token: str, purpose: str, now: datetime
) -> Person | None:
    """The active person a working token belongs to; ``None`` for anything else, alike."""
    if not token or len(token) > _LONGEST:
        return None
    return await uow.session.scalar(
        select(Person)
        .join(AccessToken, AccessToken.person_id == Person.id)
        .where(
            AccessToken.digest == token_digest(token),
            AccessToken.purpose == purpose,
            AccessToken.revoked_at.is_(None),
            AccessToken.expires_at > now,
            Person.is_active.is_(True),
        )
    )


async def purge_spent_tokens(session: AsyncSession, now: datetime) -> int:
    """Tokens that ran out or were revoked open nothing: forget them. The caller commits."""
    result = await session.execute(
        delete(AccessToken).where(
            or_(AccessToken.expires_at <= now, AccessToken.revoked_at.is_not(None))
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)
