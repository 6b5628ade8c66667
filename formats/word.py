"""Word (.docx) roadmaps: paragraphs and tables in document order, merged cells as Word shows them.

The table grid is read from the XML, not through python-docx's ``row.cells``: that raises on a
vertical merge with nothing above it and on rows with fewer cells than the grid, which real
documents have. Here a horizontal merge repeats its text in every column it spans, a vertical
merge repeats the text of the cell above (or is empty when there is none), and a short row is
padded with empty cells.
"""

from __future__ import annotations

import io

import docx
from docx.document import Document
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tc
from docx.oxml.text.paragraph import CT_P
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from domain.roadmap.draft import ImportProblemError, ProblemCode, SourceDocument, SourceRow

MAX_TABLE_ROWS = 20_000


def read_docx(data: bytes) -> SourceDocument:
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many kinds on damaged packages
        raise ImportProblemError(ProblemCode.CORRUPT, type(error).__name__) from None
    numbered_styles = _numbered_styles(document)
    paragraphs: list[str] = []
    tables: list[tuple[SourceRow, ...]] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            if block.text.strip():
                paragraphs.append(block.text)
        elif isinstance(block, Table):
            tables.extend(_tables_within(block, numbered_styles))
    return SourceDocument(tuple(paragraphs), tuple(tables))


def _tables_within(table: Table, numbered_styles: frozenset[str]) -> list[tuple[SourceRow, ...]]:
    """The table, then the tables nested in its cells: some documents lay the whole page out in
    a one-cell table with the roadmap inside it."""
    found = [tuple(_rows(table, numbered_styles))]
    for nested in table._tbl.iter(qn("w:tbl")):
        if nested is not table._tbl:
            found.append(tuple(_rows(Table(nested, table._parent), numbered_styles)))
    return found


def _rows(table: Table, numbered_styles: frozenset[str]) -> list[SourceRow]:
    rows: list[SourceRow] = []
    above: list[str] = []  # the text of each grid column in the row above
    for tr in table._tbl.tr_lst[:MAX_TABLE_ROWS]:
        cells: list[str] = [""] * _grid_before(tr)
        auto_number = False
        for position, tc in enumerate(tr.tc_lst):
            column = len(cells)
            if tc.vMerge == "continue":
                text = above[column] if column < len(above) else ""
            else:
                text = _Cell(tc, table).text
                if position == 0:  # the number cell, or the measure when there is none
                    auto_number = _auto_numbered(tc, numbered_styles)
            cells.extend([text] * max(1, _span(tc)))
        above = cells
        rows.append(SourceRow(tuple(cells), auto_number=auto_number))
    return rows


def _grid_before(tr: object) -> int:
    properties = getattr(tr, "trPr", None)
    return int(getattr(properties, "grid_before", 0) or 0) if properties is not None else 0


def _span(tc: CT_Tc) -> int:
    try:
        return int(tc.grid_span)
    except (TypeError, ValueError):  # a damaged gridSpan value
        return 1


def _auto_numbered(tc: CT_Tc, numbered_styles: frozenset[str]) -> bool:
    """The cell's first paragraph is numbered by Word: its own w:numPr, or one it inherits
    from its paragraph style («Нумерованный список»). The number is not in the text."""
    for p in tc.iter(qn("w:p")):
        assert isinstance(p, CT_P)
        properties = p.pPr
        if properties is None:
            return False
        if properties.numPr is not None:
            return _numbering_on(properties.numPr)
        style = properties.pStyle.val if properties.pStyle is not None else None
        return style in numbered_styles
    return False


def _numbering_on(num_pr: object) -> bool:
    num_id = getattr(num_pr, "numId", None)
    return num_id is None or getattr(num_id, "val", 1) != 0  # numId 0 switches numbering off


def _numbered_styles(document: Document) -> frozenset[str]:
    """Paragraph styles that number their paragraphs, directly or through ``basedOn``."""
    styles = document.styles.element
    numbering: dict[str, bool | None] = {}
    based_on: dict[str, str] = {}
    for style in styles.iter(qn("w:style")):
        style_id = style.get(qn("w:styleId"))
        if not style_id:
            continue
        num_pr = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        if num_pr is not None:
            num_id = num_pr.find(qn("w:numId"))
            numbering[style_id] = num_id is None or num_id.get(qn("w:val")) != "0"
        else:
            numbering[style_id] = None
        parent = style.find(qn("w:basedOn"))
        if parent is not None and parent.get(qn("w:val")):
            based_on[style_id] = parent.get(qn("w:val"))

    def numbered(style_id: str, depth: int = 0) -> bool:
        own = numbering.get(style_id)
        if own is not None:
            return own
        parent = based_on.get(style_id)
        return parent is not None and depth < 20 and numbered(parent, depth + 1)

    return frozenset(style_id for style_id in numbering if numbered(style_id))
