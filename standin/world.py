"""Everything the stand-in remembers: the bot, its users and chats, updates, files, menus."""

from __future__ import annotations

import asyncio
import itertools
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from standin.faults import FaultPlan
from standin.limits import RateLimits

Json = dict[str, Any]


@dataclass
class UserRecord:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "ru"
    started: bool = False  # pressed Start at least once; only then may the bot write first
    blocked: bool = False
    deactivated: bool = False

    def as_json(self) -> Json:
        data: Json = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        return data

    def chat_json(self) -> Json:
        chat: Json = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name:
            chat["last_name"] = self.last_name
        if self.username:
            chat["username"] = self.username
        return chat


@dataclass
class FileRecord:
    file_id: str
    file_unique_id: str
    content: bytes
    file_name: str | None
    mime_type: str | None

    @property
    def path(self) -> str:
        return f"documents/{self.file_unique_id}"


@dataclass
class JournalEntry:
    """One line of what happened, for transcripts and assertions."""

    kind: str  # user_text, user_file, press, bot_text, bot_file, edit, alert, commands, error
    chat_id: int | None
    text: str
    extra: Json = field(default_factory=dict)


@dataclass
class WebhookTarget:
    """What setWebhook registered: where updates go, with which secret header."""

    url: str
    secret_token: str | None = None
    max_connections: int = 40
    last_error_message: str | None = None
    last_error_date: int | None = None


@dataclass
class Happenings:
    """What any messenger's stand-in shares: the journal, call counts, faults and limits, and
    a condition that wakes whoever waits for something to happen."""

    limits: RateLimits = field(default_factory=lambda: RateLimits(enabled=False))
    faults: FaultPlan = field(default_factory=FaultPlan)
    journal: list[JournalEntry] = field(default_factory=list)
    listeners: list[Callable[[JournalEntry], None]] = field(default_factory=list)
    calls: dict[str, int] = field(default_factory=dict)
    _changed: asyncio.Condition | None = None

    @property
    def changed(self) -> asyncio.Condition:
        if self._changed is None:
            self._changed = asyncio.Condition()
        return self._changed

    async def notify(self) -> None:
        async with self.changed:
            self.changed.notify_all()

    async def wait_until(self, predicate: Callable[[], Any], timeout: float) -> Any:
        async with self.changed:
            return await asyncio.wait_for(self.changed.wait_for(predicate), timeout)

    def record(self, entry: JournalEntry) -> None:
        self.journal.append(entry)
        for listener in self.listeners:
            listener(entry)


@dataclass
class World(Happenings):
    token: str = "123456:STANDIN-TOKEN"
    bot_username: str = "roadmap_standin_bot"
    bot_first_name: str = "Дорожная карта"
    users: dict[int, UserRecord] = field(default_factory=dict)
    messages: dict[int, list[Json]] = field(default_factory=dict)  # chat -> messages in order
    files: dict[str, FileRecord] = field(default_factory=dict)
    commands: dict[tuple[str, str], list[Json]] = field(default_factory=dict)
    callback_answers: dict[str, Json] = field(default_factory=dict)
    webhook: WebhookTarget | None = None
    delivered_by_webhook: list[int] = field(default_factory=list)  # update ids answered 2xx
    _updates: list[Json] = field(default_factory=list)
    _update_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _message_ids: dict[int, itertools.count[int]] = field(default_factory=dict)
    _user_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(100_001))

    @property
    def bot_id(self) -> int:
        return int(self.token.split(":")[0])

    def bot_json(self) -> Json:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    # --- users, messages, updates --------------------------------------------------------

    def add_user(self, first_name: str, **fields: Any) -> UserRecord:
        user = UserRecord(id=next(self._user_ids), first_name=first_name, **fields)
        self.users[user.id] = user
        self.messages[user.id] = []
        return user

    def next_message_id(self, chat_id: int) -> int:
        counter = self._message_ids.setdefault(chat_id, itertools.count(1))
        return next(counter)

    def store_message(self, chat_id: int, message: Json) -> Json:
        self.messages.setdefault(chat_id, []).append(message)
        return message

    def find_message(self, chat_id: int, message_id: int) -> Json | None:
        for message in self.messages.get(chat_id, []):
            if message["message_id"] == message_id:
                return message
        return None

    def new_message(self, chat_id: int, sender: Json, **content: Any) -> Json:
        user = self.users[chat_id]
        message: Json = {
            "message_id": self.next_message_id(chat_id),
            "date": int(time.time()),
            "chat": user.chat_json(),
            "from": sender,
            **content,
        }
        return self.store_message(chat_id, message)

    def push_update(self, **payload: Json) -> int:
        """Queue an update for the bot; returns its update_id."""
        update_id = next(self._update_ids)
        self._updates.append({"update_id": update_id, **payload})
        return update_id

    def take_updates(self, offset: int | None, limit: int) -> list[Json]:
        if offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        return self._updates[:limit]

    def has_updates(self) -> bool:
        return bool(self._updates)

    def pending_updates(self) -> list[Json]:
        return list(self._updates)

    def acknowledge(self, update_id: int) -> None:
        """A webhook answered 2xx: the update is delivered and never sent again."""
        self._updates = [u for u in self._updates if u["update_id"] != update_id]
        self.delivered_by_webhook.append(update_id)

    def drop_pending_updates(self) -> None:
        self._updates = []

    def add_file(self, content: bytes, file_name: str | None, mime_type: str | None) -> FileRecord:
        unique = secrets.token_hex(8)
        record = FileRecord(
            f"BQAC{secrets.token_urlsafe(24)}", unique, content, file_name, mime_type
        )
        self.files[record.file_id] = record
        return record

    def file_by_path(self, path: str) -> FileRecord | None:
        return next((f for f in self.files.values() if f.path == path), None)

    def bot_messages(self, chat_id: int) -> list[Json]:
        return [m for m in self.messages.get(chat_id, []) if m["from"]["id"] == self.bot_id]
