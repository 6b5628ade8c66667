"""``roadmap-bot person export NAME`` and ``roadmap-bot person forget NAME`` (152-ФЗ).

A name that matches several people changes nothing: the command lists them, each with the
``--id`` that chooses them, and exits 2.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.clock import SystemClock
from bot.redis_conversations import forget_conversations
from bot.settings import Settings
from storage.engine import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.private_files import write_private
from storage.unit_of_work import UnitOfWork
from storage.usecases.personal_data import Candidate, export_person, forget_person, people_named


async def run_person(settings: Settings, args: argparse.Namespace) -> int:
    engine = create_engine(settings.db.url)
    try:
        await upgrade(engine)
        async with create_session_factory(engine)() as session:
            uow = UnitOfWork(session)
            found = await people_named(uow, args.name)
            if args.id is not None:
                found = [c for c in found if c.person_id == args.id]
            if not found:
                print(f"roadmap-bot person: nobody is called «{args.name}»", file=sys.stderr)
                return 2
            if len(found) > 1:
                _ask_which(args.name, found)
                return 2
            (person,) = found
            if args.person_command == "export":
                data = await export_person(uow, person.person_id)
                text = json.dumps(data, ensure_ascii=False, indent=2)
                if args.out is None:
                    print(text)
                else:
                    write_private(args.out, text.encode())  # it is one person's data
                    print(f"roadmap-bot person export: written to {args.out}")
                return 0
            addresses = await forget_person(uow, person.person_id, SystemClock().now())
            await uow.commit()
    finally:
        await engine.dispose()
    _scrub_sqlite(settings.db.url)
    await forget_conversations(settings.redis, addresses)
    print(
        f"roadmap-bot person forget: the personal data of person {person.person_id} is removed; "
        "their reports stay with their school.\n"
        f"Backups made before today still hold it until they are rotated away "
        f"(at most {settings.backup.keep_months} months; see docs/personal-data.md)."
    )
    return 0


def _ask_which(name: str, found: list[Candidate]) -> None:
    lines = [f"roadmap-bot person: «{name}» matches {len(found)} people; nothing was changed."]
    lines.append("Run the command again with --id for the one you mean:")
    for candidate in found:
        where = candidate.organisation or "no organisation"
        active = "" if candidate.active else ", inactive"
        lines.append(
            f"  --id {candidate.person_id}  {candidate.full_name} "
            f"({candidate.role}, {where}{active})"
        )
    print("\n".join(lines), file=sys.stderr)


def _scrub_sqlite(db_url: str) -> None:
    """SQLite leaves deleted rows in free pages and the WAL file until they are reused:
    rewritten, the file no longer holds the forgotten person's data."""
    url = make_url(db_url)
    if url.get_backend_name() != "sqlite" or not url.database:
        return
    with closing(sqlite3.connect(Path(url.database), timeout=120)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("VACUUM")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
