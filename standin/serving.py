"""Serve an aiohttp application on 127.0.0.1 at a free port (the stand-in, the balancer)."""

from __future__ import annotations

from aiohttp import web


async def serve_locally(
    app: web.Application, host: str = "127.0.0.1", port: int = 0
) -> tuple[web.AppRunner, str]:
    """Start ``app``; returns its runner (``cleanup()`` stops it) and its base URL."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    server = site._server
    assert server is not None
    bound_port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
    return runner, f"http://{host}:{bound_port}"
