"""The one rule of who may act on what: an occurrence (report on it, ask to move its deadline,
snooze its reminders, fetch its form), a report or an extension to decide, a request to manage.

Buttons carry bare ids, and ids are small sequential integers: a forged button can name any
object. So every handler that acts on an object asks this rule, with the facts about that
object loaded from the database, before it reads or changes anything else. A role alone is
never enough (a head may report only on her school's measures), and neither is an
organisation alone (an observer of a school belongs to it but may not report for it)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.roles import Command, Role, may_use, menu_commands


class Act(StrEnum):
    # On an occurrence, by those it is assigned to: report, move its deadline, snooze it,
    # fetch its form.
    REPORT = "report"
    # On a report or a request to move a deadline: the coordinator's decision.
    REVIEW = "review"
    # On a request (/requests): the coordinator, or the methodist who sent it.
    MANAGE_REQUEST = "manage_request"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who presses the button. ``methodist``: a responsible person not at a school."""

    person_id: int
    role: Role
    organisation_id: int | None
    methodist: bool = False


@dataclass(frozen=True, slots=True)
class Holder:
    """Whose the object is: an occurrence's assignee (a person or an organisation), or the
    person who sent a request."""

    person_id: int | None
    organisation_id: int | None = None


def may_act(actor: Actor | None, act: Act, holder: Holder | None) -> bool:
    """Whether ``actor`` (``None``: a stranger) may do ``act`` on an object held by ``holder``
    (``None``: no such object, refused like a foreign one so ids reveal nothing)."""
    if actor is None or holder is None:
        return False
    if act is Act.REPORT:
        return may_use(actor.role, Command.REPORT) and _holds(actor, holder)
    if act is Act.REVIEW:
        return actor.role is Role.COORDINATOR
    if act is Act.MANAGE_REQUEST:
        if actor.role is Role.COORDINATOR:
            return True
        return actor.methodist and holder.person_id == actor.person_id
    raise ValueError(act)  # pragma: no cover - every Act is decided above


def may_command(role: Role | None, command: Command, *, methodist: bool = False) -> bool:
    """A command, and the buttons that belong to it (no object of anyone else's behind them:
    one's own settings, one's own conversation, what every coordinator may see): what the
    role's menu offers, a methodist's /ask and /requests included."""
    return command in menu_commands(role, methodist=methodist)


def may_change(role: Role | None, command: Command) -> bool:
    """Whether the command's changes (a measure's deadline or responsible, the people) are
    open to ``role``: an observer reads /digest, /export and /measures but changes nothing."""
    return role is not Role.OBSERVER and may_command(role, command)


def reads_every_school(role: Role) -> bool:
    """Whose answers the person reads (/export, the digest): everyone's for a coordinator and
    an observer (the department's head, a ministry's curator); otherwise their own only."""
    return role in (Role.COORDINATOR, Role.OBSERVER)


def may_report_at_all(role: Role) -> bool:
    """Whether anything may ever be reported by someone with ``role``."""
    return may_use(role, Command.REPORT)


def _holds(actor: Actor, holder: Holder) -> bool:
    if holder.person_id is not None and holder.person_id == actor.person_id:
        return True
    return holder.organisation_id is not None and holder.organisation_id == actor.organisation_id
