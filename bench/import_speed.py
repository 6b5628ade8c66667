"""Issues 3 and 12: deadline texts read per second; import time of a 500-measure roadmap in each
file format; ``roadmap-bot deadlines`` as a whole process against ``python -c pass``."""

from __future__ import annotations

import csv
import io
import statistics
import subprocess
import sys
import time
from pathlib import Path

import docx

from bench.results import record
from demo.layouts import Numbering, SectionForm
from demo.roadmap_shapes import LayoutSpec, planned_measures, roadmap_file
from domain.deadlines import Period, read_deadline
from domain.roadmap.build import build_draft
from formats.roadmap_files import read_roadmap_file

SPECS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "specs"


def labelled_texts() -> list[tuple[str, Period]]:
    rows = []
    with (SPECS / "deadline_examples.tsv").open(encoding="utf-8") as file:
        for row in csv.reader(file, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row and not row[0].startswith("#"):
                first, _, last = row[0].partition("-")
                rows.append((row[1], Period.parse(first if first == last else row[0])))
    return rows


def deadlines_per_second(rounds: int = 300) -> float:
    texts = labelled_texts()
    started = time.perf_counter()
    for _ in range(rounds):
        for text, period in texts:
            read_deadline(text, period)
    return rounds * len(texts) / (time.perf_counter() - started)


def roadmap_docx(measures: int = 500, per_section: int = 25) -> bytes:
    deadlines = [text for text, _ in labelled_texts()]
    document = docx.Document()
    document.add_paragraph("ПРИКАЗ от «20» февраля 2026 г. № 61")
    document.add_paragraph("Дорожная карта повышения качества образования на период до 2030 года")
    header = [
        "№ п/п",
        "Мероприятия",
        "Координация",
        "Участие",
        "Срок реализации",
        "Планируемый результат",
        "Контроль выполнения мероприятия",
    ]
    table = document.add_table(rows=1, cols=len(header))
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for index in range(measures):
        section, item = divmod(index, per_section)
        if item == 0:
            cells = table.add_row().cells
            merged = cells[0].merge(cells[-1])
            merged.text = f"{section + 1}. Направление {section + 1}: организационное обеспечение"
        values = [
            f"{section + 1}.{item + 1}",
            f"Проведение мероприятия {index + 1} по повышению качества образования",
            "УО УКМО, МКУ РЦ УО УКМО (методический кабинет)",
            "Руководители ОО, Иванова М.П. - методист",
            deadlines[index % len(deadlines)],
            "Проведено мероприятие, оформлен протокол",
            "УО УКМО",
        ]
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def import_seconds(
    data: bytes, runs: int = 5, file_name: str = "roadmap.docx"
) -> tuple[float, int]:
    timings = []
    measures = 0
    for _ in range(runs):
        started = time.perf_counter()
        draft = build_draft(read_roadmap_file(file_name, data), fallback_year=2026)
        timings.append(time.perf_counter() - started)
        measures = len(draft.measures)
    return statistics.median(timings), measures


# The same 500 measures in each format: a two-row header with a group cell, direction and task
# columns merged down, typed numbers (what a converted document has).
SHAPE = LayoutSpec(
    order=("number", "title", "deadline", "responsible", "result"),
    words=(0, 0, 0, 0, 0),
    header_rows=2,
    sections=SectionForm.TWO_LEVELS,
    numbering=Numbering.TYPED,
    tables=1,
    repeat_header=False,
    file_format="docx",
)


def formats_import() -> None:
    measures = planned_measures(500, sections=20, tasks=2)
    for file_format in ("docx", "odt", "xlsx", "ods"):
        spec = LayoutSpec(**{**SHAPE.__dict__, "file_format": file_format})
        data = roadmap_file(measures, spec)
        seconds, count = import_seconds(data, file_name=f"roadmap.{file_format}")
        assert count == 500, count
        record(f"import of a 500-measure .{file_format} (hierarchy columns)", seconds * 1000, "ms")
        print(
            f"import of a 500-measure .{file_format} with hierarchy columns "
            f"({len(data) // 1024} KB): {seconds * 1000:.0f} ms (median of 5)"
        )


def _run_seconds(command: list[str], stdin: bytes) -> float:
    started = time.perf_counter()
    subprocess.run(command, input=stdin, capture_output=True, check=True)
    return time.perf_counter() - started


def cli_start(rounds: int = 21) -> None:
    """``roadmap-bot deadlines`` with one line, as the administrator runs it, against the
    interpreter doing nothing, in the same run (target: at most 3×). The two alternate, so
    that a busy moment of the machine weighs on both alike."""
    script = Path(sys.executable).with_name("roadmap-bot")
    command = [str(script), "deadlines", "--period", "2026-2030"]
    line = "ежегодно до 1 ноября\n".encode()
    baselines, timings = [], []
    for _ in range(rounds):
        baselines.append(_run_seconds([sys.executable, "-c", "pass"], b""))
        timings.append(_run_seconds(command, line))
    baseline, seconds = statistics.median(baselines), statistics.median(timings)
    result = record(
        "roadmap-bot deadlines, one line, whole process",
        seconds * 1000,
        "ms",
        baseline=baseline * 1000,
        target="<= 3",
    )
    print(
        f"roadmap-bot deadlines (one line): {seconds * 1000:.0f} ms against python -c pass "
        f"{baseline * 1000:.0f} ms = {result.ratio}× (target ≤ 3×), median of {rounds}"
    )


def main() -> None:
    rate = deadlines_per_second()
    print(f"deadline texts read per second: {rate:,.0f}")
    record("deadline texts read", rate, "texts/s")
    data = roadmap_docx()
    seconds, measures = import_seconds(data)
    record(f"import of a {measures}-measure .docx", seconds * 1000, "ms")
    print(
        f"import of a {measures}-measure .docx ({len(data) // 1024} KB): {seconds * 1000:.0f} ms (median of 5)"
    )
    formats_import()
    cli_start()


if __name__ == "__main__":
    main()
