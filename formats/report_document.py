"""The implementation report as a Word document ready to sign: title, approving order, a short
summary, «Таблица 2» in the official columns, the signature block. Landscape A4, the table's
header repeated on every page, page numbers in the footer.

User text (measure titles, answers) goes into runs as text: python-docx escapes it, and nothing
in it is read as a field, a formula or markup.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from domain.progress.export import ReportLine, actual_result
from formats.indicator_table import Table1, add_table1

# №, deadline, measure, responsible, planned result, actual result: widths in cm on landscape A4
COLUMN_WIDTHS = (1.3, 3.0, 7.0, 4.0, 4.5, 7.9)


@dataclass(frozen=True, slots=True)
class ReportDocumentTexts:
    """Everything the document says besides the table's content, already in the reader's
    language and filled in."""

    heading: str  # «ОТЧЕТ»
    subject: str  # «о реализации: Дорожная карта … за 2026 год (по состоянию на 20.04.2026)»
    approval: str | None  # «Утверждена приказом № 61 от 20.02.2026»
    summary_heading: str
    summary: str  # sentences with the figures
    table_caption: str  # «Таблица 2»
    columns: Sequence[str]
    position: str  # the signer's position, or a line to fill in by hand
    name: str
    signed_on: str  # «20.04.2026»
    page: str  # «Страница»


def report_document(
    texts: ReportDocumentTexts,
    lines: Iterable[ReportLine],
    answer_names: Mapping[str, str],
    table1: Table1 | None = None,
) -> bytes:
    """``table1``: the target indicators, printed before the measures' «Таблица 2»."""
    document = docx.Document()
    _landscape_a4(document)
    _styles(document)
    _centered(document.add_paragraph(), texts.heading, bold=True, size=14)
    _centered(document.add_paragraph(), texts.subject, bold=True)
    if texts.approval:
        _centered(document.add_paragraph(), texts.approval)
    document.add_paragraph()
    heading = document.add_paragraph()
    heading.add_run(texts.summary_heading).bold = True
    summary = document.add_paragraph(texts.summary)
    summary.paragraph_format.first_line_indent = Cm(1.25)
    summary.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if table1 is not None:
        add_table1(document, table1)
    caption = document.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    caption.add_run(texts.table_caption)
    _table(document, texts.columns, lines, answer_names)
    _signature(document, texts)
    _page_numbers(document, texts.page)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _landscape_a4(document: docx.document.Document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(1.5)
    section.top_margin = section.bottom_margin = Cm(1.5)


def _styles(document: docx.document.Document) -> None:
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)
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


def _table(
    document: docx.document.Document,
    columns: Sequence[str],
    lines: Iterable[ReportLine],
    answer_names: Mapping[str, str],
) -> None:
    table = document.add_table(rows=2, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, (cell, text) in enumerate(zip(table.rows[0].cells, columns, strict=True)):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
        table.rows[1].cells[index].text = str(index + 1)
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
            actual_result(line, answer_names),
        )
        for cell, value in zip(cells, values, strict=True):
            cell.text = value  # line breaks become <w:br/>, the rest is plain text
    _widths(table)


def _repeat_as_header(tr: object) -> None:
    """Word repeats rows marked w:tblHeader at the top of every page the table continues on."""
    properties = tr.get_or_add_trPr()  # type: ignore[attr-defined]
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)


def _widths(table: Table) -> None:
    table.autofit = False
    for column, width in zip(table.columns, COLUMN_WIDTHS, strict=False):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)


def _signature(document: docx.document.Document, texts: ReportDocumentTexts) -> None:
    document.add_paragraph()
    block = document.add_table(rows=2, cols=3)
    block.autofit = False
    for column, width in zip(block.columns, (12.0, 6.0, 8.7), strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)
    block.cell(0, 0).text = texts.position
    block.cell(0, 1).text = "_______________"
    block.cell(0, 2).text = texts.name
    block.cell(1, 0).text = texts.signed_on


def _page_numbers(document: docx.document.Document, word: str) -> None:
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
