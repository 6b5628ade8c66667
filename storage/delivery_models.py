"""How people are reached: the reminder outbox, e-mails, each person's messenger accounts, and
the MAX message ids a button edits by."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import (
    text as sql_text,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base


class Reminder(Base):
    """The durable outbox: every planned reminder is a row before it is a message."""

    __tablename__ = "reminders"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurrence_id: Mapped[int] = mapped_column(ForeignKey("occurrences.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))  # e.g. before:7, due, overdue:2, snooze:...
    due_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    sent_message_id: Mapped[int | None] = mapped_column("telegram_message_id", BigInteger)
    last_error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("occurrence_id", "person_id", "kind"),
        # Partial indexes: the outbox asks only for pending rows that are due and for sends
        # whose lease ran out; both stay small however many reminders have been sent.
        Index(
            "ix_reminders_pending_due_at",
            "due_at",
            sqlite_where=sql_text("state = 'pending'"),
            postgresql_where=sql_text("state = 'pending'"),
        ),
        Index(
            "ix_reminders_sending_claimed_at",
            "claimed_at",
            sqlite_where=sql_text("state = 'sending'"),
            postgresql_where=sql_text("state = 'sending'"),
        ),
    )


class EmailMessage(Base):
    """The e-mail outbox: every e-mail is composed into a row (the whole MIME message) before it
    is sent, so a restart or an SMTP server that is down loses nothing and sends nothing twice."""

    __tablename__ = "emails"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(16))  # daily|digest|test
    # One e-mail per purpose: "daily:<person>:<day>", "digest:<person>:<day>"; a second attempt
    # to compose the same one (another replica, a rerun) is ignored.
    key: Mapped[str] = mapped_column(String(128), unique=True)
    day_on: Mapped[date | None] = mapped_column(Date)  # the local day it is for
    # The deadlines a daily e-mail told of: one never told of is owed at once, like a catch-up.
    occurrences: Mapped[list[int] | None] = mapped_column(JSON)
    to_address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(Text)
    message: Mapped[bytes] = mapped_column(LargeBinary)
    state: Mapped[str] = mapped_column(
        String(16), default="pending"
    )  # +sending|sent|failed|bounced
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]

    __table_args__ = (
        Index(
            "ix_emails_pending_next_attempt_at",
            "next_attempt_at",
            sqlite_where=sql_text("state = 'pending'"),
            postgresql_where=sql_text("state = 'pending'"),
        ),
        Index("ix_emails_person_id_kind_day_on", "person_id", "kind", "day_on"),
    )


class MessengerAccount(Base):
    """A person's account in one messenger (domain.messengers.Messenger): bound by opening an
    invitation there, unreachable there on its own (a head may block the bot in Telegram and
    still be reached in MAX)."""

    __tablename__ = "messenger_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    messenger: Mapped[str] = mapped_column(String(16))
    user_address: Mapped[int] = mapped_column(BigInteger, unique=True)
    chat_address: Mapped[int] = mapped_column(BigInteger)
    username: Mapped[str | None] = mapped_column(String(64))
    joined_at: Mapped[datetime]
    last_used_at: Mapped[datetime]
    unreachable_since_at: Mapped[datetime | None]
    unreachable_reason: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (UniqueConstraint("person_id", "messenger"),)


class MaxMessageId(Base):
    """A MAX message's string id (``mid``, which edits and deletions need) by the number
    handlers know it by (its ``seq``) in its chat. In the database, so a button pressed after a
    restart, or on another replica, still edits its message."""

    __tablename__ = "max_messages"

    chat_address: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    message_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    mid: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(index=True)
