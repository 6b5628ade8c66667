"""``roadmap-bot import FILE``: preview or save a roadmap from the command line."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.clock import SystemClock
from bot.i18n import DOMAIN, LOCALES_DIR, compile_catalogs
from bot.settings import Settings
from domain.deadlines import MonthDay, Period
from domain.indicators.draft import IndicatorChoice
from domain.indicators.serialize import tables_to_json
from domain.roadmap.build import NeedsIndicatorColumnsError, build_draft
from domain.roadmap.draft import ImportProblemError, RoadmapDraft
from domain.roadmap.recognise import ColumnChoice, NeedsColumnsError
from domain.roadmap.serialize import columns_to_json, draft_to_json
from formats.roadmap_files import read_roadmap_file
from handlers.common.translation import command_line_locale
from handlers.roadmap.import_texts import column_lines, preview_text, problem_text
from handlers.roadmap.indicator_texts import indicator_column_lines
from storage.engine import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.unit_of_work import UnitOfWork
from storage.usecases.planning import replan
from storage.usecases.roadmaps import save_roadmap


async def run_import(
    settings: Settings,
    file_name: str,
    data: bytes,
    *,
    period: Period | None,
    annual_due: MonthDay | None,
    dry_run: bool,
    as_json: bool,
    columns: ColumnChoice | None = None,
    indicator_columns: IndicatorChoice | None = None,
) -> int:
    compile_catalogs()
    now = SystemClock().now()
    with command_line_locale(settings.default_locale, LOCALES_DIR, DOMAIN):
        try:
            draft = build_draft(
                read_roadmap_file(file_name, data),
                fallback_year=_local_year(now, settings.timezone),
                period=period,
                annual_due=annual_due,
                columns=columns,
                indicator_columns=indicator_columns,
            )
        except NeedsColumnsError as problem:
            _print_columns_needed(problem, as_json)
            return 2
        except NeedsIndicatorColumnsError as problem:
            _print_indicator_columns_needed(problem, as_json)
            return 2
        except ImportProblemError as problem:
            print(problem_text(problem))
            return 2
        if dry_run:
            if as_json:
                print(json.dumps(draft_to_json(draft), ensure_ascii=False, indent=1))
            else:
                print(preview_text(draft, updates_existing=False))
            return 0
        return await _save(settings, draft, now, as_json)


async def _save(settings: Settings, draft: RoadmapDraft, now: datetime, as_json: bool) -> int:
    engine = create_engine(settings.db.url)
    try:
        await upgrade(engine)
        async with create_session_factory(engine)() as session:
            uow = UnitOfWork(session)
            saved = await save_roadmap(uow, draft, now=now, timezone=settings.timezone)
            await replan(uow, now, saved.measure_ids)
            await uow.commit()
    finally:
        await engine.dispose()
    summary = {
        "roadmap_id": saved.roadmap_id,
        "created": saved.created,
        "measures_added": saved.measures_added,
        "measures_updated": saved.measures_updated,
        "measures_kept": saved.measures_kept,
        "assignments_added": saved.assignments_added,
        "indicators_added": saved.indicators_added,
        "indicators_updated": saved.indicators_updated,
        "organisations_added": list(saved.organisations_created),
        "columns": columns_to_json(draft.columns),
    }
    print(
        json.dumps(summary) if as_json else preview_text(draft, updates_existing=not saved.created)
    )
    if saved.organisations_created and not as_json:
        # The command line asks nothing: what it created is said, to merge with
        # ``roadmap-bot organisations merge`` where two are one.
        print("organisations added: " + "; ".join(saved.organisations_created))
    return 0


def _print_columns_needed(problem: NeedsColumnsError, as_json: bool) -> None:
    """What was understood, each column numbered, and the option that answers the question."""
    recognition = problem.recognition
    if as_json:
        print(
            json.dumps(
                {
                    "problem": problem.code.value,
                    "missing": [column.value for column in recognition.missing],
                    "columns": columns_to_json(recognition.uses),
                },
                ensure_ascii=False,
                indent=1,
            )
        )
        return
    print(problem_text(problem))
    for use, line in zip(recognition.uses, column_lines(recognition.uses), strict=True):
        print(f"  {use.index + 1}. {line}")
    print("roadmap-bot import FILE --columns measure=N,deadline=N")


def _print_indicator_columns_needed(problem: NeedsIndicatorColumnsError, as_json: bool) -> None:
    """A table of indicators without targets: its columns, and the option that answers."""
    if as_json:
        print(
            json.dumps(
                {
                    "problem": problem.code.value,
                    "indicator_columns": tables_to_json((problem.table,)),
                },
                ensure_ascii=False,
                indent=1,
            )
        )
        return
    print(problem_text(problem))
    for line in indicator_column_lines(problem.table):
        print(f"  {line}")
    print("roadmap-bot import FILE --columns target=N")


def _local_year(now: datetime, timezone: str) -> int:
    return now.astimezone(ZoneInfo(timezone)).year
