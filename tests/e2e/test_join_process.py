"""The real bot process, started as a user would, joined by invitation over HTTP."""

from __future__ import annotations

from pathlib import Path

from standin import SimulatedUser, StandInServer
from tests.e2e.harness import BotProcess, bot_env, run_cli
from tests.e2e.preloaded import Preloaded
from tests.support import COORDINATOR_MENU


async def test_real_process_join_by_invitation(standin: StandInServer, tmp_path: Path) -> None:
    env = bot_env(standin, f"sqlite+aiosqlite:///{tmp_path / 'e2e.sqlite3'}")
    code, link, err = await run_cli(
        "invite",
        "--name",
        "Антипина Анна Михайловна",
        "--role",
        "coordinator",
        env=env,
        cwd=tmp_path,
    )
    assert code == 0, err
    # Without BOT__USERNAME the CLI asked the (stand-in) Bot API for the bot's name.
    assert link.startswith(f"https://t.me/{standin.world.bot_username}?start=")

    bot = BotProcess(env, tmp_path, tmp_path / "bot.log")
    await bot.start(standin)
    try:
        anna = SimulatedUser.join(standin.world, "Анна")
        reply = await anna.ask("/start " + link.strip().split("start=", 1)[1], timeout=30)
        assert "Здравствуйте, Анна Михайловна! Вы подключились" in reply["text"]
        assert await anna.wait_menu(COORDINATOR_MENU) == COORDINATOR_MENU
        stranger = SimulatedUser.join(standin.world, "Гость")
        assert "ссылке-приглашению" in (await stranger.ask("Привет", timeout=30))["text"]
    finally:
        await standin.api.wake_pollers()
        exit_code = await bot.stop()
    assert exit_code == 0, bot.log_text()


async def test_restarted_process_keeps_people(
    standin: StandInServer, tmp_path: Path, preloaded: Preloaded
) -> None:
    env = bot_env(standin, f"sqlite+aiosqlite:///{tmp_path / 'e2e.sqlite3'}")
    _code, link, _err = await run_cli(
        "invite", "--name", "Иванова Мария", "--role", "responsible",
        env=env, cwd=tmp_path, preloaded=preloaded,
    )  # fmt: skip
    bot = BotProcess(env, tmp_path, tmp_path / "bot.log", preloaded)
    await bot.start(standin)
    maria = SimulatedUser.join(standin.world, "Мария")
    await maria.ask("/start " + link.strip().split("start=", 1)[1], timeout=30)
    await standin.api.wake_pollers()
    assert await bot.stop() == 0

    await bot.start(standin)
    try:
        reply = await maria.ask("/help", timeout=30)
        assert "ответственный исполнитель" in reply["text"]
    finally:
        await standin.api.wake_pollers()
        await bot.stop()
