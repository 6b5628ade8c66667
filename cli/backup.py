"""``roadmap-bot backup``: a consistent copy of the SQLite database while the bot runs.

SQLite's online backup API copies the database page by page under its own locking, so the
copy is consistent even while the bot writes (a plain ``cp`` of a WAL database is not).
PostgreSQL has its own tool for this, pg_dump; the command says how to call it.
"""

from __future__ import annotations

import sqlite3
import sys
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import make_url

from domain.clock import Clock
from storage.private_files import private_dir, private_file


def run_backup(db_url: str, out: Path | None, clock: Clock) -> int:
    url = make_url(db_url)
    if url.get_backend_name() == "postgresql":
        plain = url.set(drivername="postgresql").render_as_string(hide_password=True)
        print(
            "roadmap-bot backup: the database is PostgreSQL; back it up with pg_dump, e.g.\n"
            f"  pg_dump --format=custom --file=roadmap-{clock.now():%Y%m%d-%H%M}.dump '{plain}'\n"
            "and restore with pg_restore --clean --dbname=<url> <file> (see README, «Backups»).",
            file=sys.stderr,
        )
        return 2
    source = Path(url.database or "")
    if not source.is_file():
        print(f"roadmap-bot backup: no database file at {source}", file=sys.stderr)
        return 2
    # Beside the database by default: the one folder a deployment already keeps writable.
    stamp = f"roadmap-{clock.now():%Y%m%d-%H%M%S}.sqlite3"
    target = out or source.parent / "backups" / stamp
    if target.exists():
        print(f"roadmap-bot backup: {target} already exists; choose another --out", file=sys.stderr)
        return 2
    partial = target.with_name(target.name + ".partial")
    try:
        # A copy of everyone's reports: readable by the bot's user alone, from its first byte.
        private_dir(target.parent)
        private_file(partial)
    except OSError as error:
        print(
            f"roadmap-bot backup: cannot write {target} ({error.strerror}); choose another --out",
            file=sys.stderr,
        )
        return 2
    try:
        check = _copy(source, partial)
    except sqlite3.DatabaseError as error:
        partial.unlink()
        print(f"roadmap-bot backup: {source} is not a readable database ({error})", file=sys.stderr)
        return 1
    if check != "ok":
        partial.unlink()
        print(f"roadmap-bot backup: the copy failed its integrity check: {check}", file=sys.stderr)
        return 1
    partial.rename(target)  # only a complete, checked copy gets the final name
    print(target)
    return 0


def _copy(source: Path, target: Path) -> str:
    """Copy with SQLite's online backup API; returns the copy's integrity check ("ok")."""
    with closing(sqlite3.connect(source)) as live, closing(sqlite3.connect(target)) as copy:
        live.backup(copy)
        (check,) = copy.execute("PRAGMA integrity_check").fetchone()
    return str(check)
