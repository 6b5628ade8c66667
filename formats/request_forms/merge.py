"""Every checked answer to a form merged into one workbook: per form sheet, each school's rows
under the template's header with the school first, and the schools that did not answer.

Merging reads the already-checked answers with a small streaming reader of the sheet XML and
writes with ``StreamedRows``: a thousand answers merge in a few seconds.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import iterparse

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from formats.fitting import fitted_height, fitted_widths
from formats.request_forms.template import FormTemplate
from formats.sheet_stream import StreamedRows, Value, date_style_ids, save_streamed
from formats.sheet_stream import sheet_text as _plain

ORGANISATION = "Организация"
ORGANISATION_WIDTH = 45
_WRAP = Alignment(wrap_text=True, vertical="top")
NOT_ANSWERED = "Не ответили"


@dataclass(frozen=True, slots=True)
class Answer:
    organisation: str
    data: bytes


def merge_answers(
    template: FormTemplate,
    answers: Iterable[Answer],
    not_answered: Iterable[str],
    target: str | Path | IO[bytes],
) -> int:
    """One workbook: per form sheet, every school's rows under the template's header with the
    school first; then «Не ответили». Returns the rows merged. Values are copied as values:
    text stays text (never a formula), numbers and dates stay numbers and dates."""
    workbook = openpyxl.Workbook(write_only=True)
    streamed: list[tuple[WriteOnlyWorksheet, StreamedRows]] = []
    for form in template.sheets:
        sheet = workbook.create_sheet(form.title[:31])
        header = [ORGANISATION, *(c.name for c in form.columns)]
        # The school's name is never cut: «МОУ СОШ» beside «2 класс» reads as school № 2.
        widths = [ORGANISATION_WIDTH, *fitted_widths([[name] for name in header[1:]], least=12)]
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.row_dimensions[1].height = fitted_height(header, widths)
        sheet.append([_header_cell(sheet, name) for name in header])
        sheet.freeze_panes = "B2"
        wrap = _text_cell(sheet, "").style_id
        rows = StreamedRows(2, date_style_ids(sheet), widths=widths, wrap_style=wrap)
        streamed.append((sheet, rows))
    merged = 0
    for answer in answers:
        grids = _read_values(answer.data, {form.title for form in template.sheets})
        name = _plain(answer.organisation)
        for form, (_sheet, rows) in zip(template.sheets, streamed, strict=True):
            width = len(form.columns)
            grid = grids.get(form.title)
            if grid is None:
                continue
            for values in grid.items_below(form.header_row, width):
                rows.append([name, *values])
                merged += 1
    for sheet, rows in streamed:
        last_column = get_column_letter(rows.width or 1)
        sheet.auto_filter.ref = f"A1:{last_column}{rows.count + 1}"
    missing = workbook.create_sheet(NOT_ANSWERED)
    missing.column_dimensions["A"].width = ORGANISATION_WIDTH
    missing.append([_header_cell(missing, ORGANISATION)])
    for organisation in not_answered:
        missing.append([_text_cell(missing, organisation)])
    save_streamed(workbook, streamed, target)
    return merged


class _Grid:
    """One sheet's cells by (row, column), from the streaming reader."""

    def __init__(self) -> None:
        self.cells: dict[int, dict[int, Value]] = {}

    def items_below(self, header_row: int, width: int) -> Iterator[list[Value]]:
        for row in sorted(r for r in self.cells if r > header_row):
            values = self.cells[row]
            line = [values.get(column) for column in range(1, width + 1)]
            if any(value not in (None, "") for value in line):
                yield line


_CELL_REF = re.compile(r"([A-Z]+)(\d+)")
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
# Built-in number formats that are dates (ECMA-376 18.8.30), and date-like custom codes.
_DATE_FORMAT_IDS = {14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47}
_DATE_CODE = re.compile(r"(?<![\\\"])[dmyhs]", re.IGNORECASE)


