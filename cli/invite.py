"""``roadmap-bot invite --name … --role …`` and ``roadmap-bot invite --all``: invitation links."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import timedelta

from bot.clock import SystemClock
from bot.join_links import BotNames, ask_bot_names, links_lines
from bot.settings import Settings
from domain.roles import Role
from storage.engine import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.unit_of_work import UnitOfWork
from storage.usecases.invitations import has_joined, issue_invitation


def run_invite(settings: Settings, args: argparse.Namespace) -> int:
    if not args.all and not (args.name and args.role):
        print("roadmap-bot invite: give --name and --role, or --all", file=sys.stderr)
        return 2
    return asyncio.run(_invite(settings, args))


async def _invite(settings: Settings, args: argparse.Namespace) -> int:
    names = await bot_names(settings)
    if names is None:
        return 2
    if args.all:
        from cli.people import run_invite_all

        return await run_invite_all(settings, names)
    engine = create_engine(settings.db.url)
    try:
        await upgrade(engine)
        async with create_session_factory(engine)() as session:
            uow = UnitOfWork(session)
            if await has_joined(uow, args.name, args.org):
                print(
                    "roadmap-bot: this person has already joined; a new invitation would be "
                    "refused. Another messenger is added from their own /settings.",
                    file=sys.stderr,
                )
                return 1
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


async def bot_names(settings: Settings) -> BotNames | None:
    """Each messenger's bot name, or ``None`` after saying which setting is missing."""
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
