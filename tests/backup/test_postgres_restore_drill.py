"""The restore drill on PostgreSQL, with the commands the IT person types: ``roadmap-bot
backup`` of a database with a roadmap and reports with files, then ``roadmap-bot restore`` of
that archive over a database that moved on, and again into an empty database on an empty data
folder (a new server): every row of every table and every evidence file is back, and the bot
goes on writing reports after it. Without postgresql-client's tools nothing is changed."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from demo.documents import seed_document
from domain.people_sheet import SchoolHead
from domain.roadmap.build import build_draft
from storage.backup.archive import PG_MEMBER
from storage.engine import create_engine, create_session_factory
from storage.evidence import store_evidence
from storage.migrate import upgrade
from storage.models import Person, StatusReport
from storage.unit_of_work import UnitOfWork
from storage.usecases.people import import_school_heads
from storage.usecases.planning import replan
from storage.usecases.reports.reportable import my_occurrences
from storage.usecases.reports.saving import Evidence, save_report
from storage.usecases.roadmaps import save_roadmap
from tests.pg_probe import DEFAULT, answers

pytestmark = pytest.mark.process

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 4, 3, 2, 0, tzinfo=UTC)
Rows = dict[str, list[str]]


@dataclass(frozen=True, slots=True)
class Database:
    url: str  # as the bot connects: its own user, who owns the database and is no superuser
    server: str  # the suite's server, as its administrator
    owner: str
    name: str


@pytest.fixture
async def pg() -> AsyncIterator[Database]:
    """A database and a user of their own on the PostgreSQL server the suite uses (the user
    with a password, as on a real server), both dropped afterwards."""
    import asyncpg

    server = os.environ.get("TEST_POSTGRES_URL") or DEFAULT
    if not await answers(server):
        pytest.skip(f"no PostgreSQL server answers at {server} (TEST_POSTGRES_URL)")
    name, password = f"roadmap_drill_{uuid.uuid4().hex[:12]}", uuid.uuid4().hex
    admin = await asyncpg.connect(plain(server))
    try:
        await admin.execute(f"CREATE ROLE \"{name}\" LOGIN PASSWORD '{password}'")
        await admin.execute(f'CREATE DATABASE "{name}" OWNER "{name}"')
        url = make_url(server).set(username=name, password=password, database=name)
        yield Database(url.render_as_string(hide_password=False), server, name, name)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'DROP ROLE IF EXISTS "{name}"')
        await admin.close()


def plain(url: str) -> str:
    """A SQLAlchemy URL as asyncpg takes it."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def reports_with_files(url: str, evidence: Path, files: dict[str, bytes]) -> None:
    """The Ust-Kut roadmap imported, a head per school, and each head's report on her first
    measure with a file (``files``: school -> the file's content)."""
    engine = create_engine(url)
    async with create_session_factory(engine)() as session:
        uow = UnitOfWork(session)
        heads = [
            SchoolHead(school, f"Директор {n}", "директор", None, None, False)
            for n, school in enumerate(files, start=1)
        ]
        await import_school_heads(uow, heads, now=NOW)
        draft = build_draft(seed_document("ust_kut"), fallback_year=2026)
        await save_roadmap(uow, draft, now=NOW, timezone="Asia/Irkutsk")
        for n, person in enumerate(await session.scalars(select(Person)), start=1):
            person.user_address = person.chat_address = 7000 + n
        await replan(uow, NOW)
        await uow.commit()
    await engine.dispose()
    for school, content in files.items():
        await report(url, evidence, school, content)


async def report(url: str, evidence: Path, school: str, content: bytes) -> int:
    """A new report with a file by the head of ``school``, as the bot saves one: its id."""
    engine = create_engine(url)
    async with create_session_factory(engine)() as session:
        uow = UnitOfWork(session)
        head = await session.scalar(
            select(Person)
            .where(Person.position == "директор")
            .where(Person.full_name == f"Директор {school.split()[-1]}")
        )
        assert head is not None, school
        (first, *_) = await my_occurrences(uow, head)
        sha, size = store_evidence(evidence, f"{school}.pdf", content)
        card = await save_report(
            uow, first, head, "done", f"Сделано в {school}",
            Evidence(file_name=f"{school}.pdf", sha256=sha, size=size), NOW, notified=True,
        )  # fmt: skip
        assert card is not None
        await uow.commit()
    await engine.dispose()
    return card.report_id


async def every_row(url: str) -> Rows:
    """Each table of the bot's schema with all its rows (in a stable order)."""
    engine = create_engine(url)
    async with engine.connect() as connection:
        tables = await connection.scalars(
            text(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            )
        )
        found = {
            table: sorted(
                repr(tuple(row))
                for row in await connection.execute(text(f'SELECT * FROM "{table}"'))
            )
            for table in sorted(tables)
        }
    await engine.dispose()
    return found


async def table_owners(url: str) -> set[str]:
    engine = create_engine(url)
    async with engine.connect() as connection:
        owners = await connection.scalars(
            text("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = current_schema()")
        )
        found = set(owners)
    await engine.dispose()
    return found


