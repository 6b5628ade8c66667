"""The nightly purge of links that open nothing any more: used, revoked or expired invitations
and calendar and unsubscribe tokens. Only digests are stored, but a row that can never be used
again is still a row a copy of the database need not hold."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.clock import Clock
from storage.usecases.invitations import purge_spent_invitations
from storage.usecases.tokens import purge_spent_tokens

logger = logging.getLogger(__name__)

PURGE_SPENT_LINKS_JOB = "purge_spent_links"


class SpentLinks:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = session_factory
        self._clock = clock

    async def purge(self) -> int:
        """Delete what opens nothing; returns how many rows went."""
        now = self._clock.now()
        async with self._sessions() as session:
            invitations = await purge_spent_invitations(session, now)
            tokens = await purge_spent_tokens(session, now)
            await session.commit()
        if invitations or tokens:
            logger.info(
                "%d spent invitations and %d spent tokens purged",
                invitations,
                tokens,
                extra={"event": "links_purged"},
            )
        return invitations + tokens
