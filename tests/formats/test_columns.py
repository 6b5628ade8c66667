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
        ("Примечание", None),
    ],
)
def test_headers_are_recognised_by_meaning(header: str, column: Column | None) -> None:
    assert meaning(header) is column
