"""Asking which column of a table of indicators holds what: when the table has neither year
columns nor a column of targets, or when the coordinator presses «Indicator columns read
wrong» under the preview. The answer is kept in the conversation for the rest of the import."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.indicators.draft import IndicatorTable, Role
from domain.labels import shorten
from domain.roadmap.build import NeedsIndicatorColumnsError
from domain.roadmap.draft import ImportProblemError
from domain.roadmap.recognise import NeedsColumnsError
from domain.roles import Command
from handlers.common.access import refuse_unless
from handlers.common.callbacks import ImportColumnCb
from handlers.roadmap.column_questions import (
    answer_in_chat,
    close_question,
    column_question,
    column_question_state,
    loaded_columns,
    reread_for_corrections,
)
from handlers.roadmap.import_preview import show_preview
from handlers.roadmap.import_reading import loaded_indicator_columns, read_draft
from handlers.roadmap.import_states import RoadmapImportForm
from handlers.roadmap.import_texts import problem_text
from handlers.roadmap.indicator_texts import indicator_column_lines
from storage.models import Person
from storage.unit_of_work import UnitOfWork

PREFIX = "ind_"  # ImportColumnCb.role of an indicator question: «ind_target_text»
_QUESTIONS = {
    Role.TARGET_TEXT: "target_text",
    Role.NAME: "name",
}


def indicator_question(table: IndicatorTable, role: Role, *, not_found: bool) -> dict[str, Any]:
    question = (
        _("Which column holds the names of the indicators?")
        if role is Role.NAME
        else _("Which column holds the indicators' planned values (targets)?")
    )
    intro = (
        problem_text(NeedsIndicatorColumnsError(table)).split("\n")[0]
        if not_found
        else _("This is how I read the columns of the table of indicators:")
    )
    lines = [intro, *indicator_column_lines(table), "", question]
    buttons = [
        [
            InlineKeyboardButton(
                text=f"{column.index + 1}. {shorten(column.label, 40)}",
                callback_data=ImportColumnCb(role=PREFIX + role.value, index=column.index).pack(),
            )
        ]
        for column in table.columns
        if column.role is not Role.NUMBER
    ]
    buttons.append(
        [
            InlineKeyboardButton(
                text=_("Cancel"),
                callback_data=ImportColumnCb(role=PREFIX + role.value, index=-1).pack(),
            )
        ]
    )
    return {"text": "\n".join(lines), "reply_markup": InlineKeyboardMarkup(inline_keyboard=buttons)}


def indicator_question_state(table: IndicatorTable, role: Role) -> dict[str, Any]:
    return {
        "import_asked": PREFIX + role.value,
        "import_width": max((c.index for c in table.columns), default=-1) + 1,
    }


async def ask_indicator_column(
    message: Message, state: FSMContext, table: IndicatorTable, role: Role, *, not_found: bool
) -> None:
    await state.set_state(RoadmapImportForm.choosing_column)
    await state.update_data(**indicator_question_state(table, role))
    await message.answer(**indicator_question(table, role, not_found=not_found))


async def on_indicator_column_chosen(
    query: CallbackQuery,
    callback_data: ImportColumnCb,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    bot: Bot,
    state: FSMContext,
    timezone: ZoneInfo,
) -> None:
    """The coordinator pointed at the column of an indicator table that holds a role."""
    if refusal := await refuse_unless(uow, clock, person, Command.IMPORT, "roadmap.columns"):
        await query.answer(refusal, show_alert=True)
        return
    pending = await state.get_data()
    file_id = pending.get("import_file_id")
    role_value = callback_data.role.removeprefix(PREFIX)
    if (
        file_id is None
        or await state.get_state() != RoadmapImportForm.choosing_column.state
        or callback_data.role != pending.get("import_asked")
        or role_value not in _QUESTIONS.values()
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
    chosen = loaded_indicator_columns(pending.get("import_indicator_columns"))
    chosen[Role(role_value)] = callback_data.index
    await state.update_data(import_indicator_columns={r.value: i for r, i in chosen.items()})
    await query.answer()
    await close_question(
        query, _("✅ Column {number} chosen.").format(number=callback_data.index + 1)
    )
    message = query.message
    if not isinstance(message, Message):
        return
    try:
        draft = await read_draft(
            bot,
            file_id,
            pending.get("import_file_name", "roadmap"),
            clock,
            timezone,
            columns=loaded_columns(pending.get("import_columns")),
            indicator_columns=chosen,
        )
    except NeedsIndicatorColumnsError as needs:
        await ask_indicator_column(message, state, needs.table, Role.TARGET_TEXT, not_found=True)
        return
    except NeedsColumnsError as needs:
        uses, missing = needs.recognition.uses, needs.recognition.missing[0]
        await state.update_data(**column_question_state(uses, missing))
        await message.answer(**column_question(uses, missing, not_understood=True))
        return
    except ImportProblemError as problem:
        await state.clear()
        await answer_in_chat(query, problem_text(problem))
        return
    queue = [r for r in pending.get("import_indicator_queue", []) if r in _QUESTIONS.values()]
    tables = [t for t in draft.indicator_tables if not t.in_measures]
    if queue and tables:
        await state.update_data(import_indicator_queue=queue[1:])
        await ask_indicator_column(message, state, tables[0], Role(queue[0]), not_found=False)
        return
    await show_preview(message, uow, state, draft)


async def ask_indicator_corrections(
    query: CallbackQuery,
    pending: dict[str, Any],
    clock: Clock,
    bot: Bot,
    state: FSMContext,
    timezone: ZoneInfo,
) -> None:
    """«Indicator columns read wrong» under the preview: the name column, then the targets."""
    draft = await reread_for_corrections(query, pending, clock, bot, state, timezone)
    if draft is None:
        return
    tables = [t for t in draft.indicator_tables if not t.in_measures]
    if not tables or not isinstance(query.message, Message):
        return
    await state.update_data(import_indicator_queue=[Role.TARGET_TEXT.value])
    await ask_indicator_column(query.message, state, tables[0], Role.NAME, not_found=False)
