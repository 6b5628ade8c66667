"""A local SMTP server (aiosmtpd) that keeps what it receives: the tests' and the demo's mail
server. It can refuse the next messages with a given answer, refuse an address for good, and
ask for a login, so every answer a real server gives can be met without the network."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections import deque
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass
class Mailbox:
    """What the server received and how it answers next; shared with the server's thread."""

    received: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    # Answers to give to the next DATA commands instead of accepting (e.g. "451 4.3.0 Busy").
    refuse_next: deque[str] = field(default_factory=deque)
    # Addresses refused at RCPT with this answer (e.g. "550 5.1.1 No such user").
    refused_addresses: dict[str, str] = field(default_factory=dict)
    attempts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [
                message
                for message, (_sender, recipients) in zip(
                    self.received, self.envelopes, strict=True
                )
                if address in recipients
            ]


class _Handler:
    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, _server: Any, _session: Any, envelope: Any, address: str, _options: Any
    ) -> str:
        refusal = self.mailbox.refused_addresses.get(address)
        if refusal is not None:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802 - aiosmtpd's hook name
        self, _server: Any, _session: Any, envelope: Any
    ) -> str:
        with self.mailbox.lock:
            self.mailbox.attempts += 1
            if self.mailbox.refuse_next:
                return self.mailbox.refuse_next.popleft()
            message = message_from_bytes(envelope.content, policy=policy.default)
            assert isinstance(message, EmailMessage)
            self.mailbox.received.append(message)
            self.mailbox.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


class _Login:
    def __init__(self, user: str, password: str) -> None:
        self._expected = (user.encode(), password.encode())

    def __call__(
        self, _server: Any, _session: Any, _envelope: Any, _mechanism: str, data: Any
    ) -> AuthResult:
        if isinstance(data, LoginPassword) and (data.login, data.password) == self._expected:
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class MailServer:
    """``with MailServer() as mail:`` a server on 127.0.0.1:``mail.port`` until the block ends;
    ``login=(user, password)``: it offers AUTH and refuses any other login."""

    def __init__(self, *, login: tuple[str, str] | None = None) -> None:
        self.mailbox = Mailbox()
        self.port = free_port()
        options: dict[str, Any] = {}
        if login is not None:
            options = {
                "authenticator": _Login(*login),
                "auth_require_tls": False,  # a test server speaks no TLS
            }
        self._controller = Controller(
            _Handler(self.mailbox), hostname="127.0.0.1", port=self.port, **options
        )

    def __enter__(self) -> MailServer:
        self._controller.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        with contextlib.suppress(Exception):
            self._controller.stop()

    @property
    def received(self) -> list[EmailMessage]:
        with self.mailbox.lock:
            return list(self.mailbox.received)
