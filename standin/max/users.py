"""People in MAX: they open the bot's link, type, press buttons and send files.

Their acts become MAX's own updates (``bot_started``, ``message_created``,
``message_callback``). What they read is offered in the shape Telegram's simulated users give
(``text``, ``reply_markup.inline_keyboard``, ``document``), so one test can drive a head in
either messenger; ``raw`` keeps the MAX message itself.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from standin.max.world import MaxUserRecord, MaxWorld, now_ms
from standin.reading import ChatReader
from standin.world import JournalEntry, Json


def as_seen(message: Json) -> Json:
    """A MAX message in the shape the tests read Telegram's in."""
    body = message["body"]
    seen: Json = {"text": body.get("text") or "", "raw": message, "mid": body["mid"]}
    for attachment in body.get("attachments") or []:
        if attachment["type"] == "inline_keyboard":
            seen["reply_markup"] = {
                "inline_keyboard": [
                    [
                        {"text": b["text"], "callback_data": b["payload"]}
                        if b.get("type") == "callback"
                        else {"text": b["text"], "url": b.get("url")}
                        for b in row
                    ]
                    for row in attachment["payload"]["buttons"]
                ]
            }
        elif attachment["type"] in ("file", "image"):
            key = "document" if attachment["type"] == "file" else "photo"
            seen[key] = {
                "file_name": attachment.get("filename"),
                "token": attachment["payload"]["token"],
                "url": attachment["payload"]["url"],
            }
            if seen["text"]:
                seen["caption"] = seen["text"]
    return seen


@dataclass
class MaxUser(ChatReader):
    world: MaxWorld
    record: MaxUserRecord
    label: str = ""
    _seen: int = field(default=0, init=False)

    @classmethod
    def join(cls, world: MaxWorld, first_name: str, *, label: str = "", **fields: Any) -> MaxUser:
        return cls(world, world.add_user(first_name, **fields), label or first_name)

    @property
    def id(self) -> int:
        return self.record.user_id

    # --- acting -----------------------------------------------------------------------------

    async def open_link(self, payload: str) -> None:
        """Open ``https://max.ru/<bot>?start=<payload>``: MAX sends ``bot_started``."""
        self.record.started = True
        self.record.blocked = False
        self.world.record(
            JournalEntry("user_text", self.id, f"start {payload}", {"user": self.label})
        )
        self.world.push_update(
            {
                "update_type": "bot_started",
                "timestamp": now_ms(),
                "chat_id": self.record.chat_id,
                "user": self.record.as_json(),
                "payload": payload,
                "user_locale": self.record.locale,
            }
        )
        await self.world.notify()

    async def send(self, text: str) -> Json:
        """Type ``text``. A ``/start <payload>`` is what opening the link does."""
        if text.startswith("/start "):
            await self.open_link(text.split(maxsplit=1)[1])
            return {}
        self.record.started = True
        self.record.blocked = False
        message = self.world.new_message(self.record, from_bot=False, body={"text": text})
        self.world.record(JournalEntry("user_text", self.id, text, {"user": self.label}))
        self._push_created(message)
        await self.world.notify()
        return message

    async def upload(
        self,
        content: bytes,
        file_name: str,
        kind: str = "file",
        *,
        declared_size: int | None = None,
        unanswered: bool = False,
    ) -> Json:
        """Send a file (``kind="image"`` for a photo); MAX gives the bot its URL. A file may
        claim another size than it has, and its URL may never answer."""
        self.record.started = True
        record = self.world.add_file(content, file_name, kind)
        if unanswered:
            self.world.unavailable_files.add(record.token)
        payload: Json = {"url": self.world.file_url(record), "token": record.token}
        attachment: Json = {"type": kind, "payload": payload}
        if kind == "file":
            size = len(content) if declared_size is None else declared_size
            attachment.update(filename=file_name, size=size)
        else:
            payload["photo_id"] = len(self.world.files)
        message = self.world.new_message(
            self.record, from_bot=False, body={"text": "", "attachments": [attachment]}
        )
        self.world.record(
            JournalEntry(
                "user_file", self.id, file_name, {"user": self.label, "size": len(content)}
            )
        )
        self._push_created(message)
        await self.world.notify()
        return message

    async def press(self, button_text: str, *, timeout: float = 10.0) -> Json:
        await self._wait_for_button(button_text, timeout)
        message, payload = self._find_button(button_text)
        return await self.press_data(payload, message=message, label=button_text, timeout=timeout)

    async def press_data(
        self, payload: str, *, message: Json | None = None, label: str = "", timeout: float = 10.0
    ) -> Json:
        """A button press with any payload (forged or outdated ones included)."""
        if message is None:
            messages = self.world.bot_messages(self.id)
            if not messages:
                raise AssertionError(f"{self.label} has no bot message to press a button on")
            message = messages[-1]
        callback_id = secrets.token_urlsafe(24)
        answer: Json = {
            "answered": False,
            "handled": False,
            "user_id": self.id,
            "mid": message["body"]["mid"],
        }
        self.world.callback_answers[callback_id] = answer
        self.world.record(JournalEntry("press", self.id, label or payload, {"user": self.label}))
        self.world.push_update(
            {
                "update_type": "message_callback",
                "timestamp": now_ms(),
                "callback": {
                    "timestamp": now_ms(),
                    "callback_id": callback_id,
                    "payload": payload,
                    "user": self.record.as_json(),
                },
                "message": message,
                "user_locale": self.record.locale,
            }
        )
        await self.world.notify()
        await self.world.wait_until(lambda: answer["answered"] or answer["handled"], timeout)
        return answer

    def block(self) -> None:
        self.record.blocked = True

    def _push_created(self, message: Json) -> None:
        self.world.push_update(
            {
                "update_type": "message_created",
                "timestamp": now_ms(),
                "message": message,
                "user_locale": self.record.locale,
            }
        )

    # --- reading ----------------------------------------------------------------------------

    def _bot_messages(self) -> list[Json]:
        return self.world.bot_messages(self.id)

    def _view(self, message: Json) -> Json:
        return as_seen(message)

    async def ask_upload(
        self, content: bytes, file_name: str, timeout: float = 10.0, **options: Any
    ) -> Json:
        """Send a file (``upload``'s options) and wait for the bot's answer to it."""
        self.skip_unread()
        await self.upload(content, file_name, **options)
        return await self.next_message(timeout)

    def file_content(self, message: Json) -> bytes:
        """The bytes of a file the bot sent (a ``document`` or ``photo`` of ``as_seen``)."""
        attached = message.get("document") or message.get("photo")
        assert attached is not None, "no file in this message"
        return self.world.files[attached["token"]].content

    def _find_button(self, text: str) -> tuple[Json, str]:
        for message in reversed(self.world.bot_messages(self.id)):
            for row in as_seen(message).get("reply_markup", {}).get("inline_keyboard", []):
                for button in row:
                    if button.get("text") == text and "callback_data" in button:
                        return message, str(button["callback_data"])
        raise AssertionError(f"no button {text!r} in {self.label}'s dialog")
