"""A spreadsheet measured before any parser opens it: its XML's unpacked size, and the rows and
cells of every sheet counted by streaming the sheet XML, stopping at the first limit passed.

openpyxl builds a Python object per cell and learns a sheet's size only once it has loaded it
all: a 2 MB .xlsx can unpack to 169 MB of XML and 9 million cells (minutes and gigabytes). This
reads each sheet in chunks with byte patterns, so refusing such a file costs a few
milliseconds and a few megabytes, whatever it would unpack to.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from typing import IO

CHUNK = 1 << 20
# Tags with an optional namespace prefix (<x:c ...>, as some writers save them).
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_ROW_NUMBER = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:row|c)\s[^>]*?\br=\"[A-Z]{0,3}(\d{1,9})\"")
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_MERGED = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*?\bref=\"([A-Z]{1,3})(\d{1,9}):([A-Z]{1,3})(\d{1,9})\""
)
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_RELATIONSHIP = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?Relationship\s[^>]*>")
_TYPE = re.compile(rb"\bType=[\"']([^\"']*)[\"']")
_TARGET = re.compile(rb"\bTarget=[\"']([^\"']*)[\"']")
RELS_BYTES = 1 << 20


@dataclass(frozen=True, slots=True)
class SheetLimits:
    """What a workbook may hold before it is parsed."""

    xml_bytes: int  # the package's XML, unpacked, all parts together
    cells: int  # cells written in the sheets (filled or formatted), all sheets together
    rows: int  # the highest row number on any sheet
    merged_cells: int  # cells covered by merged ranges (openpyxl makes an object for each)


# A school's answer to a form: 10,000 rows at most are taken (answer_check.MAX_FORM_ROWS), under
# a header within the first rows.
FORM_LIMITS = SheetLimits(xml_bytes=40 << 20, cells=200_000, rows=10_100, merged_cells=50_000)
# A roadmap or a list of schools: 20,000 rows of 40 columns are read at most
# (formats.spreadsheet), and a real roadmap has a few thousand rows.
DOCUMENT_LIMITS = SheetLimits(xml_bytes=60 << 20, cells=400_000, rows=20_000, merged_cells=200_000)


class SheetTooLargeError(ValueError):
    """The workbook is beyond a limit; ``what`` names it (xml_bytes, cells, rows, merged_cells)."""

    def __init__(self, what: str, limit: int) -> None:
        super().__init__(f"{what} over {limit}")
        self.what = what
        self.limit = limit


def measure_workbook(data: bytes, limits: SheetLimits) -> None:
    """Raise ``SheetTooLargeError`` when the .xlsx package in ``data`` passes a limit.

    The package is assumed to have passed ``formats.safety.check_file`` (a zip, not damaged).
    Declared sizes are trusted for the total: zipfile stops at the declared size and fails the
    CRC when a part holds more, so a part cannot unpack beyond what it declares."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        entries = package.infolist()
        sheets = _sheet_parts(package, entries, limits)
        # Parsed parts count whatever their names: a sheet renamed «sheet1.bin» (its
        # relationship renamed with it) is still opened by openpyxl, which follows the
        # relationship, not the suffix.
        parsed = sum(
            e.file_size
            for e in entries
            if e.filename.lower().endswith(_XML_SUFFIXES) or e.filename in sheets
        )
        if parsed > limits.xml_bytes:
            raise SheetTooLargeError("xml_bytes", limits.xml_bytes)
        counter = _Counter(limits)
        for entry in entries:
            if entry.filename in sheets:
                with package.open(entry) as sheet:
                    counter.read(sheet)


def _sheet_parts(
    package: zipfile.ZipFile, entries: list[zipfile.ZipInfo], limits: SheetLimits
) -> set[str]:
    """Every part a reader would open as a sheet: those under ``xl/worksheets/``, and every
    part that any relationship names as a worksheet, wherever it is and whatever its name."""
    names = {e.filename for e in entries}
    sheets = {n for n in names if n.lower().startswith("xl/worksheets/") and "/_rels/" not in n}
    for entry in entries:
        name = entry.filename
        if not name.lower().endswith(".rels"):
            continue
        if entry.file_size > RELS_BYTES:  # relationships are a few lines; more is no workbook
            raise SheetTooLargeError("xml_bytes", limits.xml_bytes)
        source_dir = posixpath.dirname(posixpath.dirname(name))  # «xl/_rels/x.rels» → «xl»
        for tag in _RELATIONSHIP.findall(package.read(entry)):
            kind, target = _TYPE.search(tag), _TARGET.search(tag)
            if kind is None or target is None or not kind.group(1).endswith(b"/worksheet"):
                continue
            path = target.group(1).decode("utf-8", "replace")
            resolved = (
                path.lstrip("/") if path.startswith("/") else posixpath.join(source_dir, path)
            )
            resolved = posixpath.normpath(resolved)
            if resolved in names:
                sheets.add(resolved)
    return sheets


class _Counter:
    def __init__(self, limits: SheetLimits) -> None:
        self._limits = limits
        self.cells = 0
        self.merged = 0
        self._rows = 0  # rows of the sheet being read (a row may leave out its number)

    def read(self, sheet: IO[bytes]) -> None:
        self._rows = 0
        carry = b""
        while chunk := sheet.read(CHUNK):
            buffer = carry + chunk
            # Cut before the last «<» so that no tag is split between two chunks.
            cut = buffer.rfind(b"<")
            if cut <= 0 or len(buffer) - cut > CHUNK:
                cut = len(buffer)
            self._count(buffer[:cut])
            carry = buffer[cut:]
        self._count(carry)

    def _count(self, xml: bytes) -> None:
        limits = self._limits
        self.cells += len(_CELL.findall(xml))
        if self.cells > limits.cells:
            raise SheetTooLargeError("cells", limits.cells)
        self._rows += len(_ROW.findall(xml))
        if self._rows > limits.rows:
            raise SheetTooLargeError("rows", limits.rows)
        for number in _ROW_NUMBER.findall(xml):
            if int(number) > limits.rows:
                raise SheetTooLargeError("rows", limits.rows)
        for first_column, first_row, last_column, last_row in _MERGED.findall(xml):
            if int(last_row) > limits.rows:
                raise SheetTooLargeError("rows", limits.rows)
            width = _column(last_column) - _column(first_column) + 1
            self.merged += max(width, 1) * max(int(last_row) - int(first_row) + 1, 1)
            if self.merged > limits.merged_cells:
                raise SheetTooLargeError("merged_cells", limits.merged_cells)


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number
