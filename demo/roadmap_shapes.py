"""A list of measures laid out as one of the many roadmap tables municipalities write.

``LayoutSpec`` says the shape (column order, header words, header rows, hierarchy, section rows,
numbering, tables, format); ``roadmap_file`` writes the file. What the importer must read back
is the ``PlannedMeasure`` list itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from demo.layouts import Cell, Grid, Numbering, SectionForm, write_document

# Header words by role, as different municipalities write them. «Исполнение» and «Кем
# выполняется» are words the importer has no entry for: the cells must decide.
HEADERS = {
    "number": ("№ п/п", "№", "N п/п", "п/п"),
    "title": (
        "Наименование мероприятия",
        "Мероприятие",
        "Содержание работы",
        "Перечень мероприятий",
        "Меры",
    ),
    "deadline": ("Срок исполнения", "Сроки", "Дата проведения", "Период реализации", "Исполнение"),
    "responsible": (
        "Ответственный исполнитель",
        "Ответственные",
        "Исполнители",
        "ФИО ответственного",
        "Кем выполняется",
    ),
    "result": ("Ожидаемый результат", "Планируемый результат", "Итоговый документ"),
    "place": ("Место проведения", "Примечание", "Участники", "Источник финансирования"),
}
GROUPS = ("Мероприятия", "Реализация мероприятия", "Содержание и сроки")
DIRECTION_HEADER = "Направление"
TASK_HEADER = "Задача"
TITLE = "Дорожная карта по повышению качества образования на 2026-2028 годы"

DEADLINES = (
    "Апрель 2026 г., далее ежегодно",
    "ежегодно до 1 ноября",
    "до 17 апреля 2026 г.",
    "В течение года (по запросу)",
    "Ежегодно",
    "постоянно",
    "1 квартал 2027 г.",
    "сентябрь 2026",
    "Май 2026-2028",
    "по мере необходимости",
    "Ноябрь 2026 - февраль 2027",
    "декабрь, ежегодно",
)
RESPONSIBLE = (
    "Иванова А.А., заместитель начальника УО",
    "Руководители ОО",
    "МКУ «Информационно-методический центр»",
    "Петров П.П., методист",
    "Управление образования, руководители ОО",
)
ACTIONS = (
    "Проведение мониторинга качества подготовки обучающихся",
    "Организация методического сопровождения педагогов школ",
    "Анализ результатов оценочных процедур и подготовка рекомендаций",
    "Проведение совещания с руководителями общеобразовательных организаций",
    "Разработка и утверждение плана работы с обучающимися группы риска",
)


@dataclass(frozen=True)
class PlannedMeasure:
    direction: str
    task: str  # the innermost section; equal to the direction with one level
    title: str
    deadline: str
    responsible: str
    result: str


@dataclass(frozen=True)
class LayoutSpec:
    order: tuple[str, ...]  # roles left to right, among number/title/deadline/responsible/...
    words: tuple[int, ...]  # which header word per role in ``order``
    header_rows: int  # 1, 2 or 3
    sections: SectionForm
    numbering: Numbering
    tables: int  # the roadmap split over this many tables
    repeat_header: bool  # the header again at the top of each table and every 7 rows
    file_format: str


def planned_measures(count: int, sections: int = 3, tasks: int = 2) -> list[PlannedMeasure]:
    measures = []
    for index in range(count):
        direction = index * sections // max(count, 1)
        task = index * sections * tasks // max(count, 1)
        measures.append(
            PlannedMeasure(
                direction=f"Направление {direction + 1}. Развитие системы оценки качества {direction + 1}",
                task=f"Задача {task + 1}. Повышение объективности оценивания {task + 1}",
                title=f"{ACTIONS[index % len(ACTIONS)]} (этап {index + 1})",
                deadline=DEADLINES[index % len(DEADLINES)],
                responsible=RESPONSIBLE[index % len(RESPONSIBLE)],
                result=f"Аналитическая справка № {index + 1}",
            )
        )
    return measures


def roadmap_file(measures: list[PlannedMeasure], spec: LayoutSpec) -> bytes:
    paragraphs = ["УТВЕРЖДЕНА приказом Управления образования от 20.02.2026 № 61", TITLE]
    return write_document(paragraphs, roadmap_grids(measures, spec), spec.file_format)


def expected_section(measure: PlannedMeasure, spec: LayoutSpec) -> str | None:
    """The section title the importer should give the measure."""
    if spec.sections is SectionForm.NONE:
        return None
    text = measure.task if spec.sections is SectionForm.TWO_LEVELS else measure.direction
    return text.split(". ", 1)[1]


def _columns(spec: LayoutSpec) -> list[str]:
    hierarchy = {
        SectionForm.HIERARCHY: ["direction"],
        SectionForm.TWO_LEVELS: ["direction", "task"],
    }.get(spec.sections, [])
    roles = [
        role for role in spec.order if spec.numbering is not Numbering.NONE or role != "number"
    ]
    if roles and roles[0] == "number":
        return ["number", *hierarchy, *roles[1:]]
    return [*hierarchy, *roles]


def _header(spec: LayoutSpec, columns: list[str]) -> list[list[Cell]]:
    words = dict(zip(spec.order, spec.words, strict=True))
    labels = []
    for role in columns:
        if role == "direction":
            labels.append(DIRECTION_HEADER)
        elif role == "task":
            labels.append(TASK_HEADER)
        else:
            options = HEADERS[role]
            labels.append(options[words[role] % len(options)])
    if spec.header_rows == 1:
        return [[Cell(label) for label in labels]]
    # A group cell over the title and the two columns right of it; other cells merged down.
    start = columns.index("title")
    end = min(start + 3, len(columns))
    depth = spec.header_rows
    top: list[Cell] = []
    for index, label in enumerate(labels):
        if index == start:
            top.append(Cell(GROUPS[words["title"] % len(GROUPS)], across=end - start))
        elif not start < index < end:
            top.append(Cell(label, down=depth))
    rows = [top]
    if depth == 3:
        # «Содержание» over the title alone, then the leaves; deadline/responsible merged down.
        rows.append([Cell("Содержание")] + [Cell(labels[i], down=2) for i in range(start + 1, end)])
        rows.append([Cell(labels[start])])
    else:
        rows.append([Cell(labels[i]) for i in range(start, end)])
    return rows


def roadmap_grids(measures: list[PlannedMeasure], spec: LayoutSpec) -> list[Grid]:
    columns = _columns(spec)
    width = len(columns)
    header = _header(spec, columns)
    per_table = -(-len(measures) // spec.tables)
    grids: list[Grid] = []
    direction = task = None
    counters = {"all": 0, "section": 0, "direction": 0}
    for part in range(spec.tables):
        grid = Grid(width)
        grids.append(grid)
        if part == 0 or spec.repeat_header:
            for row in header:
                grid.add(row)
        chunk = measures[part * per_table : (part + 1) * per_table]
        for position, measure in enumerate(chunk):
            if spec.repeat_header and position and position % 7 == 0:
                for row in header:
                    grid.add(row)
            new_direction = measure.direction != direction
            if new_direction:
                direction = measure.direction
                counters["direction"] += 1
                counters["section"] = 0
                _section_row(grid, spec, columns, measure, counters["direction"])
            span_rows = _hierarchy_spans(chunk, position, measure, spec, new_direction, task)
            task = measure.task
            counters["all"] += 1
            counters["section"] += 1
            grid.add(_measure_cells(measure, spec, columns, counters, span_rows))
    return grids


def _hierarchy_spans(
    chunk: list[PlannedMeasure],
    position: int,
    measure: PlannedMeasure,
    spec: LayoutSpec,
    new_direction: bool,
    task: str | None,
) -> dict[str, int]:
    """How many rows the direction and task cells starting here are merged down over (0: the
    cell is covered by a merge from above). A merge never crosses the end of a table."""
    spans = {"direction": 0, "task": 0}
    if spec.sections not in (SectionForm.HIERARCHY, SectionForm.TWO_LEVELS):
        return spans
    rest = chunk[position:]
    restart = position == 0 or (spec.repeat_header and position % 7 == 0)
    if new_direction or restart:
        spans["direction"] = _run(rest, position, lambda m: m.direction == measure.direction, spec)
    if new_direction or restart or measure.task != task:
        spans["task"] = _run(rest, position, lambda m: m.task == measure.task, spec)
    return spans


def _run(
    rest: list[PlannedMeasure],
    position: int,
    same: Callable[[PlannedMeasure], bool],
    spec: LayoutSpec,
) -> int:
    count = 0
    for measure in rest:
        if not same(measure):
            break
        count += 1
        if spec.repeat_header and (position + count) % 7 == 0:
            break  # a repeated header row interrupts the merge
    return count


def _section_row(
    grid: Grid, spec: LayoutSpec, columns: list[str], measure: PlannedMeasure, ordinal: int
) -> None:
    heading = measure.direction.split(". ", 1)[1]
    if spec.sections is SectionForm.MERGED:
        grid.add([Cell(f"{ordinal}. {heading}", across=len(columns))])
    elif spec.sections is SectionForm.NUMBER_AND_MERGED and columns[0] == "number":
        grid.add([Cell(f"{ordinal}."), Cell(heading, across=len(columns) - 1)])
    elif spec.sections is SectionForm.NUMBER_AND_MERGED:
        grid.add([Cell(f"{ordinal}. {heading}", across=len(columns))])
    elif spec.sections is SectionForm.NAMED:
        grid.add([Cell(f"Раздел {ordinal}. {heading}" if c == "title" else "") for c in columns])


def _measure_cells(
    measure: PlannedMeasure,
    spec: LayoutSpec,
    columns: list[str],
    counters: dict[str, int],
    spans: dict[str, int],
) -> list[Cell]:
    cells: list[Cell] = []
    for role in columns:
        if role in ("direction", "task"):
            if spans[role]:
                cells.append(Cell(getattr(measure, role), down=spans[role]))
            continue  # covered by the merge above
        if role == "number":
            cells.append(_number_cell(spec, counters))
        elif role == "place":
            cells.append(Cell("Актовый зал, по месту работы"))
        elif role == "title":
            cells.append(Cell(measure.title))
        else:
            cells.append(Cell(getattr(measure, role)))
    return cells


def _number_cell(spec: LayoutSpec, counters: dict[str, int]) -> Cell:
    if spec.numbering in (Numbering.AUTO, Numbering.STYLE):
        return Cell("", numbered=spec.numbering)
    if spec.numbering is Numbering.DOTTED and spec.sections is not SectionForm.NONE:
        return Cell(f"{counters['direction']}.{counters['section']}")
    return Cell(f"{counters['all']}.")
