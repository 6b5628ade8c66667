"""Delivering updates to the bot's webhook, as Telegram does once setWebhook was called.

Each update is POSTed as JSON with the ``X-Telegram-Bot-Api-Secret-Token`` header; it counts as
delivered only on a 2xx answer, otherwise it is sent again after a pause. Up to
``max_connections`` requests run at once, but a chat's updates go one after another, in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any, Protocol

from aiohttp import ClientError, ClientSession, ClientTimeout

from standin.world import Json, WebhookTarget

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
RETRY_PAUSE = 0.2  # seconds, doubled per failed attempt up to MAX_PAUSE
MAX_PAUSE = 2.0
REQUEST_TIMEOUT = ClientTimeout(total=60)


def chat_of(update: Json) -> int | None:
    """The chat an update belongs to, for keeping each chat's updates in order."""
    for key, value in update.items():
        if key == "update_id" or not isinstance(value, dict):
            continue
        if isinstance(value.get("chat"), dict):
            return int(value["chat"]["id"])
        if isinstance(value.get("from"), dict):
            return int(value["from"]["id"])
    return None


class WebhookSource(Protocol):
    """A stand-in's world as the pusher sees it (Telegram's and MAX's both)."""

    webhook: WebhookTarget | None

    def pending_updates(self) -> list[Json]: ...

    def acknowledge(self, update_id: int) -> None: ...

    async def notify(self) -> None: ...

    async def wait_until(self, predicate: Callable[[], Any], timeout: float) -> Any: ...


def as_is(update: Json) -> Json:
    return update


class WebhookPusher:
    """``chat_of`` keeps a chat's updates in order; ``body_of`` is what goes over the wire
    (MAX's updates carry no id, so its world wraps each one with the id it counts by)."""

    def __init__(
        self,
        world: WebhookSource,
        *,
        secret_header: str = SECRET_HEADER,
        chat_of: Callable[[Json], int | None] = chat_of,
        body_of: Callable[[Json], Json] = as_is,
    ) -> None:
        self.world = world
        self._secret_header = secret_header
        self._chat_of = chat_of
        self._body_of = body_of
        self._in_flight: dict[int, asyncio.Task[None]] = {}
        self._retry_at: dict[int, float] = {}
        self._failures: dict[int, int] = {}
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="standin-webhook")

    async def stop(self) -> None:
        tasks = [t for t in (self._task, *self._in_flight.values()) if t is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        async with ClientSession(timeout=REQUEST_TIMEOUT) as http:
            while True:
                target = self.world.webhook
                ready = self._ready(target) if target is not None else []
                for update in ready:
                    assert target is not None
                    update_id = update["update_id"]
                    self._in_flight[update_id] = asyncio.create_task(
                        self._deliver(http, target, update)
                    )
                with contextlib.suppress(TimeoutError):
                    # Woken by a new update, a finished delivery, or a retry coming due.
                    await self.world.wait_until(lambda: bool(self._ready_peek()), 0.05)

    def _ready_peek(self) -> bool:
        target = self.world.webhook
        return target is not None and bool(self._ready(target))

    def _ready(self, target: WebhookTarget) -> list[Json]:
        now = time.monotonic()
        busy: set[int | None] = set()
        picked: list[Json] = []
        free = target.max_connections - len(self._in_flight)
        for update in self.world.pending_updates():
            update_id = update["update_id"]
            chat = self._chat_of(update)
            waiting = update_id in self._in_flight or self._retry_at.get(update_id, 0) > now
            if chat in busy or waiting:
                busy.add(chat)  # a chat's later updates wait for its earlier ones
                continue
            if len(picked) >= free:
                break
            busy.add(chat)
            picked.append(update)
        return picked

    async def _deliver(self, http: ClientSession, target: WebhookTarget, update: Json) -> None:
        update_id = update["update_id"]
        headers = {self._secret_header: target.secret_token} if target.secret_token else {}
        error: str | None = None
        try:
            body = self._body_of(update)
            async with http.post(target.url, json=body, headers=headers) as response:
                await response.read()
                if not 200 <= response.status < 300:
                    error = f"Wrong response from the webhook: {response.status} {response.reason}"
        except (ClientError, TimeoutError, OSError) as failure:
            error = f"Connection failed: {type(failure).__name__}"
        finally:
            self._in_flight.pop(update_id, None)
        if error is None:
            self._retry_at.pop(update_id, None)
            self._failures.pop(update_id, None)
            self.world.acknowledge(update_id)
        else:
            failures = self._failures.get(update_id, 0) + 1
            self._failures[update_id] = failures
            self._retry_at[update_id] = time.monotonic() + min(
                RETRY_PAUSE * 2 ** (failures - 1), MAX_PAUSE
            )
            target.last_error_message = error
            target.last_error_date = int(time.time())
            logger.info("webhook delivery of update %d failed: %s", update_id, error)
        await self.world.notify()
