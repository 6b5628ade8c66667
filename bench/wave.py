"""Issue 13: the 10:00 wave. Reminders go out at 10:00 and most heads answer within minutes:
1,000 heads each complete a report (status → text → no evidence → save) within 5 minutes of
their reminder, at random moments. Every update is fed at its arrival time to the real
Dispatcher (middlewares, conversation state, i18n, database); the latency is from the update's
arrival to the end of its handling (the bot's reply included: Telegram is a session that answers
at once, so only our side is measured).

Runs, in one process:
- bare aiogram dispatch of the same arrivals to a handler that only replies (the baseline);
- SQLite file (the default setup; conversation state in the database);
- PostgreSQL with two replicas (two Dispatchers, each with its own engine, conversation state
  and per-user lock in Redis, updates dealt to them in turn as a load balancer would), when
  PostgreSQL and Redis answer;
- the stress run: all 1,000 conversations start within the same 60 s, on SQLite.

``BENCH_WAVE_HEADS`` (1000) and ``BENCH_WAVE_SECONDS`` (300) shrink a run for a quick look.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import statistics
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher, Router
from aiogram.methods import SendMessage, TelegramMethod
from aiogram.types import Message, Update
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bench.report_speed import NOW, FixedClock, InstantSession, _message, _press
from bench.results import record
from bench.seeding import seed_due_reminders
from bot.dispatcher import build_dispatcher
from bot.i18n import build_i18n
from bot.settings import BotSection, DbSection, RedisSection, Settings
from storage.engine import create_engine, create_session_factory
from storage.models import Assignment, Occurrence, Person, StatusReport

HEADS = int(os.environ.get("BENCH_WAVE_HEADS", "1000"))
WINDOW = float(os.environ.get("BENCH_WAVE_SECONDS", "300"))
STRESS_WINDOW = 60.0
POSTGRES = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
FIRST_CHAT = 70_000
# status → «what was done?», text → «attach evidence», no evidence → «check», save → «saved»
REPLIES_PER_CONVERSATION = 4

Feed = Callable[[int, Update], Awaitable[object]]  # (chat, update) -> handled


class CountingSession(InstantSession):
    """Telegram answering at once, counting the messages the bot sends to each chat."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: Counter[int] = Counter()

    async def make_request(
        self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None
    ) -> Any:
        if isinstance(method, SendMessage):
            self.sent[int(method.chat_id)] += 1
        return await super().make_request(bot, method, timeout)


@dataclass(frozen=True, slots=True)
class Arrival:
    at: float  # seconds after the reminders went out
    chat: int
    step: int  # 0 status, 1 text, 2 no evidence, 3 save


def arrivals(heads: int, window: float, seed: int) -> list[Arrival]:
    """Each head starts at a random moment and takes 15-90 s to write (less in a short
    window), the last tap inside ``window`` seconds after the reminder."""
    rng = random.Random(seed)
    pace = min(1.0, 0.6 * window / 90)  # the stress run's 60 s leaves no time for long thoughts
    plan: list[Arrival] = []
    for n in range(heads):
        chat = FIRST_CHAT + n
        thinking = tuple(
            pace * rng.uniform(low, high) for low, high in ((10, 60), (3, 20), (2, 10))
        )
        start = rng.uniform(0, window - sum(thinking))
        moments = [start]
        for pause in thinking:
            moments.append(moments[-1] + pause)
        plan += [Arrival(at, chat, step) for step, at in enumerate(moments)]
    return sorted(plan, key=lambda a: a.at)


@dataclass
class Latencies:
    seconds: list[float]
    errors: int = 0

    def percentile(self, share: float) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    def summary(self) -> str:
        return (
            f"p50 {self.percentile(0.5) * 1000:.1f} ms, p95 {self.percentile(0.95) * 1000:.1f} ms, "
            f"p99 {self.percentile(0.99) * 1000:.1f} ms, max {max(self.seconds) * 1000:.1f} ms "
            f"({len(self.seconds)} updates, {self.errors} errors)"
        )


