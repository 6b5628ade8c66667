"""The coordinator sends the roadmap document; the bot shows what it read; Confirm saves it."""

from __future__ import annotations

import asyncio
from zoneinfo import ZoneInfo

from aiogram import Bot, Router
from aiogram.filters import Command as CommandFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.roadmap.build import build_draft
from domain.roadmap.draft import ImportProblemError, ProblemCode, RoadmapDraft
from domain.roles import Command, Role, may_use
from formats.roadmap_files import read_roadmap_file
from formats.safety import MAX_FILE_BYTES
from handlers.callbacks import ImportCb
from handlers.files import DownloadError, download
from handlers.filters import HasDocument, Joined
from handlers.import_texts import preview_text, problem_text
from handlers.lost_conversation import lost_conversation_hint, start_report_button
from handlers.roles import refuse_unless
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.planning import replan
from storage.usecases.roadmaps import save_roadmap


class RoadmapImportForm(StatesGroup):
    confirming = State()


def build_router() -> Router:
    router = Router(name="roadmap_import")
    router.message.register(cmd_import, CommandFilter(Command.IMPORT.value), Joined())
    router.message.register(on_document, HasDocument(), Joined())
    router.callback_query.register(on_decision, ImportCb.filter(), Joined())
    return router


async def cmd_import(message: Message, person: Person, uow: UnitOfWork, clock: Clock) -> None:
    if refusal := await refuse_unless(uow, clock, person, Command.IMPORT, "roadmap.import"):
        await message.answer(refusal)
        return
    await message.answer(
        _(
            "Send me the approved roadmap as a file: a Word document (.docx) or an Excel "
            "spreadsheet (.xlsx), up to 10 MB. I will show what I read before saving anything. "
            "No file at hand? Send /template for a spreadsheet to fill in."
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
) -> RoadmapDraft:
    data = await fetch_file(bot, file_id, declared_size)
    year = clock.now().astimezone(timezone).year
    # Parsing a long document takes a moment; keep the bot answering others meanwhile.
    return await asyncio.to_thread(
        lambda: build_draft(read_roadmap_file(file_name, data), fallback_year=year)
    )


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
    try:
        draft = await read_draft(
            bot, document.file_id, file_name, clock, timezone, document.file_size
        )
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
    existing = await uow.roadmaps.find_same(
        draft.details.title, draft.details.order_number, draft.details.order_date
    )
    await uow.commit()
    await state.set_state(RoadmapImportForm.confirming)
    await state.update_data(import_file_id=document.file_id, import_file_name=file_name)
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=_("Confirm"), callback_data=ImportCb(action="confirm").pack()
                ),
                InlineKeyboardButton(
                    text=_("Cancel"), callback_data=ImportCb(action="cancel").pack()
                ),
            ]
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
    await state.clear()
    if callback_data.action != "confirm":
        await query.answer(_("Cancelled."))
        await _reply(query, _("Import cancelled. Nothing was saved."))
        return
    await query.answer(_("Saving…"))
    try:
        draft = await read_draft(
            bot, file_id, pending.get("import_file_name", "roadmap"), clock, timezone
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


async def _reply(query: CallbackQuery, text: str) -> None:
    if query.message is not None:
        await query.message.answer(text)
