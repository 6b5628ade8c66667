"""A database with many schools and reminders due now, written fast with bulk inserts.

Used by the end-to-end reminder tests and the sending benchmark.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.engine import create_engine, create_session_factory
from storage.keys import name_key
from storage.migrate import upgrade
from storage.models import (
    Assignment,
    Measure,
    Occurrence,
    Organisation,
    Person,
    Reminder,
    Roadmap,
    StatusReport,
)


async def add_roadmap(
    session: AsyncSession, title: str, now: datetime, *, years: tuple[int, int] = (2026, 2030)
) -> Roadmap:
    roadmap = Roadmap(
        title=title,
        period_start_on=date(years[0], 1, 1),
        period_end_on=date(years[1], 12, 31),
        timezone="Asia/Irkutsk",
        created_at=now,
    )
    session.add(roadmap)
    await session.flush()
    return roadmap


async def seed_due_reminders(
    db_url: str, chat_ids: list[int], *, due_at: datetime, reported: Collection[int] = ()
) -> None:
    """One school per chat, its head joined with that chat; one measure for every school, due
    today; one reminder per head due at ``due_at``. Schools whose chat is in ``reported`` have
    already reported (their occurrence is closed)."""
    engine = create_engine(db_url)
    await upgrade(engine)
    now = due_at
    try:
        async with create_session_factory(engine)() as session:
            roadmap = await add_roadmap(session, "Дорожная карта для проверки", now)
            measure = Measure(
                roadmap_id=roadmap.id,
                number="П3.2",
                position=0,
                title="Направить дорожную карту школы в Управление образованием",
                deadline_text="до 17 апреля 2026 г.",
                schedule_kind="once",
                schedule_due=[due_at.date().isoformat()],
                result_text="Дорожная карта направлена",
            )
            session.add(measure)
            await session.flush()
            await session.execute(
                insert(Organisation),
                [
                    {
                        "name": f"СОШ № {i}",
                        "name_key": name_key(f"СОШ № {i}"),
                        "kind": "school",
                        "created_at": now,
                    }
                    for i in range(len(chat_ids))
                ],
            )
            orgs = dict((await session.execute(select(Organisation.name, Organisation.id))).all())
            await session.execute(
                insert(Person),
                [
                    {
                        "full_name": f"Директор {i}",
                        "name_key": name_key(f"Директор {i}"),
                        "role": "responsible",
                        "organisation_id": orgs[f"СОШ № {i}"],
                        "user_address": chat,
                        "chat_address": chat,
                        "is_active": True,
                        "created_at": now,
                        "joined_at": now,
                    }
                    for i, chat in enumerate(chat_ids)
                ],
            )
            people = dict((await session.execute(select(Person.organisation_id, Person.id))).all())
            chats = dict((await session.execute(select(Person.id, Person.chat_address))).all())
            await session.execute(
                insert(Assignment),
                [
                    {"measure_id": measure.id, "organisation_id": org_id, "capacity": "responsible"}
                    for org_id in orgs.values()
                ],
            )
            assignments = dict(
                (await session.execute(select(Assignment.organisation_id, Assignment.id))).all()
            )
            await session.execute(
                insert(Occurrence),
                [
                    {
                        "assignment_id": assignment_id,
                        "measure_id": measure.id,
                        "due_on": due_at.date(),
                        "status": "closed" if chats[people[org_id]] in reported else "open",
                    }
                    for org_id, assignment_id in assignments.items()
                ],
            )
            occurrences = dict(
                (await session.execute(select(Occurrence.assignment_id, Occurrence.id))).all()
            )
            rows = []
            reports = []
            for org_id, assignment_id in assignments.items():
                person_id = people[org_id]
                occurrence_id = occurrences[assignment_id]
                rows.append(
                    {
                        "occurrence_id": occurrence_id,
                        "person_id": person_id,
                        "kind": "due",
                        "due_at": due_at,
                        "state": "pending",
                        "attempts": 0,
                    }
                )
                if chats[person_id] in reported:
                    reports.append(
                        {
                            "occurrence_id": occurrence_id,
                            "person_id": person_id,
                            "status": "done",
                            "text": "Направлена",
                            "created_at": now,
                        }
                    )
            await session.execute(insert(Reminder), rows)
            if reports:
                await session.execute(insert(StatusReport), reports)
            await session.commit()
    finally:
        await engine.dispose()


async def seed_answers(db_url: str, *, schools: int, measures: int, now: datetime) -> int:
    """A roadmap of ``measures`` measures for ``schools`` schools, one occurrence each, and one
    report (with text, a link and a file name) on every occurrence: schools × measures answers."""
    engine = create_engine(db_url)
    await upgrade(engine)
    try:
        async with create_session_factory(engine)() as session:
            roadmap = await add_roadmap(
                session, "Дорожная карта повышения качества образования", now
            )
            await session.execute(
                insert(Measure),
                [
                    {
                        "roadmap_id": roadmap.id,
                        "number": f"{m // 10 + 1}.{m % 10 + 1}",
                        "position": m,
                        "title": f"Мероприятие {m}: разработка и утверждение плана работы",
                        "deadline_text": "ежегодно до 1 ноября",
                        "schedule_kind": "once",
                        "schedule_due": ["2026-11-01"],
                        "responsible_text": "Руководители ОО",
                        "result_text": "План утверждён и размещён на сайте",
                    }
                    for m in range(measures)
                ],
            )
            measure_ids = list(await session.scalars(select(Measure.id).order_by(Measure.id)))
            await session.execute(
                insert(Organisation),
                [
                    {
                        "name": f"СОШ № {i}",
                        "name_key": f"сош {i}",
                        "kind": "school",
                        "created_at": now,
                    }
                    for i in range(schools)
                ],
            )
            org_ids = list(await session.scalars(select(Organisation.id).order_by(Organisation.id)))
            await session.execute(
                insert(Person),
                [
                    {
                        "full_name": f"Директор школы {i}",
                        "role": "responsible",
                        "organisation_id": org,
                        "created_at": now,
                        "is_active": True,
                    }
                    for i, org in enumerate(org_ids)
                ],
            )
            heads = dict((await session.execute(select(Person.organisation_id, Person.id))).all())
            await session.execute(
                insert(Assignment),
                [{"measure_id": m, "organisation_id": o} for m in measure_ids for o in org_ids],
            )
            assignments = (
                await session.execute(
                    select(Assignment.id, Assignment.measure_id, Assignment.organisation_id)
                )
            ).all()
            await session.execute(
                insert(Occurrence),
                [
                    {
                        "assignment_id": a,
                        "measure_id": m,
                        "due_on": date(2026, 11, 1),
                        "status": "closed",
                    }
                    for a, m, _ in assignments
                ],
            )
            occurrences = (
                await session.execute(
                    select(Occurrence.id, Assignment.organisation_id).join(
                        Assignment, Assignment.id == Occurrence.assignment_id
                    )
                )
            ).all()
            await session.execute(
                insert(StatusReport),
                [
                    {
                        "occurrence_id": occurrence,
                        "person_id": heads[org],
                        "status": "done",
                        "text": f"Выполнено: план утверждён приказом № {occurrence} от 20.10.2026, "
                        "размещён на сайте школы",
                        "evidence_url": f"https://school{org}.example.ru/docs/{occurrence}",
                        "evidence_file_name": f"Приказ {occurrence}.pdf",
                        "review": "accepted",
                        "version": 1,
                        "created_at": now,
                        "notified_at": now,
                    }
                    for occurrence, org in occurrences
                ],
            )
            await session.commit()
            return len(occurrences)
    finally:
        await engine.dispose()