async def drive(plan: list[Arrival], updates: Callable[[Arrival], Update], feed: Feed) -> Latencies:
    """Feed every update at its arrival time (a head's next update only after the bot answered
    the previous one, as a person waits for the reply); latency counts from the arrival."""
    by_chat: dict[int, list[Arrival]] = {}
    for arrival in plan:
        by_chat.setdefault(arrival.chat, []).append(arrival)
    result = Latencies([])
    loop = asyncio.get_running_loop()
    started = loop.time()

    async def head(steps: list[Arrival]) -> None:
        for arrival in steps:
            delay = started + arrival.at - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            arrived = max(loop.time(), started + arrival.at)
            try:
                await feed(arrival.chat, updates(arrival))
            except Exception:  # counted: a benchmark reports errors, it does not stop
                result.errors += 1
            result.seconds.append(loop.time() - arrived)

    await asyncio.gather(*(head(steps) for steps in by_chat.values()))
    return result


def conversation_updates(occurrence_of: dict[int, int]) -> Callable[[Arrival], Update]:
    ids = iter(range(1, 10**9))

    def update(arrival: Arrival) -> Update:
        chat = arrival.chat
        if arrival.step == 0:
            return _press(next(ids), chat, f"v1rep:{occurrence_of[chat]}:done")
        if arrival.step == 1:
            return _message(next(ids), chat, "Дорожная карта направлена в УО 10 апреля")
        if arrival.step == 2:
            return _press(next(ids), chat, "v1rs:skip_evidence")
        return _press(next(ids), chat, "v1rs:save")

    return update


async def bare(bot: Bot, plan: list[Arrival]) -> Latencies:
    dispatcher = Dispatcher()
    router = Router()

    @router.message()
    async def reply(message: Message) -> None:
        await message.answer("ok")

    @router.callback_query()
    async def answer(query: object) -> None:
        return None

    dispatcher.include_router(router)
    ids = iter(range(1, 10**9))
    return await drive(
        plan,
        lambda a: _message(next(ids), a.chat, "привет"),
        lambda _chat, update: dispatcher.feed_update(bot, update),
    )


async def seeded(db_url: str) -> dict[int, int]:
    chats = list(range(FIRST_CHAT, FIRST_CHAT + HEADS))
    await seed_due_reminders(db_url, chats, due_at=NOW - timedelta(minutes=1))
    engine = create_engine(db_url)
    async with create_session_factory(engine)() as session:
        rows = await session.execute(
            select(Person.chat_address, Occurrence.id)
            .join(Assignment, Assignment.organisation_id == Person.organisation_id)
            .join(Occurrence, Occurrence.assignment_id == Assignment.id)
        )
        occurrence_of = {int(chat or 0): occurrence for chat, occurrence in rows}
    await engine.dispose()
    return occurrence_of


async def reports_saved(db_url: str) -> int:
    engine = create_engine(db_url)
    async with create_session_factory(engine)() as session:
        count = await session.scalar(select(func.count(StatusReport.id)))
    await engine.dispose()
    return int(count or 0)


@contextlib.asynccontextmanager
async def replicas(
    db_url: str, workdir: Path, count: int, redis: str | None
) -> AsyncIterator[list[Dispatcher]]:
    engines = [create_engine(db_url) for _ in range(count)]
    settings = Settings(
        bot=BotSection(token="1:x"),
        db=DbSection(url=db_url),
        redis=RedisSection(url=redis, prefix=f"wave{uuid.uuid4().hex[:6]}"),
        evidence_dir=str(workdir / "evidence"),
        _env_file=None,
    )
    dispatchers = [
        build_dispatcher(
            settings=settings,
            session_factory=create_session_factory(engine),
            i18n=build_i18n("ru"),
            clock=FixedClock(),
        )
        for engine in engines
    ]
    try:
        yield dispatchers
    finally:
        for dispatcher in dispatchers:
            await dispatcher.storage.close()
        for engine in engines:
            await engine.dispose()


