"""The schema. Instants are aware UTC (``*_at``); calendar dates are ``*_on``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy import (
    text as sql_text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage.types import UTCDateTime, bound_strings

# Deterministic constraint names keep Alembic migrations portable between SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


ROADMAP_MEASURE = "roadmap"
REQUEST_MEASURE = "request"
INDICATOR_MEASURE = "indicator"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
    }


class Organisation(Base):
    """The department, a school, the methodical centre, or another body a roadmap names."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(500), unique=True)
    # Lower-cased in Python: SQLite's lower() leaves Cyrillic untouched.
    name_key: Mapped[str | None] = mapped_column(String(500), unique=True)
    short_name: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32), default="school")  # school|department|body
    tags: Mapped[list[str] | None] = mapped_column(JSON)  # e.g. ["ШНОР"]: low-results schools
    # Who of a school's staff its reminders go to (domain.school_staff.Reminded): head,
    # deputy or both. Empty: both, as before deputies could be named.
    reminded: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime]


class OrganisationAlias(Base):
    """Another name an organisation is written by («УО УКМО»): the coordinator said so at an
    import, or two organisations were merged. ``key`` is ``domain.organisations.names.plain``."""

    __tablename__ = "organisation_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(500))
    key: Mapped[str] = mapped_column(String(500), unique=True)
    created_at: Mapped[datetime]


class Person(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str | None] = mapped_column(String(300), index=True)
    position: Mapped[str | None] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(16))  # domain.roles.Role
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    # The account the bot writes to now, as a messenger address (domain.messengers): a
    # Telegram id as it is, a MAX id shifted past Telegram's range. All of a person's accounts
    # are in messenger_accounts; these two columns copy the one in use. (The database keeps
    # the columns' first names, from when Telegram was the only messenger.)
    user_address: Mapped[int | None] = mapped_column("telegram_user_id", BigInteger, unique=True)
    chat_address: Mapped[int | None] = mapped_column("telegram_chat_id", BigInteger)
    telegram_username: Mapped[str | None] = mapped_column(String(64))
    locale: Mapped[str | None] = mapped_column(String(8))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(50))
    # E-mail: when they asked for no more e-mail (their links' tokens are in access_tokens);
    # whether a coordinator wants the weekly digest by e-mail too; an address that bounced.
    email_opt_out_at: Mapped[datetime | None]
    digest_by_email: Mapped[bool] = mapped_column(default=False, server_default=false())
    email_unreachable_at: Mapped[datetime | None]
    email_unreachable_reason: Mapped[str | None] = mapped_column(String(200))
    # The messenger reminders go to when the person is in both: set with /settings. Empty:
    # the one they wrote from last.
    messenger_choice: Mapped[str | None] = mapped_column(String(16))
    is_active: Mapped[bool] = mapped_column(default=True)
    # A deputy (зам. по УВР) reports for the school as its head does; /people replaces the
    # head, never a deputy, and the school chooses which of them is reminded.
    deputy: Mapped[bool] = mapped_column(default=False, server_default=false())
    unreachable_since_at: Mapped[datetime | None]
    unreachable_reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    joined_at: Mapped[datetime | None]

    __table_args__ = (CheckConstraint("role IN ('coordinator','responsible','observer')", "role"),)


class Invitation(Base):
    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by_address: Mapped[int | None] = mapped_column("used_by_telegram_id", BigInteger)
    # domain.invitations.Purpose: join (a first messenger), link (another one, asked for by
    # the person from their account). Revoked when the person joins with another link.
    purpose: Mapped[str] = mapped_column(String(16), default="join", server_default="join")
    revoked_at: Mapped[datetime | None]


class AccessToken(Base):
    """The secret of a link that opens something without the chat: a calendar subscription, an
    unsubscribe page. Only its SHA-256 is kept, so a copy of the database opens nothing; each
    runs out, and a new calendar link revokes the old one."""

    __tablename__ = "access_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))  # calendar|unsubscribe
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class Roadmap(Base):
    __tablename__ = "roadmaps"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    order_number: Mapped[str | None] = mapped_column(String(50))
    order_on: Mapped[date | None] = mapped_column(Date)
    # The body that issued the approving order («Управление образованием …»), as the order's
    # letterhead reads; the report's letterhead. Empty: the ISSUING_BODY setting.
    issuer: Mapped[str | None] = mapped_column(Text)
    period_start_on: Mapped[date] = mapped_column(Date)
    period_end_on: Mapped[date] = mapped_column(Date)
    annual_due_month: Mapped[int] = mapped_column(Integer, default=12)
    annual_due_day: Mapped[int] = mapped_column(Integer, default=31)
    timezone: Mapped[str] = mapped_column(String(64))
    coordinator_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    reminder_policy: Mapped[dict[str, Any] | None]  # overrides of the default reminder policy
    created_at: Mapped[datetime]
    # The coordinator's word on archiving (domain.roadmap.archive): None follows the period
    # (archived once it has ended), "archived" or "active" overrule it.
    archive_choice: Mapped[str | None] = mapped_column(String(16))


