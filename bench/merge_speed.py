"""Issue 15: merging the filled forms of 1,000 schools (50 rows × 20 columns each) into one
workbook, time and peak memory, against ``pandas.concat`` of the same files read with
``pandas.read_excel`` and written with ``DataFrame.to_excel``, in the same run.

Both read the same .xlsx bytes from memory and write one .xlsx file. Time is measured without
tracing; peak memory in a second pass under tracemalloc."""

from __future__ import annotations

import io
import os
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pandas

from bench.results import record
from formats.request_forms.merge import Answer, merge_answers
from formats.request_forms.template import read_template

SCHOOLS = int(os.environ.get("BENCH_MERGE_SCHOOLS", "1000"))
ROWS = 50
COLUMNS = 20


def template() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Сведения"
    sheet.append(
        ["Показатель", "Дата"]
        + [f"Количество, группа {n}" for n in range(1, COLUMNS - 2)]
        + ["Примечание"]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def filled(school: int) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Сведения"
    sheet.append(
        ["Показатель", "Дата"]
        + [f"Количество, группа {n}" for n in range(1, COLUMNS - 2)]
        + ["Примечание"]
    )
    for row in range(ROWS):
        sheet.append(
            [f"Показатель {row + 1}", date(2026, 12, 1) + timedelta(days=row % 7)]
            + [school * 10 + row + n for n in range(COLUMNS - 3)]
            + [f"Школа {school}, строка {row}"]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _measure(work: Callable[[], None]) -> tuple[float, float]:
    started = time.perf_counter()
    work()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 1e6


def run() -> dict[str, float]:
    workdir = Path(tempfile.mkdtemp(prefix="roadmap-bench-merge-"))
    form = read_template(template())
    files = [(f"МОУ СОШ № {n}", filled(n)) for n in range(SCHOOLS)]

    def ours() -> None:
        answers = (Answer(name, data) for name, data in files)
        merge_answers(form, answers, [], workdir / "ours.xlsx")

    def baseline() -> None:
        frames = []
        for name, data in files:
            frame = pandas.read_excel(io.BytesIO(data), sheet_name="Сведения")
            frame.insert(0, "Организация", name)
            frames.append(frame)
        pandas.concat(frames, ignore_index=True).to_excel(
            workdir / "pandas.xlsx", sheet_name="Сведения", index=False, engine="openpyxl"
        )

    our_seconds, our_mb = _measure(ours)
    base_seconds, base_mb = _measure(baseline)
    merged = openpyxl.load_workbook(workdir / "ours.xlsx", read_only=True)["Сведения"]
    rows = sum(1 for _ in merged.iter_rows(min_row=2))
    assert rows == SCHOOLS * ROWS, rows
    print(f"merge of {SCHOOLS} schools × {ROWS} rows × {COLUMNS} columns ({rows:,} rows)")
    print(f"ours: {our_seconds:.2f} s, peak {our_mb:.0f} MB")
    print(f"pandas.read_excel + concat + to_excel: {base_seconds:.2f} s, peak {base_mb:.0f} MB")
    print(
        f"ratio: time {our_seconds / base_seconds:.2f} (target <= 0.5), "
        f"memory {our_mb / base_mb:.2f} (target <= 0.5)"
    )
    label = f"merge of {SCHOOLS} schools' forms ({ROWS} rows × {COLUMNS} columns)"
    record(f"{label}: time", our_seconds, "s", baseline=base_seconds, target="<= 0.5")
    record(f"{label}: peak memory", our_mb, "MB", baseline=base_mb, target="<= 0.5")
    return {"ours_seconds": our_seconds, "ours_mb": our_mb}


def main() -> None:
    run()


if __name__ == "__main__":
    main()
