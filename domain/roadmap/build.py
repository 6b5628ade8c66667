"""A source document -> a roadmap draft the coordinator can check before it is saved."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from domain.deadlines import MonthDay, Period, ScheduleKind, read_deadline
from domain.deadlines.model import DECEMBER_31
from domain.indicators.draft import IndicatorChoice, IndicatorTable
from domain.indicators.find import indicator_tables, measure_columns, measure_indicators
from domain.roadmap.cells import one_line
from domain.roadmap.columns import Column
from domain.roadmap.details import read_details
from domain.roadmap.draft import (
    AssigneeKind,
    AssigneeSpec,
    ImportProblemError,
    ImportWarning,
    MeasureDraft,
    ProblemCode,
    RoadmapDetails,
    RoadmapDraft,
    SectionDraft,
    SourceDocument,
    WarningCode,
)
from domain.roadmap.order_items import read_order_items
from domain.roadmap.recognise import (
    ColumnChoice,
    NeedsColumnsError,
    Recognition,
    clean_grids,
    locate,
)
from domain.roadmap.responsible import read_responsible
from domain.roadmap.table import RawMeasure, TableReading, read_table

ORDER_PREFIX = "П"  # numbers of the order's own instructions: «П3.2»


def build_draft(
    document: SourceDocument,
    *,
    fallback_year: int,
    period: Period | None = None,
    annual_due: MonthDay | None = None,
    columns: ColumnChoice | None = None,
    indicator_columns: IndicatorChoice | None = None,
) -> RoadmapDraft:
    """Raise ImportProblemError when there is nothing to import (NeedsColumnsError when the
    table is there but a column must be pointed out: ``columns`` is that answer;
    NeedsIndicatorColumnsError when a table of indicators has no targets the import can see:
    ``indicator_columns`` is that answer); otherwise return a draft whose warnings list what
    the coordinator should look at."""
    grids = clean_grids(document.tables)
    every = indicator_tables(grids, indicator_columns)
    skip = frozenset(table.table_index for table, _read in every)
    found = [(table, read) for table, read in every if not table.describes_only]
    for table, _indicators in found:
        if not table.has_targets:
            raise NeedsIndicatorColumnsError(table)
    recognition, reading = _measures_table(document, columns, skip, bool(found))

    details = read_details(document.paragraphs)
    warnings: list[ImportWarning] = []
    if period is None and details.period is None:
        warnings.append(ImportWarning(WarningCode.NO_PERIOD))
    chosen_period = (
        period or details.period or Period(date(fallback_year, 1, 1), date(fallback_year, 12, 31))
    )
    chosen_due = annual_due or details.annual_due or DECEMBER_31

    measures = _table_measures(reading, chosen_period, chosen_due) if reading else []
    measures += _order_measures(document, chosen_period, chosen_due)
    measures = _unique_numbers(measures, warnings)
    for measure in measures:
        warnings.extend(_measure_warnings(measure))
    sections = tuple(SectionDraft(s.number, s.title) for s in reading.sections) if reading else ()
    indicators = [i for _table, read in found for i in read]
    tables = [table for table, _read in found]
    if recognition is not None and reading is not None:
        in_measures = measure_columns(
            grids[recognition.table_index],
            recognition.header_rows,
            reading.layout.title,
            recognition.table_index,
        )
        if in_measures is not None:
            table, header = in_measures
            rows = [
                (draft.number, raw.row, draft.section)
                for raw, draft in zip(reading.measures, measures, strict=False)
            ]
            indicators = measure_indicators(header, rows) + indicators
            tables.insert(0, table)
    return RoadmapDraft(
        columns=recognition.uses if recognition else (),
        signature=recognition.signature if recognition else "",
        details=RoadmapDetails(
            title=details.title,
            order_number=details.order_number,
            order_date=details.order_date,
            period=chosen_period,
            coordinator=details.coordinator,
            annual_due=chosen_due,
            issuer=details.issuer,
        ),
        period=chosen_period,
        sections=sections,
        measures=tuple(measures),
        warnings=tuple(warnings),
        indicators=tuple(indicators),
        indicator_tables=tuple(tables),
    )


def _measures_table(
    document: SourceDocument,
    columns: ColumnChoice | None,
    skip: frozenset[int],
    has_indicators: bool,
) -> tuple[Recognition | None, TableReading | None]:
    """The table of measures and what was read from it. A document that holds only tables of
    indicators (a programme's «Сведения о целевых показателях») has none: that is no problem
    when its indicators were found, unless a table is there whose measure column is known."""
    try:
        recognition = locate(document.tables, columns, skip)
    except NeedsColumnsError as needs:
        if has_indicators and Column.TITLE in needs.recognition.missing:
            return None, None
        raise
    except ImportProblemError as problem:
        if has_indicators and problem.code is ProblemCode.NO_TABLE:
            return None, None
        raise
    reading = read_table(recognition.layout(), list(recognition.rows))
    if not reading.measures:
        if has_indicators:
            return None, None
        raise ImportProblemError(ProblemCode.NO_MEASURES)
    return recognition, reading


class NeedsIndicatorColumnsError(ImportProblemError):
    """A table of indicators with neither year columns nor a column of targets: ask which
    column holds the targets."""

    def __init__(self, table: IndicatorTable) -> None:
        super().__init__(ProblemCode.NEEDS_INDICATOR_COLUMNS, str(table.table_index + 1))
        self.table = table


def _table_measures(
    reading: TableReading, period: Period, annual_due: MonthDay
) -> list[MeasureDraft]:
    restart = _numbering_restarts(reading)
    counters: dict[str | None, int] = {}
    drafts = []
    header = reading.layout.header
    for raw in reading.measures:
        counters[raw.section] = counters.get(raw.section, 0) + 1
        number = raw.number or str(counters[raw.section])
        if raw.section and (raw.auto_number or (restart and "." not in number)):
            number = f"{raw.section}.{number}"
        deadline_text = one_line(raw.cells["deadline"])
        drafts.append(
            MeasureDraft(
                number=number,
                section=raw.section,
                title=one_line(raw.cells["title"]),
                deadline_text=deadline_text,
                schedule=read_deadline(deadline_text, period, annual_due),
                responsible_text=_responsible_text(raw, header, reading),
                assignees=tuple(_assignees(raw)),
                result=raw.cells["result"],
                control=one_line(raw.cells["control"]),
            )
        )
    return drafts


def _numbering_restarts(reading: TableReading) -> bool:
    """«1, 2, 3» again in every section (Severobaikalsk) rather than one running count."""
    firsts: dict[str | None, str] = {}
    for raw in reading.measures:
        firsts.setdefault(raw.section, raw.number)
    plain = [n for n in firsts.values() if n and "." not in n]
    return len(plain) > 1 and plain.count("1") > 1


def _responsible_text(raw: RawMeasure, header: tuple[str, ...], reading: TableReading) -> str:
    parts = [
        (index, text)
        for (index, _column), (_c, text) in zip(
            reading.layout.responsible, raw.responsible, strict=True
        )
    ]
    filled = [(index, one_line(text)) for index, text in parts if text.strip()]
    if len(reading.layout.responsible) == 1:
        return filled[0][1] if filled else ""
    return "\n".join(f"{one_line(header[index])}: {text}" for index, text in filled)


def _assignees(raw: RawMeasure) -> list[AssigneeSpec]:
    specs: list[AssigneeSpec] = []
    seen: set[tuple[str, str, str]] = set()
    for column, text in raw.responsible:
        capacity = "coordination" if column is Column.COORDINATION else "responsible"
        for spec in read_responsible(text, capacity):
            key = (spec.kind.value, (spec.name or spec.text).lower(), spec.tag)
            if key not in seen:
                seen.add(key)
                specs.append(spec)
    return specs


def _order_measures(
    document: SourceDocument, period: Period, annual_due: MonthDay
) -> list[MeasureDraft]:
    drafts = []
    for item in read_order_items(document.paragraphs):
        schedule = read_deadline(item.deadline_text, period, annual_due)
        if schedule.kind not in (ScheduleKind.ONCE, ScheduleKind.RECURRING):
            continue
        drafts.append(
            MeasureDraft(
                number=f"{ORDER_PREFIX}{item.number}",
                section=None,
                title=item.text,
                deadline_text=item.deadline_text,
                schedule=schedule,
                responsible_text=item.addressee,
                assignees=tuple(read_responsible(item.addressee)) if item.addressee else (),
                from_order=True,
            )
        )
    return drafts


def _unique_numbers(
    measures: list[MeasureDraft], warnings: list[ImportWarning]
) -> list[MeasureDraft]:
    seen: set[str] = set()
    unique = []
    for measure in measures:
        number = measure.number
        if number in seen:
            warnings.append(ImportWarning(WarningCode.DUPLICATE_NUMBER, number))
            suffix = 2
            while f"{number}-{suffix}" in seen:
                suffix += 1
            number = f"{number}-{suffix}"
            measure = replace(measure, number=number)
        seen.add(number)
        unique.append(measure)
    return unique


def _measure_warnings(measure: MeasureDraft) -> list[ImportWarning]:
    warnings = []
    if measure.schedule.needs_dates:
        warnings.append(
            ImportWarning(WarningCode.NEEDS_DATES, measure.number, measure.deadline_text)
        )
    for spec in measure.assignees:
        if spec.kind is AssigneeKind.UNMAPPED:
            warnings.append(
                ImportWarning(WarningCode.UNMAPPED_RESPONSIBLE, measure.number, spec.text)
            )
    if not measure.assignees:
        warnings.append(ImportWarning(WarningCode.NO_RESPONSIBLE, measure.number))
    return warnings
