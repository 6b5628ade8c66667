"""Which roadmap: a department may run several approved plans at once. Views about one
roadmap (/export, /measures) ask which with buttons when there is more than one; with one,
nobody sees a question. Archived roadmaps stay in the list, after the active ones. Lists that
span roadmaps (/my, /report, /digest) group their lines under each roadmap's short title,
and only when there is more than one."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import TypeVar

from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.labels import shorten
from domain.roadmap.archive import RoadmapEntry
from domain.roles import Command
from handlers.common.access import refuse_unless
from handlers.common.callbacks import RoadmapPickCb
from storage.models import Person, Roadmap
from storage.unit_of_work import UnitOfWork
from storage.usecases.roadmap_choice import entry_of, roadmap_entries

BUTTON_TITLE = 40
HEADING_TITLE = 80  # a roadmap's short title over its lines: about a line on a phone
T = TypeVar("T")


def period_text(start: date, end: date) -> str:
    """«2026–2030» for whole years, otherwise «01.09.2025–31.05.2026»."""
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return f"{start.year}" if start.year == end.year else f"{start.year}–{end.year}"
    return f"{start:%d.%m.%Y}–{end:%d.%m.%Y}"


def entry_label(entry: RoadmapEntry, *, width: int | None = None) -> str:
    """A roadmap's name in a list line (the whole title) or on a button (``width``: the
    title cut to fit a phone's screen): title, period, archive mark."""
    title = " ".join(entry.title.split())
    if width is not None and len(title) > width:
        title = title[: width - 1] + "…"
    label = f"{title} ({period_text(entry.period_start_on, entry.period_end_on)})"
    return _("{roadmap} — in the archive").format(roadmap=label) if entry.archived else label


def picker(entries: list[RoadmapEntry], view: str) -> tuple[str, InlineKeyboardMarkup]:
    """The question, each roadmap's whole title numbered (titles are long and often begin
    alike), and a numbered button per roadmap, active ones first."""
    rows = [
        [
            InlineKeyboardButton(
                text=f"{entry.number}. {entry_label(entry, width=BUTTON_TITLE)}",
                callback_data=RoadmapPickCb(view=view, roadmap_id=entry.id).pack(),
            )
        ]
        for entry in entries
    ]
    lines = [_("The department runs several roadmaps. Which one?")]
    lines += [f"{entry.number}. {entry_label(entry)}" for entry in entries]
    if any(entry.archived for entry in entries):
        lines.append(
            _(
                "Archived roadmaps are at the end of the list: no reminders are sent for "
                "them, their reports are kept as history."
            )
        )
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows)


async def only_or_picker(
    uow: UnitOfWork, today: date, view: str
) -> tuple[list[RoadmapEntry], tuple[str, InlineKeyboardMarkup] | None]:
    """Every roadmap, and the picker to show when there is more than one."""
    entries = await roadmap_entries(uow, today)
    return entries, (picker(entries, view) if len(entries) > 1 else None)


async def chosen(
    query: CallbackQuery,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    roadmap_id: int,
    today: date,
    command: Command,
) -> tuple[Roadmap, RoadmapEntry] | None:
    """The roadmap a picker's button names, or ``None`` after telling the presser why not:
    ``command`` is not theirs, or the button is stale (a roadmap since removed, or an id no
    list ever showed). Answers the press when it is good."""
    if refusal := await refuse_unless(uow, clock, person, command, f"{command.value}.roadmap"):
        await query.answer(refusal, show_alert=True)
        return None
    entries = {entry.id: entry for entry in await roadmap_entries(uow, today)}
    roadmap = await uow.roadmaps.get(roadmap_id) if roadmap_id in entries else None
    if roadmap is None:
        await query.answer(
            _("This button is no longer valid. Send /{command} again.").format(
                command=command.value
            ),
            show_alert=True,
        )
        return None
    await query.answer()
    return roadmap, entry_of(roadmap, today, entries[roadmap_id].number)


def archived_note(title: str) -> str:
    return _(
        "«{title}» is in the archive: no reminders are sent for it, and its report is kept "
        "as history."
    ).format(title=" ".join(title.split()))


def by_roadmap(items: list[T], roadmap_of: Callable[[T], int]) -> list[tuple[int, list[T]]]:
    """``items`` grouped by roadmap, groups in the order their first item comes, each group
    keeping the items' order."""
    groups: dict[int, list[T]] = {}
    for item in items:
        groups.setdefault(roadmap_of(item), []).append(item)
    return list(groups.items())


def roadmap_heading(title: str) -> str:
    """A roadmap's short title, in quotes, as the heading of its lines in a grouped list."""
    return f"«{shorten(title, HEADING_TITLE)}»"


def headings(roadmaps: Iterable[tuple[int, str, bool]]) -> dict[int, str]:
    """Each roadmap's title by id, to group a person's list under, when the list's items
    belong to more than one approved plan; empty otherwise, so that a department with one
    roadmap (and the holder of its requests beside it) sees no heading at all. ``roadmaps``:
    each item's roadmap id, title, and whether it is a plan's measure (not a request)."""
    titles: dict[int, str] = {}
    plans: set[int] = set()
    for roadmap_id, title, plan in roadmaps:
        titles.setdefault(roadmap_id, title)
        if plan:
            plans.add(roadmap_id)
    return titles if len(plans) > 1 else {}
