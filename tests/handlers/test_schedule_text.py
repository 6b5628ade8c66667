"""Schedules read back in plain words, in the reader's language."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from aiogram.utils.i18n import I18n

from bot.i18n import build_i18n
from domain.deadlines import MonthDay, Period, read_deadline
from handlers.roadmap.schedule_text import describe_schedule

P2026 = Period.parse("2026-2030")


@pytest.fixture
def i18n() -> Iterator[I18n]:
    i18n = build_i18n("ru")
    with i18n.context():
        yield i18n


@pytest.mark.parametrize(
    ("text", "period", "expected"),
    [
        ("ежегодно до 1 ноября текущего года", P2026, "ежегодно до 1 ноября, 2026–2030"),
        ("В течение года (по запросу)", P2026, "по запросу — без срока"),
        ("до 17 апреля 2026 г.", P2026, "до 17 апреля 2026"),
        ("Май-июнь 2024", Period.parse("2024-2025"), "с 1 мая 2024 до 30 июня 2024"),
        ("ежемесячно, до 5 числа", Period.parse("2026"), "ежемесячно до 5 числа, 2026"),
        ("ежемесячно", Period.parse("2026"), "ежемесячно, до конца месяца, 2026"),
        ("раз в квартал", Period.parse("2026-2027"), "ежеквартально, до конца квартала, 2026–2027"),
        (
            "Постоянно",
            Period.parse("2022-2024"),
            "постоянно, с ежегодным отчётом до 31 декабря, 2022–2024",
        ),
        ("По графику", P2026, "сроки устанавливаются отдельно — укажите даты"),
        ("что-то непонятное", P2026, "срок не распознан — укажите даты"),
        ("Июнь 2024, ноябрь 2024", Period.parse("2024-2025"), "до 30 июня 2024, 30 ноября 2024"),
    ],
)
def test_russian_reading(i18n: I18n, text: str, period: Period, expected: str) -> None:
    with i18n.use_locale("ru"):
        assert describe_schedule(read_deadline(text, period), "ru") == expected


def test_english_reading(i18n: I18n) -> None:
    schedule = read_deadline("Ежегодно", P2026, MonthDay(11, 1))
    with i18n.use_locale("en"):
        assert describe_schedule(schedule, "en") == "every year by 1 November, 2026–2030"