def _read_values(data: bytes, wanted: set[str]) -> dict[str, _Grid]:
    """The wanted sheets' values, by reading the package's XML as a stream."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = set(package.namelist())
        shared = _shared_strings(package) if "xl/sharedStrings.xml" in names else []
        date_styles = _date_style_indexes(package) if "xl/styles.xml" in names else set()
        paths = _sheet_paths(package)
        grids = {}
        for title, path in paths.items():
            if title in wanted and path in names:
                with package.open(path) as stream:
                    grids[title] = _read_sheet(stream, shared, date_styles)
    return grids


def _read_sheet(stream: IO[bytes], shared: list[str], date_styles: set[int]) -> _Grid:
    grid = _Grid()
    for _event, element in iterparse(stream):
        if element.tag != _NS + "c":
            if element.tag == _NS + "row":
                element.clear()
            continue
        match = _CELL_REF.fullmatch(element.get("r", ""))
        if match is None:
            continue
        value = _cell_value(element, shared, date_styles)
        if value is not None:
            column = 0
            for letter in match.group(1):
                column = column * 26 + ord(letter) - 64
            grid.cells.setdefault(int(match.group(2)), {})[column] = value
    return grid


def _cell_value(element: object, shared: list[str], date_styles: set[int]) -> Value:
    kind = element.get("t", "n")  # type: ignore[attr-defined]
    if kind == "inlineStr":
        return _plain("".join(element.itertext()))  # type: ignore[attr-defined]
    raw = element.findtext(_NS + "v")  # type: ignore[attr-defined]
    if not raw:
        # A formula with no value saved (the check refuses those; be safe anyway): its text.
        formula = element.findtext(_NS + "f")  # type: ignore[attr-defined]
        return _plain("=" + formula) if formula else None
    if kind == "s":
        return _plain(shared[int(raw)])
    if kind in ("str", "e"):
        return _plain(raw)
    if kind == "b":
        return "да" if raw == "1" else "нет"
    try:
        number = float(raw)
    except ValueError:
        return _plain(raw)
    if int(element.get("s", "0")) in date_styles:  # type: ignore[attr-defined]
        moment = from_excel(number)
        return moment.date() if isinstance(moment, datetime) and not moment.time() else moment
    return int(number) if number.is_integer() else number


def _shared_strings(package: zipfile.ZipFile) -> list[str]:
    strings = []
    with package.open("xl/sharedStrings.xml") as stream:
        for _event, element in iterparse(stream):
            if element.tag == _NS + "si":
                strings.append("".join(t.text or "" for t in element.iter(_NS + "t")))
                element.clear()
    return strings


def _date_style_indexes(package: zipfile.ZipFile) -> set[int]:
    root_formats: dict[int, str] = {}
    styles: set[int] = set()
    with package.open("xl/styles.xml") as stream:
        in_cell_xfs = False
        index = 0
        for event, element in iterparse(stream, events=("start", "end")):
            if event == "start" and element.tag == _NS + "cellXfs":
                in_cell_xfs = True
            elif event == "end" and element.tag == _NS + "cellXfs":
                in_cell_xfs = False
            elif event == "end" and element.tag == _NS + "numFmt":
                root_formats[int(element.get("numFmtId", "0"))] = element.get("formatCode", "")
            elif event == "end" and element.tag == _NS + "xf" and in_cell_xfs:
                number_format = int(element.get("numFmtId", "0"))
                code = root_formats.get(number_format, "")
                if number_format in _DATE_FORMAT_IDS or _DATE_CODE.search(
                    re.sub(r"\[[^]]*\]|\"[^\"]*\"", "", code)
                ):
                    styles.add(index)
                index += 1
    return styles


def _sheet_paths(package: zipfile.ZipFile) -> dict[str, str]:
    targets = {}
    with package.open("xl/_rels/workbook.xml.rels") as stream:
        for _event, element in iterparse(stream):
            if element.tag.endswith("Relationship"):
                target = element.get("Target", "")
                target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                targets[element.get("Id", "")] = target
    paths = {}
    with package.open("xl/workbook.xml") as stream:
        for _event, element in iterparse(stream):
            if element.tag == _NS + "sheet":
                paths[element.get("name", "")] = targets.get(element.get(_REL_NS + "id", ""), "")
    return paths


def _header_cell(sheet: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
    cell = _text_cell(sheet, text)
    cell.font = Font(bold=True)
    return cell


def _text_cell(sheet: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, _plain(text))
    cell.data_type = "s"  # «=…» typed by a school stays text
    cell.alignment = _WRAP
    return cell


__all__ = [
    "NOT_ANSWERED",
    "ORGANISATION",
    "Answer",
    "merge_answers",
]
