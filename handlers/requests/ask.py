"""/ask: a request to schools, from the coordinator or a methodist under their own measure:
text → who (all, ШНОР, chosen schools or people) → deadline → form → preview → send."""

from __future__ import annotations

import asyncio
import logging
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command as CommandFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from babel.dates import format_date

from domain.clock import Clock
from domain.labels import shorten
from domain.requests import AddresseeKind, Addressees, DueProblem, read_request_due
from domain.roadmap.draft import ImportProblemError
from domain.roles import Command, Role
from formats.request_forms.template import FormTemplateError, UnreadableFormError, read_template
from handlers.common.callbacks import AskCb
from handlers.common.filters import HasDocument, HasText, Joined, in_state
from handlers.roadmap.import_reading import fetch_file
from storage.evidence import EvidenceRefusedError, store_evidence
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.requests import (
    Form,
    NoAddresseesError,
    addressable_people,
    is_methodist,
    may_request_under,
    own_measures,
    send_request,
)

logger = logging.getLogger(__name__)

MAX_REQUEST_TEXT = 3000
SCHOOLS_SHOWN = 20  # buttons at a time; typing part of a name narrows the list


def ONLY_COORDINATOR() -> str:  # noqa: N802 - reads as the constant text it is
    return _(
        "Only the coordinator, or a methodist for their own measures, can do this. If you "
        "think you need it, ask the coordinator."
    )


class AskForm(StatesGroup):
    text = State()
    who = State()
    pick = State()
    due = State()
    form = State()
    confirm = State()


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
        [_ask_button(shorten(f"{m.number}. {m.title}", 60), "measure", m.id)]
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
    rows = [[_ask_button(_("All schools ({count})").format(count=len(schools)), "all")]]
    if tagged:
        rows.append([_ask_button(_("ШНОР schools ({count})").format(count=tagged), "tag")])
    rows.append([_ask_button(_("Choose schools"), "pick")])
    rows.append([_ask_button(_("Choose people"), "pickp")])
    rows.append([_ask_button(_("Cancel"), "cancel")])
    await message.answer(
        _("Who is it for?"), reply_markup=InlineKeyboardMarkup(inline_keyboard=rows)
    )


async def on_search(message: Message, state: FSMContext, uow: UnitOfWork) -> None:
    """Part of a school's name typed while choosing: the buttons show the schools that match."""
    await _show_choices(message, state, uow, search=(message.text or "").strip(), edit=False)


async def on_due(
    message: Message, state: FSMContext, clock: Clock, timezone: ZoneInfo, person: Person
) -> None:
    text = (message.text or "").strip()
    today = clock.now().astimezone(timezone).date()
    reading = read_request_due(text, today)
    if reading.problem is DueProblem.PAST and reading.due_on is not None:
        await message.answer(
            _("{date} has already passed. Which date should the schools answer by?").format(
                date=day_words(reading.due_on, person)
            )
        )
        return
    if reading.problem is not None or reading.due_on is None:
        await message.answer(
            _(
                "I could not read one date in «{text}». Write it like «до 10.12», «18 декабря» "
                "or «18.12.2026»."
            ).format(text=text[:100])
        )
        return
    await state.update_data(due_on=reading.due_on.isoformat(), due_text=text)
    await state.set_state(AskForm.form)
    await message.answer(
        _(
            "The deadline is {date}. Attach a form to fill (an Excel table .xlsx, or a Word "
            "document .docx), or press «Without a form»."
        ).format(date=day_words(reading.due_on, person)),
        reply_markup=InlineKeyboardMarkup(
            inline_keyboard=[
                [_ask_button(_("Without a form"), "noform")],
                [_ask_button(_("Cancel"), "cancel")],
            ]
        ),
    )


async def on_form(
    message: Message, state: FSMContext, bot: Bot, evidence_dir: Path, person: Person
) -> None:
    document = message.document
    assert document is not None
    name = document.file_name or "form.xlsx"
    if not name.lower().endswith((".xlsx", ".docx")):
        await message.answer(_("A form must be an Excel table (.xlsx) or a Word document (.docx)."))
        return
    try:
        data = await fetch_file(bot, document.file_id, document.file_size)
        if name.lower().endswith(".xlsx"):
            await asyncio.to_thread(read_template, data, name)
        digest, _size = store_evidence(evidence_dir, name, data)
    except (ImportProblemError, EvidenceRefusedError, UnreadableFormError):
        await message.answer(_("I could not read this file. Please send the form again."))
        return
    except FormTemplateError:
        await message.answer(
            _(
                "I found no table in this workbook: a form needs a header row with the names "
                "of its columns. Please send it again."
            )
        )
        return
    await state.update_data(form_name=name, form_sha=digest)
    await _preview(message, state, person)


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
        await _ask_due(message, state)
    elif action in ("pick", "pickp"):
        await state.set_state(AskForm.pick)
        await state.update_data(pick_people=action == "pickp", picked=[])
        await _show_choices(message, state, uow, search="", edit=False)
    elif action == "toggle":
        data = await state.get_data()
        toggled = set(data.get("picked") or []) ^ {callback_data.value}
        await state.update_data(picked=sorted(toggled))
        await _show_choices(message, state, uow, search=data.get("search") or "", edit=True)
    elif action == "picked":
        data = await state.get_data()
        chosen = list(data.get("picked") or [])
        if not chosen:
            await message.answer(_("Choose at least one, or press «Cancel»."))
            return
        kind = AddresseeKind.PEOPLE if data.get("pick_people") else AddresseeKind.ORGANISATIONS
        await state.update_data(who=Addressees(kind, None, tuple(chosen)).as_json())
        await _ask_due(message, state)
    elif action == "noform":
        await state.update_data(form_name=None, form_sha=None)
        await _preview(message, state, person)
    else:
        await _send(message, state, person, uow, clock, timezone)


