"""The arguments of ``roadmap-bot staff``: parsed without loading the database (cli.staff)."""

from __future__ import annotations

import argparse

from domain.school_staff import Reminded

# The commands that create an invitation: their links need the bots' names.
INVITING = frozenset(
    {"replace-head", "add-deputy", "add-coordinator", "hand-over", "email-invitations"}
)


def add_staff_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    staff = commands.add_parser("staff", help="replace a head, add a deputy, deactivate someone")
    actions = staff.add_subparsers(dest="staff_command", required=True)
    replace = actions.add_parser("replace-head", help="a new head for a school; the old one leaves")
    replace.add_argument("--school", required=True)
    replace.add_argument("--name", required=True, help="the new head's full name")
    replace.add_argument("--email")
    replace.add_argument("--phone")
    deputy = actions.add_parser("add-deputy", help="a deputy who reports for the school")
    deputy.add_argument("--school", required=True)
    deputy.add_argument("--name", required=True)
    deputy.add_argument("--email")
    deputy.add_argument("--phone")
    remind = actions.add_parser("remind", help="who of a school's staff is reminded")
    remind.add_argument("--school", required=True)
    remind.add_argument("--who", required=True, choices=[choice.value for choice in Reminded])
    off = actions.add_parser("deactivate", help="someone who left: their links stop working")
    off.add_argument("--name", required=True)
    off.add_argument("--org", help="their school or organisation, when the name is not unique")
    coordinator = actions.add_parser("add-coordinator", help="invite another coordinator")
    coordinator.add_argument("--name", required=True)
    coordinator.add_argument("--org", help="the department, e.g. «Управление образования»")
    actions.add_parser(
        "email-invitations", help="e-mail everyone who has not joined their own link"
    )
    over = actions.add_parser("hand-over", help="the coordinator's role to someone else")
    over.add_argument("--from", dest="from_name", required=True, help="the coordinator now")
    over.add_argument("--to", dest="to_name", required=True)
