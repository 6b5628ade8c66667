"""Start the real ``roadmap-bot`` process against the HTTP stand-in."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from standin import StandInServer
from standin.max import MaxStandIn
from tests.e2e.preloaded import Preloaded, PreloadedProcess


def base_env(db_url: str) -> dict[str, str]:
    """The environment without any messenger (none of the caller's own settings leak in)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BOT__", "DB__", "MAX__"))}
    return {**clean, "DB__URL": db_url, "LOG_LEVEL": "INFO"}


def bot_env(standin: StandInServer, db_url: str) -> dict[str, str]:
    return {
        **base_env(db_url),
        "BOT__TOKEN": standin.world.token,
        "BOT__API_URL": standin.base_url,
        "BOT__POLLING_TIMEOUT": "2",
    }


def max_env(max_standin: MaxStandIn) -> dict[str, str]:
    """MAX beside (or instead of) Telegram, against the MAX stand-in."""
    return {
        "MAX__TOKEN": max_standin.world.token,
        "MAX__API_URL": max_standin.base_url,
        "MAX__POLLING_TIMEOUT": "2",
        "MAX__PER_CHAT_INTERVAL": "0",
        "MAX__UPLOAD_PAUSE": "0.05",
    }


async def run_cli(
    *args: str, env: dict[str, str], cwd: Path, preloaded: Preloaded | None = None
) -> tuple[int, str, str]:
    """``roadmap-bot ARGS`` on an installation: its first step, ``db upgrade``, made the
    database that every other command expects (and refuses to make). A process of its own,
    forked by ``preloaded`` when given (tests/e2e/preloaded.py), else ``python -m bot``."""
    url = env.get("DB__URL", "")
    database = Path(url.partition(":///")[2]) if url.startswith("sqlite") else None
    if args[0] not in ("run", "db", "restore", "doctor") and database and not database.exists():
        code, _out, err = await _process(("db", "upgrade"), env, cwd, preloaded)
        assert code == 0, err
    return await _process(args, env, cwd, preloaded)


async def _process(
    args: tuple[str, ...], env: dict[str, str], cwd: Path, preloaded: Preloaded | None
) -> tuple[int, str, str]:
    if preloaded is not None:
        return await preloaded.run(args, env=env, cwd=cwd)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, stdout.decode(), stderr.decode()


async def wait_healthy(url: str, still_running: Callable[[], None], *, seconds: float) -> None:
    """Poll a replica's /healthz until it answers 200; ``still_running`` raises if the replica
    died meanwhile, so a failed start shows its own error instead of a timeout."""
    from aiohttp import ClientError, ClientSession

    async with ClientSession() as http:
        for _ in range(int(seconds * 10)):
            still_running()
            with contextlib.suppress(ClientError, OSError):
                async with http.get(url) as response:
                    if response.status == 200:
                        return
            await asyncio.sleep(0.1)
    raise AssertionError(f"{url} never became healthy")


class BotProcess:
    """``roadmap-bot run``: ``python -m bot run``, or forked by ``preloaded`` when given (the
    same command in a process of its own, without seconds of imports at each start)."""

    def __init__(
        self, env: dict[str, str], cwd: Path, log: Path, preloaded: Preloaded | None = None
    ) -> None:
        self._env = env
        self._cwd = cwd
        self._log = log
        self._preloaded = preloaded
        self.process: asyncio.subprocess.Process | PreloadedProcess | None = None

    async def start(
        self,
        standin: StandInServer | None,
        *,
        health_url: str | None = None,
        max_standin: MaxStandIn | None = None,
    ) -> None:
        """Start ``roadmap-bot run``; ready when it first polls each messenger or, in webhook
        mode (``health_url``), when its health check answers 200."""
        polls_before = standin.world.calls.get("getupdates", 0) if standin else 0
        max_polls_before = max_standin.world.calls.get("get_updates", 0) if max_standin else 0
        if self._preloaded is not None:
            self.process = self._preloaded.start(
                ["run"], env=self._env, cwd=self._cwd, out=self._log, err=self._log
            )
        else:
            with self._log.open("ab") as log:
                self.process = await asyncio.create_subprocess_exec(
                    sys.executable,
                    "-m",
                    "bot",
                    "run",
                    env=self._env,
                    cwd=self._cwd,
                    stdout=log,
                    stderr=log,
                )
        if health_url is not None:
            await wait_healthy(health_url, self._still_running, seconds=60)
            return
        if standin is not None:
            await standin.world.wait_until(
                lambda: (
                    standin.world.calls.get("getupdates", 0) > polls_before
                    or (self.process is not None and self.process.returncode is not None)
                ),
                60,
            )
        if max_standin is not None:
            world = max_standin.world
            await world.wait_until(
                lambda: (
                    world.calls.get("get_updates", 0) > max_polls_before
                    or (self.process is not None and self.process.returncode is not None)
                ),
                60,
            )
        assert self.process.returncode is None, self._log.read_text()

    def _still_running(self) -> None:
        assert self.process is not None
        assert self.process.returncode is None, self.log_text()

    async def stop(self, sig: int = signal.SIGTERM) -> int:
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(sig)
        return await asyncio.wait_for(self.process.wait(), 30)

    def log_text(self) -> str:
        return self._log.read_text(encoding="utf-8", errors="replace")
