from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.app import Application
from bot.settings import BotSection, DbSection, MaxSection, SchedulerSection, Settings
from domain.roles import Role
from standin import SimulatedUser, StandInServer, World
from standin.max import MaxStandIn, MaxUser, MaxWorld
from storage.engine import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.usecases.invitations import issue_invitation
from tests.e2e.preloaded import Preloaded
from tests.office_suite import OfficeSuite
from tests.support import MutableClock, unit_of_work
from tests.templates import templates

# Every test that takes a database runs on SQLite, and on PostgreSQL too when TEST_POSTGRES_URL
# names a server (e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/postgres); each test gets a
# database of its own there, dropped afterwards.
BACKENDS = ["sqlite", *(["postgresql"] if os.environ.get("TEST_POSTGRES_URL") else [])]
# A test that takes one of these has its database migrated before it runs, by the fixture (or by
# the bot starting): it gets a copy of a database migrated once per test process instead, and
# their migration finds nothing left to do. Every other test gets an empty database, as before
# (the tests of migrations and of a bot's first start on an empty one among them).
MIGRATED_BEFORE_THE_TEST = frozenset({"engine", "running_bot", "two_messenger_bot"})


@pytest.fixture(params=BACKENDS)
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    migrated = not MIGRATED_BEFORE_THE_TEST.isdisjoint(request.fixturenames)
    if request.param == "sqlite":
        database = tmp_path / "roadmap.sqlite3"
        if migrated:
            database.write_bytes(await templates.sqlite())
        yield f"sqlite+aiosqlite:///{database}"
        return
    server = os.environ["TEST_POSTGRES_URL"]
    template = await templates.postgresql(server) if migrated else None
    async with postgres_database(server, template=template, drop=templates.drop_later) as url:
        yield url


@contextlib.asynccontextmanager
async def postgres_database(
    server_url: str,
    *,
    template: str | None = None,
    drop: Callable[[str, str], None] | None = None,
) -> AsyncIterator[str]:
    """A database of its own on the server (a copy of ``template`` when given), dropped at the
    end: there and then, or handed to ``drop(server_url, name)``."""
    import asyncpg  # only needed when PostgreSQL is tested

    server = make_url(server_url)
    name = f"roadmap_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(
        server.set(drivername="postgresql").render_as_string(hide_password=False)
    )
    try:
        copy = f' TEMPLATE "{template}"' if template else ""
        await admin.execute(f'CREATE DATABASE "{name}"{copy}')
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        if drop is None:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        else:
            drop(server_url, name)
        await admin.close()


@pytest.fixture(scope="session", autouse=True)
def _database_templates() -> Iterator[None]:
    """The migrated templates are made when a test first needs one; at the end of the session
    the databases still being dropped are waited for, and the template is dropped too."""
    yield
    templates.close()


@pytest.fixture
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(db_url)
    await upgrade(engine)  # nothing to do on the copy of a migrated database (db_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_session_factory(engine)


@pytest.fixture
def clock() -> MutableClock:
    return MutableClock()


@pytest.fixture
async def standin() -> AsyncIterator[StandInServer]:
    async with StandInServer(World()) as server:
        yield server


@pytest.fixture
async def max_standin() -> AsyncIterator[MaxStandIn]:
    async with MaxStandIn(MaxWorld()) as server:
        yield server


