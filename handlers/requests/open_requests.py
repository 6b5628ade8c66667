"""/requests: open requests with who has answered, the merged workbook, a new deadline or
text, withdrawal; and «📎 The form to fill» under a request's reminder."""

from __future__ import annotations

import logging
from pathlib import Path
from zoneinfo import ZoneInfo

from aiogram import Router
from aiogram.filters import Command as CommandFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.labels import shorten
from domain.requests import read_request_due
from domain.roles import Command, Role
from handlers.common.accept_all import accept_all_button
from handlers.common.access import refuse_button, refuse_foreign
from handlers.common.callbacks import FormCb, RequestCb
from handlers.common.filters import HasText, Joined, in_state
from handlers.requests.ask import ONLY_COORDINATOR, refuse_and_record, too_long
from handlers.requests.ask_buttons import cancel_button
from handlers.requests.deadline import day_words
from handlers.requests.merged_answers import merged_workbook
from storage.evidence import evidence_path
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.access import may_act_on_occurrence, may_manage_request
from storage.usecases.reports.accept_all import pending_answers, request_measure
from storage.usecases.requests.access import is_methodist
from storage.usecases.requests.answers import open_requests, request_of_occurrence
from storage.usecases.requests.lifecycle import (
    amend_request,
    request_withdrawn,
    withdraw_request,
)

logger = logging.getLogger(__name__)

TELEGRAM_DOCUMENT_LIMIT = 50 * 1024 * 1024


class RequestEdit(StatesGroup):
    due = State()
    text = State()


def build_router() -> Router:
    router = Router(name="requests")
    router.message.register(cmd_requests, CommandFilter(Command.REQUESTS.value), Joined())
    router.message.register(on_new_due, in_state(RequestEdit.due), HasText(), Joined())
    router.message.register(on_new_text, in_state(RequestEdit.text), HasText(), Joined())
    router.callback_query.register(on_request_button, RequestCb.filter(), Joined())
    router.callback_query.register(on_form_button, FormCb.filter(), Joined())
    return router


async def cmd_requests(message: Message, person: Person, uow: UnitOfWork, clock: Clock) -> None:
    coordinator = person.role == Role.COORDINATOR.value
    if not coordinator and not await is_methodist(uow, person):
        await refuse_and_record(uow, clock, person, "request.list")
        await message.answer(ONLY_COORDINATOR())
        return
    standings = await open_requests(uow, sent_by=None if coordinator else person.id)
    if not standings:
        await message.answer(_("There are no open requests. Send /ask to make one."))
        return
    for standing in standings[:20]:
        lines = [
            _("Request № {number} — due {date}").format(
                number=standing.number, date=day_words(standing.due_on, person)
            ),
            shorten(standing.text, 300),
            _("Answered: {answered} of {total}").format(
                answered=standing.answered, total=standing.total
            ),
        ]
        if standing.missing:
            lines.append(
                _("Not yet: {names}").format(names="; ".join(standing.missing[:15]))
                + (" …" if len(standing.missing) > 15 else "")
            )
        buttons = []
        if standing.form_name and standing.form_name.lower().endswith(".xlsx"):
            buttons.append(
                InlineKeyboardButton(
                    text=_("Merged answers (.xlsx)"),
                    callback_data=RequestCb(
                        request_id=standing.request_id, action="collect"
                    ).pack(),
                )
            )
        buttons.append(
            InlineKeyboardButton(
                text=_("Withdraw"),
                callback_data=RequestCb(request_id=standing.request_id, action="withdraw").pack(),
            )
        )
        changes = [
            InlineKeyboardButton(
                text=_("Change the deadline"),
                callback_data=RequestCb(request_id=standing.request_id, action="due").pack(),
            ),
            InlineKeyboardButton(
                text=_("Change the text"),
                callback_data=RequestCb(request_id=standing.request_id, action="text").pack(),
            ),
        ]
        rows = [buttons, changes]
        measure_id = await request_measure(uow, standing.request_id)
        if coordinator and measure_id and (pending := await pending_answers(uow, measure_id)):
            lines.append(_("Awaiting your review: {count}").format(count=pending.count))
            rows.insert(0, [accept_all_button(measure_id, pending)])
        await message.answer(
            "\n".join(lines), reply_markup=InlineKeyboardMarkup(inline_keyboard=rows)
        )


