"""Every log line written while an update is handled carries the update's id."""

from __future__ import annotations

from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update

from bot.logs import current_update_id
from handlers.common.middlewares import Handler


class UpdateLogContextMiddleware(BaseMiddleware):
    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if not isinstance(event, Update):
            return await handler(event, data)
        token = current_update_id.set(event.update_id)
        try:
            return await handler(event, data)
        finally:
            current_update_id.reset(token)
