"""The administrator's commands behind ``roadmap-bot``: they need settings and the database."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import timedelta
from typing import TYPE_CHECKING

from pydantic import ValidationError

from bot.clock import SystemClock
from bot.join_links import BotNames, links_lines
from bot.logs import configure_logging
from bot.settings import Settings, load_settings
from domain.roadmap.columns import Column
from domain.roles import Role
from storage.engine import create_engine, create_session_factory
from storage.migrate import downgrade, upgrade
from storage.unit_of_work import UnitOfWork
from storage.usecases.invitations import issue_invitation

if TYPE_CHECKING:
    from bot.join_links import BotNames

MISSING_TOKEN = (
    "roadmap-bot: neither BOT__TOKEN nor MAX__TOKEN is set. For Telegram, get a bot token "
    "from @BotFather (https://t.me/BotFather) and put BOT__TOKEN=<token> into .env or the "
    "environment; for MAX, copy the token from business.max.ru (Чат-боты → Интеграция) into "
    "MAX__TOKEN. Set both to serve both messengers from one process."
)
WRONG_TOKEN = (
    "roadmap-bot: Telegram did not accept BOT__TOKEN. Copy the token from @BotFather again "
    "(/mybots, then API Token) into .env or the environment."
)
WRONG_MAX_TOKEN = (
    "roadmap-bot: MAX did not accept MAX__TOKEN. Copy the token from business.max.ru again "
    "(Чат-боты → Интеграция) into .env or the environment."
)
WRONG_EITHER_TOKEN = (
    "roadmap-bot: Telegram or MAX did not accept the bot's token. Copy BOT__TOKEN from "
    "@BotFather again (/mybots, then API Token) and MAX__TOKEN from business.max.ru "
    "(Чат-боты → Интеграция)."
)


def wrong_token(settings: Settings) -> str:
    """What to say when a messenger refused the token, naming the one(s) configured."""
    if settings.bot.enabled and settings.max.enabled:
        return WRONG_EITHER_TOKEN
    return WRONG_MAX_TOKEN if settings.max.enabled else WRONG_TOKEN


def run_command(args: argparse.Namespace) -> int:
    try:
        settings = load_settings()
    except ValidationError as error:
        print(f"roadmap-bot: invalid settings: {error}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level, settings.log_format)
    if args.command == "run":
        if not (_has_token(settings) or settings.max.enabled):
            print(MISSING_TOKEN, file=sys.stderr)
            return 2
        if settings.email.enabled and (problem := settings.email.problem()):
            print(f"roadmap-bot run: {problem}", file=sys.stderr)
            return 2
        # aiogram takes seconds to import; only the commands that talk to Telegram pay for it.
        from aiogram.exceptions import TelegramUnauthorizedError

        from bot.app import run_bot
        from bot.webhook import WebhookConfigError

        try:
            asyncio.run(run_bot(settings, webhook=args.webhook or settings.webhook.enabled))
        except TelegramUnauthorizedError:
            print(wrong_token(settings), file=sys.stderr)
            return 2
        except WebhookConfigError as error:
            print(f"roadmap-bot run --webhook: {error}", file=sys.stderr)
            return 2
        return 0
    if args.command == "backup":
        from bot.backup_cli import run_backup

        return run_backup(settings.db.url, args.out, SystemClock())
    if args.command == "db" and args.db_command == "downgrade":
        return asyncio.run(_db_downgrade(settings, args.revision))
    if args.command == "db":
        asyncio.run(_db_upgrade(settings))
        print("roadmap-bot: database is up to date")
        return 0
    if args.command == "invite":
        if not args.all and not (args.name and args.role):
            print("roadmap-bot invite: give --name and --role, or --all", file=sys.stderr)
            return 2
        return asyncio.run(_invite(settings, args))
    if args.command == "people":
        from bot.people_cli import run_people  # reads spreadsheets: loads openpyxl

        try:
            data = args.file.read_bytes()
        except OSError as error:
            print(f"roadmap-bot: cannot read {args.file}: {error.strerror}", file=sys.stderr)
            return 2
        names = asyncio.run(_bot_names(settings)) if args.invite else None
        return asyncio.run(
            run_people(settings, args.file.name, data, invite=args.invite, names=names)
        )
    if args.command == "import":
        from bot.import_cli import run_import  # reads documents: loads python-docx, openpyxl

        try:
            data = args.file.read_bytes()
        except OSError as error:
            print(f"roadmap-bot: cannot read {args.file}: {error.strerror}", file=sys.stderr)
            return 2
        return asyncio.run(
            run_import(
                settings,
                args.file.name,
                data,
                period=args.period,
                annual_due=args.annual_due,
                columns={Column(role): index for role, index in (args.columns or {}).items()},
                dry_run=args.dry_run,
                as_json=args.json,
            )
        )
    if args.command == "calendar":
        from bot.calendar_cli import run_calendar

        return asyncio.run(
            run_calendar(
                settings,
                person_name=args.person,
                everyone=args.all,
                organisation=args.org,
                out=args.out,
            )
        )
    if args.command == "ask":
        from bot.request_cli import run_ask

        return asyncio.run(
            run_ask(
                settings,
                text=args.text,
                to=args.to,
                due=args.due,
                form_file=args.form,
                measure=args.measure,
            )
        )
    if args.command == "collect":
        from bot.request_cli import run_collect

        return asyncio.run(run_collect(settings, args.request_id, args.out))
    if args.command == "email":
        from bot.email_cli import run_email  # composes e-mails: loads aiogram's i18n, openpyxl

        return asyncio.run(run_email(settings, args.email_command, to=args.to))
    if args.command == "export":
        from bot.export_cli import run_export  # writes spreadsheets: loads openpyxl, aiogram

        return asyncio.run(
            run_export(
                settings,
                as_of=args.until or args.as_of,
                since=args.since,
                out=args.out,
                file_format=args.format,
                signer=args.signer,
            )
        )
    raise AssertionError(args.command)


async def _db_upgrade(settings: Settings) -> None:
    engine = create_engine(settings.db.url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


async def _db_downgrade(settings: Settings, revision: str) -> int:
    from alembic.util import CommandError

    engine = create_engine(settings.db.url)
    try:
        await downgrade(engine, revision)
    except CommandError as error:
        print(f"roadmap-bot db downgrade: {error}", file=sys.stderr)
        return 2
    finally:
        await engine.dispose()
    print(f"roadmap-bot: database is at revision {revision}")
    return 0


async def _invite(settings: Settings, args: argparse.Namespace) -> int:
    names = await _bot_names(settings)
    if names is None:
        return 2
    if args.all:
        from bot.people_cli import run_invite_all

        return await run_invite_all(settings, names)
    engine = create_engine(settings.db.url)
    try:
        await upgrade(engine)
        async with create_session_factory(engine)() as session:
            uow = UnitOfWork(session)
            issued = await issue_invitation(
                uow,
                full_name=args.name,
                role=Role(args.role),
                organisation=args.org,
                position=args.position,
                now=SystemClock().now(),
                ttl=timedelta(days=settings.invite_ttl_days),
            )
            await uow.commit()
    finally:
        await engine.dispose()

    print(links_lines(names.links(issued.token)))
    return 0


async def _bot_names(settings: Settings) -> BotNames | None:
    """Each messenger's bot name, or ``None`` after saying which setting is missing."""
    from bot.join_links import ask_bot_names

    names = await ask_bot_names(settings)
    if names.telegram or names.max:
        return names
    print(
        "roadmap-bot: cannot build the link: set BOT__USERNAME (the Telegram bot's @name "
        "without @) or MAX__USERNAME (the MAX bot's name), or BOT__TOKEN / MAX__TOKEN so the "
        "name can be asked from the messenger.",
        file=sys.stderr,
    )
    return None


def _has_token(settings: Settings) -> bool:
    return settings.bot.enabled
