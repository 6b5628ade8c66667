"""Who a person is to the bot, and which commands each role may use."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    COORDINATOR = "coordinator"
    RESPONSIBLE = "responsible"
    OBSERVER = "observer"


class Command(StrEnum):
    """Chat commands. The value is the command as typed, without the slash."""

    START = "start"
    HELP = "help"
    LANG = "lang"
    INVITE = "invite"
    IMPORT = "import"
    MEASURES = "measures"
    INDICATORS = "indicators"
    ROADMAPS = "roadmaps"
    TEMPLATE = "template"
    PEOPLE = "people"
    REPORT = "report"
    MY = "my"
    CANCEL = "cancel"
    DIGEST = "digest"
    EXPORT = "export"
    CALENDAR = "calendar"
    EMAIL = "email"
    ASK = "ask"
    REQUESTS = "requests"
    SETTINGS = "settings"
    MEMO = "memo"
    ORGANISATIONS = "organisations"


# Order matters: it is the order of the command menu and of /help.
_COMMANDS_BY_ROLE: dict[Role, tuple[Command, ...]] = {
    # The department is an organisation too: its measures are reported by its coordinators.
    Role.COORDINATOR: (
        Command.HELP,
        Command.DIGEST,
        Command.REPORT,
        Command.MY,
        Command.ASK,
        Command.REQUESTS,
        Command.EXPORT,
        Command.CALENDAR,
        Command.EMAIL,
        Command.SETTINGS,
        Command.IMPORT,
        Command.MEASURES,
        Command.INDICATORS,
        Command.ROADMAPS,
        Command.PEOPLE,
        Command.ORGANISATIONS,
        Command.INVITE,
        Command.MEMO,
        Command.TEMPLATE,
        Command.LANG,
    ),
    Role.RESPONSIBLE: (
        Command.HELP,
        Command.REPORT,
        Command.MY,
        Command.CALENDAR,
        Command.EXPORT,
        Command.EMAIL,
        Command.SETTINGS,
        Command.CANCEL,
        Command.LANG,
    ),
    # The department's head, a ministry's curator: they read the progress, change nothing
    # (domain.access.may_change keeps /measures' edits to coordinators).
    Role.OBSERVER: (
        Command.HELP,
        Command.DIGEST,
        Command.EXPORT,
        Command.MEASURES,
        Command.SETTINGS,
        Command.LANG,
    ),
}

# What someone who has not joined yet may use.
STRANGER_COMMANDS: tuple[Command, ...] = (Command.START, Command.HELP)


def commands_for(role: Role | None) -> tuple[Command, ...]:
    """Commands shown to (and allowed for) a person with ``role``; ``None`` is a stranger."""
    if role is None:
        return STRANGER_COMMANDS
    return _COMMANDS_BY_ROLE[role]


def may_use(role: Role | None, command: Command) -> bool:
    return command in commands_for(role)


# A responsible person at a methodical centre or the department (not a school head) may send
# schools requests under the measures assigned to them.
METHODIST_COMMANDS: tuple[Command, ...] = (Command.ASK, Command.REQUESTS)


def menu_commands(role: Role | None, *, methodist: bool = False) -> tuple[Command, ...]:
    """The command menu: the role's commands, and a methodist's requests after /report."""
    commands = commands_for(role)
    if not methodist or role is not Role.RESPONSIBLE:
        return commands
    return commands[:3] + METHODIST_COMMANDS + commands[3:]
