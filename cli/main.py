"""``roadmap-bot``: run the bot, migrate the database, invite people."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from cli.deadlines import add_deadline_arguments, month_day_argument, period_argument
from cli.roadmap_choice import add_roadmap_argument
from cli.staff_arguments import add_staff_parser


def build_parser() -> argparse.ArgumentParser:
    from domain.roles import Role

    parser = argparse.ArgumentParser(prog="roadmap-bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="start the bot (long polling, or --webhook)")
    run.add_argument(
        "--webhook",
        action="store_true",
        help="take updates on WEBHOOK__URL instead of long polling (also WEBHOOK__ENABLED=true)",
    )

    commands.add_parser(
        "doctor",
        help="before launch: check the database, folders, messengers, mail, webhook and clock",
    )

    backup = commands.add_parser(
        "backup",
        help="archive the database and the evidence files now, safely while the bot runs",
    )
    backup.add_argument(
        "--out",
        type=Path,
        help="file to write (default: DATA_DIR/backups/roadmap-<date>-<time>.tar.gz)",
    )
    restore = commands.add_parser(
        "restore", help="put an archive of `backup` back in place (the bot stopped)"
    )
    restore.add_argument("file", type=Path, help="the .tar.gz archive")

    person = commands.add_parser(
        "person", help="one person's personal data: export it, or forget it (152-ФЗ)"
    )
    person_commands = person.add_subparsers(dest="person_command", required=True)
    for name, what in (
        ("export", "write everything the bot holds about the person (JSON)"),
        ("forget", "remove the person's personal data; their reports stay the school's"),
    ):
        chosen = person_commands.add_parser(name, help=what)
        chosen.add_argument("name", help="the person's full name (or a part of it)")
        chosen.add_argument("--id", type=int, help="which one, when the name matches several")
        if name == "export":
            chosen.add_argument("--out", type=Path, help="file to write (default: the screen)")

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("upgrade", help="apply all migrations")
    down = db_commands.add_parser(
        "downgrade", help="undo migrations down to REVISION, before running an older version"
    )
    down.add_argument("revision", help="e.g. 0005 (see storage/migrations/versions), or base")

    invite = commands.add_parser("invite", help="create an invitation link and print it")
    invite.add_argument("--name", help="full name, e.g. «Иванова Мария Петровна»")
    invite.add_argument("--role", choices=[role.value for role in Role])
    invite.add_argument(
        "--all", action="store_true", help="a link for everyone who has not joined (tab-separated)"
    )
    invite.add_argument("--org", help="school or organisation, e.g. «МБОУ СОШ № 1»")
    invite.add_argument("--position", help="position, e.g. «директор»")

    people = commands.add_parser("people", help="import schools and heads from a spreadsheet")
    people.add_argument("file", type=Path)
    people.add_argument("--invite", action="store_true", help="then print a link for everyone")

    add_staff_parser(commands)
    organisations = commands.add_parser(
        "organisations", help="list, rename or merge organisations (reports are kept)"
    )
    organisation_commands = organisations.add_subparsers(
        dest="organisations_command", required=True
    )
    organisation_commands.add_parser("list", help="id, kind, name and other names of each")
    rename = organisation_commands.add_parser("rename", help="rename; the old name stays known")
    rename.add_argument("id", type=int)
    rename.add_argument("name")
    merge = organisation_commands.add_parser(
        "merge", help="merge MERGED into KEEP: people, measures and reports go with it"
    )
    merge.add_argument("keep", type=int)
    merge.add_argument("merged", type=int)

    importing = commands.add_parser("import", help="import a roadmap (.docx, .xlsx, .txt)")
    importing.add_argument("file", type=Path)
    importing.add_argument("--period", type=period_argument, help="2026-2030, 2025 or 2025/2026")
    importing.add_argument(
        "--annual-due", type=month_day_argument, help="yearly report date, MM-DD"
    )
    importing.add_argument(
        "--columns",
        type=_columns,
        help="which column holds what, counted from 1: measure=2,deadline=4,responsible=5 "
        f"(roles: {', '.join(COLUMN_NAMES)})",
    )
    importing.add_argument("--dry-run", action="store_true", help="read and show; write nothing")
    importing.add_argument("--json", action="store_true", help="print JSON")

    export = commands.add_parser(
        "export", help="write the implementation report spreadsheet (.xlsx)"
    )
    export.add_argument("--as-of", type=date.fromisoformat, help="report date, YYYY-MM-DD (today)")
    export.add_argument("--from", dest="since", type=date.fromisoformat, help="first report day")
    export.add_argument("--to", dest="until", type=date.fromisoformat, help="last report day")
    export.add_argument("--out", type=Path, help="file to write (default: a name with the date)")
    export.add_argument(
        "--format",
        choices=("xlsx", "docx"),
        default="xlsx",
        help="xlsx: every answer in three sheets; docx: the report ready to sign",
    )
    export.add_argument("--signer", help="with --format docx: who signs (default: a coordinator)")
    add_roadmap_argument(export)

    memo = commands.add_parser(
        "memo", help="write the памятки: a page per school head with their links, and yours"
    )
    memo.add_argument("--out", type=Path, help="folder to write them to (the current one)")
    actual = commands.add_parser(
        "actual-results",
        help="the measures' «Фактический результат» as a spreadsheet: export, fill in, import",
    )
    actual.add_argument("action", choices=("export", "import"))
    actual.add_argument("file", type=Path, help="the .xlsx to write or to read back")
    add_roadmap_argument(actual)

    notes = commands.add_parser(
        "report-notes",
        help="the written report's «Пояснительная записка» and «Выводы и предложения»",
    )
    notes.add_argument("--year", type=int, help="the report's year (this year)")
    notes.add_argument("--explanatory", type=Path, help="a .txt file; an empty one leaves it out")
    notes.add_argument("--conclusions", type=Path, help="a .txt file; an empty one leaves it out")
    add_roadmap_argument(notes)

    calendar = commands.add_parser(
        "calendar", help="write open deadlines as an .ics file for a calendar app"
    )
    who = calendar.add_mutually_exclusive_group(required=True)
    who.add_argument("--person", help="full name as in the bot: their own deadlines")
    who.add_argument("--all", action="store_true", help="every school's (the coordinator's)")
    calendar.add_argument("--org", help="with --all: only this organisation's deadlines")
    calendar.add_argument("--out", type=Path, help="file to write (default: deadlines.ics)")
    add_roadmap_argument(calendar)

    roadmaps = commands.add_parser(
        "roadmaps", help="list the roadmaps; archive one (no reminders) or restore it"
    )
    roadmaps_commands = roadmaps.add_subparsers(dest="roadmaps_command")
    for action, what in (
        ("archive", "archive a roadmap: no more reminders, still in exports and history"),
        ("restore", "restore an archived roadmap: its reminders start again"),
    ):
        acting = roadmaps_commands.add_parser(action, help=what)
        acting.add_argument("roadmap", help="its number in the list, id:ID or a part of its title")
    naming = roadmaps_commands.add_parser(
        "coordinators",
        help="who answers for a roadmap: its reports, requests' answers and digest go to them",
    )
    naming.add_argument("roadmap", help="its number in the list, id:ID or a part of its title")
    naming_what = naming.add_mutually_exclusive_group()
    naming_what.add_argument(
        "--name",
        action="append",
        metavar="FULL_NAME",
        help="a coordinator's full name as in the bot; repeat for several (replaces the list)",
    )
    naming_what.add_argument(
        "--everyone", action="store_true", help="name nobody: the roadmap is every coordinator's"
    )

    email = commands.add_parser("email", help="check the e-mail settings, send the digest now")
    email_commands = email.add_subparsers(dest="email_command", required=True)
    email_test = email_commands.add_parser(
        "test", help="send one test e-mail through EMAIL__HOST and say what failed, if anything"
    )
    email_test.add_argument("--to", required=True, help="address to send the test e-mail to")
    email_digest = email_commands.add_parser(
        "digest", help="send the weekly digest e-mail now (chart inline, report attached)"
    )
    email_digest.add_argument(
        "--to", help="only to this address (default: coordinators who turned it on in /email)"
    )

    ask = commands.add_parser("ask", help="send a request to schools, as /ask does in the chat")
    ask.add_argument("--text", required=True, help="what the schools are asked for")
    ask.add_argument(
        "--to", required=True, help="all, tag:ШНОР, or org:NAME[;NAME…] (schools as in the list)"
    )
    ask.add_argument("--due", required=True, help="the deadline, e.g. «до 18.12» or 18.12.2026")
    ask.add_argument("--form", type=Path, help="an .xlsx form to fill (or a .docx to attach)")
    ask.add_argument("--measure", help="the roadmap measure it belongs to, e.g. 2.3")
    add_roadmap_argument(ask)
    collect = commands.add_parser(
        "collect", help="write the merged answers of a request with an .xlsx form"
    )
    collect.add_argument("request_id", type=int, help="the request's id (printed by ask)")
    collect.add_argument("--out", type=Path, help="file to write (default: a name with its №)")

    indicators = commands.add_parser(
        "indicators",
        help="print «Таблица 1» (each target indicator, its target and its value); "
        "`indicators collect` sets how one is collected",
    )
    indicators.add_argument(
        "--as-of", dest="report_on", type=date.fromisoformat, help="report date (today)"
    )
    indicators.add_argument("--json", action="store_true", help="every date's values as JSON")
    add_roadmap_argument(indicators)
    indicator_commands = indicators.add_subparsers(dest="indicators_command")
    enter = indicator_commands.add_parser(
        "enter", help="the municipal value of an indicator the department reports itself"
    )
    enter.add_argument("number", help="the indicator's number in the roadmap")
    enter.add_argument("value", help="the value as a number, e.g. 10,3")
    enter.add_argument(
        "--as-of", dest="value_on", type=date.fromisoformat, required=True, help="YYYY-MM-DD"
    )
    add_roadmap_argument(enter, sub=True)
    indicator_collect = indicator_commands.add_parser(
        "collect", help="confirm how an indicator is collected: who reports, what, as of when"
    )
    indicator_collect.add_argument("number", help="the indicator's number in the roadmap")
    indicator_collect.add_argument(
        "--who", default="all", help="all, tag:NAME, org:ID,ID or department (default: all)"
    )
    shape = indicator_collect.add_mutually_exclusive_group()
    shape.add_argument("--count", metavar="QUESTION", help="one number, asked with this question")
    shape.add_argument(
        "--share",
        nargs=2,
        metavar=("NUMERATOR_QUESTION", "DENOMINATOR_QUESTION"),
        help="two numbers, each asked with its question",
    )
    indicator_collect.add_argument(
        "--as-of", help="dates the figures are as of: 2026-12-20,2027-12-20 (default: proposed)"
    )
    add_roadmap_argument(indicator_collect, sub=True)

    deadlines = commands.add_parser(
        "deadlines", help="read deadline texts from stdin (one per line), print JSON lines"
    )
    add_deadline_arguments(deadlines)
    return parser


# The roles a person names in --columns -> the import's column roles (domain.roadmap.columns).
COLUMN_NAMES = {
    "measure": "title",
    "deadline": "deadline",
    "responsible": "responsible",
    "coordination": "coordination",
    "number": "number",
    "result": "result",
    "control": "control",
    "section": "section",
    # An indicator table's columns (domain.indicators.draft.Role), when the import asks.
    "indicator": "indicator:name",
    "unit": "indicator:unit",
    "base": "indicator:base",
    "target": "indicator:target_text",
}


def _columns(text: str) -> dict[str, int]:
    """``measure=3,deadline=4`` -> {"title": 2, "deadline": 3} (the person counts from 1)."""
    chosen: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _sep, number = part.partition("=")
        role = COLUMN_NAMES.get(name.strip().lower())
        if role is None:
            raise argparse.ArgumentTypeError(
                f"unknown role {name.strip()!r}; use {', '.join(COLUMN_NAMES)}"
            )
        if not number.strip().isdigit() or int(number) < 1:
            raise argparse.ArgumentTypeError(f"{part!r}: the column is a number from 1")
        chosen[role] = int(number) - 1
    if not chosen:
        raise argparse.ArgumentTypeError("give at least one role=column, e.g. deadline=4")
    return chosen


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["deadlines"]:
        # Pure: no settings, database or network. Its own small parser, so that it starts
        # about as fast as Python itself (building every command's parser costs milliseconds).
        from cli.deadlines import deadlines_parser, print_deadlines

        options = deadlines_parser().parse_args(arguments[1:])
        return print_deadlines(sys.stdin, sys.stdout, options.period, options.annual_due)
    args = build_parser().parse_args(arguments)
    # Settings, the database and logging load only for the commands that use them, so that
    # ``deadlines`` starts as fast as Python itself.
    from cli.commands import run_command

    return run_command(args)
