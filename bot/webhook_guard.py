"""What keeps the webhook's HTTP server answering when clients misbehave.

aiohttp has no deadline for a request's headers: a client that opens a connection and sends
its headers a byte every few seconds (or nothing) holds a file descriptor for as long as it
likes. Three hundred of them took every descriptor, the health check stopped answering, and
the accept loop logged an error for every refused accept (about 174,000 lines in 45 s). So:

- **a deadline for headers**: aiohttp closes a connection whose next request has not fully
  arrived ``keepalive_timeout`` seconds after it opened (or after its last answer); the runner
  sets that to ``WEBHOOK__HEADER_TIMEOUT``, so it is also how long an idle keep-alive lasts;
- **a bound on connections**: past ``WEBHOOK__MAX_CLIENTS``, a new connection closes the
  oldest one that has no request in progress (the slow ones first, as they are the oldest),
  so descriptors stay bounded and a health check or Telegram always gets in;
- **a bound on the server's own error lines**: at most a few per minute from the loggers
  the server writes to, then one line saying how many were left out.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, cast

from aiohttp import web
from aiohttp.web_protocol import RequestHandler
from aiohttp.web_server import Server

# Loggers the server and the event loop write connection errors to.
SERVER_LOGGERS = ("asyncio", "aiohttp.server", "aiohttp.web", "aiohttp.access", "aiohttp.internal")


class GuardedRunner(web.AppRunner):
    """``web.AppRunner`` with the header deadline and the bound on connections."""

    def __init__(
        self, app: web.Application, *, header_timeout: float, max_clients: int, **kwargs: Any
    ) -> None:
        super().__init__(app, keepalive_timeout=header_timeout, **kwargs)
        self._max_clients = max_clients

    async def _make_server(self) -> Server:
        server = await super()._make_server()
        return cast(Server, _BoundedServer(server, self._max_clients))


class _BoundedServer:
    """The runner's server, seen by the event loop as its protocol factory: each new
    connection first makes room. Everything else is the wrapped server's."""

    def __init__(self, inner: Server, limit: int) -> None:
        self._inner = inner
        self._limit = limit

    def __call__(self) -> RequestHandler:
        # A closed handler stays listed until its task ends; its transport is gone at once.
        open_ = [h for h in self._inner.connections if h.transport is not None]
        # Oldest first (connections are kept in the order they came); one with a request in
        # hand is never cut, so no update that is being handled loses its answer.
        idle = [h for h in open_ if not getattr(h, "_request_in_progress", False)]
        for handler in idle[: max(0, len(open_) - self._limit + 1)]:
            handler.force_close()
        return self._inner()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class LogLimit(logging.Filter):
    """At most ``per_window`` records per logger in each ``window`` seconds; the first record
    after a window with some left out says how many."""

    def __init__(
        self,
        per_window: int = 20,
        window: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self._per_window = per_window
        self._window = window
        self._clock = clock
        self._started: dict[str, float] = {}
        self._count: dict[str, int] = {}
        self._dropped: dict[str, int] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        now = self._clock()
        name = record.name
        if now - self._started.get(name, -self._window) >= self._window:
            dropped = self._dropped.pop(name, 0)
            self._started[name] = now
            self._count[name] = 0
            if dropped:
                record.msg = f"{record.msg} ({dropped} similar lines left out in the last minute)"
        self._count[name] = self._count.get(name, 0) + 1
        if self._count[name] > self._per_window:
            self._dropped[name] = self._dropped.get(name, 0) + 1
            return False
        return True


def limit_server_logs(limit: LogLimit) -> Callable[[], None]:
    """Put ``limit`` on the server's loggers; the returned function takes it off again."""
    loggers = [logging.getLogger(name) for name in SERVER_LOGGERS]
    for logger in loggers:
        logger.addFilter(limit)

    def remove() -> None:
        for logger in loggers:
            logger.removeFilter(limit)

    return remove
