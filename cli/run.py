"""``roadmap-bot run [--webhook]``: the bot itself, until SIGINT or SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.settings import Settings

MISSING_TOKEN = (
    "roadmap-bot: neither BOT__TOKEN nor MAX__TOKEN is set. For Telegram, get a bot token "
    "from @BotFather (https://t.me/BotFather) and put BOT__TOKEN=<token> into .env or the "
    "environment; for MAX, copy the token from business.max.ru (Чат-боты → Интеграция) into "
    "MAX__TOKEN. Set both to serve both messengers from one process."
)
WRONG_TOKEN = (
    "roadmap-bot: Telegram did not accept BOT__TOKEN. Copy the token from @BotFather again "
    "(/mybots, then API Token) into .env or the environment."
)
WRONG_MAX_TOKEN = (
    "roadmap-bot: MAX did not accept MAX__TOKEN. Copy the token from business.max.ru again "
    "(Чат-боты → Интеграция) into .env or the environment."
)
WRONG_EITHER_TOKEN = (
    "roadmap-bot: Telegram or MAX did not accept the bot's token. Copy BOT__TOKEN from "
    "@BotFather again (/mybots, then API Token) and MAX__TOKEN from business.max.ru "
    "(Чат-боты → Интеграция)."
)


def wrong_token(settings: Settings) -> str:
    """What to say when a messenger refused the token, naming the one(s) configured."""
    if settings.bot.enabled and settings.max.enabled:
        return WRONG_EITHER_TOKEN
    return WRONG_MAX_TOKEN if settings.max.enabled else WRONG_TOKEN


def unreachable(settings: Settings, error: str) -> str:
    """A messenger's API did not answer at start: what to check, the proxy first if one is
    set (its address is not printed: it may hold a password)."""
    through = "through the proxy set in PROXY" if settings.proxy else "directly (PROXY is not set)"
    return (
        f"roadmap-bot: the messenger's API cannot be reached {through}: {error}. Check that "
        "this server may connect to api.telegram.org and platform-api2.max.ru on port 443, or "
        "set PROXY=http://host:port to the proxy your network uses; `roadmap-bot doctor` checks "
        "each connection in turn."
    )


def run(settings: Settings, args: argparse.Namespace) -> int:
    if not (settings.bot.enabled or settings.max.enabled):
        print(MISSING_TOKEN, file=sys.stderr)
        return 2
    if settings.email.enabled and (problem := settings.email.problem()):
        print(f"roadmap-bot run: {problem}", file=sys.stderr)
        return 2
    # aiogram takes seconds to import; only the commands that talk to a messenger pay for it.
    from bot.app import MessengerUnreachableError, TokenRefusedError, run_bot
    from bot.webhook import WebhookConfigError

    try:
        asyncio.run(run_bot(settings, webhook=args.webhook or settings.webhook.enabled))
    except TokenRefusedError:
        print(wrong_token(settings), file=sys.stderr)
        return 2
    except MessengerUnreachableError as error:
        print(unreachable(settings, str(error)), file=sys.stderr)
        return 2
    except WebhookConfigError as error:
        print(f"roadmap-bot run --webhook: {error}", file=sys.stderr)
        return 2
    return 0
