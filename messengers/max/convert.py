"""MAX's updates and messages in the shapes aiogram knows, and aiogram's keyboards in MAX's.

Handlers never see MAX: a ``bot_started`` becomes ``/start <payload>`` (so invitations work
unchanged), a ``message_callback`` a callback query, a ``message_created`` a message. Ids
become addresses (``domain.messengers``); a dialog's chat is addressed by its user, as a
private chat is in Telegram; a group chat keeps its type, so that the Dispatcher's first
middleware can tell it the bot works in private chats only, as it does Telegram's groups. A message's ``seq`` is its ``message_id``; its ``mid``, which
edits need, are kept by ``storage.usecases.max_messages``. Files keep their URL in the file id: MAX has no
getFile, the URL is what is downloaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiogram.types import InlineKeyboardMarkup

from domain.messengers import AddressOutOfRangeError, max_address, max_group_address
from domain.progress.messages import split_into_messages

Json = dict[str, Any]
FILE_PREFIX = "max:"  # a file id that is a MAX URL
CALLBACK_PREFIX = "max:"  # a callback id to answer in MAX


@dataclass(frozen=True, slots=True)
class Converted:
    """An update in Telegram's JSON shape, and the message ids it taught us."""

    update: Json
    mids: list[tuple[int, int, str]]  # (chat address, seq, mid)


def user_json(user: Json, locale: str | None = None) -> Json:
    data: Json = {
        "id": max_address(int(user["user_id"])),
        "is_bot": bool(user.get("is_bot")),
        "first_name": user.get("first_name") or user.get("name") or "—",
    }
    if user.get("last_name"):
        data["last_name"] = user["last_name"]
    if user.get("username"):
        data["username"] = user["username"]
    if locale:
        data["language_code"] = locale
    return data


def message_json(message: Json, *, locale: str | None = None) -> tuple[Json, int]:
    """A MAX message as Telegram's ``Message``, and the address of its dialog."""
    sender = message["sender"]
    recipient = message.get("recipient") or {}
    # The dialog belongs to the person in it: the sender, unless the bot sent it.
    human = recipient.get("user_id") if sender.get("is_bot") else sender.get("user_id")
    chat = max_address(int(str(human)))
    body = message.get("body") or {}
    text = body.get("text") or ""
    data: Json = {
        "message_id": int(body.get("seq") or 0),
        "date": int(message.get("timestamp", 0)) // 1000,
        "chat": {"id": chat, "type": "private", "first_name": sender.get("first_name") or "—"},
        "from": user_json(sender, None if sender.get("is_bot") else locale),
    }
    files = _files(body.get("attachments") or [])
    data.update(files)
    if text and files:
        data["caption"] = text
    elif text:
        data["text"] = text
        data.update(_command_entities(text))
    keyboard = _keyboard_of(body.get("attachments") or [])
    if keyboard:
        data["reply_markup"] = keyboard
    return data, chat


def _group_chat(raw: Json) -> Json | None:
    """A message's chat as Telegram's group chat, when it was written in one."""
    recipient = raw.get("recipient") or {}
    if recipient.get("chat_type", "dialog") == "dialog":
        return None
    return {
        "id": max_group_address(int(recipient["chat_id"])),
        "type": "group",
        "title": "—",
    }


def convert_update(update: Json, update_id: int) -> Converted | None:
    """One MAX update as Telegram's ``Update``, or ``None`` for kinds the bot does not use
    (edits, the bot added to a chat...)."""
    try:
        return _convert(update, update_id)
    except (AddressOutOfRangeError, KeyError, TypeError, ValueError):
        return None  # a malformed or foreign update is dropped, never half-handled


