"""Finding 11 of the security review: the documented first start (copy config.example.env to
.env, set BOT__TOKEN) works, an empty setting counts as unset, and a refused setting is named
with what is wrong but never echoed: no token, password or secret reaches the terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.settings import Settings, settings_problems

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:AAH-first-start-token"


def first_start_env(folder: Path) -> Path:
    """`cp config.example.env .env`, then the token typed in: exactly what the README says."""
    lines = (ROOT / "config.example.env").read_text(encoding="utf-8").splitlines()
    lines = [f"BOT__TOKEN={TOKEN}" if line.startswith("BOT__TOKEN=") else line for line in lines]
    env_file = folder / ".env"
    env_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return env_file


def test_the_example_with_only_the_token_set_is_accepted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in list(os.environ):
        if "__" in name or name in ("TIMEZONE", "LOG_LEVEL", "LOG_FORMAT"):
            monkeypatch.delenv(name)
    settings = Settings(_env_file=first_start_env(tmp_path))
    assert settings.bot.token is not None and settings.bot.token.get_secret_value() == TOKEN
    # Every empty line of the example means «not set», whatever its type.
    assert settings.webhook.secret is None and settings.webhook.url is None
    assert settings.max.token is None and settings.max.webhook_secret is None
    assert settings.email.password is None and settings.email.host is None
    assert settings.redis.url is None and settings.bot.username is None


# Each secret setting, with a value that is refused by a setting of the same section (so the
# section's whole input is in the error) or by its own rule.
SECRETS = [
    ("BOT__TOKEN", "111:bot-token-secret", {"BOT__POLLING_TIMEOUT": "many"}),
    ("MAX__TOKEN", "max-token-secret", {"MAX__PER_SECOND": "fast"}),
    ("MAX__WEBHOOK_SECRET", "max-webhook-secret", {"MAX__POLLING_TIMEOUT": "0"}),
    ("WEBHOOK__SECRET", "not allowed: tg-webhook-secret", {}),
    ("EMAIL__PASSWORD", "smtp-password-secret", {"EMAIL__PORT": "smtp"}),
    ("EMAIL__PASSWORD", "smtp-password-secret", {"EMAIL__DAILY_TIME": "9"}),
    ("REDIS__URL", "redis://:redis-password-secret@127.0.0.1/0", {"REDIS__STATE_DAYS": "0"}),
    ("DB__URL", "postgresql+asyncpg://u:db-password-secret@h/db", {"TIMEZONE": "Mars/Base"}),
]


@pytest.mark.parametrize(("name", "secret", "others"), SECRETS)
def test_a_refused_setting_never_echoes_a_secret(
    name: str, secret: str, others: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(name, secret)
    for other, value in others.items():
        monkeypatch.setenv(other, value)
    with pytest.raises(ValidationError) as refused:
        Settings(_env_file=None)
    told = settings_problems(refused.value)
    assert "secret" not in told.replace("WEBHOOK__SECRET", "").replace("WEBHOOK_SECRET", "")
    assert (next(iter(others), name)) in told  # the setting to fix is named


@pytest.mark.process
def test_the_documented_first_start_runs_commands(tmp_path: Path) -> None:
    first_start_env(tmp_path)
    env = {k: v for k, v in os.environ.items() if "__" not in k}
    for command in (["db", "upgrade"], ["deadlines", "--period", "2026-2030"]):
        done = subprocess.run(
            [sys.executable, "-m", "bot", *command],
            input="ежегодно до 1 ноября\n",
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
    assert (tmp_path / "data" / "roadmap.sqlite3").exists()


@pytest.mark.process
def test_a_refused_secret_is_not_printed(tmp_path: Path) -> None:
    first_start_env(tmp_path)
    env = {k: v for k, v in os.environ.items() if "__" not in k}
    env["WEBHOOK__SECRET"] = "wrong secret value!"
    done = subprocess.run(
        [sys.executable, "-m", "bot", "db", "upgrade"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "WEBHOOK__SECRET" in done.stderr
    assert "wrong secret value" not in done.stderr and TOKEN not in done.stderr
