"""The coordinators hear once that the daily backup failed (the bot itself keeps working)."""

from __future__ import annotations

from aiogram import Bot
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from handlers.common.coordinators import tell_each_coordinator
from storage.unit_of_work import UnitOfWork
from storage.usecases.reports.announcements import coordinator_chats


async def tell_backup_failed(
    bot: Bot, sessions: async_sessionmaker[AsyncSession], i18n: I18n, problem: str
) -> int:
    """``problem``: the folder and the system's reason, for the IT person to act on."""
    async with sessions() as session:
        coordinators = await coordinator_chats(UnitOfWork(session))

    async def send(chat_id: int) -> None:
        text = _(
            "⚠️ The daily backup could not be made: {problem}\n\n"
            "The bot keeps working and nothing is lost, but there is no fresh copy of the "
            "data. Please pass this message to the person who looks after the server. It "
            "is not repeated while backups keep failing."
        ).format(problem=problem)
        await bot.send_message(chat_id, text)

    return await tell_each_coordinator(i18n, coordinators, send)
