"""What the MAX stand-in remembers: the bot, its users and dialogs, updates, uploads, files."""

from __future__ import annotations

import itertools
import secrets
import time
from dataclasses import dataclass, field

from standin.limits import RateLimits
from standin.world import Happenings, Json, WebhookTarget

# MAX's documented limits: about 30 requests a second per bot, 2 messages a second per chat.
MAX_TEXT = 4000
MAX_PAYLOAD = 1024


def max_limits(**overrides: float | bool) -> RateLimits:
    fields: dict[str, float | bool] = {
        "global_per_second": 30.0,
        "global_burst": 30.0,
        "chat_per_second": 2.0,
        "chat_burst": 2.0,
        **overrides,
    }
    return RateLimits(**fields)  # type: ignore[arg-type]


def now_ms() -> int:
    return int(time.time() * 1000)


@dataclass
class MaxUserRecord:
    user_id: int
    chat_id: int  # a dialog's chat id differs from the user's id in MAX
    first_name: str
    last_name: str = ""
    username: str | None = None
    locale: str = "ru"
    started: bool = False
    blocked: bool = False

    def as_json(self) -> Json:
        data: Json = {
            "user_id": self.user_id,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "is_bot": False,
            "last_activity_time": now_ms(),
            "name": f"{self.first_name} {self.last_name}".strip(),
        }
        if self.username:
            data["username"] = self.username
        return data


@dataclass
class MaxFile:
    token: str
    content: bytes
    filename: str
    kind: str  # file | image
    not_ready_for: int = 0  # sends refused with attachment.not.ready before it is usable


@dataclass
class MaxWorld(Happenings):
    token: str = "max-standin-token"
    bot_user_id: int = 900_001
    bot_username: str = "roadmap_max_bot"
    bot_name: str = "Дорожная карта"
    limits: RateLimits = field(default_factory=lambda: max_limits(enabled=False))
    users: dict[int, MaxUserRecord] = field(default_factory=dict)
    dialogs: dict[int, list[Json]] = field(default_factory=dict)  # user id -> messages in order
    files: dict[str, MaxFile] = field(default_factory=dict)  # by token
    uploads: dict[str, str] = field(default_factory=dict)  # upload id -> type, until used
    commands: list[Json] = field(default_factory=list)
    callback_answers: dict[str, Json] = field(default_factory=dict)
    webhook: WebhookTarget | None = None
    not_ready_uploads: int = 0  # how many sends each new upload refuses as not ready yet
    base_url: str = ""  # set by the server: incoming files are fetched from here
    unavailable_files: set[str] = field(default_factory=set)  # tokens whose URL never answers
    _updates: list[Json] = field(default_factory=list)  # {"update_id": n, "body": update}
    _update_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _user_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(4_000_001))
    _seq: itertools.count[int] = field(default_factory=lambda: itertools.count(116_041_932_800))

    def bot_json(self) -> Json:
        return {
            "user_id": self.bot_user_id,
            "first_name": self.bot_name,
            "username": self.bot_username,
            "is_bot": True,
            "last_activity_time": now_ms(),
            "name": self.bot_name,
            "commands": self.commands,
        }

    # --- users and dialogs ------------------------------------------------------------------

    def add_user(self, first_name: str, **fields: object) -> MaxUserRecord:
        user_id = next(self._user_ids)
        # Dialog chat ids are negative and unrelated to the user's id, as in MAX.
        user = MaxUserRecord(user_id, -(70_000_000 + user_id), first_name, **fields)  # type: ignore[arg-type]
        self.users[user_id] = user
        self.dialogs[user_id] = []
        return user

    def user_of_chat(self, chat_id: int) -> MaxUserRecord | None:
        return next((u for u in self.users.values() if u.chat_id == chat_id), None)

    def new_message(self, user: MaxUserRecord, *, from_bot: bool, body: Json) -> Json:
        message: Json = {
            "sender": self.bot_json() if from_bot else user.as_json(),
            "recipient": {
                "chat_id": user.chat_id,
                "chat_type": "dialog",
                "user_id": user.user_id if from_bot else self.bot_user_id,
            },
            "timestamp": now_ms(),
            "body": {"mid": f"mid.{secrets.token_hex(16)}", "seq": next(self._seq), **body},
        }
        self.dialogs[user.user_id].append(message)
        return message

    def find_message(self, mid: str) -> tuple[MaxUserRecord, Json] | None:
        for user_id, messages in self.dialogs.items():
            for message in messages:
                if message["body"]["mid"] == mid:
                    return self.users[user_id], message
        return None

    def bot_messages(self, user_id: int) -> list[Json]:
        return [m for m in self.dialogs.get(user_id, []) if m["sender"]["is_bot"]]

    # --- files ------------------------------------------------------------------------------

    def add_file(self, content: bytes, filename: str, kind: str = "file") -> MaxFile:
        record = MaxFile(secrets.token_urlsafe(24), content, filename, kind)
        self.files[record.token] = record
        return record

    def file_url(self, record: MaxFile) -> str:
        return f"{self.base_url}/files/{record.token}"

    # --- updates ----------------------------------------------------------------------------

    def push_update(self, body: Json) -> int:
        update_id = next(self._update_ids)
        self._updates.append({"update_id": update_id, "body": body})
        return update_id

    def take_updates(self, marker: int | None, limit: int) -> tuple[list[Json], int | None]:
        """Updates from ``marker`` on, and the marker of the next call; asking with a marker
        acknowledges everything before it, as MAX does."""
        if marker is not None:
            self._updates = [u for u in self._updates if u["update_id"] >= marker]
        batch = self._updates[:limit]
        next_marker = batch[-1]["update_id"] + 1 if batch else marker
        return [u["body"] for u in batch], next_marker

    def has_updates(self) -> bool:
        return bool(self._updates)

    def pending_updates(self) -> list[Json]:
        return list(self._updates)

    def acknowledge(self, update_id: int) -> None:
        self._updates = [u for u in self._updates if u["update_id"] != update_id]


def update_body(update: Json) -> Json:
    return dict(update["body"])


def update_user(update: Json) -> int | None:
    """Whose dialog an update belongs to, for keeping each one's updates in order."""
    body = update["body"]
    for holder in (body.get("callback"), body):
        if isinstance(holder, dict) and isinstance(holder.get("user"), dict):
            return int(holder["user"]["user_id"])
    message = body.get("message")
    if isinstance(message, dict):
        return int(message["sender"]["user_id"])
    return None
