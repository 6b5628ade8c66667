"""Deadlines as an iCalendar (.ics) file: one all-day event per due date, with a reminder at
09:00 the day before, that Яндекс Календарь, Outlook and Google Calendar import."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from icalendar import Alarm, Calendar, Event

from domain.progress.calendar import DeadlineEvent

PRODUCT = "-//roadmap-bot//deadlines//RU"
# An all-day event starts at midnight: 15 hours before is 09:00 on the day before.
ALARM_BEFORE = timedelta(hours=15)


@dataclass(frozen=True, slots=True)
class CalendarTexts:
    """Words the file shows, already translated for its reader."""

    name: str  # «Сроки дорожной карты»
    deadline: str  # «Срок»: the event's title starts with it
    planned_result: str  # «Прогнозируемый результат»
    report_here: str  # «Отчитаться в боте»
    alarm: str  # «Завтра срок»
    # «12 организаций»: an event that stands for several organisations' same deadline.
    organisations: Callable[[int], str] = field(default=str)


def calendar_file(
    events: Sequence[DeadlineEvent],
    texts: CalendarTexts,
    *,
    timezone: str,
    bot_link: str | None,
    host: str = "roadmap-bot",
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", texts.name)
    # All-day dates are the roadmap's local days: its time zone, the bot's when it has none.
    zones = {item.timezone for item in events if item.timezone}
    calendar.add("x-wr-timezone", zones.pop() if len(zones) == 1 else timezone)
    stamp = datetime.now(UTC)
    # A department running several roadmaps sees each event's roadmap (and calendar apps
    # can group by it); with one, nothing is added, whichever roadmap holds its requests.
    several = len({item.roadmap for item in events if not item.request}) > 1
    for item in events:
        event = Event()
        event.add("uid", f"{item.uid}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.due_on)
        event.add("dtend", item.due_on + timedelta(days=1))
        event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
        title = f"{texts.deadline}: {item.measure_number}. {item.measure_title}"
        if item.organisations > 1:
            title += f" ({texts.organisations(item.organisations)})"
        elif item.organisation:
            title += f" ({item.organisation})"
        event.add("summary", title)
        description = []
        if several and item.roadmap:
            event.add("categories", [item.roadmap])
            description.append(f"«{item.roadmap}»")
        if item.planned_result:
            description.append(f"{texts.planned_result}: {item.planned_result}")
        if bot_link:
            description.append(f"{texts.report_here}: {bot_link}")
            event.add("url", bot_link)
        if description:
            event.add("description", "\n".join(description))
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"{texts.alarm}: {item.measure_number}. {item.measure_title}")
        alarm.add("trigger", -ALARM_BEFORE)
        event.add_component(alarm)
        calendar.add_component(event)
    return bytes(calendar.to_ical())
