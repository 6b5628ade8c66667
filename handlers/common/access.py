"""Refusing politely, and leaving a trace, when someone lacks the role for an action."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.roles import Command, Role, may_use
from storage.models import Person
from storage.unit_of_work import UnitOfWork


async def refuse_unless(
    uow: UnitOfWork, clock: Clock, person: Person, command: Command, action: str
) -> str | None:
    """``None`` if ``person`` may use ``command``; otherwise the refusal to show them."""
    if may_use(Role(person.role), command):
        return None
    uow.audit.add(at=clock.now(), action=action, outcome="forbidden", person_id=person.id)
    await uow.commit()
    return _("Only the coordinator can do this. If you think you need it, ask the coordinator.")
