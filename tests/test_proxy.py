"""PROXY: the messengers' APIs through a closed network's proxy; a proxy that refuses stops the
start at once with what to check, instead of a bot that polls in vain."""

from __future__ import annotations

import argparse
import socket
import time
from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from bot.settings import BotSection, DbSection, MaxSection, Settings, settings_problems
from cli.run import run


def refusing_port() -> int:
    """A local port nothing listens on: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def settings_through(
    proxy: str,
    tmp_path: Path,
    bot: BotSection | None = None,
    max_section: MaxSection | None = None,
) -> Settings:
    return Settings(
        db=DbSection(url=f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"),
        proxy=SecretStr(proxy),
        bot=bot or BotSection(),
        max=max_section or MaxSection(),
        _env_file=None,
    )


@pytest.mark.parametrize("scheme", ["http", "socks5"])
@pytest.mark.parametrize("messenger", ["telegram", "max"])
def test_a_proxy_that_refuses_stops_the_start_with_what_to_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], scheme: str, messenger: str
) -> None:
    # Nothing reaches these addresses: every request must go through the proxy, which refuses.
    proxy = f"{scheme}://127.0.0.1:{refusing_port()}"
    nowhere = "http://198.51.100.1"
    if messenger == "telegram":
        settings = settings_through(
            proxy, tmp_path, bot=BotSection(token=SecretStr("1:x"), api_url=nowhere)
        )
    else:
        settings = settings_through(
            proxy, tmp_path, max_section=MaxSection(token=SecretStr("x"), api_url=nowhere)
        )
    started = time.monotonic()

    assert run(settings, argparse.Namespace(webhook=False)) == 2

    assert time.monotonic() - started < 30  # the retries' few seconds, not a hang
    error = capsys.readouterr().err
    assert "cannot be reached through the proxy set in PROXY" in error
    assert "roadmap-bot doctor" in error


def test_a_proxy_address_without_its_port_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as refused:
        settings_through("proxy.local", tmp_path)
    problems = settings_problems(refused.value)
    assert problems.startswith("PROXY: a proxy address such as http://10.0.0.1:3128")
    assert "proxy.local" not in problems  # the value may hold a password: never echoed
