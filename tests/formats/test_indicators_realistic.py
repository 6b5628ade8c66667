"""Indicator tables laid out as public programmes print them (a municipal programme's
«Сведения о целевых показателях», a project passport, an older programme's «Перечень
показателей результативности»), alone in a document or beside the measures, in every format."""

from __future__ import annotations

import pytest

from demo.layouts import Cell, Grid, Numbering, SectionForm, write_document
from demo.roadmap_shapes import LayoutSpec, planned_measures, roadmap_grids
from domain.indicators.draft import Direction, Value
from domain.roadmap.build import build_draft
from domain.roadmap.draft import RoadmapDraft
from formats.roadmap_files import read_roadmap_file

FORMATS = ("docx", "xlsx", "odt", "ods")
MEASURES = LayoutSpec(
    order=("number", "title", "deadline", "responsible", "result"),
    words=(0, 0, 0, 0, 0),
    header_rows=1,
    sections=SectionForm.MERGED,
    numbering=Numbering.TYPED,
    tables=1,
    repeat_header=False,
    file_format="docx",
)


def read(grids: list[Grid], file_format: str) -> RoadmapDraft:
    data = write_document(["Муниципальная программа «Развитие образования»"], grids, file_format)
    return build_draft(read_roadmap_file(f"p.{file_format}", data), fallback_year=2026)


def row(*texts: str) -> list[Cell]:
    return [Cell(text) for text in texts]


def plan_periods_table() -> Grid:
    """Three header rows: «Значения индикаторов» over «отчетный год …» over the years."""
    grid = Grid(10)
    grid.add(
        [
            Cell("N п/п", down=3),
            Cell("Наименование целевого индикатора (показателя)", down=3),
            Cell("Ед. измерения", down=3),
            Cell("Направленность", down=3),
            Cell("Принадлежность", down=3),
            Cell("Значения индикаторов (показателей)", across=5),
        ]
    )
    grid.add(row("отчетный год", "текущий год", "очередной год", "первый год", "второй год"))
    grid.add(row("2022", "2023", "2024", "2025", "2026"))
    grid.add(row(*[str(n) for n in range(1, 11)]))
    grid.add([Cell("Муниципальная программа «Развитие образования»", across=10)])
    grid.add(row("1.1.", "Доступность дошкольного образования", "%", "↑", "МП", *["100"] * 5))
    grid.add(
        row("1.2.", "Удельный вес выпускников, не получивших аттестат", "%", "↓", "МП")
        + row("1,2", "1", "0,8", "0,5", "0")
    )
    return grid


@pytest.mark.parametrize("file_format", FORMATS)
def test_report_year_then_plan_years_under_three_header_rows(file_format: str) -> None:
    draft = read([*roadmap_grids(planned_measures(5), MEASURES), plan_periods_table()], file_format)
    assert len(draft.measures) == 5
    first, second = draft.indicators
    assert (first.number, first.unit, first.direction) == ("1.1", "%", Direction.UP)
    assert first.base == Value(2022, "100")
    assert second.targets == (
        Value(2023, "1"),
        Value(2024, "0,8"),
        Value(2025, "0,5"),
        Value(2026, "0"),
    )
    assert second.direction is Direction.DOWN and not second.direction_inferred


def passport_table() -> Grid:
    """A project passport: level, direction, OKEI unit, base value and year, «Период, год»,
    «Нарастающий итог», the responsible and the information system."""
    grid = Grid(13)
    merged = ["№ п/п", "Наименование показателя", "Уровень показателя"]
    merged += ["Признак возрастания/убывания", "Единица измерения (по ОКЕИ)"]
    grid.add(
        [Cell(text, down=2) for text in merged]
        + [Cell("Базовое значение", across=2), Cell("Период, год", across=3)]
        + [Cell("Нарастающий итог", down=2), Cell("Ответственный за достижение", down=2)]
        + [Cell("Информационная система", down=2)]
    )
    grid.add(row("значение", "год", "2025", "2026", "2030"))
    grid.add([Cell("Задача «Обеспечена доступность дошкольного образования»", across=13)])
    grid.add(
        row("1.", "Доступность дошкольного образования для детей от 1,5 до 3 лет", "МП")
        + row("Возрастание", "Процент", "98,2", "2023", "98,5", "99", "100")
        + row("Нет", "Управление образования", "ГИС «Образование»")
    )
    grid.add(
        row("2.", "Численность детей, стоящих в очереди в детский сад", "МП", "Убывание")
        + row("Человек", "120", "2024", "80", "40", "0", "Нет", "Управление образования", "—")
    )
    return grid


@pytest.mark.parametrize("file_format", FORMATS)
def test_a_project_passport_alone_in_the_document(file_format: str) -> None:
    draft = read([passport_table()], file_format)
    assert draft.measures == ()
    first, second = draft.indicators
    assert (first.name, first.unit) == (
        "Доступность дошкольного образования для детей от 1,5 до 3 лет",
        "Процент",
    )
    assert first.base == Value(2023, "98,2")
    assert first.targets == (Value(2025, "98,5"), Value(2026, "99"), Value(2030, "100"))
    assert (second.base, second.direction) == (Value(2024, "120"), Direction.DOWN)
    assert second.section == "Задача «Обеспечена доступность дошкольного образования»"


