"""«Таблица 1» from the database: the municipal value is made of each school's current figure
(the latest not returned), Σ numerators / Σ denominators, with how many of the asked schools
answered; the coordinator's own entry stands for an indicator she enters herself."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.indicators.municipal import Reached
from storage.models import IndicatorCollection, Organisation, Person, StatusReport
from storage.usecases.indicator_counting import record_figure
from storage.usecases.indicator_table import indicator_lines, school_figures
from storage.usecases.reports.cards import report_card
from storage.usecases.reports.review import review_report
from tests.indicator_support import AS_OF, NOW, Seeder
from tests.support import unit_of_work


async def test_the_table_sums_each_schools_current_figures(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with unit_of_work(session_factory) as uow:
        seed = Seeder(uow.session)
        roadmap = await seed.roadmap()
        share = await seed.indicator(
            roadmap, "1", "Доля педагогов, прошедших диагностику", "up", {2026: "10"}
        )
        second_shift = await seed.indicator(
            roadmap, "2", "Доля обучающихся во вторую смену", "down", {2026: "не более 5 %"}
        )
        schools = [
            await seed.add(Organisation(name=f"МБОУ СОШ № {n}", created_at=NOW))
            for n in range(1, 5)
        ]
        head = await seed.add(
            Person(full_name="Иванова Мария Петровна", role="responsible", created_at=NOW)
        )
        asked = await seed.collected_from(roadmap, share, schools)
        await seed.figures(share, asked[0], schools[0], head, 3, 40, "accepted")
        # Sent 50 of 60 first, returned, then corrected: only the correction counts.
        await seed.figures(share, asked[1], schools[1], head, 50, 60, "returned")
        await seed.figures(share, asked[1], schools[1], head, 5, 60)
        # A correction returned after an accepted figure: the accepted one stays current.
        await seed.figures(share, asked[2], schools[2], head, 4, 50, "accepted")
        await seed.figures(share, asked[2], schools[2], head, 49, 50, "returned")
        # schools[3] has not answered.
        await seed.collected_from(roadmap, second_shift, schools[:2])
        await uow.commit()

    async with unit_of_work(session_factory) as uow:
        lines = await indicator_lines(uow, roadmap.id)
        figures = await school_figures(uow, roadmap.id)

    assert [line.number for line in lines] == ["1", "2"]
    year = lines[0].on(AS_OF)
    assert year is not None
    assert year.value.sums is not None
    assert (year.value.sums.numerator, year.value.sums.denominator) == (12, 150)
    assert year.value.value == pytest.approx(8.0)
    assert (year.value.answered, year.value.expected, year.value.partial) == (3, 4, True)
    assert year.target == "10"
    assert year.reached is Reached.NO
    nobody = lines[1].on(AS_OF)
    assert nobody is not None
    assert nobody.value.value is None  # no data, never a zero
    assert nobody.reached is Reached.NO_DATA
    assert sorted((f.organisation, f.numerator, f.denominator) for f in figures) == [
        ("МБОУ СОШ № 1", 3, 40),
        ("МБОУ СОШ № 2", 5, 60),
        ("МБОУ СОШ № 3", 4, 50),
    ]


async def test_the_coordinators_own_entry_is_the_value(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with unit_of_work(session_factory) as uow:
        seed = Seeder(uow.session)
        roadmap = await seed.roadmap()
        indicator = await seed.indicator(
            roadmap, "1", "Доля выпускников, поступивших в вузы", "up", {2026: "не менее 40 %"}
        )
        await seed.add(
            IndicatorCollection(
                indicator_id=indicator.id,
                reporters={"kind": "department"},
                shape="count",
                aggregate="manual",
                as_of=[AS_OF.isoformat()],
            )
        )
        for value in (38.0, 41.5):  # entered, then corrected: the latest is the value
            await record_figure(
                uow,
                indicator_id=indicator.id,
                organisation_id=None,
                as_of_on=AS_OF,
                numerator=value,
                denominator=None,
                now=NOW,
            )
        await uow.commit()

    async with unit_of_work(session_factory) as uow:
        (line,) = await indicator_lines(uow, roadmap.id)
    year = line.on(AS_OF)
    assert year is not None
    assert year.value.value == 41.5
    assert year.reached is Reached.YES


async def test_returning_a_report_takes_its_figures_out_of_the_value(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    """The coordinator's «Вернуть» on a school's figures (the review itself, not a direct call):
    they stop counting, and the school's accepted figure from before counts again."""
    async with unit_of_work(session_factory) as uow:
        seed = Seeder(uow.session)
        roadmap = await seed.roadmap()
        share = await seed.indicator(roadmap, "1", "Доля педагогов", "up", {2026: "10"})
        school = await seed.add(Organisation(name="МБОУ СОШ № 1", created_at=NOW))
        head = await seed.add(Person(full_name="Иванова Мария", role="responsible", created_at=NOW))
        coordinator = await seed.add(
            Person(full_name="Антипина Анна", role="coordinator", created_at=NOW)
        )
        (asked,) = await seed.collected_from(roadmap, share, [school])
        await seed.figures(share, asked, school, head, 4, 50, "accepted")
        await seed.figures(share, asked, school, head, 49, 50)  # a correction, pending
        correction = await uow.session.scalar(select(func.max(StatusReport.id)))
        await uow.commit()

    async with unit_of_work(session_factory) as uow:
        card = await report_card(uow, int(correction or 0))
        assert card is not None
        assert await review_report(
            uow, card, coordinator, accept=False, comment="Проверьте", now=NOW
        )
        await uow.commit()

    async with unit_of_work(session_factory) as uow:
        (line,) = await indicator_lines(uow, roadmap.id)
    year = line.on(AS_OF)
    assert year is not None and year.value.sums is not None
    assert (year.value.sums.numerator, year.value.sums.denominator) == (4, 50)
