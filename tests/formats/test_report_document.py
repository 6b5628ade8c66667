"""The written report, opened back with python-docx and checked as a package."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from xml.etree import ElementTree

import docx
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from domain.progress.export import ReportLine, SchoolAnswer
from domain.progress.report_figures import OccurrenceOutcome, count_figures
from domain.progress.standing import Standing
from formats.report_document import ReportDocumentTexts, report_document

HOSTILE = '=HYPERLINK("http://evil.example/") <w:t>not xml</w:t> {PAGE} & «кавычки»'
NAMES = {"done": "Выполнено", "overdue": "Просрочено", "in_progress": "В работе"}


def texts(**changes: str) -> ReportDocumentTexts:
    values = {
        "heading": "ОТЧЕТ",
        "subject": "о реализации: «Дорожная карта» за 2026 год (по состоянию на 20.04.2026)",
        "approval": "Утверждена приказом № 61 от 20.02.2026",
        "summary_heading": "Краткие итоги",
        "summary": "В дорожной карте 2 мероприятия.",
        "table_caption": "Таблица 2",
        "columns": ("№ п/п", "Период", "Мероприятие", "Ответственный", "Результат", "Факт"),
        "position": "Заместитель начальника УО",
        "name": "Антипина Анна Михайловна",
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
            SchoolAnswer("СОШ № 1", Standing.DONE, HOSTILE),
            SchoolAnswer("СОШ № 2", Standing.OVERDUE, None),
        ),
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
    data = report_document(texts(), LINES, NAMES)
    document = docx.Document(io.BytesIO(data))

    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width is not None and section.page_width > section.page_height  # type: ignore[operator]
    paragraphs = [p.text for p in document.paragraphs if p.text]
    assert paragraphs[:3] == [
        "ОТЧЕТ",
        "о реализации: «Дорожная карта» за 2026 год (по состоянию на 20.04.2026)",
        "Утверждена приказом № 61 от 20.02.2026",
    ]
    assert "Таблица 2" in paragraphs
    table, signature = document.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0][0] == "№ п/п" and rows[1] == ["1", "2", "3", "4", "5", "6"]
    assert rows[2] == ["1 Организационные меры"] * 6  # the section row, merged across
    assert rows[3][5] == f"СОШ № 1 — Выполнено: {HOSTILE}\nСОШ № 2 — Просрочено"
    assert rows[4][5] == "В работе: Готовим"
    repeated = [row._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") for row in table.rows[:3]]
    assert repeated[0] is not None and repeated[1] is not None and repeated[2] is None
    assert [cell.text for cell in signature.rows[0].cells] == [
        "Заместитель начальника УО",
        "_______________",
        "Антипина Анна Михайловна",
    ]
    footer = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "Страница" in footer


def test_the_package_is_well_formed_and_user_text_stays_text() -> None:
    data = report_document(texts(), LINES, NAMES)
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
    assert (figures.in_progress, figures.overdue, figures.not_done) == (1, 1, 1)
    assert figures.on_time_share == 0.25
