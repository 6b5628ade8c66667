"""Each Telegram update handled once, across replicas and retries.

Telegram delivers an update again when it did not get a 2xx in time, and a proxy in front of
several replicas passes a request to the next replica when the first closed the connection:
a replica stopped for a deploy just as it answered had a visitor's /help answered twice. The
ledger remembers, per update id, that a replica is working on it (for ``WORKING``, so a
second delivery meanwhile is asked to come back later, and the update is not lost if that
replica dies) and that it was handled (for ``DONE``, so a later delivery is only
acknowledged). With Redis the ledger is shared by the replicas; without it (one process) it
lives in this process.
"""

from __future__ import annotations

import enum
import logging
from collections import OrderedDict
from datetime import timedelta

from redis.asyncio import Redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

WORKING_FOR = timedelta(minutes=2)  # past aiogram's 55 s answer: a dead replica's claim expires
DONE_FOR = timedelta(days=1)  # Telegram keeps an undelivered update for 24 hours
IN_PROCESS_LIMIT = 10_000  # ids remembered without Redis


class Claim(enum.Enum):
    NEW = "new"  # handle it
    WORKING = "working"  # another delivery is being handled: ask Telegram to come back
    DONE = "done"  # handled already: acknowledge only


class UpdateLedger:
    def __init__(self, redis: Redis | None, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix
        self._local: OrderedDict[int, Claim] = OrderedDict()

    async def claim(self, update_id: int) -> Claim:
        if self._redis is None:
            return self._claim_here(update_id)
        key = self._key(update_id)
        try:
            if await self._redis.set(key, Claim.WORKING.value, nx=True, ex=WORKING_FOR):
                return Claim.NEW
            held = await self._redis.get(key)
        except RedisError:
            # Handling twice beats not handling: Redis down must not stop the bot.
            logger.warning("the update ledger is unavailable: the update is handled anyway")
            return Claim.NEW
        if held is None:  # expired between the two calls
            return Claim.NEW
        done = held in (Claim.DONE.value, Claim.DONE.value.encode())
        return Claim.DONE if done else Claim.WORKING

    async def finish(self, update_id: int) -> None:
        if self._redis is None:
            self._remember(update_id, Claim.DONE)
            return
        try:
            await self._redis.set(self._key(update_id), Claim.DONE.value, ex=DONE_FOR)
        except RedisError:
            logger.warning("the update ledger is unavailable: the update was handled")

    async def release(self, update_id: int) -> None:
        """The handling failed: the next delivery handles it again."""
        if self._redis is None:
            self._local.pop(update_id, None)
            return
        try:
            await self._redis.delete(self._key(update_id))
        except RedisError:
            logger.warning("the update ledger is unavailable: its claim expires by itself")

    def _claim_here(self, update_id: int) -> Claim:
        held = self._local.get(update_id)
        if held is not None:
            return held
        self._remember(update_id, Claim.WORKING)
        return Claim.NEW

    def _remember(self, update_id: int, claim: Claim) -> None:
        self._local[update_id] = claim
        self._local.move_to_end(update_id)
        while len(self._local) > IN_PROCESS_LIMIT:
            self._local.popitem(last=False)

    def _key(self, update_id: int) -> str:
        return f"{self._prefix}:update:{update_id}"
