"""/export: the implementation report spreadsheet. The coordinator gets every organisation;
a school head only their own. Also used by ``roadmap-bot export``."""

from __future__ import annotations

import asyncio
import tempfile
from datetime import date
from functools import partial
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import Command as CommandFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.roadmap.archive import is_archived
from domain.roles import Command
from formats.indicator_table import add_table1
from formats.report_document import report_document
from formats.report_workbook import ReportWorkbook
from handlers.common.access import refuse_unless
from handlers.common.callbacks import ExportCb, RoadmapPickCb
from handlers.common.filters import HasText, Joined, in_state
from handlers.common.roadmap_picker import archived_note, chosen, only_or_picker
from handlers.common.texts import export_names
from handlers.export.document_texts import document_texts
from handlers.export.indicator_texts import sheet_figures, sheet_values, table1
from handlers.export.report_notes import notes_hint, notes_row
from storage.models import Person, Roadmap
from storage.unit_of_work import UnitOfWork
from storage.usecases.actual_results import report_notes
from storage.usecases.export import (
    ExportScope,
    answer_rows,
    export_scope,
    report_content,
    report_figures,
    set_position,
)
from storage.usecases.indicator_table import indicator_lines, school_figures

TELEGRAM_DOCUMENT_LIMIT = 50 * 1024 * 1024
EXPORT_VIEW = "export"


MAX_POSITION = 200


def build_router() -> Router:
    router = Router(name="export")
    router.message.register(cmd_export, CommandFilter(Command.EXPORT.value), Joined())
    router.callback_query.register(
        on_roadmap_chosen, RoadmapPickCb.filter(F.view == EXPORT_VIEW), Joined()
    )
    router.callback_query.register(on_export_choice, ExportCb.filter(), Joined())
    router.message.register(on_position, in_state(ExportForm.position), HasText(), Joined())
    return router


async def write_export(
    uow: UnitOfWork, scope: ExportScope, target: object, roadmap: Roadmap
) -> None:
    """Write ``roadmap``'s workbook to ``target`` (a path or a binary file)."""
    workbook = ReportWorkbook(as_of=scope.as_of, names=export_names())
    lines, grid = await report_content(uow, roadmap, scope)
    workbook.write_report(roadmap.title, lines)
    indicators = await indicator_lines(uow, roadmap.id)
    if indicators:
        figures = await school_figures(uow, roadmap.id)
        workbook.write_indicators(sheet_values(indicators), sheet_figures(figures))
    workbook.write_summary(grid)
    async for batch in answer_rows(uow, roadmap, scope):
        workbook.add_answers(batch)
    workbook.save(target)  # type: ignore[arg-type]


class ExportForm(StatesGroup):
    position = State()  # the signature block needs the signer's position


async def cmd_export(
    message: Message,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    timezone: ZoneInfo,
    state: FSMContext,
) -> None:
    if refusal := await refuse_unless(uow, clock, person, Command.EXPORT, "export"):
        await message.answer(refusal)
        return
    await state.clear()
    today = clock.now().astimezone(timezone).date()
    entries, question = await only_or_picker(uow, today, EXPORT_VIEW)
    if not entries:
        await message.answer(NO_ROADMAP())
        return
    if question is not None:
        text, keyboard = question
        await message.answer(text, reply_markup=keyboard)
        return
    roadmap = await uow.roadmaps.get(entries[0].id)
    if roadmap is None:  # pragma: no cover - listed a moment ago, in the same transaction
        await message.answer(NO_ROADMAP())
        return
    notes = notes_row(person, roadmap, today)
    text = _format_question() + ("\n\n" + notes_hint(person, today) if notes else "")
    await message.answer(text, reply_markup=_format_buttons(roadmap.id, notes))


def _format_question() -> str:
    return _(
        "Which report do you need? The spreadsheet has every answer («Отчет», «Свод», "
        "«Ответы»); the document is the report ready to sign, with a summary and "
        "«Таблица 2»."
    )


