"""The deadline step of /ask: «By when?» and the date read from the answer; and a day in words,
in the reader's language, as /requests writes it too."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from aiogram.fsm.context import FSMContext
from aiogram.types import InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from babel.dates import format_date

from domain.clock import Clock
from domain.requests import DueProblem, read_request_due
from handlers.requests.ask_buttons import ask_button, cancel_button
from handlers.requests.ask_states import AskForm
from storage.models import Person


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
                [ask_button(_("Without a form"), "noform")],
                [ask_button(_("Cancel"), "cancel")],
            ]
        ),
    )


async def ask_due(message: Message, state: FSMContext) -> None:
    await state.set_state(AskForm.due)
    await message.answer(
        _("By when? Write the date: «до 10.12», «18 декабря» or «18.12.2026»."),
        reply_markup=cancel_button(),
    )


def day_words(day: date, person: Person) -> str:
    return format_date(day, "d MMMM y (EEEE)", locale=person.locale or "ru")
