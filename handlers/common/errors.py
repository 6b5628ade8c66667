"""Unexpected failures: log them and tell the person plainly; their data was not changed.

The log has where it failed and the kind of error, never the error's text: a database error
quotes the row it refused (a report's text, a phone), a handler's error may quote the message.
"""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.exceptions import TelegramForbiddenError
from aiogram.types import ErrorEvent
from aiogram.utils.i18n import gettext as _

logger = logging.getLogger(__name__)


class FailureWithoutText(Exception):  # noqa: N818 - it stands in for one, it is not raised
    """Stands in the log for an exception: its kind and those of its causes, and its traceback."""


def without_text(error: BaseException) -> FailureWithoutText:
    kinds: list[str] = []
    current: BaseException | None = error
    while current is not None and len(kinds) < 5:
        kinds.append(f"{type(current).__module__}.{type(current).__qualname__}")
        current = current.__cause__ or current.__context__
    return FailureWithoutText(" caused by ".join(kinds)).with_traceback(error.__traceback__)


def setup(router: Router) -> None:
    router.errors.register(on_error)


async def on_error(event: ErrorEvent) -> bool:
    if isinstance(event.exception, TelegramForbiddenError):
        # They blocked the bot between writing and our reply: there is nobody to apologise to.
        logger.info("update %s: the user blocked the bot", event.update.update_id)
        return True
    logger.error("update %s failed", event.update.update_id, exc_info=without_text(event.exception))
    text = _("Sorry, something went wrong on our side and nothing was saved. Please try again.")
    try:
        if event.update.message is not None:
            await event.update.message.answer(text)
        elif event.update.callback_query is not None:
            await event.update.callback_query.answer(text, show_alert=True)
    except Exception:  # the apology itself may fail if Telegram is down; the log has the cause
        logger.warning("could not tell the user about the failure", exc_info=True)
    return True
