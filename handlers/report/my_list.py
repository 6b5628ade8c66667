"""/my: each of the person's measures due soon (or overdue) as a line with its title, date and
state, and a button under it to report. One function, so a grouping (by roadmap, say) changes
only here."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from domain.labels import shorten
from handlers.common.callbacks import PickCb
from handlers.common.roadmap_picker import by_roadmap, roadmap_heading
from handlers.common.texts import status_name
from storage.usecases.reports.reportable import OccurrenceView

MY_LINES = 20  # a phone's screen of lines, each with its button
TITLE_IN_LINE = 70
TITLE_ON_BUTTON = 40


def my_list(
    items: list[OccurrenceView],
    horizon: date,
    days: int,
    titles: Mapping[int, str] | None = None,
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The text and buttons of /my for ``items`` (by due date): those due by ``horizon``.
    ``titles``: the roadmaps' titles when there are several; then the lines are grouped under
    a heading per roadmap, since measure numbers repeat across them."""
    near = [item for item in items if item.due_on <= horizon]
    if not near:
        return _("You have no open measures right now."), None
    if titles:
        near = [item for _id, group in by_roadmap(near, lambda i: i.roadmap_id) for item in group]
    lines = [_("Your measures for the next {days} days and overdue ones:").format(days=days)]
    buttons = []
    heading: int | None = None
    for number, item in enumerate(near[:MY_LINES], 1):
        if titles and item.roadmap_id != heading:
            heading = item.roadmap_id
            lines.append("\n" + roadmap_heading(titles.get(heading, "")))
        state = status_name(item.last_report) if item.last_report else _("no report yet")
        lines.append(
            _("{n}. {measure} {title} — due {date} — {state}").format(
                n=number,
                measure=item.measure_number,
                title=shorten(item.measure_title, TITLE_IN_LINE),
                date=f"{item.due_on:%d.%m.%Y}",
                state=state,
            )
        )
        buttons.append(
            [
                InlineKeyboardButton(
                    text=_("{n}. Report: {measure} {title}").format(
                        n=number,
                        measure=item.measure_number,
                        title=shorten(item.measure_title, TITLE_ON_BUTTON),
                    ),
                    callback_data=PickCb(occurrence_id=item.occurrence_id).pack(),
                )
            ]
        )
    more = len(items) - len(near[:MY_LINES])
    if more:
        lines.append(_("Later this period: {count} more.").format(count=more))
    return "\n".join(lines)[:4000], InlineKeyboardMarkup(inline_keyboard=buttons)
