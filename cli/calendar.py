"""``roadmap-bot calendar (--person NAME | --all [--org ORG]) [--roadmap WHICH] [--out FILE]``."""

from __future__ import annotations

import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.clock import SystemClock
from bot.i18n import DOMAIN, LOCALES_DIR, compile_catalogs
from bot.settings import Settings
from cli.roadmap_choice import NOT_CHOSEN, RoadmapNotChosenError, choose_roadmap
from formats.calendar_file import calendar_file
from handlers.calendar.texts import calendar_texts
from handlers.common.translation import command_line_locale
from storage.engine import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.unit_of_work import UnitOfWork
from storage.usecases.calendar import deadline_events


async def run_calendar(
    settings: Settings,
    *,
    person_name: str | None,
    everyone: bool,
    organisation: str | None,
    out: Path | None,
    roadmap_words: str | None = None,
) -> int:
    today = SystemClock().now().astimezone(ZoneInfo(settings.timezone)).date()
    engine = create_engine(settings.db.url)
    try:
        await upgrade(engine)
        async with create_session_factory(engine)() as session:
            uow = UnitOfWork(session)
            try:
                roadmap = await choose_roadmap(uow, roadmap_words, today=today, command="calendar")
            except RoadmapNotChosenError:
                return NOT_CHOSEN
            person = None
            if not everyone:
                found = await uow.people.named(person_name or "")
                if not found:
                    print(f"roadmap-bot calendar: nobody is named «{person_name}»", file=sys.stderr)
                    return 2
                if len(found) > 1:
                    print(
                        f"roadmap-bot calendar: {len(found)} people are named «{person_name}»; "
                        "use --all --org ORGANISATION instead",
                        file=sys.stderr,
                    )
                    return 2
                person = found[0]
            events = await deadline_events(
                uow,
                person,
                organisation=organisation,
                roadmap_id=roadmap.id if roadmap is not None else None,
            )
    finally:
        await engine.dispose()
    compile_catalogs()
    with command_line_locale(settings.default_locale, LOCALES_DIR, DOMAIN):
        link = f"https://t.me/{settings.bot.username}" if settings.bot.username else None
        data = calendar_file(events, calendar_texts(), timezone=settings.timezone, bot_link=link)
    target = out or Path("deadlines.ics")
    target.write_bytes(data)
    print(f"{target}: {len(events)} deadlines")
    return 0
