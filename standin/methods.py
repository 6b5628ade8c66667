"""The Bot API methods the product uses, with Telegram's checks and error texts."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Awaitable, Callable
from typing import Any

from standin.errors import (
    ApiError,
    bad_request,
    conflict,
    forbidden,
    too_many_requests,
    webhook_active,
)
from standin.params import Params, Upload
from standin.world import JournalEntry, Json, UserRecord, WebhookTarget, World

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
SENDING_METHODS = {"sendmessage", "senddocument", "sendphoto", "editmessagetext"}


class BotApi:
    def __init__(self, world: World) -> None:
        self.world = world
        self._poll_generation = 0
        self._wakeups = 0
        self._handlers: dict[str, Callable[[Params], Awaitable[Any]]] = {
            "getme": self.get_me,
            "logout": self.true,
            "close": self.true,
            "setwebhook": self.set_webhook,
            "deletewebhook": self.delete_webhook,
            "getwebhookinfo": self.get_webhook_info,
            "getupdates": self.get_updates,
            "sendmessage": self.send_message,
            "editmessagetext": self.edit_message_text,
            "editmessagereplymarkup": self.edit_message_reply_markup,
            "answercallbackquery": self.answer_callback_query,
            "senddocument": self.send_document,
            "sendphoto": self.send_photo,
            "getfile": self.get_file,
            "setmycommands": self.set_my_commands,
            "getmycommands": self.get_my_commands,
            "deletemycommands": self.delete_my_commands,
        }

    def knows(self, method: str) -> bool:
        return method in self._handlers

    async def call(self, method: str, params: Params) -> Any:
        self.world.calls[method] = self.world.calls.get(method, 0) + 1
        if method in SENDING_METHODS:
            retry_after = self.world.limits.check(params.integer("chat_id") or 0)
            if retry_after:
                raise too_many_requests(retry_after)
        result = await self._handlers[method](params)
        await self.world.notify()
        return result

    # --- bot identity & polling ----------------------------------------------------------

    async def get_me(self, _params: Params) -> Json:
        return self.world.bot_json()

    async def true(self, _params: Params) -> bool:
        return True

    async def get_webhook_info(self, _params: Params) -> Json:
        webhook = self.world.webhook
        info: Json = {
            "url": webhook.url if webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self.world.pending_updates()),
        }
        if webhook is not None:
            info["max_connections"] = webhook.max_connections
            if webhook.last_error_message:
                info["last_error_message"] = webhook.last_error_message
                info["last_error_date"] = webhook.last_error_date
        return info

    async def set_webhook(self, params: Params) -> bool:
        # Telegram wants https on ports 443, 80, 88 or 8443; the stand-in, on 127.0.0.1, also
        # takes plain http so tests need no certificates.
        url = params.text("url") or ""
        if not url.startswith(("https://", "http://")):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.text("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise bad_request("secret token contains unallowed characters")
        connections = params.integer("max_connections", 40) or 40
        if params.flag("drop_pending_updates"):
            self.world.drop_pending_updates()
        self.world.webhook = WebhookTarget(url, secret, min(max(connections, 1), 100))
        await self.wake_pollers()
        return True

    async def delete_webhook(self, params: Params) -> bool:
        self.world.webhook = None
        if params.flag("drop_pending_updates"):
            self.world.drop_pending_updates()
        return True

    async def get_updates(self, params: Params) -> list[Json]:
        if self.world.webhook is not None:
            raise webhook_active()
        # A newer poller terminates an older one with 409, as Telegram does.
        self._poll_generation += 1
        generation = self._poll_generation
        await self.world.notify()
        offset = params.integer("offset")
        limit = min(max(params.integer("limit", 100) or 100, 1), 100)
        timeout = min(max(params.integer("timeout", 0) or 0, 0), 50)
        self.world.take_updates(offset, limit)
        wakeups = self._wakeups
        if not self.world.has_updates() and timeout:
            with contextlib.suppress(TimeoutError):
                await self.world.wait_until(
                    lambda: (
                        self.world.has_updates()
                        or self._poll_generation != generation
                        or self._wakeups != wakeups
                    ),
                    timeout,
                )
        if self._poll_generation != generation:
            raise conflict()
        return self.world.take_updates(offset, limit)

    async def wake_pollers(self) -> None:
        """Answer a pending long poll now (empty), so a stopping bot need not wait it out."""
        self._wakeups += 1
        await self.world.notify()

    # --- sending ---------------------------------------------------------------------------

    def _recipient(self, params: Params) -> UserRecord:
        chat_id = params.integer("chat_id")
        user = self.world.users.get(chat_id) if chat_id is not None else None
        if user is None:
            raise bad_request("chat not found")
        if user.deactivated:
            raise forbidden("user is deactivated")
        if user.blocked:
            raise forbidden("bot was blocked by the user")
        if not user.started:
            raise forbidden("bot can't initiate conversation with a user")
        return user

    def _markup(self, params: Params) -> Json | None:
        markup = params.json_value("reply_markup")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        for row in markup.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA_BYTES:
                    raise bad_request("BUTTON_DATA_INVALID")
                if not button.get("text"):
                    raise bad_request("text buttons are unallowed in the inline keyboard")
        return markup

    def _text(self, params: Params, name: str = "text", limit: int = MAX_TEXT) -> str:
        text = params.text(name) or ""
        if name == "text" and not text.strip():
            raise bad_request("message text is empty")
        if len(text) > limit:
            raise bad_request(
                "message is too long" if name == "text" else "message caption is too long"
            )
        return text

    async def send_message(self, params: Params) -> Json:
        user = self._recipient(params)
        text = self._text(params)
        markup = self._markup(params)
        content: Json = {"text": text}
        if markup:
            content["reply_markup"] = markup
        message = self.world.new_message(user.id, self.world.bot_json(), **content)
        self.world.record(JournalEntry("bot_text", user.id, text, {"markup": markup}))
        return message

    async def edit_message_text(self, params: Params) -> Json:
        user = self._recipient(params)
        message = self._editable(user, params)
        text = self._text(params)
        markup = self._markup(params)
        if message.get("text") == text and message.get("reply_markup") == markup:
            raise bad_request(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        message["text"] = text
        message.pop("reply_markup", None)
        if markup:
            message["reply_markup"] = markup
        self.world.record(JournalEntry("edit", user.id, text, {"markup": markup}))
        return message

    async def edit_message_reply_markup(self, params: Params) -> Json:
        user = self._recipient(params)
        message = self._editable(user, params)
        markup = self._markup(params)
        if message.get("reply_markup") == markup:
            raise bad_request("message is not modified")
        message.pop("reply_markup", None)
        if markup:
            message["reply_markup"] = markup
        self.world.record(
            JournalEntry("edit", user.id, message.get("text", ""), {"markup": markup})
        )
        return message

    def _editable(self, user: UserRecord, params: Params) -> Json:
        message = self.world.find_message(user.id, params.integer("message_id") or 0)
        if message is None or message["from"]["id"] != self.world.bot_id:
            raise bad_request("message to edit not found")
        return message

    async def answer_callback_query(self, params: Params) -> bool:
        query_id = params.text("callback_query_id") or ""
        answer = self.world.callback_answers.get(query_id)
        if answer is None or answer.get("answered"):
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        text = params.text("text") or ""
        if len(text) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        answer.update(answered=True, text=text, show_alert=params.flag("show_alert"))
        if text:
            self.world.record(JournalEntry("alert", answer["chat_id"], text))
        return True

    # --- files -----------------------------------------------------------------------------

    async def send_document(self, params: Params) -> Json:
        return await self._send_file(params, "document")

    async def send_photo(self, params: Params) -> Json:
        return await self._send_file(params, "photo")

    async def _send_file(self, params: Params, field: str) -> Json:
        user = self._recipient(params)
        caption = self._text(params, "caption", MAX_CAPTION)
        markup = self._markup(params)
        given = params.file(field)
        if isinstance(given, Upload):
            if len(given.content) > MAX_UPLOAD_BYTES:
                raise ApiError(413, "Request Entity Too Large")
            record = self.world.add_file(given.content, given.filename, given.content_type)
        elif isinstance(given, str) and given in self.world.files:
            record = self.world.files[given]
        else:
            raise bad_request(f"there is no {field} in the request")
        file_json: Json = {
            "file_id": record.file_id,
            "file_unique_id": record.file_unique_id,
            "file_size": len(record.content),
        }
        if field == "photo":
            content: Json = {"photo": [{**file_json, "width": 800, "height": 600}]}
        else:
            content = {"document": {**file_json, "file_name": record.file_name or "file"}}
        if caption:
            content["caption"] = caption
        if markup:
            content["reply_markup"] = markup
        message = self.world.new_message(user.id, self.world.bot_json(), **content)
        self.world.record(
            JournalEntry(
                "bot_file",
                user.id,
                caption,
                {"file_name": record.file_name, "size": len(record.content)},
            )
        )
        return message

    async def get_file(self, params: Params) -> Json:
        record = self.world.files.get(params.text("file_id") or "")
        if record is None:
            raise bad_request("invalid file_id")
        if len(record.content) > MAX_DOWNLOAD_BYTES:
            raise bad_request("file is too big")
        return {
            "file_id": record.file_id,
            "file_unique_id": record.file_unique_id,
            "file_size": len(record.content),
            "file_path": record.path,
        }

    # --- command menus -----------------------------------------------------------------------

    @staticmethod
    def _scope_key(params: Params) -> tuple[str, str]:
        scope = params.json_value("scope") or {"type": "default"}
        key = scope.get("type", "default")
        if "chat_id" in scope:
            key += f":{scope['chat_id']}"
        return key, params.text("language_code") or ""

    async def set_my_commands(self, params: Params) -> bool:
        commands = params.json_value("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("can't parse commands JSON object")
        for command in commands:
            name = str(command.get("command", ""))
            if (
                not (1 <= len(name) <= 32)
                or not name.replace("_", "").isalnum()
                or name.lower() != name
            ):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        key = self._scope_key(params)
        self.world.commands[key] = commands
        chat = key[0].split(":")[1] if ":" in key[0] else None
        self.world.record(
            JournalEntry(
                "commands",
                int(chat) if chat else None,
                " ".join("/" + c["command"] for c in commands),
                {"scope": key[0], "language": key[1]},
            )
        )
        return True

    async def get_my_commands(self, params: Params) -> list[Json]:
        return self.world.commands.get(self._scope_key(params), [])

    async def delete_my_commands(self, params: Params) -> bool:
        self.world.commands.pop(self._scope_key(params), None)
        return True
