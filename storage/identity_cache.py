"""Who is writing, remembered for a few seconds so a conversation's every message does not cost
a database round trip.

Every update needs the joined person behind the Telegram account; without a cache that is one
transaction per update, most of the cost of a text step. The cache holds detached copies and
hands each update its own session-bound instance (``merge(load=False)``, no query), so handlers
may still change the person and commit as usual.

Freshness: any change to a person written through this process empties every cache at once
(an ORM event); a change made elsewhere (another replica, the CLI) is seen after ``ttl_seconds``
at the latest. Strangers are never cached, so someone who just joined is recognised at once.
Authorisation on *what* a person may touch is always checked against the database; only *who*
they are comes from here.
"""

from __future__ import annotations

import time
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient_to_detached

from storage.models import Person

MAX_ENTRIES = 10_000  # a region's school heads and methodists, with room to spare

_live_caches: weakref.WeakSet[PersonCache] = weakref.WeakSet()


class PersonCache:
    def __init__(
        self, ttl_seconds: float, *, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self._ttl = ttl_seconds
        self._monotonic = monotonic
        self._entries: OrderedDict[int, tuple[float, Person]] = OrderedDict()
        _live_caches.add(self)

    @property
    def enabled(self) -> bool:
        return self._ttl > 0

    async def get(self, session: AsyncSession, user_address: int) -> Person | None:
        """The active person with this Telegram account, bound to ``session``, or ``None`` when
        the cache does not know them (the caller then asks the database)."""
        entry = self._entries.get(user_address)
        if entry is None:
            return None
        stored_at, snapshot = entry
        if self._monotonic() - stored_at > self._ttl:
            del self._entries[user_address]
            return None
        return await session.merge(snapshot, load=False)

    def remember(self, person: Person) -> None:
        if not self.enabled or person.user_address is None or not person.is_active:
            return
        self._entries[person.user_address] = (self._monotonic(), _detached_copy(person))
        self._entries.move_to_end(person.user_address)
        while len(self._entries) > MAX_ENTRIES:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        self._entries.clear()


def _detached_copy(person: Person) -> Person:
    """A copy no session owns, carrying the row's identity so it can be merged without a query."""
    columns = inspect(Person).column_attrs
    copy = Person(**{column.key: getattr(person, column.key) for column in columns})
    make_transient_to_detached(copy)
    return copy


def _forget_everyone(_mapper: Any, _connection: Any, _target: Person) -> None:
    # Joins, language changes, deactivation, «unreachable»: all rare, so dropping every cached
    # person is simpler and safer than working out which entry a change affects.
    for cache in list(_live_caches):
        cache.clear()


for _event in ("after_insert", "after_update", "after_delete"):
    event.listen(Person, _event, _forget_everyone)