@dataclass
class RunningBot:
    app: Application
    standin: StandInServer
    session_factory: async_sessionmaker[AsyncSession]
    clock: MutableClock
    max: MaxStandIn | None = None

    @property
    def max_world(self) -> MaxWorld:
        assert self.max is not None, "this bot runs without MAX"
        return self.max.world

    def max_user(self, first_name: str, **fields: Any) -> MaxUser:
        return MaxUser.join(self.max_world, first_name, **fields)

    async def join_in_max(
        self, first_name: str, full_name: str, role: Role, org: str | None
    ) -> MaxUser:
        """A MAX user who opened their invitation's MAX link and read the welcome."""
        user = self.max_user(first_name)
        await user.ask(f"/start {await self.invite(full_name, role, org)}")
        user.skip_unread()
        return user

    @property
    def world(self) -> World:
        return self.standin.world

    def user(self, first_name: str, **fields: object) -> SimulatedUser:
        return SimulatedUser.join(self.world, first_name, **fields)  # type: ignore[arg-type]

    async def invite(self, name: str, role: Role = Role.RESPONSIBLE, org: str | None = None) -> str:
        async with unit_of_work(self.session_factory) as uow:
            issued = await issue_invitation(
                uow, full_name=name, role=role, organisation=org, now=self.clock.now()
            )
            await uow.commit()
        return issued.token

    async def join_as(
        self, first_name: str, full_name: str, role: Role, org: str | None
    ) -> SimulatedUser:
        """A user who opened their invitation (to ``org``) and whose welcome has been read."""
        user = self.user(first_name)
        await user.ask(f"/start {await self.invite(full_name, role, org)}")
        user.skip_unread()
        return user

    async def joined(
        self, first_name: str, role: Role = Role.RESPONSIBLE, **fields: object
    ) -> SimulatedUser:
        user = self.user(first_name, **fields)
        token = await self.invite(f"{first_name} Тестовая", role)
        await user.ask(f"/start {token}")
        await user.world.wait_until(
            lambda: f"chat:{user.id}" in {k[0] for k in user.world.commands}, 5
        )
        user.skip_unread()
        return user


def make_settings(
    standin: StandInServer, db_url: str, evidence_dir: Path, max_standin: MaxStandIn | None = None
) -> Settings:
    return Settings(
        bot=BotSection(token=standin.world.token, api_url=standin.base_url, polling_timeout=2),
        max=max_settings(max_standin) if max_standin is not None else MaxSection(),
        db=DbSection(url=db_url),
        evidence_dir=str(evidence_dir),
        # Ticks fast so reminders due by the test's clock go out at once; no pacing per chat.
        scheduler=SchedulerSection(
            tick_seconds=0.2, plan_minutes=0.05, per_chat_interval=0, lease_seconds=5
        ),
        _env_file=None,
    )


def max_settings(max_standin: MaxStandIn) -> MaxSection:
    """MAX against its stand-in: short polls, no pacing per chat, quick upload retries."""
    return MaxSection(
        token=max_standin.world.token,
        api_url=max_standin.base_url,
        polling_timeout=2,
        per_chat_interval=0,
        upload_pause=0.05,
        file_timeout=1,
    )


@contextlib.asynccontextmanager
async def start_bot(
    standin: StandInServer,
    settings: Settings,
    clock: MutableClock,
    max_standin: MaxStandIn | None = None,
) -> AsyncIterator[RunningBot]:
    """The whole application, polling the stand-ins, until the block ends."""
    app = Application(settings, clock=clock, handle_signals=False)
    task = asyncio.create_task(app.run())
    if settings.bot.enabled:
        await standin.world.wait_until(lambda: standin.world.calls.get("getupdates", 0) > 0, 10)
    if max_standin is not None:
        world = max_standin.world
        await world.wait_until(lambda: world.calls.get("get_updates", 0) > 0, 10)
    try:
        yield RunningBot(app, standin, app.session_factory, clock, max_standin)
    finally:
        await app.stop()
        await standin.api.wake_pollers()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 10)


@pytest.fixture
async def running_bot(
    standin: StandInServer, db_url: str, clock: MutableClock, tmp_path: Path
) -> AsyncIterator[RunningBot]:
    settings = make_settings(standin, db_url, tmp_path / "evidence")
    async with start_bot(standin, settings, clock) as bot:
        yield bot


@pytest.fixture
async def two_messenger_bot(
    standin: StandInServer,
    max_standin: MaxStandIn,
    db_url: str,
    clock: MutableClock,
    tmp_path: Path,
) -> AsyncIterator[RunningBot]:
    """The bot in Telegram and in MAX at once, one process, one database."""
    settings = make_settings(standin, db_url, tmp_path / "evidence", max_standin)
    async with start_bot(standin, settings, clock, max_standin) as bot:
        yield bot


@pytest.fixture(scope="session")
def office(tmp_path_factory: pytest.TempPathFactory) -> OfficeSuite:
    """LibreOffice headless with one profile for the session (tests/office_suite.py)."""
    return OfficeSuite(tmp_path_factory.mktemp("office") / "profile")


@pytest.fixture(scope="session")
def preloaded() -> Iterator[Preloaded]:
    """``roadmap-bot`` processes forked with their libraries imported (tests/e2e/preloaded.py):
    one server per test process, started when a test first asks for it."""
    server = Preloaded()
    yield server
    server.close()
