"""«Координаторы № N» under /roadmaps: who answers for each roadmap when a department runs
several and has more than one coordinator.

A roadmap's reports, requests' answers, deadline questions and weekly digest go to the
coordinators named for it; a roadmap with nobody named is every coordinator's. A department of
one coordinator never sees the button."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from aiogram import Router
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.roadmap.archive import RoadmapEntry
from domain.roles import Command
from handlers.common.access import refuse_unless
from handlers.common.callbacks import RoadmapCoordinatorsCb
from handlers.common.filters import Joined
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.roadmap_choice import roadmap_entries
from storage.usecases.roadmap_coordinators import (
    CoordinatorChoice,
    active_coordinators,
    coordinator_choices,
    name_coordinators,
    named_coordinator_ids,
)

NAME_ON_BUTTON = 40


@dataclass(frozen=True)
class RoadmapsCoordinators:
    """What /roadmaps shows of the coordinators: whether there is more than one, and the
    names of those named for each roadmap (roadmaps with nobody named are left out)."""

    several: bool
    named: dict[int, list[str]] = field(default_factory=dict)


def build_router() -> Router:
    router = Router(name="roadmap_coordinators")
    router.callback_query.register(on_coordinators, RoadmapCoordinatorsCb.filter(), Joined())
    return router


async def roadmaps_coordinators(uow: UnitOfWork) -> RoadmapsCoordinators:
    everyone = await active_coordinators(uow)
    names = {person.id: person.full_name for person in everyone}
    named = {
        roadmap_id: sorted(names[pid] for pid in ids if pid in names)
        for roadmap_id, ids in (await named_coordinator_ids(uow)).items()
    }
    return RoadmapsCoordinators(several=len(everyone) > 1, named=named)


def coordinators_line(names: list[str]) -> str:
    if not names:
        return "   " + _("Coordinators: all coordinators of the department")
    return "   " + _("Coordinators: {names}").format(names=", ".join(names))


def coordinators_button(entry: RoadmapEntry) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=_("Coordinators of № {number}").format(number=entry.number),
        callback_data=RoadmapCoordinatorsCb(roadmap_id=entry.id).pack(),
    )


def choices_view(
    entry: RoadmapEntry, choices: list[CoordinatorChoice]
) -> tuple[str, InlineKeyboardMarkup]:
    title = " ".join(entry.title.split())
    text = "\n\n".join(
        (
            _("Who answers for «{title}»?").format(title=title),
            _(
                "Reports, answers to requests, requests to move a deadline and the weekly "
                "digest of this roadmap go only to the coordinators marked ✅. When nobody is "
                "marked, they go to every coordinator."
            ),
            _("Press a name to mark it or take the mark off."),
        )
    )
    rows = [
        [
            InlineKeyboardButton(
                text=("✅ " if choice.named else "▫️ ") + choice.full_name[:NAME_ON_BUTTON],
                callback_data=RoadmapCoordinatorsCb(
                    roadmap_id=entry.id, person_id=choice.person_id, named=not choice.named
                ).pack(),
            )
        ]
        for choice in choices
    ]
    return text, InlineKeyboardMarkup(inline_keyboard=rows)


async def on_coordinators(
    query: CallbackQuery,
    callback_data: RoadmapCoordinatorsCb,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    timezone: ZoneInfo,
) -> None:
    if refusal := await refuse_unless(
        uow, clock, person, Command.ROADMAPS, "roadmaps.coordinators"
    ):
        await query.answer(refusal, show_alert=True)
        return
    today = clock.now().astimezone(timezone).date()
    entry = next(
        (e for e in await roadmap_entries(uow, today) if e.id == callback_data.roadmap_id), None
    )
    choices = await coordinator_choices(uow, callback_data.roadmap_id)
    chosen = next((c for c in choices if c.person_id == callback_data.person_id), None)
    if entry is None or (callback_data.person_id and chosen is None):
        # The roadmap was removed, the coordinator left, or the button was never ours.
        await query.answer(
            _("This button is no longer valid. Send /roadmaps again."), show_alert=True
        )
        return
    if chosen is not None:
        if chosen.named == callback_data.named:  # another coordinator pressed it first
            await query.answer(_("Already done: the list below is up to date."), show_alert=True)
        else:
            named = {c.person_id for c in choices if c.named} ^ {chosen.person_id}
            await name_coordinators(uow, entry.id, named)
            uow.audit.add(
                at=clock.now(),
                action="roadmaps.coordinators",
                person_id=person.id,
                details={"roadmap": entry.id, "coordinators": sorted(named)},
            )
            await uow.commit()
            await query.answer(_("Saved."))
        choices = await coordinator_choices(uow, entry.id)
    else:
        await query.answer()
    text, keyboard = choices_view(entry, choices)
    if isinstance(query.message, Message) and chosen is not None:
        await query.message.edit_text(text, reply_markup=keyboard)  # the marks change in place
    elif query.message is not None:
        await query.message.answer(text, reply_markup=keyboard)
