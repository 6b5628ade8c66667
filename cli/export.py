"""``roadmap-bot export [--roadmap WHICH] [--as-of DATE] [--from DATE --to DATE] [--out FILE]``."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.clock import SystemClock
from bot.i18n import build_i18n
from bot.settings import Settings
from cli.roadmap_choice import the_roadmap
from domain.roadmap.archive import is_archived, outside_period
from handlers.export.report_files import write_document, write_export
from storage.engine import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.unit_of_work import UnitOfWork
from storage.usecases.export import export_scope, signer_for_command_line
from storage.usecases.roadmap_coordinators import signing_coordinator


async def run_export(
    settings: Settings,
    *,
    as_of: date | None,
    since: date | None,
    out: Path | None,
    file_format: str = "xlsx",
    signer: str | None = None,
    roadmap_words: str | None = None,
) -> int:
    timezone = ZoneInfo(settings.timezone)
    day = as_of or SystemClock().now().astimezone(timezone).date()
    if since is not None and since > day:
        print("roadmap-bot export: --from is after --to", file=sys.stderr)
        return 2
    i18n = build_i18n(settings.default_locale)
    engine = create_engine(settings.db.url)
    try:
        await upgrade(engine)
        async with create_session_factory(engine)() as session:
            uow = UnitOfWork(session)
            today = SystemClock().now().astimezone(timezone).date()
            roadmap = await the_roadmap(uow, roadmap_words, today=today, command="export")
            if isinstance(roadmap, int):
                return roadmap
            start, end = roadmap.period_start_on, roadmap.period_end_on
            if outside_period(since, day, start, end):
                print(
                    f"roadmap-bot export: the report period is outside the roadmap's period "
                    f"({start:%d.%m.%Y}–{end:%d.%m.%Y}); choose dates within it",
                    file=sys.stderr,
                )
                return 2
            if is_archived(roadmap.archive_choice, end, today):
                print(
                    f"roadmap-bot export: «{roadmap.title}» is archived (no reminders); "
                    "its report is written as history",
                    file=sys.stderr,
                )
            target = out or Path(f"Отчет о реализации на {day:%Y-%m-%d}.{file_format}")
            scope = export_scope(day, timezone, since=since)
            with i18n.context(), i18n.use_locale(settings.default_locale):
                if file_format == "docx":
                    person = (
                        await signer_for_command_line(uow, signer)
                        if signer
                        else await signing_coordinator(uow, roadmap)
                    )
                    if person is None or not (person.position or "").strip():
                        who = signer or "the roadmap's coordinator"
                        print(
                            f"roadmap-bot export: no position known for {who}; the signature "
                            "block is left to fill in by hand (a coordinator sets it in the "
                            "chat when exporting the document)",
                            file=sys.stderr,
                        )
                        person = None
                    target.write_bytes(
                        await write_document(
                            uow, scope, person, roadmap, issuer=settings.issuing_body
                        )
                    )
                else:
                    await write_export(uow, scope, target, roadmap)
    finally:
        await engine.dispose()
    print(target)
    return 0
