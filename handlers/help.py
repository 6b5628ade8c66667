"""/help: what this person may do, and nothing they may not."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command as CommandFilter
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from domain.roles import Command, Role, commands_for
from handlers.texts import COMMAND_DESCRIPTIONS, how_to_join, role_name
from storage.models import Person


def build_router() -> Router:
    router = Router(name="help")
    router.message.register(cmd_help, CommandFilter(Command.HELP.value))
    return router


def help_text(role: Role) -> str:
    lines = [_("You are the {role}. Commands:").format(role=role_name(role))]
    lines += [
        f"/{command.value} — {_(COMMAND_DESCRIPTIONS[command])}" for command in commands_for(role)
    ]
    return "\n".join(lines)


async def cmd_help(message: Message, person: Person | None) -> None:
    if person is None:
        await message.answer(how_to_join())
        return
    await message.answer(help_text(Role(person.role)))
