"""Issue 22: «Таблица 1» for a region's figures — 1,000 schools × 50 indicators × 5 years, one
status report and one figure row each (250,000), 2 % of them sent twice with the first
returned — computed from the SQLite file database, against pandas reading the same rows
(``read_sql_query``) and grouping them (the counted figures summed per indicator and date), in
the same run. Target: at most pandas's time.

Each side runs three times; the best time counts (the first run of either warms the file
cache for both)."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pandas
from sqlalchemy import insert, select

from bench.results import record
from bench.seeding import add_roadmap
from storage.engine import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.models import (
    INDICATOR_MEASURE,
    Assignment,
    Indicator,
    IndicatorCollection,
    IndicatorFigure,
    Measure,
    Occurrence,
    Organisation,
    Person,
    StatusReport,
)
from storage.unit_of_work import UnitOfWork
from storage.usecases.indicator_table import IndicatorLine, indicator_lines

SCHOOLS = int(os.environ.get("BENCH_INDICATOR_SCHOOLS", "1000"))
INDICATORS = 50
YEARS = (2026, 2027, 2028, 2029, 2030)
NOW = datetime(2026, 12, 1, 3, tzinfo=UTC)
RESENT_EVERY = 50  # 2 %: sent, returned, sent again


async def seed(db_url: str) -> int:
    """The region's figures; returns the roadmap's id."""
    engine = create_engine(db_url)
    await upgrade(engine)
    try:
        async with create_session_factory(engine)() as session:
            roadmap = await add_roadmap(session, "Программа развития образования", NOW)
            await session.execute(
                insert(Organisation),
                [
                    {"name": f"СОШ № {i}", "name_key": f"сош {i}", "created_at": NOW}
                    for i in range(SCHOOLS)
                ],
            )
            schools = list(await session.scalars(select(Organisation.id).order_by(Organisation.id)))
            await session.execute(
                insert(Person),
                [
                    {"full_name": f"Директор {i}", "role": "responsible", "organisation_id": o}
                    | {"created_at": NOW, "is_active": True}
                    for i, o in enumerate(schools)
                ],
            )
            heads = dict((await session.execute(select(Person.organisation_id, Person.id))).all())
            for n in range(INDICATORS):
                indicator = Indicator(
                    roadmap_id=roadmap.id,
                    number=str(n + 1),
                    position=n,
                    name=f"Доля педагогов, прошедших обучение по направлению {n + 1}",
                    unit="%",
                    direction="up",
                )
                measure = Measure(
                    roadmap_id=roadmap.id,
                    number=f"П{n + 1}",
                    position=1000 + n,
                    title=indicator.name,
                    kind=INDICATOR_MEASURE,
                )
                session.add_all([indicator, measure])
                await session.flush()
                session.add(
                    IndicatorCollection(
                        indicator_id=indicator.id,
                        measure_id=measure.id,
                        reporters={"kind": "all"},
                        as_of=[f"{year}-12-20" for year in YEARS],
                    )
                )
                await session.execute(
                    insert(Assignment),
                    [{"measure_id": measure.id, "organisation_id": o} for o in schools],
                )
                assignments = (
                    await session.execute(
                        select(Assignment.id, Assignment.organisation_id).where(
                            Assignment.measure_id == measure.id
                        )
                    )
                ).all()
                await session.execute(
                    insert(Occurrence),
                    [
                        {"assignment_id": a, "measure_id": measure.id, "due_on": date(y, 12, 20)}
                        for a, _ in assignments
                        for y in YEARS
                    ],
                )
                occurrences = (
                    await session.execute(
                        select(Occurrence.id, Occurrence.due_on, Assignment.organisation_id)
                        .join(Assignment, Assignment.id == Occurrence.assignment_id)
                        .where(Occurrence.measure_id == measure.id)
                    )
                ).all()
                await _answers(session, indicator.id, occurrences, heads)
            await session.commit()
            return roadmap.id
    finally:
        await engine.dispose()


async def _answers(session, indicator_id, occurrences, heads) -> None:  # type: ignore[no-untyped-def]
    reports = []
    for k, (occurrence, _due, school) in enumerate(occurrences):
        if k % RESENT_EVERY == 0:
            reports.append((occurrence, school, "returned", 99, 100))
        reports.append((occurrence, school, "accepted", 10 + k % 30, 100 + k % 50))
    await session.execute(
        insert(StatusReport),
        [
            {"occurrence_id": o, "person_id": heads[s], "status": "done", "review": review}
            | {"text": f"{n} из {d}", "version": 1, "created_at": NOW}
            for o, s, review, n, d in reports
        ],
    )
    report_ids = list(
        await session.scalars(
            select(StatusReport.id)
            .where(StatusReport.occurrence_id.in_([o for o, *_ in occurrences]))
            .order_by(StatusReport.id)
        )
    )
    due = {o: d for o, d, _ in occurrences}
    await session.execute(
        insert(IndicatorFigure),
        [
            {"indicator_id": indicator_id, "organisation_id": s, "as_of_on": due[o]}
            | {"numerator": n, "denominator": d, "status_report_id": r, "created_at": NOW}
            | {"counted": review != "returned"}
            for r, (o, s, review, n, d) in zip(report_ids, reports, strict=True)
        ],
    )


PANDAS_QUERY = """
SELECT f.id, f.indicator_id, f.organisation_id, f.as_of_on, f.numerator, f.denominator,
       f.counted
