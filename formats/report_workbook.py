"""The implementation report as an .xlsx: «Отчет» (the official layout), «Свод» (organisations ×
measures) and «Ответы» (every report, filterable).

Written in openpyxl's write-only mode: rows stream to disk as they come, so 100,000 answers cost
the memory of one row, not of a sheet held in memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from domain.progress import WORST_FIRST, AnswerRow, ReportLine, Standing, SummaryGrid
from domain.progress.columns import table_2
from formats.fitting import fitted_height
from formats.indicator_table import SheetFigure, SheetValue, write_indicator_sheet
from formats.sheet_stream import (
    StreamedRows,
    Styled,
    Value,
    date_style_ids,
    save_streamed,
)
from formats.sheet_stream import (
    sheet_text as _plain,
)

REPORT_SHEET, SUMMARY_SHEET, ANSWERS_SHEET = "Отчет", "Свод", "Ответы"
INDICATORS_SHEET = "Показатели"
REPORT_WIDTHS = (7, 18, 45, 30, 35, 60)
ANSWER_WIDTHS = (17, 28, 30, 9, 45, 12, 14, 60, 30, 25, 12, 35, 8)
FILLS: dict[Standing, str] = {
    Standing.DONE: "C6EFCE",
    Standing.IN_PROGRESS: "DDEBF7",
    Standing.NOT_DONE: "FFE699",
    Standing.OVERDUE: "FFC7CE",
    Standing.NO_ANSWER: "EDEDED",
}
_FILLS = {standing: PatternFill("solid", fgColor=colour) for standing, colour in FILLS.items()}
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_BOLD = Font(bold=True)


class ReportWorkbook:
    """Build the three sheets (answers may come in batches), then ``save``."""

    def __init__(self, *, as_of: date, names: Mapping[str, str]) -> None:
        """``names`` words the standings, review states and headers in the reader's language."""
        self._as_of = as_of
        self._names = names
        self._book = Workbook(write_only=True)
        self._report = self._book.create_sheet(REPORT_SHEET)
        self._summary = self._book.create_sheet(SUMMARY_SHEET)
        self._answers = self._book.create_sheet(ANSWERS_SHEET)
        self._streamed_sheets: list[tuple[WriteOnlyWorksheet, StreamedRows]] = []
        self._start_answers()

    # --- «Отчет» ----------------------------------------------------------------------------

    def write_report(self, title: str, lines: Iterable[ReportLine]) -> None:
        sheet = self._report
        _widths(sheet, REPORT_WIDTHS)
        _landscape_a4(sheet)
        header = list(table_2(self._as_of))
        # Write-only sheets take their view settings before the first row.
        sheet.freeze_panes = "A4"
        sheet.print_title_rows = "2:3"  # the header again on every printed page
        sheet.row_dimensions[1].height = fitted_height([title], [sum(REPORT_WIDTHS)])
        sheet.append([_cell(sheet, title, font=_BOLD)])
        sheet.merged_cells.add("A1:F1")
        sheet.row_dimensions[2].height = fitted_height(header, REPORT_WIDTHS)
        sheet.append([_cell(sheet, text, font=_BOLD, border=True) for text in header])
        sheet.append([_cell(sheet, str(n), border=True) for n in range(1, 7)])
        row = 3
        for line in lines:
            row += 1
            if line.section is not None:
                sheet.row_dimensions[row].height = fitted_height(
                    [line.section], [sum(REPORT_WIDTHS)]
                )
                sheet.append([_cell(sheet, line.section, font=_BOLD, border=True)])
                sheet.merged_cells.add(f"A{row}:F{row}")
                continue
            values = (
                line.number,
                line.deadline_text,
                line.title,
                line.responsible,
                line.planned_result,
                line.actual,
            )
            # Write-only rows take their height before they are written.
            sheet.row_dimensions[row].height = fitted_height(values, REPORT_WIDTHS)
            sheet.append([_cell(sheet, value, border=True) for value in values])

    # --- «Свод» -----------------------------------------------------------------------------

    def write_summary(self, grid: SummaryGrid) -> None:
        sheet = self._summary
        totals = [self._names.get(s.value, s.value) for s in WORST_FIRST]
        header = ["Организация", *grid.measures, *totals, "В срок, %"]
        _widths(sheet, (40, *([9] * len(grid.measures)), *([12] * len(totals)), 10))
        sheet.freeze_panes = "B2"
        sheet.row_dimensions[1].height = fitted_height(
            header, (40, *([9] * len(grid.measures)), *([12] * len(totals)), 10)
        )
        sheet.append([_cell(sheet, text, font=_BOLD, border=True) for text in header])
        # A region is 1,000 organisations × 100 measures: the grid is streamed like the answers.
        plain = _cell(sheet, "", border=True).style_id
        coloured = {
            standing: _cell(sheet, "", border=True, fill=_FILLS[standing]).style_id
            for standing in FILLS
        }
        words = {standing: self._names.get(standing.value, standing.value) for standing in FILLS}
        widths = (40, *([9] * len(grid.measures)), *([12] * len(totals)), 10)
        rows = StreamedRows(2, {}, widths=widths)
        for organisation, cells in grid.rows.items():
            row: list[Value] = [Styled(_plain(organisation), plain)]
            for measure in grid.measures:
                standing = cells.get(measure)
                row.append(
                    Styled("", plain)
                    if standing is None
                    else Styled(words[standing], coloured[standing])
                )
            row.extend(sum(1 for s in cells.values() if s is what) for what in WORST_FIRST)
            share = grid.on_time.get(organisation)
            row.append(round(share * 100) if share is not None else None)
            rows.append(row)
        self._streamed_sheets.append((sheet, rows))

    # --- «Показатели» ------------------------------------------------------------------------

    def write_indicators(
        self, values: Iterable[SheetValue], figures: Iterable[SheetFigure]
    ) -> None:
        """The municipal values and every school's figures, after «Отчет» (only when the
        roadmap has indicators)."""
        sheet = self._book.create_sheet(INDICATORS_SHEET, 1)
        write_indicator_sheet(sheet, values, figures)

    # --- «Ответы» ---------------------------------------------------------------------------

    def _start_answers(self) -> None:
        sheet = self._answers
        _widths(sheet, ANSWER_WIDTHS)
        sheet.freeze_panes = "A2"
        header = [
            "Когда",
            "Кто",
            "Организация",
            "№",
            "Мероприятие",
            "Срок",
            "Статус",
            "Что сделано",
            "Ссылка",
            "Файл-подтверждение",
            "Решение",
            "Комментарий координатора",
            "Версия",
        ]
        sheet.row_dimensions[1].height = fitted_height(header, ANSWER_WIDTHS)
        sheet.append([_cell(sheet, text, font=_BOLD) for text in header])
        wrap = _cell(sheet, "").style_id
        self._streamed = StreamedRows(
            2, date_style_ids(sheet), widths=ANSWER_WIDTHS, wrap_style=wrap
        )
        self._streamed_sheets.append((sheet, self._streamed))

    def add_answers(self, rows: Iterable[AnswerRow]) -> None:
        streamed, names = self._streamed, self._names
        for row in rows:
            streamed.append(
                [
                    row.created_at.replace(tzinfo=None),  # Excel has no time zones
                    _plain(row.author),
                    _plain(row.organisation),
                    _plain(row.measure_number),
                    _plain(row.measure_title),
                    row.due_on,
                    names.get(row.status, row.status),
                    _plain(row.text),
                    _plain(row.link or ""),
                    _plain(row.evidence_file or ""),
                    names.get(row.review, row.review),
                    _plain(row.review_comment or ""),
                    row.version,
                ]
            )

    def save(self, target: str | Path | IO[bytes]) -> None:
        last = self._streamed.count + 1
        self._answers.auto_filter.ref = f"A1:{get_column_letter(len(ANSWER_WIDTHS))}{last}"
        save_streamed(self._book, self._streamed_sheets, target)


def _cell(
    sheet: WriteOnlyWorksheet,
    value: str,
    *,
    font: Font | None = None,
    border: bool = False,
    fill: PatternFill | None = None,
) -> WriteOnlyCell:
    """A styled text cell for the small, openpyxl-written parts (titles, headers, «Отчет»)."""
    cell = WriteOnlyCell(sheet, _plain(value))
    cell.data_type = "s"
    cell.alignment = _WRAP
    if font is not None:
        cell.font = font
    if border:
        cell.border = _BORDER
    if fill is not None:
        cell.fill = fill
    return cell


def _widths(sheet: WriteOnlyWorksheet | Worksheet, widths: Iterable[float]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _landscape_a4(sheet: WriteOnlyWorksheet) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as needed
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
