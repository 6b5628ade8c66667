"""Typed settings, read from the environment (and ``.env``); see config.example.env."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.settings_sections import (
    MAX_API_URL as MAX_API_URL,
)
from bot.settings_sections import MAX_FILE_HOSTS as MAX_FILE_HOSTS
from bot.settings_sections import TELEGRAM_API_URL as TELEGRAM_API_URL
from bot.settings_sections import BackupSection as BackupSection
from bot.settings_sections import BotSection as BotSection
from bot.settings_sections import DbSection as DbSection
from bot.settings_sections import DigestSection as DigestSection
from bot.settings_sections import EmailSection as EmailSection
from bot.settings_sections import MaxSection as MaxSection
from bot.settings_sections import RedisSection as RedisSection
from bot.settings_sections import SchedulerSection as SchedulerSection
from bot.settings_sections import WebhookSection as WebhookSection
from domain.locales import SUPPORTED_LOCALES

# --- The data folder (issue 25) ---------------------------------------------------------
# The checkout the bot runs from: a relative DATA_DIR, EVIDENCE_DIR or SQLite path is read from
# here unless the current folder has a .env of its own (a command run elsewhere used to find
# no database, make an empty one and print links the running bot refused).
PROJECT_DIR = Path(__file__).resolve().parent.parent
DEV_DATA_DIR = "./data"  # development only: the installed service sets DATA_DIR=/var/lib/...
DATABASE_FILE = "roadmap.sqlite3"
# Kept for code that names a URL; the settings derive the real one from DATA_DIR.
DEFAULT_DB_URL = f"sqlite+aiosqlite:///{PROJECT_DIR / 'data' / DATABASE_FILE}"
_PROXY_URL = re.compile(r"^(https?|socks[45])://([^@/\s]+@)?[^:/@\s]+:\d{1,5}/?$")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_nested_delimiter="__",
        # The checkout's .env, then the current folder's (which wins): a command run from
        # another folder still finds the bot's settings.
        env_file=(PROJECT_DIR / ".env", ".env"),
        env_file_encoding="utf-8",
        extra="ignore",
        # `WEBHOOK__SECRET=` as config.example.env has it means «not set», as the comments say;
        # refused as an empty secret, the documented first start failed.
        env_ignore_empty=True,
    )

    bot: BotSection = BotSection()
    max: MaxSection = MaxSection()
    db: DbSection = DbSection()
    scheduler: SchedulerSection = SchedulerSection()
    digest: DigestSection = DigestSection()
    webhook: WebhookSection = WebhookSection()
    redis: RedisSection = RedisSection()
    email: EmailSection = EmailSection()
    # --- The data folder and backups (issue 25) ---
    # One folder for the database (SQLite), the evidence files, the backups and the lock the
    # running bot holds. The service sets an absolute one (/var/lib/roadmap-bot); the relative
    # default is the checkout's data/, for development.
    data_dir: str = DEV_DATA_DIR
    backup: BackupSection = BackupSection()
    # The text, subject and address of an e-mail sent (or given up) are deleted after this
    # many days by the nightly purge (152-ФЗ: kept no longer than needed).
    email_bodies_kept_days: int = Field(default=30, ge=1, le=3650)
    # --- end of the data folder ---
    timezone: str = "Asia/Irkutsk"
    default_locale: str = "ru"
    # The body at the top of the written report when the roadmap's order names none, e.g.
    # «Управление образованием Усть-Кутского муниципального образования».
    issuing_body: str = Field(default="", max_length=300)
    invite_ttl_days: int = Field(default=14, ge=1, le=365)
    # How long a calendar subscription address works (/calendar gives a new one after), and an
    # e-mail's unsubscribe link.
    calendar_token_days: int = Field(default=365, ge=1, le=3650)
    unsubscribe_token_days: int = Field(default=90, ge=1, le=3650)
    # Files school heads attach to their reports; empty: DATA_DIR/evidence.
    evidence_dir: str = ""
    # New reports reach coordinators at once, or gathered into one message an hour.
    report_notifications: Literal["instant", "hourly"] = "instant"
    # Seconds a person's identity is remembered between their messages (0: ask the database
    # every time); changes made by another process are seen after this long at the latest.
    identity_cache_seconds: float = Field(default=30, ge=0, le=3600)
    # Audit rows about strangers (who wrote to the bot without joining) are deleted after
    # this many days by the nightly purge.
    strangers_kept_days: int = Field(default=30, ge=1, le=3650)
    log_level: str = "INFO"
    # json: one JSON object per line (update and occurrence ids, never what people wrote), for
    # log collectors; text: for a person reading a terminal.
    log_format: Literal["text", "json"] = "text"

    # --- The department's region and network (issue 25) ---
    # The region's own non-working days on top of the federal production calendar, which
    # reminders follow: EXTRA_HOLIDAYS=2026-02-18,2026-02-19 (Сагаалган in Buryatia).
    extra_holidays: Annotated[tuple[date, ...], NoDecode] = ()
    # A closed network's way out to the messengers' APIs (Telegram and MAX, not SMTP):
    # PROXY=http://10.0.0.1:3128, http://user:password@host:port, or socks5://host:1080.
    proxy: SecretStr | None = None

    @field_validator("proxy")
    @classmethod
    def _proxy_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _PROXY_URL.match(value.get_secret_value()):
            raise ValueError(
                "a proxy address such as http://10.0.0.1:3128 or socks5://10.0.0.1:1080 "
                "(http, https, socks4 or socks5, with its port)"
            )
        return value

    @property
    def proxy_url(self) -> str | None:
        return self.proxy.get_secret_value() if self.proxy is not None else None

    @field_validator("extra_holidays", mode="before")
    @classmethod
    def _dates_list(cls, value: object) -> object:
        if isinstance(value, str):
            try:
                return tuple(
                    date.fromisoformat(part.strip()) for part in value.split(",") if part.strip()
                )
            except ValueError:
                raise ValueError(
                    "dates as YYYY-MM-DD separated by commas, e.g. 2026-02-18,2026-02-19"
                ) from None
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown timezone {value!r}, e.g. Asia/Irkutsk") from error
        return value

    @model_validator(mode="after")
    def _paths_in_data_dir(self) -> Settings:
        """Every path absolute: DATA_DIR's relative default and a relative EVIDENCE_DIR or
        SQLite file are read from the checkout, not from wherever a command is run."""
        self.data_dir = str(absolute(self.data_dir))
        self.evidence_dir = str(absolute(self.evidence_dir or Path(self.data_dir) / "evidence"))
        if not self.db.url:
            self.db.url = f"sqlite+aiosqlite:///{Path(self.data_dir) / DATABASE_FILE}"
        self.db.url = absolute_sqlite_url(self.db.url)
        return self

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir)

    @property
    def backup_dir(self) -> Path:
        return Path(self.data_dir) / "backups"

    @property
    def lock_dir(self) -> Path:
        """Where the running bot's lock is: beside the SQLite file a restore would replace,
        or (PostgreSQL) beside the evidence folder."""
        url = self.db.url
        if url.startswith("sqlite") and ":memory:" not in url:
            return Path(url.partition(":///")[2].partition("?")[0]).parent
        return Path(self.evidence_dir).parent

    @field_validator("default_locale")
    @classmethod
    def _supported_locale(cls, value: str) -> str:
        if value not in SUPPORTED_LOCALES:
            raise ValueError(f"locale must be one of {', '.join(SUPPORTED_LOCALES)}")
        return value


def absolute(path: str | Path) -> Path:
    """``path`` as an absolute path. A relative one is read from the folder whose .env the
    bot reads: the current folder when it has one, else the bot's own (PROJECT_DIR), so a
    command run from anywhere else finds the same data."""
    given = Path(path).expanduser()
    if given.is_absolute():
        return given
    base = Path.cwd() if (Path.cwd() / ".env").is_file() else PROJECT_DIR
    return (base / given).resolve()


def absolute_sqlite_url(url: str) -> str:
    """A SQLite URL with a relative file (``sqlite:///./data/x``) made absolute; others as is."""
    prefix, sep, database = url.partition(":///")
    if not sep or not prefix.startswith("sqlite") or not database:
        return url
    path, query_sep, query = database.partition("?")
    if path == ":memory:" or path.startswith("/"):
        return url
    return f"{prefix}:///{absolute(path)}{query_sep}{query}"


def settings_problems(error: ValidationError) -> str:
    """Each refused setting by its variable's name and what is wrong with it, never its value:
    pydantic's own text echoes the input, and a section's input holds its tokens, passwords and
    secrets."""
    lines = []
    for problem in error.errors(include_url=False, include_context=False, include_input=False):
        name = "__".join(str(part) for part in problem["loc"]).upper() or "SETTINGS"
        message = str(problem["msg"]).removeprefix("Value error, ")
        lines.append(f"{name}: {message}")
    return "\n".join(lines)


def load_settings(env_file: Path | None = None) -> Settings:
    if env_file is None:
        return Settings()
    return Settings(_env_file=env_file)