def counts(rows: Rows) -> dict[str, int]:
    return {table: len(found) for table, found in rows.items()}


def files_in(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in folder.rglob("*")
        if path.is_file()
    }


def roadmap_bot(
    *args: str, url: str, data: Path, path: str | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("BOT__", "DB__"))}
    environment |= {"PYTHONPATH": str(ROOT), "DB__URL": url, "DATA_DIR": str(data)}
    if path is not None:
        environment["PATH"] = path
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=environment,
        cwd=data.parent,
        capture_output=True,
        text=True,
        timeout=300,
    )


async def recreate_empty(pg: Database) -> None:
    """The database dropped and made again, empty, for the bot's user: a new server's."""
    import asyncpg

    admin = await asyncpg.connect(plain(pg.server))
    try:
        await admin.execute(f'DROP DATABASE "{pg.name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{pg.name}" OWNER "{pg.owner}"')
    finally:
        await admin.close()


async def test_backup_and_restore_on_postgresql_bring_back_every_row_and_file(
    pg: Database, tmp_path: Path
) -> None:
    if (
        shutil.which("pg_dump") is None
        or shutil.which("pg_restore") is None
        or shutil.which("psql") is None
    ):
        pytest.fail("pg_dump, pg_restore and psql are needed: apt-get install postgresql-client")
    data = tmp_path / "data"
    evidence = data / "evidence"
    engine = create_engine(pg.url)
    await upgrade(engine)
    await engine.dispose()
    files = {"СОШ № 1": b"%PDF-1.4 school one", "СОШ № 2": b"%PDF-1.4 school two"}
    await reports_with_files(pg.url, evidence, files)
    backed_up, files_backed_up = await every_row(pg.url), files_in(evidence)
    assert counts(backed_up)["status_reports"] == 2 and counts(backed_up)["measures"] > 20
    assert len(files_backed_up) == 2

    archive = tmp_path / "roadmap.tar.gz"
    made = roadmap_bot("backup", "--out", str(archive), url=pg.url, data=data)
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == str(archive)

    # The day goes on: another report with its file, after the archive was made.
    await report(pg.url, evidence, "СОШ № 1", b"%PDF-1.4 school one, again")
    moved_on, files_moved_on = await every_row(pg.url), files_in(evidence)
    assert counts(moved_on)["status_reports"] == 3 and len(files_moved_on) == 3

    # No postgresql-client on the machine: refused, and nothing changed.
    bare = tmp_path / "no-tools"
    bare.mkdir()
    refused = roadmap_bot("restore", str(archive), url=pg.url, data=data, path=str(bare))
    assert refused.returncode == 2
    assert "pg_dump is not installed: install postgresql-client" in refused.stderr
    assert "Nothing was changed" in refused.stderr
    assert await every_row(pg.url) == moved_on and files_in(evidence) == files_moved_on
    assert not list(data.glob("before-restore-*"))

    # Restored over the database that moved on: the archive's rows and files, exactly.
    restored = roadmap_bot("restore", str(archive), url=pg.url, data=data)
    assert restored.returncode == 0, restored.stderr
    assert "restored roadmap.tar.gz (2 files)" in restored.stdout
    assert counts(await every_row(pg.url)) == counts(backed_up)
    assert await every_row(pg.url) == backed_up
    assert files_in(evidence) == files_backed_up
    (aside,) = data.glob("before-restore-*")  # what it replaced, kept
    assert files_in(aside / "evidence") == files_moved_on
    assert (aside / PG_MEMBER).stat().st_size > 0 and (
        aside / PG_MEMBER
    ).stat().st_mode & 0o077 == 0
    assert str(aside / PG_MEMBER) in restored.stdout

    # A new server: an empty database, no evidence folder.
    await recreate_empty(pg)
    shutil.rmtree(evidence)
    assert await every_row(pg.url) == {}
    again = roadmap_bot("restore", str(archive), url=pg.url, data=data)
    assert again.returncode == 0, again.stderr
    assert counts(await every_row(pg.url)) == counts(backed_up)
    assert await every_row(pg.url) == backed_up
    assert files_in(evidence) == files_backed_up
    for name, sha in files_backed_up.items():
        assert name == f"{sha[:2]}/{sha}"
    assert await table_owners(pg.url) == {pg.owner}  # the bot's user may migrate them
    password = str(make_url(pg.url).password)
    for said in (made, refused, restored, again):
        assert password not in said.stdout + said.stderr

    # The bot starts on it (migrations find it current) and saves the next report.
    upgraded = roadmap_bot("db", "upgrade", url=pg.url, data=data)
    assert upgraded.returncode == 0, upgraded.stderr
    newest = await report(pg.url, evidence, "СОШ № 2", b"%PDF-1.4 school two, again")
    engine = create_engine(pg.url)
    async with create_session_factory(engine)() as session:
        ids = list(await session.scalars(select(StatusReport.id).order_by(StatusReport.id)))
    await engine.dispose()
    assert len(ids) == 3 and newest == ids[-1]
