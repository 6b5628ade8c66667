"""MAX's Bot API over HTTP: one call, its answer, and its errors as aiogram's exceptions.

MAX answers errors as ``{"code": ..., "message": ...}`` with the HTTP status. They become the
exceptions aiogram raises for Telegram, so the outbox, the pacer and the error handlers treat
both messengers alike: 429 is ``TelegramRetryAfter`` (MAX sends no wait; ``Retry-After`` is
used if it ever does, else the configured pause), a blocked dialog is
``TelegramForbiddenError``, a missing one is ``TelegramBadRequest`` «chat not found», 5xx is
``TelegramServerError`` and a lost connection ``TelegramNetworkError``.
"""

from __future__ import annotations

import json
from typing import Any

from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import TelegramMethod
from aiohttp import ClientError, ClientSession, ClientTimeout, FormData
from aiohttp_socks import ProxyConnectionError, ProxyConnector, ProxyError, ProxyTimeoutError

Json = dict[str, Any]
# aiohttp-socks's own, none of them a ClientError or an OSError (aiogram lets them through too).
PROXY_ERRORS = (ProxyError, ProxyConnectionError, ProxyTimeoutError)
NOT_READY = "attachment.not.ready"


class MaxApi:
    def __init__(
        self, base_url: str, token: str, *, retry_after: float = 1.0, proxy: str | None = None
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._retry_after = retry_after
        self._proxy = proxy  # http:// or socks5://, through the same connector aiogram uses
        self._http: ClientSession | None = None

    def http(self) -> ClientSession:
        if self._http is None or self._http.closed:
            connector = ProxyConnector.from_url(self._proxy) if self._proxy else None
            self._http = ClientSession(connector=connector)
        return self._http

    async def close(self) -> None:
        if self._http is not None and not self._http.closed:
            await self._http.close()

    async def call(
        self,
        method: TelegramMethod[Any] | None,
        verb: str,
        path: str,
        *,
        query: dict[str, Any] | None = None,
        body: Json | None = None,
        timeout: float = 60,
    ) -> Json:
        """One request; ``method`` is the aiogram call it serves (for the exceptions)."""
        params = {k: str(v) for k, v in (query or {}).items() if v is not None}
        return await self._exchange(
            method,
            verb,
            self.base_url + path,
            params=params,
            json=body,
            timeout=ClientTimeout(total=timeout),
        )

    async def upload(
        self, method: TelegramMethod[Any], url: str, content: bytes, filename: str
    ) -> Json:
        """Step two of an upload: the file itself, to the URL ``POST /uploads`` gave."""
        form = FormData()
        form.add_field("data", content, filename=filename)
        return await self._exchange(method, "POST", url, data=form)

    async def _exchange(
        self, method: TelegramMethod[Any] | None, verb: str, url: str, **options: Any
    ) -> Json:
        """Send, read the answer, and turn a failure into aiogram's exception for it."""
        try:
            async with self.http().request(
                verb, url, headers={"Authorization": self._token}, **options
            ) as response:
                text = await response.text()
                retry_header = response.headers.get("Retry-After")
                status = response.status
        except (ClientError, TimeoutError, OSError, *PROXY_ERRORS) as error:
            raise TelegramNetworkError(
                _method(method), f"{type(error).__name__}: {error}"
            ) from None
        data = _decode(text)
        if 200 <= status < 300:
            return data
        raise self._error(method, status, data, retry_header)

    def _error(
        self, method: TelegramMethod[Any] | None, status: int, data: Json, retry: str | None
    ) -> TelegramAPIError:
        code = str(data.get("code") or "")
        message = f"{code}: {data.get('message') or ''}".strip(": ")
        target = _method(method)
        if status == 429:
            wait = int(retry) if retry and retry.isdigit() else self._retry_after
            return TelegramRetryAfter(target, message, max(1, round(wait)))
        if status == 401:
            return TelegramUnauthorizedError(target, message)
        if status == 403:
            return TelegramForbiddenError(
                target, f"Forbidden: bot was blocked by the user ({message})"
            )
        if status == 404 and "chat" in message.lower():
            return TelegramBadRequest(target, f"Bad Request: chat not found ({message})")
        if status == 404:
            return TelegramNotFound(target, message)
        if status >= 500:
            return TelegramServerError(target, message)
        return TelegramBadRequest(target, message)


def _decode(text: str) -> Json:
    try:
        data = json.loads(text) if text else {}
    except json.JSONDecodeError:
        return {"message": text[:200]}
    return data if isinstance(data, dict) else {}


def _method(method: TelegramMethod[Any] | None) -> TelegramMethod[Any]:
    """aiogram's exceptions name the call that failed; MAX-only calls have none of its own."""
    if method is not None:
        return method
    from aiogram.methods import GetUpdates

    return GetUpdates()
