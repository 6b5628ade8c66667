"""Settings from the environment and the ``roadmap-bot`` command line."""

from __future__ import annotations

import functools
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from datetime import time
from pathlib import Path

import openpyxl
import pytest
from pydantic import ValidationError

from bot.settings import (
    DEFAULT_DB_URL,
    TELEGRAM_API_URL,
    BackupSection,
    DigestSection,
    EmailSection,
    MaxSection,
    RedisSection,
    SchedulerSection,
    Settings,
    WebhookSection,
)
from domain.reminders.window import SendingWindow
from tests.cli_support import run_in_process

ROOT = Path(__file__).resolve().parent.parent


CREATING = ("db", "run", "restore", "deadlines", "backup")


@functools.cache
def installed_database() -> bytes:
    """The SQLite file `roadmap-bot db upgrade` makes on a new installation, made once per test
    process by the command (in this process): each test that only needs an installed database
    gets a copy, instead of spending seconds of every test on the same migrations (tests of
    `db upgrade` itself still run it, tests/test_first_start.py in a process of its own)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BOT__", "DB__", "DATA_DIR"))}
    with tempfile.TemporaryDirectory(prefix="tests-installed-") as folder:
        database = Path(folder) / "installed.sqlite3"
        env = {**clean, "DATA_DIR": folder, "DB__URL": f"sqlite+aiosqlite:///{database}"}
        made = run_in_process(["db", "upgrade"], env=env, cwd=Path(folder))
        assert made.returncode == 0, made.stderr
        return database.read_bytes()


def cli(
    *args: str, env: dict[str, str], cwd: Path, installed: bool = True, process: bool = False
) -> subprocess.CompletedProcess[str]:
    """``roadmap-bot ARGS``; ``installed``: as on an installation, whose first step
    (`db upgrade`) made the database a command other than ``db`` and ``run`` refuses to make.

    In the test process (tests/cli_support.py) unless ``process``: then ``python -m bot`` in a
    process of its own, as each family of commands does at least once."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BOT__", "DB__"))}
    url = env.get("DB__URL", "")
    database = Path(url.partition(":///")[2]) if url.startswith("sqlite") else None
    reads_only = "--dry-run" in args  # reads its file, never the database: nothing to make
    fresh = database is not None and not database.exists()
    if installed and args[0] not in CREATING and not reads_only and fresh:
        assert database is not None
        database.parent.mkdir(parents=True, exist_ok=True)
        database.write_bytes(installed_database())
    if not process:
        return run_in_process(args, env={**clean, **env}, cwd=cwd)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env={**clean, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("BOT__TOKEN", "BOT__API_URL", "DB__URL", "TIMEZONE", "DEFAULT_LOCALE"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings(_env_file=None)
    assert settings.bot.token is None
    assert settings.bot.api_url == TELEGRAM_API_URL
    # The checkout's data/, wherever the command runs (DATA_DIR moves it).
    assert (
        settings.db.url
        == DEFAULT_DB_URL
        == f"sqlite+aiosqlite:///{ROOT / 'data' / 'roadmap.sqlite3'}"
    )
    assert settings.timezone == "Asia/Irkutsk"
    assert settings.default_locale == "ru"
    assert settings.invite_ttl_days == 14


def test_nested_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT__TOKEN", "1:abc")
    monkeypatch.setenv("BOT__API_URL", "http://127.0.0.1:8081")
    monkeypatch.setenv("DB__URL", "sqlite+aiosqlite:///x.sqlite3")
    monkeypatch.setenv("TIMEZONE", "Asia/Yakutsk")
    settings = Settings(_env_file=None)
    assert settings.bot.token is not None and settings.bot.token.get_secret_value() == "1:abc"
    assert settings.bot.api_url == "http://127.0.0.1:8081"
    assert settings.timezone == "Asia/Yakutsk"


def test_bad_values_are_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIMEZONE", "Mars/Olympus")
    with pytest.raises(ValidationError, match="unknown timezone"):
        Settings(_env_file=None)
    monkeypatch.setenv("TIMEZONE", "Asia/Irkutsk")
    monkeypatch.setenv("DEFAULT_LOCALE", "de")
    with pytest.raises(ValidationError, match="locale must be one of ru, en"):
        Settings(_env_file=None)


def test_digest_and_notification_settings_are_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIGEST__TIME", "25:00")
    with pytest.raises(ValidationError, match="DIGEST__TIME must be HH:MM"):
        Settings(_env_file=None)
    monkeypatch.setenv("DIGEST__TIME", "07:30")
    monkeypatch.setenv("DIGEST__DAY_OF_WEEK", "fri")
    digest = Settings(_env_file=None).digest
    assert (digest.day_of_week, digest.hour, digest.minute) == ("fri", 7, 30)
    monkeypatch.setenv("REPORT_NOTIFICATIONS", "daily")
    with pytest.raises(ValidationError, match="instant"):
        Settings(_env_file=None)


def test_every_variable_is_documented_in_the_example() -> None:
    example = (ROOT / "config.example.env").read_text(encoding="utf-8")
    names = {"BOT__TOKEN", "BOT__API_URL", "BOT__USERNAME", "BOT__POLLING_TIMEOUT", "DB__URL"}
    names |= {f"SCHEDULER__{name.upper()}" for name in SchedulerSection.model_fields}
    names |= {f"DIGEST__{name.upper()}" for name in DigestSection.model_fields}
    names |= {f"WEBHOOK__{name.upper()}" for name in WebhookSection.model_fields}
    names |= {f"REDIS__{name.upper()}" for name in RedisSection.model_fields}
    names |= {f"MAX__{name.upper()}" for name in MaxSection.model_fields}
    names |= {f"BACKUP__{name.upper()}" for name in BackupSection.model_fields}
    names |= {
        f"EMAIL__{(field.alias or name).upper()}"
        for name, field in EmailSection.model_fields.items()
    }
    names |= {
        name.upper()
        for name in Settings.model_fields
        if name
        not in ("bot", "db", "scheduler", "digest", "webhook", "redis", "email", "max", "backup")
    }
    for name in names:
        assert f"\n{name}=" in example or f"\n# {name}=" in example, name


def test_webhook_settings_are_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBHOOK__SECRET", "секрет с пробелами")
    with pytest.raises(ValidationError, match="WEBHOOK__SECRET must be 1-256 characters"):
        Settings(_env_file=None)
    monkeypatch.setenv("WEBHOOK__SECRET", "Ok_secret-1")
    monkeypatch.setenv("WEBHOOK__PATH", "/healthz")
    with pytest.raises(ValidationError, match="WEBHOOK__PATH"):
        Settings(_env_file=None)
    monkeypatch.delenv("WEBHOOK__PATH")
    webhook = Settings(_env_file=None).webhook
    assert webhook.problem() is not None and "WEBHOOK__URL" in webhook.problem()  # type: ignore[operator]
    monkeypatch.setenv("WEBHOOK__URL", "https://bot.example.ru/telegram")
    assert Settings(_env_file=None).webhook.problem() is None
    monkeypatch.setenv("LOG_FORMAT", "xml")
    with pytest.raises(ValidationError, match="text"):
        Settings(_env_file=None)


def test_run_webhook_without_url_or_secret_says_what_to_set(tmp_path: Path) -> None:
    result = cli("run", "--webhook", env={"BOT__TOKEN": "1:x"}, cwd=tmp_path)
    assert result.returncode == 2
    assert "WEBHOOK__URL is not set" in result.stderr
    result = cli(
        "run",
        env={
            "BOT__TOKEN": "1:x",
            "WEBHOOK__ENABLED": "true",
            "WEBHOOK__URL": "https://b.example/t",
        },
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "WEBHOOK__SECRET is not set" in result.stderr


@pytest.mark.process
def test_run_without_token_says_which_variable_and_where_to_get_it(tmp_path: Path) -> None:
    result = cli("run", env={}, cwd=tmp_path, process=True)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "BOT__TOKEN" in lines[0] and "@BotFather" in lines[0]
    assert "MAX__TOKEN" in lines[0] and "business.max.ru" in lines[0]


@pytest.mark.process
def test_backup_copies_a_live_database_and_restores(tmp_path: Path) -> None:
    live = tmp_path / "live.sqlite3"
    env = {
        "DB__URL": f"sqlite+aiosqlite:///{live}",
        "BOT__USERNAME": "uo_bot",
        "DATA_DIR": str(tmp_path),
    }
    assert cli("db", "upgrade", env=env, cwd=tmp_path).returncode == 0
    invite = ("invite", "--name", "Иванова Мария Петровна", "--role", "responsible")
    assert cli(*invite, env=env, cwd=tmp_path).returncode == 0
    # The bot is "running": a connection holds the database open, its last write still in the
    # WAL file (a plain copy of live.sqlite3 alone would miss it).
    holder = sqlite3.connect(live)
    holder.execute("PRAGMA wal_autocheckpoint=0")
    holder.execute("UPDATE people SET position = 'директор'")
    holder.commit()
    try:
        made = cli("backup", env=env, cwd=tmp_path, process=True)  # beside the bot's process
        assert made.returncode == 0, made.stderr
        archive = Path(made.stdout.strip())
        assert archive.parent == tmp_path / "backups" and archive.name.endswith(".tar.gz")
        again = cli("backup", "--out", str(archive), env=env, cwd=tmp_path)
        assert again.returncode == 2 and "already exists" in again.stderr
    finally:
        holder.close()

    # Restore: the bot stopped, the archive put in place; the database works as before.
    live.unlink()
    for leftover in tmp_path.glob("live.sqlite3-*"):
        leftover.unlink()
    restored = cli("restore", str(archive), env=env, cwd=tmp_path)
    assert restored.returncode == 0, restored.stderr
    assert cli("db", "upgrade", env=env, cwd=tmp_path).returncode == 0
    with sqlite3.connect(live) as database:
        assert database.execute("SELECT full_name, position FROM people").fetchall() == [
            ("Иванова Мария Петровна", "директор")
        ]


def test_backup_explains_postgresql_and_a_missing_file(tmp_path: Path) -> None:
    postgres = cli(
        "backup",
        env={
            "DB__URL": "postgresql+asyncpg://bot:s3cret@db.example:5432/roadmap",
            "DATA_DIR": str(tmp_path),
            "PATH": str(tmp_path),  # no pg_dump
        },
        cwd=tmp_path,
    )
    assert postgres.returncode == 2
    assert "pg_dump is not installed" in postgres.stderr
    assert "pg_dump --format=custom" in postgres.stderr and "s3cret" not in postgres.stderr
    missing = cli(
        "backup", env={"DB__URL": f"sqlite+aiosqlite:///{tmp_path / 'none.sqlite3'}"}, cwd=tmp_path
    )
    assert missing.returncode == 2 and "there is no database at" in missing.stderr


@pytest.mark.process
def test_db_upgrade_and_invite(tmp_path: Path) -> None:
    env = {"DB__URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}", "BOT__USERNAME": "uo_bot"}
    upgraded = cli("db", "upgrade", env=env, cwd=tmp_path)
    assert upgraded.returncode == 0, upgraded.stderr

    invited = cli(
        "invite",
        "--name",
        "Антипина Анна Михайловна",
        "--role",
        "coordinator",
        "--org",
        "Управление образованием УКМО",
        env=env,
        cwd=tmp_path,
        process=True,
    )
    assert invited.returncode == 0, invited.stderr
    link = invited.stdout.strip()
    assert link.startswith("https://t.me/uo_bot?start=") and len(link.split("=")[1]) == 32

    again = cli(
        "invite",
        "--name",
        "Антипина Анна Михайловна",
        "--role",
        "coordinator",
        "--org",
        "Управление образованием УКМО",
        env=env,
        cwd=tmp_path,
    )
    assert again.stdout.strip() != link  # a new link for the same person

    # Once she has joined, a plain link would be refused to whoever opens it: none is printed.
    with sqlite3.connect(tmp_path / "cli.sqlite3") as database:
        database.execute("UPDATE people SET telegram_user_id = 1, telegram_chat_id = 1")
    joined = cli(
        "invite",
        "--name",
        "Антипина Анна Михайловна",
        "--role",
        "coordinator",
        "--org",
        "Управление образованием УКМО",
        env=env,
        cwd=tmp_path,
    )
    assert joined.returncode == 1 and joined.stdout == ""
    assert "already joined" in joined.stderr and "/settings" in joined.stderr


def test_invite_without_bot_name_explains(tmp_path: Path) -> None:
    env = {"DB__URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}"}
    result = cli("invite", "--name", "Иванов И.И.", "--role", "responsible", env=env, cwd=tmp_path)
    assert result.returncode == 2
    assert "BOT__USERNAME" in result.stderr


def test_invite_rejects_unknown_role(tmp_path: Path) -> None:
    result = cli("invite", "--name", "Иванов", "--role", "admin", env={}, cwd=tmp_path)
    assert result.returncode == 2 and "invalid choice" in result.stderr


@pytest.mark.process
def test_deadlines_command_prints_one_json_object_per_line(tmp_path: Path) -> None:
    texts = "Апрель 2026 г., далее ежегодно\nВ течение года (по запросу)\n\nежегодно до 1 ноября\n"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "deadlines",
            "--period",
            "2026-2030",
            "--annual-due",
            "11-01",
        ],
        input=texts,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["kind"] for row in rows] == ["recurring", "on_request", "unknown", "recurring"]
    assert rows[0] == {
        "text": "Апрель 2026 г., далее ежегодно",
        "kind": "recurring",
        "due": ["2026-04-30", "2027-04-30", "2028-04-30", "2029-04-30", "2030-04-30"],
        "start": None,
    }
    assert rows[3]["due"][0] == "2026-11-01"


@pytest.mark.parametrize("period", ["2030-2026", "весь период", "2025/2027"])
def test_deadlines_command_refuses_a_bad_period(tmp_path: Path, period: str) -> None:
    result = cli("deadlines", "--period", period, env={}, cwd=tmp_path)
    assert result.returncode == 2 and "--period" in result.stderr


SEEDS = ROOT / "tests" / "fixtures" / "seeds"


@pytest.mark.process
def test_import_dry_run_json_writes_nothing(tmp_path: Path) -> None:
    database = tmp_path / "data" / "roadmap.sqlite3"
    env = {"DB__URL": f"sqlite+aiosqlite:///{database}"}
    result = cli(
        "import",
        str(SEEDS / "000_8c94794e8422f1fe.txt"),
        "--dry-run",
        "--json",
        env=env,
        cwd=tmp_path,
        process=True,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"title", "order", "period", "coordinator", "measures", "warnings"}
    assert data["order"] == {"number": "61", "date": "2026-02-20"}
    assert data["period"] == "2026-2030"
    assert len(data["measures"]) == 22
    first = data["measures"][0]
    assert set(first) >= {
        "number",
        "section",
        "title",
        "deadline_text",
        "schedule",
        "responsible_text",
        "assignees",
        "result",
        "control",
    }
    assert first["schedule"] == {"kind": "once", "due": ["2026-02-28"], "start": None}
    assert not database.exists()


def test_import_saves_and_reimport_updates(tmp_path: Path) -> None:
    env = {"DB__URL": f"sqlite+aiosqlite:///{tmp_path / 'r.sqlite3'}"}
    seed = str(SEEDS / "002_9a2ca02883d7d4ea.txt")
    first = cli("import", seed, "--json", env=env, cwd=tmp_path)
    again = cli("import", seed, "--json", env=env, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["created"] is True
    assert json.loads(first.stdout)["measures_added"] == 27
    assert json.loads(again.stdout)["created"] is False
    assert json.loads(again.stdout)["measures_updated"] == 27


@pytest.mark.parametrize("command", ["import", "people"])
def test_a_file_that_cannot_be_read_is_named_and_nothing_is_written(
    tmp_path: Path, command: str
) -> None:
    missing = tmp_path / "нет такого файла.docx"
    env = {"DB__URL": f"sqlite+aiosqlite:///{tmp_path / 'r.sqlite3'}"}
    result = cli(command, str(missing), env=env, cwd=tmp_path)
    assert result.returncode == 2
    assert f"roadmap-bot: cannot read {missing}: No such file or directory" in result.stderr
    with sqlite3.connect(tmp_path / "r.sqlite3") as database:  # made by `db upgrade` only
        for table in ("measures", "people", "organisations"):
            assert database.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)


def test_import_refuses_a_bad_file_in_russian(tmp_path: Path) -> None:
    bad = tmp_path / "roadmap.pdf"
    bad.write_bytes(b"%PDF-1.4")
    result = cli("import", str(bad), "--dry-run", env={}, cwd=tmp_path)
    assert result.returncode == 2
    # A PDF is read now; this one has only its first line: damaged, and said so in Russian.
    assert "повреждён" in result.stdout and "Ничего не сохранено" in result.stdout


@pytest.mark.process
def test_people_import_prints_a_link_for_everyone(tmp_path: Path) -> None:
    from tests.fixtures.people import people_xlsx

    sheet = tmp_path / "heads.xlsx"
    sheet.write_bytes(people_xlsx())
    env = {"DB__URL": f"sqlite+aiosqlite:///{tmp_path / 'p.sqlite3'}", "BOT__USERNAME": "uo_bot"}
    result = cli("people", str(sheet), "--invite", env=env, cwd=tmp_path, process=True)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "rows: 3, new schools: 3, new people: 3, assignments added: 0"
    links = [line.split("\t") for line in lines[1:]]
    assert [row[1] for row in links] == [
        "Иванова Мария Петровна",
        "Петров Пётр Петрович",
        "Сидорова Анна Ивановна",
    ]
    assert all(row[2].startswith("https://t.me/uo_bot?start=") for row in links)
    again = cli("invite", "--all", env=env, cwd=tmp_path)
    assert len(again.stdout.strip().splitlines()) == 3  # nobody joined yet: fresh links again


def test_export_writes_the_report_and_explains_an_empty_database(tmp_path: Path) -> None:
    import openpyxl

    env = {"DB__URL": f"sqlite+aiosqlite:///{tmp_path / 'e.sqlite3'}"}
    empty = cli("export", "--out", str(tmp_path / "none.xlsx"), env=env, cwd=tmp_path)
    assert empty.returncode == 1 and "no roadmap imported yet" in empty.stderr
    assert (
        cli("import", str(SEEDS / "002_9a2ca02883d7d4ea.txt"), env=env, cwd=tmp_path).returncode
        == 0
    )
    backwards = cli("export", "--from", "2026-05-01", "--to", "2026-04-01", env=env, cwd=tmp_path)
    assert backwards.returncode == 2 and "--from is after --to" in backwards.stderr

    out = tmp_path / "отчёт.xlsx"
    done = cli(
        "export", "--from", "2025-01-01", "--to", "2025-11-01", "--out", str(out),
        env=env, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(out)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Отчет", "Свод", "Ответы"]
    header = next(book["Отчет"].iter_rows(min_row=2, max_row=2, values_only=True))
    assert header[5] == "Фактический результат на 01.11.2025"
    measures = [row for row in book["Отчет"].iter_rows(min_row=4, values_only=True) if row[2]]
    assert len(measures) == 27  # every measure of the roadmap, under its section


@pytest.mark.process
def test_db_downgrade_undoes_migrations_for_a_rollback(tmp_path: Path) -> None:
    database = tmp_path / "r.sqlite3"
    env = {"DB__URL": f"sqlite+aiosqlite:///{database}"}

    def tables() -> set[str]:
        with sqlite3.connect(database) as connection:
            rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            return {name for (name,) in rows}

    assert cli("db", "upgrade", env=env, cwd=tmp_path).returncode == 0
    assert "job_runs" in tables()

    down = cli("db", "downgrade", "0005", env=env, cwd=tmp_path)
    assert down.returncode == 0, down.stderr
    assert down.stdout.strip() == "roadmap-bot: database is at revision 0005"
    assert "job_runs" not in tables() and "reminders" in tables()

    unknown = cli("db", "downgrade", "9999", env=env, cwd=tmp_path, process=True)
    assert unknown.returncode == 2 and "Traceback" not in unknown.stderr
    last = unknown.stderr.strip().splitlines()[-1]  # after Alembic's own log lines
    assert last == "roadmap-bot db downgrade: Can't locate revision identified by '9999'"
    assert "reminders" in tables()  # a refused downgrade changed nothing

    assert cli("db", "upgrade", env=env, cwd=tmp_path).returncode == 0
    assert "job_runs" in tables()


def test_backup_of_a_broken_file_or_to_an_unwritable_place_says_so(tmp_path: Path) -> None:
    live = tmp_path / "data" / "live.sqlite3"
    env = {"DB__URL": f"sqlite+aiosqlite:///{live}", "DATA_DIR": str(tmp_path / "data")}
    assert cli("db", "upgrade", env=env, cwd=tmp_path).returncode == 0
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")

    unwritable = cli("backup", "--out", str(blocker / "copy.tar.gz"), env=env, cwd=tmp_path)
    assert unwritable.returncode == 2 and "Traceback" not in unwritable.stderr
    assert unwritable.stderr.startswith(f"roadmap-bot backup: cannot write to {blocker}")

    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"this was never a database" * 100)
    refused = cli(
        "backup",
        env={"DB__URL": f"sqlite+aiosqlite:///{broken}", "DATA_DIR": str(tmp_path)},
        cwd=tmp_path,
    )
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert refused.stderr.startswith(f"roadmap-bot backup: {broken} could not be copied")
    assert list((tmp_path / "backups").iterdir()) == []  # no half-written copy left behind

    beside = cli("backup", env=env, cwd=tmp_path)  # the default: DATA_DIR/backups
    assert beside.returncode == 0, beside.stderr
    assert Path(beside.stdout.strip()).parent == live.parent / "backups"


def test_settings_refuse_an_empty_or_unreadable_window() -> None:
    with pytest.raises(ValidationError, match="earlier than SCHEDULER__WINDOW_END"):
        SchedulerSection(window_start="18:00", window_end="09:00")
    with pytest.raises(ValidationError, match="HH:MM"):
        SchedulerSection(window_start="9 утра")
    assert SchedulerSection().window == SendingWindow()


def test_settings_open_the_window_on_days_off_when_asked() -> None:
    every_day = SchedulerSection(
        window_start="00:00", window_end="23:59", window_working_days_only=False
    )
    assert every_day.window == SendingWindow(time(0, 0), time(23, 59), working_days_only=False)


def test_import_asks_for_a_column_and_takes_it_with_columns(tmp_path: Path) -> None:
    from demo.documents import district_plan

    plan = tmp_path / "План.docx"
    plan.write_bytes(district_plan(2026))
    env = {"DB__URL": f"sqlite+aiosqlite:///{tmp_path / 'r.sqlite3'}"}

    asked = cli("import", str(plan), "--dry-run", env=env, cwd=tmp_path)
    assert asked.returncode == 2
    assert "  3. Столбец «Этап» → не используется" in asked.stdout
    assert "--columns measure=N,deadline=N" in asked.stdout
    asked_json = json.loads(cli("import", str(plan), "--json", env=env, cwd=tmp_path).stdout)
    assert asked_json["missing"] == ["deadline"]

    chosen = cli(
        "import", str(plan), "--dry-run", "--json", "--columns", "deadline=3", env=env, cwd=tmp_path
    )
    assert chosen.returncode == 0, chosen.stderr
    columns = json.loads(chosen.stdout)["columns"]
    assert columns[2] == {"column": 3, "header": "Этап", "role": "deadline", "source": "chosen"}
    assert [m["deadline_text"] for m in json.loads(chosen.stdout)["measures"]] == [
        "Весна",
        "Осень",
        "Зима",
    ]

    missing = cli(
        "import", str(plan), "--dry-run", "--columns", "deadline=9", env=env, cwd=tmp_path
    )
    assert missing.returncode == 2 and "нет столбца с таким номером" in missing.stdout
    wrong = cli("import", str(plan), "--columns", "when=3", env=env, cwd=tmp_path, installed=False)
    assert wrong.returncode == 2 and "unknown role 'when'" in wrong.stderr
    # The installation's database (its first step) holds no roadmap: nothing was saved.
    with sqlite3.connect(tmp_path / "r.sqlite3") as saved:
        assert saved.execute("SELECT count(*) FROM roadmaps").fetchone() == (0,)


@pytest.mark.process
def test_calendar_writes_a_persons_deadlines_and_everyones(tmp_path: Path) -> None:
    from icalendar import Calendar

    from tests.fixtures.people import people_xlsx

    env = {"DB__URL": f"sqlite+aiosqlite:///{tmp_path / 'r.sqlite3'}", "BOT__USERNAME": "rk_bot"}
    # The roadmap first, then the list: the new schools get the measures «for every school»
    # and their deadlines at once, as in the chat.
    seed = str(SEEDS / "000_8c94794e8422f1fe.txt")
    assert cli("import", seed, env=env, cwd=tmp_path).returncode == 0
    people = tmp_path / "people.xlsx"
    people.write_bytes(people_xlsx())
    assert cli("people", str(people), env=env, cwd=tmp_path).returncode == 0

    mine = cli(
        "calendar", "--person", "Иванова Мария Петровна", "--out", "m.ics",
        env=env, cwd=tmp_path, process=True,
    )  # fmt: skip
    assert mine.returncode == 0, mine.stderr
    events = Calendar.from_ical((tmp_path / "m.ics").read_bytes()).walk("VEVENT")
    assert events and all("СОШ № 1" in str(event["summary"]) for event in events)
    assert "https://t.me/rk_bot" in str(events[0]["description"])

    everyone = cli("calendar", "--all", "--out", "all.ics", env=env, cwd=tmp_path)
    assert everyone.returncode == 0, everyone.stderr
    assert len(Calendar.from_ical((tmp_path / "all.ics").read_bytes()).walk("VEVENT")) > len(events)

    nobody = cli("calendar", "--person", "Нет Такого", env=env, cwd=tmp_path)
    assert nobody.returncode == 2 and "nobody is named «Нет Такого»" in nobody.stderr
    neither = cli("calendar", env=env, cwd=tmp_path)
    assert neither.returncode == 2 and "--person" in neither.stderr


@pytest.mark.process
def test_export_as_a_document_from_the_command_line(tmp_path: Path) -> None:
    import docx

    env = {"DB__URL": f"sqlite+aiosqlite:///{tmp_path / 'r.sqlite3'}"}
    seed = str(SEEDS / "002_9a2ca02883d7d4ea.txt")
    assert cli("import", seed, env=env, cwd=tmp_path).returncode == 0
    result = cli(
        "export", "--format", "docx", "--as-of", "2025-05-01", env=env, cwd=tmp_path, process=True
    )
    assert result.returncode == 0, result.stderr
    assert "signature block is left to fill in by hand" in result.stderr
    written = tmp_path / "Отчет о реализации на 2025-05-01.docx"
    document = docx.Document(str(written))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Таблица 2" in text and "В дорожной карте 27 мероприятий." in text
    assert document.tables[1].rows[0].cells[0].text.startswith("____")


@pytest.mark.process
def test_email_test_says_what_failed_and_sends_when_it_can(tmp_path: Path) -> None:
    from standin.smtp import MailServer, free_port

    base = {"EMAIL__FROM": "Управление образования <bot@uo.ru>", "EMAIL__STARTTLS": "false"}
    unset = cli("email", "test", "--to", "a@uo.ru", env={}, cwd=tmp_path)
    assert unset.returncode == 2 and "EMAIL__HOST is not set" in unset.stderr

    nobody = {**base, "EMAIL__HOST": "127.0.0.1", "EMAIL__PORT": str(free_port())}
    down = cli("email", "test", "--to", "a@uo.ru", env=nobody, cwd=tmp_path)
    assert down.returncode == 1
    assert "Could not connect to 127.0.0.1" in down.stderr and "EMAIL__PORT" in down.stderr

    bad_address = cli("email", "test", "--to", "a@uo", env=nobody, cwd=tmp_path)
    assert bad_address.returncode == 2 and "«a@uo» is not an e-mail address" in bad_address.stderr

    with MailServer(login=("bot@uo.ru", "secret")) as mail:
        server = {**base, "EMAIL__HOST": "127.0.0.1", "EMAIL__PORT": str(mail.port)}
        login = {**server, "EMAIL__USER": "bot@uo.ru", "EMAIL__PASSWORD": "wrong"}
        refused = cli("email", "test", "--to", "a@uo.ru", env=login, cwd=tmp_path)
        assert refused.returncode == 1
        assert "refused the login: check EMAIL__USER and EMAIL__PASSWORD" in refused.stderr
        assert mail.received == []

        login["EMAIL__PASSWORD"] = "secret"
        sent = cli("email", "test", "--to", "a@uo.ru", env=login, cwd=tmp_path, process=True)
        assert sent.returncode == 0, sent.stderr
        assert f"sent to a@uo.ru through 127.0.0.1:{mail.port}" in sent.stdout
        (message,) = mail.received
        assert message["Subject"] == "Бот дорожной карты: проверочное письмо"
        assert message["From"].addresses[0].username == "bot"


def test_email_digest_goes_to_an_address_or_says_who_turns_it_on(tmp_path: Path) -> None:
    from standin.smtp import MailServer

    with MailServer() as mail:
        env = {
            "DB__URL": f"sqlite+aiosqlite:///{tmp_path / 'r.sqlite3'}",
            "EMAIL__HOST": "127.0.0.1",
            "EMAIL__PORT": str(mail.port),
            "EMAIL__FROM": "bot@uo.ru",
            "EMAIL__STARTTLS": "false",
        }
        assert (
            cli("import", str(SEEDS / "000_8c94794e8422f1fe.txt"), env=env, cwd=tmp_path).returncode
            == 0
        )
        nobody = cli("email", "digest", env=env, cwd=tmp_path)
        assert nobody.returncode == 1 and "/email" in nobody.stderr

        sent = cli("email", "digest", "--to", "anna@uo.ru", env=env, cwd=tmp_path)
        assert sent.returncode == 0, sent.stderr
        assert "1 composed, 1 sent" in sent.stdout
        (digest,) = mail.mailbox.to("anna@uo.ru")
        assert digest["Subject"].startswith("Сводка по дорожной карте на ")
        (attachment,) = list(digest.iter_attachments())
        assert str(attachment.get_filename()).endswith(".xlsx")


def test_run_with_e_mail_half_set_up_says_what_is_missing(tmp_path: Path) -> None:
    result = cli("run", env={"BOT__TOKEN": "1:x", "EMAIL__HOST": "smtp.uo.ru"}, cwd=tmp_path)
    assert result.returncode == 2
    assert "EMAIL__FROM is not set" in result.stderr


@pytest.mark.process
def test_ask_and_collect_from_the_command_line(tmp_path: Path) -> None:
    from tests.fixtures.forms import form_template
    from tests.fixtures.people import people_xlsx

    env = {
        "DB__URL": f"sqlite+aiosqlite:///{tmp_path / 'r.sqlite3'}",
        "EVIDENCE_DIR": str(tmp_path / "evidence"),
    }
    people = tmp_path / "people.xlsx"
    people.write_bytes(people_xlsx())
    assert cli("people", str(people), env=env, cwd=tmp_path).returncode == 0
    form = tmp_path / "Форма.xlsx"
    form.write_bytes(form_template())

    vague = cli("ask", "--text", "Сведения", "--to", "all", "--due", "скоро", env=env, cwd=tmp_path)
    assert vague.returncode == 2 and "--due «скоро» is not one date" in vague.stderr
    nobody = cli(
        "ask",
        "--text",
        "Сведения",
        "--to",
        "org:Нет такой",
        "--due",
        "31.12.2099",
        env=env,
        cwd=tmp_path,
    )
    assert nobody.returncode == 2 and "org:NAME" in nobody.stderr
    sent = cli(
        "ask",
        "--text",
        "Прошу предоставить сведения о численности",
        "--to",
        "tag:ШНОР",
        "--due",
        "31.12.2099",
        "--form",
        str(form),
        env=env,
        cwd=tmp_path,
        process=True,
    )
    assert sent.returncode == 0, sent.stderr
    assert "request З-1 (id 1) sent to 1 addressees, due 31.12.2099" in sent.stdout

    merged = cli("collect", "1", "--out", "ответы.xlsx", env=env, cwd=tmp_path, process=True)
    assert merged.returncode == 0, merged.stderr
    assert "0 answers merged, 1 not answered" in merged.stdout
    workbook = openpyxl.load_workbook(tmp_path / "ответы.xlsx")
    assert [r[0] for r in workbook["Не ответили"].iter_rows(values_only=True)] == [
        "Организация",
        "МОУ СОШ № 2 г. Усть-Кута",  # the one ШНОР school of the list
    ]
    missing = cli("collect", "7", env=env, cwd=tmp_path)
    assert missing.returncode == 2 and "no such request" in missing.stderr
