"""The .ics file, parsed back: all-day events, the alarm, user text kept as text."""

from __future__ import annotations

from datetime import date, timedelta

from icalendar import Calendar, Event

from domain.progress.calendar import DeadlineEvent
from formats.calendar_file import CalendarTexts, calendar_file

TEXTS = CalendarTexts("Сроки", "Срок", "Ожидаемый результат", "Отчитаться", "Завтра срок")


def test_events_round_trip_with_awkward_text() -> None:
    tricky = "Отчёт; «кавычки», запятые,\nновая строка и \\ обратная черта <b>не html</b>"
    events = [
        DeadlineEvent(7, date(2026, 4, 17), "П3.2", tricky, "Справка; протокол", "СОШ № 1"),
        DeadlineEvent(8, date(2026, 11, 1), "1.1", "Мониторинг", "", None),
    ]
    data = calendar_file(events, TEXTS, timezone="Asia/Irkutsk", bot_link=None)
    calendar = Calendar.from_ical(data)
    parsed = [e for e in calendar.walk("VEVENT") if isinstance(e, Event)]

    assert calendar["x-wr-calname"] == "Сроки"
    assert [str(e["uid"]) for e in parsed] == [
        "occurrence-7@roadmap-bot",
        "occurrence-8@roadmap-bot",
    ]
    assert str(parsed[0]["summary"]) == f"Срок: П3.2. {tricky} (СОШ № 1)"
    assert str(parsed[0]["description"]) == "Ожидаемый результат: Справка; протокол"
    assert parsed[0].decoded("dtstart") == date(2026, 4, 17)
    assert parsed[0].decoded("dtend") == date(2026, 4, 18)
    assert "description" not in parsed[1] and "url" not in parsed[1]
    alarms = list(parsed[1].walk("VALARM"))
    assert len(alarms) == 1 and alarms[0].decoded("trigger") == -timedelta(hours=15)


def test_an_empty_calendar_is_still_a_valid_file() -> None:
    calendar = Calendar.from_ical(calendar_file([], TEXTS, timezone="Asia/Irkutsk", bot_link=None))
    assert list(calendar.walk("VEVENT")) == []
    assert calendar["version"] == "2.0"


def test_the_time_zone_is_the_roadmaps() -> None:
    yakutsk = [DeadlineEvent(9, date(2026, 5, 1), "2.1", "Семинар", "", None, "Asia/Yakutsk")]
    data = calendar_file(yakutsk, TEXTS, timezone="Asia/Irkutsk", bot_link=None)
    assert Calendar.from_ical(data)["x-wr-timezone"] == "Asia/Yakutsk"
    mixed = [*yakutsk, DeadlineEvent(10, date(2026, 5, 2), "2.2", "Совет", "", None, "Asia/Omsk")]
    data = calendar_file(mixed, TEXTS, timezone="Asia/Irkutsk", bot_link=None)
    assert Calendar.from_ical(data)["x-wr-timezone"] == "Asia/Irkutsk"  # the bot's, then


def test_the_coordinators_calendar_has_one_event_per_measure_and_date() -> None:
    from domain.progress.calendar import one_per_measure

    events = [
        DeadlineEvent(n * 10 + school, date(2026, 11, 1), f"1.{n}", f"Мониторинг {n}", "", name)
        for n in range(1, 11)
        for school, name in enumerate(("СОШ № 1", "СОШ № 2", "СОШ № 3"))
    ]
    events.append(DeadlineEvent(999, date(2026, 12, 1), "2.1", "Семинар", "", "СОШ № 2"))
    texts = CalendarTexts(
        "Сроки", "Срок", "Ожидаемый результат", "Отчитаться", "Завтра срок", lambda n: f"{n} ОО"
    )
    calendar = Calendar.from_ical(
        calendar_file(one_per_measure(events), texts, timezone="Asia/Irkutsk", bot_link=None)
    )
    parsed = [e for e in calendar.walk("VEVENT") if isinstance(e, Event)]

    assert len(parsed) == 11  # not 31
    assert str(parsed[0]["summary"]) == "Срок: 1.1. Мониторинг 1 (3 ОО)"
    assert str(parsed[-1]["summary"]) == "Срок: 2.1. Семинар (СОШ № 2)"
    assert len({str(e["uid"]) for e in parsed}) == 11
    # A school added later updates the same event: the UID is the measure's and the date's.
    fewer = one_per_measure(events[:2])
    assert fewer[0].uid == one_per_measure(events)[0].uid


def test_roadmaps_are_named_when_there_are_several_plans_not_for_the_requests_holder() -> None:
    to_2030, shnor, holder = (
        "Дорожная карта до 2030 года",
        "Дорожная карта ШНОР",
        "Запросы управления образования",
    )
    plan = DeadlineEvent(1, date(2026, 5, 1), "1.1", "Совет", "", None, roadmap=to_2030)
    request = DeadlineEvent(
        2, date(2026, 5, 2), "З-1", "Пришлите план", "", None, roadmap=holder, request=True
    )

    def parsed(*events: DeadlineEvent) -> list[Event]:
        data = calendar_file(list(events), TEXTS, timezone="Asia/Irkutsk", bot_link=None)
        return [e for e in Calendar.from_ical(data).walk("VEVENT") if isinstance(e, Event)]

    # One plan and the holder of its requests: one roadmap as far as anyone can tell.
    assert not [e for e in parsed(plan, request) if "categories" in e or "description" in e]
    other = DeadlineEvent(3, date(2026, 5, 3), "1.1", "Совет", "", None, roadmap=shnor)
    named = parsed(plan, request, other)
    assert [str(e["description"]) for e in named] == [f"«{to_2030}»", f"«{holder}»", f"«{shnor}»"]
    categories = [e["categories"].to_ical() for e in named]
    assert [c.decode() if isinstance(c, bytes) else c for c in categories] == [
        to_2030,
        holder,
        shnor,
    ]
