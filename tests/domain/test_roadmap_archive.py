"""Which roadmaps are archived, and which one a person's words name."""

from __future__ import annotations

from datetime import date

from domain.roadmap.archive import (
    ARCHIVED,
    KEPT_ACTIVE,
    RoadmapEntry,
    choice_to_restore,
    is_archived,
    named,
    ordered,
    outside_period,
)

TODAY = date(2026, 4, 3)


def _entries() -> list[RoadmapEntry]:
    raw = [
        RoadmapEntry(0, 7, "Дорожная карта ШНОР", date(2024, 1, 1), date(2025, 12, 31), True),
        RoadmapEntry(
            0, 3, "Дорожная карта до 2030 года", date(2026, 1, 1), date(2030, 12, 31), False
        ),
        RoadmapEntry(0, 2, "План мероприятий", date(2026, 1, 1), date(2026, 12, 31), False),
    ]
    return ordered(raw)


def test_a_roadmap_is_archived_when_its_period_ends_unless_the_coordinator_says_otherwise() -> None:
    ended = date(2025, 12, 31)
    assert is_archived(None, ended, TODAY)
    assert not is_archived(None, date(2030, 12, 31), TODAY)
    assert is_archived(ARCHIVED, date(2030, 12, 31), TODAY)
    assert not is_archived(KEPT_ACTIVE, ended, TODAY)
    assert choice_to_restore(ended, TODAY) == KEPT_ACTIVE
    assert choice_to_restore(date(2030, 12, 31), TODAY) is None  # follows its period again


def test_active_roadmaps_come_first_and_are_numbered_from_one() -> None:
    assert [(e.number, e.id) for e in _entries()] == [(1, 2), (2, 3), (3, 7)]


def test_words_name_a_roadmap_by_number_id_or_title() -> None:
    entries = _entries()
    assert [e.id for e in named(entries, "3")] == [7]  # a list number wins over an id
    assert [e.id for e in named(entries, "id:3")] == [3]
    assert [e.id for e in named(entries, "7")] == [7]  # no list number 7: the id
    assert [e.id for e in named(entries, "  шнор ")] == [7]
    assert [e.id for e in named(entries, "ДОРОЖНАЯ КАРТА")] == [3, 7]  # two: the caller refuses
    assert named(entries, "Байкальск") == [] and named(entries, "") == []
    assert named(entries, "id:99") == []


def test_an_export_window_must_meet_the_roadmap_period() -> None:
    start, end = date(2024, 1, 1), date(2025, 12, 31)
    assert outside_period(None, date(2023, 12, 31), start, end)
    assert outside_period(date(2026, 1, 1), date(2026, 6, 1), start, end)
    assert not outside_period(None, date(2026, 6, 1), start, end)  # the whole period, as history
    assert not outside_period(date(2025, 6, 1), date(2026, 6, 1), start, end)
