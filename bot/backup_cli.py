"""``roadmap-bot backup``: a consistent copy of the SQLite database while the bot runs.

SQLite's online backup API copies the database page by page under its own locking, so the
copy is consistent even while the bot writes (a plain ``cp`` of a WAL database is not).
PostgreSQL has its own tool for this, pg_dump; the command says how to call it.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from domain.clock import Clock


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
    target = out or Path("backups") / f"roadmap-{clock.now():%Y%m%d-%H%M%S}.sqlite3"
    if target.exists():
        print(f"roadmap-bot backup: {target} already exists; choose another --out", file=sys.stderr)
        return 2
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    with sqlite3.connect(source) as live, sqlite3.connect(partial) as copy:
        live.backup(copy)
        (check,) = copy.execute("PRAGMA integrity_check").fetchone()
    if check != "ok":
        partial.unlink()
        print(f"roadmap-bot backup: the copy failed its integrity check: {check}", file=sys.stderr)
        return 1
    partial.rename(target)  # only a complete, checked copy gets the final name
    print(target)
    return 0
