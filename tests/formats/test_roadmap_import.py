"""The seed roadmaps import from their text, from .docx and from .xlsx, with the same result."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from demo.documents import seed_document, seed_text, to_docx, to_xlsx
from domain.deadlines import ScheduleKind
from domain.roadmap.build import build_draft
from domain.roadmap.draft import AssigneeKind, RoadmapDraft
from formats.roadmap_files import read_roadmap_file

# name: (sections, measures, deadlines read, assignees, order number, period, title start)
EXPECTED = {
    "ust_kut": (3, 22, 18, 66, "61", "2026-2030", "Дорожная карта повышения качества"),
    "severobaikalsk": (10, 68, 63, 111, "341", "2022-2024", "Комплекс мер"),
    "ust_ilimsk": (4, 27, 27, 49, "56", "2024-2025", "Муниципальная дорожная карта"),
}

FORMATS: dict[str, Callable[[str], tuple[str, bytes]]] = {
    "txt": lambda name: ("roadmap.txt", seed_text(name).encode()),
    "docx": lambda name: ("roadmap.docx", to_docx(seed_document(name))),
    "docx-auto-numbered": lambda name: (
        "roadmap.docx",
        to_docx(seed_document(name), auto_number=True),
    ),
    "xlsx": lambda name: ("roadmap.xlsx", to_xlsx(seed_document(name))),
}


def imported(name: str, file_format: str) -> RoadmapDraft:
    file_name, data = FORMATS[file_format](name)
    return build_draft(read_roadmap_file(file_name, data), fallback_year=2026)


@pytest.mark.parametrize("file_format", list(FORMATS))
@pytest.mark.parametrize("name", list(EXPECTED))
def test_seed_roadmaps_import_in_every_format(name: str, file_format: str) -> None:
    sections, measures, read, assignees, order, period, title = EXPECTED[name]
    draft = imported(name, file_format)

    assert len(draft.sections) == sections
    assert len(draft.measures) == measures
    assert sum(1 for m in draft.measures if not m.schedule.needs_dates) == read
    assert sum(len(m.assignees) for m in draft.measures) == assignees
    assert draft.details.order_number == order
    assert draft.period.label() == period
    assert draft.details.title.startswith(title)


@pytest.mark.parametrize("file_format", list(FORMATS))
def test_ust_kut_order_instructions_are_the_heads_deadlines(file_format: str) -> None:
    draft = imported("ust_kut", file_format)
    by_number = {m.number: m for m in draft.measures}

    assert draft.details.coordinator == "Антипина Анна Михайловна"
    assert (draft.details.annual_due.month, draft.details.annual_due.day) == (11, 1)  # type: ignore[union-attr]
    assert draft.details.order_date == date(2026, 2, 20)
    assert by_number["П3.2"].schedule.due == (date(2026, 4, 17),)
    assert by_number["П3.3"].schedule.due == (date(2026, 4, 20),)
    yearly = by_number["П3.4"].schedule
    assert yearly.kind is ScheduleKind.RECURRING and yearly.due[0] == date(2026, 11, 1)
    for number in ("П3.2", "П3.3", "П3.4"):
        assert [a.kind for a in by_number[number].assignees] == [AssigneeKind.SCHOOLS]


def test_ust_kut_columns_coordination_and_participation() -> None:
    measure = {m.number: m for m in imported("ust_kut", "docx").measures}["1.2"]
    assert measure.responsible_text == (
        "Координация: УО УКМО\nУчастие: УО УКМО, МКУ РЦ УО УКМО (методический кабинет), ОО"
    )
    assert [(a.kind, a.capacity) for a in measure.assignees] == [
        (AssigneeKind.BODY, "coordination"),
        (AssigneeKind.BODY, "responsible"),
        (AssigneeKind.SCHOOLS, "responsible"),
    ]


def test_rows_split_across_pages_are_joined() -> None:
    measures = {m.number: m for m in imported("ust_kut", "txt").measures}
    assert measures["1.12"].title.startswith("Планирование работы с учителями-предметниками")
    assert "РМО учителей" in measures["1.12"].responsible_text
    severobaikalsk = {m.number: m for m in imported("severobaikalsk", "txt").measures}
    assert severobaikalsk["2.2"].deadline_text == "В соответствии с графиком проведени я"
    assert severobaikalsk["2.2"].schedule.kind is ScheduleKind.EXTERNAL


def test_numbering_restarts_per_section_in_severobaikalsk() -> None:
    numbers = [m.number for m in imported("severobaikalsk", "xlsx").measures]
    assert numbers[:4] == ["1.1", "1.2", "1.3", "2.1"]
    assert "2.13" in numbers and "10.9" in numbers
    assert len(set(numbers)) == len(numbers)


def test_named_people_with_positions() -> None:
    measure = {m.number: m for m in imported("severobaikalsk", "docx").measures}["1.2"]
    people = [(a.name, a.position) for a in measure.assignees if a.kind is AssigneeKind.PERSON]
    assert people == [
        ("Ананина А.Н.", "заместитель начальника УО"),
        ("Устьянцева Т.П.", "руководитель методической службы УО"),
    ]


def test_ust_ilimsk_keeps_one_running_count_and_shnor_groups() -> None:
    draft = imported("ust_ilimsk", "docx")
    assert [m.number for m in draft.measures] == [str(n) for n in range(1, 28)]
    measure = draft.measures[1]
    schools = [a for a in measure.assignees if a.kind is AssigneeKind.SCHOOLS]
    assert [(a.text, a.tag) for a in schools] == [("руководители школ ШНОР", "ШНОР")]
    unmapped = {
        a.text for m in draft.measures for a in m.assignees if a.kind is AssigneeKind.UNMAPPED
    }
    assert "кураторы ШНОР" in unmapped
    assert draft.measures[-1].schedule.due == (date(2024, 6, 30), date(2024, 11, 30))


def test_period_given_by_the_coordinator_wins() -> None:
    from domain.deadlines import Period

    draft = build_draft(
        read_roadmap_file("r.txt", seed_text("ust_ilimsk").encode()),
        fallback_year=2026,
        period=Period.parse("2025"),
    )
    assert draft.period.label() == "2025"
    assert draft.measures[2].schedule.due == (date(2025, 4, 30),)  # «Март-апрель»
