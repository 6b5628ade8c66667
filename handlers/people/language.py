"""/lang: switch between Russian and English."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command as CommandFilter
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.locales import SUPPORTED_LOCALES
from domain.roles import Command
from handlers.common.callbacks import LangCb
from handlers.common.filters import Joined
from handlers.common.menus import set_person_menu
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.requests.access import is_methodist

# Each language is named in itself, so a person who cannot read the current one finds theirs.
_LANGUAGE_NAMES = {"ru": "Русский", "en": "English"}


def build_router() -> Router:
    router = Router(name="lang")
    router.message.register(cmd_lang, CommandFilter(Command.LANG.value), Joined())
    router.callback_query.register(on_lang_chosen, LangCb.filter(), Joined())
    return router


async def cmd_lang(message: Message) -> None:
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=_LANGUAGE_NAMES[locale], callback_data=LangCb(locale=locale).pack()
                )
                for locale in SUPPORTED_LOCALES
            ]
        ]
    )
    await message.answer(_("Choose your language:"), reply_markup=keyboard)


async def on_lang_chosen(
    query: CallbackQuery,
    callback_data: LangCb,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    i18n: I18n,
    bot: Bot,
) -> None:
    if callback_data.locale not in SUPPORTED_LOCALES:
        uow.audit.add(
            at=clock.now(),
            action="lang.set",
            outcome="forged",
            person_id=person.id,
            details={"locale": callback_data.locale[:16]},
        )
        await uow.commit()
        await query.answer(_("This language is not available. Send /lang again."), show_alert=True)
        return
    uow.people.set_locale(person, callback_data.locale)
    uow.audit.add(
        at=clock.now(),
        action="lang.set",
        person_id=person.id,
        details={"locale": callback_data.locale},
    )
    await uow.commit()
    with i18n.use_locale(callback_data.locale):
        await query.answer()
        if query.message is not None:
            await bot.send_message(
                query.message.chat.id, _("Done: I will speak English with you now.")
            )
    methodist = await is_methodist(uow, person)
    await set_person_menu(bot, i18n, person, callback_data.locale, methodist=methodist)
