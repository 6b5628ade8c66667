"""Indicators in the chat: the preview lists them with how their columns were understood; a
table of indicators without targets asks which column holds them; the coordinator corrects
the indicator columns from the preview; Confirm saves them with the measures."""

from __future__ import annotations

from sqlalchemy import select

from demo.indicator_shapes import (
    BaseForm,
    IndicatorLayout,
    TargetForm,
    UnitForm,
    indicator_grid,
    planned_indicators,
)
from demo.layouts import Cell, Grid, Numbering, SectionForm, write_document
from demo.roadmap_shapes import LayoutSpec, planned_measures, roadmap_grids
from domain.roles import Role
from standin.users import button_texts
from storage.models import Indicator, IndicatorTarget, Measure
from tests.conftest import RunningBot

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
LAYOUT = IndicatorLayout(
    unit=UnitForm.COLUMN,
    base=BaseForm.VALUE_AND_YEAR,
    targets=TargetForm.YEARS_GROUPED,
    years=(2025, 2026, 2030),
    name_header=0,
    direction_column=True,
    extras=("responsible",),
    sections=True,
    numbering_row=True,
)


def targetless_table() -> Grid:
    grid = Grid(5)
    header = ["№", "Наименование показателя", "Ед. изм.", "Исходное значение"]
    grid.add([Cell(text) for text in [*header, "Ожидается к концу программы"]])
    row = ["1.", "Доля школ, перешедших в эффективный режим работы", "%", "60", "не менее 85"]
    grid.add([Cell(text) for text in row])
    return grid


async def saved_indicators(bot: RunningBot) -> list[tuple[str, str, list[tuple[int | None, str]]]]:
    async with bot.session_factory() as session:
        result = []
        for indicator in await session.scalars(select(Indicator).order_by(Indicator.position)):
            targets = await session.scalars(
                select(IndicatorTarget)
                .where(IndicatorTarget.indicator_id == indicator.id)
                .order_by(IndicatorTarget.position)
            )
            result.append((indicator.number, indicator.name, [(t.year, t.value) for t in targets]))
        return result


async def test_the_preview_lists_the_indicators_and_confirm_saves_them(
    running_bot: RunningBot,
) -> None:
    coordinator = await running_bot.joined("Анна", Role.COORDINATOR)
    grids = [*roadmap_grids(planned_measures(6), MEASURES), indicator_grid(
        planned_indicators(4, LAYOUT), LAYOUT
    )]  # fmt: skip
    await coordinator.upload(write_document([], grids, "docx"), "Дорожная карта.docx")
    preview = await coordinator.next_message()
    text = preview["text"]
    assert "Разделов: 3, мероприятий: 6" in text
    assert "Целевых показателей: 4" in text
    assert (
        "7–9. Столбцы «Значение показателя по годам / 2025» … → плановые значения на 2025, "
        "2026, 2030 годы"
    ) in text
    assert "Столбец «Базовое значение / год» → год базового значения" in text
    assert "Столбец «Признак возрастания/убывания» → признак возрастания или убывания" in text
    assert "Столбец «Ответственный исполнитель» → не используется" in text
    assert (
        "— 1.1. Доля обучающихся, охваченных дополнительным образованием, %, базовое значение "
        "2023: 40,5, плановые значения 2025: 45,0; 2026: 50,0; 2030: 55,0"
    ) in text
    assert button_texts(preview) == [
        "Подтвердить",
        "Отмена",
        "Столбцы прочитаны неверно",
        "Столбцы показателей прочитаны неверно",
    ]
    await coordinator.press("Подтвердить")
    saved = await coordinator.next_message()
    assert "Целевых показателей добавлено: 4, обновлено: 0" in saved["text"]
    stored = await saved_indicators(running_bot)
    assert [number for number, _name, _targets in stored] == ["1.1", "1.2", "1.3", "2.1"]
    assert stored[1][2] == [(2025, "36,0"), (2026, "31,0"), (2030, "26,0")]
    async with running_bot.session_factory() as session:
        titles = set((await session.scalars(select(Measure.title))).all())
    assert not titles & {name for _n, name, _t in stored}


