"""Refusing politely, and leaving a trace, when someone lacks the role for an action or presses
a button about something that is not theirs (``domain.access`` decides which)."""

from __future__ import annotations

from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _

from domain.access import may_change, may_command
from domain.clock import Clock
from domain.roles import Command, Role
from storage.models import Person
from storage.unit_of_work import UnitOfWork


async def refuse_unless(
    uow: UnitOfWork, clock: Clock, person: Person, command: Command, action: str
) -> str | None:
    """``None`` if ``person`` may use ``command``; otherwise the refusal to show them."""
    if may_command(Role(person.role), command):
        return None
    uow.audit.add(at=clock.now(), action=action, outcome="forbidden", person_id=person.id)
    await uow.commit()
    if may_command(Role.COORDINATOR, command) and not may_command(Role.RESPONSIBLE, command):
        return _("Only the coordinator can do this. If you think you need it, ask the coordinator.")
    # /report, /my, or /calendar and /export that heads have too: an observer is not told
    # that only a coordinator may.
    return _("This is not part of your role. If you think you need it, ask the coordinator.")


async def refuse_change(
    uow: UnitOfWork, clock: Clock, person: Person, command: Command, action: str
) -> str | None:
    """As ``refuse_unless``, for what changes something under ``command``: an observer, who
    reads it, is told that only a coordinator may change it."""
    if may_change(Role(person.role), command):
        return None
    if not may_command(Role(person.role), command):
        return await refuse_unless(uow, clock, person, command, action)
    uow.audit.add(at=clock.now(), action=action, outcome="forbidden", person_id=person.id)
    await uow.commit()
    return _("Only the coordinator can do this. If you think you need it, ask the coordinator.")


def not_yours() -> str:
    """The one answer to a button (or a conversation's step) about something that is not the
    person's: another school's measure, a report to decide, a request someone else sent. It
    says no more than that, so a forged id reveals nothing about what it names."""
    return _("This button is not for you: it concerns another school or needs another role.")


async def refuse_foreign(
    uow: UnitOfWork, clock: Clock, person: Person, action: str, **ids: int
) -> str:
    """Record the refusal of a conversation's step (a typed date, a comment, a report's text)
    about something not the person's, and give the answer to it."""
    await _record(uow, clock, person, action, ids)
    return _(
        "This is not available to you: it concerns another school or needs another role. "
        "Nothing was saved."
    )


async def refuse_button(
    query: CallbackQuery, uow: UnitOfWork, clock: Clock, person: Person, action: str, **ids: int
) -> None:
    """Answer a foreign button: one alert, nothing changed."""
    await _record(uow, clock, person, action, ids)
    await query.answer(not_yours(), show_alert=True)


async def _record(
    uow: UnitOfWork, clock: Clock, person: Person, action: str, ids: dict[str, int]
) -> None:
    """The ids only, never anything anyone wrote."""
    uow.audit.add(
        at=clock.now(), action=action, outcome="forbidden", person_id=person.id, details=ids
    )
    await uow.commit()
