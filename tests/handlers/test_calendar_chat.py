"""/calendar: a head's own open deadlines, the coordinator's of every school, as an .ics file
read back with the iCalendar parser."""

from __future__ import annotations

import re
from datetime import date, timedelta

from icalendar import Calendar, Event

from domain.roles import Role
from tests.conftest import RunningBot
from tests.handlers.test_digest_export import next_with
from tests.handlers.test_reports import reminded
from tests.support import audit_actions


def events_of(bot: RunningBot, message: dict[str, object]) -> list[Event]:
    document = message["document"]
    assert isinstance(document, dict)
    assert document["file_name"] == "Сроки.ics"
    calendar = Calendar.from_ical(bot.world.files[document["file_id"]].content)
    assert calendar["x-wr-timezone"] == "Asia/Irkutsk"
    return [event for event in calendar.walk("VEVENT") if isinstance(event, Event)]


async def test_a_head_and_the_coordinator_get_their_deadlines(running_bot: RunningBot) -> None:
    coordinator, maria, _petr, _reminder = await reminded(running_bot)

    await maria.send("/calendar")
    sent = await next_with(maria, "document")
    assert "Яндекс Календарь" in str(sent["caption"])
    mine = events_of(running_bot, sent)
    assert mine, "Мария has open deadlines"
    first = mine[0]
    assert str(first["summary"]).startswith("Срок: ")
    assert "(СОШ № 1)" in str(first["summary"])
    start = first.decoded("dtstart")
    assert isinstance(start, date) and first.decoded("dtend") == start + timedelta(days=1)
    alarm = next(iter(first.walk("VALARM")))
    assert alarm.decoded("trigger") == -timedelta(hours=15)  # 09:00 the day before
    assert "https://t.me/" in str(first["description"])
    assert all("СОШ № 2" not in str(event["summary"]) for event in mine)
    uids = [str(event["uid"]) for event in mine]
    assert len(set(uids)) == len(uids)

    await coordinator.send("/calendar")
    everyone = events_of(running_bot, await next_with(coordinator, "document"))
    summaries = [str(event["summary"]) for event in everyone]
    # One event per measure and date for both schools, with their number: not one per school.
    days = [(str(event["summary"]), event.decoded("dtstart")) for event in everyone]
    assert len(set(days)) == len(days) < 2 * len(mine)
    for event in mine:  # each of Мария's deadlines is one event counting the schools
        title = str(event["summary"]).removesuffix(" (СОШ № 1)")
        assert any(
            re.fullmatch(re.escape(title) + r" \(\d+ организаци[яий]\)", s) for s in summaries
        )
    assert all("СОШ № 1" not in s and "СОШ № 2" not in s for s in summaries)
    assert len({str(event["uid"]) for event in everyone}) == len(everyone)
    assert ("calendar", "ok") in await audit_actions(running_bot.session_factory)


async def test_no_open_deadlines_and_people_who_may_not(running_bot: RunningBot) -> None:
    observer = await running_bot.joined("Олег", Role.OBSERVER)
    await observer.send("/calendar")
    refused = await observer.next_message()
    assert "document" not in refused
    assert "не входит в вашу роль" in str(refused["text"])

    head = await running_bot.joined("Мария")
    await head.send("/calendar")
    answer = await head.next_message()
    assert "Открытых сроков нет" in str(answer["text"])
