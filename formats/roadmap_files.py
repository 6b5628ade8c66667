"""Any roadmap file -> its text, or an ImportProblemError saying what is wrong with it."""

from __future__ import annotations

import asyncio

from domain.roadmap.draft import ImportProblemError, ProblemCode, SourceDocument
from formats.libreoffice import CONVERSION_TIMEOUT_SECONDS, convert_to_docx
from formats.opendocument import read_ods, read_odt
from formats.pdf import read_pdf
from formats.safety import SLOW_KINDS, FileKind, check_file, decode_text
from formats.spreadsheet import read_xlsx
from formats.text_tables import read_text
from formats.word import read_docx
from formats.worker import ParsingAbortedError, run_bounded


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
    if kind is FileKind.LEGACY_WORD:
        return read_docx(convert_to_docx(data, ".rtf" if data.lstrip()[:1] == b"{" else ".doc"))
    if kind is FileKind.PDF:
        return read_pdf(data)
    return read_text(decode_text(data))


async def read_roadmap_file_bounded(file_name: str, data: bytes) -> SourceDocument:
    """The same, off the event loop: a .doc or a PDF in the worker process (bounded in memory
    and time; LibreOffice runs under it), anything else in a thread."""
    if check_file(file_name, data) not in SLOW_KINDS:
        return await asyncio.to_thread(read_roadmap_file, file_name, data)
    try:
        return await run_bounded(
            read_roadmap_file, file_name, data, timeout=CONVERSION_TIMEOUT_SECONDS + 30
        )
    except ParsingAbortedError as error:
        raise ImportProblemError(ProblemCode.CONVERSION_FAILED, str(error)) from None
