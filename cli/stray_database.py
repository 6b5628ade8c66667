"""A command that needs the bot's database refuses when there is none where the settings say.

SQLite creates a missing file on first use: run from the wrong folder, or with a mistyped
DATA_DIR, ``roadmap-bot invite`` used to make a second, empty database and print a link the
running bot refused. Only ``db upgrade`` and ``run`` create a database (and ``restore`` puts
one back).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url

from bot.settings import Settings

CREATE_DATABASE = frozenset({"run", "db", "restore"})
# Never open the database, or say themselves that it is missing: ``doctor`` reports it among
# its checks, ``email test`` only talks to the mail server.
NO_DATABASE = frozenset({"doctor", "deadlines"})


def missing_database(
    settings: Settings, command: str, *, dry_run: bool = False, subcommand: str | None = None
) -> str | None:
    """Why ``command`` must not run (the configured database is not there), or ``None``.
    ``dry_run``: the command only reads its input (``import --dry-run``), never the database."""
    if command in CREATE_DATABASE or command in NO_DATABASE or dry_run:
        return None
    if (command, subcommand) == ("email", "test"):
        return None
    url = make_url(settings.db.url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None  # a server's database is never made by connecting to it
    database = Path(url.database)
    if database.is_file() and database.stat().st_size > 0:
        return None
    return (
        f"roadmap-bot {command}: there is no database at {database}.\n"
        f"The data folder in the settings is {settings.data_dir} (DATA_DIR, from .env in "
        f"the bot's folder or the environment).\n"
        "If the bot runs elsewhere, run this command with the same settings (as the bot's "
        "user, e.g. sudo -u roadmap, from the bot's folder); a new installation starts with "
        "`roadmap-bot db upgrade`."
    )
