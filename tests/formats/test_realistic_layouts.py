"""Layouts of other regions' published plans, read in every format."""

from __future__ import annotations

import pytest

from domain.deadlines import ScheduleKind
from domain.roadmap.build import build_draft
from domain.roadmap.columns import Column, Source
from domain.roadmap.draft import RoadmapDraft
from formats.roadmap_files import read_roadmap_file
from tests.fixtures.realistic_roadmaps import plain_words_plan, regional_programme

FORMATS = ("docx", "xlsx", "odt", "ods")


def imported(data: bytes, file_format: str) -> RoadmapDraft:
    return build_draft(read_roadmap_file(f"plan.{file_format}", data), fallback_year=2026)


@pytest.mark.parametrize("file_format", FORMATS)
def test_regional_programme_with_financing_columns(file_format: str) -> None:
    draft = imported(regional_programme(file_format), file_format)

    assert draft.period.label() == "2025-2027"
    assert [(s.number, s.title) for s in draft.sections] == [
        ("1", "Совершенствование содержания и технологий образования"),
        ("2", "Развитие кадрового потенциала"),
    ]
    assert [m.number for m in draft.measures] == ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3"]
    first, second = draft.measures[:2]
    assert (first.deadline_text, first.schedule.kind) == ("2025 - 2027", ScheduleKind.RECURRING)
    assert (second.deadline_text, second.schedule.kind) == ("2 квартал 2026 г.", ScheduleKind.ONCE)
    assert first.responsible_text == "Департамент образования, органы местного самоуправления"
    assert first.result == "Доля школ, обеспеченных условиями, не менее 90 %"
    # The five financing sub-columns are neither measures nor assignees.
    roles = [use.column for use in draft.columns]
    assert roles.count(Column.UNUSED) == 5
    assert "1000" not in first.title and "1000" not in first.responsible_text


@pytest.mark.parametrize("file_format", FORMATS)
def test_plain_words_header_is_read_from_the_cells(file_format: str) -> None:
    draft = imported(plain_words_plan(file_format), file_format)

    assert draft.period.label() == "2025/2026"
    uses = {use.label: (use.column, use.source) for use in draft.columns}
    assert uses["Что делаем"] == (Column.TITLE, Source.CONTENT)
    assert uses["Когда"] == (Column.DEADLINE, Source.HEADER)
    assert [m.deadline_text for m in draft.measures] == [
        "октябрь 2025",
        "ежемесячно",
        "в течение года",
        "до 25 мая 2026",
    ]
    assert all(m.responsible_text.startswith("Заместитель директора") for m in draft.measures)


def test_goal_and_task_rows_are_sections_and_a_tasks_list_is_a_note() -> None:
    text = "\n".join(
        [
            "План мероприятий на 2026 год",
            "№\tМероприятие\tСрок\tОтветственный",
            "Цель 1. Повышение качества подготовки обучающихся\t\t\t",
            "Задачи: выявить дефициты; организовать помощь\t\t\t",
            "1.1\tДиагностика дефицитов\tмарт 2026\tРуководители ОО",
            "\tЗадача 2. Методическая помощь школам\t\t",
            "2.1\tСеминар для учителей\tапрель 2026\tМетодист Иванова А.А.",
            "Раздел III. Контроль\t\t\t",
            "3.1\tМониторинг\tдекабрь 2026\tУО",
        ]
    )
    draft = build_draft(read_roadmap_file("plan.txt", text.encode()), fallback_year=2026)
    assert [(s.number, s.title) for s in draft.sections] == [
        ("1", "Повышение качества подготовки обучающихся"),
        ("2", "Методическая помощь школам"),
        ("III", "Контроль"),
    ]
    assert [(m.number, m.section) for m in draft.measures] == [
        ("1.1", "1"),
        ("2.1", "2"),
        ("3.1", "III"),
    ]


def test_a_sheet_formatted_far_below_its_table_is_not_too_long() -> None:
    import io

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["№", "Мероприятие", "Срок", "Ответственный"])
    sheet.append(["1.", "Совещание", "май 2026", "УО"])
    sheet.cell(row=6000, column=1).number_format = "0.00"  # styled, empty
    sheet.cell(row=6000, column=1).value = None
    buffer = io.BytesIO()
    workbook.save(buffer)
    draft = build_draft(read_roadmap_file("plan.xlsx", buffer.getvalue()), fallback_year=2026)
    assert [m.title for m in draft.measures] == ["Совещание"]


def test_start_and_end_columns_the_end_is_the_deadline() -> None:
    text = "\n".join(
        [
            "План мероприятий на 2026 год",
            "№\tМероприятие\tСрок начала\tСрок окончания\tОтветственный",
            "1)\tПодготовка к ГИА\tянварь 2026\tмай 2026\tРуководители ОО",
            "2)\tАнализ результатов\tиюнь 2026\tавгуст 2026\tУО",
        ]
    )
    draft = build_draft(read_roadmap_file("plan.txt", text.encode()), fallback_year=2026)
    assert [(m.number, m.deadline_text) for m in draft.measures] == [
        ("1", "май 2026"),
        ("2", "август 2026"),
    ]


def test_a_roadmap_table_nested_in_a_layout_table() -> None:
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("Дорожная карта на 2026 год")
    frame = document.add_table(rows=1, cols=1)
    inner = frame.cell(0, 0).add_table(rows=3, cols=4)
    values = [
        ["№", "Мероприятие", "Срок", "Ответственный"],
        ["1.", "Совещание директоров", "март 2026", "УО"],
        ["2.", "Семинар для методистов", "апрель 2026", "ИМЦ, методист Петрова А.А."],
    ]
    for row, texts in zip(inner.rows, values, strict=True):
        for cell, value in zip(row.cells, texts, strict=True):
            cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    draft = build_draft(read_roadmap_file("plan.docx", buffer.getvalue()), fallback_year=2026)
    assert [(m.title, m.deadline_text) for m in draft.measures] == [
        ("Совещание директоров", "март 2026"),
        ("Семинар для методистов", "апрель 2026"),
    ]
