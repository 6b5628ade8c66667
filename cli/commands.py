"""The administrator's commands behind ``roadmap-bot``: settings and logging, then the command.

Each command's module is imported only when it runs, so that a command loads only what it uses
(``import`` no aiogram, ``deadlines`` nothing at all: it never reaches this module).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from pydantic import ValidationError

from bot.clock import SystemClock
from bot.logs import configure_logging
from bot.settings import load_settings, settings_problems
from domain.indicators.draft import Role as IndicatorRole
from domain.roadmap.columns import Column

INDICATOR_PREFIX = "indicator:"


def run_command(args: argparse.Namespace) -> int:
    try:
        settings = load_settings()
    except ValidationError as error:
        print(f"roadmap-bot: invalid settings:\n{settings_problems(error)}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level, settings.log_format)
    from cli.stray_database import missing_database

    dry_run = bool(getattr(args, "dry_run", False))
    subcommand = getattr(args, "email_command", None)
    refusal = missing_database(settings, args.command, dry_run=dry_run, subcommand=subcommand)
    if refusal is not None:
        print(refusal, file=sys.stderr)
        return 2
    if settings.extra_holidays:  # `import` and `people` plan reminders too
        from domain.reminders.calendar import set_regional_days_off  # loads `holidays`

        set_regional_days_off(settings.extra_holidays)
    if args.command == "run":
        from cli.run import run

        return run(settings, args)
    if args.command == "backup":
        from cli.backup import run_backup

        return run_backup(settings, args.out, SystemClock())
    if args.command == "restore":
        from cli.backup import run_restore

        return run_restore(settings, args.file, SystemClock())
    if args.command == "person":
        from cli.person import run_person

        return asyncio.run(run_person(settings, args))
    if args.command == "db":
        from cli.database import run_db

        return run_db(settings, args)
    if args.command == "invite":
        from cli.invite import run_invite

        return run_invite(settings, args)
    if args.command == "people":
        from cli.invite import bot_names
        from cli.people import run_people  # reads spreadsheets: loads openpyxl

        if (data := _read(args.file)) is None:
            return 2
        names = asyncio.run(bot_names(settings)) if args.invite else None
        return asyncio.run(
            run_people(settings, args.file.name, data, invite=args.invite, names=names)
        )
    if args.command == "staff":
        from cli.invite import bot_names
        from cli.staff import run_staff
        from cli.staff_arguments import INVITING

        names = asyncio.run(bot_names(settings)) if args.staff_command in INVITING else None
        return asyncio.run(run_staff(settings, args, names))
    if args.command == "organisations":
        from cli.organisations import run_organisations

        return asyncio.run(run_organisations(settings, args))
    if args.command == "import":
        from cli.import_roadmap import run_import  # reads documents: loads python-docx, openpyxl

        if (data := _read(args.file)) is None:
            return 2
        return asyncio.run(
            run_import(
                settings,
                args.file.name,
                data,
                period=args.period,
                annual_due=args.annual_due,
                columns={
                    Column(role): index
                    for role, index in (args.columns or {}).items()
                    if not role.startswith(INDICATOR_PREFIX)
                },
                indicator_columns={
                    IndicatorRole(role.removeprefix(INDICATOR_PREFIX)): index
                    for role, index in (args.columns or {}).items()
                    if role.startswith(INDICATOR_PREFIX)
                },
                dry_run=args.dry_run,
                as_json=args.json,
            )
        )
    if args.command == "calendar":
        from cli.calendar import run_calendar

        return asyncio.run(
            run_calendar(
                settings,
                person_name=args.person,
                everyone=args.all,
                organisation=args.org,
                out=args.out,
                roadmap_words=args.roadmap,
            )
        )
    if args.command == "roadmaps":
        from cli.roadmaps import run_roadmaps

        if args.roadmaps_command == "coordinators":
            from cli.roadmaps import run_roadmap_coordinators

            return asyncio.run(
                run_roadmap_coordinators(
                    settings, args.roadmap, names=args.name, everyone=args.everyone
                )
            )
        return asyncio.run(
            run_roadmaps(settings, args.roadmaps_command, getattr(args, "roadmap", None))
        )
    if args.command == "ask":
        from cli.requests import run_ask

        return asyncio.run(
            run_ask(
                settings,
                text=args.text,
                to=args.to,
                due=args.due,
                form_file=args.form,
                measure=args.measure,
                roadmap_words=args.roadmap,
            )
        )
    if args.command == "collect":
        from cli.requests import run_collect

        return asyncio.run(run_collect(settings, args.request_id, args.out))
    if args.command == "doctor":
        from cli.doctor import run_doctor

        return asyncio.run(run_doctor(settings))
    if args.command == "indicators" and args.indicators_command == "enter":
        from cli.indicators import run_enter_value

        return asyncio.run(
            run_enter_value(
                settings, args.number, args.value, as_of=args.value_on, roadmap_words=args.roadmap
            )
        )
    if args.command == "indicators" and args.indicators_command == "collect":
        from cli.indicator_rules import run_collect_indicator

        return asyncio.run(
            run_collect_indicator(
                settings,
                args.number,
                who=args.who,
                count=args.count,
                share=args.share,
                as_of=args.as_of,
                roadmap_words=args.roadmap,
            )
        )
    if args.command == "email":
        from cli.email import run_email  # composes e-mails: loads aiogram's i18n, openpyxl

        return asyncio.run(run_email(settings, args.email_command, to=args.to))
    if args.command == "memo":
        from cli.memo import run_memo

        return asyncio.run(run_memo(settings, args.out))
    if args.command == "indicators":
        from cli.indicators import run_indicators

        return asyncio.run(
            run_indicators(
                settings, as_of=args.report_on, as_json=args.json, roadmap_words=args.roadmap
            )
        )
    if args.command == "actual-results":
        from cli.actual_results import run_actual_results  # reads and writes .xlsx

        return asyncio.run(
            run_actual_results(settings, args.action, args.file, roadmap_words=args.roadmap)
        )
    if args.command == "report-notes":
        from cli.actual_results import run_report_notes

        return asyncio.run(
            run_report_notes(
                settings,
                year=args.year,
                explanatory=args.explanatory,
                conclusions=args.conclusions,
                roadmap_words=args.roadmap,
            )
        )
    if args.command == "export":
        from cli.export import run_export  # writes spreadsheets: loads openpyxl, aiogram

        return asyncio.run(
            run_export(
                settings,
                as_of=args.until or args.as_of,
                since=args.since,
                out=args.out,
                file_format=args.format,
                signer=args.signer,
                roadmap_words=args.roadmap,
            )
        )
    raise AssertionError(args.command)


def _read(path: Path) -> bytes | None:
    """The file's bytes, or ``None`` after saying why it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as error:
        print(f"roadmap-bot: cannot read {path}: {error.strerror}", file=sys.stderr)
        return None
