"""Fast rows for one big sheet: written straight as worksheet XML, then spliced into the
package openpyxl saved.

openpyxl spends ~110 µs per cell even in write-only mode (a Cell object, then lxml); for the
100,000-answer «Ответы» sheet that is most of an export. This writes each row as text with
inline strings — no shared-string table held in memory — at a few µs per cell. Everything
else (styles, widths, the filter, the other sheets) is still written by openpyxl.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from collections.abc import Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, NamedTuple

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from formats.fitting import fitted_height
from formats.templates import safe_text

EXCEL_CELL_LIMIT = 32_767
DATE_FORMAT = "DD.MM.YYYY"
DATE_TIME_FORMAT = "DD.MM.YYYY HH:MM"
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


class Styled(NamedTuple):
    """Text with a style index of the workbook (from an openpyxl cell's ``style_id``)."""

    text: str
    style: int


Value = str | int | float | date | datetime | Styled | None


class StreamedRows:
    """Rows kept as XML in a temporary file until ``splice`` adds them to a saved package."""

    def __init__(
        self,
        first_row: int,
        date_styles: dict[type, int],
        *,
        widths: Sequence[float] = (),
        wrap_style: int | None = None,
    ) -> None:
        """``date_styles``: the workbook's style index for ``datetime`` and ``date`` cells;
        ``widths``: the columns' widths, to write each row's height (office suites other
        than Excel draw a row at the height the file states); ``wrap_style``: the style of
        plain text cells (wrapped)."""
        self._widths = tuple(widths)
        self._wrap = f' s="{wrap_style}"' if wrap_style is not None else ""
        # Closed by splice(); held open across calls, so no context manager.
        self._file: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
        self._first = self._next = first_row
        self._width = 0
        self._letters: list[str] = []
        self._date_styles = date_styles

    @property
    def count(self) -> int:
        return self._next - self._first

    @property
    def width(self) -> int:
        return self._width

    def append(self, values: Sequence[Value]) -> None:
        if len(self._letters) < len(values):
            self._letters = [get_column_letter(i + 1) for i in range(len(values))]
            self._width = len(values)
        row = self._next
        cells = []
        for index, value in enumerate(values):
            if value is None or value == "":
                continue  # a missing cell is an empty one
            ref = f"{self._letters[index]}{row}"
            if isinstance(value, Styled):
                text = value.text.translate(_ESCAPES)
                cells.append(
                    f'<c r="{ref}" s="{value.style}" t="inlineStr">'
                    f'<is><t xml:space="preserve">{text}</t></is></c>'
                )
            elif isinstance(value, str):
                # Always an inline string: «=1+1» typed by a school is text, never a formula.
                text = value.translate(_ESCAPES)
                cells.append(
                    f'<c r="{ref}"{self._wrap} t="inlineStr">'
                    f'<is><t xml:space="preserve">{text}</t></is></c>'
                )
            elif isinstance(value, date):
                # A date read from a school's form comes back as midnight: it is a date.
                moment = isinstance(value, datetime) and value.time() != time(0)
                style = self._date_styles[datetime if moment else date]
                cells.append(f'<c r="{ref}" s="{style}"><v>{to_excel(value)}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="n"><v>{value}</v></c>')
        height = ""
        if self._widths:
            texts = [v.text if isinstance(v, Styled) else v for v in values]
            points = fitted_height([t if isinstance(t, str) else "" for t in texts], self._widths)
            height = f' ht="{points:g}" customHeight="1"'
        self._file.write(f'<row r="{row}"{height}>{"".join(cells)}</row>')
        self._next += 1

    def write_into(self, sheet_xml: str, out: IO[bytes]) -> None:
        """``sheet_xml`` (as openpyxl saved it) with these rows added after its own."""
        self._file.seek(0)
        head, tail = _split_sheet_data(sheet_xml)
        last = f"{get_column_letter(max(self._width, 1))}{max(self._next - 1, 1)}"
        head = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="A1:{last}"/>', head)
        out.write(head.encode("utf-8"))
        while chunk := self._file.read(1 << 20):
            out.write(chunk.encode("utf-8"))
        out.write(tail.encode("utf-8"))
        self._file.close()


def splice(package: Path, sheets: dict[str, StreamedRows], target: str | Path | IO[bytes]) -> None:
    """Copy ``package`` to ``target``, adding the streamed rows to the sheets named by their
    path in the package (e.g. ``xl/worksheets/sheet3.xml``)."""
    with (
        zipfile.ZipFile(package) as source,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as result,
    ):
        for item in source.infolist():
            rows = sheets.get(item.filename)
            if rows is None:
                result.writestr(item, source.read(item.filename))
                continue
            with result.open(item.filename, "w") as out:
                rows.write_into(source.read(item.filename).decode("utf-8"), out)


def _split_sheet_data(xml: str) -> tuple[str, str]:
    """The sheet XML before and after the point where more rows go."""
    closing = xml.find("</sheetData>")
    if closing >= 0:
        return xml[:closing], xml[closing:]
    empty = re.search(r"<sheetData\s*/>", xml)
    assert empty is not None, "a worksheet always has sheetData"
    return xml[: empty.start()] + "<sheetData>", "</sheetData>" + xml[empty.end() :]


def save_streamed(
    workbook: Workbook,
    streamed: list[tuple[WriteOnlyWorksheet, StreamedRows]],
    target: str | Path | IO[bytes],
) -> None:
    """Save a write-only workbook with each sheet's streamed rows spliced in."""
    with tempfile.TemporaryDirectory(prefix="roadmap-xlsx-") as folder:
        package = Path(folder) / "workbook.xlsx"
        workbook.save(package)
        # A sheet's path in the package is known once openpyxl has saved it.
        paths = {sheet.path.lstrip("/"): rows for sheet, rows in streamed}
        splice(package, paths, target)


def sheet_text(value: str) -> str:
    """A user's text for a sheet (always written as text): control characters dropped,
    Excel's cell limit kept."""
    value = safe_text(value)
    return value if len(value) <= EXCEL_CELL_LIMIT else value[: EXCEL_CELL_LIMIT - 1] + "…"


def date_style_ids(sheet: WriteOnlyWorksheet) -> dict[type, int]:
    """The workbook's style index for dates and date-times, as openpyxl would give them."""
    moment = WriteOnlyCell(sheet, datetime(2026, 1, 1, 9, 0))  # noqa: DTZ001 - Excel has no zones
    day = WriteOnlyCell(sheet, date(2026, 1, 1))
    # As Russian documents write them, in every suite whatever its locale.
    moment.number_format, day.number_format = DATE_TIME_FORMAT, DATE_FORMAT
    return {datetime: moment.style_id, date: day.style_id}
