from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Assignment, Measure, Roadmap, Section


class RoadmapRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, roadmap_id: int) -> Roadmap | None:
        return await self._session.get(Roadmap, roadmap_id)

    async def find_same(
        self, title: str, order_number: str | None, order_on: object
    ) -> Roadmap | None:
        """The roadmap an amended document replaces: same order, or failing that same title."""
        if order_number and order_on is not None:
            found = await self._session.scalar(
                select(Roadmap).where(
                    Roadmap.order_number == order_number, Roadmap.order_on == order_on
                )
            )
            if found is not None:
                return found
        return await self._session.scalar(
            select(Roadmap).where(Roadmap.title == " ".join(title.split())).limit(1)
        )

    async def list_all(self) -> list[Roadmap]:
        return list(await self._session.scalars(select(Roadmap).order_by(Roadmap.id.desc())))

    async def sections(self, roadmap_id: int) -> list[Section]:
        rows = await self._session.scalars(
            select(Section).where(Section.roadmap_id == roadmap_id).order_by(Section.position)
        )
        return list(rows)

    async def measures(self, roadmap_id: int) -> list[Measure]:
        rows = await self._session.scalars(
            select(Measure).where(Measure.roadmap_id == roadmap_id).order_by(Measure.position)
        )
        return list(rows)

    async def measures_in_section(self, section_id: int | None, roadmap_id: int) -> list[Measure]:
        condition = (
            Measure.section_id.is_(None) if section_id is None else Measure.section_id == section_id
        )
        rows = await self._session.scalars(
            select(Measure)
            .where(Measure.roadmap_id == roadmap_id, condition)
            .order_by(Measure.position)
        )
        return list(rows)

    async def get_measure(self, measure_id: int) -> Measure | None:
        return await self._session.get(Measure, measure_id)

    async def assignments(self, measure_id: int) -> list[Assignment]:
        rows = await self._session.scalars(
            select(Assignment).where(Assignment.measure_id == measure_id).order_by(Assignment.id)
        )
        return list(rows)