class Section(Base):
    __tablename__ = "sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    roadmap_id: Mapped[int] = mapped_column(ForeignKey("roadmaps.id", ondelete="CASCADE"))
    number: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)

    __table_args__ = (UniqueConstraint("roadmap_id", "number"),)


class Measure(Base):
    __tablename__ = "measures"

    id: Mapped[int] = mapped_column(primary_key=True)
    roadmap_id: Mapped[int] = mapped_column(ForeignKey("roadmaps.id", ondelete="CASCADE"))
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id", ondelete="SET NULL"))
    number: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    deadline_text: Mapped[str] = mapped_column(Text, default="")
    schedule_kind: Mapped[str] = mapped_column(String(16), default="unknown")
    schedule_due: Mapped[list[str]] = mapped_column(JSON, default=list)  # ISO dates
    schedule_start_on: Mapped[date | None] = mapped_column(Date)
    responsible_text: Mapped[str] = mapped_column(Text, default="")
    result_text: Mapped[str] = mapped_column(Text, default="")
    control_text: Mapped[str] = mapped_column(Text, default="")
    # Who the roadmap names, as read (people, bodies, "every school", unmapped text); assignments
    # are materialised from it, and again when schools are added later.
    assignee_specs: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    from_order: Mapped[bool] = mapped_column(default=False, server_default=false())
    reminder_policy: Mapped[dict[str, Any] | None]
    # "roadmap": a measure of the approved roadmap; "request": a coordinator's request to
    # schools, which rides on a measure so reminders, reports and the digest work unchanged,
    # but is no line of the official report.
    kind: Mapped[str] = mapped_column(
        String(16), default=ROADMAP_MEASURE, server_default=ROADMAP_MEASURE
    )

    __table_args__ = (UniqueConstraint("roadmap_id", "number"),)


class Indicator(Base):
    """A target indicator the roadmap document names, with its base value as printed."""

    __tablename__ = "indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    roadmap_id: Mapped[int] = mapped_column(
        ForeignKey("roadmaps.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(200), default="")
    base_year: Mapped[int | None] = mapped_column(Integer)
    base_value: Mapped[str | None] = mapped_column(Text)  # as printed: «78,2», «не менее 5 %»
    direction: Mapped[str | None] = mapped_column(String(8))  # up | down
    # True when the document gave no direction and it was inferred from figures and wording.
    direction_inferred: Mapped[bool] = mapped_column(default=False, server_default=false())
    measure_number: Mapped[str | None] = mapped_column(String(20))  # the row it sits on


class IndicatorTarget(Base):
    __tablename__ = "indicator_targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicators.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    year: Mapped[int | None] = mapped_column(Integer)  # None: one target in words, no year
    value: Mapped[str] = mapped_column(Text)  # as printed


class IndicatorCollection(Base):
    """How an indicator's figures are collected: who reports, what they are asked, as of when.

    Proposed from the document at import and confirmed by the coordinator (``confirmed_at``).
    """

    __tablename__ = "indicator_collections"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicators.id", ondelete="CASCADE"), unique=True
    )
    # The measure (kind "indicator") that carries the reporters' occurrences, as a request's
    # does: reminders, catch-up, the day's e-mail, extensions, accept/return and the digest
    # apply to figures unchanged. None while only the department enters the value.
    measure_id: Mapped[int | None] = mapped_column(
        ForeignKey("measures.id", ondelete="SET NULL"), unique=True
    )
    # {"kind": "all" | "tag" | "organisations" | "department", "tag": str,
    #  "organisation_ids": [int]}: the same shape as a request's addressees.
    reporters: Mapped[dict[str, Any]] = mapped_column(default=dict)
    shape: Mapped[str] = mapped_column(String(16), default="share")  # count | share
    numerator_question: Mapped[str] = mapped_column(Text, default="")
    denominator_question: Mapped[str | None] = mapped_column(Text)  # None for a count
    # How the municipal value is made of the schools' figures: Σ numerators / Σ denominators
    # for a share, never a mean of percentages; or a sum, a mean, or the coordinator's entry.
    aggregate: Mapped[str] = mapped_column(String(16), default="ratio")  # ratio|sum|mean|manual
    as_of: Mapped[list[str]] = mapped_column(JSON, default=list)  # ISO dates
    confirmed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    confirmed_at: Mapped[datetime | None]


