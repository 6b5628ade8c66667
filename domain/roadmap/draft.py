"""What an imported roadmap looks like before it is saved: plain data, checked by a person."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from domain.deadlines import MonthDay, Period, Schedule
from domain.indicators.draft import IndicatorDraft, IndicatorTable
from domain.roadmap.columns import ColumnUse


@dataclass(frozen=True, slots=True)
class SourceRow:
    cells: tuple[str, ...]
    auto_number: bool = False  # the number cell uses Word's automatic list numbering


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """Any roadmap file, reduced to its text: paragraphs in order, then its tables."""

    paragraphs: tuple[str, ...]
    tables: tuple[tuple[SourceRow, ...], ...]


class AssigneeKind(StrEnum):
    PERSON = "person"  # «Ананина А.Н.- заместитель начальника УО»
    BODY = "body"  # «УО УКМО», «Муниципальная методическая служба»
    SCHOOLS = "schools"  # «Руководители ОО»: every school gets its own occurrences
    UNMAPPED = "unmapped"  # kept and shown to the coordinator to map


@dataclass(frozen=True, slots=True)
class AssigneeSpec:
    kind: AssigneeKind
    text: str  # as written
    name: str = ""  # person's name or body's name; empty for schools and unmapped
    position: str = ""
    tag: str = ""  # «ШНОР»: only the schools marked so
    capacity: str = "responsible"  # or "coordination"


@dataclass(frozen=True, slots=True)
class SectionDraft:
    number: str
    title: str


@dataclass(frozen=True, slots=True)
class MeasureDraft:
    number: str
    section: str | None
    title: str
    deadline_text: str
    schedule: Schedule
    responsible_text: str
    assignees: tuple[AssigneeSpec, ...]
    result: str = ""
    control: str = ""
    from_order: bool = False  # one of the approving order's own numbered instructions


class WarningCode(StrEnum):
    NEEDS_DATES = "needs_dates"  # external or unknown deadline
    UNMAPPED_RESPONSIBLE = "unmapped_responsible"
    NO_RESPONSIBLE = "no_responsible"
    NO_PERIOD = "no_period"
    DUPLICATE_NUMBER = "duplicate_number"


@dataclass(frozen=True, slots=True)
class ImportWarning:
    code: WarningCode
    measure: str = ""
    text: str = ""


@dataclass(frozen=True, slots=True)
class RoadmapDetails:
    title: str
    order_number: str | None
    order_date: date | None
    period: Period | None
    coordinator: str | None
    annual_due: MonthDay | None
    issuer: str | None = None  # the order's letterhead: «Управление образованием …»


@dataclass(frozen=True, slots=True)
class RoadmapDraft:
    details: RoadmapDetails
    period: Period  # the period the deadlines were read with
    sections: tuple[SectionDraft, ...]
    measures: tuple[MeasureDraft, ...]
    warnings: tuple[ImportWarning, ...] = field(default=())
    columns: tuple[ColumnUse, ...] = ()  # how each column of the table was understood
    signature: str = ""  # of the table's header, to remember a coordinator's column choice
    indicators: tuple[IndicatorDraft, ...] = ()
    indicator_tables: tuple[IndicatorTable, ...] = ()  # how their columns were understood


class ProblemCode(StrEnum):
    TOO_LARGE = "too_large"
    UNSUPPORTED_TYPE = "unsupported_type"
    CORRUPT = "corrupt"
    ZIP_BOMB = "zip_bomb"
    NO_TABLE = "no_table"
    NO_MEASURES = "no_measures"
    NEEDS_COLUMNS = "needs_columns"  # the table is there; which column is what is not clear
    NEEDS_INDICATOR_COLUMNS = "needs_indicator_columns"  # indicators, but no targets seen
    BAD_COLUMN = "bad_column"  # a column choice names a column the table does not have
    ENCRYPTED = "encrypted"
    TOO_MANY_ROWS = "too_many_rows"
    TOO_BIG_TABLE = "too_big_table"  # too many cells or rows to open at all
    NEEDS_LIBREOFFICE = "needs_libreoffice"  # a .doc or .rtf on a server without LibreOffice
    CONVERSION_FAILED = "conversion_failed"  # LibreOffice or the PDF reader gave up or timed out
    SCANNED_PDF = "scanned_pdf"  # pictures of pages, no text to read
    ENCRYPTED_PDF = "encrypted_pdf"
    TOO_MANY_PAGES = "too_many_pages"


class ImportProblemError(Exception):
    """A file we cannot import; the code is translated for the person who sent it."""

    def __init__(self, code: ProblemCode, detail: str = "") -> None:
        super().__init__(f"{code.value}: {detail}" if detail else code.value)
        self.code = code
        self.detail = detail

    def __reduce__(self) -> tuple[type[ImportProblemError], tuple[ProblemCode, str]]:
        # Raised in the worker process (formats.worker) reading a .doc or a PDF, it must cross
        # back with its code (the default pickles only the message).
        return (ImportProblemError, (self.code, self.detail))
