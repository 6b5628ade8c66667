"""People on the other side of the chat: they type, press buttons and upload files."""

from __future__ import annotations

import contextlib
import itertools
import secrets
from dataclasses import dataclass, field
from typing import Any

from standin.reading import WAIT, ChatReader
from standin.world import JournalEntry, Json, UserRecord, World

_callback_ids = itertools.count(1)


@dataclass
class SimulatedUser(ChatReader):
    world: World
    record: UserRecord
    label: str = ""
    _seen: int = field(default=0, init=False)  # how many bot messages this user has read
    last_update_id: int | None = field(default=None, init=False)  # of what they last did

    @classmethod
    def join(
        cls, world: World, first_name: str, *, label: str = "", **fields: Any
    ) -> SimulatedUser:
        return cls(world, world.add_user(first_name, **fields), label or first_name)

    @property
    def id(self) -> int:
        return self.record.id

    # --- acting ----------------------------------------------------------------------------

    async def send(self, text: str) -> Json:
        """Type ``text``. Writing to a bot at all means its chat was started (and unblocked)."""
        self.record.started = True
        self.record.blocked = False
        content: Json = {"text": text}
        if text.startswith("/"):
            command = text.split()[0]
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        message = self.world.new_message(self.id, self.record.as_json(), **content)
        self.world.record(JournalEntry("user_text", self.id, text, {"user": self.label}))
        self.last_update_id = self.world.push_update(message=message)
        await self.world.notify()
        return message

    async def upload(self, content: bytes, file_name: str, mime_type: str | None = None) -> Json:
        self.record.started = True
        record = self.world.add_file(content, file_name, mime_type)
        document = {
            "file_id": record.file_id,
            "file_unique_id": record.file_unique_id,
            "file_name": file_name,
            "file_size": len(content),
        }
        if mime_type:
            document["mime_type"] = mime_type
        message = self.world.new_message(self.id, self.record.as_json(), document=document)
        self.world.record(
            JournalEntry(
                "user_file", self.id, file_name, {"user": self.label, "size": len(content)}
            )
        )
        self.world.push_update(message=message)
        await self.world.notify()
        return message

    async def upload_document(self, document: Json) -> Json:
        """Send a document as Telegram describes it (its size included), without new content."""
        self.record.started = True
        message = self.world.new_message(self.id, self.record.as_json(), document=document)
        self.world.record(
            JournalEntry("user_file", self.id, str(document.get("file_name")), {"user": self.label})
        )
        self.world.push_update(message=message)
        await self.world.notify()
        return message

    async def press(self, button_text: str, *, timeout: float = WAIT) -> Json:
        """Press the newest inline button with this text; wait for the bot's answer to it."""
        await self._wait_for_button(button_text, timeout)
        message, data = self._find_button(button_text)
        return await self.press_data(data, message=message, label=button_text, timeout=timeout)

    async def press_data(
        self, data: str, *, message: Json | None = None, label: str = "", timeout: float = WAIT
    ) -> Json:
        """Send a callback with arbitrary ``data`` (forged or outdated buttons included)."""
        if message is None:
            bot_messages = self.world.bot_messages(self.id)
            if not bot_messages:
                raise AssertionError(f"{self.label} has no bot message to press a button on")
            message = bot_messages[-1]
        query_id = f"{next(_callback_ids)}{secrets.randbelow(10**6)}"
        answer: Json = {"answered": False, "chat_id": self.id}
        self.world.callback_answers[query_id] = answer
        self.world.record(JournalEntry("press", self.id, label or data, {"user": self.label}))
        self.world.push_update(
            callback_query={
                "id": query_id,
                "from": self.record.as_json(),
                "message": message,
                "chat_instance": str(self.id),
                "data": data,
            }
        )
        await self.world.notify()
        await self.world.wait_until(lambda: answer["answered"], timeout)
        return answer

    def block(self) -> None:
        self.record.blocked = True

    # --- reading -----------------------------------------------------------------------------

    def _bot_messages(self) -> list[Json]:
        return self.world.bot_messages(self.id)

    async def ask_upload(self, content: bytes, file_name: str, timeout: float = WAIT) -> Json:
        self.skip_unread()
        await self.upload(content, file_name)
        return await self.next_message(timeout)

    def menu(self) -> list[str]:
        """The command menu this user sees: their chat's, else the default for their language."""
        keys = [
            (f"chat:{self.id}", ""),
            ("default", self.record.language_code or ""),
            ("default", ""),
        ]
        for key in keys:
            if key in self.world.commands:
                return ["/" + c["command"] for c in self.world.commands[key]]
        return []

    async def wait_menu(self, expected: list[str], timeout: float = WAIT) -> list[str]:
        """Wait until this user's command menu is ``expected`` (menus are set after replies)."""
        with contextlib.suppress(TimeoutError):
            await self.world.wait_until(lambda: self.menu() == expected, timeout)
        return self.menu()

    def _find_button(self, text: str) -> tuple[Json, str]:
        for message in reversed(self.inbox()):
            for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
                for button in row:
                    if button.get("text") == text and "callback_data" in button:
                        return message, str(button["callback_data"])
        raise AssertionError(f"no button {text!r} in {self.label}'s chat")


def button_texts(message: Json) -> list[str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [button["text"] for row in rows for button in row]