def _format_buttons(
    roadmap_id: int, notes: list[InlineKeyboardButton] | None = None
) -> InlineKeyboardMarkup:
    """The two reports; under them, for the coordinator, the document's typed sections."""
    rows = [
        [
            InlineKeyboardButton(
                text=_("Spreadsheet (.xlsx)"),
                callback_data=ExportCb(fmt="xlsx", roadmap_id=roadmap_id).pack(),
            ),
            InlineKeyboardButton(
                text=_("Document (.docx)"),
                callback_data=ExportCb(fmt="docx", roadmap_id=roadmap_id).pack(),
            ),
        ]
    ]
    if notes:
        rows.append(notes)
    return InlineKeyboardMarkup(inline_keyboard=rows)


async def on_roadmap_chosen(
    query: CallbackQuery,
    callback_data: RoadmapPickCb,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    timezone: ZoneInfo,
) -> None:
    today = clock.now().astimezone(timezone).date()
    picked = await chosen(
        query, person, uow, clock, callback_data.roadmap_id, today, Command.EXPORT
    )
    if picked is None:
        return
    roadmap, entry = picked
    if not isinstance(query.message, Message):
        return
    text = f"«{' '.join(roadmap.title.split())}»\n{_format_question()}"
    if entry.archived:  # chosen from the list, or archived since: history, and said so
        text = archived_note(roadmap.title) + "\n\n" + _format_question()
    notes = notes_row(person, roadmap, today)
    if notes:
        text += "\n\n" + notes_hint(person, today)
    await query.message.answer(text, reply_markup=_format_buttons(roadmap.id, notes))


async def on_export_choice(
    query: CallbackQuery,
    callback_data: ExportCb,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    timezone: ZoneInfo,
    state: FSMContext,
    issuing_body: str = "",
) -> None:
    if refusal := await refuse_unless(uow, clock, person, Command.EXPORT, "export"):
        await query.answer(refusal, show_alert=True)
        return
    if callback_data.fmt not in ("xlsx", "docx"):
        await query.answer(_("This button is no longer valid."), show_alert=True)
        return
    today = clock.now().astimezone(timezone).date()
    picked = await chosen(
        query, person, uow, clock, callback_data.roadmap_id, today, Command.EXPORT
    )
    if picked is None:
        return
    roadmap, _entry = picked
    if not isinstance(query.message, Message):
        return
    if callback_data.fmt == "xlsx":
        await send_spreadsheet(query.message, person, uow, clock, timezone, roadmap)
        return
    if not (person.position or "").strip():
        await state.set_state(ExportForm.position)
        await state.update_data(roadmap_id=roadmap.id)
        await query.message.answer(
            _(
                "The document ends with a signature block: your position, name and the date. "
                "What is your position? For example: «Заместитель начальника управления "
                "образования»."
            )
        )
        return
    await send_document(query.message, person, uow, clock, timezone, roadmap, issuing_body)


async def on_position(
    message: Message,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    timezone: ZoneInfo,
    state: FSMContext,
    issuing_body: str = "",
) -> None:
    position = " ".join((message.text or "").split())
    if not 2 <= len(position) <= MAX_POSITION:
        await message.answer(
            _("Please write your position in words, up to {limit} characters.").format(
                limit=MAX_POSITION
            )
        )
        return
    roadmap_id = (await state.get_data()).get("roadmap_id")
    await state.clear()
    await set_position(uow, person.id, position)
    await uow.commit()
    person.position = position
    roadmap = await uow.roadmaps.get(roadmap_id) if isinstance(roadmap_id, int) else None
    if roadmap is None:  # removed meanwhile: the position is kept, the export starts over
        await message.answer(_("Thank you, your position is saved. Send /export again."))
        return
    await send_document(message, person, uow, clock, timezone, roadmap, issuing_body)


def _not_begun(roadmap: Roadmap, today: date) -> str | None:
    """The answer to an export before the roadmap's period begins: nothing to report yet."""
    if today >= roadmap.period_start_on:
        return None
    return _("«{title}» begins on {date}: there is nothing to report on yet.").format(
        title=" ".join(roadmap.title.split()), date=f"{roadmap.period_start_on:%d.%m.%Y}"
    )