def goals_column_table() -> Grid:
    """Goals and tasks merged down on the left, the indicator's number inside its name, the
    fact year in the header, a total column."""
    grid = Grid(6)
    grid.add(
        [
            Cell("Цели и задачи программы", down=2),
            Cell("Показатели", down=2),
            Cell("Фактическое значение на 2022 г.", down=2),
            Cell("год", across=2),
            Cell("Итого", down=2),
        ]
    )
    grid.add(row("2024", "2025"))
    grid.add(
        [
            Cell("1. Модернизация содержания образования", down=2),
            *row("1. Охват дошкольным образованием детей, %", "78,7 %", "79,9 %", "81,2 %", "—"),
        ]
    )
    grid.add(row("2. Доля школ с электронным журналом, %", "90", "95", "100", "—"))
    return grid


@pytest.mark.parametrize("file_format", FORMATS)
def test_goals_merged_down_and_numbers_inside_the_names(file_format: str) -> None:
    draft = read([*roadmap_grids(planned_measures(3), MEASURES), goals_column_table()], file_format)
    assert len(draft.measures) == 3
    first, second = draft.indicators
    assert (first.number, first.name, first.unit) == (
        "1",
        "Охват дошкольным образованием детей",
        "%",
    )
    assert first.base == Value(2022, "78,7 %")
    assert first.targets == (Value(2024, "79,9 %"), Value(2025, "81,2 %"))
    assert second.number == "2" and second.section == "1. Модернизация содержания образования"


@pytest.mark.parametrize("file_format", ("docx", "odt"))
def test_a_table_split_in_two_without_a_header_on_the_second(file_format: str) -> None:
    first = Grid(5)
    first.add(row("№ п/п", "Наименование показателя", "Ед. изм.", "2025", "2026"))
    first.add(row("1.", "Доля детей, охваченных летним отдыхом", "%", "60", "65"))
    rest = Grid(5)
    rest.add(row("2.", "Количество кружков технической направленности", "единиц", "12", "15"))
    draft = read([*roadmap_grids(planned_measures(4), MEASURES), first, rest], file_format)
    assert len(draft.measures) == 4
    assert [(i.number, i.unit, i.targets[-1]) for i in draft.indicators] == [
        ("1", "%", Value(2026, "65")),
        ("2", "единиц", Value(2026, "15")),
    ]


@pytest.mark.parametrize("file_format", FORMATS)
def test_a_group_row_above_the_names_and_an_unnumbered_heading(file_format: str) -> None:
    grid = Grid(6)
    grid.add([Cell("Показатели", across=3), Cell("Значения по годам", across=3)])
    grid.add(row("№", "Наименование", "Ед. изм.", "2024", "2025", "2026"))
    grid.add(row("1", "Развитие общего образования", "", "", "", ""))
    grid.add(
        row("1.1", "Доля школ, обновивших материально-техническую базу", "%", "20", "40", "60")
    )
    draft = read([grid], file_format)
    (indicator,) = draft.indicators
    assert (indicator.number, indicator.unit, indicator.direction) == ("1.1", "%", Direction.UP)
    assert indicator.direction_inferred
    assert indicator.targets == (Value(2024, "20"), Value(2025, "40"), Value(2026, "60"))


@pytest.mark.parametrize("file_format", FORMATS)
def test_targets_in_words_under_year_columns(file_format: str) -> None:
    grid = Grid(5)
    grid.add(row("№", "Целевые индикаторы", "Исходное значение (2019)", "2020", "2021"))
    grid.add(
        row("1", "Доля педагогов, прошедших диагностику профессиональных дефицитов, %", "5")
        + row("в 2020 году – 5 %, далее – 10 % от общей численности", "ежегодно, не менее 10")
    )
    (indicator,) = read([grid], file_format).indicators
    assert indicator.unit == "%"
    assert indicator.base == Value(2019, "5")
    assert indicator.targets == (
        Value(2020, "в 2020 году – 5 %, далее – 10 % от общей численности"),
        Value(2021, "ежегодно, не менее 10"),
    )
    assert indicator.direction is Direction.UP


@pytest.mark.parametrize("file_format", FORMATS)
def test_a_table_describing_how_indicators_are_computed_is_neither_asked_nor_read(
    file_format: str,
) -> None:
    """«Характеристика основных показателей»: names, units, sources and methods, no values."""
    described = Grid(5)
    described.add(
        row("N", "Наименование показателя", "Единица измерения показателя")
        + row("Источник данных", "Методика расчета показателя")
    )
    described.add(row("1", "Доля школ с электронным журналом", "%", "Мониторинг", "Ч / З × 100"))
    values = Grid(4)
    values.add(row("№", "Наименование показателя", "Ед. изм.", "2025"))
    values.add(row("1.", "Доля школ с электронным журналом", "%", "100"))
    draft = read([*roadmap_grids(planned_measures(3), MEASURES), described, values], file_format)
    assert len(draft.measures) == 3
    assert [(i.name, i.targets) for i in draft.indicators] == [
        ("Доля школ с электронным журналом", (Value(2025, "100"),))
    ]
    assert len(draft.indicator_tables) == 1
