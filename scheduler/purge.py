"""The nightly purge: what the bot keeps no longer than it needs, deleted on a schedule.

Each purge is a name, a function of ``storage.usecases.purge`` (or anywhere: it takes the
unit of work and a moment, deletes what is older and says how many rows) and how long its
rows are kept. Another purge is one more ``Purge`` in the list the composition root gives.
Each runs in a transaction of its own, so one that fails leaves the others done.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.clock import Clock
from storage.unit_of_work import UnitOfWork

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Purge:
    name: str
    delete_before: Callable[[UnitOfWork, datetime], Awaitable[int]]
    kept: timedelta


class NightlyPurge:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        clock: Clock,
        purges: Sequence[Purge],
    ) -> None:
        self._session_factory = session_factory
        self._clock = clock
        self._purges = purges

    async def run(self) -> dict[str, int]:
        """Rows deleted, per purge."""
        now = self._clock.now()
        deleted: dict[str, int] = {}
        for purge in self._purges:
            try:
                async with self._session_factory() as session:
                    uow = UnitOfWork(session)
                    deleted[purge.name] = await purge.delete_before(uow, now - purge.kept)
                    await uow.commit()
            except Exception as error:  # the next purge still runs; say which failed
                logger.error(
                    "purge %s failed: %s",
                    purge.name,
                    type(error).__name__,
                    extra={"event": "purge_failed", "job": purge.name},
                )
                continue
            logger.info(
                "purge %s: %d rows deleted",
                purge.name,
                deleted[purge.name],
                extra={"event": "purged", "job": purge.name},
            )
        return deleted
