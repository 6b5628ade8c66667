"""A log line written while the real dispatcher handles an update names that update."""

from __future__ import annotations

import json
import logging

from bot.logs import JsonFormatter
from standin import Fault
from tests.conftest import RunningBot


class JsonLines(logging.Handler):
    """Formats at emit time, as a real handler does: the update in hand is read then."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(JsonFormatter())
        self.lines: list[dict[str, object]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.format(record)))


async def test_a_retry_inside_a_reply_is_logged_with_the_update_id(running_bot: RunningBot) -> None:
    head = await running_bot.joined("Мария")
    running_bot.world.faults.inject(Fault.server_error(), method="sendMessage", chat_id=head.id)
    collected = JsonLines()
    retries = logging.getLogger("messengers.retry")
    retries.addHandler(collected)
    level = retries.level
    retries.setLevel(logging.INFO)  # the retry is logged at INFO
    try:
        await head.send("/help")
        update_id = head.last_update_id
        assert "Команды" in (await head.next_message())["text"]
    finally:
        retries.setLevel(level)
        retries.removeHandler(collected)

    (retry,) = [line for line in collected.lines if "SendMessage failed" in str(line["message"])]
    assert update_id is not None and retry["update_id"] == update_id