class IndicatorFigure(Base):
    """One reporter's figures for one indicator as of one date.

    A school's figures arrive with a status report on the collection's occurrence (its review,
    accepted or returned, is the report's); the department's own entry has neither. The latest
    row per organisation and date is current; earlier ones are history.
    """

    __tablename__ = "indicator_figures"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"))
    # None: the municipal value itself, entered by a coordinator.
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE")
    )
    as_of_on: Mapped[date] = mapped_column(Date)
    numerator: Mapped[float] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    status_report_id: Mapped[int | None] = mapped_column(
        ForeignKey("status_reports.id", ondelete="CASCADE"), unique=True
    )
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    # Far from the school's own figure a year before, and confirmed by the head as it is.
    confirmed_unusual: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Whether it counts in the municipal value: the reporter's latest figure for the date, and
    # not returned. Kept on write (storage.usecases.indicator_figures), so that «Таблица 1» for
    # a region is one pass over an index, with no search for each school's latest figure.
    counted: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_at: Mapped[datetime]

    __table_args__ = (
        # Covers the sums: indicator and date in order, the counted rows' figures in the index.
        Index(
            "ix_indicator_figures_sums",
            "indicator_id",
            "as_of_on",
            "counted",
            "organisation_id",
            "numerator",
            "denominator",
        ),
    )


