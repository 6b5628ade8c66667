"""The implementation report as a Word document ready to sign, in the official layout (seed
004): the issuing body, the «Утверждено» grif, the title, «Пояснительная записка», the summary,
«Таблица 2» in the official columns, «Выводы и предложения», the signature. Landscape A4, the
table's header repeated on every page, page numbers in the footer.

The document is a list of section builders (``sections``), each a small function that appends
its part: «Таблица 1» (target indicators) is one more builder put before ``table_2``.

User text (measure titles, answers) goes into runs as text: python-docx escapes it, and nothing
in it is read as a field, a formula or markup.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from domain.progress.export import ReportLine

# №, period, measure, responsible, planned result, actual result. Together they fill landscape
# A4 between the margins (29.7 − 2.0 − 1.0 = 26.7 cm). Each text column gets at least its least
# width (wide enough that a long Russian word never stands alone on a line), and the rest of the
# page in proportion to how much text it holds: the longest column is the widest, so no column
# makes its rows tall while another stays half empty.
TABLE_WIDTH = 26.7
LEAST_WIDTHS = (1.3, 2.9, 4.2, 4.0, 4.0, 4.0)
COLUMN_WIDTHS = (1.3, 2.9, 6.2, 4.8, 5.5, 6.0)  # for a table with no rows yet
TABLE_FONT = 10
WIDTH_STEP = 0.1
LETTER_CM = 0.17  # an average Cyrillic letter of 10 pt Times New Roman, with its share of spaces
CELL_MARGINS_CM = 0.4

Builder = Callable[[Document], None]


@dataclass(frozen=True, slots=True)
class ReportDocumentTexts:
    """Everything the document says besides the table's content, already in the reader's
    language and filled in. Empty strings leave their part out."""

    issuer: str  # «Управление образованием Усть-Кутского муниципального образования»
    grif: Sequence[str]  # «Утверждено» / «приказом Управления …» / «№ 61 от 20.02.2026»
    heading: str  # «Отчет»
    subject: str  # «о ходе реализации дорожной карты … за период с 01.01.2026 по 20.04.2026»
    explanatory_heading: str
    explanatory: str  # typed by the coordinator, or empty
    summary_heading: str
    summary: str  # sentences with the figures
    table_caption: str  # «Таблица 2»
    columns: Sequence[str]
    conclusions_heading: str
    conclusions: str  # typed by the coordinator, or empty
    position: str  # the signer's position, or a line to fill in by hand
    name: str  # «А.М. Антипина»
    signed_on: str  # «20.04.2026»
    page: str  # «Страница»


def sections(texts: ReportDocumentTexts, lines: Iterable[ReportLine]) -> list[Builder]:
    """The document's parts in order; insert «Таблица 1» before ``table_2``'s place."""
    rows = list(lines)
    return [
        lambda document: issuer(document, texts),
        lambda document: grif(document, texts),
        lambda document: title(document, texts),
        lambda document: typed_section(document, texts.explanatory_heading, texts.explanatory),
        lambda document: summary(document, texts),
        lambda document: table_2(document, texts, rows),
        lambda document: typed_section(document, texts.conclusions_heading, texts.conclusions),
        lambda document: signature(document, texts),
    ]


TABLE_2_PLACE = 5  # the index of ``table_2`` in ``sections``


def report_document(
    texts: ReportDocumentTexts,
    lines: Iterable[ReportLine],
    before_table_2: Sequence[Builder] = (),
) -> bytes:
    parts = sections(texts, lines)
    parts[TABLE_2_PLACE:TABLE_2_PLACE] = before_table_2
    document = docx.Document()
    _landscape_a4(document)
    _styles(document)
    for build in parts:
        build(document)
    _page_numbers(document, texts.page)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- the parts --------------------------------------------------------------------------------


def issuer(document: Document, texts: ReportDocumentTexts) -> None:
    if texts.issuer:
        _centered(document.add_paragraph(), texts.issuer, bold=True)


def grif(document: Document, texts: ReportDocumentTexts) -> None:
    """«Утверждено» on the right, one line each, as the form prints it."""
    for line in texts.grif:
        paragraph = document.add_paragraph(line)
        paragraph.paragraph_format.left_indent = Cm(18.5)
        paragraph.paragraph_format.space_after = Pt(0)


def title(document: Document, texts: ReportDocumentTexts) -> None:
    document.add_paragraph().paragraph_format.space_after = Pt(0)
    heading = document.add_paragraph()
    _centered(heading, texts.heading, bold=True, size=14)
    heading.paragraph_format.space_after = Pt(0)
    _centered(document.add_paragraph(), texts.subject, bold=True)


def typed_section(document: Document, heading: str, text: str) -> None:
    """A section the coordinator typed; left out when she typed nothing."""
    if not text.strip():
        return
    _centered(document.add_paragraph(), heading, bold=True)
    for block in text.strip().split("\n"):
        if block.strip():
            _justified(document.add_paragraph(block.strip()))


def summary(document: Document, texts: ReportDocumentTexts) -> None:
    heading = document.add_paragraph()
    heading.add_run(texts.summary_heading).bold = True
    heading.paragraph_format.keep_with_next = True
    _justified(document.add_paragraph(texts.summary))


def table_2(document: Document, texts: ReportDocumentTexts, lines: Sequence[ReportLine]) -> None:
    caption = document.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    caption.paragraph_format.keep_with_next = True
    caption.add_run(texts.table_caption)
    _table(document, texts.columns, lines)


def signature(document: Document, texts: ReportDocumentTexts) -> None:
    # What comes before (the conclusions' last line, or the table's last row, see ``_table``)
    # goes with the signature, so it never stands alone on a page of its own.
    last = document.element.body[-2] if len(document.element.body) > 1 else None
    if last is not None and last.tag == qn("w:p"):
        Paragraph(last, document).paragraph_format.keep_with_next = True
    document.add_paragraph().paragraph_format.keep_with_next = True
    block = document.add_table(rows=2, cols=3)
    block.autofit = False
    for column, width in zip(block.columns, (13.0, 5.0, 8.7), strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)
    block.cell(0, 0).text = texts.position
    block.cell(0, 1).text = "_______________"
    block.cell(0, 2).text = texts.name
    block.cell(0, 2).paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    block.cell(1, 0).text = texts.signed_on
    _kept_together(block)


def _kept_together(table: Table) -> None:
    """A small table printed whole on one page: no row split, each row kept with the next
    (Word and LibreOffice keep rows together through their paragraphs' «keep with next»).
    Otherwise a page could end between the signer's position and the date."""
    for index, row in enumerate(table.rows):
        properties = row._tr.get_or_add_trPr()
        cant_split = OxmlElement("w:cantSplit")
        cant_split.set(qn("w:val"), "true")
        properties.append(cant_split)
        if index < len(table.rows) - 1:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True


# --- layout helpers ---------------------------------------------------------------------------


def _landscape_a4(document: Document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.left_margin, section.right_margin = Cm(2.0), Cm(1.0)
    section.top_margin = section.bottom_margin = Cm(1.5)


def _styles(document: Document) -> None:
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)
    normal.paragraph_format.space_after = Pt(0)
    # Cyrillic text takes the East Asian / complex-script font slots in some Word versions.
    fonts = normal.element.rPr.get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), "Times New Roman")


