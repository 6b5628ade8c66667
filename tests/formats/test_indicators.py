"""Target indicators read from roadmap documents in every layout public programmes use, in
.docx, .xlsx, .odt and .ods: each comes back with its unit, base and targets as printed, and
none comes back as a measure; the measures of the same document read as they did."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from demo.indicator_shapes import (
    EXTRAS,
    BaseForm,
    IndicatorLayout,
    PlannedIndicator,
    TargetForm,
    UnitForm,
    indicator_grid,
    planned_indicators,
)
from demo.layouts import Cell, Grid, Numbering, SectionForm, write_document
from demo.roadmap_shapes import LayoutSpec, planned_measures, roadmap_grids
from domain.indicators.draft import Direction, Role, Value
from domain.roadmap.build import NeedsIndicatorColumnsError, build_draft
from domain.roadmap.draft import RoadmapDraft
from domain.roadmap.serialize import draft_to_json
from formats.roadmap_files import read_roadmap_file
from tests.formats.test_layouts import layouts

FORMATS = ("docx", "xlsx", "odt", "ods")

MEASURES = LayoutSpec(
    order=("number", "title", "deadline", "responsible", "result"),
    words=(0, 0, 0, 0, 0),
    header_rows=1,
    sections=SectionForm.MERGED,
    numbering=Numbering.TYPED,
    tables=1,
    repeat_header=False,
    file_format="docx",
)
BASE = IndicatorLayout(
    unit=UnitForm.COLUMN,
    base=BaseForm.YEAR_IN_HEADER,
    targets=TargetForm.YEARS_GROUPED,
    years=(2024, 2025, 2026),
    name_header=0,
    direction_column=False,
    extras=(),
    sections=False,
    numbering_row=False,
)


def laid_out(**changes: object) -> IndicatorLayout:
    return dataclasses.replace(BASE, **changes)  # type: ignore[arg-type]


def imported(
    layout: IndicatorLayout,
    indicators: list[PlannedIndicator],
    file_format: str,
    *,
    before: bool = False,
    measures: int = 8,
    spec: LayoutSpec = MEASURES,
) -> RoadmapDraft:
    roadmap = roadmap_grids(
        planned_measures(measures), dataclasses.replace(spec, file_format=file_format)
    )
    table = indicator_grid(indicators, layout)
    grids = [table, *roadmap] if before else [*roadmap, table]
    data = write_document(["Дорожная карта на 2024-2026 годы"], grids, file_format)
    return build_draft(read_roadmap_file(f"roadmap.{file_format}", data), fallback_year=2026)


def assert_read_back(
    draft: RoadmapDraft, planned: list[PlannedIndicator], layout: IndicatorLayout, measures: int
) -> None:
    assert [m.title for m in draft.measures] == [m.title for m in planned_measures(measures)]
    read = list(draft.indicators)
    assert [(i.number, i.name, i.unit) for i in read] == [
        (p.number, p.name, p.unit) for p in planned
    ]
    assert [i.base for i in read] == [Value(*p.base) if p.base else None for p in planned]
    assert [i.targets for i in read] == [tuple(Value(*t) for t in p.targets) for p in planned]
    assert [i.direction for i in read] == [expected_direction(p, layout) for p in planned]
    assert [i.direction_inferred for i in read] == [
        not layout.direction_column and i.direction is not None for i in read
    ]
    assert all(i.measure is None for i in read)
    titles = {m.title for m in draft.measures}
    assert not any(i.name in title for i in read for title in titles)


def expected_direction(planned: PlannedIndicator, layout: IndicatorLayout) -> Direction | None:
    """As its column says; else inferred from «не менее» / «не более», from two figures or more,
    or from the wording («не получивших», «во вторую смену»); with one figure and no such words
    there is nothing to infer from."""
    figures = len(planned.targets) + (planned.base is not None)
    if planned.up and not layout.direction_column and layout.targets is not TargetForm.TEXT:
        return Direction.UP if figures >= 2 else None
    return Direction.UP if planned.up else Direction.DOWN


NAMED = {
    "unit_in_its_own_column": laid_out(),
    "unit_okei_column": laid_out(name_header=2),
    "unit_at_the_end_of_the_name": laid_out(unit=UnitForm.NAME_COMMA),
    "unit_in_parentheses_after_the_name": laid_out(unit=UnitForm.NAME_PARENS, name_header=1),
    "unit_inside_the_target": laid_out(unit=UnitForm.IN_TARGET, targets=TargetForm.TEXT),
    "base_value_and_year_under_a_group": laid_out(base=BaseForm.VALUE_AND_YEAR),
    "base_year_in_the_header": laid_out(base=BaseForm.YEAR_IN_HEADER, name_header=2),
    "base_as_a_fact_year_column": laid_out(base=BaseForm.FACT_YEAR, targets=TargetForm.YEARS_FLAT),
    "no_base": laid_out(base=BaseForm.NONE),
    "years_under_a_group_header": laid_out(years=(2024, 2025, 2026, 2027, 2028)),
    "years_not_contiguous": laid_out(years=(2023, 2024, 2025, 2026, 2030, 2035)),
    "years_in_one_header_row": laid_out(targets=TargetForm.YEARS_FLAT, name_header=3),
    "one_target_column_of_text": laid_out(targets=TargetForm.TEXT, name_header=1),
    "direction_column": laid_out(direction_column=True),
    "responsible_source_level_cumulative_columns": laid_out(extras=tuple(EXTRAS)),
    "numbering_and_section_rows": laid_out(sections=True, numbering_row=True),
}


@pytest.mark.parametrize("file_format", FORMATS)
@pytest.mark.parametrize("shape", list(NAMED))
def test_named_indicator_layouts(shape: str, file_format: str) -> None:
    layout = NAMED[shape]
    planned = planned_indicators(7, layout)
    assert_read_back(imported(layout, planned, file_format), planned, layout, 8)


@pytest.mark.parametrize("file_format", FORMATS)
def test_a_table_of_indicators_as_wide_as_the_measures_is_no_continuation_of_them(
    file_format: str,
) -> None:
    """Five columns, like the measures' table right above it: its rows once became measures
    whose «deadline» was a target."""
    layout = laid_out(targets=TargetForm.TEXT)
    planned = planned_indicators(6, layout)
    assert len(indicator_grid(planned, layout).rows[0]) == len(MEASURES.order)
    draft = imported(layout, planned, file_format)
    assert_read_back(draft, planned, layout, 8)


@pytest.mark.parametrize("file_format", FORMATS)
def test_indicators_before_the_measures(file_format: str) -> None:
    layout = laid_out(sections=True, direction_column=True)
    planned = planned_indicators(5, layout)
    assert_read_back(imported(layout, planned, file_format, before=True), planned, layout, 8)


def measures_with_indicator_columns() -> Grid:
    """«Мероприятие | Срок | Ответственный | Показатель | Ед. изм. | 2025 | 2026 | 2027»."""
    grid = Grid(8)
    header = ["№ п/п", "Наименование мероприятия", "Срок исполнения", "Ответственный"]
    grid.add(
        [Cell(text, down=2) for text in header]
        + [Cell("Целевой показатель (индикатор)", down=2), Cell("Ед. изм.", down=2)]
        + [Cell("Плановое значение по годам", across=2)]
    )
    grid.add([Cell("2025"), Cell("2026")])
    grid.add([Cell("1. Повышение качества общего образования", across=8)])
    rows = [
        ("1.1.", "Проведение мониторинга качества подготовки обучающихся", "ежегодно до 1 ноября",
         "Руководители ОО", "Доля школ с низкими результатами", "%", "12", "9"),
        ("1.2.", "Организация методического сопровождения педагогов школ", "постоянно",
         "Иванова А.А., заместитель начальника УО", "", "", "", ""),
        ("1.3.", "Курсы повышения квалификации для учителей математики", "до 17 апреля 2026 г.",
         "Петров П.П., методист", "Количество педагогов, прошедших курсы", "человек", "30", "45"),
    ]  # fmt: skip
    for row in rows:
        grid.add([Cell(text) for text in row])
    return grid


@pytest.mark.parametrize("file_format", FORMATS)
def test_indicators_on_the_measures_own_rows(file_format: str) -> None:
    data = write_document(["Дорожная карта"], [measures_with_indicator_columns()], file_format)
    draft = build_draft(read_roadmap_file(f"r.{file_format}", data), fallback_year=2026)
    assert [m.number for m in draft.measures] == ["1.1", "1.2", "1.3"]
    assert draft.measures[0].deadline_text == "ежегодно до 1 ноября"
    got = [(i.number, i.name, i.unit, i.targets, i.direction, i.measure) for i in draft.indicators]
    assert got == [
        ("1.1", "Доля школ с низкими результатами", "%",
         (Value(2025, "12"), Value(2026, "9")), Direction.DOWN, "1.1"),
        ("1.3", "Количество педагогов, прошедших курсы", "человек",
         (Value(2025, "30"), Value(2026, "45")), Direction.UP, "1.3"),
    ]  # fmt: skip
    (table,) = draft.indicator_tables
    assert table.in_measures


def targetless_table() -> Grid:
    grid = Grid(5)
    header = ["№", "Наименование показателя", "Ед. изм.", "Исходное значение"]
    grid.add([Cell(text) for text in [*header, "Ожидается к концу программы"]])
    row = ["1.", "Доля школ, перешедших в эффективный режим работы", "%", "60", "не менее 85"]
    grid.add([Cell(text) for text in row])
    return grid


@pytest.mark.parametrize("file_format", FORMATS)
def test_a_table_of_indicators_without_targets_asks_which_column_holds_them(
    file_format: str,
) -> None:
    grids = [*roadmap_grids(planned_measures(4), MEASURES), targetless_table()]
    document = read_roadmap_file(f"r.{file_format}", write_document([], grids, file_format))
    with pytest.raises(NeedsIndicatorColumnsError) as asked:
        build_draft(document, fallback_year=2026)
    assert [c.role for c in asked.value.table.columns] == [
        Role.NUMBER, Role.NAME, Role.UNIT, Role.BASE, Role.UNUSED
    ]  # fmt: skip
    draft = build_draft(document, fallback_year=2026, indicator_columns={Role.TARGET_TEXT: 4})
    (indicator,) = draft.indicators
    assert indicator.targets == (Value(None, "не менее 85"),)
    assert indicator.base == Value(None, "60")
    assert len(draft.measures) == 4


def test_json_lists_indicators_as_printed() -> None:
    layout = laid_out(base=BaseForm.VALUE_AND_YEAR, years=(2024, 2030))
    planned = planned_indicators(2, layout)
    data = draft_to_json(imported(layout, planned, "docx"))
    assert data["indicators"][0] == {
        "number": "1",
        "name": "Доля обучающихся, охваченных дополнительным образованием",
        "unit": "%",
        "base": {"year": 2023, "value": "40,5"},
        "targets": [{"year": 2024, "value": "45,0"}, {"year": 2030, "value": "50,0"}],
        "direction": "up",
        "measure": None,
    }
    assert data["indicators"][1]["direction"] == "down"
    assert data["indicators_direction_inferred"] == ["1", "2"]
    assert data["indicator_columns"][0]["columns"][3]["role"] == "base"


@st.composite
def indicator_layouts(draw: st.DrawFn) -> IndicatorLayout:
    targets = draw(st.sampled_from(list(TargetForm)))
    units = (
        list(UnitForm) if targets is TargetForm.TEXT else [u for u in UnitForm if u != "in_target"]
    )
    years = sorted(draw(st.sets(st.integers(2023, 2036), min_size=1, max_size=6)))
    return IndicatorLayout(
        unit=draw(st.sampled_from(units)),
        base=draw(st.sampled_from(list(BaseForm))),
        targets=targets,
        years=tuple(y for y in years if y != 2023) or (2030,),
        name_header=draw(st.integers(0, 3)),
        direction_column=draw(st.booleans()),
        extras=tuple(k for k in EXTRAS if draw(st.booleans())),
        sections=draw(st.booleans()),
        numbering_row=draw(st.booleans()),
    )


@settings(max_examples=40, deadline=None)
@given(
    spec=layouts(),
    layout=indicator_layouts(),
    count=st.integers(1, 9),
    measures=st.integers(3, 12),
    before=st.booleans(),
)
def test_every_generated_indicator_table_reads_back(
    spec: LayoutSpec, layout: IndicatorLayout, count: int, measures: int, before: bool
) -> None:
    """The roadmap layout generator's measures (any shape, any format) with an indicator table
    of any shape before or after them: every indicator comes back with its unit, base and
    targets, none as a measure, and the measures as they did alone."""
    planned = planned_indicators(count, layout)
    draft = imported(layout, planned, spec.file_format, before=before, measures=measures, spec=spec)
    assert_read_back(draft, planned, layout, measures)
    alone = planned_measures(measures)
    assert [m.deadline_text for m in draft.measures] == [m.deadline for m in alone]
    assert [m.responsible_text for m in draft.measures] == [m.responsible for m in alone]
    first_measure_table = 1 if before else 0
    assert [t.table_index for t in draft.indicator_tables] == [
        0 if before else first_measure_table + spec.tables
    ]


@pytest.mark.parametrize("count", [1, 4])
def test_short_wordy_indicator_rows_under_a_number_column_are_data_not_header(count: int) -> None:
    """Found by the property test on a loaded run: «1. | Доля обучающихся, охваченных … | % |
    Возрастание | не менее 45 %» is short and has no figure, and was taken as a second header
    row, so the table was read as measures («%» among their titles)."""
    layout = IndicatorLayout(
        unit=UnitForm.COLUMN,
        base=BaseForm.NONE,
        targets=TargetForm.TEXT,
        years=(2030,),
        name_header=0,
        direction_column=True,
        extras=(),
        sections=False,
        numbering_row=False,
    )
    planned = planned_indicators(count, layout)
    draft = imported(layout, planned, "docx", before=False, measures=3)
    assert_read_back(draft, planned, layout, 3)
