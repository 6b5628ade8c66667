"""Typed settings, read from the environment (and ``.env``); see config.example.env."""

from __future__ import annotations

import re
from datetime import date, time
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from domain.locales import SUPPORTED_LOCALES
from domain.reminders.window import SendingWindow

TELEGRAM_API_URL = "https://api.telegram.org"
MAX_API_URL = "https://platform-api2.max.ru"  # the older platform-api.max.ru is deprecated
MAX_FILE_HOSTS = ("max.ru", "oneme.ru", "okcdn.ru")  # MAX's API, its CDN and upload hosts
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
_CLOCK_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


class BotSection(BaseModel):
    token: SecretStr | None = None
    api_url: str = TELEGRAM_API_URL
    # Used to print invitation links without asking Telegram; learned from getMe when empty.
    username: str | None = None
    polling_timeout: int = Field(default=30, ge=1, le=60)

    @property
    def enabled(self) -> bool:
        return self.token is not None and bool(self.token.get_secret_value())


class MaxSection(BaseModel):
    """The bot in MAX. With MAX__TOKEN set the same process serves MAX beside Telegram (or
    alone, without BOT__TOKEN)."""

    token: SecretStr | None = None  # from business.max.ru → Чат-боты → Интеграция
    api_url: str = MAX_API_URL
    # Used in invitation links (https://max.ru/<username>?start=...); asked of MAX when empty.
    username: str | None = None
    polling_timeout: int = Field(default=30, ge=1, le=90)
    # MAX allows about 30 requests a second per bot and 2 messages a second per chat.
    per_second: float = Field(default=25, gt=0, le=1000)
    per_chat_interval: float = Field(default=0.5, ge=0, le=60)
    # MAX does not say how long to wait after a 429: this long, then again.
    retry_after_seconds: float = Field(default=1, gt=0, le=600)
    # A file just uploaded is refused («attachment.not.ready») until MAX has processed it.
    upload_attempts: int = Field(default=8, ge=1, le=30)
    upload_pause: float = Field(default=0.5, gt=0, le=30)
    file_timeout: float = Field(default=30, gt=0, le=300)  # a file someone sent, from its URL
    # Files people send are fetched only from these hosts and their subdomains (and from the
    # API's own host): MAX serves them from its CDN, and a URL naming any other host, or a
    # redirect to one, is refused. Comma-separated: MAX__FILE_HOSTS=max.ru,oneme.ru,okcdn.ru
    file_hosts: str = ",".join(MAX_FILE_HOSTS)
    # Webhook mode (WEBHOOK__ENABLED): MAX POSTs updates to WEBHOOK_URL with WEBHOOK_SECRET in
    # X-Max-Bot-Api-Secret; the bot's server takes them on WEBHOOK_PATH.
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_path: str = "/max"

    @property
    def file_host_list(self) -> tuple[str, ...]:
        return tuple(h.strip().lower() for h in self.file_hosts.split(",") if h.strip())

    @property
    def enabled(self) -> bool:
        return self.token is not None and bool(self.token.get_secret_value())

    def webhook_problem(self) -> str | None:
        if not self.webhook_url:
            return (
                "MAX__WEBHOOK_URL is not set: give the public https address MAX should call, "
                "e.g. https://bot.example.ru/max"
            )
        if self.webhook_secret is None or not re.fullmatch(
            r"[A-Za-z0-9_-]{5,256}", self.webhook_secret.get_secret_value()
        ):
            return (
                "MAX__WEBHOOK_SECRET is not set: choose 5-256 characters of A-Z a-z 0-9 _ - so "
                "the bot can tell MAX's deliveries from anyone else's"
            )
        return None


