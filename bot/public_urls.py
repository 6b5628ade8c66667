"""Pages of the bot's own HTTP server as the world reaches them: calendar subscriptions and
unsubscribe links share the webhook's origin."""

from __future__ import annotations

from urllib.parse import urlsplit

from bot.settings import Settings

# Where unsubscribe links point (the same origin as the webhook and calendar subscriptions).
EMAIL_PATH = "/email/unsubscribe"
CALENDAR_PATH = "/calendar"


def public_url(settings: Settings, path: str) -> str | None:
    """A page of the bot's own HTTP server as the world reaches it: the webhook's public
    origin (long polling has no server to ask: the caller passes ``None`` then)."""
    origin = settings.webhook.url or settings.max.webhook_url
    if not origin:
        return None
    parts = urlsplit(origin)
    return f"{parts.scheme}://{parts.netloc}{path}"


def calendar_url(settings: Settings) -> str | None:
    """Where calendar apps fetch subscriptions."""
    return public_url(settings, CALENDAR_PATH)
