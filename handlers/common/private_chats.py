"""Private chats only: what reaches the bot from a group is answered with one line, and nothing
else happens.

The bot's answers are a person's own (a school's measures, a coordinator's digest, an
invitation that makes the chat where it was opened the person's reminder chat): in a group
they would be read by everyone in it. So the check sits on the Dispatcher itself, before the
unit of work and the conversation state, for every kind of update and every messenger (a MAX
group arrives as a Telegram group does, ``messengers.max.convert``): no handler runs, nothing
is read or written. Only a command or a button gets the polite line; other chatter in a group
the bot was added to gets nothing, so the bot never floods a group.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Chat, Message, TelegramObject, Update
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

logger = logging.getLogger(__name__)
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


def private_only_text() -> str:
    return _(
        "I work only in private chats. Please write to me directly, not in a group: open my "
        "profile and send /start."
    )


class PrivateChatsOnlyMiddleware(BaseMiddleware):
    """An outer middleware on ``dispatcher.update``: it must come before any middleware that
    reads or writes the database."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        chat: Chat | None = data.get("event_chat")
        if chat is None or chat.type == "private":
            return await handler(event, data)
        assert isinstance(event, Update)
        logger.info(
            "update %s from a %s chat refused: private chats only",
            event.update_id,
            chat.type,
            extra={"event": "group_refused"},
        )
        i18n: I18n = data["i18n"]
        with i18n.context(), i18n.use_locale(i18n.default_locale):
            text = private_only_text()
        if isinstance(event.callback_query, CallbackQuery):
            await event.callback_query.answer(text[:200], show_alert=True)
        elif _is_command(event.message):
            assert event.message is not None
            await event.message.answer(text)
        return None


def _is_command(message: Message | None) -> bool:
    return message is not None and (message.text or "").startswith("/")
