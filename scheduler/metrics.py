"""Counters of what the reminder outbox did, in Prometheus' format (served at /metrics).

Each process counts its own sends; a monitoring system sums them over replicas.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter


class ReminderCounters:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        # A registry per application, not the global one: tests run several in one process.
        self.registry = registry or CollectorRegistry()
        self.sent = Counter(
            "roadmap_reminders_sent", "Reminders Telegram accepted.", registry=self.registry
        )
        self.failed = Counter(
            "roadmap_reminders_failed",
            "Reminder sends that ended undelivered (tried again later, or refused by Telegram).",
            registry=self.registry,
        )
        self.retried = Counter(
            "roadmap_reminders_retried",
            "Sends repeated after a 429, a 5xx or a network error.",
            registry=self.registry,
        )
        self.unreachable = Counter(
            "roadmap_users_unreachable",
            "People found unreachable: blocked the bot, deleted their account, chat not found.",
            registry=self.registry,
        )

    def snapshot(self) -> dict[str, int]:
        """The totals so far, for logs and tests."""
        names = {
            "sent": "roadmap_reminders_sent_total",
            "failed": "roadmap_reminders_failed_total",
            "retried": "roadmap_reminders_retried_total",
            "unreachable": "roadmap_users_unreachable_total",
        }
        return {key: int(self.registry.get_sample_value(name) or 0) for key, name in names.items()}
