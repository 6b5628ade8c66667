"""The settings' sections, one per thing the bot talks to or keeps (``BOT__*``, ``MAX__*``,
``WEBHOOK__*``, ``REDIS__*``, ``DB__*``, ``SCHEDULER__*``, ``DIGEST__*``, ``EMAIL__*``,
``BACKUP__*``); ``bot/settings.py`` puts them together and checks what spans them."""

from __future__ import annotations

import re
from datetime import time
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator

from domain.reminders.window import SendingWindow

TELEGRAM_API_URL = "https://api.telegram.org"
MAX_API_URL = "https://platform-api2.max.ru"  # the older platform-api.max.ru is deprecated
MAX_FILE_HOSTS = ("max.ru", "oneme.ru", "okcdn.ru")  # MAX's API, its CDN and upload hosts
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
