"""Saving imported roadmaps: assignments from what the roadmap names, updates by number."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from demo.documents import seed_document
from domain.deadlines import Schedule, ScheduleKind
from domain.roadmap.build import build_draft
from domain.roadmap.draft import MeasureDraft, RoadmapDraft
from storage.models import Assignment, Measure, Occurrence, Organisation, Person, StatusReport
from storage.usecases.roadmaps import save_roadmap
from tests.support import MutableClock, unit_of_work


def draft_of(name: str) -> RoadmapDraft:
    return build_draft(seed_document(name), fallback_year=2026)


async def add_schools(
    factory: async_sessionmaker[AsyncSession], clock: MutableClock, *names: str
) -> None:
    async with unit_of_work(factory) as uow:
        for name in names:
            school = await uow.organisations.get_or_add(name, kind="school", now=clock.now())
            school.tags = ["ШНОР"] if "ШНОР" in name else []
        await uow.commit()


async def save(factory: async_sessionmaker[AsyncSession], clock: MutableClock, draft: RoadmapDraft):  # type: ignore[no-untyped-def]
    async with unit_of_work(factory) as uow:
        saved = await save_roadmap(uow, draft, now=clock.now(), timezone="Asia/Irkutsk")
        await uow.commit()
    return saved


async def count(factory: async_sessionmaker[AsyncSession], model: type) -> int:
    async with factory() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_every_school_gets_its_own_assignment(
    session_factory: async_sessionmaker[AsyncSession], clock: MutableClock
) -> None:
    await add_schools(session_factory, clock, "МОУ СОШ № 1", "МОУ СОШ № 2", "МОУ СОШ № 3")

    saved = await save(session_factory, clock, draft_of("ust_kut"))

    assert saved.created and saved.measures_added == 22
    async with session_factory() as session:
        measure = await session.scalar(select(Measure).where(Measure.number == "П3.2"))
        assert measure is not None and measure.schedule_due == ["2026-04-17"]
        schools = await session.scalars(
            select(Organisation.name)
            .join(Assignment, Assignment.organisation_id == Organisation.id)
            .where(Assignment.measure_id == measure.id)
        )
        assert sorted(schools) == ["МОУ СОШ № 1", "МОУ СОШ № 2", "МОУ СОШ № 3"]


async def test_named_people_become_people_once(
    session_factory: async_sessionmaker[AsyncSession], clock: MutableClock
) -> None:
    await save(session_factory, clock, draft_of("severobaikalsk"))
    async with session_factory() as session:
        names = list(await session.scalars(select(Person.full_name).order_by(Person.full_name)))
    assert "Ананина А.Н." in names and names.count("Ананина А.Н.") == 1


async def test_shnor_groups_reach_only_shnor_schools(
    session_factory: async_sessionmaker[AsyncSession], clock: MutableClock
) -> None:
    await add_schools(session_factory, clock, "МОУ СОШ № 1", "МОУ СОШ № 5 (ШНОР)")
    await save(session_factory, clock, draft_of("ust_ilimsk"))
    async with session_factory() as session:
        measure = await session.scalar(
            select(Measure).where(Measure.number == "16")
        )  # Руководители ШНОР
        assert measure is not None
        schools = list(
            await session.scalars(
                select(Organisation.name)
                .join(Assignment, Assignment.organisation_id == Organisation.id)
                .where(Assignment.measure_id == measure.id, Organisation.kind == "school")
            )
        )
    assert schools == ["МОУ СОШ № 5 (ШНОР)"]


async def test_reimport_updates_by_number_and_keeps_reports(
    session_factory: async_sessionmaker[AsyncSession], clock: MutableClock
) -> None:
    await add_schools(session_factory, clock, "МОУ СОШ № 1")
    first = draft_of("ust_kut")
    await save(session_factory, clock, first)
    async with session_factory() as session:
        measure = await session.scalar(select(Measure).where(Measure.number == "1.2"))
        assert measure is not None
        assignment = await session.scalar(
            select(Assignment).where(
                Assignment.measure_id == measure.id, Assignment.organisation_id.is_not(None)
            )
        )
        assert assignment is not None
        occurrence = Occurrence(
            assignment_id=assignment.id, measure_id=measure.id, due_on=date(2026, 4, 30)
        )
        session.add(occurrence)
        await session.flush()
        person = Person(full_name="Иванова М.П.", role="responsible", created_at=clock.now())
        session.add(person)
        await session.flush()
        session.add(
            StatusReport(
                occurrence_id=occurrence.id,
                person_id=person.id,
                status="done",
                text="Разработана",
                created_at=clock.now(),
            )
        )
        await session.commit()

    # The amended roadmap: 1.2 gets a new deadline and no longer names schools; 1.1 is gone.
    amended_measures: list[MeasureDraft] = []
    for draft_measure in first.measures:
        if draft_measure.number == "1.1":
            continue
        if draft_measure.number == "1.2":
            draft_measure = replace(
                draft_measure,
                deadline_text="Май 2026 г.",
                schedule=Schedule(ScheduleKind.ONCE, (date(2026, 5, 31),)),
                assignees=draft_measure.assignees[:1],
            )
        amended_measures.append(draft_measure)
    saved = await save(session_factory, clock, replace(first, measures=tuple(amended_measures)))

    assert not saved.created
    assert (saved.measures_added, saved.measures_updated, saved.measures_kept) == (0, 21, 1)
    assert await count(session_factory, StatusReport) == 1
    async with session_factory() as session:
        updated = await session.scalar(select(Measure).where(Measure.number == "1.2"))
        assert updated is not None and updated.schedule_due == ["2026-05-31"]
        # The school's assignment stays because it holds a report.
        kept = await session.get(Assignment, assignment.id)
        assert kept is not None
    assert await count(session_factory, Measure) == 22
