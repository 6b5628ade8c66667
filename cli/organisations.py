"""``roadmap-bot organisations``: list them, rename one, merge two that are one (as
/organisations does in the chat; reports, assignments and history are kept)."""

from __future__ import annotations

import sys
from argparse import Namespace

from bot.clock import SystemClock
from bot.settings import Settings
from storage.engine import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.unit_of_work import UnitOfWork
from storage.usecases.organisation_changes import (
    NameTakenError,
    merge_organisations,
    rename_organisation,
)


async def run_organisations(settings: Settings, args: Namespace) -> int:
    engine = create_engine(settings.db.url)
    try:
        await upgrade(engine)
        async with create_session_factory(engine)() as session:
            return await _run(UnitOfWork(session), args)
    finally:
        await engine.dispose()


async def _run(uow: UnitOfWork, args: Namespace) -> int:
    now = SystemClock().now()
    if args.organisations_command == "list":
        aliases: dict[int, list[str]] = {}
        for alias in await uow.organisations.aliases():
            aliases.setdefault(alias.organisation_id, []).append(alias.name)
        for organisation in await uow.organisations.list_all():
            known = "; ".join(aliases.get(organisation.id, []))
            print(
                f"{organisation.id}\t{organisation.kind}\t{organisation.name}"
                + (f"\t(also: {known})" if known else "")
            )
        return 0
    if args.organisations_command == "rename":
        try:
            renamed = await rename_organisation(uow, args.id, args.name, by_id=None, now=now)
        except NameTakenError:
            print(
                "roadmap-bot: another organisation already has this name; merge them instead",
                file=sys.stderr,
            )
            return 2
        if renamed is None:
            print(f"roadmap-bot: no organisation {args.id}", file=sys.stderr)
            return 2
        await uow.commit()
        print(f"renamed: {renamed.id}\t{renamed.name}")
        return 0
    result = await merge_organisations(uow, args.keep, args.merged, by_id=None, now=now)
    if result is None:
        print("roadmap-bot: give two different organisations' ids (see: list)", file=sys.stderr)
        return 2
    await uow.commit()
    print(
        f"merged «{result.merged}» into «{result.kept}»: measures moved {result.assignments_moved}, "
        f"reports moved {result.reports_moved}, dates both had reported on "
        f"{len(result.both_reported)} (both reports kept, the later one current)"
    )
    return 0
