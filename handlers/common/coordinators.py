"""Telling every coordinator something, each in their own language: new reports, a request's
answers all in, the weekly digest."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence

from aiogram.exceptions import TelegramAPIError
from aiogram.utils.i18n import I18n

logger = logging.getLogger(__name__)


async def tell_each_coordinator(
    i18n: I18n,
    coordinators: Sequence[tuple[int, str | None]],
    send: Callable[[int], Awaitable[object]],
) -> int:
    """``send(chat_id)`` for each coordinator (chat, language), with their language current;
    one who cannot be reached does not stop the others. Returns how many were reached."""
    reached = 0
    for chat_id, locale in coordinators:
        with i18n.context(), i18n.use_locale(locale or i18n.default_locale):
            try:
                await send(chat_id)
                reached += 1
            except TelegramAPIError as error:
                # The kind of error only: a chat's address is a person's messenger account.
                logger.warning("could not reach a coordinator: %s", type(error).__name__)
    return reached
