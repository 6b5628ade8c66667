"""Finding 6 of the security review: what people wrote never reaches a log line, on every path
(a database error carrying a statement's values, on SQLite and PostgreSQL; an SMTP refusal
quoting the address; a handler's error quoting a message), and a bounded string longer than
its column is cut where it is written, so PostgreSQL never refuses it."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import String, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import handlers.people.help
from bot.logs import TEXT_FORMAT, JsonFormatter, PrivateTracebacks
from domain.roles import Role
from scheduler.smtp import EmailOutcome, Failure, SmtpResult
from standin.smtp import MailServer
from storage.models import Base, Organisation, Person, StatusReport
from storage.types import BoundedString
from tests.conftest import RunningBot
from tests.handlers.test_reports import reminded
from tests.scheduler.test_email_outbox import Post, mail, morning, setup
from tests.support import MutableClock

__all__ = ["mail"]  # the fixture, imported for the SMTP test

PHONE = "+79001234567"
WROTE = "Провели педсовет, протокол у Ивановой"
ADDRESS = "maria@sosh1.ru"
Factory = async_sessionmaker[AsyncSession]


@pytest.fixture
def log_lines(caplog: pytest.LogCaptureFixture) -> Iterator[io.StringIO]:
    """Every log line as the bot writes it (text and JSON), beside pytest's own capture."""
    stream = io.StringIO()
    handlers = [logging.StreamHandler(stream), logging.StreamHandler(stream)]
    handlers[0].setFormatter(PrivateTracebacks(TEXT_FORMAT))
    handlers[1].setFormatter(JsonFormatter())
    for handler in handlers:
        handler.addFilter(_the_bots)
    root = logging.getLogger()
    for handler in handlers:
        root.addHandler(handler)
    caplog.set_level(logging.INFO)
    try:
        yield stream
    finally:
        for handler in handlers:
            root.removeHandler(handler)


def _the_bots(record: logging.LogRecord) -> bool:
    """Not the stand-in SMTP server's own log (aiosmtpd's «mail.log»), which is no bot's."""
    return not record.name.startswith("mail.")


def _everything(stream: io.StringIO, caplog: pytest.LogCaptureFixture) -> str:
    """What the bot's handlers wrote, and each record pytest captured, with its exception."""
    captured = [
        f"{r.getMessage()} {r.exc_info[1] if r.exc_info else ''}"
        for r in caplog.records
        if _the_bots(r)
    ]
    return stream.getvalue() + "\n".join(captured)


async def test_a_database_error_logs_neither_parameters_nor_values(
    session_factory: Factory, log_lines: io.StringIO, caplog: pytest.LogCaptureFixture
) -> None:
    now = datetime(2026, 4, 3, tzinfo=UTC)
    async with session_factory() as session:
        session.add(Organisation(name=f"СОШ {PHONE}", created_at=now))
        await session.commit()
    async with session_factory() as session:
        session.add(Organisation(name=f"СОШ {PHONE}", short_name=WROTE, created_at=now))
        with pytest.raises(IntegrityError) as refused:
            await session.commit()
        logging.getLogger("tests.private").error("saving failed", exc_info=refused.value)
    assert "parameters hidden" in str(refused.value)  # hide_parameters: no values in its text
    written = log_lines.getvalue()
    assert "IntegrityError" in written and "saving failed" in written
    assert PHONE not in written and WROTE not in written


async def test_a_handler_error_quoting_a_message_is_logged_without_it(
    running_bot: RunningBot,
    log_lines: io.StringIO,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    maria = await running_bot.join_as("Мария", "Иванова Мария Петровна", Role.RESPONSIBLE, "СОШ 1")

    def failing(*_args: object, **_kwargs: object) -> str:
        raise ValueError(f"cannot answer {WROTE} {PHONE}")

    monkeypatch.setattr(handlers.people.help, "help_text", failing)
    apology = await maria.ask("/help")
    assert "что-то пошло не так" in apology["text"]
    everything = _everything(log_lines, caplog)
    assert "failed" in everything and "ValueError" in everything
    assert PHONE not in everything and WROTE not in everything


async def test_an_smtp_refusal_is_logged_by_its_code_only(
    session_factory: Factory,
    mail: MailServer,
    log_lines: io.StringIO,
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = MutableClock(morning("2026-04-03"))
    ids = await setup(session_factory, clock)
    mail.mailbox.refused_addresses[ADDRESS] = f"550 5.1.1 <{ADDRESS}>: no such user here"
    _queued, stats = await Post(session_factory, clock, mail.port).day()
    assert stats.bounced == 1
    everything = _everything(log_lines, caplog)
    assert "email_bounced" in everything or "refused" in everything
    assert ADDRESS not in everything and "no such user" not in everything
    async with session_factory() as session:
        maria = await session.get(Person, ids["Иванова Мария Петровна"])
        assert maria is not None and maria.email_unreachable_reason == "recipient: 550"
    result = SmtpResult(EmailOutcome.BOUNCED, Failure.RECIPIENT, 550, f"<{ADDRESS}>: unknown")
    assert result.error == "recipient: 550" and ADDRESS in result.detail  # the admin's test


async def test_a_report_with_a_long_file_name_is_saved_cut_to_its_column(
    running_bot: RunningBot, log_lines: io.StringIO, caplog: pytest.LogCaptureFixture
) -> None:
    """301+ characters: SQLite kept them and PostgreSQL refused the report (and logged it)."""
    _coordinator, maria, _petr, _reminder = await reminded(running_bot)
    name = "Протокол педсовета " + "о выполнении дорожной карты " * 12 + ".pdf"
    assert len(name) > 300
    await maria.press("Выполнено")
    await maria.next_message()
    await maria.ask(WROTE)
    await maria.upload(b"%PDF-1.4 protocol", name, "application/pdf")
    await maria.next_message()
    await maria.press("Сохранить")
    assert "сохранён" in (await maria.next_message())["text"]
    async with running_bot.session_factory() as session:
        (report,) = list(await session.scalars(select(StatusReport)))
    assert report.evidence_file_name == name[:300]
    assert WROTE not in _everything(log_lines, caplog)


def test_every_bounded_string_column_is_cut_when_written() -> None:
    """A column added later (or by another model module) is bounded too."""
    unbounded = [
        f"{table.name}.{column.name}"
        for table in Base.metadata.tables.values()
        for column in table.columns
        if isinstance(column.type, String) and column.type.length
        if not isinstance(column.type, BoundedString)
    ]
    assert unbounded == []
    assert BoundedString(5).process_bind_param("123456789", None) == "12345"  # type: ignore[arg-type]