class WebhookSection(BaseModel):
    """Webhook mode: Telegram POSTs updates to ``url``; several replicas may sit behind it."""

    enabled: bool = False  # or `roadmap-bot run --webhook`
    url: str | None = None  # the public https address Telegram calls, path included
    # Sent back by Telegram in X-Telegram-Bot-Api-Secret-Token; requests without it are refused.
    secret: SecretStr | None = None
    # Where this process listens: this machine only, behind the reverse proxy that terminates
    # HTTPS (in a container, 0.0.0.0 with the port published on 127.0.0.1: see compose.yaml).
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    path: str = (
        "/telegram"  # the local path updates arrive on; health is /healthz, counters /metrics
    )
    max_connections: int = Field(default=40, ge=1, le=100)
    # A connection whose request headers have not all arrived this many seconds after it
    # opened (or after its last answer) is closed: slow clients cannot hold the server.
    header_timeout: float = Field(default=10, gt=0, le=120)
    # Connections at once; past it, a new one closes the oldest that has no request in hand.
    max_clients: int = Field(default=100, ge=10, le=10_000)
    # /metrics: with a token, only requests with «Authorization: Bearer <token>»; without
    # one, only requests from this machine that no proxy relayed.
    metrics_token: SecretStr | None = None

    @field_validator("secret")
    @classmethod
    def _telegram_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not re.fullmatch(
            r"[A-Za-z0-9_-]{1,256}", value.get_secret_value()
        ):
            raise ValueError(
                "WEBHOOK__SECRET must be 1-256 characters: letters A-Z a-z, digits, _ and -"
            )
        return value

    def problem(self) -> str | None:
        """What webhook mode still needs, in words for the person setting it up."""
        if not self.url:
            return (
                "WEBHOOK__URL is not set: give the public https address Telegram should call, "
                "e.g. https://bot.example.ru/telegram"
            )
        if self.secret is None:
            return (
                "WEBHOOK__SECRET is not set: choose 1-256 characters of A-Z a-z 0-9 _ - so the "
                "bot can tell Telegram's requests from anyone else's"
            )
        return None

    @field_validator("path")
    @classmethod
    def _absolute_path(cls, value: str) -> str:
        if not value.startswith("/") or value in ("/healthz", "/metrics"):
            raise ValueError("WEBHOOK__PATH must start with / and not be /healthz or /metrics")
        return value


class RedisSection(BaseModel):
    """Conversation state and per-user locks shared by replicas; needed when more than one runs."""

    url: str | None = None  # e.g. redis://127.0.0.1:6379/0; empty: kept in this process's memory
    prefix: str = "roadmap"  # key prefix, so several bots can share one Redis
    # An abandoned conversation (a report started and never finished) is forgotten after this.
    state_days: int = Field(default=30, ge=1, le=365)


class DbSection(BaseModel):
    url: str = ""  # empty: SQLite in DATA_DIR (roadmap.sqlite3)


class SchedulerSection(BaseModel):
    enabled: bool = True
    tick_seconds: float = Field(default=60, gt=0, le=3600)  # how often due reminders are sent
    plan_minutes: float = Field(default=10, gt=0, le=1440)  # how often reminders are planned
    per_second: float = Field(default=25, gt=0, le=1000)  # below Telegram's ~30 messages/s
    per_chat_interval: float = Field(default=1.0, ge=0, le=60)
    lease_seconds: float = Field(default=120, gt=0)  # a send not recorded by then is redone
    # Catch-ups (what became due or overdue before a person could hear of it) go out on working
    # days between these local times; a reminder missed by more than LATE_MINUTES (the bot was
    # down) becomes one.
    window_start: str = "09:00"
    window_end: str = "18:00"
    window_working_days_only: bool = True
    late_minutes: float = Field(default=60, gt=0, le=24 * 60)

    @field_validator("window_start", "window_end")
    @classmethod
    def _clock_time(cls, value: str) -> str:
        if not _CLOCK_TIME.fullmatch(value):
            raise ValueError(
                "SCHEDULER__WINDOW_START and _END must be HH:MM on a 24-hour clock, e.g. 09:00"
            )
        return value

    @model_validator(mode="after")
    def _window_not_empty(self) -> SchedulerSection:
        if self.window_start >= self.window_end:
            raise ValueError("SCHEDULER__WINDOW_START must be earlier than SCHEDULER__WINDOW_END")
        return self

    @property
    def window(self) -> SendingWindow:
        # Every field, working_days_only too: left out, SCHEDULER__WINDOW_WORKING_DAYS_ONLY=false
        # was ignored and catch-ups due on a weekend or holiday waited for the next working day.
        return SendingWindow(
            time.fromisoformat(self.window_start),
            time.fromisoformat(self.window_end),
            working_days_only=self.window_working_days_only,
        )


