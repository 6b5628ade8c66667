"""Files the bot writes, opened in a real office suite: LibreOffice (headless) converts them to
PDF, and poppler's ``pdftotext -bbox`` says where each word was drawn. Р7-Офис and МойОфис lay
out .xlsx and .docx as LibreOffice does where it matters here (row heights as the file states
them, the table grid's widths), so what overprints in one overprints in the others.

LibreOffice takes seconds to start: ``OfficeSuite.render`` converts many files in one call, and
the ``office`` fixture keeps one profile directory for the whole session. ``make test`` installs
the suite when it is missing (``make office``); without it these tests fail, saying so.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

INSTALL_HINT = (
    "LibreOffice, poppler-utils and the fonts a department prints with are needed for the "
    "office-suite tests: `make office` (as root: apt-get install libreoffice-writer-nogui "
    "libreoffice-calc-nogui poppler-utils fonts-liberation fonts-crosextra-carlito)"
)
# Times New Roman's and Calibri's metrics: without them LibreOffice draws with DejaVu, wider,
# and the pages measured are not the pages a department prints.
FONTS = ("Liberation Serif", "Carlito")


def installed_fonts() -> str:
    if shutil.which("fc-list") is None:
        return ""
    return subprocess.run(
        ["fc-list", ":", "family"], capture_output=True, text=True, check=False
    ).stdout


CONVERT_TIMEOUT = 300
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)
_PAGE = re.compile(r"<page ")


@dataclass(frozen=True, slots=True)
class Word:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    def overlap(self, other: Word) -> float:
        """The share of the smaller box both words cover (0: apart)."""
        if self.page != other.page:
            return 0.0
        width = min(self.x1, other.x1) - max(self.x0, other.x0)
        height = min(self.y1, other.y1) - max(self.y0, other.y0)
        if width <= 0 or height <= 0:
            return 0.0
        smaller = min(
            (self.x1 - self.x0) * (self.y1 - self.y0), (other.x1 - other.x0) * (other.y1 - other.y0)
        )
        return width * height / smaller if smaller > 0 else 0.0


@dataclass(frozen=True, slots=True)
class Rendered:
    pdf: Path
    pages: int
    words: list[Word]
    text: str  # the pages' text in reading order (``pdftotext -layout``)

    def overlapping(self, threshold: float = 0.3) -> list[tuple[str, str]]:
        """Pairs of words drawn over each other: wrapped text overprinting the next row."""
        found = []
        by_page: dict[int, list[Word]] = {}
        for word in self.words:
            by_page.setdefault(word.page, []).append(word)
        for words in by_page.values():
            words.sort(key=lambda w: (w.y0, w.x0))
            for index, word in enumerate(words):
                for other in words[index + 1 :]:
                    if other.y0 > word.y1:
                        break
                    if word.overlap(other) > threshold:
                        found.append((word.text, other.text))
        return found

    def flat(self) -> str:
        """The text with line breaks and runs of spaces as one space, to find a phrase that
        wrapped."""
        joined = re.sub(r"-\s*\n\s*", "-", self.text)  # «Усть-» at a line's end, «Кута» below
        return " ".join(joined.split())


class OfficeSuite:
    def __init__(self, profile: Path) -> None:
        self.soffice = shutil.which("soffice") or shutil.which("libreoffice")
        missing = [
            name
            for name, found in (
                ("soffice", self.soffice),
                ("pdftotext", shutil.which("pdftotext")),
            )
            if not found
        ]
        fonts = installed_fonts()
        missing += [f"the font {font}" for font in FONTS if font not in fonts]
        if missing:
            raise RuntimeError(f"{', '.join(missing)} not found. {INSTALL_HINT}")
        self.profile = profile

    def render(self, *files: Path) -> dict[Path, Rendered]:
        """Each file as LibreOffice prints it, all converted by one run of the suite."""
        out = self.profile.parent / "pdf"
        out.mkdir(exist_ok=True)
        command = [
            str(self.soffice),
            f"-env:UserInstallation={self.profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *(str(path) for path in files),
        ]
        subprocess.run(command, check=True, capture_output=True, timeout=CONVERT_TIMEOUT)
        rendered = {}
        for path in files:
            pdf = out / f"{path.stem}.pdf"
            if not pdf.exists():
                raise AssertionError(f"LibreOffice did not convert {path.name}")
            rendered[path] = read_pdf(pdf)
        return rendered


def read_pdf(pdf: Path) -> Rendered:
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    words: list[Word] = []
    pages = 0
    for chunk in _PAGE.split(boxes)[1:]:
        pages += 1
        for match in _WORD.finditer(chunk):
            x0, y0, x1, y1 = (float(match[i]) for i in range(1, 5))
            words.append(Word(pages, x0, y0, x1, y1, html.unescape(match[5])))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return Rendered(pdf, pages, words, text)


def page_images(pdf: Path, folder: Path) -> list[Path]:
    """Each page as a PNG (``pdftoppm``), for a person to look at."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(pdf), str(folder / pdf.stem)],
        check=True,
        capture_output=True,
    )
    return sorted(folder.glob(f"{pdf.stem}*.png"))
