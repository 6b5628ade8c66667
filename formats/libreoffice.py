"""Old Word (.doc) and .rtf files turned into .docx by LibreOffice, so the .docx reader reads them.

Departments still circulate approved roadmaps as .doc. No maintained Python library reads the
binary Word format, and LibreOffice converts it as Word shows it (merged cells included). It runs
headless as a process of its own: a private profile in a temporary folder (two conversions never
share, and the service user's home is never written), a timeout after which its whole process
group is killed, and the caller's limits (``formats.worker``) inherited. A server without it
gets a message naming the package to install.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from domain.roadmap.draft import ImportProblemError, ProblemCode

CONVERSION_TIMEOUT_SECONDS = 90  # a cold start on a loaded 2-core machine takes 10-20 s
PACKAGE = "libreoffice-writer"  # named in the message when the program is missing
_PROGRAMS = ("soffice", "libreoffice")


def find_office() -> str | None:
    """The LibreOffice program on PATH, or None."""
    for program in _PROGRAMS:
        if found := shutil.which(program):
            return found
    return None


def convert_to_docx(data: bytes, suffix: str) -> bytes:
    """The .docx LibreOffice makes of ``data`` (a ``.doc`` or ``.rtf``)."""
    program = find_office()
    if program is None:
        raise ImportProblemError(ProblemCode.NEEDS_LIBREOFFICE, PACKAGE)
    with tempfile.TemporaryDirectory(prefix="roadmap-convert-") as folder:
        work = Path(folder)
        source = work / f"roadmap{suffix}"
        source.write_bytes(data)
        command = [
            program,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "docx",
            "--outdir",
            str(work / "out"),
            str(source),
        ]
        _run(command, home=work)
        converted = work / "out" / "roadmap.docx"
        if not converted.is_file():
            raise ImportProblemError(ProblemCode.CONVERSION_FAILED, "no output")
        return converted.read_bytes()


def _run(command: list[str], *, home: Path) -> None:
    environment = {**os.environ, "HOME": str(home)}
    with subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=environment,
        start_new_session=True,  # its own process group: soffice starts soffice.bin under it
    ) as process:
        try:
            process.wait(timeout=CONVERSION_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise ImportProblemError(ProblemCode.CONVERSION_FAILED, "timeout") from None
