"""/help: what this person may do, and nothing they may not."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command as CommandFilter
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from domain.roles import Command, Role, menu_commands
from handlers.common.texts import COMMAND_DESCRIPTIONS, how_to_join, role_name
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.requests.access import is_methodist


def build_router() -> Router:
    router = Router(name="help")
    router.message.register(cmd_help, CommandFilter(Command.HELP.value))
    return router


def help_text(role: Role, *, methodist: bool = False) -> str:
    """The commands this person has, as their menu lists them (a methodist's requests too)."""
    lines = [_("You are the {role}. Commands:").format(role=role_name(role))]
    lines += [
        f"/{command.value} — {_(COMMAND_DESCRIPTIONS[command])}"
        for command in menu_commands(role, methodist=methodist)
    ]
    return "\n".join(lines)


async def cmd_help(message: Message, person: Person | None, uow: UnitOfWork) -> None:
    if person is None:
        await message.answer(how_to_join())
        return
    await message.answer(help_text(Role(person.role), methodist=await is_methodist(uow, person)))
