"""A PostgreSQL database in and out of a backup, with postgresql-client's own tools.

``dump`` writes ``pg_dump``'s custom archive. ``load`` puts one in place of everything in the
database's schema in a single transaction (``pg_restore`` writes the script, ``psql`` runs it
after clearing the schema): a dump that fails to load changes nothing, and tables a newer
version of the bot added do not outlive a restore of an older archive. The objects restored
belong to the bot's own database user, whoever owned them where the dump was made. The
password goes through the environment, never the command line every user of the machine sees.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from storage.private_files import private_file

TIMEOUT_SECONDS = 3600
TOOLS = "install postgresql-client of the server's version"

# Everything the bot's migrations make lives in the schema its connection uses: gone first,
# so that the dump loads into an empty schema whatever the database held.
CLEAR_SCHEMA = """\
SET client_min_messages = warning;
DO $clear$
DECLARE
    item record;
BEGIN
    FOR item IN SELECT schemaname, viewname AS name FROM pg_views
            WHERE schemaname = current_schema() LOOP
        EXECUTE format('DROP VIEW IF EXISTS %I.%I CASCADE', item.schemaname, item.name);
    END LOOP;
    FOR item IN SELECT schemaname, tablename AS name FROM pg_tables
            WHERE schemaname = current_schema() LOOP
        EXECUTE format('DROP TABLE IF EXISTS %I.%I CASCADE', item.schemaname, item.name);
    END LOOP;
    FOR item IN SELECT schemaname, sequencename AS name FROM pg_sequences
            WHERE schemaname = current_schema() LOOP
        EXECUTE format('DROP SEQUENCE IF EXISTS %I.%I CASCADE', item.schemaname, item.name);
    END LOOP;
    FOR item IN SELECT n.nspname AS schemaname, t.typname AS name FROM pg_type t
            JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE n.nspname = current_schema() AND t.typtype IN ('e', 'd') LOOP
        EXECUTE format('DROP TYPE IF EXISTS %I.%I CASCADE', item.schemaname, item.name);
    END LOOP;
END
$clear$;
"""


class PostgresToolError(RuntimeError):
    """pg_dump, pg_restore or psql is missing or failed (what to fix is in the message)."""


def dump(db_url: str, target: Path) -> None:
    """The database at ``target``, as ``pg_dump --format=custom`` writes it (``0600``)."""
    private_file(target)
    _run("pg_dump", db_url, "--format=custom", f"--file={target}")


def load(db_url: str, dump_file: Path, work: Path) -> None:
    """``dump_file`` in place of everything in the database's schema, in one transaction;
    ``work``: a private folder for the script (it holds everyone's data)."""
    script = work / "restore.sql"
    clear = work / "clear.sql"
    private_file(script)
    private_file(clear)
    clear.write_text(CLEAR_SCHEMA, encoding="utf-8")
    # Only reads the dump: the script is written here, nothing is sent to the server.
    _tool(["pg_restore", "--no-owner", "--no-privileges", f"--file={script}", str(dump_file)])
    _run(
        "psql",
        db_url,
        "--no-psqlrc",
        "--quiet",
        "--single-transaction",
        "--set=ON_ERROR_STOP=1",
        f"--file={clear}",
        f"--file={script}",
    )


def _run(tool: str, db_url: str, *arguments: str) -> None:
    url = make_url(db_url)
    plain = url.set(drivername="postgresql", password=None).render_as_string()
    environment = {**os.environ, "PGPASSWORD": str(url.password or "")}
    _tool([tool, *arguments, "--no-password", f"--dbname={plain}"], environment)


def _tool(command: list[str], environment: dict[str, str] | None = None) -> None:
    try:
        done = subprocess.run(
            command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False, env=environment
        )
    except FileNotFoundError as error:
        raise PostgresToolError(f"{command[0]} is not installed: {TOOLS}") from error
    except subprocess.TimeoutExpired as error:
        raise PostgresToolError(f"{command[0]} did not finish in an hour") from error
    if done.returncode != 0:
        said = done.stderr.decode(errors="replace").strip()[-500:]
        raise PostgresToolError(f"{command[0]} failed: {said}")
