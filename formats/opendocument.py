"""OpenDocument roadmaps (.odt from LibreOffice Writer or МойОфис, .ods from Calc), read with odfdo
into the same text tables as Word and Excel files.

Spanned cells repeat their text over the cells they cover, as Word files are read; repeated
rows and columns (how Calc stores a million empty rows) are capped, not expanded.
"""

from __future__ import annotations

import io

from odfdo import Document, Element

from domain.roadmap.draft import ImportProblemError, ProblemCode, SourceDocument, SourceRow
from formats.spreadsheet import MAX_COLUMNS, MAX_ROWS, sheets_document

_ROW_GROUPS = {
    "table:table-header-rows",
    "table:table-rows",
    "table:table-row-group",
}
_CELLS = {"table:table-cell", "table:covered-table-cell"}
_CONTAINERS = {"text:section", "text:list", "text:list-item", "text:list-header"}


def read_odt(data: bytes) -> SourceDocument:
    body = _body(data)
    paragraphs: list[str] = []
    tables: list[tuple[SourceRow, ...]] = []
    _walk(body, paragraphs, tables)
    return SourceDocument(tuple(paragraphs), tuple(tables))


def read_ods(data: bytes) -> SourceDocument:
    body = _body(data)
    grids = [
        [row.cells for row in _table_rows(sheet)]
        for sheet in body.children
        if sheet.tag == "table:table"
    ]
    return sheets_document(grids)


def _body(data: bytes) -> Element:
    """The document body; odfdo parses the XML lazily, so a damaged part fails here too."""
    try:
        return Document(io.BytesIO(data)).body
    except Exception as error:  # odfdo and lxml raise many kinds on damaged packages
        raise ImportProblemError(ProblemCode.CORRUPT, type(error).__name__) from None


def _walk(element: Element, paragraphs: list[str], tables: list[tuple[SourceRow, ...]]) -> None:
    for child in element.children:
        tag = child.tag
        if tag in ("text:p", "text:h"):
            text = child.text_recursive
            if text.strip():
                paragraphs.append(text)
        elif tag == "table:table":
            tables.append(tuple(_table_rows(child)))
        elif tag in _CONTAINERS:
            _walk(child, paragraphs, tables)


def _table_rows(table: Element) -> list[SourceRow]:
    rows: list[SourceRow] = []
    covered: dict[tuple[int, int], str] = {}  # (row, column) -> text of the cell spanning it
    for row in _row_elements(table):
        repeat = row.get_attribute_integer("table:number-rows-repeated") or 1
        cells, auto_number = _cells(row, len(rows), covered)
        if not any(cells):
            repeat = 1  # Calc's trailing empty rows, stored as one row repeated a million times
        for _ in range(min(repeat, MAX_ROWS - len(rows))):
            rows.append(SourceRow(tuple(cells), auto_number=auto_number))
        if len(rows) >= MAX_ROWS:
            break
    return _trim(rows)


def _row_elements(table: Element) -> list[Element]:
    found: list[Element] = []
    for child in table.children:
        if child.tag == "table:table-row":
            found.append(child)
        elif child.tag in _ROW_GROUPS:
            found.extend(_row_elements(child))
    return found


def _cells(
    row: Element, row_index: int, covered: dict[tuple[int, int], str]
) -> tuple[list[str], bool]:
    cells: list[str] = []
    auto_number = False
    for cell in row.children:
        if cell.tag not in _CELLS or len(cells) >= MAX_COLUMNS:
            continue
        repeat = min(cell.get_attribute_integer("table:number-columns-repeated") or 1, MAX_COLUMNS)
        column = len(cells)
        if cell.tag == "table:covered-table-cell":
            text = covered.get((row_index, column), "")
        else:
            text = "\n".join(
                paragraph.text_recursive
                for paragraph in cell.get_elements("descendant::text:p|descendant::text:h")
            ).strip()
            if column == 0:
                # Numbered by the list the cell holds: the number is not in the text.
                auto_number = bool(cell.get_elements("descendant::text:list"))
            across = cell.get_attribute_integer("table:number-columns-spanned") or 1
            down = cell.get_attribute_integer("table:number-rows-spanned") or 1
            for r in range(min(down, MAX_ROWS)):
                for c in range(min(across, MAX_COLUMNS)):
                    if r or c:
                        covered[(row_index + r, column + c)] = text
        cells.extend([text] * min(repeat, MAX_COLUMNS - column))
    return cells, auto_number


def _trim(rows: list[SourceRow]) -> list[SourceRow]:
    """Drop the empty columns Calc repeats to the sheet's edge."""
    width = max(
        (max((i + 1 for i, c in enumerate(r.cells) if c), default=0) for r in rows), default=0
    )
    return [SourceRow(row.cells[:width], row.auto_number) for row in rows]
