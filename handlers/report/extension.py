"""«Перенести срок»: a head asks for a later deadline (the date, then the reason), and the
coordinators are asked to decide."""

from __future__ import annotations

import re
from datetime import date
from zoneinfo import ZoneInfo

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.requests import is_request_number
from handlers.report.confirm import still_theirs
from handlers.report.keyboards import extension_buttons
from handlers.report.notify import notify_coordinators
from handlers.report.states import MAX_TEXT, ExtensionForm
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.reports.announcements import coordinator_chats
from storage.usecases.reports.extensions import request_extension
from storage.usecases.reports.reportable import reportable

_DATE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")


def _parse_date(text: str) -> date | None:
    match = _DATE.match(text)
    if not match:
        return None
    try:
        return date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        return None


async def on_extension_date(
    message: Message,
    state: FSMContext,
    clock: Clock,
    timezone: ZoneInfo,
    person: Person,
    uow: UnitOfWork,
) -> None:
    if not await still_theirs(message, state, person, uow, clock):
        return
    asked = _parse_date(message.text or "")
    today = clock.now().astimezone(timezone).date()
    if asked is None or asked <= today or asked.year > today.year + 5:
        await message.answer(_("Please write a future date as 30.04.2026."))
        return
    await state.update_data(new_date=asked.isoformat())
    await state.set_state(ExtensionForm.reason)
    await message.answer(_("Why is more time needed? A sentence is enough."))


async def on_extension_reason(
    message: Message,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    state: FSMContext,
    bot: Bot,
) -> None:
    reason = (message.text or "").strip()
    if not reason or len(reason) > MAX_TEXT:
        await message.answer(
            _("Please write the reason as text, up to {limit} characters.").format(limit=MAX_TEXT)
        )
        return
    if not await still_theirs(message, state, person, uow, clock):
        return
    data = await state.get_data()
    await state.clear()
    view = await reportable(uow, int(data["occurrence_id"]), person)
    if view is None:
        await message.answer(_("This report can no longer be changed, or it is not yours."))
        return
    request = await request_extension(
        uow, view, person, date.fromisoformat(data["new_date"]), reason, clock.now()
    )
    coordinators = await coordinator_chats(uow, view.roadmap_id)
    await uow.commit()
    await message.answer(
        _("Your request is sent to the coordinator. I will tell you the decision.")
    )

    def render() -> str:
        if is_request_number(view.measure_number):
            text = _(
                "{name} asks to move the deadline of request {number} from {old} to {new}: {reason}"
            )
        else:
            text = _("{name} asks to move the deadline of {number} from {old} to {new}: {reason}")
        return text.format(
            name=person.full_name,
            number=view.measure_number,
            old=f"{view.due_on:%d.%m.%Y}",
            new=f"{request.requested_on:%d.%m.%Y}",
            reason=reason,
        )

    await notify_coordinators(bot, coordinators, render, lambda: extension_buttons(request.id))
