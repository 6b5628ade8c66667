"""Every decision is taken once: two coordinators deciding the same thing at the same moment,
each through a session of their own, on SQLite and PostgreSQL, many times over. Exactly one
wins; the loser changes nothing and learns who decided; the occurrence agrees with the winner."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.requests import AddresseeKind, Addressees
from domain.roles import Role
from storage.models import (
    ExtensionRequest,
    Occurrence,
    Organisation,
    Person,
    Reminder,
    Request,
    StatusReport,
)
from storage.unit_of_work import UnitOfWork
from storage.usecases.reports.cards import report_card
from storage.usecases.reports.extensions import (
    decide_extension,
    extension_decided,
    request_extension,
)
from storage.usecases.reports.reportable import reportable
from storage.usecases.reports.review import review_done, review_report
from storage.usecases.reports.saving import Evidence, save_report
from storage.usecases.requests.lifecycle import (
    amend_request,
    request_withdrawn,
    send_request,
    withdraw_request,
)
from tests.support import unit_of_work

NOW = datetime(2026, 4, 3, 2, 0, tzinfo=UTC)
ROUNDS = 6

Factory = async_sessionmaker[AsyncSession]


async def _people(factory: Factory) -> tuple[int, int, int]:
    """A school with its head, and two coordinators: (head, anna, olga)."""
    async with unit_of_work(factory) as uow:
        school = Organisation(name="СОШ № 1", kind="school", created_at=NOW)
        uow.session.add(school)
        await uow.session.flush()
        people = [
            Person(
                full_name=name,
                role=role.value,
                organisation_id=org,
                user_address=address,
                chat_address=address,
                created_at=NOW,
                joined_at=NOW,
            )
            for name, role, org, address in (
                ("Иванова Мария Петровна", Role.RESPONSIBLE, school.id, 101),
                ("Антипина Анна Михайловна", Role.COORDINATOR, None, 201),
                ("Смирнова Ольга Ивановна", Role.COORDINATOR, None, 202),
            )
        ]
        uow.session.add_all(people)
        await uow.session.flush()
        await uow.commit()
        return people[0].id, people[1].id, people[2].id


async def _occurrence(factory: Factory, round_: int) -> tuple[int, int]:
    """A request to the school (its one occurrence): (request id, occurrence id)."""
    async with unit_of_work(factory) as uow:
        sent = await send_request(
            uow,
            text=f"Сведения № {round_}",
            due_text="до 30.04.2026",
            due_on=date(2026, 4, 30),
            addressees=Addressees(AddresseeKind.ALL),
            now=NOW,
        )
        occurrence_id = await uow.session.scalar(
            select(Occurrence.id).where(Occurrence.measure_id == sent.measure_id)
        )
        await uow.commit()
    assert occurrence_id is not None
    return sent.request_id, occurrence_id


async def _report(factory: Factory, head_id: int, occurrence_id: int) -> int:
    async with unit_of_work(factory) as uow:
        head = await uow.people.get(head_id)
        assert head is not None
        view = await reportable(uow, occurrence_id, head)
        assert view is not None
        card = await save_report(uow, view, head, "done", "Сделано", Evidence(), NOW, notified=True)
        assert card is not None
        await uow.commit()
    return card.report_id


async def _at_once(
    factory: Factory, decide: Callable[[UnitOfWork, Person, bool], Awaitable[bool]], *ids: int
) -> list[bool]:
    """Both coordinators decide together, each in a session of its own: read what is to be
    decided, give way (so on PostgreSQL both have read before either writes), then decide."""

    async def one(person_id: int, first: bool) -> bool:
        async with unit_of_work(factory) as uow:
            person = await uow.people.get(person_id)
            assert person is not None
            won = await decide(uow, person, first)
            if won:
                await uow.commit()
            else:
                await uow.rollback()
            return won

    return list(await asyncio.gather(*(one(i, n == 0) for n, i in enumerate(ids))))


async def test_a_report_is_reviewed_once(session_factory: Factory) -> None:
    head, anna, olga = await _people(session_factory)
    for round_ in range(ROUNDS):
        _request, occurrence_id = await _occurrence(session_factory, round_)
        report_id = await _report(session_factory, head, occurrence_id)

        async def review(
            uow: UnitOfWork, person: Person, accept: bool, report_id: int = report_id
        ) -> bool:
            card = await report_card(uow, report_id)
            await asyncio.sleep(0.02)
            if card is None or card.review != "pending":
                return False
            comment = None if accept else "Приложите приказ"
            return await review_report(uow, card, person, accept=accept, comment=comment, now=NOW)

        outcome = await _at_once(session_factory, review, anna, olga)
        assert sorted(outcome) == [False, True], outcome
        accepted = outcome[0]  # anna accepts, olga returns
        async with unit_of_work(session_factory) as uow:
            report = await uow.session.get(StatusReport, report_id)
            occurrence = await uow.session.get(Occurrence, occurrence_id)
            pending = await uow.session.scalar(
                select(func.count(Reminder.id)).where(
                    Reminder.occurrence_id == occurrence_id, Reminder.state == "pending"
                )
            )
            done = await review_done(uow, report_id)
        assert report is not None and occurrence is not None and done is not None
        winner = anna if accepted else olga
        assert (report.review, report.reviewed_by_id) == (
            "accepted" if accepted else "returned",
            winner,
        )
        # The occurrence agrees with the one decision that stands.
        assert occurrence.status == ("closed" if accepted else "open")
        assert (pending == 0) if accepted else (occurrence.closed_at is None)
        assert done.review == report.review


async def test_an_extension_is_decided_once(session_factory: Factory) -> None:
    head, anna, olga = await _people(session_factory)
    for round_ in range(ROUNDS):
        _request, occurrence_id = await _occurrence(session_factory, round_)
        async with unit_of_work(session_factory) as uow:
            person = await uow.people.get(head)
            assert person is not None
            view = await reportable(uow, occurrence_id, person)
            assert view is not None
            asked = await request_extension(uow, view, person, date(2026, 5, 15), "Педсовет", NOW)
            await uow.commit()

        async def decide(
            uow: UnitOfWork, person: Person, approve: bool, asked_id: int = asked.id
        ) -> bool:
            await uow.session.get(ExtensionRequest, asked_id)
            await asyncio.sleep(0.02)
            decided = await decide_extension(uow, asked_id, person, approve=approve, now=NOW)
            return decided is not None

        outcome = await _at_once(session_factory, decide, anna, olga)
        assert sorted(outcome) == [False, True], outcome
        approved = outcome[0]
        async with unit_of_work(session_factory) as uow:
            stored = await uow.session.get(ExtensionRequest, asked.id)
            occurrence = await uow.session.get(Occurrence, occurrence_id)
            done = await extension_decided(uow, asked.id)
        assert stored is not None and occurrence is not None and done is not None
        assert stored.state == ("approved" if approved else "rejected")
        assert stored.decided_by_id == (anna if approved else olga)
        assert occurrence.due_on == (date(2026, 5, 15) if approved else date(2026, 4, 30))
        assert done.approved is approved


async def test_a_request_is_withdrawn_once_and_not_changed_after(session_factory: Factory) -> None:
    _head, anna, olga = await _people(session_factory)
    for round_ in range(ROUNDS):
        request_id, occurrence_id = await _occurrence(session_factory, round_)

        async def withdraw(
            uow: UnitOfWork, person: Person, _first: bool, request_id: int = request_id
        ) -> bool:
            await uow.session.get(Request, request_id)
            await asyncio.sleep(0.02)
            return await withdraw_request(uow, request_id, NOW, person.id)

        outcome = await _at_once(session_factory, withdraw, anna, olga)
        assert sorted(outcome) == [False, True], outcome
        async with unit_of_work(session_factory) as uow:
            withdrawn = await request_withdrawn(uow, request_id)
            occurrence = await uow.session.get(Occurrence, occurrence_id)
            late = await amend_request(
                uow, request_id, NOW + timedelta(minutes=1), by=anna, text="Новый текст"
            )
            audit = await uow.session.scalar(
                select(func.count()).select_from(Request).where(Request.text == "Новый текст")
            )
        assert withdrawn is not None and occurrence is not None
        assert withdrawn.by == (
            "Антипина Анна Михайловна" if outcome[0] else "Смирнова Ольга Ивановна"
        )
        assert occurrence.status == "cancelled"
        assert late is None and audit == 0  # a withdrawn request is not changed afterwards


async def test_a_review_and_a_newer_version_at_once_leave_the_occurrence_as_the_latest_says(
    session_factory: Factory,
) -> None:
    """A coordinator accepts version 1 («done») while the head saves version 2 («in progress»):
    whichever comes first, the occurrence stays open, as its latest report says."""
    head, anna, _olga = await _people(session_factory)
    for round_ in range(ROUNDS):
        _request, occurrence_id = await _occurrence(session_factory, round_)
        report_id = await _report(session_factory, head, occurrence_id)

        async def accept(report_id: int = report_id) -> None:
            async with unit_of_work(session_factory) as uow:
                person = await uow.people.get(anna)
                card = await report_card(uow, report_id)
                await asyncio.sleep(0.02)
                assert person is not None and card is not None
                if await review_report(uow, card, person, accept=True, comment=None, now=NOW):
                    await uow.commit()

        async def save_newer(occurrence_id: int = occurrence_id) -> None:
            async with unit_of_work(session_factory) as uow:
                person = await uow.people.get(head)
                assert person is not None
                view = await reportable(uow, occurrence_id, person)
                await asyncio.sleep(0.02)
                if view is not None:
                    await save_report(
                        uow,
                        view,
                        person,
                        "in_progress",
                        "Ещё в работе",
                        Evidence(),
                        NOW,
                        notified=True,
                    )
                    await uow.commit()

        await asyncio.gather(accept(), save_newer())
        async with unit_of_work(session_factory) as uow:
            latest = (
                await uow.session.scalars(
                    select(StatusReport)
                    .where(StatusReport.occurrence_id == occurrence_id)
                    .order_by(StatusReport.id.desc())
                    .limit(1)
                )
            ).one()
            occurrence = await uow.session.get(Occurrence, occurrence_id)
        assert occurrence is not None
        expected = "closed" if latest.review == "accepted" or latest.status == "done" else "open"
        assert occurrence.status == expected, (round_, latest.version, latest.review)
