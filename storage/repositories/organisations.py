from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.names import name_order
from domain.organisations.names import plain
from storage.keys import name_key
from storage.models import Organisation, OrganisationAlias


class OrganisationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, organisation_id: int) -> Organisation | None:
        return await self._session.get(Organisation, organisation_id)

    async def get_by_name(self, name: str) -> Organisation | None:
        # Case-insensitive match: people type «мбоу сош № 1» as often as «МБОУ СОШ № 1»; and
        # by another name the organisation is known by («УО УКМО»).
        found = await self._session.scalar(
            select(Organisation).where(Organisation.name_key == name_key(name))
        )
        if found is not None:
            return found
        return await self._session.scalar(
            select(Organisation)
            .join(OrganisationAlias, OrganisationAlias.organisation_id == Organisation.id)
            .where(OrganisationAlias.key == plain(name))
        )

    async def aliases(self) -> list[OrganisationAlias]:
        return list(
            await self._session.scalars(select(OrganisationAlias).order_by(OrganisationAlias.id))
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
        """By name as people read a list: «СОШ № 2» before «СОШ № 10»."""
        found = await self._session.scalars(select(Organisation))
        return sorted(found, key=lambda organisation: name_order(organisation.name))
