"""``roadmap-bot indicators enter``: the department's own municipal value of an indicator no
school is asked for becomes «Таблица 1»'s value; an indicator the schools report is refused
(its value is their sum), and a value that is no number changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.settings import DbSection, Settings
from cli.indicators import run_enter_value
from domain.indicators.municipal import Reached
from storage.engine import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.models import IndicatorCollection, IndicatorFigure, Measure
from storage.unit_of_work import UnitOfWork
from storage.usecases.indicator_table import indicator_lines
from tests.indicator_support import AS_OF, Seeder


async def _database(url: str, aggregate: str) -> int:
    engine = create_engine(url)
    await upgrade(engine)
    async with create_session_factory(engine)() as session:
        seed = Seeder(session)
        roadmap = await seed.roadmap()
        await seed.add(Measure(roadmap_id=roadmap.id, number="1.1", position=0, title="Совет"))
        indicator = await seed.indicator(
            roadmap, "1", "Доля выпускников, поступивших в вузы", "up", {2026: "не менее 40 %"}
        )
        await seed.add(
            IndicatorCollection(
                indicator_id=indicator.id,
                reporters={"kind": "department" if aggregate == "manual" else "all"},
                shape="count",
                aggregate=aggregate,
                as_of=[AS_OF.isoformat()],
            )
        )
        await session.commit()
    await engine.dispose()
    return roadmap.id


async def _state(url: str, roadmap_id: int) -> tuple[float | None, Reached | None, int]:
    engine = create_engine(url)
    async with create_session_factory(engine)() as session:
        uow = UnitOfWork(session)
        (line,) = await indicator_lines(uow, roadmap_id)
        figures = await session.scalar(select(func.count(IndicatorFigure.id)))
    await engine.dispose()
    year = line.on(AS_OF)
    return (year.value.value, year.reached, int(figures or 0)) if year else (None, None, 0)


async def test_the_department_enters_its_own_value(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
    roadmap_id = await _database(url, "manual")
    settings = Settings(db=DbSection(url=url), _env_file=None)

    assert await run_enter_value(settings, "1", "41,5", as_of=AS_OF) == 0
    assert await _state(url, roadmap_id) == (41.5, Reached.YES, 1)

    assert await run_enter_value(settings, "1", "много", as_of=AS_OF) == 2
    assert await run_enter_value(settings, "7", "10", as_of=AS_OF) == 2
    assert (await _state(url, roadmap_id))[2] == 1  # nothing more saved


async def test_a_school_reported_indicator_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
    roadmap_id = await _database(url, "ratio")
    settings = Settings(db=DbSection(url=url), _env_file=None)

    assert await run_enter_value(settings, "1", "41,5", as_of=AS_OF) == 2
    assert "--who department" in capsys.readouterr().err
    assert (await _state(url, roadmap_id))[2] == 0
