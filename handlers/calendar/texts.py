"""The words of the deadlines calendar, shared by /calendar and ``roadmap-bot calendar``."""

from __future__ import annotations

from domain.progress.columns import PLANNED_SHORT
from formats.calendar_file import CalendarTexts
from handlers.common.translation import gettext as _
from handlers.common.translation import ngettext


def calendar_texts() -> CalendarTexts:
    return CalendarTexts(
        name=_("Roadmap deadlines"),
        deadline=_("Deadline"),
        planned_result=PLANNED_SHORT,  # the official column's name, as the report prints it
        report_here=_("Report in the bot"),
        alarm=_("Deadline tomorrow"),
        organisations=lambda count: ngettext(
            "{count} organisation", "{count} organisations", count
        ).format(count=count),
    )
