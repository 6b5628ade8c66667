"""Excel (.xlsx) roadmaps: every sheet is a table; merged cells take their top-left value."""

from __future__ import annotations

import io
import warnings

import openpyxl

from domain.roadmap.draft import ImportProblemError, ProblemCode, SourceDocument, SourceRow
from domain.roadmap.recognise import looks_like_header
from formats.sheet_measure import DOCUMENT_LIMITS, SheetTooLargeError, measure_workbook

MAX_ROWS = 20_000
MAX_COLUMNS = 40


def read_xlsx(data: bytes) -> SourceDocument:
    try:
        # Measured before openpyxl loads it all (minutes and gigabytes for a packed bomb).
        measure_workbook(data, DOCUMENT_LIMITS)
    except SheetTooLargeError as too_large:
        raise ImportProblemError(ProblemCode.TOO_BIG_TABLE, too_large.what) from None
    except Exception as error:  # a damaged package: said as such, as openpyxl's errors are
        raise ImportProblemError(ProblemCode.CORRUPT, type(error).__name__) from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it does not know
            workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as error:  # damaged packages raise many kinds of errors
        raise ImportProblemError(ProblemCode.CORRUPT, type(error).__name__) from None
    return sheets_document([_grid(sheet) for sheet in workbook.worksheets])


def sheets_document(grids: list[list[tuple[str, ...]]]) -> SourceDocument:
    """Every sheet is a table; the single-text rows above its header (title, order, approval
    lines) are the document's paragraphs."""
    paragraphs: list[str] = []
    tables: list[tuple[SourceRow, ...]] = []
    for grid in grids:
        for cells in grid:
            if looks_like_header(cells):
                break
            filled = [c for c in cells if c]
            if len(set(filled)) == 1:
                paragraphs.append(filled[0])
        tables.append(tuple(SourceRow(cells) for cells in grid))
    return SourceDocument(tuple(paragraphs), tuple(tables))


def _grid(sheet: object) -> list[tuple[str, ...]]:
    max_row = min(sheet.max_row or 0, MAX_ROWS)  # type: ignore[attr-defined]
    max_column = min(sheet.max_column or 0, MAX_COLUMNS)  # type: ignore[attr-defined]
    values: list[list[str]] = [
        [_text(value) for value in row]
        for row in sheet.iter_rows(  # type: ignore[attr-defined]
            min_row=1, max_row=max_row, max_col=max_column, values_only=True
        )
    ]
    for merged in sheet.merged_cells.ranges:  # type: ignore[attr-defined]
        top = values[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= max_row else ""
        for row in range(merged.min_row, min(merged.max_row, max_row) + 1):
            for column in range(merged.min_col, min(merged.max_col, max_column) + 1):
                values[row - 1][column - 1] = top
    return [tuple(row) for row in values]


def _text(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d.%m.%Y")  # type: ignore[no-any-return]
    return str(value).strip()
