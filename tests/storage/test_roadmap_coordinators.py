"""Who answers for each roadmap: a roadmap's reports and digest go to the coordinators named for
it, a roadmap nobody is named for is everyone's, a named coordinator who left or has not joined
the chat yet never leaves a report announced to nobody, and the roadmap's report is signed by
its own coordinator."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import Person
from storage.usecases.planning import sync_occurrences
from storage.usecases.progress import load_digest
from storage.usecases.reports.announcements import coordinator_chats
from storage.usecases.roadmap_choice import set_archived
from storage.usecases.roadmap_coordinators import (
    coordinators_for,
    name_coordinators,
    roadmaps_of,
    signing_coordinator,
)
from tests.storage.test_roadmap_save import add_schools, draft_of, save
from tests.support import MutableClock, unit_of_work

NOW = datetime(2026, 4, 3, 2, 0, tzinfo=UTC)


async def _department(
    factory: async_sessionmaker[AsyncSession],
) -> tuple[int, int, int, int]:
    """Two active roadmaps (the ШНОР one kept active past its period) and two coordinators in
    the chat, Анна first; returns (roadmap to 2030, ШНОР roadmap, Анна, Борис)."""
    clock = MutableClock(NOW)
    await add_schools(factory, clock, "МОУ СОШ № 1 ШНОР")
    to_2030 = (await save(factory, clock, draft_of("ust_kut"))).roadmap_id
    shnor = (await save(factory, clock, draft_of("ust_ilimsk"))).roadmap_id
    async with unit_of_work(factory) as uow:
        await set_archived(uow, shnor, archived=False, today=NOW.date())
        await sync_occurrences(uow)
        ids = []
        for chat, name in ((101, "Антипина Анна Михайловна"), (202, "Борисов Борис Борисович")):
            person = await uow.people.add(full_name=name, role="coordinator", now=NOW)
            uow.people.mark_joined(
                person, user_address=chat, chat_id=chat, username=None, locale="ru", now=NOW
            )
            ids.append(person.id)
        await uow.commit()
    return to_2030, shnor, ids[0], ids[1]


async def test_a_roadmap_nobody_is_named_for_is_every_coordinators(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    to_2030, shnor, anna, boris = await _department(session_factory)
    async with unit_of_work(session_factory) as uow:
        assert await coordinator_chats(uow, to_2030) == [(101, "ru"), (202, "ru")]
        assert await roadmaps_of(uow, anna) is None and await roadmaps_of(uow, boris) is None
        signer = await signing_coordinator(uow, await uow.roadmaps.get(to_2030))  # type: ignore[arg-type]
        assert signer is not None and signer.id == anna  # the first who joined

        await name_coordinators(uow, shnor, [boris])
        await uow.commit()

        assert await coordinator_chats(uow, shnor) == [(202, "ru")]
        assert await coordinator_chats(uow, to_2030) == [(101, "ru"), (202, "ru")]
        assert await coordinator_chats(uow, None) == [(101, "ru"), (202, "ru")]
        theirs = await roadmaps_of(uow, anna)
        assert theirs is not None and shnor not in theirs and to_2030 in theirs
        assert await roadmaps_of(uow, boris) is None  # named wherever somebody is
        signer = await signing_coordinator(uow, await uow.roadmaps.get(shnor))  # type: ignore[arg-type]
        assert signer is not None and signer.id == boris


async def test_the_digest_of_a_coordinator_holds_only_her_roadmaps(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    to_2030, shnor, anna, boris = await _department(session_factory)
    async with unit_of_work(session_factory) as uow:
        await name_coordinators(uow, to_2030, [anna])
        await name_coordinators(uow, shnor, [boris])
        await uow.commit()
        today = NOW.date()
        whole = await load_digest(uow, today)
        hers = await load_digest(uow, today, await roadmaps_of(uow, anna))
    everything = whole.overdue + whole.not_done + whole.due_soon
    assert {item.roadmap_id for item in everything} == {to_2030, shnor}
    assert {item.roadmap_id for item in hers.overdue + hers.not_done + hers.due_soon} == {to_2030}
    assert sum(hers.totals.values()) < sum(whole.totals.values())  # the totals are hers too
    assert whole.roadmaps and hers.roadmaps == []  # one roadmap of hers: no headings


async def test_a_named_coordinator_who_left_or_never_joined_leaves_nobody_untold(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    to_2030, _shnor, anna, boris = await _department(session_factory)
    async with unit_of_work(session_factory) as uow:
        await name_coordinators(uow, to_2030, [boris])
        await uow.session.execute(
            update(Person).where(Person.id == boris).values(chat_address=None)
        )
        await uow.commit()
        # Борис has not joined the chat: everyone is told rather than nobody.
        assert await coordinator_chats(uow, to_2030) == [(101, "ru")]
        await uow.session.execute(update(Person).where(Person.id == boris).values(is_active=False))
        await uow.commit()
        # Борис left: the roadmap is everyone's again, in the digest too.
        assert [p.id for p in await coordinators_for(uow, to_2030)] == [anna]
        assert await roadmaps_of(uow, anna) is None
