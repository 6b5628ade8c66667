"""Several copies of the application in webhook mode behind one round-robin balancer, sharing a
database and (optionally) Redis, all in the test's event loop."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.app import Application
from bot.settings import RedisSection, Settings, WebhookSection
from standin import StandInServer
from standin.balancer import RoundRobinBalancer
from standin.max import MaxStandIn
from tests.conftest import RunningBot, make_settings
from tests.e2e.harness import wait_healthy
from tests.support import MutableClock

REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
requires_redis = pytest.mark.skipif(
    not REDIS_URL, reason="needs Redis: set TEST_REDIS_URL (make test does when one answers)"
)
SECRET = "replica-test-secret_1"
MAX_SECRET = "max-replica-secret_2"
WEBHOOK_PATH = "/telegram"
MAX_WEBHOOK_PATH = "/max"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def webhook_settings(
    base: Settings, *, public_url: str, port: int, redis_url: str | None, prefix: str
) -> Settings:
    max_section = base.max
    if max_section.enabled:
        max_section = max_section.model_copy(
            update={
                "webhook_url": public_url + MAX_WEBHOOK_PATH,
                "webhook_secret": SecretStr(MAX_SECRET),
                "webhook_path": MAX_WEBHOOK_PATH,
            }
        )
    return base.model_copy(
        update={
            "max": max_section,
            "webhook": WebhookSection(
                enabled=True,
                url=public_url + WEBHOOK_PATH,
                secret=SECRET,
                host="127.0.0.1",
                port=port,
                path=WEBHOOK_PATH,
            ),
            "redis": RedisSection(url=redis_url, prefix=prefix),
        }
    )


@dataclass
class Replicas:
    apps: list[Application]
    upstreams: list[str]
    balancer: RoundRobinBalancer
    bot: RunningBot  # helpers (invite, join_as, ...) over the shared database


@contextlib.asynccontextmanager
async def webhook_replicas(
    standin: StandInServer,
    db_url: str,
    clock: MutableClock,
    tmp_path: Path,
    *,
    count: int = 2,
    redis_url: str | None = None,
    max_standin: MaxStandIn | None = None,
) -> AsyncIterator[Replicas]:
    ports = [free_port() for _ in range(count)]
    upstreams = [f"http://127.0.0.1:{port}" for port in ports]
    balancer = RoundRobinBalancer(upstreams)
    await balancer.start()
    prefix = f"roadmap_test_{uuid.uuid4().hex[:10]}"
    base = make_settings(standin, db_url, tmp_path / "evidence", max_standin)
    apps = [
        Application(
            webhook_settings(
                base, public_url=balancer.base_url, port=port, redis_url=redis_url, prefix=prefix
            ),
            clock=clock,
            handle_signals=False,
        )
        for port in ports
    ]
    tasks = [asyncio.create_task(app.run()) for app in apps]
    try:
        await standin.world.wait_until(lambda: standin.world.webhook is not None, 15)
        if max_standin is not None:
            world = max_standin.world
            await world.wait_until(lambda: world.webhook is not None, 15)
        await _wait_healthy(upstreams, tasks)
        yield Replicas(
            apps,
            upstreams,
            balancer,
            RunningBot(apps[0], standin, apps[0].session_factory, clock, max_standin),
        )
    finally:
        for app in apps:
            await app.stop()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(task, 20)
        await balancer.stop()
        if redis_url:
            await _forget_keys(redis_url, prefix)


async def _wait_healthy(upstreams: list[str], tasks: list[asyncio.Task[None]]) -> None:
    def still_running() -> None:
        for task in tasks:
            if task.done():
                task.result()  # a replica that failed to start: raise its error

    for upstream in upstreams:
        await wait_healthy(upstream + "/healthz", still_running, seconds=15)


async def _forget_keys(redis_url: str, prefix: str) -> None:
    from redis.asyncio import Redis

    client = Redis.from_url(redis_url)
    try:
        keys = [key async for key in client.scan_iter(match=f"{prefix}:*")]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()
