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


def split_text(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """One long text (a typed section of a report, a few pages) as messages of ``limit``
    characters at most, nothing left out: each part ends at its last line break, so that a
    paragraph is never cut when it fits a message; a longer paragraph at its last space, a
    word longer than a message at the limit."""
    parts: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = rest.rfind("\n", 1, limit + 1)
        if cut < 0:
            cut = rest.rfind(" ", 1, limit + 1)
        if cut < 0:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts
