"""A measure's actual result: of two coordinators saving at once from the same version, one
wins and the other is told what was saved; the draft names schools' accepted answers only."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import Measure
from storage.usecases.actual_results import SaveOutcome, current_result, save_result
from tests.storage.test_roadmap_save import draft_of, save
from tests.support import MutableClock, unit_of_work

NOW = datetime(2026, 4, 20, 1, 0, tzinfo=UTC)


async def saving(
    factory: async_sessionmaker[AsyncSession], measure_id: int, text: str, seen: int
) -> SaveOutcome:
    async with unit_of_work(factory) as uow:
        outcome = await save_result(
            uow, measure_id, text, seen_version=seen, person_id=None, now=NOW
        )
        if outcome.saved:
            await uow.commit()
        else:
            await uow.rollback()
        return outcome


async def test_two_saves_from_the_same_version_one_wins(
    session_factory: async_sessionmaker[AsyncSession], clock: MutableClock
) -> None:
    await save(session_factory, clock, draft_of("ust_kut"))
    async with session_factory() as session:
        measure_id = await session.scalar(select(Measure.id).where(Measure.number == "П3.2"))
    assert measure_id is not None
    for seen in (0, 1, 2):
        first, second = await asyncio.gather(
            saving(session_factory, measure_id, f"Анна {seen}", seen),
            saving(session_factory, measure_id, f"Ольга {seen}", seen),
        )
        assert sorted([first.saved, second.saved]) == [False, True]
        winner, loser = (first, second) if first.saved else (second, first)
        assert loser.current.text == winner.current.text  # the loser is shown what was saved
        assert loser.current.version == seen + 1
    async with unit_of_work(session_factory) as uow:
        assert (await current_result(uow, measure_id)).version == 3
