"""``roadmap-bot db upgrade`` and ``roadmap-bot db downgrade REVISION``."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.settings import Settings
from storage.engine import create_engine
from storage.migrate import downgrade, upgrade
from storage.private_files import private_dir


def run_db(settings: Settings, args: argparse.Namespace) -> int:
    if args.db_command == "downgrade":
        return asyncio.run(_db_downgrade(settings, args.revision))
    asyncio.run(_db_upgrade(settings))
    print("roadmap-bot: database is up to date")
    return 0


async def _db_upgrade(settings: Settings) -> None:
    # The evidence folder too, closed to other users: a new installation is ready for the
    # first report, and `roadmap-bot doctor` finds nothing to fix in it.
    private_dir(Path(settings.evidence_dir))
    engine = create_engine(settings.db.url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


async def _db_downgrade(settings: Settings, revision: str) -> int:
    from alembic.util import CommandError

    engine = create_engine(settings.db.url)
    try:
        await downgrade(engine, revision)
    except CommandError as error:
        print(f"roadmap-bot db downgrade: {error}", file=sys.stderr)
        return 2
    finally:
        await engine.dispose()
    print(f"roadmap-bot: database is at revision {revision}")
    return 0
