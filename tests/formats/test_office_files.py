"""The department's own files: a seed roadmap as .doc, .rtf and PDF reads as its .docx does;
a scan, a password, a 500-page PDF and a server without LibreOffice each get their own answer.

The .doc, .rtf and .pdf are made by LibreOffice from the generated .docx, as a department's
would be. The .docx is laid out as approved roadmaps are printed: landscape, every cell ruled,
10 pt, a paragraph after the table (Word always keeps one; LibreOffice's .doc export drops a
table that ends the document)."""

from __future__ import annotations

import io
from collections.abc import Iterator

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.shared import Emu, Pt
from matplotlib.figure import Figure

from demo.documents import seed_document, to_docx
from domain.roadmap.build import build_draft
from domain.roadmap.draft import ImportProblemError, ProblemCode, RoadmapDraft
from formats.pdf import MAX_PAGES
from formats.roadmap_files import read_roadmap_file, read_roadmap_file_bounded
from tests.office import convert

SEEDS = ("ust_kut", "severobaikalsk", "ust_ilimsk")
FORMATS = ("doc", "rtf", "pdf")


def printed_docx(name: str) -> bytes:
    document = docx.Document(io.BytesIO(to_docx(seed_document(name))))
    document.styles["Normal"].font.size = Pt(10)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    assert section.page_width and section.left_margin and section.right_margin
    usable = section.page_width - section.left_margin - section.right_margin
    for table in document.tables:
        table.style = "Table Grid"
        width = Emu(int(usable / len(table.columns)))
        for column in table._tbl.tblGrid.gridCol_lst:
            column.w = width
        for row in table._tbl.tr_lst:
            for cell in row.tc_lst:
                cell.width = Emu(width * cell.grid_span)
    document.add_paragraph("")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def department_files() -> Iterator[dict[tuple[str, str], bytes]]:
    """(seed, format) -> bytes, for "docx" and every format LibreOffice makes of it."""
    sources = {f"{name}.docx": printed_docx(name) for name in SEEDS}
    files = {(name, "docx"): sources[f"{name}.docx"] for name in SEEDS}
    for target in FORMATS:
        for source, data in convert(sources, target).items():
            files[(source.removesuffix(".docx"), target)] = data
    yield files


def counts(draft: RoadmapDraft) -> tuple[object, ...]:
    return (
        len(draft.sections),
        len(draft.measures),
        sum(1 for m in draft.measures if not m.schedule.needs_dates),
        sum(len(m.assignees) for m in draft.measures),
        draft.details.order_number,
        draft.period.label(),
        draft.details.title,
        draft.details.annual_due,
    )


def draft_of(file_name: str, data: bytes) -> RoadmapDraft:
    return build_draft(read_roadmap_file(file_name, data), fallback_year=2026)


@pytest.mark.parametrize("file_format", FORMATS)
@pytest.mark.parametrize("name", SEEDS)
def test_a_seed_roadmap_reads_as_its_docx(
    department_files: dict[tuple[str, str], bytes], name: str, file_format: str
) -> None:
    expected = draft_of("roadmap.docx", department_files[(name, "docx")])
    draft = draft_of(f"дорожная карта.{file_format}", department_files[(name, file_format)])

    assert counts(draft) == counts(expected)
    assert [m.number for m in draft.measures] == [m.number for m in expected.measures]


async def test_a_doc_and_a_pdf_are_read_in_the_worker(
    department_files: dict[tuple[str, str], bytes],
) -> None:
    """The chat's path: LibreOffice and pdfplumber run in the worker process, and a problem
    found there comes back with its code."""
    for file_format in ("doc", "pdf"):
        source = await read_roadmap_file_bounded(
            f"карта.{file_format}", department_files[("ust_ilimsk", file_format)]
        )
        assert len(build_draft(source, fallback_year=2026).measures) == 27
    with pytest.raises(ImportProblemError) as raised:
        await read_roadmap_file_bounded("scan.pdf", scanned_pdf())
    assert raised.value.code is ProblemCode.SCANNED_PDF


def problem(file_name: str, data: bytes) -> ProblemCode:
    with pytest.raises(ImportProblemError) as raised:
        read_roadmap_file(file_name, data)
    return raised.value.code


def scanned_pdf() -> bytes:
    """A page that is one picture, as a scanner makes it: no text layer at all."""
    figure = Figure(figsize=(8.27, 11.69))
    axes = figure.add_axes((0, 0, 1, 1))
    axes.imshow([[(x * y) % 7 for x in range(60)] for y in range(80)], cmap="gray")
    axes.set_axis_off()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="pdf")
    return buffer.getvalue()


def pdf_of_pages(count: int) -> bytes:
    """A valid PDF of ``count`` pages, each with one line of text."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(count))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for i in range(count):
        stream = f"BT /F1 12 Tf 72 720 Td (Page {i + 1} of the appendix) Tj ET".encode()
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {5 + 2 * i} 0 R "
            "/Resources << /Font << /F1 3 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_a_scanned_pdf_is_told_to_send_the_docx_instead() -> None:
    assert problem("приказ.pdf", scanned_pdf()) is ProblemCode.SCANNED_PDF


def test_a_pdf_of_500_pages_is_refused_and_a_short_one_is_read() -> None:
    assert problem("приложение.pdf", pdf_of_pages(500)) is ProblemCode.TOO_MANY_PAGES
    assert MAX_PAGES < 500
    # The same file of a few pages is read.
    short = read_roadmap_file("приложение.pdf", pdf_of_pages(3))
    assert short.paragraphs == tuple(f"Page {n} of the appendix" for n in (1, 2, 3))


def test_a_pdf_with_a_password_is_refused(department_files: dict[tuple[str, str], bytes]) -> None:
    protected = convert(
        {"locked.docx": department_files[("ust_ilimsk", "docx")]},
        'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
        '"DocumentOpenPassword":{"type":"string","value":"secret"}}',
    )
    assert problem("карта.pdf", next(iter(protected.values()))) is ProblemCode.ENCRYPTED_PDF


def test_a_doc_without_libreoffice_names_the_package(
    department_files: dict[tuple[str, str], bytes],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: object,
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice on it
    for file_format in ("doc", "rtf"):
        with pytest.raises(ImportProblemError) as raised:
            read_roadmap_file(f"карта.{file_format}", department_files[("ust_kut", file_format)])
        assert raised.value.code is ProblemCode.NEEDS_LIBREOFFICE
        assert raised.value.detail == "libreoffice-writer"
