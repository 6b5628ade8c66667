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


@pytest.mark.parametrize("file_name", ["roadmap.doc", "photo.jpg", "roadmap.xls", "noextension"])
def test_file_types_we_do_not_read(file_name: str) -> None:
    # A .doc is read only when it is one (an OLE file): see tests/formats/test_office_files.py.
    assert problem_of(file_name, b"GIF89a whatever") is ProblemCode.UNSUPPORTED_TYPE


def test_a_damaged_pdf_is_damaged() -> None:
    assert problem_of("roadmap.pdf", b"%PDF-1.4 whatever") is ProblemCode.CORRUPT


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


def odf_package(mimetype: bytes, content: bytes, manifest: bytes = b"<manifest/>") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest)
    return buffer.getvalue()


ODT = b"application/vnd.oasis.opendocument.text"
ODS = b"application/vnd.oasis.opendocument.spreadsheet"


@pytest.mark.parametrize(("name", "mimetype"), [("roadmap.odt", ODT), ("roadmap.ods", ODS)])
def test_opendocument_corrupt_encrypted_or_exploding(name: str, mimetype: bytes) -> None:
    assert problem_of(name, odf_package(mimetype, b"<not xml")) is ProblemCode.CORRUPT
    encrypted = b'<manifest:file-entry><manifest:encryption-data manifest:checksum="x"/>'
    assert problem_of(name, odf_package(mimetype, b"\x8f\x02", encrypted)) is (
        ProblemCode.ENCRYPTED
    )
    assert problem_of(name, odf_package(mimetype, b"\0" * (30 * 1024 * 1024))) is (
        ProblemCode.ZIP_BOMB
    )
    assert problem_of(name, b"plain text, not a package") is ProblemCode.CORRUPT


def test_password_protected_word_and_excel_files() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
    assert problem_of("roadmap.docx", ole) is ProblemCode.ENCRYPTED
    assert problem_of("roadmap.xlsx", ole) is ProblemCode.ENCRYPTED


def test_a_table_of_5000_rows_is_refused() -> None:
    header = ["№", "Мероприятие", "Срок", "Ответственный"]
    rows = [[f"{i}.", f"Мероприятие номер {i}", "Апрель 2026", "УО"] for i in range(1, 5001)]
    text = "\n".join("\t".join(row) for row in [header, *rows])
    assert problem_of("roadmap.txt", text.encode()) is ProblemCode.TOO_MANY_ROWS


def malformed_docx() -> bytes:
    """A header cell continuing a vertical merge with nothing above it, a data cell continuing
    the one above, and a row with fewer cells than the grid: Word opens all three."""
    document = docx.Document()
    document.add_paragraph("Дорожная карта на 2026-2030 годы")
    table = document.add_table(rows=4, cols=4)
    values = [
        ["№", "Мероприятие", "Срок", "Ответственный"],
        ["1.", "Совещание", "Апрель 2026", "УО"],
        ["2.", "Семинар", "Май 2026", "Методист Петрова А.А."],
        ["3.", "Мониторинг", "Июнь 2026", ""],
    ]
    for row, texts in zip(table.rows, values, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    tbl = table._tbl
    # Row 2: the «Срок» cell continues a merge, but the header cell above starts none.
    tc = tbl.tr_lst[2].tc_lst[2]
    v_merge = docx.oxml.OxmlElement("w:vMerge")
    tc.get_or_add_tcPr().append(v_merge)
    # Row 3 loses its last cell.
    tbl.tr_lst[3].remove(tbl.tr_lst[3].tc_lst[3])
    # The first row's last cell continues a merge from above the table.
    top = tbl.tr_lst[0].tc_lst[3]
    top.get_or_add_tcPr().append(docx.oxml.OxmlElement("w:vMerge"))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_malformed_but_openable_word_table_is_read_as_word_shows_it() -> None:
    draft = build_draft(read_roadmap_file("roadmap.docx", malformed_docx()), fallback_year=2026)
    by_title = {m.title: m for m in draft.measures}
    assert set(by_title) == {"Совещание", "Семинар", "Мониторинг"}
    assert by_title["Семинар"].deadline_text == "Апрель 2026"  # merged with the cell above
    assert by_title["Мониторинг"].deadline_text == "Июнь 2026"
    assert by_title["Мониторинг"].responsible_text == ""
    # The header cell read as empty; the cells show it holds who is responsible.
    assert by_title["Семинар"].responsible_text == "Методист Петрова А.А."
