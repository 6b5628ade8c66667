"""Asking which column holds the measures or the deadlines, when the header is not understood or
the coordinator presses «Columns read wrong»; the answer, kept in the conversation and
remembered for files with the same header."""

from __future__ import annotations

import contextlib
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.labels import shorten
from domain.roadmap.columns import Column, ColumnUse
from domain.roadmap.draft import ImportProblemError, RoadmapDraft
from domain.roadmap.recognise import NeedsColumnsError
from domain.roles import Command
from handlers.common.access import refuse_unless
from handlers.common.callbacks import ImportColumnCb
from handlers.roadmap.import_preview import show_preview
from handlers.roadmap.import_reading import loaded_indicator_columns, read_draft
from handlers.roadmap.import_states import RoadmapImportForm
from handlers.roadmap.import_texts import column_lines, problem_text
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.column_choices import remember_columns


async def on_column_chosen(
    query: CallbackQuery,
    callback_data: ImportColumnCb,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    bot: Bot,
    state: FSMContext,
    timezone: ZoneInfo,
) -> None:
    """The coordinator pointed at the column that holds the measure or the deadline."""
    if refusal := await refuse_unless(uow, clock, person, Command.IMPORT, "roadmap.columns"):
        await query.answer(refusal, show_alert=True)
        return
    pending = await state.get_data()
    file_id = pending.get("import_file_id")
    asked = pending.get("import_asked")
    if (
        file_id is None
        or await state.get_state() != RoadmapImportForm.choosing_column.state
        or callback_data.role != asked
    ):
        await query.answer(
            _("There is no import waiting. Send the roadmap file again."), show_alert=True
        )
        return
    if callback_data.index < 0:
        await state.clear()
        await query.answer(_("Cancelled."))
        await close_question(query)
        await answer_in_chat(query, _("Import cancelled. Nothing was saved."))
        return
    if callback_data.index >= int(pending.get("import_width", 0)):
        await query.answer(
            _("The table has no such column. Choose one of the buttons."), show_alert=True
        )
        return
    chosen = loaded_columns(pending.get("import_columns"))
    chosen[Column(callback_data.role)] = callback_data.index
    file_name = pending.get("import_file_name", "roadmap")
    await query.answer()
    await close_question(
        query, _("✅ Column {number} chosen.").format(number=callback_data.index + 1)
    )
    try:
        draft = await read_draft(
            bot,
            file_id,
            file_name,
            clock,
            timezone,
            columns=chosen,
            indicator_columns=loaded_indicator_columns(pending.get("import_indicator_columns")),
        )
    except NeedsColumnsError as needs:
        await state.update_data(import_columns=stored_columns(chosen))
        await _ask(query, state, needs.recognition.uses, needs.recognition.missing[0], True)
        return
    except ImportProblemError as problem:
        await state.clear()
        await answer_in_chat(query, problem_text(problem))
        return
    queue = [role for role in pending.get("import_queue", []) if role in _ROLE_VALUES]
    if queue:
        await state.update_data(import_columns=stored_columns(chosen), import_queue=queue[1:])
        await _ask(query, state, draft.columns, Column(queue[0]), False)
        return
    await remember_columns(uow, draft.signature, chosen, chosen_by_id=person.id, now=clock.now())
    await state.update_data(import_columns=stored_columns(chosen))
    if isinstance(query.message, Message):
        await show_preview(query.message, uow, state, draft)


