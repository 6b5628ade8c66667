"""Finding 4 of the security review: a form answer (or a roadmap, or an /ask template) that is
small to send and huge to open is measured by streaming its sheet XML and refused unopened,
in well under 2 s and 200 MB; before, openpyxl loaded all of it (196 s and 3.1 GB for 2 MB)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
import tracemalloc
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from domain.roadmap.draft import ImportProblemError, ProblemCode
from formats.request_forms.answer_check import Problem, check_answer
from formats.request_forms.template import FormTooLargeError, read_template
from formats.roadmap_files import read_roadmap_file
from formats.sheet_measure import FORM_LIMITS, SheetTooLargeError, measure_workbook
from tests.fixtures.bombs import cell_bomb
from tests.fixtures.forms import filled_form, form_template

BOMB_ROWS = 700_000  # of 14 cells: 2.2 MB packed, 162 MB of XML, 9.8 million cells


@pytest.fixture(scope="module")
def bomb() -> bytes:
    data = cell_bomb(form_template(), BOMB_ROWS, columns=14)
    assert len(data) >= 2_000_000
    return data


def test_a_two_megabyte_form_bomb_is_refused_in_time_and_memory(bomb: bytes) -> None:
    template = read_template(form_template())
    tracemalloc.start()
    started = time.perf_counter()
    try:
        problems = check_answer(template, bomb, "СОШ 1.xlsx")
        seconds = time.perf_counter() - started
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [p.problem for p in problems] == [Problem.TOO_LARGE]
    assert seconds < 2.0
    assert peak < 50 * 1024 * 1024
    # Refused by its declared size above; counted by streaming, it stops at the cell limit.
    started = time.perf_counter()
    with pytest.raises(SheetTooLargeError) as cells:
        measure_workbook(bomb, replace(FORM_LIMITS, xml_bytes=1 << 40, rows=1 << 30))
    assert cells.value.what == "cells"
    assert time.perf_counter() - started < 2.0


@pytest.mark.process
def test_the_form_bomb_in_a_process_of_its_own_stays_under_200_mb(
    bomb: bytes, tmp_path: Path
) -> None:
    """Peak resident memory of a fresh interpreter, as the operating system counts it."""
    (tmp_path / "bomb.xlsx").write_bytes(bomb)
    (tmp_path / "form.xlsx").write_bytes(form_template())
    probe = f"""
import json, resource, time
from pathlib import Path
from formats.request_forms.answer_check import check_answer
from formats.request_forms.template import read_template
folder = Path({str(tmp_path)!r})
template = read_template((folder / "form.xlsx").read_bytes())
data = (folder / "bomb.xlsx").read_bytes()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
problems = check_answer(template, data, "a.xlsx")
seconds = time.perf_counter() - started
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps({{"problems": [p.problem.value for p in problems], "seconds": seconds,
                   "grown_kb": grown}}))
"""
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).parents[2],
        check=True,
    )
    figures = json.loads(done.stdout)
    assert figures["problems"] == ["too_large"]
    assert figures["seconds"] < 2.0
    assert figures["grown_kb"] < 200 * 1024


def test_the_same_measure_guards_templates_and_roadmaps(bomb: bytes) -> None:
    started = time.perf_counter()
    with pytest.raises(FormTooLargeError):
        read_template(bomb, "Форма.xlsx")
    with pytest.raises(ImportProblemError) as refused:
        read_roadmap_file("карта.xlsx", bomb)
    assert refused.value.code is ProblemCode.TOO_BIG_TABLE
    assert time.perf_counter() - started < 2.0


def _with_sheet_xml(extra_rows: str, after_data: str = "") -> bytes:
    """The filled form with rows added to its sheet, and XML after its sheetData."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(filled_form())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                text = text.replace("</sheetData>", extra_rows + "</sheetData>" + after_data)
                content = text.encode()
            target.writestr(item, content)
    return out.getvalue()


def test_a_tiny_file_that_would_open_huge_is_refused_too() -> None:
    """One cell a million rows down, or one merged range over the whole sheet: a few bytes that
    make openpyxl walk millions of cells."""
    far_cell = _with_sheet_xml('<row r="1000000"><c r="A1000000"><v>1</v></c></row>')
    with pytest.raises(SheetTooLargeError) as rows:
        measure_workbook(far_cell, FORM_LIMITS)
    assert rows.value.what == "rows"
    merged = _with_sheet_xml("", '<mergeCells count="1"><mergeCell ref="E1:ZZ9000"/></mergeCells>')
    with pytest.raises(SheetTooLargeError) as cells:
        measure_workbook(merged, FORM_LIMITS)
    assert cells.value.what == "merged_cells"
    template = read_template(form_template())
    assert [p.problem for p in check_answer(template, far_cell, "a.xlsx")] == [Problem.TOO_LARGE]


def test_an_ordinary_form_is_measured_and_taken() -> None:
    measure_workbook(filled_form(), FORM_LIMITS)
    assert check_answer(read_template(form_template()), filled_form(), "a.xlsx") == []


def _moved_sheet(data: bytes, to: str) -> bytes:
    """The same workbook with its sheet stored under another name, its relationship changed to
    match: openpyxl follows the relationship and opens it all the same."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as package:
        for entry in source.infolist():
            content = source.read(entry.filename)
            name = to if entry.filename == "xl/worksheets/sheet1.xml" else entry.filename
            content = content.replace(b"worksheets/sheet1.xml", b"../" + to.encode())
            if name.endswith(".rels"):
                content = content.replace(b'Target="/xl/../', b'Target="/')
            package.writestr(name, content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


@pytest.mark.parametrize("to", ["xl/worksheets/sheet1.bin", "xl/media/image1.png"])
def test_a_sheet_under_another_name_is_measured_all_the_same(to: str) -> None:
    """Found by the outside review: only «xl/worksheets/*.xml» was counted."""
    import openpyxl

    workbook = openpyxl.Workbook()
    for row in range(FORM_LIMITS.cells // 100 + 10):
        workbook.active.append([row] * 100)
    buffer = io.BytesIO()
    workbook.save(buffer)
    moved = _moved_sheet(buffer.getvalue(), to)
    reopened = openpyxl.load_workbook(io.BytesIO(moved), read_only=True)
    assert reopened.active.max_row > 2000  # the reader finds it
    with pytest.raises(SheetTooLargeError):
        measure_workbook(moved, FORM_LIMITS)
