"""Logging set-up: text for a terminal, or one JSON object per line for a log collector.

JSON lines carry the replica, the update being handled and the ids a log call passes in
``extra`` (reminder, occurrence, person, job). Log calls pass ids and error codes, never what
people wrote or their names, so the logs hold no personal text.

Standard library only: the CLI sets logging up before it imports aiogram or SQLAlchemy.
"""

from __future__ import annotations

import json
import logging
import os
import socket
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, Literal

# host:pid names a replica in logs, in /healthz and in job_runs.claimed_by.
REPLICA = f"{socket.gethostname()}:{os.getpid()}"

# Set by bot.update_log_context's middleware while an update is handled.
current_update_id: ContextVar[int | None] = ContextVar("current_update_id", default=None)

ID_FIELDS = ("event", "reminder_id", "occurrence_id", "person_id", "job", "error", "counters")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "replica": REPLICA,
        }
        update_id = current_update_id.get()
        if update_id is not None:
            entry["update_id"] = update_id
        for name in ID_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(level: str, style: Literal["text", "json"]) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if style == "json" else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
