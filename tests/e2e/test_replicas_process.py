"""Two real ``roadmap-bot run --webhook`` processes behind a round-robin balancer, sharing one
PostgreSQL database and one Redis: every reminder goes out once, updates reach both, and when
one replica is stopped (or killed) mid-way the other finishes its work."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bench.seeding import seed_due_reminders
from standin import SimulatedUser, StandInServer
from standin.balancer import RoundRobinBalancer
from tests.conftest import postgres_database
from tests.e2e.harness import BotProcess
from tests.e2e.preloaded import Preloaded
from tests.e2e.test_reminders_process import fast_env, received, reminder_states, started_users
from tests.replicas import REDIS_URL, SECRET, free_port

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "")
pytestmark = pytest.mark.skipif(
    not (POSTGRES_URL and REDIS_URL),
    reason="needs PostgreSQL and Redis (make test sets TEST_POSTGRES_URL and TEST_REDIS_URL "
    "when they answer)",
)
REMINDERS = 2000
VISITORS = 60  # people who write to the bot while the reminders go out


@dataclass
class Cluster:
    replicas: list[BotProcess]
    health_urls: list[str]
    upstreams: list[str]
    balancer: RoundRobinBalancer
    db_url: str
    logs: list[Path]


@pytest.fixture
async def cluster(
    standin: StandInServer, tmp_path: Path, preloaded: Preloaded
) -> AsyncIterator[Cluster]:
    ports = [free_port(), free_port()]
    upstreams = [f"http://127.0.0.1:{port}" for port in ports]
    balancer = RoundRobinBalancer(upstreams)
    await balancer.start()
    prefix = f"roadmap_e2e_{uuid.uuid4().hex[:10]}"
    async with postgres_database(POSTGRES_URL) as db_url:
        logs = [tmp_path / f"replica-{n}.log" for n in range(2)]
        replicas = [
            BotProcess(
                fast_env(
                    standin,
                    db_url,
                    SCHEDULER__PER_SECOND="150",
                    # Longer than fast_env's 3 s: this 2-core machine runs two bots, PostgreSQL
                    # and the stand-in at once, and a claim must not look abandoned under load.
                    SCHEDULER__LEASE_SECONDS="6",
                    WEBHOOK__ENABLED="true",
                    WEBHOOK__URL=balancer.base_url + "/telegram",
                    WEBHOOK__SECRET=SECRET,
                    WEBHOOK__HOST="127.0.0.1",
                    WEBHOOK__PORT=str(port),
                    REDIS__URL=REDIS_URL,
                    REDIS__PREFIX=prefix,
                    LOG_FORMAT="json",
                    LOG_LEVEL="INFO",
                ),
                tmp_path,
                log,
                preloaded,
            )
            for port, log in zip(ports, logs, strict=True)
        ]
        try:
            yield Cluster(
                replicas,
                [upstream + "/healthz" for upstream in upstreams],
                upstreams,
                balancer,
                db_url,
                logs,
            )
        finally:
            for replica in replicas:
                if replica.process is not None:
                    await replica.stop(signal.SIGKILL)
            await balancer.stop()


async def start_sending(standin: StandInServer, cluster: Cluster) -> list[int]:
    """Seed the due reminders and start both replicas; returns the reminded chats."""
    chats = started_users(standin, REMINDERS)
    await seed_due_reminders(cluster.db_url, chats, due_at=datetime.now(UTC) - timedelta(minutes=1))
    await asyncio.gather(
        *(
            replica.start(standin, health_url=url)
            for replica, url in zip(cluster.replicas, cluster.health_urls, strict=True)
        )
    )
    return chats


async def a_third_arrived(standin: StandInServer, chats: list[int]) -> None:
    await standin.world.wait_until(
        lambda: sum(received(standin, chats).values()) >= REMINDERS // 3, 60
    )


async def visitors_write(standin: StandInServer, count: int) -> list[SimulatedUser]:
    visitors = [SimulatedUser.join(standin.world, f"Гость {n}") for n in range(count)]
    for visitor in visitors:
        await visitor.send("/help")
        await asyncio.sleep(0.05)
    return visitors


def log_entries(path: Path) -> list[dict[str, object]]:
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("{"):
            entries.append(json.loads(line))
    return entries


def sent_by(path: Path) -> int:
    """The reminders a replica counted as sent, from the line it logs when it stops."""
    (stopped,) = [e for e in log_entries(path) if e.get("event") == "stopped"]
    counters = stopped["counters"]
    assert isinstance(counters, dict)
    return int(counters["sent"])


async def test_two_replicas_send_each_reminder_once_when_one_is_stopped_midway(
    standin: StandInServer, cluster: Cluster
) -> None:
    chats = await start_sending(standin, cluster)
    visiting = asyncio.create_task(visitors_write(standin, VISITORS))
    await a_third_arrived(standin, chats)
    first, second = cluster.replicas
    assert await first.stop(signal.SIGTERM) == 0  # a deploy or scale-down: stop gracefully
    visitors = await visiting
    await standin.world.wait_until(
        lambda: (
            all(n >= 1 for n in received(standin, chats).values())
            and all(visitor.unread() for visitor in visitors)
        ),
        90,
    )
    await asyncio.sleep(1.0)  # anything sent twice would arrive by now
    assert await second.stop(signal.SIGTERM) == 0

    counts = received(standin, chats)
    assert Counter(counts.values()) == {1: REMINDERS}, "every reminder exactly once"
    assert (await reminder_states(cluster.db_url)) == {"sent": REMINDERS}
    assert all(len(standin.world.bot_messages(v.id)) == 1 for v in visitors)  # each answered once
    assert all(cluster.balancer.forwarded[upstream] > 0 for upstream in cluster.upstreams)
    by_replica = [sent_by(log) for log in cluster.logs]
    assert all(n > 0 for n in by_replica) and sum(by_replica) == REMINDERS
    for log in cluster.logs:
        entries = log_entries(log)
        assert entries and all("replica" in e for e in entries)
        assert any(e.get("event") == "webhook_started" for e in entries)
        texts = log.read_text(encoding="utf-8")
        assert "Директор" not in texts and "Гость" not in texts  # no personal text in the logs


async def test_a_replica_killed_midway_loses_nothing_and_the_other_finishes(
    standin: StandInServer, cluster: Cluster
) -> None:
    chats = await start_sending(standin, cluster)
    await a_third_arrived(standin, chats)
    first, second = cluster.replicas
    await first.stop(signal.SIGKILL)
    delivered = {chat for chat, n in received(standin, chats).items() if n}
    recorded = (await reminder_states(cluster.db_url)).get("sent", 0)
    # Delivered but not yet written down by either replica: the only possible duplicates.
    unrecorded = len(delivered) - recorded

    await standin.world.wait_until(
        lambda: all(n >= 1 for n in received(standin, chats).values()), 90
    )
    await asyncio.sleep(1.0)
    assert await second.stop(signal.SIGTERM) == 0

    counts = received(standin, chats)
    assert all(n >= 1 for n in counts.values()), "a reminder was lost"
    assert sum(counts.values()) - REMINDERS <= unrecorded
    assert (await reminder_states(cluster.db_url)) == {"sent": REMINDERS}
