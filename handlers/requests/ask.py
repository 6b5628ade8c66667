"""/ask: a request to schools, from the coordinator or a methodist under their own measure:
text → who (all, ШНОР, chosen schools or people) → deadline → form → preview → send.

This module: the command, a methodist's choice of measure, the request's text, every /ask
button, and the router; the steps live in ``addressees``, ``deadline``, ``form_upload`` and
``sending``."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from aiogram import Router
from aiogram.filters import Command as CommandFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.labels import shorten
from domain.requests import AddresseeKind, Addressees
from domain.roles import Command, Role
from handlers.common.callbacks import AskCb
from handlers.common.filters import HasDocument, HasText, Joined, in_state
from handlers.requests.addressees import SCHOOLS_SHOWN, on_search, show_choices
from handlers.requests.ask_buttons import ask_button, cancel_button
from handlers.requests.ask_states import AskForm
from handlers.requests.deadline import ask_due, on_due
from handlers.requests.form_upload import on_form
from handlers.requests.sending import preview_request, send_previewed
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.requests.access import is_methodist, may_request_under, own_measures

MAX_REQUEST_TEXT = 3000


def ONLY_COORDINATOR() -> str:  # noqa: N802 - reads as the constant text it is
    return _(
        "Only the coordinator, or a methodist for their own measures, can do this. If you "
        "think you need it, ask the coordinator."
    )


def build_router() -> Router:
    router = Router(name="ask")
    router.message.register(cmd_ask, CommandFilter(Command.ASK.value), Joined())
    router.message.register(on_text, in_state(AskForm.text), HasText(), Joined())
    router.message.register(on_search, in_state(AskForm.pick), HasText(), Joined())
    router.message.register(on_due, in_state(AskForm.due), HasText(), Joined())
    router.message.register(on_form, in_state(AskForm.form), HasDocument(), Joined())
    router.callback_query.register(on_ask_button, AskCb.filter(), Joined())
    return router


async def cmd_ask(
    message: Message, person: Person, uow: UnitOfWork, clock: Clock, state: FSMContext
) -> None:
    if person.role != Role.COORDINATOR.value:
        await _offer_own_measures(message, person, uow, clock)
        return
    await state.clear()
    await state.set_state(AskForm.text)
    await message.answer(
        _(
            "Write the request to the schools in one message, as you would write the letter: "
            "what you need and in what form. The deadline and a form to fill come next."
        ),
        reply_markup=cancel_button(),
    )


async def _offer_own_measures(
    message: Message, person: Person, uow: UnitOfWork, clock: Clock
) -> None:
    """A methodist asks under one of their measures: which one?"""
    measures = await own_measures(uow, person) if await is_methodist(uow, person) else []
    if not measures:
        await refuse_and_record(uow, clock, person, "request.ask")
        await message.answer(
            _(
                "Requests to schools are sent by the coordinator, and by methodists under the "
                "measures assigned to them. There are none assigned to you."
            )
        )
        return
    rows = [
        [ask_button(shorten(f"{m.number}. {m.title}", 60), "measure", m.id)]
        for m in measures[:SCHOOLS_SHOWN]
    ]
    await message.answer(
        _("Under which of your measures is the request?"),
        reply_markup=InlineKeyboardMarkup(inline_keyboard=rows),
    )


async def refuse_and_record(uow: UnitOfWork, clock: Clock, person: Person, action: str) -> None:
    uow.audit.add(at=clock.now(), action=action, outcome="forbidden", person_id=person.id)
    await uow.commit()


async def _may_ask(
    uow: UnitOfWork, person: Person, state: FSMContext, measure_id: int | None
) -> bool:
    """Coordinators: any request. A methodist: under their own measure, the one this
    conversation started from (or the one a button names)."""
    if person.role == Role.COORDINATOR.value:
        return True
    if measure_id is None:
        measure_id = (await state.get_data()).get("parent_measure_id")
    return await may_request_under(uow, person, measure_id)


async def on_text(message: Message, state: FSMContext, uow: UnitOfWork) -> None:
    text = (message.text or "").strip()
    if await too_long(message, text):
        return
    await state.update_data(text=text, picked=[])
    await state.set_state(AskForm.who)
    schools = [o for o in await uow.organisations.list_all() if o.kind == "school"]
    tagged = sum(1 for school in schools if "ШНОР" in (school.tags or []))
    rows = [[ask_button(_("All schools ({count})").format(count=len(schools)), "all")]]
    if tagged:
        rows.append([ask_button(_("ШНОР schools ({count})").format(count=tagged), "tag")])
    rows.append([ask_button(_("Choose schools"), "pick")])
    rows.append([ask_button(_("Choose people"), "pickp")])
    rows.append([ask_button(_("Cancel"), "cancel")])
    await message.answer(
        _("Who is it for?"), reply_markup=InlineKeyboardMarkup(inline_keyboard=rows)
    )


async def on_ask_button(
    query: CallbackQuery,
    callback_data: AskCb,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    state: FSMContext,
    timezone: ZoneInfo,
) -> None:
    named = callback_data.value if callback_data.action == "measure" else None
    if not await _may_ask(uow, person, state, named):
        await refuse_and_record(uow, clock, person, "request.ask")
        await query.answer(ONLY_COORDINATOR(), show_alert=True)
        return
    current = await state.get_state()
    action = callback_data.action
    message = query.message if isinstance(query.message, Message) else None
    if action == "measure" and message is not None:  # «Ask the schools» on a measure's card
        measure = await uow.roadmaps.get_measure(callback_data.value)
        if measure is None:
            await query.answer(_("This button is no longer valid."), show_alert=True)
            return
        await query.answer()
        await state.clear()
        await state.update_data(parent_measure_id=measure.id)
        await state.set_state(AskForm.text)
        await message.answer(
            _("A request under measure {number}. Write it in one message: what you need and in "
              "what form.").format(number=measure.number),
            reply_markup=cancel_button(),
        )  # fmt: skip
        return
    if action == "cancel":
        await state.clear()
        await query.answer(_("Cancelled."))
        if message is not None:
            await message.answer(_("Stopped: nothing was sent or changed."))
        return
    expected = {
        "all": AskForm.who,
        "tag": AskForm.who,
        "pick": AskForm.who,
        "pickp": AskForm.who,
        "toggle": AskForm.pick,
        "picked": AskForm.pick,
        "noform": AskForm.form,
        "send": AskForm.confirm,
    }
    if action not in expected or current != expected[action].state or message is None:
        await query.answer(
            _("This button is no longer valid. Send /ask to start again."), show_alert=True
        )
        return
    await query.answer()
    if action in ("all", "tag"):
        kind = AddresseeKind.ALL if action == "all" else AddresseeKind.TAG
        await state.update_data(who=Addressees(kind, "ШНОР" if action == "tag" else None).as_json())
        await ask_due(message, state)
    elif action in ("pick", "pickp"):
        await state.set_state(AskForm.pick)
        await state.update_data(pick_people=action == "pickp", picked=[])
        await show_choices(message, state, uow, search="", edit=False)
    elif action == "toggle":
        data = await state.get_data()
        toggled = set(data.get("picked") or []) ^ {callback_data.value}
        await state.update_data(picked=sorted(toggled))
        await show_choices(message, state, uow, search=data.get("search") or "", edit=True)
    elif action == "picked":
        data = await state.get_data()
        chosen = list(data.get("picked") or [])
        if not chosen:
            await message.answer(_("Choose at least one, or press «Cancel»."))
            return
        kind = AddresseeKind.PEOPLE if data.get("pick_people") else AddresseeKind.ORGANISATIONS
        await state.update_data(who=Addressees(kind, None, tuple(chosen)).as_json())
        await ask_due(message, state)
    elif action == "noform":
        await state.update_data(form_name=None, form_sha=None)
        await preview_request(message, state, person)
    else:
        await send_previewed(message, state, person, uow, clock, timezone)


async def too_long(message: Message, text: str) -> bool:
    if len(text) <= MAX_REQUEST_TEXT:
        return False
    await message.answer(
        _("That is longer than {limit} characters. Please shorten it.").format(
            limit=MAX_REQUEST_TEXT
        )
    )
    return True