class Request(Base):
    """A coordinator's request to schools: its text, deadline, addressees and form to fill."""

    __tablename__ = "requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The measure that carries its occurrences (one per addressee).
    measure_id: Mapped[int] = mapped_column(
        ForeignKey("measures.id", ondelete="CASCADE"), unique=True
    )
    # The roadmap measure it was made under («по запросу»), if any.
    parent_measure_id: Mapped[int | None] = mapped_column(
        ForeignKey("measures.id", ondelete="SET NULL"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    due_text: Mapped[str] = mapped_column(Text, default="")
    due_on: Mapped[date] = mapped_column(Date)
    addressees: Mapped[dict[str, Any]] = mapped_column(default=dict)
    form_name: Mapped[str | None] = mapped_column(String(300))
    form_sha256: Mapped[str | None] = mapped_column(String(64))  # kept with the evidence files
    state: Mapped[str] = mapped_column(String(16), default="open")  # open|withdrawn
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
    withdrawn_at: Mapped[datetime | None]
    # Who withdrew it: told to whoever presses «Отозвать» or changes it afterwards.
    withdrawn_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )


class Assignment(Base):
    """A measure given to one person or to one organisation (every responsible person there)."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE")
    )
    capacity: Mapped[str] = mapped_column(String(16), default="responsible")  # or "coordination"

    __table_args__ = (
        CheckConstraint("(person_id IS NULL) <> (organisation_id IS NULL)", "one_assignee"),
        UniqueConstraint("measure_id", "person_id", "organisation_id"),
    )


class Occurrence(Base):
    """One due date of one assignment: the unit that is reminded about and reported on."""

    __tablename__ = "occurrences"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"))
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"))
    due_on: Mapped[date] = mapped_column(Date)
    opens_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open|closed|cancelled
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))

    __table_args__ = (
        UniqueConstraint("assignment_id", "due_on"),
        Index("ix_occurrences_status_due", "status", "due_on"),
        # How many reporters each indicator asks on each date: counted from this index alone.
        Index("ix_occurrences_measure_due", "measure_id", "due_on", "status"),
    )


class StatusReport(Base):
    __tablename__ = "status_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurrence_id: Mapped[int] = mapped_column(ForeignKey("occurrences.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    status: Mapped[str] = mapped_column(String(16))  # done|in_progress|not_done
    text: Mapped[str] = mapped_column(Text, default="")
    evidence_file_id: Mapped[str | None] = mapped_column(String(200))
    evidence_file_name: Mapped[str | None] = mapped_column(String(300))
    evidence_url: Mapped[str | None] = mapped_column(Text)
    # Evidence is copied out of Telegram (its files expire): content-addressed, size-limited.
    evidence_sha256: Mapped[str | None] = mapped_column(String(64))
    evidence_size: Mapped[int | None] = mapped_column(Integer)
    review: Mapped[str] = mapped_column(String(16), default="pending")  # pending|accepted|returned
    review_comment: Mapped[str | None] = mapped_column(Text)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    reviewed_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(Integer, default=1, server_default=sql_text("1"))
    created_at: Mapped[datetime]
    # When the coordinators were told; empty while it waits for the hourly batch.
    notified_at: Mapped[datetime | None]
    # The conversation's key for «Сохранить» (a fresh one each time the summary is shown): a
    # press delivered again after a crash, or pressed again, finds its report saved already.
    save_key: Mapped[str | None] = mapped_column(String(32), unique=True)

    __table_args__ = (
        # The latest report of an occurrence is looked up on every step of a conversation.
        Index("ix_status_reports_occurrence_id", "occurrence_id", "id"),
        Index(
            "ix_status_reports_unnotified",
            "id",
            sqlite_where=sql_text("notified_at IS NULL"),
            postgresql_where=sql_text("notified_at IS NULL"),
        ),
    )


class ExtensionRequest(Base):
    """«Перенести срок»: a new date asked for one assignee's occurrence, decided by a coordinator."""

    __tablename__ = "extension_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurrence_id: Mapped[int] = mapped_column(ForeignKey("occurrences.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    requested_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending|approved|rejected
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


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


class AuditEvent(Base):
    """Who did or tried what, including every refused attempt."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    user_address: Mapped[int | None] = mapped_column("telegram_user_id", BigInteger)
    action: Mapped[str] = mapped_column(String(64), index=True)
    outcome: Mapped[str] = mapped_column(String(32), default="ok")
    details: Mapped[dict[str, Any] | None]


class JobRun(Base):
    """One row per run of a scheduled job (the weekly digest, the hourly list of reports): the
    primary key lets exactly one of several replicas claim a given fire time."""

    __tablename__ = "job_runs"

    job: Mapped[str] = mapped_column(String(64), primary_key=True)
    fire_at: Mapped[datetime] = mapped_column(primary_key=True)  # the scheduled time, not "now"
    claimed_at: Mapped[datetime]
    claimed_by: Mapped[str] = mapped_column(String(128))  # host:pid, for whoever investigates


class ConversationState(Base):
    """Where a person is in a conversation (a report half-written), kept across restarts: one
    row per aiogram storage key, written by ``bot.conversation_store``."""

    __tablename__ = "conversation_states"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    state: Mapped[str | None] = mapped_column(String(255))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime]


class ColumnChoiceMemory(Base):
    """Which column holds what in a roadmap table whose header the import could not map alone,
    as a coordinator pointed it out; the next file with the same header needs no question."""

    __tablename__ = "column_choices"

    signature: Mapped[str] = mapped_column(String(64), primary_key=True)  # of the header
    columns: Mapped[dict[str, Any]] = mapped_column(default=dict)  # role -> column index
    chosen_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    chosen_at: Mapped[datetime]


class ActualResult(Base):
    """«Фактический результат» of a measure as the coordinator words it for the official report
    (column 6), one text for every school together. ``version`` grows by one on every save: a
    save names the version it edited, so of two coordinators editing at once the later is told
    (a conditional update, as in docs/decisions/decisions-once.md)."""

    __tablename__ = "actual_results"

    measure_id: Mapped[int] = mapped_column(
        ForeignKey("measures.id", ondelete="CASCADE"), primary_key=True
    )
    text: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime]


class ReportNotes(Base):
    """The sections of the written report the coordinator types, per roadmap and report year:
    «Пояснительная записка» and «Выводы и предложения». Empty: the section is left out."""

    __tablename__ = "report_notes"

    roadmap_id: Mapped[int] = mapped_column(
        ForeignKey("roadmaps.id", ondelete="CASCADE"), primary_key=True
    )
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    explanatory: Mapped[str] = mapped_column(Text, default="")
    conclusions: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime]


# Last, once every model is defined: no bounded string is ever refused for its length.
bound_strings(Base.metadata)
