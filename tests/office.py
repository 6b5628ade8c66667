"""LibreOffice for the tests that need it: converting generated documents, never skipped.

`make test` installs it (libreoffice-writer-nogui); a machine without it fails these tests with
the command to run, instead of skipping them silently."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

INSTALL_HINT = (
    "LibreOffice is needed: apt-get install -y --no-install-recommends libreoffice-writer-nogui"
)


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.fail(INSTALL_HINT)
    return found


def convert(files: dict[str, bytes], target: str) -> dict[str, bytes]:
    """Each file (name -> bytes) converted by LibreOffice to ``target`` ("pdf", "doc", "rtf",
    or with a filter and its options: "pdf:writer_pdf_Export:{...}"), in one run; the result
    is keyed by the source name."""
    extension = target.split(":", 1)[0]
    with tempfile.TemporaryDirectory(prefix="tests-office-") as folder:
        work = Path(folder)
        for name, data in files.items():
            (work / name).write_bytes(data)
        subprocess.run(
            [
                soffice(),
                f"-env:UserInstallation={(work / 'profile').as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                target,
                "--outdir",
                str(work / "out"),
                *(str(work / name) for name in files),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        return {
            name: (work / "out" / f"{Path(name).stem}.{extension}").read_bytes() for name in files
        }
