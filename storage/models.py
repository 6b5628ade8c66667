"""The schema. Instants are aware UTC (``*_at``); calendar dates are ``*_on``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy import (
    text as sql_text,
)
from sqlalchemy.orm import Mapped, mapped_column

# The base and the models of two concepts live in modules of their own; they are all here, so
# that every model is defined before the strings are bounded below and a caller needs one import.
from storage.base import (
    INDICATOR_MEASURE as INDICATOR_MEASURE,
)
from storage.base import REQUEST_MEASURE as REQUEST_MEASURE
from storage.base import ROADMAP_MEASURE as ROADMAP_MEASURE
from storage.base import Base as Base
from storage.delivery_models import EmailMessage as EmailMessage
from storage.delivery_models import MaxMessageId as MaxMessageId
from storage.delivery_models import MessengerAccount as MessengerAccount
from storage.delivery_models import Reminder as Reminder
from storage.report_models import ActualResult as ActualResult
from storage.report_models import Indicator as Indicator
from storage.report_models import IndicatorCollection as IndicatorCollection
from storage.report_models import IndicatorFigure as IndicatorFigure
from storage.report_models import IndicatorTarget as IndicatorTarget
from storage.report_models import ReportNotes as ReportNotes
from storage.types import bound_strings


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


class RoadmapCoordinator(Base):
    """A coordinator who answers for a roadmap: its reports, requests and digest go to them. A
    roadmap nobody is named for is every coordinator's, as it is in a department of one."""

    __tablename__ = "roadmap_coordinators"

    roadmap_id: Mapped[int] = mapped_column(
        ForeignKey("roadmaps.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )


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


# Last, once every model is defined: no bounded string is ever refused for its length.
bound_strings(Base.metadata)