def _history_caption(roadmap: Roadmap, today: date, caption: str) -> str:
    if is_archived(roadmap.archive_choice, roadmap.period_end_on, today):
        return caption + "\n" + archived_note(roadmap.title)
    return caption


async def send_spreadsheet(
    message: Message,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    timezone: ZoneInfo,
    roadmap: Roadmap,
) -> None:
    today = clock.now().astimezone(timezone).date()
    if refusal := _not_begun(roadmap, today):
        await message.answer(refusal)
        return
    with tempfile.TemporaryFile() as spool:
        await write_export(uow, export_scope(today, timezone, reader=person), spool, roadmap)
        uow.audit.add(at=clock.now(), action="export", person_id=person.id)
        await uow.commit()
        size = spool.tell()
        if size > TELEGRAM_DOCUMENT_LIMIT:
            await message.answer(
                _("The spreadsheet is larger than the messenger allows (50 MB). Ask the "
                  "administrator to run «roadmap-bot export» on the server.")
            )  # fmt: skip
            return
        spool.seek(0)
        data = spool.read()
    await message.answer_document(
        BufferedInputFile(data, f"Отчет о реализации на {today:%d.%m.%Y}.xlsx"),
        caption=_history_caption(
            roadmap,
            today,
            _("Implementation report on {date}: «Отчет», «Свод» and «Ответы».").format(
                date=f"{today:%d.%m.%Y}"
            ),
        ),
    )


async def send_document(
    message: Message,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    timezone: ZoneInfo,
    roadmap: Roadmap,
    issuing_body: str = "",
) -> None:
    today = clock.now().astimezone(timezone).date()
    if refusal := _not_begun(roadmap, today):
        await message.answer(refusal)
        return
    scope = export_scope(today, timezone, reader=person)
    data = await write_document(uow, scope, person, roadmap, issuer=issuing_body)
    uow.audit.add(at=clock.now(), action="export.docx", person_id=person.id)
    await uow.commit()
    if len(data) > TELEGRAM_DOCUMENT_LIMIT:
        await message.answer(
            _("The document is larger than the messenger allows (50 MB). Ask the administrator to "
              "run «roadmap-bot export --format docx» on the server.")
        )  # fmt: skip
        return
    notes = notes_row(person, roadmap, today)
    await message.answer_document(
        BufferedInputFile(data, f"Отчет о реализации на {today:%d.%m.%Y}.docx"),
        reply_markup=InlineKeyboardMarkup(inline_keyboard=[notes]) if notes else None,
        caption=_history_caption(
            roadmap,
            today,
            _(
                "The implementation report on {date}, ready to sign: summary, «Таблица 2» and "
                "the signature block. It opens in Word and LibreOffice."
            ).format(date=f"{today:%d.%m.%Y}"),
        ),
    )


async def write_document(
    uow: UnitOfWork,
    scope: ExportScope,
    signer: Person | None,
    roadmap: Roadmap,
    *,
    issuer: str = "",
) -> bytes:
    """``roadmap``'s .docx report. ``issuer``: the issuing body when the roadmap's order names
    none (the ISSUING_BODY setting)."""
    lines, _grid = await report_content(uow, roadmap, scope)
    figures = await report_figures(uow, roadmap, scope)
    notes = await report_notes(uow, roadmap.id, scope.as_of.year)
    texts = document_texts(roadmap, figures, scope, signer, issuer=issuer, notes=notes)
    # A roadmap without target indicators has no «Таблица 1»: the measures' table stays
    # «Таблица 2», as the official layout numbers it.
    measured = await indicator_lines(uow, roadmap.id)
    before = [partial(add_table1, table1=table1(measured, scope.as_of))] if measured else []
    return await asyncio.to_thread(report_document, texts, lines, before)


def NO_ROADMAP() -> str:  # noqa: N802 - reads as the constant text it is
    return _("There is no roadmap yet. The coordinator imports it by sending the file.")
