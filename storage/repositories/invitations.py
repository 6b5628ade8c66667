from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Invitation


class InvitationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self,
        *,
        token_digest: str,
        person_id: int,
        created_by_id: int | None,
        now: datetime,
        expires_at: datetime,
        purpose: str = "join",
    ) -> Invitation:
        invitation = Invitation(
            token_digest=token_digest,
            person_id=person_id,
            created_by_id=created_by_id,
            created_at=now,
            expires_at=expires_at,
            purpose=purpose,
        )
        self._session.add(invitation)
        await self._session.flush()
        return invitation

    async def get_by_digest(self, token_digest: str) -> Invitation | None:
        return await self._session.scalar(
            select(Invitation).where(Invitation.token_digest == token_digest)
        )

    async def revoke_others(self, invitation: Invitation, now: datetime) -> None:
        """Every other open link of the person stops working: whoever holds one is not them."""
        await self._session.execute(
            update(Invitation)
            .where(
                Invitation.person_id == invitation.person_id,
                Invitation.id != invitation.id,
                Invitation.used_at.is_(None),
                Invitation.revoked_at.is_(None),
            )
            .values(revoked_at=now)
        )

    def mark_used(self, invitation: Invitation, *, user_address: int, now: datetime) -> None:
        invitation.used_at = now
        invitation.used_by_address = user_address
