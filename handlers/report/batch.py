"""«Batched hourly»: instead of a message per report, coordinators get one message an hour
listing the new reports, each opened with a button (then Accept / Return as usual)."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.clock import Clock
from handlers.common.callbacks import ReviewOpenCb
from handlers.common.coordinators import tell_each_coordinator
from handlers.common.texts import status_name
from storage.unit_of_work import UnitOfWork
from storage.usecases.reports.announcements import (
    ReportHeadline,
    claim_unnotified_reports,
    coordinator_chats,
)

PER_MESSAGE = 40  # lines and buttons per message: well inside Telegram's limits, easy to scan
MAX_LINE = 95  # so 40 lines always fit one 4,096-character message


class ReportBatch:
    def __init__(
        self,
        bot: Bot,
        session_factory: async_sessionmaker[AsyncSession],
        i18n: I18n,
        clock: Clock,
    ) -> None:
        self._bot = bot
        self._sessions = session_factory
        self._i18n = i18n
        self._clock = clock

    async def send(self) -> int:
        """Announce every report not announced yet; returns how many were listed."""
        listed = 0
        while True:
            async with self._sessions() as session:
                uow = UnitOfWork(session)
                headlines = await claim_unnotified_reports(
                    uow, self._clock.now(), limit=PER_MESSAGE
                )
                told = await _whom_to_tell(uow, headlines)
                await uow.commit()
            if not headlines:
                return listed
            listed += len(headlines)
            for coordinators, theirs in told:
                await self._announce(theirs, coordinators)

    async def _announce(
        self, headlines: list[ReportHeadline], coordinators: list[tuple[int, str | None]]
    ) -> None:
        async def send(chat_id: int) -> None:
            text, markup = batch_message(headlines)  # in the coordinator's language
            await self._bot.send_message(chat_id, text, reply_markup=markup)

        await tell_each_coordinator(self._i18n, coordinators, send)


async def _whom_to_tell(
    uow: UnitOfWork, headlines: list[ReportHeadline]
) -> list[tuple[list[tuple[int, str | None]], list[ReportHeadline]]]:
    """Each coordinator is told of the reports on the roadmaps they answer for, in one message:
    the coordinators told of the same reports share one list."""
    chats_of: dict[int | None, list[tuple[int, str | None]]] = {}
    theirs: dict[tuple[int, str | None], list[ReportHeadline]] = {}
    for headline in headlines:
        if headline.roadmap_id not in chats_of:
            chats_of[headline.roadmap_id] = await coordinator_chats(uow, headline.roadmap_id)
        for chat in chats_of[headline.roadmap_id]:
            theirs.setdefault(chat, []).append(headline)
    grouped: dict[tuple[int, ...], list[tuple[int, str | None]]] = {}
    for chat, listed in theirs.items():
        grouped.setdefault(tuple(h.report_id for h in listed), []).append(chat)
    by_id = {headline.report_id: headline for headline in headlines}
    return [(chats, [by_id[i] for i in ids]) for ids, chats in grouped.items()]


def batch_message(headlines: list[ReportHeadline]) -> tuple[str, InlineKeyboardMarkup]:
    lines = [
        _("New reports: {count}. Open one to accept or return it.").format(count=len(headlines))
    ]
    buttons = []
    for item in headlines:
        where = f" · {item.organisation}" if item.organisation else ""
        line = f"{item.measure_number}{where} — {status_name(item.status)} ({item.author})"
        lines.append(line[:MAX_LINE])
        buttons.append(
            [
                InlineKeyboardButton(
                    text=f"{item.measure_number}{where}"[:60],
                    callback_data=ReviewOpenCb(report_id=item.report_id).pack(),
                )
            ]
        )
    return "\n".join(lines)[:4000], InlineKeyboardMarkup(inline_keyboard=buttons)