class DigestSection(BaseModel):
    """The weekly overdue digest to every coordinator, in the bot's timezone."""

    enabled: bool = True
    day_of_week: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"] = "mon"
    time: str = "09:00"

    @field_validator("time")
    @classmethod
    def _clock_time(cls, value: str) -> str:
        if not _CLOCK_TIME.fullmatch(value):
            raise ValueError("DIGEST__TIME must be HH:MM on a 24-hour clock, e.g. 09:00")
        return value

    @property
    def hour(self) -> int:
        return int(self.time[:2])

    @property
    def minute(self) -> int:
        return int(self.time[3:])


class EmailSection(BaseModel):
    """SMTP for people in no messenger (reminders) and coordinators who want the digest by
    e-mail. No HOST: no e-mail at all."""

    model_config = {"populate_by_name": True}

    host: str | None = None  # e.g. smtp.yandex.ru or the department's mail server
    port: int = Field(default=587, ge=1, le=65535)
    user: str | None = None
    password: SecretStr | None = None
    # EMAIL__FROM: who the e-mails are from, e.g. «Управление образования <bot@edu.example.ru>».
    sender: str | None = Field(default=None, alias="from")
    starttls: bool = True  # STARTTLS on 587; EMAIL__TLS=true for implicit TLS (port 465)
    tls: bool = False
    timeout: float = Field(default=30, gt=0, le=300)
    # The day's e-mail of what is due and overdue goes out at this local time, on working days.
    daily_time: str = "09:00"

    @field_validator("daily_time")
    @classmethod
    def _clock_time(cls, value: str) -> str:
        if not _CLOCK_TIME.fullmatch(value):
            raise ValueError("EMAIL__DAILY_TIME must be HH:MM on a 24-hour clock, e.g. 09:00")
        return value

    @model_validator(mode="after")
    def _tls_or_starttls(self) -> EmailSection:
        if self.tls:
            self.starttls = False  # implicit TLS already encrypts; STARTTLS on top is refused
        return self

    @property
    def enabled(self) -> bool:
        return bool(self.host)

    def problem(self) -> str | None:
        """What sending still needs, in words for the person setting it up."""
        if not self.host:
            return "EMAIL__HOST is not set: give the SMTP server, e.g. smtp.yandex.ru"
        if not self.sender:
            return "EMAIL__FROM is not set: give the sender, e.g. bot@edu.example.ru"
        return None


class BackupSection(BaseModel):
    """The daily backup (issue 25): the database and the evidence files in one archive in
    DATA_DIR/backups, the newest of each of the last days, weeks and months kept."""

    enabled: bool = True
    time: str = "02:30"  # local time (TIMEZONE), when nobody reports
    keep_days: int = Field(default=7, ge=1, le=366)
    keep_weeks: int = Field(default=5, ge=0, le=520)
    keep_months: int = Field(default=12, ge=0, le=240)
    # A second place each archive is copied to (a mounted network share), e.g. /mnt/backup.
    copy_to: str | None = None

    @field_validator("time")
    @classmethod
    def _clock_time(cls, value: str) -> str:
        if not _CLOCK_TIME.fullmatch(value):
            raise ValueError("BACKUP__TIME must be HH:MM on a 24-hour clock, e.g. 02:30")
        return value


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