def _centered(paragraph: Paragraph, text: str, *, bold: bool = False, size: int = 0) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)


def _justified(paragraph: Paragraph) -> None:
    paragraph.paragraph_format.first_line_indent = Cm(1.25)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY


def column_widths(lines: Sequence[ReportLine]) -> tuple[float, ...]:
    """Widths in cm: each text column its least, then the rest of the page a step at a time to
    whichever column shortens the table most (a row is as tall as its longest cell)."""
    rows = [
        (line.title, line.responsible, line.planned_result, line.actual)
        for line in lines
        if line.section is None
    ]
    if not rows:
        return COLUMN_WIDTHS
    widths = list(LEAST_WIDTHS[2:])
    steps = round((TABLE_WIDTH - sum(LEAST_WIDTHS)) / WIDTH_STEP)
    for _step in range(steps):
        best = min(
            range(len(widths)),
            key=lambda index: _table_lines(
                rows, [w + (WIDTH_STEP if i == index else 0) for i, w in enumerate(widths)]
            ),
        )
        widths[best] += WIDTH_STEP
    return (*LEAST_WIDTHS[:2], *widths)


def _table_lines(rows: Sequence[Sequence[str]], widths: Sequence[float]) -> float:
    """The table's height in lines with these widths: an estimate, letters of an average width,
    each paragraph at least a line; fractional, so that every step of width counts."""
    return sum(
        max(
            sum(
                max(len(part) * LETTER_CM / max(width - CELL_MARGINS_CM, 0.5), 1.0)
                for part in text.split("\n")
            )
            for text, width in zip(row, widths, strict=True)
        )
        for row in rows
    )


def _table(document: Document, columns: Sequence[str], lines: Sequence[ReportLine]) -> None:
    table = document.add_table(rows=2, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, (cell, text) in enumerate(zip(table.rows[0].cells, columns, strict=True)):
        cell.text = ""
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        cell.paragraphs[0].add_run(text).bold = True
        table.rows[1].cells[index].text = str(index + 1)
        table.rows[1].cells[index].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for row in table.rows[:2]:
        _repeat_as_header(row._tr)
    for line in lines:
        cells = table.add_row().cells
        if line.section is not None:
            merged = cells[0].merge(cells[-1])
            merged.text = ""
            merged.paragraphs[0].add_run(line.section).bold = True
            continue
        values = (
            line.number,
            line.deadline_text,
            line.title,
            line.responsible,
            line.planned_result,
            line.actual,
        )
        for cell, value in zip(cells, values, strict=True):
            cell.text = value  # line breaks become <w:br/>, the rest is plain text
    _widths(table, column_widths(lines))
    _font_size(table, TABLE_FONT)
    # The table's last row goes with what follows: the signature never stands alone on a page.
    for cell in table.rows[-1].cells:
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True


def _repeat_as_header(tr: object) -> None:
    """Word repeats rows marked w:tblHeader at the top of every page the table continues on."""
    properties = tr.get_or_add_trPr()  # type: ignore[attr-defined]
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)


def _widths(table: Table, widths: Sequence[float]) -> None:
    """Fixed widths, written in the grid as well as on each cell: LibreOffice and Р7 read the
    grid, Word the cells."""
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for column, width in zip(table.columns, widths, strict=False):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)


def _font_size(table: Table, size: int) -> None:
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(size)


def _page_numbers(document: Document, word: str) -> None:
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run(f"{word} ")
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        run = paragraph.add_run()
        if kind is not None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
