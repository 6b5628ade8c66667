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
