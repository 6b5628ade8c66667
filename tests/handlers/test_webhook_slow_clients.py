"""The webhook's server under slow clients, and who may read its counters (issue 26, finding 8).

Three hundred connections that send their headers a byte every two seconds, or nothing, took
every file descriptor of the server, stopped ``/healthz`` and wrote ~174,000 error lines in
45 s. Here the process may open only as many descriptors as the slow clients need plus a
margin (so the server runs out as a real one would, past its limit), and ``/healthz`` must
still answer within a second (never two answers running slower: a probe restarts the bot after
three), with under 100 log lines while it lasts."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import resource
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiohttp import ClientError, ClientSession, TCPConnector
from aiohttp.test_utils import make_mocked_request
from pydantic import SecretStr

from bot.settings import WebhookSection
from bot.webhook import _may_read_metrics
from bot.webhook_guard import LogLimit
from standin import StandInServer
from tests.replicas import webhook_replicas
from tests.support import MutableClock

SLOW_CLIENTS = 300
ATTACK_SECONDS = 13.0

HEADER = b"GET /healthz HTTP/1.1\r\nHost: bot\r\nX-Slow: " + b"a" * 64


@contextlib.contextmanager
def descriptors_limited_to(extra: int) -> Iterator[None]:
    """This process may open ``extra`` descriptors more than it has open now."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    in_use = sum(1 for _ in Path("/proc/self/fd").iterdir())
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, in_use + extra), hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


async def slow_client(host: str, port: int, number: int, until: float) -> None:
    """One connection after another, each sending a byte every two seconds (every third
    sends nothing at all), until ``until``."""
    loop = asyncio.get_running_loop()
    while loop.time() < until:
        try:
            reader, writer = await asyncio.open_connection(host, port)
        except OSError:
            await asyncio.sleep(0.5)
            continue
        try:
            for byte in HEADER if number % 3 else b"":
                if loop.time() >= until:
                    break
                writer.write(bytes([byte]))
                await writer.drain()
                await asyncio.sleep(2)
            while loop.time() < until and not reader.at_eof():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(reader.read(1024), 1)
        except OSError:
            pass
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()


async def test_three_hundred_slow_clients_leave_health_answering_within_a_second(
    standin: StandInServer, clock: MutableClock, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"  # the server's, not the database's
    async with webhook_replicas(standin, db_url, clock, tmp_path, count=1) as replicas:
        upstream = replicas.upstreams[0]
        host, port = upstream.removeprefix("http://").split(":")
        latencies: list[float] = []
        failures: list[str] = []
        with descriptors_limited_to(SLOW_CLIENTS + 200), caplog.at_level(logging.INFO):
            caplog.clear()
            loop = asyncio.get_running_loop()
            until = loop.time() + ATTACK_SECONDS
            clients = [
                asyncio.create_task(slow_client(host, int(port), n, until))
                for n in range(SLOW_CLIENTS)
            ]
            await asyncio.sleep(1.0)  # every slow connection is open
            async with ClientSession(connector=TCPConnector(force_close=True)) as http:
                while loop.time() < until - 0.5:
                    started = time.monotonic()
                    try:
                        async with asyncio.timeout(5), http.get(upstream + "/healthz") as answer:
                            if answer.status != 200:
                                failures.append(f"status {answer.status}")
                    except (OSError, TimeoutError, ClientError) as error:
                        failures.append(type(error).__name__)
                    latencies.append(time.monotonic() - started)
                    await asyncio.sleep(0.5)
            await asyncio.gather(*clients)
            # The scheduler's own lines are left out: the tests tick every 0.2 s (a real bot
            # every minute), which has nothing to do with the clients.
            lines = sum(not r.name.startswith("apscheduler") for r in caplog.records)
    print(
        f"\n{SLOW_CLIENTS} slow clients for {ATTACK_SECONDS:.0f} s: /healthz asked "
        f"{len(latencies)} times, slowest {max(latencies):.3f} s, failures {len(failures)}, "
        f"{lines} log lines"
    )
    assert failures == [], failures
    # What an orchestrator feels: its probe (Kubernetes' default: a 1 s timeout, a restart after
    # three failures in a row) must never see two slow answers running. A single answer past a
    # second happens when this machine is busy, since the clients share the server's event loop
    # here; CI once measured 1.02 s that way with every other answer under 0.02 s.
    slow = [latency >= 1.0 for latency in latencies]
    assert not any(a and b for a, b in itertools.pairwise(slow)), latencies
    assert sorted(latencies)[len(latencies) // 2] < 0.25, latencies
    assert lines < 100


def test_the_server_listens_on_this_machine_only_by_default() -> None:
    assert WebhookSection().host == "127.0.0.1"


def test_counters_are_for_this_machine_or_whoever_has_the_token() -> None:
    local = make_mocked_request("GET", "/metrics", transport=_peer("127.0.0.1"))
    relayed = make_mocked_request(
        "GET", "/metrics", headers={"X-Forwarded-For": "203.0.113.7"}, transport=_peer("127.0.0.1")
    )
    outside = make_mocked_request("GET", "/metrics", transport=_peer("203.0.113.7"))
    assert _may_read_metrics(local, None)
    assert not _may_read_metrics(relayed, None)  # through the reverse proxy: from outside
    assert not _may_read_metrics(outside, None)

    token = SecretStr("metrics-token-1").get_secret_value()
    bearer = {"Authorization": f"Bearer {token}"}
    with_token = make_mocked_request("GET", "/metrics", headers=bearer, transport=_peer("1.2.3.4"))
    assert _may_read_metrics(with_token, token)
    assert not _may_read_metrics(local, token)  # once a token is set, even locally


def test_the_servers_own_error_lines_are_limited_per_minute() -> None:
    now = [0.0]
    limit = LogLimit(per_window=20, window=60, clock=lambda: now[0])
    record = logging.LogRecord("asyncio", logging.ERROR, __file__, 1, "accept failed", (), None)
    passed = sum(limit.filter(record) for _ in range(174_000))
    assert passed == 20
    now[0] = 61
    first = logging.LogRecord("asyncio", logging.ERROR, __file__, 1, "accept failed", (), None)
    assert limit.filter(first) and "173980 similar lines left out" in first.getMessage()


class _peer:  # noqa: N801 - a stand-in transport that names the peer
    def __init__(self, address: str) -> None:
        self._address = address

    def get_extra_info(self, name: str, default: object = None) -> object:
        return (self._address, 40000) if name == "peername" else default
