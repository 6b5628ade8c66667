"""Word (.docx) roadmaps: paragraphs and tables in document order, merged cells resolved."""

from __future__ import annotations

import io

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from domain.roadmap.draft import ImportProblemError, ProblemCode, SourceDocument, SourceRow


def read_docx(data: bytes) -> SourceDocument:
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many kinds on damaged packages
        raise ImportProblemError(ProblemCode.CORRUPT, type(error).__name__) from None
    paragraphs: list[str] = []
    tables: list[tuple[SourceRow, ...]] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            if block.text.strip():
                paragraphs.append(block.text)
        elif isinstance(block, Table):
            tables.append(tuple(_rows(block)))
    return SourceDocument(tuple(paragraphs), tuple(tables))


def _rows(table: Table) -> list[SourceRow]:
    rows = []
    for row in table.rows:
        # row.cells repeats a horizontally merged cell in every column it spans and gives the
        # top cell for each row of a vertical merge - a rectangular grid, as a reader sees it.
        cells = row.cells
        texts = tuple(cell.text for cell in cells)
        rows.append(
            SourceRow(texts, auto_number=bool(cells) and _auto_numbered(cells[0].paragraphs))
        )
    return rows


def _auto_numbered(paragraphs: list[Paragraph]) -> bool:
    """An empty number cell whose paragraph uses Word's list numbering (w:numPr)."""
    for paragraph in paragraphs:
        properties = paragraph._p.pPr
        if properties is not None and properties.numPr is not None and not paragraph.text.strip():
            return True
    return False
