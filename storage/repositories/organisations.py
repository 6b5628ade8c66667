from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.keys import name_key
from storage.models import Organisation


class OrganisationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, organisation_id: int) -> Organisation | None:
        return await self._session.get(Organisation, organisation_id)

    async def get_by_name(self, name: str) -> Organisation | None:
        # Case-insensitive match: people type «мбоу сош № 1» as often as «МБОУ СОШ № 1».
        return await self._session.scalar(
            select(Organisation).where(Organisation.name_key == name_key(name))
        )

    async def get_or_add(self, name: str, *, kind: str, now: datetime) -> Organisation:
        existing = await self.get_by_name(name)
        if existing is not None:
            return existing
        organisation = Organisation(
            name=" ".join(name.split()), name_key=name_key(name), kind=kind, created_at=now
        )
        self._session.add(organisation)
        await self._session.flush()
        return organisation

    async def list_all(self) -> list[Organisation]:
        return list(await self._session.scalars(select(Organisation).order_by(Organisation.name)))
