"""/export: the implementation report spreadsheet. The coordinator gets every organisation;
a school head only their own. Also used by ``roadmap-bot export``."""

from __future__ import annotations

import asyncio
import tempfile
from functools import partial
from zoneinfo import ZoneInfo

from aiogram import Router
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
from domain.roles import Command
from formats.indicator_table import add_table1
from formats.report_document import report_document
from formats.report_workbook import ReportWorkbook
from handlers.common.access import refuse_unless
from handlers.common.callbacks import ExportCb
from handlers.common.filters import HasText, Joined, in_state
from handlers.common.texts import export_names
from handlers.export.document_texts import document_texts
from handlers.export.indicator_texts import sheet_figures, sheet_values, table1
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.actual_results import report_notes
from storage.usecases.export import (
    ExportScope,
    answer_rows,
    export_scope,
    latest_roadmap,
    report_content,
    report_figures,
    set_position,
)
from storage.usecases.indicator_table import indicator_lines, school_figures

TELEGRAM_DOCUMENT_LIMIT = 50 * 1024 * 1024


MAX_POSITION = 200


def build_router() -> Router:
    router = Router(name="export")
    router.message.register(cmd_export, CommandFilter(Command.EXPORT.value), Joined())
    router.callback_query.register(on_export_choice, ExportCb.filter(), Joined())
    router.message.register(on_position, in_state(ExportForm.position), HasText(), Joined())
    return router


async def write_export(uow: UnitOfWork, scope: ExportScope, target: object) -> bool:
    """Write the workbook to ``target`` (a path or a binary file); ``False`` if no roadmap
    has been imported yet."""
    roadmap = await latest_roadmap(uow)
    if roadmap is None:
        return False
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
    return True


class ExportForm(StatesGroup):
    position = State()  # the signature block needs the signer's position


async def cmd_export(
    message: Message, person: Person, uow: UnitOfWork, clock: Clock, state: FSMContext
) -> None:
    if refusal := await refuse_unless(uow, clock, person, Command.EXPORT, "export"):
        await message.answer(refusal)
        return
    await state.clear()
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=_("Spreadsheet (.xlsx)"), callback_data=ExportCb(fmt="xlsx").pack()
                ),
                InlineKeyboardButton(
                    text=_("Document (.docx)"), callback_data=ExportCb(fmt="docx").pack()
                ),
            ]
        ]
    )
    await message.answer(
        _(
            "Which report do you need? The spreadsheet has every answer («Отчет», «Свод», "
            "«Ответы»); the document is the report ready to sign, with a summary and "
            "«Таблица 2»."
        ),
        reply_markup=keyboard,
    )


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
    await query.answer()
    if not isinstance(query.message, Message):
        return
    if callback_data.fmt == "xlsx":
        await send_spreadsheet(query.message, person, uow, clock, timezone)
        return
    if not (person.position or "").strip():
        await state.set_state(ExportForm.position)
        await query.message.answer(
            _(
                "The document ends with a signature block: your position, name and the date. "
                "What is your position? For example: «Заместитель начальника управления "
                "образования»."
            )
        )
        return
    await send_document(query.message, person, uow, clock, timezone, issuing_body)


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
    await state.clear()
    await set_position(uow, person.id, position)
    await uow.commit()
    person.position = position
    await send_document(message, person, uow, clock, timezone, issuing_body)


async def send_spreadsheet(
    message: Message, person: Person, uow: UnitOfWork, clock: Clock, timezone: ZoneInfo
) -> None:
    today = clock.now().astimezone(timezone).date()
    with tempfile.TemporaryFile() as spool:
        written = await write_export(uow, export_scope(today, timezone, reader=person), spool)
        uow.audit.add(at=clock.now(), action="export", person_id=person.id)
        await uow.commit()
        if not written:
            await message.answer(NO_ROADMAP())
            return
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
        caption=_("Implementation report on {date}: «Отчет», «Свод» and «Ответы».").format(
            date=f"{today:%d.%m.%Y}"
        ),
    )


async def send_document(
    message: Message,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    timezone: ZoneInfo,
    issuing_body: str = "",
) -> None:
    today = clock.now().astimezone(timezone).date()
    scope = export_scope(today, timezone, reader=person)
    data = await write_document(uow, scope, person, issuer=issuing_body)
    uow.audit.add(at=clock.now(), action="export.docx", person_id=person.id)
    await uow.commit()
    if data is None:
        await message.answer(NO_ROADMAP())
        return
    if len(data) > TELEGRAM_DOCUMENT_LIMIT:
        await message.answer(
            _("The document is larger than the messenger allows (50 MB). Ask the administrator to "
              "run «roadmap-bot export --format docx» on the server.")
        )  # fmt: skip
        return
    await message.answer_document(
        BufferedInputFile(data, f"Отчет о реализации на {today:%d.%m.%Y}.docx"),
        caption=_(
            "The implementation report on {date}, ready to sign: summary, «Таблица 2» and the "
            "signature block. It opens in Word and LibreOffice."
        ).format(date=f"{today:%d.%m.%Y}"),
    )


async def write_document(
    uow: UnitOfWork, scope: ExportScope, signer: Person | None, *, issuer: str = ""
) -> bytes | None:
    """The .docx report, or ``None`` if no roadmap has been imported yet. ``issuer``: the
    issuing body when the roadmap's order names none (the ISSUING_BODY setting)."""
    roadmap = await latest_roadmap(uow)
    if roadmap is None:
        return None
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
