"""Issue 6: exporting 100,000 answers to .xlsx (all three sheets, straight from the SQLite file
database), time and peak memory, against pandas.DataFrame.to_excel writing the same answers
(already in memory) in the same run.

Time is measured without tracing; peak memory in a second pass under tracemalloc (Python
allocations, which is where both spend their memory)."""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas
from sqlalchemy import select

from bench.results import record
from bench.seeding import seed_answers
from bot.i18n import build_i18n
from domain.progress import AnswerRow
from handlers.export.report_files import write_document, write_export
from storage.engine import create_engine, create_session_factory
from storage.models import Roadmap
from storage.unit_of_work import UnitOfWork
from storage.usecases.export import answer_rows, export_scope

SCHOOLS = int(os.environ.get("BENCH_EXPORT_SCHOOLS", "1000"))
MEASURES = 100
AS_OF = date(2026, 11, 1)
TIMEZONE = ZoneInfo("Asia/Irkutsk")


async def _measure(work: Callable[[], Awaitable[None]]) -> tuple[float, float]:
    """(seconds, peak MB) of ``work``, from two runs: one timed, one traced."""
    started = time.perf_counter()
    await work()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    await work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 1e6


async def run() -> dict[str, float]:
    workdir = Path(tempfile.mkdtemp(prefix="roadmap-bench-export-"))
    db_url = f"sqlite+aiosqlite:///{workdir / 'answers.sqlite3'}"
    answers = await seed_answers(
        db_url, schools=SCHOOLS, measures=MEASURES, now=datetime(2026, 10, 20, 3, tzinfo=UTC)
    )
    engine = create_engine(db_url)
    factory = create_session_factory(engine)
    i18n = build_i18n("ru")
    scope = export_scope(AS_OF, TIMEZONE)

    async with factory() as session:
        roadmap = await session.scalar(select(Roadmap))  # the one roadmap the bench seeds
        assert roadmap is not None

    async def ours() -> None:
        async with factory() as session:
            with i18n.context(), i18n.use_locale("ru"):
                await write_export(UnitOfWork(session), scope, workdir / "ours.xlsx", roadmap)

    # The baseline writes the same answers, every field, from a DataFrame built beforehand.
    rows: list[AnswerRow] = []
    async with factory() as session:
        uow = UnitOfWork(session)
        async for batch in answer_rows(uow, roadmap, scope):
            rows.extend(batch)
    frame = pandas.DataFrame([{k: getattr(r, k) for k in AnswerRow.__slots__} for r in rows])
    frame["created_at"] = frame["created_at"].dt.tz_localize(None)
    del rows

    async def baseline() -> None:
        frame.to_excel(workdir / "pandas.xlsx", sheet_name="Ответы", index=False, engine="openpyxl")

    async def document() -> None:
        async with factory() as session:
            with i18n.context(), i18n.use_locale("ru"):
                data = await write_document(UnitOfWork(session), scope, None, roadmap)
        (workdir / "report.docx").write_bytes(data)

    our_seconds, our_mb = await _measure(ours)
    base_seconds, base_mb = await _measure(baseline)
    doc_seconds, doc_mb = await _measure(document)
    await engine.dispose()
    size_mb = (workdir / "report.docx").stat().st_size / 1e6
    print(
        f"the report as .docx ({SCHOOLS} schools x {MEASURES} measures, {size_mb:.1f} MB): "
        f"{doc_seconds:.2f} s, peak {doc_mb:.0f} MB"
    )
    record(f"report .docx, {SCHOOLS} schools × {MEASURES} measures: time", doc_seconds, "s")
    record(f"report .docx, {SCHOOLS} schools × {MEASURES} measures: peak memory", doc_mb, "MB")
    print(f"answers: {answers:,} ({frame.shape[1]} columns each)")
    print(f"ours (DB -> 3 sheets): {our_seconds:.2f} s, peak {our_mb:.0f} MB")
    print(f"pandas.DataFrame.to_excel (1 sheet): {base_seconds:.2f} s, peak {base_mb:.0f} MB")
    print(
        f"ratio: time {our_seconds / base_seconds:.2f} (target <= 0.6), "
        f"memory {our_mb / base_mb:.2f} (target <= 0.5)"
    )
    record(
        "export of 100,000 answers: time", our_seconds, "s", baseline=base_seconds, target="<= 0.6"
    )
    record(
        "export of 100,000 answers: peak memory", our_mb, "MB", baseline=base_mb, target="<= 0.5"
    )
    return {
        "answers": answers,
        "ours_seconds": our_seconds,
        "ours_mb": our_mb,
        "pandas_seconds": base_seconds,
        "pandas_mb": base_mb,
    }


def main() -> None:
    asyncio.run(run())


if __name__ == "__main__":
    main()
