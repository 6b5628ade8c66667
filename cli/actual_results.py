"""``roadmap-bot actual-results export FILE.xlsx`` / ``import FILE.xlsx``: the coordinator's
«Фактический результат» of every measure of the roadmap, as a spreadsheet to fill in and read
back. Reading it back saves each changed text only if nobody changed it since the file was
written (the version column), and says which ones it did not save and why."""

from __future__ import annotations

import asyncio
import sys
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.clock import SystemClock
from bot.settings import Settings
from cli.roadmap_choice import the_roadmap
from formats.actual_results_sheet import ResultRow, SheetError, read_sheet, write_sheet
from formats.safety import decode_text
from storage.engine import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.unit_of_work import UnitOfWork
from storage.usecases.actual_results import (
    MAX_ACTUAL_RESULT,
    MAX_NOTE,
    draft_from_answers,
    results_of,
    roadmap_measures,
    save_result,
    set_report_notes,
)

PROGRAM = "roadmap-bot actual-results"


async def run_actual_results(
    settings: Settings, action: str, path: Path, roadmap_words: str | None = None
) -> int:
    if action == "import":
        try:
            data = await asyncio.to_thread(path.read_bytes)
        except OSError as error:
            print(f"{PROGRAM}: cannot read {path}: {error.strerror}", file=sys.stderr)
            return 2
        try:
            filled = read_sheet(data)
        except (SheetError, ValueError, KeyError, OSError) as error:
            print(f"{PROGRAM}: {path} is not a sheet written by «export»: {error}", file=sys.stderr)
            return 2
    engine = create_engine(settings.db.url)
    try:
        await upgrade(engine)
        async with create_session_factory(engine)() as session:
            uow = UnitOfWork(session)
            roadmap = await the_roadmap(
                uow, roadmap_words, today=_today(settings), command="actual-results"
            )
            if isinstance(roadmap, int):
                return roadmap
            measures = await roadmap_measures(uow, roadmap.id)
            results = await results_of(uow, roadmap.id)
            if action == "export":
                rows = [
                    ResultRow(
                        number=m.number,
                        title=m.title,
                        draft=await draft_from_answers(uow, m.id),
                        text=results[m.id].text if m.id in results else "",
                        version=results[m.id].version if m.id in results else 0,
                    )
                    for m in measures
                ]
                await asyncio.to_thread(path.write_bytes, write_sheet(rows))
                print(path)
                return 0
            by_number = {m.number: m for m in measures}
            problems: list[str] = []
            saved = 0
            now = SystemClock().now()
            for number, text, version in filled:
                measure = by_number.get(number)
                if measure is None:
                    problems.append(f"{number}: no such measure in «{roadmap.title}»")
                    continue
                current = results.get(measure.id)
                if text == (current.text if current else ""):
                    continue
                if len(text) > MAX_ACTUAL_RESULT:
                    problems.append(
                        f"{number}: {len(text)} characters, more than {MAX_ACTUAL_RESULT}; "
                        "not saved"
                    )
                    continue
                outcome = await save_result(
                    uow, measure.id, text, seen_version=version or 0, person_id=None, now=now
                )
                if not outcome.saved:
                    problems.append(
                        f"{number}: changed in the bot since the file was written; not saved "
                        "(export again and fill in the new file)"
                    )
                    continue
                saved += 1
            await uow.commit()
    finally:
        await engine.dispose()
    for problem in problems:
        print(f"{PROGRAM}: {problem}", file=sys.stderr)
    print(f"saved: {saved}; not saved: {len(problems)}")
    return 0 if not problems else 1


async def run_report_notes(
    settings: Settings,
    *,
    year: int | None,
    explanatory: Path | None,
    conclusions: Path | None,
    roadmap_words: str | None = None,
) -> int:
    """Set the sections the coordinator types, for the report of ``year`` (this year)."""
    program = "roadmap-bot report-notes"
    texts: dict[str, str | None] = {"explanatory": None, "conclusions": None}
    for name, path in (("explanatory", explanatory), ("conclusions", conclusions)):
        if path is None:
            continue
        try:
            data = await asyncio.to_thread(path.read_bytes)
        except OSError as error:
            print(f"{program}: cannot read {path}: {error.strerror}", file=sys.stderr)
            return 2
        text = decode_text(data).strip()
        if len(text) > MAX_NOTE:
            print(f"{program}: {path} has more than {MAX_NOTE} characters", file=sys.stderr)
            return 2
        texts[name] = text
    if all(text is None for text in texts.values()):
        print(f"{program}: give --explanatory or --conclusions (or both)", file=sys.stderr)
        return 2
    now = SystemClock().now()
    engine = create_engine(settings.db.url)
    try:
        await upgrade(engine)
        async with create_session_factory(engine)() as session:
            uow = UnitOfWork(session)
            roadmap = await the_roadmap(
                uow, roadmap_words, today=_today(settings), command="report-notes"
            )
            if isinstance(roadmap, int):
                return roadmap
            await set_report_notes(
                uow,
                roadmap.id,
                year or now.year,
                explanatory=texts["explanatory"],
                conclusions=texts["conclusions"],
                now=now,
            )
            await uow.commit()
    finally:
        await engine.dispose()
    print(f"saved for «{roadmap.title}», {year or now.year}")
    return 0


def _today(settings: Settings) -> date:
    return SystemClock().now().astimezone(ZoneInfo(settings.timezone)).date()
