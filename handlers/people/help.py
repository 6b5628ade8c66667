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
    commands = menu_commands(role, methodist=methodist)
    lines = [_("You are the {role}. Commands:").format(role=role_name(role))]
    lines += [f"/{command.value} — {_(COMMAND_DESCRIPTIONS[command])}" for command in commands]
    if Command.DIGEST in commands:
        # The digest's words, said here once rather than in every week's digest.
        lines += ["", _("In the digest:"), digest_definitions()]
    return "\n".join(lines)


def digest_definitions() -> str:
    return _(
        "Overdue: the date has passed and nobody reported «Done» (no answer, or «In progress»). "
        "Not done: the school answered «Not done»."
    )


async def cmd_help(message: Message, person: Person | None, uow: UnitOfWork) -> None:
    if person is None:
        await message.answer(how_to_join(message.from_user.id if message.from_user else None))
        return
    await message.answer(help_text(Role(person.role), methodist=await is_methodist(uow, person)))
