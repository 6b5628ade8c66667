"""The HTTP face of the MAX stand-in: MAX's Bot API paths, answers and errors.

Every call needs ``Authorization: <token>``. Errors are ``{"code": ..., "message": ...}``
with the HTTP status. Faults are injected by method name (``post_messages``,
``put_messages``, ``post_answers``, ``post_uploads``...), as Telegram's stand-in does.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
from typing import Any
from urllib.parse import unquote

from aiohttp import BodyPartReader, web

from standin.faults import FaultKind
from standin.max.world import (
    MAX_PAYLOAD,
    MAX_TEXT,
    MaxUserRecord,
    MaxWorld,
    update_body,
    update_user,
)
from standin.serving import serve_locally
from standin.webhook import WebhookPusher
from standin.world import JournalEntry, Json, WebhookTarget

logger = logging.getLogger(__name__)
SECRET_HEADER = "X-Max-Bot-Api-Secret"
LONG_POLL_CAP = 90.0


class MaxError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def _not_found(what: str) -> MaxError:
    return MaxError(404, "not.found", f"{what} not found")


class MaxStandIn:
    """Serve ``world`` on 127.0.0.1; ``base_url`` is what ``MAX__API_URL`` should be."""

    def __init__(self, world: MaxWorld | None = None) -> None:
        self.world = world or MaxWorld()
        self._runner: web.AppRunner | None = None
        self._pusher = WebhookPusher(
            self.world, secret_header=SECRET_HEADER, chat_of=update_user, body_of=update_body
        )
        self._closing = asyncio.Event()
        self.base_url = ""

    def app(self) -> web.Application:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        routes = [
            ("GET", "/me", self._get_me),
            ("PATCH", "/me", self._patch_me),
            ("GET", "/updates", self._get_updates),
            ("POST", "/messages", self._post_message),
            ("PUT", "/messages", self._put_message),
            ("DELETE", "/messages", self._delete_message),
            ("POST", "/answers", self._post_answer),
            ("POST", "/uploads", self._post_upload),
            ("GET", "/subscriptions", self._get_subscriptions),
            ("POST", "/subscriptions", self._post_subscription),
            ("DELETE", "/subscriptions", self._delete_subscription),
        ]
        for verb, path, handler in routes:
            app.router.add_route(verb, path, self._guarded(verb, handler))
        app.router.add_post("/upload/{upload_id}", self._receive_upload)
        app.router.add_get("/files/{token}", self._serve_file)
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        self._runner, self.base_url = await serve_locally(self.app(), host, port)
        self.world.base_url = self.base_url
        self._pusher.start()
        return self.base_url

    async def stop(self) -> None:
        self._closing.set()  # long polls and never-answering file URLs end now
        await self.world.notify()
        await self._pusher.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> MaxStandIn:
        await self.start()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.stop()

    async def wake_pollers(self) -> None:
        await self.world.notify()

    # --- the envelope: auth, faults, limits, errors -----------------------------------------

    def _guarded(self, verb: str, handler: Any) -> Any:
        method = f"{verb.lower()}_{handler.__name__.split('_', 2)[-1]}"

        async def handle(request: web.Request) -> web.StreamResponse:
            self.world.calls[method] = self.world.calls.get(method, 0) + 1
            if request.headers.get("Authorization") != self.world.token:
                return _error(MaxError(401, "verify.token", "Invalid access_token"))
            try:
                user = self._addressee(request)
                fault = self.world.faults.pick(method, user)
                if fault is not None:
                    self.world.record(JournalEntry("error", user, fault.kind.value))
                    if fault.kind is FaultKind.DROP_BEFORE:
                        return _drop(request)
                    if fault.kind is FaultKind.RETRY_AFTER:
                        raise MaxError(429, "too.many.requests", "Too many requests")
                    if fault.kind in (FaultKind.SERVER_ERROR, FaultKind.BAD_GATEWAY):
                        status = 500 if fault.kind is FaultKind.SERVER_ERROR else 502
                        raise MaxError(status, "internal.error", "Internal error")
                result = await handler(request)
                if fault is not None and fault.kind is FaultKind.DROP_AFTER:
                    return _drop(request)
            except MaxError as error:
                self.world.record(JournalEntry("error", None, f"{method}: {error.code}"))
                return _error(error)
            await self.world.notify()
            return web.json_response(result)

        return handle

    def _addressee(self, request: web.Request) -> int | None:
        """The user a call is about (for faults and per-chat limits)."""
        if "user_id" in request.query:
            return int(request.query["user_id"])
        if "chat_id" in request.query:
            user = self.world.user_of_chat(int(request.query["chat_id"]))
            return user.user_id if user else None
        return None

    # --- the bot ----------------------------------------------------------------------------

    async def _get_me(self, request: web.Request) -> Json:
        return self.world.bot_json()

    async def _patch_me(self, request: web.Request) -> Json:
        body = await _json(request)
        if "commands" in body:
            self.world.commands = list(body["commands"] or [])
            self.world.record(JournalEntry("commands", None, str(len(self.world.commands))))
        return self.world.bot_json()

    async def _get_updates(self, request: web.Request) -> Json:
        if self.world.webhook is not None:
            raise MaxError(409, "conflict", "Webhook subscription is active")
        marker = int(request.query["marker"]) if request.query.get("marker") else None
        limit = int(request.query.get("limit", 100))
        timeout = min(float(request.query.get("timeout", 30)), LONG_POLL_CAP)
        self.world.take_updates(marker, 0)  # acknowledge what came before the marker
        if not self.world.has_updates() and timeout > 0:
            with contextlib.suppress(TimeoutError):
                await self.world.wait_until(
                    lambda: self.world.has_updates() or self._closing.is_set(), timeout
                )
        updates, next_marker = self.world.take_updates(marker, limit)
        return {"updates": updates, "marker": next_marker}

    # --- messages ---------------------------------------------------------------------------

    async def _post_message(self, request: web.Request) -> Json:
        user = self._dialog_user(request)
        if user.blocked:
            raise MaxError(403, "chat.denied", "chat.denied: dialog is blocked by the user")
        if not user.started:
            raise _not_found("Chat")
        wait = self.world.limits.check(user.user_id)
        if wait:
            raise MaxError(429, "too.many.requests", "Too many requests")
        body = await _json(request)
        message_body = self._message_body(body)
        message = self.world.new_message(user, from_bot=True, body=message_body)
        files = [a for a in message_body.get("attachments", []) if a["type"] in ("file", "image")]
        kind = "bot_file" if files else "bot_text"
        extra = _journal_extra(message_body)
        self.world.record(JournalEntry(kind, user.user_id, message_body.get("text") or "", extra))
        self._presses_handled(user.user_id)
        return {"message": message}

    async def _put_message(self, request: web.Request) -> Json:
        found = self.world.find_message(request.query.get("message_id", ""))
        if found is None:
            raise _not_found("Message")
        user, message = found
        body = await _json(request)
        update = self._message_body(body, partial=True)
        message["body"].update(update)
        self.world.record(
            JournalEntry(
                "edit",
                user.user_id,
                message["body"].get("text") or "",
                _journal_extra(message["body"]),
            )
        )
        self._presses_handled(user.user_id)
        return {"success": True}

    async def _delete_message(self, request: web.Request) -> Json:
        found = self.world.find_message(request.query.get("message_id", ""))
        if found is None:
            raise _not_found("Message")
        user, message = found
        self.world.dialogs[user.user_id].remove(message)
        return {"success": True}

    async def _post_answer(self, request: web.Request) -> Json:
        answer = self.world.callback_answers.get(request.query.get("callback_id", ""))
        if answer is None:
            raise _not_found("Callback")
        body = await _json(request)
        if not body.get("notification") and not body.get("message"):
            raise MaxError(400, "proto.payload", "Either message or notification is required")
        if body.get("message"):
            found = self.world.find_message(answer["mid"])
            if found is not None:
                found[1]["body"].update(self._message_body(body["message"], partial=True))
        answer.update(answered=True, notification=body.get("notification"))
        self.world.record(
            JournalEntry("alert", answer["user_id"], str(body.get("notification") or ""))
        )
        return {"success": True}

    def _presses_handled(self, user_id: int) -> None:
        """MAX needs no answer to a press: a message or an edit after it is the bot's answer
        (the simulated user waits for one or the other)."""
        for answer in self.world.callback_answers.values():
            if answer["user_id"] == user_id and not answer["answered"]:
                answer["handled"] = True

    def _dialog_user(self, request: web.Request) -> MaxUserRecord:
        if "user_id" in request.query:
            user = self.world.users.get(int(request.query["user_id"]))
        elif "chat_id" in request.query:
            user = self.world.user_of_chat(int(request.query["chat_id"]))
        else:
            raise MaxError(400, "proto.payload", "user_id or chat_id is required")
        if user is None:
            raise _not_found("Chat")
        return user

    def _message_body(self, body: Json, *, partial: bool = False) -> Json:
        """Check a NewMessageBody as MAX does and return the stored form of it."""
        result: Json = {}
        if "text" in body or not partial:
            text = body.get("text") or ""
            if len(text) > MAX_TEXT:
                raise MaxError(400, "proto.payload", f"text: size must be at most {MAX_TEXT}")
            result["text"] = text
        if body.get("format") not in (None, "markdown", "html"):
            raise MaxError(400, "proto.payload", "format: markdown or html")
        if "attachments" in body and body["attachments"] is not None:
            result["attachments"] = [self._attachment(a) for a in body["attachments"]]
        elif not partial:
            result["attachments"] = []
        return result

    def _attachment(self, attachment: Json) -> Json:
        kind = attachment.get("type")
        payload = attachment.get("payload") or {}
        if kind == "inline_keyboard":
            for row in payload.get("buttons", []):
                for button in row:
                    if button.get("type") == "callback" and (
                        len(str(button.get("payload", ""))) > MAX_PAYLOAD
                    ):
                        raise MaxError(400, "proto.payload", "button payload is too long")
            return {"type": kind, "payload": payload, "callback_id": secrets.token_urlsafe(12)}
        if kind in ("file", "image"):
            token = payload.get("token") or next(
                (p["token"] for p in (payload.get("photos") or {}).values()), None
            )
            record = self.world.files.get(str(token))
            if record is None:
                raise MaxError(400, "proto.payload", "attachment token is not valid")
            if record.not_ready_for > 0:
                record.not_ready_for -= 1
                raise MaxError(
                    400, "attachment.not.ready", "Key: errors.process.attachment.file.not.processed"
                )
            stored: Json = {"url": self.world.file_url(record), "token": record.token}
            return {"type": kind, "payload": stored, "filename": record.filename,
                    "size": len(record.content)}  # fmt: skip
        raise MaxError(400, "proto.payload", f"attachment type {kind} is not supported")

    # --- uploads and files ------------------------------------------------------------------

    async def _post_upload(self, request: web.Request) -> Json:
        kind = request.query.get("type", "")
        if kind not in ("file", "image", "video", "audio"):
            raise MaxError(400, "proto.payload", "type: image, video, audio or file")
        upload_id = secrets.token_urlsafe(12)
        self.world.uploads[upload_id] = kind
        return {"url": f"{self.base_url}/upload/{upload_id}"}

    async def _receive_upload(self, request: web.Request) -> web.StreamResponse:
        kind = self.world.uploads.pop(request.match_info["upload_id"], None)
        if kind is None or request.content_type != "multipart/form-data":
            return web.json_response({"code": "upload.failed", "message": "Bad upload"}, status=400)
        reader = await request.multipart()
        async for part in reader:
            if isinstance(part, BodyPartReader) and part.name == "data":
                content = await part.read()
                name = unquote(part.filename or "file")  # aiohttp's client quotes it
                record = self.world.add_file(content, name, kind)
                record.not_ready_for = self.world.not_ready_uploads
                if kind == "image":
                    return web.json_response({"photos": {"p1": {"token": record.token}}})
                return web.json_response({"fileId": len(self.world.files), "token": record.token})
        return web.json_response({"code": "upload.failed", "message": "No data part"}, status=400)

    async def _serve_file(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        if token in self.world.unavailable_files:
            # A URL that never answers: the client must give up (until the stand-in stops).
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), 3600)
            return web.Response(status=503)
        record = self.world.files.get(token)
        if record is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(body=record.content, content_type="application/octet-stream")

    # --- webhooks ---------------------------------------------------------------------------

    async def _get_subscriptions(self, request: web.Request) -> Json:
        target = self.world.webhook
        subscriptions = [{"url": target.url, "time": 0}] if target else []
        return {"subscriptions": subscriptions}

    async def _post_subscription(self, request: web.Request) -> Json:
        body = await _json(request)
        url = str(body.get("url") or "")
        if not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
            raise MaxError(400, "proto.payload", "url must be HTTPS")
        self.world.webhook = WebhookTarget(url, body.get("secret"))
        return {"success": True}

    async def _delete_subscription(self, request: web.Request) -> Json:
        target = self.world.webhook
        if target is not None and request.query.get("url") in (None, target.url):
            self.world.webhook = None
        return {"success": True}


async def _json(request: web.Request) -> Json:
    if not request.can_read_body:
        return {}
    try:
        body = await request.json()
    except json.JSONDecodeError as error:
        raise MaxError(400, "proto.payload", "Invalid JSON") from error
    return body if isinstance(body, dict) else {}


def _journal_extra(body: Json) -> Json:
    """What a transcript shows of a message: its buttons and its file."""
    extra: Json = {}
    for attachment in body.get("attachments") or []:
        if attachment["type"] == "inline_keyboard":
            rows = attachment["payload"]["buttons"]
            extra["markup"] = {
                "inline_keyboard": [[{"text": b["text"]} for b in row] for row in rows]
            }
        elif attachment["type"] in ("file", "image"):
            extra.update(file_name=attachment.get("filename"), size=attachment.get("size"))
    return extra


def _error(error: MaxError) -> web.Response:
    return web.json_response({"code": error.code, "message": error.message}, status=error.status)


def _drop(request: web.Request) -> web.StreamResponse:
    transport = request.transport
    if transport is not None:
        transport.abort()
    raise web.HTTPServiceUnavailable()