FROM indicator_figures f
JOIN indicators i ON i.id = f.indicator_id
WHERE i.roadmap_id = ?
"""


def pandas_table(path: Path, roadmap_id: int) -> pandas.DataFrame:
    """The same rows, read and grouped by pandas: the schools' counted figures summed per
    indicator and date."""
    with sqlite3.connect(path) as connection:
        rows = pandas.read_sql_query(PANDAS_QUERY, connection, params=(roadmap_id,))
    rows = rows[(rows["counted"] == 1) & rows["organisation_id"].notna()]
    return rows.groupby(["indicator_id", "as_of_on"]).agg(
        numerator=("numerator", "sum"),
        denominator=("denominator", "sum"),
        reporters=("id", "count"),
    )


async def _best(work: Callable[[], Awaitable[object]], runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        await work()
        best = min(best, time.perf_counter() - started)
    return best


async def run() -> dict[str, float]:
    workdir = Path(tempfile.mkdtemp(prefix="roadmap-bench-indicators-"))
    path = workdir / "figures.sqlite3"
    db_url = f"sqlite+aiosqlite:///{path}"
    started = time.perf_counter()
    roadmap_id = await seed(db_url)
    print(
        f"seeded {SCHOOLS * INDICATORS * len(YEARS):,} figures in {time.perf_counter() - started:.0f} s"
    )
    engine = create_engine(db_url)
    factory = create_session_factory(engine)
    ours_result: list[IndicatorLine] = []

    async def ours() -> None:
        async with factory() as session:
            ours_result[:] = await indicator_lines(UnitOfWork(session), roadmap_id)

    base_result: list[pandas.DataFrame] = []

    async def baseline() -> None:
        base_result[:] = [pandas_table(path, roadmap_id)]

    our_seconds = await _best(ours)
    base_seconds = await _best(baseline)
    await engine.dispose()
    _check_same(ours_result, base_result[0])
    print(f"ours (database -> «Таблица 1»): {our_seconds * 1000:.0f} ms")
    print(f"pandas (read_sql_query + group): {base_seconds * 1000:.0f} ms")
    print(f"ratio: {our_seconds / base_seconds:.2f} (target <= 1)")
    record(
        f"«Таблица 1» from {SCHOOLS:,} schools × {INDICATORS} indicators × {len(YEARS)} years",
        our_seconds * 1000,
        "ms",
        baseline=base_seconds * 1000,
        target="<= 1",
    )
    return {"ours_ms": our_seconds * 1000, "pandas_ms": base_seconds * 1000}


def _check_same(lines: list[IndicatorLine], frame: pandas.DataFrame) -> None:
    """Both sides computed the same sums: a fast wrong answer is no result."""
    ours = {
        (line.id, year.as_of.isoformat()): (year.value.sums.numerator, year.value.sums.reporters)
        for line in lines
        for year in line.years
        if year.value.sums is not None
    }
    flat = frame.reset_index()
    theirs = {
        (int(i), str(d)): (float(n), int(r))
        for i, d, n, r in zip(
            flat["indicator_id"],
            flat["as_of_on"],
            flat["numerator"],
            flat["reporters"],
            strict=True,
        )
    }
    assert ours == theirs, "the two sides disagree"


def main() -> None:
    asyncio.run(run())


if __name__ == "__main__":
    main()
