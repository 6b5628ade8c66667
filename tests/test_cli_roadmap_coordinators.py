"""``roadmap-bot roadmaps coordinators WHICH [--name FULL_NAME ...| --everyone]``: prints who
answers for a roadmap, names them, or gives it back to everyone; a name that is no coordinator,
or two coordinators', changes nothing and exits 2."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.settings import DbSection, Settings
from cli.roadmaps import run_roadmap_coordinators
from storage.engine import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.models import RoadmapCoordinator
from tests.storage.test_roadmap_save import draft_of, save
from tests.support import MutableClock, unit_of_work

NOW = datetime(2026, 4, 3, 2, 0, tzinfo=UTC)


async def _named(url: str) -> list[int]:
    engine = create_engine(url)
    try:
        async with create_session_factory(engine)() as session:
            return list(await session.scalars(select(RoadmapCoordinator.person_id)))
    finally:
        await engine.dispose()


@pytest.fixture
async def settings(tmp_path: Path) -> Settings:
    """A database with the Ust-Kut roadmap, two coordinators and a head."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
    engine = create_engine(url)
    try:
        await upgrade(engine)
        factory = create_session_factory(engine)
        await save(factory, MutableClock(NOW), draft_of("ust_kut"))
        async with unit_of_work(factory) as uow:
            for name, role in (
                ("Антипина Анна Михайловна", "coordinator"),
                ("Борисова Вера Павловна", "coordinator"),
                ("Иванова Мария Петровна", "responsible"),
            ):
                await uow.people.add(full_name=name, role=role, now=NOW)
            await uow.commit()
    finally:
        await engine.dispose()
    return Settings(db=DbSection(url=url), _env_file=None)


async def test_coordinators_are_listed_named_and_given_back(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await run_roadmap_coordinators(settings, "1", names=None, everyone=False) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[1:] == [
        "answered for by every coordinator (nobody is named):",
        "    Антипина Анна Михайловна",
        "    Борисова Вера Павловна",
    ]

    named = await run_roadmap_coordinators(
        settings, "1", names=["борисова вера павловна"], everyone=False
    )
    assert named == 0
    assert capsys.readouterr().out.splitlines()[1:] == [
        "answered for by the coordinators marked *:",
        "    Антипина Анна Михайловна",
        "  * Борисова Вера Павловна",
    ]
    assert await _named(settings.db.url) == [2]

    assert await run_roadmap_coordinators(settings, "1", names=None, everyone=True) == 0
    assert await _named(settings.db.url) == []


async def test_a_name_that_is_no_coordinator_changes_nothing(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    await run_roadmap_coordinators(settings, "1", names=["Борисова Вера Павловна"], everyone=False)
    capsys.readouterr()
    for name in ("Иванова Мария Петровна", "Никто Никакой"):
        refused = await run_roadmap_coordinators(
            settings, "1", names=["Антипина Анна Михайловна", name], everyone=False
        )
        assert refused == 2
        assert f"no active coordinator named «{name}»; nothing changed" in capsys.readouterr().err
    assert await _named(settings.db.url) == [2]
