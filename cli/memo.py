"""``roadmap-bot memo [--out DIR]``: the памятки /memo sends, written to a folder: one page per
school head with their own links, and the coordinator's guide."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

from bot.clock import SystemClock
from bot.i18n import build_i18n
from bot.settings import Settings
from cli.invite import bot_names
from handlers.common.join_links import JoinLink
from handlers.people.memo import COORDINATOR_FILE, HEADS_FILE, memo_files
from storage.engine import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.unit_of_work import UnitOfWork
from storage.usecases.export import signer_for_command_line


async def run_memo(settings: Settings, out: Path | None) -> int:
    names = await bot_names(settings)
    if names is None:
        return 2

    async def join_links(token: str) -> list[JoinLink]:
        return names.links(token)

    folder = out or Path.cwd()
    folder.mkdir(parents=True, exist_ok=True)
    i18n = build_i18n(settings.default_locale)
    engine = create_engine(settings.db.url)
    try:
        await upgrade(engine)
        async with create_session_factory(engine)() as session:
            uow = UnitOfWork(session)
            contact = await signer_for_command_line(uow, None)
            with i18n.context(), i18n.use_locale(settings.default_locale):
                heads, coordinator = await memo_files(
                    uow,
                    join_links,
                    now=SystemClock().now(),
                    ttl=timedelta(days=settings.invite_ttl_days),
                    contact=contact,
                )
            await uow.commit()  # the links printed are the invitations kept
    finally:
        await engine.dispose()
    (folder / COORDINATOR_FILE).write_bytes(coordinator)
    if heads is None:
        print("roadmap-bot memo: no school heads yet (import them with `people`)", file=sys.stderr)
    else:
        (folder / HEADS_FILE).write_bytes(heads)
        print(folder / HEADS_FILE)
    print(folder / COORDINATOR_FILE)
    return 0
