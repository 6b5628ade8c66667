"""One session shared by all repositories of a use case, committed once, in one place."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from storage.repositories import (
    AuditRepository,
    InvitationRepository,
    OrganisationRepository,
    PersonRepository,
)
from storage.repositories.roadmaps import RoadmapRepository


class UnitOfWork:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.people = PersonRepository(session)
        self.organisations = OrganisationRepository(session)
        self.invitations = InvitationRepository(session)
        self.audit = AuditRepository(session)
        self.roadmaps = RoadmapRepository(session)

    async def commit(self) -> None:
        await self.session.commit()

    async def rollback(self) -> None:
        await self.session.rollback()
