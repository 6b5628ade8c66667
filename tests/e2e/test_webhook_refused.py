"""``roadmap-bot run`` when Telegram refuses the webhook address or the token: one line that
says what to change, exit code 2, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from standin import StandInServer
from tests.e2e.harness import bot_env, run_cli
from tests.e2e.preloaded import Preloaded
from tests.replicas import free_port


def webhook_env(standin: StandInServer, tmp_path: Path, url: str) -> dict[str, str]:
    return {
        **bot_env(standin, f"sqlite+aiosqlite:///{tmp_path / 'w.sqlite3'}"),
        "WEBHOOK__URL": url,
        "WEBHOOK__SECRET": "a-secret_1",
        "WEBHOOK__HOST": "127.0.0.1",
        "WEBHOOK__PORT": str(free_port()),
        "SCHEDULER__ENABLED": "false",
    }


async def test_telegram_refusing_the_webhook_address_is_explained(
    standin: StandInServer, tmp_path: Path, preloaded: Preloaded
) -> None:
    env = webhook_env(standin, tmp_path, "ftp://bot.example.ru/telegram")

    code, _out, err = await run_cli("run", "--webhook", env=env, cwd=tmp_path, preloaded=preloaded)

    assert code == 2
    lines = err.strip().splitlines()
    assert "Traceback" not in err
    assert lines[-1].startswith("roadmap-bot run --webhook: Telegram refused WEBHOOK__URL=ftp://")
    assert "An HTTPS URL must be provided" in lines[-1] and "public https address" in lines[-1]
    assert standin.world.webhook is None


@pytest.mark.parametrize("mode", [["run"], ["run", "--webhook"]], ids=["polling", "webhook"])
async def test_a_token_telegram_does_not_know_is_explained(
    standin: StandInServer, tmp_path: Path, mode: list[str], preloaded: Preloaded
) -> None:
    env = webhook_env(standin, tmp_path, "https://bot.example.ru/telegram")
    env["BOT__TOKEN"] = "999:NOT-THE-TOKEN"

    code, _out, err = await run_cli(*mode, env=env, cwd=tmp_path, preloaded=preloaded)

    assert code == 2 and "Traceback" not in err
    assert err.strip().splitlines()[-1] == (
        "roadmap-bot: Telegram did not accept BOT__TOKEN. Copy the token from @BotFather again "
        "(/mybots, then API Token) into .env or the environment."
    )
