"""A school's staff in the bot: its head, and deputies who report for it; who of them the
school's reminders go to; and the checks a change of staff must pass before anything is
written."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Reminded(StrEnum):
    """Who of a school's staff its reminders go to."""

    HEAD = "head"
    DEPUTY = "deputy"
    BOTH = "both"


@dataclass(frozen=True, slots=True)
class StaffMember:
    person_id: int
    deputy: bool


def reminded_of(choice: Reminded | None, staff: list[StaffMember]) -> list[int]:
    """The people (of those who can be written to) a school's reminder goes to. When the one
    chosen cannot be reached (not joined, blocked the bot), the other is reminded rather than
    nobody: a deadline must reach the school."""
    heads = [member.person_id for member in staff if not member.deputy]
    deputies = [member.person_id for member in staff if member.deputy]
    if choice is Reminded.HEAD:
        return heads or deputies
    if choice is Reminded.DEPUTY:
        return deputies or heads
    return heads + deputies


class StaffProblem(StrEnum):
    """Why a change of staff was refused; nothing is written."""

    NO_SCHOOL = "no_school"  # no school of that name
    HEADS_ANOTHER_SCHOOL = "heads_another_school"
    ALREADY_HEAD = "already_head"  # the «new» head is this school's head already
    NO_PERSON = "no_person"
    SAME_PERSON = "same_person"  # handing the coordinator's role over to oneself
    LAST_COORDINATOR = "last_coordinator"  # deactivating the only coordinator
    ALREADY_COORDINATOR = "already_coordinator"  # the «new» coordinator is one already
    # Handing the role over, in the chat, to someone not in the bot yet while nobody else
    # coordinates: until they join, nobody could run the bot (the command line can).
    NOBODY_LEFT = "nobody_left"


class StaffChangeError(Exception):
    def __init__(self, problem: StaffProblem, detail: str = "") -> None:
        super().__init__(problem.value)
        self.problem = problem
        # Shown to the coordinator who asked (a school's name), never logged.
        self.detail = detail
