"""The command menu (setMyCommands): each person sees only what their role allows."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from aiogram.utils.i18n import I18n

from domain.locales import SUPPORTED_LOCALES
from domain.roles import Role, menu_commands
from handlers.common.texts import COMMAND_DESCRIPTIONS
from storage.models import Person


def menu_for(
    i18n: I18n, role: Role | None, locale: str, *, methodist: bool = False
) -> list[BotCommand]:
    return [
        BotCommand(
            command=command.value,
            description=i18n.gettext(COMMAND_DESCRIPTIONS[command], locale=locale),
        )
        for command in menu_commands(role, methodist=methodist)
    ]


async def set_default_menus(bot: Bot, i18n: I18n) -> None:
    """Strangers' menu: in the default language for everyone, whatever their app's language.

    A menu per app language, set by earlier versions, is removed: a phone set to English would
    otherwise show English commands to a head whom the bot answers in Russian."""
    scope = BotCommandScopeDefault()
    await bot.set_my_commands(menu_for(i18n, None, i18n.default_locale), scope=scope)
    for locale in SUPPORTED_LOCALES:
        await bot.delete_my_commands(scope=scope, language_code=locale)


async def set_person_menu(
    bot: Bot, i18n: I18n, person: Person, locale: str, *, methodist: bool = False
) -> None:
    if person.chat_address is None:
        return
    await bot.set_my_commands(
        menu_for(i18n, Role(person.role), locale, methodist=methodist),
        scope=BotCommandScopeChat(chat_id=person.chat_address),
    )
