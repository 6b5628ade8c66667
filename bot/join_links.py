"""The bot's name in each messenger, and the invitation links built from it.

Names come from the settings (BOT__USERNAME, MAX__USERNAME) or, when empty, are asked once of
the messenger itself. The chat, the day's e-mail and the command line all give the same links.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.settings import Settings
from domain.invitations import deep_link, max_deep_link
from handlers.common.join_links import JoinLink

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class BotNames:
    telegram: str | None
    max: str | None

    def links(self, token: str) -> list[JoinLink]:
        """MAX first: the schools moved there, so its link is the one to see first."""
        found = []
        if self.max:
            found.append(JoinLink("MAX", max_deep_link(self.max, token)))
        if self.telegram:
            found.append(JoinLink("Telegram", deep_link(self.telegram, token)))
        return found


async def ask_bot_names(settings: Settings) -> BotNames:
    """Each configured messenger's bot name; ``None`` where it is not configured or could
    not be asked (the caller says which setting to fill in)."""
    # Imported here: the command line builds links from names without loading aiogram.
    from aiogram import Bot
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from aiogram.exceptions import TelegramAPIError

    from messengers.max.api import MaxApi

    telegram = settings.bot.username
    if telegram is None and settings.bot.enabled and settings.bot.token is not None:
        bot = Bot(
            settings.bot.token.get_secret_value(),
            session=AiohttpSession(
                api=TelegramAPIServer.from_base(settings.bot.api_url), proxy=settings.proxy_url
            ),
        )
        try:
            telegram = (await bot.get_me()).username
        except TelegramAPIError as error:
            logger.warning("Telegram's getMe failed: %s", error)
        finally:
            await bot.session.close()
    max_name = settings.max.username
    if max_name is None and settings.max.enabled and settings.max.token is not None:
        api = MaxApi(
            settings.max.api_url, settings.max.token.get_secret_value(), proxy=settings.proxy_url
        )
        try:
            max_name = (await api.call(None, "GET", "/me")).get("username")
        except TelegramAPIError as error:
            logger.warning("MAX's /me failed: %s", error)
        finally:
            await api.close()
    return BotNames(telegram, max_name)


def links_lines(links: list[JoinLink]) -> str:
    """For the command line: a lone link as it is, else «Telegram: …» and «MAX: …» lines."""
    if len(links) == 1:
        return links[0].url
    return "\n".join(f"{link.messenger}: {link.url}" for link in links)
