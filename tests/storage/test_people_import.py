"""Schools and heads from the municipality's list reach the measures for every school."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from demo.documents import seed_document
from domain.people_sheet import read_people
from domain.roadmap.build import build_draft
from formats.roadmap_files import read_roadmap_file
from storage.models import Assignment, Measure, Organisation, Person
from storage.usecases.people import import_school_heads, invite_everyone
from storage.usecases.roadmaps import save_roadmap
from tests.fixtures.people import people_xlsx
from tests.support import MutableClock, unit_of_work


def test_the_list_is_read_by_meaning() -> None:
    heads = read_people(read_roadmap_file("heads.xlsx", people_xlsx()))
    assert [(h.school, h.full_name, h.low_results) for h in heads][1] == (
        "МОУ СОШ № 2 г. Усть-Кута",
        "Петров Пётр Петрович",
        True,
    )
    assert heads[2].email is None  # «not-an-email» is not stored, but reported
    assert heads[2].email_problem == "not-an-email"
    assert (heads[0].email, heads[0].email_problem) == ("school1@uk.ru", None)


async def test_group_measures_reach_schools_imported_later(
    session_factory: async_sessionmaker[AsyncSession], clock: MutableClock
) -> None:
    async with unit_of_work(session_factory) as uow:
        await save_roadmap(
            uow,
            build_draft(seed_document("ust_ilimsk"), fallback_year=2026),
            now=clock.now(),
            timezone="Asia/Irkutsk",
        )
        await uow.commit()
    heads = read_people(read_roadmap_file("heads.xlsx", people_xlsx()))

    async with unit_of_work(session_factory) as uow:
        imported = await import_school_heads(uow, heads, now=clock.now())
        await uow.commit()
    async with unit_of_work(session_factory) as uow:
        again = await import_school_heads(uow, heads, now=clock.now())
        await uow.commit()

    assert (imported.schools_added, imported.people_added) == (3, 3)
    assert (again.schools_added, again.people_added, again.assignments_added) == (0, 0, 0)
    async with session_factory() as session:
        measure = await session.scalar(
            select(Measure).where(Measure.number == "16")
        )  # Руководители ШНОР
        assert measure is not None
        schools = list(
            await session.scalars(
                select(Organisation.name)
                .join(Assignment, Assignment.organisation_id == Organisation.id)
                .where(Assignment.measure_id == measure.id)
            )
        )
        assert schools == ["МОУ СОШ № 2 г. Усть-Кута"]
        assert (
            await session.scalar(
                select(func.count(Person.id)).where(Person.organisation_id.is_not(None))
            )
            == 3
        )


async def test_everyone_not_joined_gets_a_link(
    session_factory: async_sessionmaker[AsyncSession], clock: MutableClock
) -> None:
    heads = read_people(read_roadmap_file("heads.xlsx", people_xlsx()))
    async with unit_of_work(session_factory) as uow:
        await import_school_heads(uow, heads, now=clock.now())
        lines = await invite_everyone(uow, now=clock.now())
        await uow.commit()
    assert [line.full_name for line in lines] == [
        "Иванова Мария Петровна",
        "Петров Пётр Петрович",
        "Сидорова Анна Ивановна",
    ]
    assert len({line.invitation.token for line in lines}) == 3
