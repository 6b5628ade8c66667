"""The merged workbook of a request's answers: every checked form stacked under the template's
header with the school first, and who has not answered. Shared by /requests and the CLI."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from pathlib import Path

from aiogram import Bot
from aiogram.types import BufferedInputFile
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from formats.request_forms.merge import Answer, merge_answers
from formats.request_forms.template import read_template
from handlers.common.coordinators import tell_each_coordinator
from storage.evidence import evidence_path
from storage.unit_of_work import UnitOfWork
from storage.usecases.reports.announcements import request_coordinator_chats
from storage.usecases.requests.answers import collect_answers, request_of_occurrence


async def merged_workbook(
    uow: UnitOfWork, request_id: int, evidence_dir: Path
) -> tuple[str, bytes, int, int] | None:
    """(file name, .xlsx bytes, schools merged, schools missing), or ``None`` when there is no
    such request or it carries no spreadsheet form."""
    collected = await collect_answers(uow, request_id)
    if collected is None or not collected.form_sha256:
        return None
    if not (collected.form_name or "").lower().endswith(".xlsx"):
        return None
    template_file = evidence_path(evidence_dir, collected.form_sha256)
    answers = [(name, evidence_path(evidence_dir, sha)) for name, sha in collected.answers]
    readable = [(name, path) for name, path in answers if path.exists()]
    missing = collected.missing + [name for name, path in answers if not path.exists()]

    def merge() -> bytes:
        template = read_template(template_file.read_bytes())

        def stream() -> Iterator[Answer]:  # one file in memory at a time
            for name, path in readable:
                yield Answer(name, path.read_bytes())

        buffer = io.BytesIO()
        merge_answers(template, stream(), sorted(missing), buffer)
        return buffer.getvalue()

    data = await asyncio.to_thread(merge)
    return f"Запрос № {collected.number} — ответы.xlsx", data, len(readable), len(missing)


async def send_when_complete(
    bot: Bot, i18n: I18n, uow: UnitOfWork, occurrence_id: int, evidence_dir: Path
) -> None:
    """The answer just saved was the last one: every coordinator gets the merged workbook
    without asking (they may still ask /requests for it at any time)."""
    request = await request_of_occurrence(uow, occurrence_id)
    if request is None:
        return
    merged = await merged_workbook(uow, request.id, evidence_dir)
    if merged is None or merged[3] > 0:  # someone has not answered yet
        return
    name, data, answered, _missing = merged

    async def send(chat_id: int) -> None:  # in each coordinator's language
        await bot.send_document(
            chat_id,
            BufferedInputFile(data, name),
            caption=_("Every school has answered: the merged answers ({count}).").format(
                count=answered
            ),
        )

    await tell_each_coordinator(i18n, await request_coordinator_chats(uow, request), send)
