"""The languages the bot speaks and how a person's language is chosen."""

from __future__ import annotations

SUPPORTED_LOCALES: tuple[str, ...] = ("ru", "en")


def pick_locale(chosen: str | None, default: str) -> str:
    """A person's explicit choice (``/lang``) wins, else the default (Russian).

    The messenger app's own language is not asked: a head whose phone happens to be set to
    English still works in a Russian department and expects the bot in Russian."""
    if chosen in SUPPORTED_LOCALES:
        return chosen
    return default
