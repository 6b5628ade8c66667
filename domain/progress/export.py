"""What goes into the implementation report spreadsheet, as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from domain.progress.standing import WORST_FIRST, Standing


@dataclass(frozen=True, slots=True)
class SchoolAnswer:
    organisation: str  # the school's name, or the person's for a measure given to a person
    standing: Standing
    text: str | None
    is_school: bool = True  # one of the schools a measure «for every school» goes to


@dataclass(frozen=True, slots=True)
class ReportLine:
    """A row of «Таблица 2»: a section heading (``section`` set, the rest empty) or a measure."""

    section: str | None = None
    number: str = ""
    deadline_text: str = ""
    title: str = ""
    responsible: str = ""
    planned_result: str = ""
    answers: tuple[SchoolAnswer, ...] = ()
    # Column 6: the coordinator's consolidated text; empty until she writes it. Never standings:
    # a district does not write «Просрочено» about itself to the ministry.
    actual: str = ""


@dataclass(frozen=True, slots=True)
class AnswerRow:
    """One report, every field (the «Ответы» sheet)."""

    created_at: datetime
    author: str
    organisation: str
    measure_number: str
    measure_title: str
    due_on: date
    status: str
    text: str
    link: str | None
    evidence_file: str | None
    review: str
    review_comment: str | None
    version: int


@dataclass
class SummaryGrid:
    """Organisations × measures: each cell a standing (the «Свод» sheet)."""

    measures: list[str] = field(default_factory=list)
    rows: dict[str, dict[str, Standing]] = field(default_factory=dict)
    on_time: dict[str, float | None] = field(default_factory=dict)

    def put(self, organisation: str, measure: str, standing: Standing) -> None:
        cells = self.rows.setdefault(organisation, {})
        # Several occurrences of one measure (yearly): the worst of them is what to look at.
        if measure not in cells or _rank(standing) < _rank(cells[measure]):
            cells[measure] = standing


def _rank(standing: Standing) -> int:
    return WORST_FIRST.index(standing)
