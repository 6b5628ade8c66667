"""Checks before any parser sees the bytes: size, type, and archives that explode."""

from __future__ import annotations

import io
import zipfile
from enum import StrEnum

from domain.roadmap.draft import ImportProblemError, ProblemCode

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_ARCHIVE_ENTRIES = 10_000


class FileKind(StrEnum):
    DOCX = "docx"
    XLSX = "xlsx"
    ODT = "odt"
    ODS = "ods"
    TEXT = "text"
    LEGACY_WORD = "legacy_word"  # .doc and .rtf: read after LibreOffice turns them into .docx
    PDF = "pdf"


# Read in the worker process (formats.worker): LibreOffice and the PDF reader take seconds.
SLOW_KINDS = frozenset({FileKind.LEGACY_WORD, FileKind.PDF})


_TEXT_SUFFIXES = (".txt", ".tsv", ".csv", ".md")
_REFUSED_SUFFIXES = (".xls", ".jpg", ".png", ".zip", ".rar")
_PACKAGES = (".docx", ".xlsx", ".odt", ".ods")
# A password-protected .docx/.xlsx is an OLE compound file, not a zip package.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODF_TYPES = {
    b"application/vnd.oasis.opendocument.text": FileKind.ODT,
    b"application/vnd.oasis.opendocument.spreadsheet": FileKind.ODS,
}


def check_file(file_name: str, data: bytes) -> FileKind:
    """Refuse what we cannot read safely, and say what the file really is."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportProblemError(ProblemCode.TOO_LARGE, f"{len(data)} bytes")
    name = file_name.lower()
    if data[:4] == b"PK\x03\x04":
        members = _inspect_archive(data)
        if "word/document.xml" in members:
            return FileKind.DOCX
        if "xl/workbook.xml" in members:
            return FileKind.XLSX
        if "mimetype" in members and (kind := _opendocument_kind(data)) is not None:
            return kind
        if name.endswith(_PACKAGES):
            raise ImportProblemError(ProblemCode.CORRUPT, "archive without a document inside")
        raise ImportProblemError(ProblemCode.UNSUPPORTED_TYPE, file_name)
    if data[:8] == _OLE_MAGIC and name.endswith(_PACKAGES):
        raise ImportProblemError(ProblemCode.ENCRYPTED, file_name)
    if b"%PDF-" in data[:1024]:  # the header may follow a few bytes of junk
        return FileKind.PDF
    if data.lstrip()[:5] == b"{\\rtf" or (data[:8] == _OLE_MAGIC and name.endswith(".doc")):
        return FileKind.LEGACY_WORD
    if name.endswith(_PACKAGES):
        raise ImportProblemError(ProblemCode.CORRUPT, "not a zip package")
    if name.endswith(_REFUSED_SUFFIXES) or not name.endswith(_TEXT_SUFFIXES):
        raise ImportProblemError(ProblemCode.UNSUPPORTED_TYPE, file_name)
    return FileKind.TEXT


def _inspect_archive(data: bytes) -> set[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise ImportProblemError(ProblemCode.CORRUPT, str(error)) from None
    if len(entries) > MAX_ARCHIVE_ENTRIES:
        raise ImportProblemError(ProblemCode.ZIP_BOMB, f"{len(entries)} entries")
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportProblemError(ProblemCode.ZIP_BOMB, f"{unpacked} bytes unpacked")
    for entry in entries:
        if entry.compress_size and entry.file_size / entry.compress_size > MAX_COMPRESSION_RATIO:
            raise ImportProblemError(ProblemCode.ZIP_BOMB, f"{entry.filename} expands too much")
    return {entry.filename for entry in entries}


def _opendocument_kind(data: bytes) -> FileKind | None:
    """An .odt or .ods by its ``mimetype`` entry; a password-protected one is refused as such
    (its content is ciphertext that no parser can read)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        kind = _ODF_TYPES.get(archive.read("mimetype").strip())
        if kind is None:
            return None
        try:
            manifest = archive.read("META-INF/manifest.xml")
        except KeyError:
            return kind
    if b"encryption-data" in manifest:
        raise ImportProblemError(ProblemCode.ENCRYPTED, "OpenDocument with a password")
    return kind


def decode_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportProblemError(ProblemCode.CORRUPT, "unknown text encoding")
