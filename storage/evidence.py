"""Evidence files copied out of Telegram, stored by content hash under the data folder."""

from __future__ import annotations

import hashlib
from pathlib import Path

from storage.private_files import private_dir, write_private

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024  # what a bot may download from Telegram
_REFUSED_SUFFIXES = (
    ".exe",
    ".bat",
    ".cmd",
    ".com",
    ".msi",
    ".scr",
    ".js",
    ".vbs",
    ".ps1",
    ".sh",
    ".apk",
    ".jar",
    ".dll",
)
_EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")


class EvidenceRefusedError(ValueError):
    """An executable or an oversized file: not kept, and the person is told why."""


def check_evidence(file_name: str, size: int | None) -> None:
    if size is not None and size > MAX_EVIDENCE_BYTES:
        raise EvidenceRefusedError("too_large")
    if file_name.lower().endswith(_REFUSED_SUFFIXES):
        raise EvidenceRefusedError("executable")


def store_evidence(directory: Path, file_name: str, data: bytes) -> tuple[str, int]:
    """Write the file once per content; return (sha256, size)."""
    check_evidence(file_name, len(data))
    if data.startswith(_EXECUTABLE_MAGIC):
        raise EvidenceRefusedError("executable")
    digest = hashlib.sha256(data).hexdigest()
    target = directory / digest[:2] / digest
    if not target.exists():
        private_dir(target.parent)  # what people attached: for the bot's user alone
        partial = target.with_suffix(".part")
        write_private(partial, data)
        partial.replace(target)  # never a half-written file under the final name
    return digest, len(data)


def evidence_path(directory: Path, digest: str) -> Path:
    """Where ``store_evidence`` kept the file with this SHA-256."""
    return directory / digest[:2] / digest
