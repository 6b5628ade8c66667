"""Text cut to fit a button or a line: at a word boundary, with «…» so the cut is visible."""

from __future__ import annotations

ELLIPSIS = "…"


def shorten(text: str, limit: int) -> str:
    """``text`` on one line, at most ``limit`` characters; cut after the last whole word."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    room = flat[: limit - len(ELLIPSIS)]
    cut = room.rfind(" ")
    if cut > limit // 2:  # a very long word: cut inside it rather than lose half the label
        room = room[:cut]
    return room.rstrip(" ,.;:—-–(") + ELLIPSIS
