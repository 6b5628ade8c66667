"""Reading a roadmap file someone sent: downloaded within the messenger's limits, built into a
draft in a thread, with the columns a coordinator chose before for the same header."""

from __future__ import annotations

import asyncio
from zoneinfo import ZoneInfo

from aiogram import Bot

from domain.clock import Clock
from domain.indicators.draft import IndicatorChoice
from domain.indicators.draft import Role as IndicatorRole
from domain.roadmap.build import build_draft
from domain.roadmap.columns import Column
from domain.roadmap.draft import ImportProblemError, ProblemCode, RoadmapDraft
from domain.roadmap.recognise import ColumnChoice, NeedsColumnsError
from formats.roadmap_files import read_roadmap_file_bounded
from formats.safety import MAX_FILE_BYTES
from handlers.common.downloads import DownloadError, download
from storage.unit_of_work import UnitOfWork
from storage.usecases.column_choices import remembered_columns


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
    indicator_columns: IndicatorChoice | None = None,
) -> RoadmapDraft:
    data = await fetch_file(bot, file_id, declared_size)
    year = clock.now().astimezone(timezone).year
    source = await read_roadmap_file_bounded(file_name, data)
    # Parsing a long document takes a moment; keep the bot answering others meanwhile.
    return await asyncio.to_thread(
        lambda: build_draft(
            source,
            fallback_year=year,
            columns=columns,
            indicator_columns=indicator_columns,
        )
    )


def loaded_indicator_columns(stored: object) -> IndicatorChoice:
    """The indicator columns a coordinator pointed out, kept in the conversation state; anything
    malformed is dropped, not trusted."""
    if not isinstance(stored, dict):
        return {}
    known = {role.value: role for role in IndicatorRole}
    return {
        known[role]: index
        for role, index in stored.items()
        if role in known and isinstance(index, int) and index >= 0
    }


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
