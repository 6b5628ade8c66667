"""The languages the bot speaks and how a person's language is chosen."""

from __future__ import annotations

SUPPORTED_LOCALES: tuple[str, ...] = ("ru", "en")


def pick_locale(chosen: str | None, telegram_language: str | None, default: str) -> str:
    """A person's explicit choice wins, then their Telegram app language, then the default."""
    if chosen in SUPPORTED_LOCALES:
        return chosen
    if telegram_language:
        base = telegram_language.split("-")[0].lower()
        if base in SUPPORTED_LOCALES:
            return base
    return default
