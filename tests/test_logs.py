"""JSON log lines: the replica, the update in hand, the ids passed in ``extra``."""

from __future__ import annotations

import json
import logging

from bot.logs import REPLICA, JsonFormatter, current_update_id


def record(message: str, **extra: object) -> logging.LogRecord:
    entry = logging.LogRecord("scheduler.outbox", logging.WARNING, __file__, 1, message, (), None)
    for key, value in extra.items():
        setattr(entry, key, value)
    return entry


def test_a_line_names_the_replica_the_update_and_the_ids() -> None:
    token = current_update_id.set(4711)
    try:
        line = JsonFormatter().format(
            record("not delivered", event="reminder_retry_later", reminder_id=5, occurrence_id=9)
        )
    finally:
        current_update_id.reset(token)
    entry = json.loads(line)
    assert entry["replica"] == REPLICA and entry["update_id"] == 4711
    assert (entry["event"], entry["reminder_id"], entry["occurrence_id"]) == (
        "reminder_retry_later",
        5,
        9,
    )
    assert entry["level"] == "WARNING" and entry["message"] == "not delivered"


def test_fields_outside_the_list_are_not_written() -> None:
    """Only ids and codes go out: a stray ``extra`` with someone's words stays out of the log."""
    entry = json.loads(JsonFormatter().format(record("saved", text="Иванова Мария Петровна")))
    assert "text" not in entry and "Иванова" not in json.dumps(entry, ensure_ascii=False)
    assert "update_id" not in entry  # outside an update
