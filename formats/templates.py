"""Spreadsheets the bot hands out: a roadmap template, the schools list, the invitation links."""

from __future__ import annotations

import io
import re

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from formats.fitting import fitted_height

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

ROADMAP_HEADER = (
    "№ п/п",
    "Мероприятие",
    "Срок реализации",
    "Ответственные исполнители",
    "Планируемый результат",
    "Контроль выполнения",
)
PEOPLE_HEADER = (
    "Образовательная организация",
    "ФИО руководителя",
    "Должность",
    "Электронная почта",
    "Телефон",
    "ШНОР (да/нет)",
)


def safe_text(value: str) -> str:
    """openpyxl refuses control characters; strip them."""
    return _CONTROL.sub("", value)


def write_text(sheet: Worksheet, row: int, column: int, value: str) -> None:
    """A string stays a string: «=HYPERLINK(...)» typed by a school must not become a formula."""
    cell = sheet.cell(row=row, column=column, value=safe_text(value))
    cell.data_type = "s"


def roadmap_template() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Дорожная карта"
    lines = [
        "Дорожная карта (название) на 2026-2030 годы",
        "Утверждена приказом № ____ от «__» ________ 20__ г.",
        "Информация о реализации направляется ежегодно до 1 ноября текущего года",
    ]
    for row, line in enumerate(lines, start=1):
        write_text(sheet, row, 1, line)
    _header(sheet, 5, ROADMAP_HEADER)
    examples = [
        ("1.", "Раздел 1. Нормативно-правовое обеспечение", "", "", "", ""),
        (
            "1.1",
            "Разработка дорожных карт в образовательных организациях",
            "Апрель 2026 г.",
            "Руководители ОО",
            "Разработаны дорожные карты",
            "УО",
        ),
        (
            "1.2",
            "Мониторинг реализации дорожных карт",
            "ежегодно до 1 ноября",
            "Иванова М.П. - методист",
            "Проведён мониторинг",
            "УО",
        ),
    ]
    for offset, values in enumerate(examples):
        for column, value in enumerate(values, start=1):
            write_text(sheet, 6 + offset, column, value)
    _fit(sheet, 5, (8, 60, 24, 36, 40, 20))
    return _save(workbook)


def people_template() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Школы и руководители"
    _header(sheet, 1, PEOPLE_HEADER)
    example = (
        "МБОУ СОШ № 1",
        "Иванова Мария Петровна",
        "директор",
        "school1@example.ru",
        "+7 900 000-00-00",
        "нет",
    )
    for column, value in enumerate(example, start=1):
        write_text(sheet, 2, column, value)
    _fit(sheet, 1, (40, 36, 20, 28, 20, 14))
    return _save(workbook)


def invitation_links(rows: list[tuple[str, str, list[tuple[str, str]], str]]) -> bytes:
    """(organisation, full name, [(messenger, link)...], valid until) for each person, to
    send by e-mail: a link column per messenger, any of which binds the person."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Приглашения"
    messengers = [name for name, _link in rows[0][2]] if rows else ["Telegram"]
    links = tuple(
        "Ссылка-приглашение" if len(messengers) == 1 else f"Ссылка-приглашение ({name})"
        for name in messengers
    )
    _header(sheet, 1, ("Организация", "ФИО", *links, "Действует до"))
    for index, (organisation, name, person_links, until) in enumerate(rows, start=2):
        values = [organisation, name, *(link for _messenger, link in person_links), until]
        for column, value in enumerate(values, start=1):
            write_text(sheet, index, column, value)
    _fit(sheet, 1, (40, 36, *(60 for _ in links), 14))
    return _save(workbook)


def _header(sheet: Worksheet, row: int, names: tuple[str, ...]) -> None:
    for column, name in enumerate(names, start=1):
        cell = sheet.cell(row=row, column=column, value=name)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _fit(sheet: Worksheet, header_row: int, widths: tuple[int, ...]) -> None:
    """Widths, the header frozen with a filter, and from the header down wrapped text in rows as
    high as their text: LibreOffice, Р7 and МойОфис draw a row at the height the file states."""
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.auto_filter.ref = f"A{header_row}:{chr(ord('A') + len(widths) - 1)}{sheet.max_row}"
    for row in sheet.iter_rows(min_row=header_row):
        values = [cell.value for cell in row]
        for cell in row:
            if cell.value not in (None, ""):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[row[0].row].height = fitted_height(values, widths)


def _save(workbook: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
