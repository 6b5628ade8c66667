from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    ROADMAP_MEASURE,
    Assignment,
    Measure,
    Occurrence,
    Organisation,
    Person,
    Roadmap,
    Section,
    StatusReport,
)


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
            select(Measure)
            .where(Measure.roadmap_id == roadmap_id, Measure.kind == ROADMAP_MEASURE)
            .order_by(Measure.position)
        )
        return list(rows)

    async def measures_in_section(self, section_id: int | None, roadmap_id: int) -> list[Measure]:
        condition = (
            Measure.section_id.is_(None) if section_id is None else Measure.section_id == section_id
        )
        rows = await self._session.scalars(
            select(Measure)
            .where(Measure.roadmap_id == roadmap_id, Measure.kind == ROADMAP_MEASURE, condition)
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

    async def assignee_names(self, measure_id: int) -> list[tuple[str, str, str]]:
        """(name, kind of organisation or "person", capacity) of everyone assigned."""
        rows = await self._session.execute(
            select(Person.full_name, Organisation.name, Organisation.kind, Assignment.capacity)
            .select_from(Assignment)
            .outerjoin(Person, Person.id == Assignment.person_id)
            .outerjoin(Organisation, Organisation.id == Assignment.organisation_id)
            .where(Assignment.measure_id == measure_id)
            .order_by(Assignment.id)
        )
        return [
            (person or organisation or "", kind or "person", capacity)
            for person, organisation, kind, capacity in rows
        ]

    async def report_count(self, measure_id: int) -> int:
        query = (
            select(func.count(StatusReport.id))
            .join(Occurrence, Occurrence.id == StatusReport.occurrence_id)
            .where(Occurrence.measure_id == measure_id)
        )
        return int(await self._session.scalar(query) or 0)

    async def get_section(self, section_id: int) -> Section | None:
        return await self._session.get(Section, section_id)
