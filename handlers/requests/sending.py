"""The last step of /ask: the request shown back for checking, then sent to its addressees."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from aiogram.fsm.context import FSMContext
from aiogram.types import InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from domain.clock import Clock
from domain.requests import AddresseeKind, Addressees
from handlers.requests.ask_buttons import ask_button
from handlers.requests.ask_states import AskForm
from handlers.requests.deadline import day_words
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.requests.lifecycle import Form, NoAddresseesError, send_request


async def preview_request(message: Message, state: FSMContext, person: Person) -> None:
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
            inline_keyboard=[[ask_button(_("Send"), "send"), ask_button(_("Cancel"), "cancel")]]
        ),
    )


async def send_previewed(
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
