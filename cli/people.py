"""``roadmap-bot people FILE [--invite]`` and ``roadmap-bot invite --all``."""

from __future__ import annotations

import sys
from datetime import timedelta

from bot.clock import SystemClock
from bot.join_links import BotNames
from bot.settings import Settings
from domain.people_sheet import read_people
from domain.roadmap.draft import ImportProblemError
from formats.roadmap_files import read_roadmap_file
from storage.engine import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.unit_of_work import UnitOfWork
from storage.usecases.people import import_school_heads, invite_everyone
from storage.usecases.planning import sync_occurrences


async def run_people(
    settings: Settings, file_name: str, data: bytes, *, invite: bool, names: BotNames | None
) -> int:
    try:
        heads = read_people(read_roadmap_file(file_name, data))
    except ImportProblemError as problem:
        print(
            f"roadmap-bot: cannot read the list ({problem.code.value}): it needs the columns "
            "«Образовательная организация» and «ФИО руководителя»",
            file=sys.stderr,
        )
        return 2
    engine = create_engine(settings.db.url)
    try:
        await upgrade(engine)
        async with create_session_factory(engine)() as session:
            uow = UnitOfWork(session)
            imported = await import_school_heads(uow, heads, now=SystemClock().now())
            await sync_occurrences(uow)  # as in the chat: new schools' deadlines exist at once
            await uow.commit()
            print(
                f"rows: {len(heads)}, new schools: {imported.schools_added}, "
                f"new people: {imported.people_added}, assignments added: {imported.assignments_added}"
            )
            for head in heads:
                if head.email_problem:
                    print(
                        f"not an e-mail address, saved without it: {head.full_name} "
                        f"({head.school}): «{head.email_problem}»",
                        file=sys.stderr,
                    )
            if invite and names is not None:
                await _print_links(uow, settings, names)
    finally:
        await engine.dispose()
    return 0


async def run_invite_all(settings: Settings, names: BotNames) -> int:
    engine = create_engine(settings.db.url)
    try:
        await upgrade(engine)
        async with create_session_factory(engine)() as session:
            await _print_links(UnitOfWork(session), settings, names)
    finally:
        await engine.dispose()
    return 0


async def _print_links(uow: UnitOfWork, settings: Settings, names: BotNames) -> None:
    """A line per person: organisation, name, then a link per messenger, tab-separated."""
    lines = await invite_everyone(
        uow, now=SystemClock().now(), ttl=timedelta(days=settings.invite_ttl_days)
    )
    await uow.commit()
    for line in lines:
        links = "\t".join(link.url for link in names.links(line.invitation.token))
        print(f"{line.organisation}\t{line.full_name}\t{links}")