async def full_stack(
    bot: Bot, db_url: str, workdir: Path, plan: list[Arrival], *, count: int, redis: str | None
) -> tuple[Latencies, int]:
    """Latencies, and the reports saved; every head must have had exactly one reply per
    update (none lost, none answered twice)."""
    occurrence_of = await seeded(db_url)
    session = bot.session
    assert isinstance(session, CountingSession)
    session.sent.clear()
    async with replicas(db_url, workdir, count, redis) as dispatchers:
        turn = iter(range(10**9))

        async def feed(_chat: int, update: Update) -> object:
            # Round-robin, as the load balancer deals requests: a conversation moves between
            # replicas and relies on the shared state.
            return await dispatchers[next(turn) % len(dispatchers)].feed_update(bot, update)

        latencies = await drive(plan, conversation_updates(occurrence_of), feed)
    wrong = {chat: n for chat, n in session.sent.items() if n != REPLIES_PER_CONVERSATION}
    missing = len(occurrence_of) - len(session.sent)
    if wrong or missing:
        latencies.errors += len(wrong) + missing
        print(f"replies off: {len(wrong)} heads got a wrong count, {missing} got none")
    return latencies, await reports_saved(db_url)


@contextlib.asynccontextmanager
async def postgres_database() -> AsyncIterator[str | None]:
    try:
        import asyncpg
        import redis.asyncio as aioredis

        server = make_url(POSTGRES)
        admin = await asyncpg.connect(
            server.set(drivername="postgresql").render_as_string(hide_password=False), timeout=3
        )
        client = aioredis.from_url(REDIS)
        await client.ping()
        await client.aclose()
    except Exception:  # any failure to reach either server: that run is skipped
        yield None
        return
    name = f"roadmap_wave_{uuid.uuid4().hex[:10]}"
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


def report(label: str, result: Latencies, saved: int, baseline: Latencies) -> None:
    print(f"{label}: {result.summary()}; reports saved {saved} of {HEADS}")
    for share, name in ((0.5, "p50"), (0.95, "p95"), (0.99, "p99")):
        record(
            f"10:00 wave, {label}: {name} arrival → reply (baseline: bare dispatch)",
            result.percentile(share) * 1000,
            "ms",
            baseline=baseline.percentile(share) * 1000,
        )
    if label == "SQLite":  # the targets are for the default setup's wave
        record(
            f"10:00 wave, {label}: p99 arrival → reply",
            result.percentile(0.99) * 1000,
            "ms",
            target="<= 250",
        )
    record(
        f"10:00 wave, {label}: slowest reply", max(result.seconds) * 1000, "ms", target="<= 1000"
    )
    record(
        f"10:00 wave, {label}: updates lost or answered twice",
        result.errors,
        "updates",
        target="<= 0",
    )
    record(f"10:00 wave, {label}: reports saved", saved, "reports", target=f">= {HEADS}")


async def run() -> None:
    bot = Bot("1:x", session=CountingSession())
    workdir = Path(tempfile.mkdtemp(prefix="roadmap-bench-wave-"))
    wave, stress = arrivals(HEADS, WINDOW, seed=10), arrivals(HEADS, STRESS_WINDOW, seed=11)
    print(
        f"{HEADS} heads, {len(wave)} updates within {WINDOW:.0f} s (stress: {STRESS_WINDOW:.0f} s)"
    )
    baseline = await bare(bot, wave)
    print(f"bare aiogram dispatch (a handler that replies): {baseline.summary()}")
    record("10:00 wave, bare dispatch: p99 arrival → reply", baseline.percentile(0.99) * 1000, "ms")

    started = time.perf_counter()
    sqlite, saved = await full_stack(
        bot, f"sqlite+aiosqlite:///{workdir / 'wave.sqlite3'}", workdir, wave, count=1, redis=None
    )
    report("SQLite", sqlite, saved, baseline)
    async with postgres_database() as pg_url:
        if pg_url is None:
            print("PostgreSQL or Redis does not answer: the two-replica run is skipped")
        else:
            replicated, saved = await full_stack(bot, pg_url, workdir, wave, count=2, redis=REDIS)
            report("PostgreSQL, two replicas", replicated, saved, baseline)
    stress_baseline = await bare(bot, stress)
    flooded, saved = await full_stack(
        bot,
        f"sqlite+aiosqlite:///{workdir / 'stress.sqlite3'}",
        workdir,
        stress,
        count=1,
        redis=None,
    )
    report("SQLite, stress (all within 60 s)", flooded, saved, stress_baseline)
    print(f"wave benchmark took {time.perf_counter() - started:.0f} s")
    print(
        f"median of the heads' conversation: {statistics.median(sqlite.seconds) * 1000:.1f} ms per update"
    )


def main() -> None:
    asyncio.run(run())


if __name__ == "__main__":
    main()
