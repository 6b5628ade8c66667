"""What the official report prints beyond the measures' lines: the target indicators, their
targets, how their figures are collected and the figures reporters send («Таблица 1»), and the
coordinator's own words (each measure's «Фактический результат», the typed sections)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base


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
    «Пояснительная записка» and «Выводы и предложения». Empty: the section is left out.

    Each section has its own version, author and time, as ``ActualResult`` has: a save names
    the version it edited, so of two coordinators editing the same section at once the later
    is told who saved first; editing one section never stands in the way of the other."""

    __tablename__ = "report_notes"

    roadmap_id: Mapped[int] = mapped_column(
        ForeignKey("roadmaps.id", ondelete="CASCADE"), primary_key=True
    )
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    explanatory: Mapped[str] = mapped_column(Text, default="")
    conclusions: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime]
    explanatory_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    explanatory_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    explanatory_at: Mapped[datetime | None]
    conclusions_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    conclusions_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    conclusions_at: Mapped[datetime | None]
