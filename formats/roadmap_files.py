"""Any roadmap file -> its text, or an ImportProblemError saying what is wrong with it."""

from __future__ import annotations

from domain.roadmap.draft import SourceDocument
from formats.opendocument import read_ods, read_odt
from formats.safety import FileKind, check_file, decode_text
from formats.spreadsheet import read_xlsx
from formats.text_tables import read_text
from formats.word import read_docx


def read_roadmap_file(file_name: str, data: bytes) -> SourceDocument:
    kind = check_file(file_name, data)
    if kind is FileKind.DOCX:
        return read_docx(data)
    if kind is FileKind.XLSX:
        return read_xlsx(data)
    if kind is FileKind.ODT:
        return read_odt(data)
    if kind is FileKind.ODS:
        return read_ods(data)
    return read_text(decode_text(data))
