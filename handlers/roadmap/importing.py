"""The coordinator sends the roadmap document; the bot shows what it read; Confirm saves it."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command as CommandFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.labels import shorten
from domain.roadmap.build import build_draft
from domain.roadmap.columns import Column, ColumnUse
from domain.roadmap.draft import ImportProblemError, ProblemCode, RoadmapDraft
from domain.roadmap.recognise import ColumnChoice, NeedsColumnsError
from domain.roles import Command, Role, may_use
from formats.roadmap_files import read_roadmap_file
from formats.safety import MAX_FILE_BYTES
from handlers.common.access import refuse_unless
from handlers.common.callbacks import ImportCb, ImportColumnCb
from handlers.common.downloads import DownloadError, download
from handlers.common.filters import HasDocument, Joined
from handlers.common.lost_conversation import lost_conversation_hint, start_report_button
from handlers.roadmap.import_texts import column_lines, preview_text, problem_text
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.column_choices import remember_columns, remembered_columns
from storage.usecases.planning import replan
from storage.usecases.roadmaps import save_roadmap


class RoadmapImportForm(StatesGroup):
    choosing_column = State()
    confirming = State()


def build_router() -> Router:
    router = Router(name="roadmap_import")
    router.message.register(cmd_import, CommandFilter(Command.IMPORT.value), Joined())
    router.message.register(on_document, HasDocument(), Joined())
    router.callback_query.register(on_decision, ImportCb.filter(), Joined())
    router.callback_query.register(on_column_chosen, ImportColumnCb.filter(), Joined())
    return router


async def cmd_import(message: Message, person: Person, uow: UnitOfWork, clock: Clock) -> None:
    if refusal := await refuse_unless(uow, clock, person, Command.IMPORT, "roadmap.import"):
        await message.answer(refusal)
        return
    await message.answer(
        _(
            "Send me the approved roadmap as a file: a Word document (.docx), an Excel "
            "spreadsheet (.xlsx) or an OpenDocument file (.odt, .ods), up to 10 MB. I will show "
            "what I read before saving anything. No file at hand? Send /template for a "
            "spreadsheet to fill in."
        )
    )


async def fetch_file(bot: Bot, file_id: str, declared_size: int | None) -> bytes:
    """A roadmap or list someone sent, or the ImportProblemError that explains why not."""
    try:
        return await download(bot, file_id, declared_size, MAX_FILE_BYTES)
    except DownloadError as error:
        code = ProblemCode.TOO_LARGE if error.too_large else ProblemCode.CORRUPT
        raise ImportProblemError(code, str(error)) from None


async def read_draft(
    bot: Bot,
    file_id: str,
    file_name: str,
    clock: Clock,
    timezone: ZoneInfo,
    declared_size: int | None = None,
    columns: ColumnChoice | None = None,
) -> RoadmapDraft:
    data = await fetch_file(bot, file_id, declared_size)
    year = clock.now().astimezone(timezone).year
    # Parsing a long document takes a moment; keep the bot answering others meanwhile.
    return await asyncio.to_thread(
        lambda: build_draft(read_roadmap_file(file_name, data), fallback_year=year, columns=columns)
    )


async def read_with_memory(
    uow: UnitOfWork,
    bot: Bot,
    file_id: str,
    file_name: str,
    clock: Clock,
    timezone: ZoneInfo,
    declared_size: int | None = None,
) -> tuple[RoadmapDraft, dict[Column, int] | None]:
    """The draft, read with the columns a coordinator chose before for the same header; raises
    NeedsColumnsError when nobody has answered for this header yet."""
    try:
        return await read_draft(bot, file_id, file_name, clock, timezone, declared_size), None
    except NeedsColumnsError as needs:
        chosen = await remembered_columns(uow, needs.recognition.signature)
        if chosen is None:
            raise
        draft = await read_draft(bot, file_id, file_name, clock, timezone, columns=chosen)
        return draft, chosen


async def on_document(
    message: Message,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    bot: Bot,
    state: FSMContext,
    timezone: ZoneInfo,
) -> None:
    document = message.document
    assert document is not None  # guaranteed by the HasDocument filter
    if may_use(Role(person.role), Command.REPORT):
        # A school head's file belongs to a report that is not (or no longer) in progress.
        await message.answer(lost_conversation_hint(message), reply_markup=start_report_button())
        return
    if refusal := await refuse_unless(uow, clock, person, Command.IMPORT, "roadmap.upload"):
        await message.answer(refusal)
        return
    file_name = document.file_name or "roadmap"
    await state.set_data({})
    try:
        draft, chosen = await read_with_memory(
            uow, bot, document.file_id, file_name, clock, timezone, document.file_size
        )
    except NeedsColumnsError as needs:
        await uow.commit()
        await state.set_state(RoadmapImportForm.choosing_column)
        uses, role = needs.recognition.uses, needs.recognition.missing[0]
        await state.update_data(
            import_file_id=document.file_id,
            import_file_name=file_name,
            import_columns={},
            **_question_state(uses, role),
        )
        await message.answer(**_column_question(uses, role, not_understood=True))
        return
    except ImportProblemError as problem:
        uow.audit.add(
            at=clock.now(),
            action="roadmap.upload",
            outcome=problem.code.value,
            person_id=person.id,
            details={"file": file_name[:100]},
        )
        await uow.commit()
        await message.answer(problem_text(problem))
        return
    await state.update_data(
        import_file_id=document.file_id,
        import_file_name=file_name,
        import_columns=_stored(chosen or {}),
    )
    await _show_preview(message, uow, state, draft)


async def _show_preview(
    message: Message, uow: UnitOfWork, state: FSMContext, draft: RoadmapDraft
) -> None:
    existing = await uow.roadmaps.find_same(
        draft.details.title, draft.details.order_number, draft.details.order_date
    )
    await uow.commit()
    await state.set_state(RoadmapImportForm.confirming)
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=_("Confirm"), callback_data=ImportCb(action="confirm").pack()
                ),
                InlineKeyboardButton(
                    text=_("Cancel"), callback_data=ImportCb(action="cancel").pack()
                ),
            ],
            [
                InlineKeyboardButton(
                    text=_("Columns read wrong"), callback_data=ImportCb(action="columns").pack()
                )
            ],
        ]
    )
    await message.answer(
        preview_text(draft, updates_existing=existing is not None), reply_markup=keyboard
    )


async def on_decision(
    query: CallbackQuery,
    callback_data: ImportCb,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    bot: Bot,
    state: FSMContext,
    timezone: ZoneInfo,
) -> None:
    if refusal := await refuse_unless(uow, clock, person, Command.IMPORT, "roadmap.confirm"):
        await query.answer(refusal, show_alert=True)
        return
    pending = await state.get_data()
    file_id = pending.get("import_file_id")
    if file_id is None or await state.get_state() != RoadmapImportForm.confirming.state:
        await query.answer(
            _("There is no import waiting. Send the roadmap file again."), show_alert=True
        )
        return
    if callback_data.action == "columns":
        await _ask_corrections(query, pending, clock, bot, state, timezone)
        return
    await state.clear()
    if callback_data.action != "confirm":
        await query.answer(_("Cancelled."))
        await _reply(query, _("Import cancelled. Nothing was saved."))
        return
    await query.answer(_("Saving…"))
    try:
        draft = await read_draft(
            bot,
            file_id,
            pending.get("import_file_name", "roadmap"),
            clock,
            timezone,
            columns=_loaded(pending.get("import_columns")),
        )
    except ImportProblemError as problem:
        await _reply(query, problem_text(problem))
        return
    saved = await save_roadmap(
        uow, draft, now=clock.now(), timezone=timezone.key, imported_by_id=person.id
    )
    await replan(uow, clock.now(), saved.measure_ids)
    await uow.commit()
    await _reply(
        query,
        _(
            "Saved. Measures added: {added}, updated: {updated}. Send /measures to look "
            "through them and set the dates that are missing."
        ).format(added=saved.measures_added, updated=saved.measures_updated),
    )


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
        await _close_question(query)
        await _reply(query, _("Import cancelled. Nothing was saved."))
        return
    if callback_data.index >= int(pending.get("import_width", 0)):
        await query.answer(
            _("The table has no such column. Choose one of the buttons."), show_alert=True
        )
        return
    chosen = _loaded(pending.get("import_columns"))
    chosen[Column(callback_data.role)] = callback_data.index
    file_name = pending.get("import_file_name", "roadmap")
    await query.answer()
    await _close_question(
        query, _("✅ Column {number} chosen.").format(number=callback_data.index + 1)
    )
    try:
        draft = await read_draft(bot, file_id, file_name, clock, timezone, columns=chosen)
    except NeedsColumnsError as needs:
        await state.update_data(import_columns=_stored(chosen))
        await _ask(query, state, needs.recognition.uses, needs.recognition.missing[0], True)
        return
    except ImportProblemError as problem:
        await state.clear()
        await _reply(query, problem_text(problem))
        return
    queue = [role for role in pending.get("import_queue", []) if role in _ROLE_VALUES]
    if queue:
        await state.update_data(import_columns=_stored(chosen), import_queue=queue[1:])
        await _ask(query, state, draft.columns, Column(queue[0]), False)
        return
    await remember_columns(uow, draft.signature, chosen, chosen_by_id=person.id, now=clock.now())
    await state.update_data(import_columns=_stored(chosen))
    if isinstance(query.message, Message):
        await _show_preview(query.message, uow, state, draft)


def _column_question(
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


def _question_state(uses: tuple[ColumnUse, ...], role: Column) -> dict[str, Any]:
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
    await state.update_data(**_question_state(uses, role))
    if query.message is not None:
        await query.message.answer(**_column_question(uses, role, not_understood=not_understood))


async def _ask_corrections(
    query: CallbackQuery,
    pending: dict[str, Any],
    clock: Clock,
    bot: Bot,
    state: FSMContext,
    timezone: ZoneInfo,
) -> None:
    """«Columns read wrong» under the preview: the deadline column, then the measure column."""
    try:
        draft = await read_draft(
            bot,
            pending["import_file_id"],
            pending.get("import_file_name", "roadmap"),
            clock,
            timezone,
            columns=_loaded(pending.get("import_columns")),
        )
    except ImportProblemError as problem:
        await state.clear()
        await query.answer()
        await _reply(query, problem_text(problem))
        return
    await query.answer()
    await _close_question(query)
    await state.update_data(import_queue=[Column.TITLE.value])
    await _ask(query, state, draft.columns, Column.DEADLINE, False)


_ROLE_VALUES = {column.value for column in Column}


def _stored(columns: dict[Column, int]) -> dict[str, int]:
    return {role.value: index for role, index in columns.items()}


def _loaded(stored: object) -> dict[Column, int]:
    """The choice kept in the conversation state; anything malformed is dropped, not trusted."""
    if not isinstance(stored, dict):
        return {}
    known = {column.value: column for column in Column}
    return {
        known[role]: index
        for role, index in stored.items()
        if role in known and isinstance(index, int) and index >= 0
    }


async def _close_question(query: CallbackQuery, answer: str | None = None) -> None:
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


async def _reply(query: CallbackQuery, text: str) -> None:
    if query.message is not None:
        await query.message.answer(text)
