"""``roadmap-bot roadmaps [archive|restore WHICH]``: the department's roadmaps, numbered as
``--roadmap`` takes them; archiving one stops its reminders, restoring starts them again."""

from __future__ import annotations

import sys
from zoneinfo import ZoneInfo

from bot.clock import SystemClock
from bot.settings import Settings
from cli.roadmap_choice import NOT_CHOSEN, RoadmapNotChosenError, choose_roadmap, print_roadmaps
from storage.engine import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.unit_of_work import UnitOfWork
from storage.usecases.planning import replan
from storage.usecases.roadmap_choice import roadmap_entries, set_archived
from storage.usecases.roadmap_coordinators import (
    active_coordinators,
    coordinator_choices,
    name_coordinators,
)


async def run_roadmaps(settings: Settings, action: str | None, words: str | None) -> int:
    now = SystemClock().now()
    today = now.astimezone(ZoneInfo(settings.timezone)).date()
    engine = create_engine(settings.db.url)
    try:
        await upgrade(engine)
        async with create_session_factory(engine)() as session:
            uow = UnitOfWork(session)
            if action is None:
                entries = await roadmap_entries(uow, today)
                if not entries:
                    print("no roadmap imported yet")
                print_roadmaps(entries, sys.stdout)
                return 0
            try:
                roadmap = await choose_roadmap(uow, words, today=today, command="roadmaps")
            except RoadmapNotChosenError:
                return NOT_CHOSEN
            if roadmap is None:
                print("roadmap-bot roadmaps: no roadmap imported yet", file=sys.stderr)
                return 1
            await set_archived(uow, roadmap.id, archived=action == "archive", today=today)
            if action == "restore":  # its reminders of the year ahead, planned again
                await replan(uow, now, [m.id for m in await uow.roadmaps.measures(roadmap.id)])
            await uow.commit()
            entries = await roadmap_entries(uow, today)
    finally:
        await engine.dispose()
    done = "archived: no reminders" if action == "archive" else "restored: reminders resume"
    print(f"«{roadmap.title}» {done}")
    print_roadmaps(entries, sys.stdout)
    return 0


async def run_roadmap_coordinators(
    settings: Settings, words: str, *, names: list[str] | None, everyone: bool
) -> int:
    """Print who answers for a roadmap; with ``--name`` (repeated) or ``--everyone``, set it."""
    now = SystemClock().now()
    today = now.astimezone(ZoneInfo(settings.timezone)).date()
    engine = create_engine(settings.db.url)
    try:
        await upgrade(engine)
        async with create_session_factory(engine)() as session:
            uow = UnitOfWork(session)
            try:
                roadmap = await choose_roadmap(uow, words, today=today, command="roadmaps")
            except RoadmapNotChosenError:
                return NOT_CHOSEN
            if roadmap is None:
                print("roadmap-bot roadmaps: no roadmap imported yet", file=sys.stderr)
                return 1
            if names or everyone:
                coordinators = {p.id: p for p in await active_coordinators(uow)}
                chosen: list[int] = []
                for name in names or []:
                    found = [p for p in await uow.people.named(name) if p.id in coordinators]
                    if len(found) != 1:
                        problem = "no active coordinator" if not found else "two coordinators"
                        print(
                            f"roadmap-bot roadmaps: {problem} named «{name}»; nothing changed. "
                            "`roadmap-bot roadmaps coordinators ROADMAP` lists the coordinators",
                            file=sys.stderr,
                        )
                        return 2
                    chosen.append(found[0].id)
                await name_coordinators(uow, roadmap.id, chosen)
                uow.audit.add(
                    at=now,
                    action="roadmaps.coordinators",
                    details={"roadmap": roadmap.id, "coordinators": sorted(chosen)},
                )
                await uow.commit()
            choices = await coordinator_choices(uow, roadmap.id)
    finally:
        await engine.dispose()
    print(f"«{' '.join(roadmap.title.split())}»")
    if not any(choice.named for choice in choices):
        print("answered for by every coordinator (nobody is named):")
    else:
        print("answered for by the coordinators marked *:")
    for choice in choices:
        print(f"  {'*' if choice.named else ' '} {choice.full_name}")
    return 0
