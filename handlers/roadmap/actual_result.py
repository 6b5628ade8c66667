"""«Фактический результат» on a measure's card: the coordinator writes the one text column 6 of
the official report prints for the measure, starting from a draft of the schools' accepted
answers, or picks a neutral phrase, or leaves it empty.

Two coordinators editing the same measure at once: the save names the version its editor saw
(``storage.usecases.actual_results:save_result``); the later one is told who saved first, and
is shown her own text back so nothing she typed is lost.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from aiogram import Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.progress.columns import ACTUAL
from domain.roles import Command
from handlers.common.access import refuse_change
from handlers.common.callbacks import ActualCb
from handlers.common.filters import HasText, Joined, in_state
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.actual_results import (
    MAX_ACTUAL_RESULT,
    SavedText,
    current_result,
    draft_from_answers,
    save_result,
)

# Phrases a coordinator may pick for a measure with nothing to report yet: words of the report
# itself, so Russian in every language of the bot.
NEUTRAL = {"not_due": "Срок исполнения не наступил", "ongoing": "Мероприятие реализуется"}
SHOWN = 1500  # of a draft or a text quoted back in a message (a message holds 4096)


class ActualForm(StatesGroup):
    text = State()


def build_router() -> Router:
    router = Router(name="actual_result")
    router.callback_query.register(on_button, ActualCb.filter(), Joined())
    router.message.register(on_text, in_state(ActualForm.text), HasText(), Joined())
    return router


def actual_button(measure_id: int) -> InlineKeyboardButton:
    """The card's «Фактический результат» button."""
    return InlineKeyboardButton(
        text=ACTUAL, callback_data=ActualCb(measure_id=measure_id, action="open").pack()
    )


async def on_button(
    query: CallbackQuery,
    callback_data: ActualCb,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    state: FSMContext,
    timezone: ZoneInfo,
) -> None:
    if refusal := await refuse_change(uow, clock, person, Command.MEASURES, "actual.edit"):
        await query.answer(refusal, show_alert=True)
        return
    measure = await uow.roadmaps.get_measure(callback_data.measure_id)
    if measure is None or not isinstance(query.message, Message):
        await query.answer(
            _("This button is no longer valid. Send /measures again."), show_alert=True
        )
        return
    await query.answer()
    if callback_data.action == "open":
        await _open(query.message, uow, measure.id, f"{measure.number}. {measure.title}", state)
        return
    if callback_data.action == "cancel":
        await state.clear()
        await query.message.answer(_("Nothing was changed."))
        return
    if callback_data.action == "draft":
        text = await draft_from_answers(uow, measure.id)
    elif callback_data.action in NEUTRAL:
        text = NEUTRAL[callback_data.action]
    elif callback_data.action == "clear":
        text = ""
    else:
        await query.message.answer(_("This button is no longer valid. Send /measures again."))
        return
    await state.clear()
    await _save(
        query.message, uow, clock, timezone, person, measure.id, text, callback_data.version
    )


async def _open(
    message: Message, uow: UnitOfWork, measure_id: int, title: str, state: FSMContext
) -> None:
    current = await current_result(uow, measure_id)
    draft = await draft_from_answers(uow, measure_id)
    lines = [_("«Фактический результат» of {measure}").format(measure=title[:300]), ""]
    lines.append(
        _("Now the report says: «{text}»").format(text=_quoted(current.text))
        if current.text
        else _("Nothing is written yet: the report leaves column 6 empty.")
    )
    lines.append("")
    lines.append(
        _("Draft from the schools' accepted answers:\n{draft}").format(draft=_quoted(draft))
        if draft
        else _("No school's answer has been accepted yet, so there is no draft.")
    )
    lines.append("")
    lines.append(
        _(
            "Send the text for the report in one message (up to {limit} characters), or press "
            "a button."
        ).format(limit=MAX_ACTUAL_RESULT)
    )
    await state.set_state(ActualForm.text)
    await state.update_data(measure_id=measure_id, version=current.version)
    await message.answer("\n".join(lines), reply_markup=_keyboard(measure_id, current, draft))


def _keyboard(measure_id: int, current: SavedText, draft: str) -> InlineKeyboardMarkup:
    def button(text: str, action: str) -> list[InlineKeyboardButton]:
        data = ActualCb(measure_id=measure_id, action=action, version=current.version)
        return [InlineKeyboardButton(text=text, callback_data=data.pack())]

    rows = [button(_("Use the draft"), "draft")] if draft else []
    rows += [button(f"«{phrase}»", action) for action, phrase in NEUTRAL.items()]
    if current.text:
        rows.append(button(_("Leave column 6 empty"), "clear"))
    rows.append(button(_("Cancel"), "cancel"))
    return InlineKeyboardMarkup(inline_keyboard=rows)


async def on_text(
    message: Message,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    state: FSMContext,
    timezone: ZoneInfo,
) -> None:
    if refusal := await refuse_change(uow, clock, person, Command.MEASURES, "actual.text"):
        await state.clear()
        await message.answer(refusal)
        return
    text = (message.text or "").strip()
    if len(text) > MAX_ACTUAL_RESULT:
        await message.answer(
            _(
                "The text has {count} characters; the report's cell holds up to {limit}. "
                "Please shorten it and send it again: nothing was saved yet."
            ).format(count=len(text), limit=MAX_ACTUAL_RESULT)
        )
        return
    data = await state.get_data()
    await state.clear()
    measure_id, version = data.get("measure_id"), data.get("version")
    if not isinstance(measure_id, int) or not isinstance(version, int):
        await message.answer(_("This button is no longer valid. Send /measures again."))
        return
    await _save(message, uow, clock, timezone, person, measure_id, text, version)


async def _save(
    message: Message,
    uow: UnitOfWork,
    clock: Clock,
    timezone: ZoneInfo,
    person: Person,
    measure_id: int,
    text: str,
    version: int,
) -> None:
    outcome = await save_result(
        uow, measure_id, text, seen_version=version, person_id=person.id, now=clock.now()
    )
    if not outcome.saved:
        await uow.rollback()
        current = outcome.current
        when = f"{current.at.astimezone(timezone):%d.%m.%Y %H:%M}" if current.at else "—"
        reply = _(
            "{name} changed this actual result at {when}, while you were editing it, so yours "
            "was not saved. The report now says: «{current}»\n\nYour text: «{mine}»\n\nOpen "
            "«Фактический результат» again to change it."
        ).format(
            name=current.by or "—",
            when=when,
            current=_quoted(current.text) or "—",
            mine=_quoted(text) or "—",
        )
        await message.answer(reply)
        return
    uow.audit.add(at=clock.now(), action="actual.saved", person_id=person.id)
    await uow.commit()
    await message.answer(
        _("Saved. Column 6 of the report now says: «{text}»").format(text=_quoted(text))
        if text
        else _("Saved. Column 6 of the report is empty for this measure.")
    )


def _quoted(text: str) -> str:
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"
