"""`roadmap-bot run` and `invite` with MAX: which token is wrong, both links printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from standin.max import MaxStandIn
from tests.e2e.harness import base_env, max_env, run_cli
from tests.e2e.preloaded import Preloaded

pytestmark = pytest.mark.process  # each test starts roadmap-bot


async def test_a_token_max_does_not_know_is_explained(
    max_standin: MaxStandIn, tmp_path: Path, preloaded: Preloaded
) -> None:
    env = {
        **base_env(f"sqlite+aiosqlite:///{tmp_path / 'm.sqlite3'}"),
        **max_env(max_standin),
        "MAX__TOKEN": "not-the-token",
    }
    code, _out, err = await run_cli("run", env=env, cwd=tmp_path, preloaded=preloaded)
    assert code == 2 and "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("roadmap-bot: MAX did not accept MAX__TOKEN")


async def test_invite_prints_the_max_link_when_only_max_is_configured(
    max_standin: MaxStandIn, tmp_path: Path, preloaded: Preloaded
) -> None:
    env = {**base_env(f"sqlite+aiosqlite:///{tmp_path / 'm.sqlite3'}"), **max_env(max_standin)}
    upgraded = await run_cli("db", "upgrade", env=env, cwd=tmp_path, preloaded=preloaded)
    assert upgraded[0] == 0  # the install's step
    code, out, err = await run_cli(
        "invite", "--name", "Иванова Мария Петровна", "--role", "responsible",
        env=env, cwd=tmp_path, preloaded=preloaded,
    )  # fmt: skip
    assert code == 0, err
    assert out.strip().startswith("https://max.ru/roadmap_max_bot?start=")  # asked of GET /me
    assert "t.me" not in out
