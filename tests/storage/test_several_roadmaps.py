"""Several roadmaps in one database: a request belongs to its measure's roadmap, one under no
measure to the department's own holder (never to whichever plan was imported last), and the
list people choose from numbers active roadmaps first and leaves the holder out."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.requests import AddresseeKind, Addressees
from storage.models import ROADMAP_MEASURE, Measure, Roadmap
from storage.usecases.requests.lifecycle import send_request
from storage.usecases.roadmap_choice import archived_condition, roadmap_entries, set_archived
from tests.storage.test_roadmap_save import add_schools, draft_of, save
from tests.support import MutableClock, unit_of_work

NOW = datetime(2026, 4, 3, 2, 0, tzinfo=UTC)
TODAY = date(2026, 4, 3)


async def _request(factory: async_sessionmaker[AsyncSession], parent: int | None) -> int:
    async with unit_of_work(factory) as uow:
        sent = await send_request(
            uow,
            text="Пришлите план",
            due_text="до 30.04.2026",
            due_on=date(2026, 4, 30),
            addressees=Addressees(AddresseeKind.ALL),
            now=NOW,
            parent_measure_id=parent,
        )
        holder = await uow.session.get(Measure, sent.measure_id)
        await uow.commit()
    assert holder is not None
    return holder.roadmap_id


async def test_requests_go_to_their_measures_roadmap_or_the_holder(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    clock = MutableClock(NOW)
    await add_schools(session_factory, clock, "МОУ СОШ № 1")
    to_2030 = (await save(session_factory, clock, draft_of("ust_kut"))).roadmap_id
    shnor = (await save(session_factory, clock, draft_of("ust_ilimsk"))).roadmap_id  # the latest
    async with unit_of_work(session_factory) as uow:
        first_of_2030 = await uow.session.scalar(
            select(Measure.id)
            .where(Measure.roadmap_id == to_2030, Measure.kind == ROADMAP_MEASURE)
            .order_by(Measure.position)
            .limit(1)
        )
    assert first_of_2030 is not None

    assert await _request(session_factory, first_of_2030) == to_2030
    holder = await _request(session_factory, None)
    assert holder not in (to_2030, shnor)
    assert await _request(session_factory, None) == holder  # one holder for every such request

    async with unit_of_work(session_factory) as uow:
        entries = await roadmap_entries(uow, TODAY)
        assert [(e.number, e.id, e.archived) for e in entries] == [
            (1, to_2030, False),
            (2, shnor, True),  # 2024-2025: ended, archived by itself
        ]
        restored = await set_archived(uow, shnor, archived=False, today=TODAY)
        assert restored is not None and restored.archive_choice == "active"
        await set_archived(uow, to_2030, archived=True, today=TODAY)
        await uow.commit()
        entries = await roadmap_entries(uow, TODAY)
        # The SQL the reminders use agrees, the roadmap that follows its period included.
        holder_active = list(
            await uow.session.scalars(select(Roadmap.id).where(~archived_condition(TODAY)))
        )
    assert [(e.id, e.archived) for e in entries] == [(shnor, False), (to_2030, True)]
    assert sorted(holder_active) == sorted([shnor, holder])
