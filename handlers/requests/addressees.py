"""Choosing whom /ask writes to, school by school or person by person: buttons that toggle ✅,
narrowed by typing part of a name."""

from __future__ import annotations

import logging

from aiogram.exceptions import TelegramAPIError
from aiogram.fsm.context import FSMContext
from aiogram.types import InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from domain.labels import shorten
from handlers.requests.ask_buttons import ask_button
from storage.unit_of_work import UnitOfWork
from storage.usecases.requests.access import addressable_people

logger = logging.getLogger(__name__)

SCHOOLS_SHOWN = 20  # buttons at a time; typing part of a name narrows the list


async def on_search(message: Message, state: FSMContext, uow: UnitOfWork) -> None:
    """Part of a school's name typed while choosing: the buttons show the schools that match."""
    await show_choices(message, state, uow, search=(message.text or "").strip(), edit=False)


async def show_choices(
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
        [ask_button(("✅ " if ident in picked else "") + shorten(name, 50), "toggle", ident)]
        for ident, name in matching[:SCHOOLS_SHOWN]
    ]
    rows.append([ask_button(_("Done ({count})").format(count=len(picked)), "picked")])
    rows.append([ask_button(_("Cancel"), "cancel")])
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
