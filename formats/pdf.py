"""PDF roadmaps with a text layer: the ruled tables and the text around them, as the same grid.

pdfplumber (over pdfminer.six) finds a table by its ruling lines and gives each cell's
characters with their positions; approved roadmaps are printed with every cell ruled. A table
continued on the next page becomes one table again, so the measures keep their sections. A cell's
lines are joined with spaces, except after a hyphen and where a word too long for its narrow column
was visibly broken («Функционал» / «ьная»).

Refused with their own messages: a scan (no text at all), a password, too many pages.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Sequence
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.page import Page

from domain.roadmap.draft import ImportProblemError, ProblemCode, SourceDocument, SourceRow

MAX_PAGES = 200  # the longest seed roadmap prints on about 30 pages
_LIST_MARKER = re.compile(r"^([-–—•]\s|\d+(\.\d+)*\.\s)")  # not «2025 гг.» after «2024-»
_NEVER_FIRST = frozenset("ьъыйЬЪЫЙ")
_MIN_TEXT_CHARACTERS = 20  # fewer on every page: a scan, perhaps with a stamp's digits


def read_pdf(data: bytes) -> SourceDocument:
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise ImportProblemError(ProblemCode.ENCRYPTED_PDF) from None
    except Exception as error:  # pdfminer raises many kinds on damaged files
        if _password_error(error):
            raise ImportProblemError(ProblemCode.ENCRYPTED_PDF) from None
        raise ImportProblemError(ProblemCode.CORRUPT, type(error).__name__) from None
    with pdf:
        try:
            return _read(pdf.pages)
        except ImportProblemError:
            raise
        except (PDFSyntaxError, ValueError, KeyError, TypeError) as error:
            raise ImportProblemError(ProblemCode.CORRUPT, type(error).__name__) from None


def _password_error(error: BaseException) -> bool:
    """pdfplumber wraps pdfminer's password errors in its own since 0.11."""
    cause = error.__cause__ or error.__context__
    return isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError) or (
        type(error).__name__ == "PdfminerException"
        and any(isinstance(arg, PDFPasswordIncorrect | PDFEncryptionError) for arg in error.args)
    )


def _read(pages: Sequence[Page]) -> SourceDocument:
    if len(pages) > MAX_PAGES:
        raise ImportProblemError(ProblemCode.TOO_MANY_PAGES, f"{len(pages)} pages")
    if sum(len(page.chars) for page in pages) < _MIN_TEXT_CHARACTERS:
        raise ImportProblemError(ProblemCode.SCANNED_PDF)
    paragraphs: list[str] = []
    tables: list[list[SourceRow]] = []
    continues = False  # the last table reached the bottom of its page
    for page in pages:
        found = page.find_tables()
        outside = page
        for table in found:
            outside = outside.outside_bbox(table.bbox)
        paragraphs.extend(_paragraphs(outside))
        for position, table in enumerate(found):
            rows = [
                SourceRow(tuple(_cell_text(page, cell) for cell in row.cells)) for row in table.rows
            ]
            if not rows:
                continue
            first_on_page = position == 0 and not _text_above(page, table.bbox[1])
            if continues and first_on_page and len(rows[0].cells) == len(tables[-1][0].cells):
                _continue(tables[-1], _without_repeated_header(rows, tables[-1][0]))
            else:
                tables.append(rows)
        continues = bool(found) and not _text_below(page, found[-1].bbox[3])
    return SourceDocument(tuple(paragraphs), tuple(tuple(table) for table in tables))


def _without_repeated_header(rows: list[SourceRow], header: SourceRow) -> list[SourceRow]:
    """A header printed again at the top of the page is not a row of the table."""
    return rows[1:] if rows[0] == header else rows


def _continue(table: list[SourceRow], rows: list[SourceRow]) -> None:
    """The table's rows from the next page; a row the page break cut in two (the next page
    starts with no number) is one row again, as in the document."""
    if rows and table and not rows[0].cells[0].strip() and table[-1].cells[0].strip():
        table[-1] = SourceRow(
            tuple(
                " ".join(filter(None, pair))
                for pair in zip(table[-1].cells, rows[0].cells, strict=True)
            )
        )
        rows = rows[1:]
    table.extend(rows)


