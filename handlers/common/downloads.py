"""Fetching a file someone sent: one place that knows Telegram's download limits and errors."""

from __future__ import annotations

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest

MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024  # a bot cannot download more from Telegram


class DownloadError(Exception):
    """The file could not be fetched; ``too_large`` says whether its size was the reason."""

    def __init__(self, too_large: bool, detail: str = "") -> None:
        super().__init__(detail)
        self.too_large = too_large


async def download(bot: Bot, file_id: str, declared_size: int | None, limit: int) -> bytes:
    """The file's bytes, refusing early what is over ``limit`` or over Telegram's own limit."""
    if declared_size is not None and declared_size > min(limit, MAX_DOWNLOAD_BYTES):
        raise DownloadError(too_large=True, detail=str(declared_size))
    try:
        file = await bot.get_file(file_id)
        if file.file_path is None:
            raise DownloadError(too_large=False, detail="no file path")
        content = await bot.download_file(file.file_path)
    except TelegramBadRequest as error:  # «file is too big», or an expired file_id
        raise DownloadError("too big" in error.message.lower(), error.message) from None
    if content is None:
        raise DownloadError(too_large=False, detail="empty download")
    data = content.read()
    if len(data) > limit:
        raise DownloadError(too_large=True, detail=str(len(data)))
    return data
