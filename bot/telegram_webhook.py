"""Telegram's webhook deliveries: aiogram's handler, except that an update of a shape Telegram
should never send is answered 200 and logged by its id and kind only.

aiogram's own handler lets pydantic's error escape: the server answers 500, Telegram sends
the update again and again, and the logged traceback quotes the update's values (what people
wrote). The secret is checked before this, as aiogram does.
"""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot
from aiogram.methods import TelegramMethod
from aiogram.types import Update
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from bot.update_ledger import Claim, UpdateLedger

logger = logging.getLogger(__name__)
_KINDS = frozenset(Update.model_fields) - {"update_id"}


class TelegramWebhookHandler(SimpleRequestHandler):
    def __init__(self, *args: Any, ledger: UpdateLedger, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ledger = ledger

    async def _handle_request(self, bot: Bot, request: web.Request) -> web.Response:
        raw: Any = None
        try:
            raw = await request.json(loads=bot.session.json_loads)
            update = Update.model_validate(raw, context={"bot": bot})
        except Exception:  # not JSON, or not an update: dropped, never retried
            logger.warning("a malformed Telegram update was dropped: %s", describe_update(raw))
            return web.Response()
        claim = await self.ledger.claim(update.update_id)
        if claim is Claim.DONE:
            return web.Response()  # delivered again after it was handled: acknowledged only
        if claim is Claim.WORKING:
            # Another replica has it in hand: Telegram comes back later, and handles it then
            # if that replica died meanwhile.
            return web.Response(status=503, headers={"Retry-After": "5"})
        try:
            result: TelegramMethod[Any] | None = await self.dispatcher.feed_webhook_update(
                bot, update, **self.data
            )
        except BaseException:
            await self.ledger.release(update.update_id)
            raise
        await self.ledger.finish(update.update_id)
        return web.Response(body=self._build_response_writer(bot=bot, result=result))


def describe_update(raw: object) -> str:
    """An update for the logs by its id and kind only: the kind is named only when it is one
    of Telegram's, so nothing a sender wrote can pass."""
    if not isinstance(raw, dict):
        return "not an object"
    update_id = raw.get("update_id")
    shown_id = (
        str(update_id) if isinstance(update_id, int) and not isinstance(update_id, bool) else "?"
    )
    kinds = sorted(_KINDS.intersection(key for key in raw if isinstance(key, str)))
    return f"update {shown_id}, kind {','.join(kinds) or '?'}"
