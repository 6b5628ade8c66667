from __future__ import annotations

import pytest

from domain.roadmap.columns import Column, meaning


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
