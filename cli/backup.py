"""``roadmap-bot backup`` and ``roadmap-bot restore FILE``.

``backup`` writes what the bot's daily job writes: one archive of the database (SQLite's online
backup API, consistent while the bot writes; ``pg_dump`` for PostgreSQL) and every evidence
file. ``restore`` reads the whole archive and checks it before it touches anything, refuses
while the bot runs, and keeps what it replaces in DATA_DIR/before-restore-<time>; a
PostgreSQL database is loaded from the archive's dump in one transaction (pg_restore and psql).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.settings import Settings
from domain.clock import Clock
from storage.backup.archive import (
    PG_MEMBER,
    SQLITE_MEMBER,
    ArchiveRefusedError,
    BackupError,
    archive_name,
    unpack_archive,
    write_archive,
)
from storage.backup.lock import BotRunningError, no_bot_running
from storage.backup.postgres import PostgresToolError
from storage.backup.restore import aside_folder, put_in_place, replace_postgres
from storage.private_files import private_dir

PG_RECIPE = (
    "For PostgreSQL the archive holds a pg_dump: install postgresql-client of the server's "
    "version, or dump by hand:\n"
    "  pg_dump --format=custom --file=roadmap-$(date +%Y%m%d).dump '{url}'\n"
    "and restore with pg_restore --clean --dbname=<url> <file>."
)


def run_backup(settings: Settings, out: Path | None, clock: Clock) -> int:
    moment = clock.now().replace(microsecond=0)
    target = out or settings.backup_dir / archive_name(moment)
    try:
        written = write_archive(settings.db.url, Path(settings.evidence_dir), target, moment)
    except BackupError as error:
        print(f"roadmap-bot backup: {error}", file=sys.stderr)
        url = make_url(settings.db.url)
        if url.get_backend_name() == "postgresql":
            plain = url.set(drivername="postgresql").render_as_string(hide_password=True)
            print(PG_RECIPE.format(url=plain), file=sys.stderr)
        return 2
    print(written)
    return 0


def run_restore(settings: Settings, archive: Path, clock: Clock) -> int:
    """Exit 0 restored; 2 refused (a bad archive, the bot running, PostgreSQL's tools missing
    or failing), nothing changed."""
    # The folder of the data a restore replaces (the SQLite file's, or the evidence's): the
    # archive is unpacked there, so putting it in place is a rename on the same disk.
    home = settings.lock_dir
    url = make_url(settings.db.url)
    database = Path(url.database or "") if url.get_backend_name() == "sqlite" else None
    try:
        with no_bot_running(home):
            private_dir(home)
            staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=home))
            try:
                manifest = unpack_archive(archive, staging)
                if database is None and manifest.database == SQLITE_MEMBER:
                    raise ArchiveRefusedError(
                        "it holds a SQLite database, and the bot is set up for PostgreSQL"
                    )
                if database is not None and manifest.database == PG_MEMBER:
                    raise ArchiveRefusedError(
                        "it holds a PostgreSQL database, and the bot is set up for SQLite"
                    )
                moment = clock.now()
                if database is None:  # the database first: if it fails, nothing has changed
                    replace_postgres(settings.db.url, staging, aside_folder(home, moment))
                restored = put_in_place(
                    staging,
                    manifest,
                    database=database,
                    evidence_dir=Path(settings.evidence_dir),
                    data_dir=home,
                    moment=moment,
                )
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except BotRunningError as running:
        pid = f" (process {running.pid})" if running.pid else ""
        print(
            f"roadmap-bot restore: the bot is running{pid}; nothing was changed.\n"
            "Stop it first (sudo systemctl stop roadmap-bot), restore, then start it again.",
            file=sys.stderr,
        )
        return 2
    except ArchiveRefusedError as refused:
        print(
            f"roadmap-bot restore: {archive} cannot be restored: {refused}.\n"
            "Nothing was changed. Choose another archive (the daily ones are in "
            f"{settings.backup_dir}).",
            file=sys.stderr,
        )
        return 2
    except PostgresToolError as failed:
        print(
            f"roadmap-bot restore: {failed}\nNothing was changed. Check that the database in "
            "DB__URL exists and its user may create tables in it (the bot's own user does).",
            file=sys.stderr,
        )
        return 2
    print(f"roadmap-bot restore: restored {archive.name} ({restored.evidence_files} files).")
    if restored.kept_aside is not None:
        print(f"What it replaced is kept in {restored.kept_aside}.")
    if database is None and restored.kept_aside is not None:
        print(
            f"The database it replaced is {restored.kept_aside / PG_MEMBER}; to put it back:\n"
            "  pg_restore --clean --if-exists --no-owner --dbname=<DB__URL without +asyncpg> "
            f"{restored.kept_aside / PG_MEMBER}"
        )
    print("Start the bot again (it brings the database up to date as it starts).")
    return 0
