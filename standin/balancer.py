"""A round-robin HTTP load balancer on 127.0.0.1, standing in for the proxy (nginx, a cloud
load balancer) that spreads Telegram's webhook requests over several bot replicas.

A replica that refuses the connection is skipped and the next one tried, as a proxy with
passive health checks does; when none answers, the caller gets 502 and Telegram tries later.
"""

from __future__ import annotations

import itertools
from collections import Counter

from aiohttp import ClientError, ClientSession, ClientTimeout, web

from standin.serving import serve_locally

HOP_HEADERS = {"host", "content-length", "transfer-encoding", "connection"}


class RoundRobinBalancer:
    def __init__(self, upstreams: list[str]) -> None:
        self.upstreams = upstreams
        self.forwarded: Counter[str] = Counter()  # requests each upstream answered
        self._turn = itertools.cycle(range(len(upstreams)))
        self._runner: web.AppRunner | None = None
        self._http: ClientSession | None = None
        self.base_url = ""

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        self._http = ClientSession(timeout=ClientTimeout(total=60))
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/{path:.*}", self._forward)
        self._runner, self.base_url = await serve_locally(app, host, port)
        return self.base_url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        if self._http is not None:
            await self._http.close()

    async def _forward(self, request: web.Request) -> web.Response:
        assert self._http is not None
        body = await request.read()
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_HEADERS}
        first = next(self._turn)
        for step in range(len(self.upstreams)):
            upstream = self.upstreams[(first + step) % len(self.upstreams)]
            try:
                async with self._http.request(
                    request.method, upstream + request.path_qs, data=body, headers=headers
                ) as response:
                    payload = await response.read()
                    self.forwarded[upstream] += 1
                    return web.Response(
                        status=response.status,
                        body=payload,
                        content_type=response.content_type,
                    )
            except (ClientError, OSError):
                continue  # that replica is down: try the next one
        return web.Response(status=502, text="no replica answered")
