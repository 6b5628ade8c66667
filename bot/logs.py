"""Logging set-up: text for a terminal, or one JSON object per line for a log collector.

JSON lines carry the replica, the update being handled and the ids a log call passes in
``extra`` (reminder, occurrence, person, job). Log calls pass ids and error codes, never what
people wrote or their names, so the logs hold no personal text. Tracebacks, in both formats,
show where an error happened and its kind, never its text: a database error quotes the row it
refused (PostgreSQL's «Key (phone)=(…)»), a handler's error may quote the message.

Standard library only: the CLI sets logging up before it imports aiogram or SQLAlchemy.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import traceback
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, Literal, TextIO

# host:pid names a replica in logs, in /healthz and in job_runs.claimed_by.
REPLICA = f"{socket.gethostname()}:{os.getpid()}"

# Set by bot.update_log_context's middleware while an update is handled.
current_update_id: ContextVar[int | None] = ContextVar("current_update_id", default=None)

ID_FIELDS = ("event", "reminder_id", "occurrence_id", "person_id", "job", "error", "counters")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def private_traceback(error: BaseException) -> str:
    """The traceback of ``error`` and of what caused it: frames and exception types, without
    the exceptions' texts."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = "".join(traceback.format_list(traceback.extract_tb(current.__traceback__)))
        kind = type(current)
        parts.append(
            f"Traceback (most recent call last):\n{frames}{kind.__module__}.{kind.__qualname__}"
            " (its text is not logged)"
        )
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    return "\n\nThe above was raised while handling:\n".join(parts)


class PrivateTracebacks(logging.Formatter):
    """A formatter whose tracebacks leave out what exceptions say (``private_traceback``)."""

    def format(self, record: logging.LogRecord) -> str:
        # logging keeps the first handler's traceback text on the record (``exc_text``) and
        # later handlers reuse it: another handler's full text must not be written here.
        cached = record.exc_text
        record.exc_text = None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached

    def formatException(self, ei: Any) -> str:  # noqa: N802 - logging's name
        error = ei[1] if isinstance(ei, tuple) else None
        if not isinstance(error, BaseException):
            return super().formatException(ei)
        return private_traceback(error)


class JsonFormatter(PrivateTracebacks):
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


def configure_logging(
    level: str, style: Literal["text", "json"], stream: TextIO | None = None
) -> None:
    """Every log line to ``stream`` (standard error by default)."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter() if style == "json" else PrivateTracebacks(TEXT_FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
