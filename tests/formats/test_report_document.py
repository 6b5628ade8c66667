"""The written report, opened back with python-docx and checked as a package."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from xml.etree import ElementTree

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from domain.progress.columns import table_2
from domain.progress.export import ReportLine, SchoolAnswer
from domain.progress.report_figures import OccurrenceOutcome, count_figures, percent
from domain.progress.standing import Standing
from formats.report_document import ReportDocumentTexts, report_document

HOSTILE = '=HYPERLINK("http://evil.example/") <w:t>not xml</w:t> {PAGE} & «кавычки»'


def texts(**changes: object) -> ReportDocumentTexts:
    values: dict[str, object] = {
        "issuer": "Управление образованием Усть-Кутского муниципального образования",
        "grif": ("«Утверждено»", "приказом Управления образованием УКМО", "№ 61 от 20.02.2026"),
        "heading": "Отчет",
        "subject": "о ходе реализации дорожной карты «Х» за период с 01.01.2026 по 20.04.2026",
        "explanatory_heading": "Пояснительная записка",
        "explanatory": "Отчет подготовлен по итогам первого квартала.",
        "summary_heading": "Краткие итоги",
        "summary": "В дорожной карте 2 мероприятия.",
        "table_caption": "Таблица 2",
        "columns": table_2(date(2026, 4, 20)),
        "conclusions_heading": "Выводы и предложения",
        "conclusions": "",
        "position": "Заместитель начальника УО",
        "name": "А.М. Антипина",
        "signed_on": "20.04.2026",
        "page": "Страница",
    }
    return ReportDocumentTexts(**{**values, **changes})  # type: ignore[arg-type]


LINES = [
    ReportLine(section="1 Организационные меры"),
    ReportLine(
        number="1.1",
        deadline_text="Апрель 2026",
        title="Разработка дорожных карт",
        responsible="Руководители ОО",
        planned_result="Дорожные карты",
        answers=(
            SchoolAnswer("СОШ № 1", Standing.DONE, "Разработана"),
            SchoolAnswer("СОШ № 2", Standing.OVERDUE, None),
        ),
        actual=HOSTILE,
    ),
    ReportLine(
        number="1.2",
        deadline_text="Май 2026",
        title="Совещание",
        responsible="Иванова М.П.",
        planned_result="Протокол",
        answers=(SchoolAnswer("Иванова М.П.", Standing.IN_PROGRESS, "Готовим", is_school=False),),
    ),
]


def test_the_document_reads_back_in_the_official_layout() -> None:
    data = report_document(texts(), LINES)
    document = docx.Document(io.BytesIO(data))

    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width is not None and section.page_width > section.page_height  # type: ignore[operator]
    paragraphs = [p.text for p in document.paragraphs if p.text]
    assert paragraphs[:6] == [
        "Управление образованием Усть-Кутского муниципального образования",
        "«Утверждено»",
        "приказом Управления образованием УКМО",
        "№ 61 от 20.02.2026",
        "Отчет",
        "о ходе реализации дорожной карты «Х» за период с 01.01.2026 по 20.04.2026",
    ]
    assert paragraphs.index("Пояснительная записка") < paragraphs.index("Таблица 2")
    assert "Выводы и предложения" not in paragraphs  # typed nothing: left out
    table, signature = document.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == list(table_2(date(2026, 4, 20)))
    assert rows[1] == ["1", "2", "3", "4", "5", "6"]
    assert rows[2] == ["1 Организационные меры"] * 6  # the section row, merged across
    assert rows[3][5] == HOSTILE  # the coordinator's text, never the schools' standings
    assert rows[4][5] == ""
    repeated = [row._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") for row in table.rows[:3]]
    assert repeated[0] is not None and repeated[1] is not None and repeated[2] is None
    assert [cell.text for cell in signature.rows[0].cells] == [
        "Заместитель начальника УО",
        "_______________",
        "А.М. Антипина",
    ]
    footer = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "Страница" in footer


def test_a_table_goes_in_before_table_2() -> None:
    """«Таблица 1» (target indicators) is a builder inserted before «Таблица 2»."""

    def table_1(document: Document) -> None:
        document.add_paragraph("Таблица 1")

    document = docx.Document(io.BytesIO(report_document(texts(), LINES, (table_1,))))
    paragraphs = [p.text for p in document.paragraphs if p.text]
    assert paragraphs.index("Краткие итоги") < paragraphs.index("Таблица 1")
    assert paragraphs.index("Таблица 1") < paragraphs.index("Таблица 2")


def test_the_package_is_well_formed_and_user_text_stays_text() -> None:
    data = report_document(texts(), LINES)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.testzip() is None
        names = package.namelist()
        assert "[Content_Types].xml" in names and "word/document.xml" in names
        for name in names:
            if name.endswith(".xml") or name.endswith(".rels"):
                ElementTree.fromstring(package.read(name))  # every part parses
        body = package.read("word/document.xml").decode()
    assert "&lt;w:t&gt;not xml&lt;/w:t&gt;" in body  # escaped, not markup
    assert body.count("<w:instrText") == 0  # the only field is in the footer


def test_figures_count_on_time_late_and_open() -> None:
    as_of = date(2026, 4, 20)
    outcomes = [
        OccurrenceOutcome(date(2026, 4, 17), "done", False, date(2026, 4, 16)),
        OccurrenceOutcome(date(2026, 4, 17), "done", False, date(2026, 4, 19)),
        OccurrenceOutcome(date(2026, 4, 17), None, False, None),
        OccurrenceOutcome(date(2026, 4, 17), "not_done", False, None),
        OccurrenceOutcome(date(2026, 5, 1), "in_progress", False, None),
        OccurrenceOutcome(date(2026, 5, 1), None, False, None),
    ]
    figures = count_figures(3, outcomes, as_of)
    assert (figures.measures, figures.due) == (3, 4)
    assert (figures.done_on_time, figures.done_late) == (1, 1)
    # Only what was due is split into parts, so they add up to the 4 due.
    assert (figures.in_progress, figures.overdue, figures.not_done) == (0, 1, 1)
    assert figures.adds_up
    assert figures.on_time_share == 0.25


def test_parts_add_up_whatever_the_outcomes() -> None:
    as_of = date(2026, 4, 20)
    days = [date(2026, 4, 19), as_of, date(2026, 4, 21)]
    reports = [None, "done", "in_progress", "not_done"]
    outcomes = [
        OccurrenceOutcome(day, report, closed, day if report == "done" else None)
        for day in days
        for report in reports
        for closed in (False, True)
    ]
    figures = count_figures(5, outcomes, as_of)
    assert figures.adds_up and figures.due == 16


def test_percentages_as_a_ministry_reader_writes_them() -> None:
    assert percent(1 / 8) == "12,5 %"
    assert percent(1.0) == "100 %"
    assert percent(0.0) == "0 %"
    assert percent(2 / 3) == "66,7 %"
