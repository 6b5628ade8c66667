"""Several roadmaps in one database: a request belongs to its measure's roadmap, one under no
measure to the department's own holder (never to whichever plan was imported last), and the
list people choose from numbers active roadmaps first and leaves the holder out. The digest's
items carry their roadmap; an archived roadmap's measures are neither in the digest nor
offered to report on."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.requests import AddresseeKind, Addressees
from storage.models import ROADMAP_MEASURE, Measure, Organisation, Person, Roadmap
from storage.usecases.planning import sync_occurrences
from storage.usecases.progress import current_facts, load_digest
from storage.usecases.reports.reportable import my_occurrences, reporting_choices
from storage.usecases.requests.lifecycle import send_request
from storage.usecases.roadmap_choice import (
    archived_condition,
    archived_title,
    roadmap_entries,
    set_archived,
)
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


async def _two_roadmaps(factory: async_sessionmaker[AsyncSession]) -> tuple[int, int]:
    """The roadmap to 2030 and the ШНОР one (2024-2025, archived by its period), both with a
    ШНОР school on them."""
    clock = MutableClock(NOW)
    await add_schools(factory, clock, "МОУ СОШ № 5 (ШНОР)")
    to_2030 = (await save(factory, clock, draft_of("ust_kut"))).roadmap_id
    shnor = (await save(factory, clock, draft_of("ust_ilimsk"))).roadmap_id
    async with unit_of_work(factory) as uow:
        await sync_occurrences(uow)
        await uow.commit()
    return to_2030, shnor


async def test_the_digest_carries_each_items_roadmap_and_leaves_archived_ones_out(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    to_2030, shnor = await _two_roadmaps(session_factory)
    async with unit_of_work(session_factory) as uow:
        titles = {r.id: r.title for r in await uow.session.scalars(select(Roadmap))}
        digest = await load_digest(uow, TODAY)
        facts = await current_facts(uow, TODAY)
    # One active roadmap: no grouping, and nothing of the archived one.
    assert digest.roadmaps == []
    items = [*digest.overdue, *digest.not_done, *digest.due_soon]
    assert items and {(i.roadmap_id, i.roadmap_title) for i in items} == {
        (to_2030, titles[to_2030])
    }
    assert facts and {f.roadmap_id for f in facts} == {to_2030}

    async with unit_of_work(session_factory) as uow:
        await set_archived(uow, shnor, archived=False, today=TODAY)
        await uow.commit()
        digest = await load_digest(uow, TODAY)
    # Two active roadmaps, in the order every list shows them (the ШНОР one began earlier).
    assert digest.roadmaps == [(shnor, titles[shnor]), (to_2030, titles[to_2030])]
    assert digest.roadmap_order() == digest.roadmaps
    overdue = {(i.roadmap_id, i.roadmap_title) for i in digest.overdue}
    assert overdue == {(shnor, titles[shnor]), (to_2030, titles[to_2030])}


async def test_an_archived_roadmaps_measures_are_not_offered_to_report_on(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    to_2030, shnor = await _two_roadmaps(session_factory)
    async with unit_of_work(session_factory) as uow:
        school = await uow.session.scalar(
            select(Organisation.id).where(Organisation.name == "МОУ СОШ № 5 (ШНОР)")
        )
        head = Person(
            full_name="Иванова Мария", role="responsible", organisation_id=school, created_at=NOW
        )
        uow.session.add(head)
        await uow.commit()
        every = await my_occurrences(uow, head, limit=500)
        offered = await my_occurrences(uow, head, limit=500, today=TODAY)
        choices = await reporting_choices(uow, head, TODAY)
        shnor_measure = next(i.measure_id for i in every if i.roadmap_id == shnor)
        kut_measure = next(i.measure_id for i in every if i.roadmap_id == to_2030)
        archived = await archived_title(uow, shnor_measure, TODAY)
        active = await archived_title(uow, kut_measure, TODAY)
        shnor_title = (await uow.roadmaps.get(shnor)).title  # type: ignore[union-attr]
    # Without a day, history as it is; as of today, the archived roadmap is left out.
    assert {i.roadmap_id for i in every} == {to_2030, shnor}
    assert {i.roadmap_id for i in offered} == {to_2030}
    assert choices and {i.roadmap_id for i in choices} == {to_2030}
    assert all(not i.request and i.roadmap_title.startswith("Дорожная карта") for i in offered)
    assert archived == shnor_title and active is None

    # A request under an archived roadmap's measure is live all the same.
    async with unit_of_work(session_factory) as uow:
        sent = await send_request(
            uow,
            text="Пришлите справку",
            due_text="до 30.04.2026",
            due_on=date(2026, 4, 30),
            addressees=Addressees(AddresseeKind.ALL),
            now=NOW,
            parent_measure_id=shnor_measure,
        )
        await uow.commit()
        offered = await my_occurrences(uow, head, limit=500, today=TODAY)
        request_archived = await archived_title(uow, sent.measure_id, TODAY)
    requests = [i for i in offered if i.request is True]  # a bool, not SQLite's 1
    assert [(i.measure_id, i.roadmap_id) for i in requests] == [(sent.measure_id, shnor)]
    assert request_archived is None