def column_question(
    uses: tuple[ColumnUse, ...], role: Column, *, not_understood: bool
) -> dict[str, Any]:
    question = (
        _("Which column holds the measures (what is to be done)?")
        if role is Column.TITLE
        else _("Which column holds the deadlines?")
    )
    intro = (
        _(
            "I found the table of measures, but could not tell which column is which. "
            "This is how I read the columns:"
        )
        if not_understood
        else _("This is how I read the columns:")
    )
    lines = [
        intro,
        *column_lines(uses),
        "",
        question,
        _("I will remember your answer for files with the same header."),
    ]
    buttons = [
        [
            InlineKeyboardButton(
                text=f"{use.index + 1}. {shorten(use.label, 40)}",
                callback_data=ImportColumnCb(role=role.value, index=use.index).pack(),
            )
        ]
        for use in uses
        if use.column is not Column.NUMBER
    ]
    buttons.append(
        [
            InlineKeyboardButton(
                text=_("Cancel"), callback_data=ImportColumnCb(role=role.value, index=-1).pack()
            )
        ]
    )
    return {"text": "\n".join(lines), "reply_markup": InlineKeyboardMarkup(inline_keyboard=buttons)}


def column_question_state(uses: tuple[ColumnUse, ...], role: Column) -> dict[str, Any]:
    return {
        "import_asked": role.value,
        "import_width": max((use.index for use in uses), default=-1) + 1,
    }


async def _ask(
    query: CallbackQuery,
    state: FSMContext,
    uses: tuple[ColumnUse, ...],
    role: Column,
    not_understood: bool,
) -> None:
    await state.set_state(RoadmapImportForm.choosing_column)
    await state.update_data(**column_question_state(uses, role))
    if query.message is not None:
        await query.message.answer(**column_question(uses, role, not_understood=not_understood))


async def reread_for_corrections(
    query: CallbackQuery,
    pending: dict[str, Any],
    clock: Clock,
    bot: Bot,
    state: FSMContext,
    timezone: ZoneInfo,
) -> RoadmapDraft | None:
    """The pending file read again with the choices made so far, its question closed; None
    (the import ended, the person told why) when it can no longer be read."""
    try:
        draft = await read_draft(
            bot,
            pending["import_file_id"],
            pending.get("import_file_name", "roadmap"),
            clock,
            timezone,
            columns=loaded_columns(pending.get("import_columns")),
            indicator_columns=loaded_indicator_columns(pending.get("import_indicator_columns")),
        )
    except ImportProblemError as problem:
        await state.clear()
        await query.answer()
        await answer_in_chat(query, problem_text(problem))
        return None
    await query.answer()
    await close_question(query)
    return draft


async def ask_corrections(
    query: CallbackQuery,
    pending: dict[str, Any],
    clock: Clock,
    bot: Bot,
    state: FSMContext,
    timezone: ZoneInfo,
) -> None:
    """«Columns read wrong» under the preview: the deadline column, then the measure column."""
    draft = await reread_for_corrections(query, pending, clock, bot, state, timezone)
    if draft is None:
        return
    await state.update_data(import_queue=[Column.TITLE.value])
    await _ask(query, state, draft.columns, Column.DEADLINE, False)


_ROLE_VALUES = {column.value for column in Column}


def stored_columns(columns: dict[Column, int]) -> dict[str, int]:
    return {role.value: index for role, index in columns.items()}


def loaded_columns(stored: object) -> dict[Column, int]:
    """The choice kept in the conversation state; anything malformed is dropped, not trusted."""
    if not isinstance(stored, dict):
        return {}
    known = {column.value: column for column in Column}
    return {
        known[role]: index
        for role, index in stored.items()
        if role in known and isinstance(index, int) and index >= 0
    }


async def close_question(query: CallbackQuery, answer: str | None = None) -> None:
    """The question's buttons go once answered, so an old one cannot be pressed again; the
    answer stays written under the question."""
    message = query.message
    if not isinstance(message, Message):
        return
    with contextlib.suppress(TelegramBadRequest):
        if answer and message.text:
            answered = "\n\n".join((message.text, answer))  # both already translated
            await message.edit_text(answered, reply_markup=None)
        else:
            await message.edit_reply_markup(reply_markup=None)


async def answer_in_chat(query: CallbackQuery, text: str) -> None:
    if query.message is not None:
        await query.message.answer(text)
