"""The implementation report workbook, opened again with openpyxl."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from domain.progress import AnswerRow, ReportLine, SchoolAnswer, Standing, SummaryGrid
from domain.progress.columns import table_2
from formats.report_workbook import REPORT_WIDTHS, ReportWorkbook

NAMES = {
    "done": "Выполнено",
    "overdue": "Просрочено",
    "in_progress": "В работе",
    "not_done": "Не выполнено",
    "no_answer": "Нет ответа",
    "pending": "На проверке",
    "accepted": "Принят",
}
HOSTILE = [
    '=HYPERLINK("http://evil.example/","click")',
    "=1+1",
    "@SUM(A1:A2)",
    "#N/A",
    "+7 (3952) 1",
]


MARKUP = 'A & B <b>жирный</b> "кавычки"\n  вторая строка  '


def answer(text: str, **fields: object) -> AnswerRow:
    values: dict[str, object] = {
        "created_at": datetime(2026, 4, 10, 9, 30, tzinfo=UTC),
        "author": "Иванова Мария Петровна",
        "organisation": "МОУ СОШ № 1",
        "measure_number": "П3.2",
        "measure_title": "Направить дорожные карты",
        "due_on": date(2026, 4, 17),
        "status": "done",
        "text": text,
        "link": None,
        "evidence_file": "Приказ.pdf",
        "review": "accepted",
        "review_comment": None,
        "version": 1,
    }
    values.update(fields)
    return AnswerRow(**values)  # type: ignore[arg-type]


def build() -> openpyxl.Workbook:
    book = ReportWorkbook(as_of=date(2026, 11, 1), names=NAMES)
    book.write_report(
        "Дорожная карта повышения качества образования УКМО",
        [
            ReportLine(section="1 Нормативно-правовое обеспечение"),
            ReportLine(
                number="1.1",
                deadline_text="Апрель 2026 г., далее ежегодно",
                title="Разработка дорожных карт ОО",
                responsible="Руководители ОО",
                planned_result="Разработаны дорожные карты",
                answers=(
                    SchoolAnswer("МОУ СОШ № 1", Standing.DONE, "Разработана"),
                    SchoolAnswer("МОУ СОШ № 2", Standing.OVERDUE, None),
                ),
                actual="=1+1 " + "Дорожные карты разработаны всеми школами. " * 10,
            ),
            ReportLine(
                number="1.2",
                title="Мониторинг",
                responsible="Руководители ОО",
                answers=(SchoolAnswer("МОУ СОШ № 3", Standing.DONE, "Проведён"),),
            ),
            ReportLine(section="2 Методическое сопровождение"),
            ReportLine(
                number="2.1",
                deadline_text="ежегодно до 1 ноября",
                title="Отчёт о реализации",
                answers=(
                    SchoolAnswer(
                        "УО УКМО", Standing.IN_PROGRESS, "Собираем данные", is_school=False
                    ),
                ),
            ),
        ],
    )
    grid = SummaryGrid(measures=["1.1", "2.1"])
    grid.put("МОУ СОШ № 1", "1.1", Standing.DONE)
    grid.put("МОУ СОШ № 2", "1.1", Standing.OVERDUE)
    grid.on_time = {"МОУ СОШ № 1": 1.0, "МОУ СОШ № 2": 0.0}
    book.write_summary(grid)
    book.add_answers([answer(text) for text in HOSTILE])
    book.add_answers([answer("Текст\x07 с\x1b управляющими символами", link=HOSTILE[0])])
    book.add_answers([answer("x" * 40_000)])
    book.add_answers([answer(MARKUP)])
    buffer = io.BytesIO()
    book.save(buffer)
    return openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))


def values(sheet: Worksheet) -> list[list[object]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_sheets_headers_and_the_official_layout() -> None:
    book = build()
    assert book.sheetnames == ["Отчет", "Свод", "Ответы"]
    report = book["Отчет"]
    rows = values(report)
    assert rows[1] == list(table_2(date(2026, 11, 1)))  # the same names as the .docx
    assert rows[2] == ["1", "2", "3", "4", "5", "6"]
    assert {str(r) for r in report.merged_cells.ranges} == {"A1:F1", "A4:F4", "A7:F7"}
    assert rows[3][0] == "1 Нормативно-правовое обеспечение"
    assert rows[4][:2] == ["1.1", "Апрель 2026 г., далее ежегодно"]
    # Column 6 is the coordinator's text, as text (never a formula), never the standings.
    assert str(rows[4][5]).startswith("=1+1 Дорожные карты")
    assert report["F5"].data_type == "s"
    assert rows[5][:1] == ["1.2"] and rows[5][5] is None
    assert rows[7][5] is None
    # Every row states a height that holds its wrapped text (LibreOffice draws what is stated).
    assert report.row_dimensions[5].height >= 5 * 15
    assert report.freeze_panes == "A4"
    assert report.print_title_rows == "$2:$3"
    assert report.page_setup.orientation == "landscape"
    assert str(report.page_setup.paperSize) == report.PAPERSIZE_A4
    assert report.sheet_properties.pageSetUpPr.fitToPage
    assert report["C5"].alignment.wrap_text
    assert report.column_dimensions["F"].width == REPORT_WIDTHS[5]


def test_summary_statuses_with_colours_and_totals() -> None:
    summary = build()["Свод"]
    rows = values(summary)
    assert rows[0][:3] == ["Организация", "1.1", "2.1"]
    assert rows[0][-1] == "В срок, %"
    assert rows[1][:2] == ["МОУ СОШ № 1", "Выполнено"]
    assert summary["B2"].fill.fgColor.rgb.endswith("C6EFCE")
    assert summary["B3"].value == "Просрочено"
    assert summary["B3"].fill.fgColor.rgb.endswith("FFC7CE")
    assert rows[1][-1] == 100 and rows[2][-1] == 0


def test_hostile_answers_stay_strings() -> None:
    answers = build()["Ответы"]
    texts = [answers.cell(row=r, column=8) for r in range(2, 2 + len(HOSTILE))]
    assert [c.value for c in texts] == HOSTILE
    assert {c.data_type for c in texts} == {"s"}
    link = answers.cell(row=2 + len(HOSTILE), column=9)
    assert link.value == HOSTILE[0] and link.data_type == "s"
    stripped = answers.cell(row=2 + len(HOSTILE), column=8).value
    assert stripped == "Текст с управляющими символами"
    longest = answers.cell(row=3 + len(HOSTILE), column=8).value
    assert isinstance(longest, str) and len(longest) == 32_767
    assert answers.auto_filter.ref == f"A1:M{2 + len(HOSTILE) + 2}"
    assert answers.freeze_panes == "A2"
    assert answers["A2"].value == datetime(2026, 4, 10, 9, 30, tzinfo=UTC).replace(tzinfo=None)
    assert answers["K2"].value == "Принят"


def test_markup_and_line_breaks_survive_the_streamed_sheet() -> None:
    answers = build()["Ответы"]
    last = answers.max_row
    assert answers.cell(row=last, column=8).value == MARKUP
    assert answers.cell(row=last, column=6).value == datetime(2026, 4, 17, tzinfo=UTC).replace(
        tzinfo=None
    )
    # Dates as Russian documents write them, in every office suite.
    assert answers.cell(row=last, column=6).number_format == "DD.MM.YYYY"
    assert answers["A2"].number_format == "DD.MM.YYYY HH:MM"
    assert answers.cell(row=last, column=13).value == 1
    assert answers.dimensions == f"A1:M{last}"
