"""Whatever table a file holds, the import answers with a draft or a reason, never a traceback."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from demo.layouts import Cell, Grid, write_document
from domain.roadmap.build import build_draft
from domain.roadmap.draft import ImportProblemError, RoadmapDraft
from formats.roadmap_files import read_roadmap_file

TEXTS = (
    "",
    "№",
    "Мероприятие",
    "Срок",
    "Ответственный",
    "Примечание",
    "1.",
    "1.1",
    "2",
    "Раздел I. Организация",
    "Цель 1.",
    "Задачи:",
    "до 1 ноября",
    "Ежегодно",
    "в течение года",
    "Руководители ОО",
    "Иванова А.А., методист",
    "Проведение мониторинга качества образования в школах района",
    "1 2 3",
)


@st.composite
def grids(draw: st.DrawFn) -> Grid:
    width = draw(st.integers(1, 7))
    grid = Grid(width)
    for _ in range(draw(st.integers(0, 14))):
        cells = []
        for _ in range(width):
            cells.append(
                Cell(
                    draw(st.sampled_from(TEXTS)),
                    across=draw(st.sampled_from((1, 1, 1, 2, width))),
                    down=draw(st.sampled_from((1, 1, 1, 2))),
                )
            )
        grid.add(cells)
    return _clip(grid)


def _clip(grid: Grid) -> Grid:
    """Spans stay inside the grid (the writers need that; the readers must not)."""
    height = len(grid.rows)
    for r, row in enumerate(grid.rows):
        for c, cell in enumerate(row):
            if cell is not None:
                cell.across = max(1, min(cell.across, grid.width - c))
                cell.down = max(1, min(cell.down, height - r))
    return grid


@settings(max_examples=40, deadline=None)
@given(
    tables=st.lists(grids(), min_size=0, max_size=2),
    file_format=st.sampled_from(["docx", "xlsx", "odt", "ods"]),
)
def test_any_table_gives_a_draft_or_a_reason(tables: list[Grid], file_format: str) -> None:
    try:
        data = write_document(["План на 2026 год"], tables, file_format)
    except Exception:  # a shape the writing library itself refuses is not a file anyone has
        return
    try:
        draft = build_draft(read_roadmap_file(f"plan.{file_format}", data), fallback_year=2026)
    except ImportProblemError:
        return
    assert isinstance(draft, RoadmapDraft)
    assert all(measure.title for measure in draft.measures)
