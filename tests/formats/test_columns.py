from __future__ import annotations

import pytest

from domain.roadmap.columns import Column, meaning
from domain.roadmap.details import read_details


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("Мероприятия", Column.TITLE),
        ("Мероприятия/ предмет взаимодействия", Column.TITLE),
        ("Событие", Column.TITLE),
        ("Наименование мероприятия", Column.TITLE),
        ("Срок реализации", Column.DEADLINE),
        ("Сроки", Column.DEADLINE),
        ("Сроки реализации", Column.DEADLINE),
        ("Период реализации", Column.DEADLINE),
        ("Ответственные исполнители", Column.RESPONSIBLE),
        ("Исполнители", Column.RESPONSIBLE),
        ("Координация", Column.COORDINATION),
        ("Участие", Column.RESPONSIBLE),
        ("ответственный", Column.RESPONSIBLE),
        ("Планируемый результат", Column.RESULT),
        ("Показатель реализации", Column.RESULT),
        ("Прогнозируемый результат", Column.RESULT),
        ("Контроль выполнения мероприятия", Column.CONTROL),
        ("№ п/п", Column.NUMBER),
        ("N п/п", Column.NUMBER),
        ("№", Column.NUMBER),
        ("Примечание", Column.UNUSED),
        # Other municipalities' words for the same columns.
        ("Содержание работы", Column.TITLE),
        ("Наименование меры", Column.TITLE),
        ("Перечень мероприятий", Column.TITLE),
        ("Формы работы", Column.TITLE),
        ("Сроки исполнения", Column.DEADLINE),
        ("Дата проведения", Column.DEADLINE),
        ("Время проведения", Column.DEADLINE),
        ("Когда", Column.DEADLINE),
        ("Срок выполнения (месяц, год)", Column.DEADLINE),
        ("Ответственный исполнитель", Column.RESPONSIBLE),
        ("ФИО ответственного", Column.RESPONSIBLE),
        ("Кто выполняет", Column.RESPONSIBLE),
        ("Соисполнители", Column.RESPONSIBLE),
        ("Ответственные и участники", Column.RESPONSIBLE),
        ("Ожидаемый результат", Column.RESULT),
        ("Итоговый документ", Column.RESULT),
        ("Форма представления результата", Column.RESULT),
        ("Целевой индикатор", Column.RESULT),
        ("Форма контроля", Column.CONTROL),
        ("Направление", Column.SECTION),
        ("Задача", Column.SECTION),
        ("Цель", Column.SECTION),
        ("Раздел", Column.SECTION),
        ("Место проведения", Column.UNUSED),
        ("Место проведения мероприятия", Column.UNUSED),
        ("Участники", Column.UNUSED),
        ("Источник финансирования", Column.UNUSED),
        ("Отметка о выполнении", Column.UNUSED),
        ("Источник данных", Column.UNUSED),
        ("Телефон", None),
        ("", None),
    ],
)
def test_headers_are_recognised_by_meaning(header: str, column: Column | None) -> None:
    assert meaning(header) is column


@pytest.mark.parametrize(
    ("paragraphs", "period"),
    [
        (("Дорожная карта на 2021-2022 годы",), "2021-2022"),
        (("План мероприятий", "Срок реализации программы: 2020-2022 гг."), "2020-2022"),
        (("План работы в 2025/2026 учебном году",), "2025/2026"),
        (("Дорожная карта на 2025-2026 учебный год",), "2025/2026"),
        (("Комплекс мер на период до 2030 года", "Приказ от 10.02.2026 № 5"), "2026-2030"),
        (("План мероприятий на 2024 год",), "2024"),
        (("Дорожная карта", "на период с 2024 по 2026 годы"), "2024-2026"),
    ],
)
def test_the_period_wherever_it_is_stated(paragraphs: tuple[str, ...], period: str) -> None:
    found = read_details(paragraphs).period
    assert found is not None and found.label() == period
