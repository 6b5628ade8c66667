"""The reminder policy: sensible defaults, overridable per roadmap and per measure."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

DEFAULT_BEFORE_DAYS = (14, 7, 3, 1, 0)


@dataclass(frozen=True, slots=True)
class ReminderPolicy:
    before_days: tuple[int, ...] = DEFAULT_BEFORE_DAYS  # 0 is the due day itself
    hour: int = 10  # local time of the roadmap's timezone
    minute: int = 0
    overdue_every: int = 3  # working days between overdue reminders
    overdue_max: int = 5

    def overridden(self, overrides: dict[str, Any] | None) -> ReminderPolicy:
        """Apply a roadmap's or a measure's overrides; unknown or invalid keys are ignored."""
        if not overrides:
            return self
        changes: dict[str, Any] = {}
        before = overrides.get("before_days")
        if isinstance(before, list) and all(isinstance(d, int) and 0 <= d <= 365 for d in before):
            changes["before_days"] = tuple(sorted(set(before), reverse=True))
        for key, low, high in (
            ("hour", 0, 23),
            ("minute", 0, 59),
            ("overdue_every", 1, 60),
            ("overdue_max", 0, 50),
        ):
            value = overrides.get(key)
            if isinstance(value, int) and low <= value <= high:
                changes[key] = value
        return replace(self, **changes)