async def on_request_button(
    query: CallbackQuery,
    callback_data: RequestCb,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    evidence_dir: Path,
    state: FSMContext,
    timezone: ZoneInfo,
) -> None:
    if not await may_manage_request(uow, person, callback_data.request_id):
        await refuse_button(
            query, uow, clock, person, "request.manage", request_id=callback_data.request_id
        )
        return
    message = query.message if isinstance(query.message, Message) else None
    if callback_data.action == "collect":
        merged = await merged_workbook(uow, callback_data.request_id, evidence_dir)
        if merged is None:
            await query.answer(_("This button is no longer valid."), show_alert=True)
            return
        await query.answer()
        name, data, answered, missing = merged
        if message is not None and len(data) <= TELEGRAM_DOCUMENT_LIMIT:
            await message.answer_document(
                BufferedInputFile(data, name),
                caption=_(
                    "Answers merged: {answered}; not answered: {missing} (the sheet «Не ответили»)."
                ).format(answered=answered, missing=missing),
            )
        return
    if callback_data.action in ("due", "text"):
        await query.answer()
        await state.clear()
        await state.update_data(request_id=callback_data.request_id)
        await state.set_state(
            RequestEdit.due if callback_data.action == "due" else RequestEdit.text
        )
        if message is not None:
            await message.answer(
                _("The new deadline? Write the date: «до 10.12», «18 декабря» or «18.12.2026».")
                if callback_data.action == "due"
                else _("The new text of the request, in one message:"),
                reply_markup=cancel_button(),
            )
        return
    if callback_data.action != "withdraw":
        await query.answer(_("This button is no longer valid."), show_alert=True)
        return
    withdrawn = await withdraw_request(uow, callback_data.request_id, clock.now(), person.id)
    if not withdrawn:
        # Withdrawn already, perhaps a moment ago by another coordinator: say by whom.
        await uow.rollback()
        await query.answer(
            (await closed_text(uow, callback_data.request_id, timezone))[:200], show_alert=True
        )
        return
    await uow.commit()
    await query.answer(_("Withdrawn."))
    if message is not None:
        await message.answer(
            _("The request is withdrawn: reminders about it stop; answers already given stay.")
        )


async def on_new_due(
    message: Message,
    state: FSMContext,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    timezone: ZoneInfo,
) -> None:
    request_id = await _request_to_amend(message, state, person, uow, clock)
    if request_id is None:
        return
    text = (message.text or "").strip()
    reading = read_request_due(text, clock.now().astimezone(timezone).date())
    if reading.problem is not None or reading.due_on is None:
        await message.answer(
            _(
                "I could not read one date from today on in «{text}». Write it like «до 10.12», "
                "«18 декабря» or «18.12.2026»."
            ).format(text=text[:100])
        )
        return
    told = await amend_request(
        uow, request_id, clock.now(), by=person.id, due_on=reading.due_on, due_text=text
    )
    await _amended(message, state, uow, told, request_id, timezone)


async def on_new_text(
    message: Message,
    state: FSMContext,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    timezone: ZoneInfo,
) -> None:
    request_id = await _request_to_amend(message, state, person, uow, clock)
    if request_id is None:
        return
    text = (message.text or "").strip()
    if await too_long(message, text):
        return
    told = await amend_request(uow, request_id, clock.now(), by=person.id, text=text)
    await _amended(message, state, uow, told, request_id, timezone)


async def _request_to_amend(
    message: Message, state: FSMContext, person: Person, uow: UnitOfWork, clock: Clock
) -> int | None:
    """The request this change is for, if the person may change it (else they are told)."""
    request_id = int((await state.get_data())["request_id"])
    if await may_manage_request(uow, person, request_id):
        return request_id
    await state.clear()
    await message.answer(
        await refuse_foreign(uow, clock, person, "request.amend", request_id=request_id)
    )
    return None


async def _amended(
    message: Message,
    state: FSMContext,
    uow: UnitOfWork,
    told: int | None,
    request_id: int,
    timezone: ZoneInfo,
) -> None:
    await state.clear()
    if told is None:
        await uow.rollback()
        await message.answer(await closed_text(uow, request_id, timezone))
        return
    await uow.commit()
    await message.answer(
        _("Changed. The addressees in the chat are told once: {count}.").format(count=told)
    )


async def closed_text(uow: UnitOfWork, request_id: int, timezone: ZoneInfo) -> str:
    """«Этот запрос уже отозван: Антипина Анна Михайловна, 03.04.2026 10:15» when it is known."""
    withdrawn = await request_withdrawn(uow, request_id)
    if withdrawn is None or withdrawn.by is None:
        return _("This request is already closed.")
    return _("This request was already withdrawn: {who}, {when}.").format(
        who=withdrawn.by, when=f"{withdrawn.at.astimezone(timezone):%d.%m.%Y %H:%M}"
    )


async def on_form_button(
    query: CallbackQuery,
    callback_data: FormCb,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    evidence_dir: Path,
) -> None:
    if not await may_act_on_occurrence(uow, person, callback_data.occurrence_id):
        await refuse_button(
            query, uow, clock, person, "request.form", occurrence_id=callback_data.occurrence_id
        )
        return
    request = await request_of_occurrence(uow, callback_data.occurrence_id)
    if request is None or not request.form_sha256 or not request.form_name:
        await query.answer(_("This button is no longer valid."), show_alert=True)
        return
    path = evidence_path(evidence_dir, request.form_sha256)
    if not path.exists():
        await query.answer(_("The form file is missing; ask the coordinator."), show_alert=True)
        return
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer_document(
            BufferedInputFile(path.read_bytes(), request.form_name),
            caption=_(
                "Fill in this form without changing its columns, then press «Done» under the "
                "request and send the file back."
            ),
        )
