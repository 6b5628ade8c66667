"""The HTTP face of the stand-in: ``POST /bot<token>/<method>`` and ``GET /file/bot<token>/…``."""

from __future__ import annotations

import json
import logging
from typing import Any

from aiohttp import web

from standin.errors import ApiError
from standin.faults import FaultKind
from standin.methods import BotApi
from standin.params import Params
from standin.serving import serve_locally
from standin.webhook import WebhookPusher
from standin.world import JournalEntry, World

logger = logging.getLogger(__name__)


class StandInServer:
    """Serve ``world`` on 127.0.0.1; ``base_url`` is what ``BOT__API_URL`` should be."""

    def __init__(self, world: World | None = None) -> None:
        self.world = world or World()
        self.api = BotApi(self.world)
        self._runner: web.AppRunner | None = None
        self._pusher = WebhookPusher(self.world)
        self.base_url = ""

    def app(self) -> web.Application:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        self._runner, self.base_url = await serve_locally(self.app(), host, port)
        self._pusher.start()  # idle until the bot calls setWebhook
        return self.base_url

    async def stop(self) -> None:
        await self._pusher.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> StandInServer:
        await self.start()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.stop()

    # --- request handling ----------------------------------------------------------------

    async def _handle_method(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.world.token:
            return _reply(ApiError(401, "Unauthorized").payload(), 401)
        method = request.match_info["method"].lower()
        if not self.api.knows(method):
            return _reply(ApiError(404, "Not Found: method not found").payload(), 404)
        try:
            params = await Params.read(request)
            fault = self.world.faults.pick(method, params.integer("chat_id"))
            if fault is not None:
                self.world.record(
                    JournalEntry("error", params.integer("chat_id"), fault.kind.value)
                )
            if fault is not None and fault.kind is FaultKind.DROP_BEFORE:
                return _drop(request)
            if fault is not None and fault.kind is FaultKind.RETRY_AFTER:
                raise ApiError(
                    429,
                    f"Too Many Requests: retry after {fault.retry_after}",
                    {"retry_after": fault.retry_after},
                )
            if fault is not None and fault.kind in (FaultKind.SERVER_ERROR, FaultKind.BAD_GATEWAY):
                code = 500 if fault.kind is FaultKind.SERVER_ERROR else 502
                raise ApiError(code, "Internal Server Error" if code == 500 else "Bad Gateway")
            result = await self.api.call(method, params)
            if fault is not None and fault.kind is FaultKind.DROP_AFTER:
                return _drop(request)
        except ApiError as error:
            if error.code != 409:
                self.world.record(
                    JournalEntry("error", None, f"{method}: {error.code} {error.description}")
                )
            return _reply(error.payload(), error.code)
        return _reply({"ok": True, "result": result}, 200)

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.world.token:
            return web.Response(status=401, text="Unauthorized")
        record = self.world.file_by_path(request.match_info["path"])
        if record is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(body=record.content, content_type="application/octet-stream")


def _reply(payload: dict[str, Any], status: int) -> web.Response:
    return web.Response(
        text=json.dumps(payload, ensure_ascii=False), status=status, content_type="application/json"
    )


def _drop(request: web.Request) -> web.StreamResponse:
    """Close the connection without an answer: the client sees a network error."""
    transport = request.transport
    if transport is not None:
        transport.abort()
    raise web.HTTPServiceUnavailable()  # never reaches the client; ends the handler quietly