async def test_a_table_without_targets_asks_which_column_holds_them(
    running_bot: RunningBot,
) -> None:
    coordinator = await running_bot.joined("Анна", Role.COORDINATOR)
    grids = [*roadmap_grids(planned_measures(3), MEASURES), targetless_table()]
    await coordinator.upload(write_document([], grids, "odt"), "Дорожная карта.odt")
    question = await coordinator.next_message()
    assert question["text"].startswith("Я нашёл таблицу целевых показателей")
    assert "5. Столбец «Ожидается к концу программы» → не используется" in question["text"]
    assert "В каком столбце плановые (целевые) значения показателей?" in question["text"]
    assert button_texts(question) == [
        "2. Наименование показателя",
        "3. Ед. изм.",
        "4. Исходное значение",
        "5. Ожидается к концу программы",
        "Отмена",
    ]
    forged = await coordinator.press_data("v1imc:ind_target_text:9")
    assert forged["show_alert"] and "нет такого столбца" in forged["text"]
    await coordinator.press("5. Ожидается к концу программы")
    preview = await coordinator.next_message()
    assert "→ плановое значение (как вы указали)" in preview["text"]
    assert "плановые значения не менее 85" in preview["text"]
    await coordinator.press("Подтвердить")
    await coordinator.next_message()
    assert await saved_indicators(running_bot) == [
        ("1", "Доля школ, перешедших в эффективный режим работы", [(None, "не менее 85")])
    ]


async def test_indicator_columns_are_corrected_from_the_preview(running_bot: RunningBot) -> None:
    coordinator = await running_bot.joined("Анна", Role.COORDINATOR)
    layout = IndicatorLayout(
        unit=UnitForm.COLUMN,
        base=BaseForm.YEAR_IN_HEADER,
        targets=TargetForm.TEXT,
        years=(2030,),
        name_header=0,
        direction_column=False,
        extras=("source",),
        sections=False,
        numbering_row=False,
    )
    grids = [*roadmap_grids(planned_measures(3), MEASURES), indicator_grid(
        planned_indicators(2, layout), layout
    )]  # fmt: skip
    await coordinator.upload(write_document([], grids, "xlsx"), "Дорожная карта.xlsx")
    preview = await coordinator.next_message()
    assert "плановые значения не менее 45 %" in preview["text"]

    await coordinator.press("Столбцы показателей прочитаны неверно")
    name_question = await coordinator.next_message()
    assert name_question["text"].startswith("Вот как я прочитал столбцы таблицы показателей:")
    assert "В каком столбце названия показателей?" in name_question["text"]
    assert button_texts(preview) == []
    await coordinator.press("2. Наименование целевого показателя")
    target_question = await coordinator.next_message()
    assert "В каком столбце плановые (целевые) значения" in target_question["text"]
    await coordinator.press("6. Источник данных")  # the coordinator says the targets are there
    corrected = await coordinator.next_message()
    assert "Столбец «Источник данных» → плановое значение (как вы указали)" in corrected["text"]
    assert "плановые значения Мониторинг" in corrected["text"]
    await coordinator.press("Отмена")
    await coordinator.next_message()
    assert await saved_indicators(running_bot) == []


async def test_a_long_programme_still_fits_in_one_preview(running_bot: RunningBot) -> None:
    """Three wide indicator tables of 30 indicators each beside 40 measures: the preview stays
    one message within the messenger's limit, year columns in one line, the rest counted."""
    coordinator = await running_bot.joined("Анна", Role.COORDINATOR)
    wide = IndicatorLayout(
        unit=UnitForm.COLUMN,
        base=BaseForm.VALUE_AND_YEAR,
        targets=TargetForm.YEARS_GROUPED,
        years=(2024, 2025, 2026, 2027, 2028, 2029, 2030),
        name_header=2,
        direction_column=True,
        extras=("responsible", "source", "level", "cumulative"),
        sections=True,
        numbering_row=False,
    )
    table = indicator_grid(planned_indicators(30, wide), wide)
    grids = [*roadmap_grids(planned_measures(40), MEASURES), table, table, table]
    await coordinator.upload(write_document([], grids, "docx"), "Программа.docx")
    preview = await coordinator.next_message()
    assert len(preview["text"]) <= 4096
    assert "Целевых показателей: 90" in preview["text"]
    assert "→ плановые значения на 2024, 2025, 2026, 2027, 2028, 2029, 2030 годы" in preview["text"]
    assert "… и ещё" in preview["text"]