def _text_above(page: Page, top: float) -> bool:
    return any(char["bottom"] <= top for char in page.chars if char["text"].strip())


def _text_below(page: Page, bottom: float) -> bool:
    return any(char["top"] >= bottom for char in page.chars if char["text"].strip())


def _cell_text(page: Page, bbox: tuple[float, float, float, float] | None) -> str:
    """A merged cell has no box of its own: it is empty here, as in Word's own grid."""
    if bbox is None:
        return ""
    x0, top, x1, bottom = bbox

    def inside(obj: dict[str, Any]) -> bool:  # by its centre, as pdfplumber's own extract()
        return bool(
            x0 <= (obj["x0"] + obj["x1"]) / 2 < x1
            and top <= (obj["top"] + obj["bottom"]) / 2 < bottom
        )

    lines = page.filter(inside).extract_text_lines(return_chars=True)
    if not lines:
        return ""
    left_padding = min(line["x0"] for line in lines) - bbox[0]
    right_edge = bbox[2] - max(left_padding, 0)
    text: str = lines[0]["text"].strip()
    for previous, line in itertools.pairwise(lines):
        text += _joiner(previous, line, right_edge) + line["text"].strip()
    return text


def _joiner(previous: dict[str, Any], line: dict[str, Any], right_edge: float) -> str:
    before = previous["text"].rstrip()
    after = line["text"].lstrip()
    if not before or not after:
        return " "
    if before.endswith("-") and len(before) > 1 and before[-2].isalnum() and after[0].isalnum():
        return ""  # «нормативно-» / «правовое», «Усть-» / «Кутского»
    # Geometry alone cannot tell «обеспечение» / «реализации» (a line that happens to end near
    # the edge) from «Функционал» / «ьная»; a Russian word never starts with these letters.
    first = line["chars"][0] if line["chars"] else None
    broken_word = (
        " " not in before
        and before[-1].isalpha()
        and after[0] in _NEVER_FIRST
        and first is not None
        and right_edge - previous["x1"] < first["x1"] - first["x0"]
    )
    return "" if broken_word else " "


def _paragraphs(page: Page) -> list[str]:
    """Lines joined into paragraphs. A new paragraph starts at a first-line indent or a list
    marker («- 3.2.», «4.»), and after a line that stopped although the next line's first word
    would have fitted on it (a word processor wraps only when it does not; this holds for
    centred titles too)."""
    lines = [line for line in page.extract_text_lines(return_chars=True) if line["text"].strip()]
    if not lines:
        return []
    left = min(line["x0"] for line in lines)
    right = max(line["x1"] for line in lines)
    paragraphs: list[str] = []
    current = ""
    previous: dict[str, Any] | None = None
    for line in lines:
        size = line["bottom"] - line["top"]
        text = line["text"].strip()
        indented = line["x0"] - left > size
        starts = (
            (indented and not (previous is not None and previous["x0"] - left > size))
            or _LIST_MARKER.match(text) is not None
            or (
                previous is not None
                and previous["x1"] - previous["x0"] + _first_word_width(line) + size / 2
                < right - left
            )
        )
        if current and starts:
            paragraphs.append(current)
            current = ""
        if current:
            current += "" if current.endswith("-") and current[-2:-1].isalnum() else " "
        current += text
        previous = line
    if current:
        paragraphs.append(current)
    return paragraphs


def _first_word_width(line: dict[str, Any]) -> float:
    """PDFs often draw no space characters: a word ends where the next letter stands apart."""
    chars = [char for char in line["chars"] if char["text"].strip()]
    if not chars:
        return 0.0
    end = chars[0]
    for char in chars[1:]:
        if char["x0"] - end["x1"] > 0.15 * (char["bottom"] - char["top"]):
            break
        end = char
    return float(end["x1"] - chars[0]["x0"])
