"""The one rule of who may act on what (domain.access), case by case."""

from __future__ import annotations

import pytest

from domain.access import Act, Actor, Holder, may_act, may_command
from domain.roles import Command, Role

SCHOOL, OTHER_SCHOOL, CENTRE = 10, 20, 30
HEAD = Actor(1, Role.RESPONSIBLE, SCHOOL)
OTHER_HEAD = Actor(2, Role.RESPONSIBLE, OTHER_SCHOOL)
OBSERVER = Actor(3, Role.OBSERVER, SCHOOL)
METHODIST = Actor(4, Role.RESPONSIBLE, CENTRE, methodist=True)
COORDINATOR = Actor(5, Role.COORDINATOR, None)
DEPARTMENT = 40
DEPARTMENT_COORDINATOR = Actor(7, Role.COORDINATOR, DEPARTMENT)
SCHOOLS_MEASURE = Holder(None, SCHOOL)
HEADS_OWN = Holder(HEAD.person_id)
SENT_BY_METHODIST = Holder(METHODIST.person_id)


@pytest.mark.parametrize(
    ("actor", "act", "holder", "allowed"),
    [
        (HEAD, Act.REPORT, SCHOOLS_MEASURE, True),
        (HEAD, Act.REPORT, HEADS_OWN, True),
        (OTHER_HEAD, Act.REPORT, SCHOOLS_MEASURE, False),
        (OTHER_HEAD, Act.REPORT, HEADS_OWN, False),
        # Finding 3: same organisation, but an observer never reports.
        (OBSERVER, Act.REPORT, SCHOOLS_MEASURE, False),
        (COORDINATOR, Act.REPORT, SCHOOLS_MEASURE, False),
        # The department's own measures are its coordinators' to report on; a school's are not.
        (DEPARTMENT_COORDINATOR, Act.REPORT, Holder(None, DEPARTMENT), True),
        (DEPARTMENT_COORDINATOR, Act.REPORT, SCHOOLS_MEASURE, False),
        (METHODIST, Act.REPORT, Holder(None, CENTRE), True),
        (METHODIST, Act.REPORT, SCHOOLS_MEASURE, False),
        (None, Act.REPORT, SCHOOLS_MEASURE, False),
        (HEAD, Act.REPORT, None, False),  # no such occurrence: refused like a foreign one
        (Actor(6, Role.RESPONSIBLE, None), Act.REPORT, Holder(None, None), False),
        (COORDINATOR, Act.REVIEW, Holder(None), True),
        (HEAD, Act.REVIEW, Holder(None), False),
        (OBSERVER, Act.REVIEW, Holder(None), False),
        (METHODIST, Act.REVIEW, Holder(None), False),
        (COORDINATOR, Act.MANAGE_REQUEST, SENT_BY_METHODIST, True),
        (METHODIST, Act.MANAGE_REQUEST, SENT_BY_METHODIST, True),
        (METHODIST, Act.MANAGE_REQUEST, Holder(COORDINATOR.person_id), False),
        (HEAD, Act.MANAGE_REQUEST, HEADS_OWN, False),  # a head is no methodist
        (OBSERVER, Act.MANAGE_REQUEST, Holder(OBSERVER.person_id), False),
    ],
)
def test_who_may_act_on_what(
    actor: Actor | None, act: Act, holder: Holder | None, allowed: bool
) -> None:
    assert may_act(actor, act, holder) is allowed


def test_commands_follow_the_menus() -> None:
    assert may_command(Role.RESPONSIBLE, Command.REPORT)
    assert not may_command(Role.OBSERVER, Command.REPORT)
    assert may_command(Role.COORDINATOR, Command.REPORT)  # the department's own measures
    assert may_command(Role.COORDINATOR, Command.MY)
    assert may_command(Role.COORDINATOR, Command.ORGANISATIONS)
    assert not may_command(Role.RESPONSIBLE, Command.ORGANISATIONS)
    assert not may_command(Role.RESPONSIBLE, Command.ASK)
    assert may_command(Role.RESPONSIBLE, Command.ASK, methodist=True)
    assert not may_command(None, Command.DIGEST)