async def _ask_due(message: Message, state: FSMContext) -> None:
    await state.set_state(AskForm.due)
    await message.answer(
        _("By when? Write the date: «до 10.12», «18 декабря» or «18.12.2026»."),
        reply_markup=cancel_button(),
    )


async def _show_choices(
    message: Message, state: FSMContext, uow: UnitOfWork, *, search: str, edit: bool
) -> None:
    """Schools (or people) as buttons that toggle ✅; typing part of a name narrows them."""
    data = await state.get_data()
    picked = set(data.get("picked") or [])
    people = bool(data.get("pick_people"))
    await state.update_data(search=search)
    choices = await (addressable_people(uow) if people else _schools(uow))
    needle = search.lower()
    matching = [(ident, name) for ident, name in choices if needle in name.lower()]
    rows = [
        [_ask_button(("✅ " if ident in picked else "") + shorten(name, 50), "toggle", ident)]
        for ident, name in matching[:SCHOOLS_SHOWN]
    ]
    rows.append([_ask_button(_("Done ({count})").format(count=len(picked)), "picked")])
    rows.append([_ask_button(_("Cancel"), "cancel")])
    markup = InlineKeyboardMarkup(inline_keyboard=rows)
    if edit:
        try:
            await message.edit_reply_markup(reply_markup=markup)
        except TelegramAPIError:  # the same markup again, or the message is gone
            logger.debug("choice buttons not edited")
        return
    if search:
        text = _("Matching «{search}»: {count}").format(search=search[:50], count=len(matching))
    elif people:
        text = _("Tap the people to choose them, then «Done». To find someone, type part of "
                 "their name or school.")  # fmt: skip
    else:
        text = _(
            "Tap the schools to choose them, then «Done». To find a school, type part of its name."
        )
    await message.answer(text, reply_markup=markup)


async def _schools(uow: UnitOfWork) -> list[tuple[int, str]]:
    return [(o.id, o.name) for o in await uow.organisations.list_all() if o.kind == "school"]


async def _preview(message: Message, state: FSMContext, person: Person) -> None:
    data = await state.get_data()
    await state.set_state(AskForm.confirm)
    lines = [
        _("Please check the request:"),
        data["text"],
        "",
        _("To: {who}").format(who=_who(Addressees.from_json(data["who"]))),
        _("Deadline: {date}").format(date=day_words(date.fromisoformat(data["due_on"]), person)),
        _("Form: {form}").format(form=data.get("form_name") or _("none")),
    ]
    await message.answer(
        "\n".join(lines),
        reply_markup=InlineKeyboardMarkup(
            inline_keyboard=[[_ask_button(_("Send"), "send"), _ask_button(_("Cancel"), "cancel")]]
        ),
    )


async def _send(
    message: Message,
    state: FSMContext,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    timezone: ZoneInfo,
) -> None:
    data = await state.get_data()
    form = Form(data["form_name"], data["form_sha"]) if data.get("form_sha") else None
    try:
        sent = await send_request(
            uow,
            text=data["text"],
            due_text=data["due_text"],
            due_on=date.fromisoformat(data["due_on"]),
            addressees=Addressees.from_json(data["who"]),
            now=clock.now(),
            form=form,
            parent_measure_id=data.get("parent_measure_id"),
            created_by_id=person.id,
            timezone=timezone.key,
        )
    except NoAddresseesError:
        await uow.rollback()
        await message.answer(
            _(
                "Nobody to send it to: there are no such schools yet. Load the schools with "
                "/people, or choose others."
            )
        )
        return
    await uow.commit()
    await state.clear()
    await message.answer(
        ngettext(
            "Request № {number} is sent to {count} addressee; {now} of them are in the chat "
            "and have it now, the others get it when they join (or by e-mail). /requests shows "
            "who has answered.",
            "Request № {number} is sent to {count} addressees; {now} of them are in the chat "
            "and have it now, the others get it when they join (or by e-mail). /requests shows "
            "who has answered.",
            sent.organisations,
        ).format(number=sent.number, count=sent.organisations, now=sent.told_now)
    )


async def too_long(message: Message, text: str) -> bool:
    if len(text) <= MAX_REQUEST_TEXT:
        return False
    await message.answer(
        _("That is longer than {limit} characters. Please shorten it.").format(
            limit=MAX_REQUEST_TEXT
        )
    )
    return True


def _who(addressees: Addressees) -> str:
    if addressees.kind is AddresseeKind.ALL:
        return _("all schools")
    if addressees.kind is AddresseeKind.TAG:
        return _("schools tagged {tag}").format(tag=addressees.tag)
    if addressees.kind is AddresseeKind.PEOPLE:
        return ngettext(
            "{count} chosen person", "{count} chosen people", len(addressees.ids)
        ).format(count=len(addressees.ids))
    return ngettext("{count} chosen school", "{count} chosen schools", len(addressees.ids)).format(
        count=len(addressees.ids)
    )


def day_words(day: date, person: Person) -> str:
    return format_date(day, "d MMMM y (EEEE)", locale=person.locale or "ru")


def _ask_button(text: str, action: str, value: int = 0) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=AskCb(action=action, value=value).pack())


def cancel_button() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[_ask_button(_("Cancel"), "cancel")]])