def _convert(update: Json, update_id: int) -> Converted | None:
    kind = update.get("update_type")
    locale = update.get("user_locale")
    if kind == "bot_started":
        user = user_json(update["user"], locale)
        payload = str(update.get("payload") or "").strip()
        text = f"/start {payload}" if payload else "/start"
        message = {
            "message_id": 0,
            "date": int(update.get("timestamp", 0)) // 1000,
            "chat": {"id": user["id"], "type": "private", "first_name": user["first_name"]},
            "from": user,
            "text": text,
            **_command_entities(text),
        }
        return Converted({"update_id": update_id, "message": message}, [])
    if kind == "message_created":
        raw = update["message"]
        message, chat = message_json(raw, locale=locale)
        group = _group_chat(raw)
        if group is not None:
            message["chat"] = group
        return Converted({"update_id": update_id, "message": message}, [])
    if kind == "message_callback":
        callback = update["callback"]
        presser = user_json(callback["user"], locale)
        query: Json = {
            "id": CALLBACK_PREFIX + str(callback["callback_id"]),
            "from": presser,
            "chat_instance": str(presser["id"]),
            "data": str(callback.get("payload") or ""),
        }
        mids: list[tuple[int, int, str]] = []
        raw = update.get("message")
        if raw is not None:
            message, chat = message_json(raw)
            group = _group_chat(raw)
            if group is not None:
                message["chat"] = group
            elif chat == presser["id"]:
                body = raw.get("body") or {}
                mids.append((chat, int(body.get("seq") or 0), str(body.get("mid"))))
            else:
                # A press on a message of someone else's dialog: shown as the presser's own
                # chat, whose message ids do not include it, so nothing of theirs is edited.
                message["chat"]["id"] = presser["id"]
            query["message"] = message
        return Converted({"update_id": update_id, "callback_query": query}, mids)
    return None


def _command_entities(text: str) -> Json:
    if not text.startswith("/"):
        return {}
    command = text.split()[0]
    return {"entities": [{"type": "bot_command", "offset": 0, "length": len(command)}]}


def _files(attachments: list[Json]) -> Json:
    for attachment in attachments:
        payload = attachment.get("payload") or {}
        url = payload.get("url")
        if not url:
            continue
        file_id = FILE_PREFIX + str(url)
        unique = str(payload.get("token") or payload.get("photo_id") or url)[-32:]
        if attachment.get("type") == "file":
            document: Json = {"file_id": file_id, "file_unique_id": unique}
            if attachment.get("filename"):
                document["file_name"] = attachment["filename"]
            if attachment.get("size") is not None:
                document["file_size"] = int(attachment["size"])
            return {"document": document}
        if attachment.get("type") == "image":
            photo = {"file_id": file_id, "file_unique_id": unique, "width": 0, "height": 0}
            return {"photo": [photo]}
    return {}


def _keyboard_of(attachments: list[Json]) -> Json | None:
    for attachment in attachments:
        if attachment.get("type") != "inline_keyboard":
            continue
        rows = attachment.get("payload", {}).get("buttons", [])
        return {
            "inline_keyboard": [
                [
                    {"text": b.get("text", ""), "callback_data": b.get("payload", "")}
                    if b.get("type") == "callback"
                    else {"text": b.get("text", ""), "url": b.get("url", "")}
                    for b in row
                ]
                for row in rows
            ]
        }
    return None


def keyboard_attachment(markup: Any) -> Json | None:
    """An inline keyboard as MAX's ``inline_keyboard`` attachment (other markups: none)."""
    if not isinstance(markup, InlineKeyboardMarkup):
        return None
    rows = []
    for row in markup.inline_keyboard:
        buttons = []
        for button in row:
            if button.url:
                buttons.append({"type": "link", "text": button.text, "url": button.url})
            elif button.callback_data is not None:
                buttons.append(
                    {"type": "callback", "text": button.text, "payload": button.callback_data}
                )
        if buttons:
            rows.append(buttons)
    return {"type": "inline_keyboard", "payload": {"buttons": rows}} if rows else None


def split_text(text: str, limit: int) -> list[str]:
    """Parts of at most ``limit`` characters, cut at line ends as the digest's are."""
    return split_into_messages(text.split("\n"), limit) or [""]
