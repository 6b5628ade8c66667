"""An indicator's collection rule: proposed at import, confirmed into a carrier measure with one
occurrence per school and as-of date (and no line of the official report); a re-import that
changes the indicator's targets keeps the rule, the occurrences and the figures collected."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.indicators.collection import ReporterKind, Reporters
from domain.indicators.draft import Value
from storage.models import (
    INDICATOR_MEASURE,
    IndicatorCollection,
    IndicatorFigure,
    Measure,
    Occurrence,
    Organisation,
    Roadmap,
)
from storage.usecases.assignments import reach_every_school
from storage.usecases.indicator_collection import (
    NoReportersError,
    collections,
    save_rule,
)
from storage.usecases.planning import sync_occurrences
from tests.storage.test_indicator_save import SHARE, save, with_indicators
from tests.support import MutableClock, unit_of_work


async def add_schools(factory: async_sessionmaker[AsyncSession], clock: MutableClock) -> None:
    async with unit_of_work(factory) as uow:
        for name, tags in (("СОШ № 1", ["ШНОР"]), ("СОШ № 2", None), ("СОШ № 3", None)):
            uow.session.add(
                Organisation(name=name, kind="school", tags=tags, created_at=clock.now())
            )
        await uow.commit()


async def test_confirming_a_rule_asks_every_school_as_of_each_date_and_a_reimport_keeps_it(
    session_factory: async_sessionmaker[AsyncSession], clock: MutableClock
) -> None:
    await add_schools(session_factory, clock)
    await save(session_factory, clock, with_indicators(SHARE))
    async with unit_of_work(session_factory) as uow:
        (proposed,) = await collections(uow)
        assert not proposed.confirmed and proposed.measure_id is None
        roadmap = await uow.session.scalar(select(Roadmap))
        assert roadmap is not None
        # the annual report day in every year of the period that has a target
        years = [d.year for d in proposed.rule.as_of]
        assert years == [
            y
            for y in (2025, 2026)
            if y <= roadmap.period_end_on.year and y >= roadmap.period_start_on.year
        ]
        saved = await save_rule(
            uow, proposed.indicator_id, proposed.rule, person_id=None, now=clock.now()
        )
        await uow.commit()
    assert saved.confirmed and saved.reporters_count == 3
    async with unit_of_work(session_factory) as uow:
        measure = await uow.session.get(Measure, saved.measure_id)
        assert measure is not None and measure.kind == INDICATOR_MEASURE
        occurrences = await uow.session.scalar(
            select(func.count(Occurrence.id)).where(Occurrence.measure_id == measure.id)
        )
        assert occurrences == 3 * len(saved.rule.as_of)
        # no measure of the roadmap (its list, the report's lines), as a request is not
        listed = await uow.roadmaps.measures(measure.roadmap_id)
        assert listed and measure.id not in {m.id for m in listed}
        school = await uow.session.scalar(
            select(Organisation.id).where(Organisation.name == "СОШ № 1")
        )
        uow.session.add(
            IndicatorFigure(
                indicator_id=saved.indicator_id,
                organisation_id=school,
                as_of_on=saved.rule.as_of[0],
                numerator=3,
                denominator=30,
                created_at=clock.now(),
            )
        )
        await uow.commit()

    changed = replace(SHARE, targets=(Value(2025, "11"), Value(2026, "15")))
    await save(session_factory, clock, with_indicators(changed))
    async with unit_of_work(session_factory) as uow:
        (after,) = await collections(uow)
        assert (after.indicator_id, after.measure_id, after.confirmed) == (
            saved.indicator_id,
            saved.measure_id,
            True,
        )
        assert await uow.session.scalar(select(func.count(IndicatorFigure.id))) == 1
        assert await uow.session.scalar(select(func.count(IndicatorCollection.id))) == 1


async def test_a_tag_narrows_the_schools_and_nobody_matching_writes_nothing(
    session_factory: async_sessionmaker[AsyncSession], clock: MutableClock
) -> None:
    await add_schools(session_factory, clock)
    await save(session_factory, clock, with_indicators(SHARE))
    async with unit_of_work(session_factory) as uow:
        (proposed,) = await collections(uow)
        nobody = replace(proposed.rule, reporters=Reporters(ReporterKind.TAG, tag="нет такой"))
        try:
            await save_rule(uow, proposed.indicator_id, nobody, person_id=None, now=clock.now())
        except NoReportersError:
            pass
        else:
            raise AssertionError("a rule naming nobody was saved")
        tagged = replace(proposed.rule, reporters=Reporters(ReporterKind.TAG, tag="ШНОР"))
        saved = await save_rule(uow, proposed.indicator_id, tagged, person_id=None, now=clock.now())
        assert saved.reporters_count == 1
        department = replace(proposed.rule, reporters=Reporters(ReporterKind.DEPARTMENT))
        saved = await save_rule(
            uow, proposed.indicator_id, department, person_id=None, now=clock.now()
        )
        assert saved.reporters_count == 0 and saved.rule.aggregate == "manual"
        assert (
            await uow.session.scalar(
                select(func.count(Occurrence.id)).where(Occurrence.status == "open")
            )
            == 0
        )


async def test_a_school_added_later_is_asked_too(
    session_factory: async_sessionmaker[AsyncSession], clock: MutableClock
) -> None:
    await add_schools(session_factory, clock)
    await save(session_factory, clock, with_indicators(SHARE))
    async with unit_of_work(session_factory) as uow:
        (proposed,) = await collections(uow)
        saved = await save_rule(
            uow, proposed.indicator_id, proposed.rule, person_id=None, now=clock.now()
        )
        uow.session.add(Organisation(name="СОШ № 4", kind="school", created_at=clock.now()))
        added = await reach_every_school(uow, clock.now())
        await sync_occurrences(uow, list(added))
        await uow.commit()
        (after,) = await collections(uow)
    assert saved.reporters_count == 3 and after.reporters_count == 4
