"""Files we must refuse, each with its own reason."""

from __future__ import annotations

import io
import zipfile

import docx
import openpyxl
import pytest

from demo.documents import seed_document, to_docx
from domain.roadmap.build import build_draft
from domain.roadmap.columns import Column
from domain.roadmap.draft import ImportProblemError, ProblemCode
from domain.roadmap.recognise import NeedsColumnsError
from formats.roadmap_files import read_roadmap_file


def problem_of(file_name: str, data: bytes) -> ProblemCode:
    with pytest.raises(ImportProblemError) as raised:
        build_draft(read_roadmap_file(file_name, data), fallback_year=2026)
    return raised.value.code


def docx_with(table: list[list[str]] | None) -> bytes:
    document = docx.Document()
    document.add_paragraph("Дорожная карта на 2026-2030 годы")
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, values in zip(grid.rows, table, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_file_over_10_mb() -> None:
    assert (
        problem_of("roadmap.docx", b"PK\x03\x04" + b"0" * (10 * 1024 * 1024))
        is ProblemCode.TOO_LARGE
    )


def test_zip_bomb_disguised_as_docx() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (30 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024
    assert problem_of("roadmap.docx", buffer.getvalue()) is ProblemCode.ZIP_BOMB


def test_corrupt_and_truncated_documents() -> None:
    assert problem_of("roadmap.docx", b"this is not a word file") is ProblemCode.CORRUPT
    whole = to_docx(seed_document("ust_kut"))
    assert problem_of("roadmap.docx", whole[: len(whole) // 2]) is ProblemCode.CORRUPT
    assert problem_of("roadmap.xlsx", b"PK\x03\x04garbage") is ProblemCode.CORRUPT


@pytest.mark.parametrize(
    "file_name", ["roadmap.pdf", "roadmap.doc", "photo.jpg", "roadmap.xls", "noextension"]
)
def test_file_types_we_do_not_read(file_name: str) -> None:
    assert problem_of(file_name, b"%PDF-1.4 whatever") is ProblemCode.UNSUPPORTED_TYPE


def test_document_without_a_table() -> None:
    assert problem_of("roadmap.docx", docx_with(None)) is ProblemCode.NO_TABLE
    unknown = [["Фамилия", "Телефон"], ["Иванова", "123"]]
    assert problem_of("roadmap.docx", docx_with(unknown)) is ProblemCode.NO_TABLE


def test_table_without_deadline_column() -> None:
    table = [
        ["№", "Мероприятие", "Ответственный", "Результат"],
        ["1", "Совещание", "УО", "Протокол"],
    ]
    # The table is found; the coordinator is asked which column holds the deadline.
    with pytest.raises(NeedsColumnsError) as raised:
        build_draft(read_roadmap_file("roadmap.docx", docx_with(table)), fallback_year=2026)
    assert raised.value.code is ProblemCode.NEEDS_COLUMNS
    assert raised.value.recognition.missing == (Column.DEADLINE,)
    assert raised.value.recognition.labels == ("№", "Мероприятие", "Ответственный", "Результат")


def test_table_with_header_only() -> None:
    table = [["№", "Мероприятие", "Срок", "Ответственный"]]
    assert problem_of("roadmap.docx", docx_with(table)) is ProblemCode.NO_MEASURES


def test_spreadsheet_without_recognisable_header() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Школа", "Директор"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert problem_of("schools.xlsx", buffer.getvalue()) is ProblemCode.NO_TABLE


def test_docx_named_xlsx_is_still_read_as_docx() -> None:
    data = to_docx(seed_document("ust_ilimsk"))
    draft = build_draft(read_roadmap_file("roadmap.xlsx", data), fallback_year=2026)
    assert len(draft.measures) == 27


def test_text_in_windows_1251() -> None:
    text = "№\tМероприятие\tСрок\tОтветственный\n1.\tСовещание\tАпрель 2026\tУО\n"
    draft = build_draft(read_roadmap_file("r.txt", text.encode("cp1251")), fallback_year=2026)
    assert draft.measures[0].title == "Совещание"
