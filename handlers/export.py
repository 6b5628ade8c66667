"""/export: the implementation report spreadsheet. The coordinator gets every organisation;
a school head only their own. Also used by ``roadmap-bot export``."""

from __future__ import annotations

import tempfile
from zoneinfo import ZoneInfo

from aiogram import Router
from aiogram.filters import Command as CommandFilter
from aiogram.types import BufferedInputFile, Message
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.roles import Command
from formats.report_workbook import ReportWorkbook
from handlers.filters import Joined
from handlers.roles import refuse_unless
from handlers.texts import export_names
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.export import (
    ExportScope,
    answer_rows,
    export_scope,
    latest_roadmap,
    report_content,
)

TELEGRAM_DOCUMENT_LIMIT = 50 * 1024 * 1024


def build_router() -> Router:
    router = Router(name="export")
    router.message.register(cmd_export, CommandFilter(Command.EXPORT.value), Joined())
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
    workbook.write_summary(grid)
    async for batch in answer_rows(uow, roadmap, scope):
        workbook.add_answers(batch)
    workbook.save(target)  # type: ignore[arg-type]
    return True


async def cmd_export(
    message: Message, person: Person, uow: UnitOfWork, clock: Clock, timezone: ZoneInfo
) -> None:
    if refusal := await refuse_unless(uow, clock, person, Command.EXPORT, "export"):
        await message.answer(refusal)
        return
    today = clock.now().astimezone(timezone).date()
    with tempfile.TemporaryFile() as spool:
        written = await write_export(uow, export_scope(today, timezone, reader=person), spool)
        uow.audit.add(at=clock.now(), action="export", person_id=person.id)
        await uow.commit()
        if not written:
            await message.answer(
                _("There is no roadmap yet. The coordinator imports it by sending the file.")
            )
            return
        size = spool.tell()
        if size > TELEGRAM_DOCUMENT_LIMIT:
            await message.answer(
                _("The spreadsheet is larger than Telegram allows (50 MB). Ask the "
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
