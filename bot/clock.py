from __future__ import annotations

from datetime import UTC, datetime


class SystemClock:
    """The only place that reads the wall clock; everything else receives it."""

    def now(self) -> datetime:
        return datetime.now(UTC)
