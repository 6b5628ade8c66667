"""Indicators saved with their roadmap, in the same transaction; a re-import updates each by
number and name and keeps its id."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from demo.documents import seed_document
from domain.indicators.draft import Direction, IndicatorDraft, Value
from domain.roadmap.build import build_draft
from domain.roadmap.draft import RoadmapDraft
from storage.models import Indicator, IndicatorTarget, Measure, Roadmap
from storage.usecases.roadmaps import save_roadmap
from tests.support import MutableClock, unit_of_work

SHARE = IndicatorDraft(
    number="1",
    name="Доля педагогических работников, прошедших диагностику профессиональных дефицитов",
    unit="%",
    base=Value(2024, "8,5"),
    targets=(Value(2025, "10"), Value(2026, "12")),
    direction=Direction.UP,
    direction_inferred=True,
)
SECOND_SHIFT = IndicatorDraft(
    number="2",
    name="Доля обучающихся, занимающихся во вторую смену",
    unit="%",
    base=None,
    targets=(Value(None, "не более 5 %"),),
    direction=Direction.DOWN,
    measure="1.1",
)


def with_indicators(*indicators: IndicatorDraft) -> RoadmapDraft:
    draft = build_draft(seed_document("ust_kut"), fallback_year=2026)
    return replace(draft, indicators=indicators)


async def save(
    factory: async_sessionmaker[AsyncSession], clock: MutableClock, draft: RoadmapDraft
) -> None:
    async with unit_of_work(factory) as uow:
        await save_roadmap(uow, draft, now=clock.now(), timezone="Asia/Irkutsk")
        await uow.commit()


async def stored(factory: async_sessionmaker[AsyncSession]) -> list[tuple[object, ...]]:
    async with factory() as session:
        rows: list[tuple[object, ...]] = []
        for indicator in await session.scalars(select(Indicator).order_by(Indicator.position)):
            targets = await session.scalars(
                select(IndicatorTarget)
                .where(IndicatorTarget.indicator_id == indicator.id)
                .order_by(IndicatorTarget.position)
            )
            rows.append(
                (
                    indicator.id,
                    indicator.number,
                    indicator.name,
                    indicator.unit,
                    indicator.base_year,
                    indicator.base_value,
                    indicator.direction,
                    indicator.direction_inferred,
                    indicator.measure_number,
                    [(t.year, t.value) for t in targets],
                )
            )
        return rows


async def test_indicators_are_saved_with_the_roadmap(
    session_factory: async_sessionmaker[AsyncSession], clock: MutableClock
) -> None:
    await save(session_factory, clock, with_indicators(SHARE, SECOND_SHIFT))
    rows = await stored(session_factory)
    assert [row[1:] for row in rows] == [
        ("1", SHARE.name, "%", 2024, "8,5", "up", True, None, [(2025, "10"), (2026, "12")]),
        ("2", SECOND_SHIFT.name, "%", None, None, "down", False, "1.1", [(None, "не более 5 %")]),
    ]


async def test_a_reimport_updates_an_indicator_by_number_and_name_and_keeps_its_id(
    session_factory: async_sessionmaker[AsyncSession], clock: MutableClock
) -> None:
    await save(session_factory, clock, with_indicators(SHARE, SECOND_SHIFT))
    first = {row[2]: row[0] for row in await stored(session_factory)}
    changed = replace(SHARE, targets=(Value(2025, "11"), Value(2026, "13"), Value(2030, "20")))
    renumbered = replace(SECOND_SHIFT, number="3")
    await save(session_factory, clock, with_indicators(changed, renumbered))
    rows = await stored(session_factory)
    assert {row[2]: row[0] for row in rows} == first
    assert rows[0][-1] == [(2025, "11"), (2026, "13"), (2030, "20")]
    assert rows[1][1] == "3"
    async with session_factory() as session:
        assert len((await session.scalars(select(IndicatorTarget))).all()) == 4


async def test_nothing_is_half_saved_when_an_indicator_cannot_be(
    session_factory: async_sessionmaker[AsyncSession], clock: MutableClock
) -> None:
    """A failure while saving the indicators leaves no roadmap and no measures behind."""
    broken = replace(SHARE, number="1" * 40)  # longer than the column: PostgreSQL refuses it
    too_long = replace(broken, unit="x" * 300, name=None)  # type: ignore[arg-type]
    with pytest.raises(Exception):  # noqa: B017 - the database's own error
        await save(session_factory, clock, with_indicators(SHARE, too_long))
    async with session_factory() as session:
        assert (await session.scalars(select(Roadmap))).all() == []
        assert (await session.scalars(select(Measure))).all() == []
        assert (await session.scalars(select(Indicator))).all() == []
