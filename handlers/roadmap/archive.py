"""/roadmaps: the department's roadmaps, and the coordinator's «В архив» / «Вернуть из архива».

An archived roadmap sends no reminders but stays in /export and the history; a roadmap whose
period has ended is archived by itself, and restoring it keeps it active on purpose."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from aiogram import Router
from aiogram.filters import Command as CommandFilter
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.roadmap.archive import RoadmapEntry
from domain.roles import Command
from handlers.common.access import refuse_unless
from handlers.common.callbacks import RoadmapArchiveCb
from handlers.common.filters import Joined
from handlers.common.roadmap_picker import entry_label
from handlers.roadmap.coordinators import (
    RoadmapsCoordinators,
    coordinators_button,
    coordinators_line,
    roadmaps_coordinators,
)
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.planning import replan
from storage.usecases.roadmap_choice import roadmap_entries, set_archived


def build_router() -> Router:
    router = Router(name="roadmaps")
    router.message.register(cmd_roadmaps, CommandFilter(Command.ROADMAPS.value), Joined())
    router.callback_query.register(on_archive, RoadmapArchiveCb.filter(), Joined())
    return router


def roadmaps_view(
    entries: list[RoadmapEntry], coordinators: RoadmapsCoordinators | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    """The list, active roadmaps first, and a button per roadmap to archive or restore it;
    with more than one coordinator, who answers for each roadmap and a button to choose."""
    lines = [_("The department's roadmaps:")]
    rows = []
    for entry in entries:
        lines.append(f"{entry.number}. {entry_label(entry)}")
        if coordinators is not None and coordinators.several:
            lines.append(coordinators_line(coordinators.named.get(entry.id, [])))
            rows.append([coordinators_button(entry)])
        text = (
            _("Restore № {number}").format(number=entry.number)
            if entry.archived
            else _("Archive № {number}").format(number=entry.number)
        )
        rows.append(
            [
                InlineKeyboardButton(
                    text=text,
                    callback_data=RoadmapArchiveCb(
                        roadmap_id=entry.id, archive=not entry.archived
                    ).pack(),
                )
            ]
        )
    lines.append(
        _(
            "An archived roadmap sends no reminders; its measures and reports stay in /export. "
            "A roadmap whose period has ended goes to the archive by itself."
        )
    )
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows)


async def cmd_roadmaps(
    message: Message, person: Person, uow: UnitOfWork, clock: Clock, timezone: ZoneInfo
) -> None:
    if refusal := await refuse_unless(uow, clock, person, Command.ROADMAPS, "roadmaps"):
        await message.answer(refusal)
        return
    entries = await roadmap_entries(uow, clock.now().astimezone(timezone).date())
    if not entries:
        await message.answer(_("There is no roadmap yet. Send /import to add one."))
        return
    text, keyboard = roadmaps_view(entries, await roadmaps_coordinators(uow))
    await message.answer(text, reply_markup=keyboard)


async def on_archive(
    query: CallbackQuery,
    callback_data: RoadmapArchiveCb,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    timezone: ZoneInfo,
) -> None:
    if refusal := await refuse_unless(uow, clock, person, Command.ROADMAPS, "roadmaps.archive"):
        await query.answer(refusal, show_alert=True)
        return
    today = clock.now().astimezone(timezone).date()
    entry = next(
        (e for e in await roadmap_entries(uow, today) if e.id == callback_data.roadmap_id), None
    )
    if entry is None:
        await query.answer(
            _("This button is no longer valid. Send /roadmaps again."), show_alert=True
        )
        return
    title = " ".join(entry.title.split())
    if entry.archived == callback_data.archive:  # pressed twice, or another coordinator did it
        already = (
            _("«{title}» is already in the archive.")
            if entry.archived
            else _("«{title}» is already active.")
        )
        await query.answer(already.format(title=title), show_alert=True)
        return
    await set_archived(uow, entry.id, archived=callback_data.archive, today=today)
    if not callback_data.archive:  # its reminders of the year ahead, planned again
        await replan(uow, clock.now(), [m.id for m in await uow.roadmaps.measures(entry.id)])
    uow.audit.add(
        at=clock.now(),
        action="roadmaps.archive" if callback_data.archive else "roadmaps.restore",
        person_id=person.id,
    )
    await uow.commit()
    await query.answer()
    done = (
        _("«{title}» is in the archive: no more reminders; its report stays in /export.")
        if callback_data.archive
        else _("«{title}» is active again: its reminders resume.")
    )
    text, keyboard = roadmaps_view(
        await roadmap_entries(uow, today), await roadmaps_coordinators(uow)
    )
    if query.message is not None:
        await query.message.answer(done.format(title=title) + "\n\n" + text, reply_markup=keyboard)
