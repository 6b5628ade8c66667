"""Cutting a long text into Telegram messages without splitting an entry in two."""

from __future__ import annotations

TELEGRAM_LIMIT = 4096


def split_into_messages(entries: list[str], limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Join ``entries`` with newlines into as few messages as fit ``limit`` characters each.
    An entry never straddles two messages; one longer than ``limit`` alone is shortened."""
    messages: list[str] = []
    current = ""
    for entry in entries:
        if len(entry) > limit:
            entry = entry[: limit - 1] + "…"
        candidate = f"{current}\n{entry}" if current else entry
        if len(candidate) <= limit:
            current = candidate
            continue
        messages.append(current)
        current = entry
    if current:
        messages.append(current)
    return messages
