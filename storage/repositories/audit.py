from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEvent


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(
        self,
        *,
        at: datetime,
        action: str,
        outcome: str = "ok",
        person_id: int | None = None,
        user_address: int | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        self._session.add(
            AuditEvent(
                at=at,
                action=action,
                outcome=outcome,
                person_id=person_id,
                user_address=user_address,
                details=details,
            )
        )

    async def list_recent(self, limit: int = 100) -> list[AuditEvent]:
        rows = await self._session.scalars(
            select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
        )
        return list(rows)
