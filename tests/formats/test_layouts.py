"""Roadmaps laid out in many shapes come back measure for measure: deadline text, section,
responsible, and nothing else."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from demo.layouts import Numbering, SectionForm
from demo.roadmap_shapes import (
    HEADERS,
    LayoutSpec,
    PlannedMeasure,
    expected_section,
    planned_measures,
    roadmap_file,
)
from domain.roadmap.build import build_draft
from domain.roadmap.draft import RoadmapDraft
from formats.roadmap_files import read_roadmap_file

WORD_PROCESSORS = ("docx", "odt")  # where numbering can come from a list or a style
FORMATS = ("docx", "xlsx", "odt", "ods")


def imported(spec: LayoutSpec, measures: list[PlannedMeasure]) -> RoadmapDraft:
    data = roadmap_file(measures, spec)
    return build_draft(read_roadmap_file(f"roadmap.{spec.file_format}", data), fallback_year=2026)


def assert_read_back(spec: LayoutSpec, measures: list[PlannedMeasure]) -> None:
    draft = imported(spec, measures)
    sections = {section.number: section.title for section in draft.sections}
    assert [m.title for m in draft.measures] == [m.title for m in measures]
    assert [m.deadline_text for m in draft.measures] == [m.deadline for m in measures]
    assert [m.responsible_text for m in draft.measures] == [m.responsible for m in measures]
    assert [sections.get(m.section) if m.section else None for m in draft.measures] == [
        expected_section(m, spec) for m in measures
    ]


@st.composite
def layouts(draw: st.DrawFn) -> LayoutSpec:
    roles = draw(st.permutations(["title", "deadline", "responsible", "result", "place"]))
    kept = [r for r in roles if r in ("title", "deadline", "responsible") or draw(st.booleans())]
    file_format = draw(st.sampled_from(FORMATS))
    numbering = draw(
        st.sampled_from(
            list(Numbering)
            if file_format in WORD_PROCESSORS
            else [Numbering.TYPED, Numbering.DOTTED, Numbering.NONE]
        )
    )
    order = ("number", *kept)
    return LayoutSpec(
        order=order,
        words=tuple(draw(st.integers(0, len(HEADERS[role]) - 1)) for role in order),
        header_rows=draw(st.integers(1, 3)),
        sections=draw(st.sampled_from(list(SectionForm))),
        numbering=numbering,
        tables=draw(st.integers(1, 2)),
        repeat_header=draw(st.booleans()),
        file_format=file_format,
    )


@settings(max_examples=60, deadline=None)
@given(spec=layouts(), count=st.integers(3, 30))
def test_every_generated_layout_reads_back(spec: LayoutSpec, count: int) -> None:
    assert_read_back(spec, planned_measures(count))


BASE = LayoutSpec(
    order=("number", "title", "deadline", "responsible", "result"),
    words=(0, 0, 0, 0, 0),
    header_rows=1,
    sections=SectionForm.MERGED,
    numbering=Numbering.TYPED,
    tables=1,
    repeat_header=False,
    file_format="docx",
)


def shaped(**changes: object) -> LayoutSpec:
    values = {**BASE.__dict__, **changes}
    return LayoutSpec(**values)


# One named test per shape of the issue, each in every format it exists in.
NAMED_SHAPES = {
    "two_row_header_with_group_cell": shaped(header_rows=2),
    "three_row_header": shaped(header_rows=3, sections=SectionForm.NONE),
    "header_repeated_per_page": shaped(header_rows=2, repeat_header=True),
    "hierarchy_column": shaped(sections=SectionForm.HIERARCHY),
    "direction_and_task_columns": shaped(sections=SectionForm.TWO_LEVELS, header_rows=2),
    "section_number_then_merged_heading": shaped(sections=SectionForm.NUMBER_AND_MERGED),
    "section_named_in_measure_column": shaped(sections=SectionForm.NAMED),
    "split_over_tables_without_header": shaped(tables=2),
    "split_over_tables_with_header": shaped(tables=2, repeat_header=True),
    "no_number_column": shaped(numbering=Numbering.NONE),
    "dotted_numbers": shaped(numbering=Numbering.DOTTED),
    "unknown_deadline_and_responsible_headers": shaped(words=(0, 1, 4, 4, 0)),
    "unused_columns_place_and_notes": shaped(
        order=("number", "place", "title", "deadline", "responsible", "result"),
        words=(1, 1, 2, 1, 2, 2),
    ),
    "columns_in_another_order": shaped(
        order=("number", "responsible", "deadline", "title", "result"), words=(2, 1, 3, 3, 1)
    ),
}


@pytest.mark.parametrize("file_format", FORMATS)
@pytest.mark.parametrize("shape", list(NAMED_SHAPES))
def test_named_shapes(shape: str, file_format: str) -> None:
    spec = NAMED_SHAPES[shape]
    assert_read_back(shaped(**{**spec.__dict__, "file_format": file_format}), planned_measures(16))


@pytest.mark.parametrize("numbering", [Numbering.AUTO, Numbering.STYLE])
@pytest.mark.parametrize("file_format", WORD_PROCESSORS)
def test_numbering_from_the_word_processor(numbering: Numbering, file_format: str) -> None:
    spec = shaped(numbering=numbering, file_format=file_format, header_rows=2)
    measures = planned_measures(10)
    assert_read_back(spec, measures)
    numbers = [m.number for m in imported(spec, measures).measures]
    assert numbers[:4] == ["1.1", "1.2", "1.3", "1.4"]
    assert len(set(numbers)) == len(numbers)


def test_hierarchy_sections_are_nested() -> None:
    spec = shaped(sections=SectionForm.TWO_LEVELS)
    draft = imported(spec, planned_measures(12))
    numbers = [section.number for section in draft.sections]
    assert numbers == ["1", "1.1", "1.2", "2", "2.3", "2.4", "3", "3.5", "3.6"]
    assert draft.measures[0].section == "1.1"
