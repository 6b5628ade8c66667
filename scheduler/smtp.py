"""Handing an e-mail to the SMTP server, and what its answer means for the outbox.

A 4xx answer, a timeout or a dropped connection: try again later. The address refused with a
5xx at RCPT: a bounce, the person is unreachable by e-mail. Any other 5xx (a refused login,
a message refused as a whole) may be a setting being fixed: tried again, a bounded number of
times.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from email.utils import parseaddr
from enum import StrEnum

import aiosmtplib

logger = logging.getLogger(__name__)


class EmailOutcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"
    BOUNCED = "bounced"


class Failure(StrEnum):
    """What went wrong, for the administrator's message (``roadmap-bot email test``)."""

    NONE = "none"
    CONNECT = "connect"  # nothing answers at host:port
    TIMEOUT = "timeout"
    TLS = "tls"  # STARTTLS/TLS refused or not offered
    LOGIN = "login"  # the user or password was refused
    SENDER = "sender"  # the From address was refused
    RECIPIENT = "recipient"  # the To address was refused
    MESSAGE = "message"  # the message itself was refused
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class SmtpResult:
    outcome: EmailOutcome
    failure: Failure = Failure.NONE
    code: int | None = None
    # What the server wrote, for the administrator's own test (`roadmap-bot email test`) only:
    # servers quote the address they refuse («<maria@school.ru>: no such user»).
    detail: str = ""

    @property
    def error(self) -> str:
        """The failure's kind and the server's code: what the logs, the outbox and a person's
        unreachable reason keep; never the server's words."""
        code = f" {self.code}" if self.code else ""
        return f"{self.failure.value}:{code}".rstrip(":")


@dataclass(frozen=True, slots=True)
class SmtpServer:
    host: str
    port: int
    sender: str  # the From header's address is the envelope sender too
    user: str | None = None
    password: str | None = None
    starttls: bool = True
    tls: bool = False
    timeout: float = 30


class SmtpSender:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def send(self, to_address: str, message: bytes) -> SmtpResult:
        server = self.server
        try:
            await aiosmtplib.send(
                message,
                sender=parseaddr(server.sender)[1] or server.sender,
                recipients=[to_address],
                hostname=server.host,
                port=server.port,
                username=server.user or None,
                password=server.password or None,
                use_tls=server.tls,
                start_tls=server.starttls and not server.tls,
                timeout=server.timeout,
            )
        except aiosmtplib.SMTPRecipientsRefused as refused:
            answer = refused.recipients[0] if refused.recipients else None
            code = answer.code if answer else None
            detail = answer.message if answer else str(refused)
            outcome = EmailOutcome.BOUNCED if code and code >= 500 else EmailOutcome.RETRY
            return SmtpResult(outcome, Failure.RECIPIENT, code, detail)
        except aiosmtplib.SMTPAuthenticationError as refused:
            return SmtpResult(EmailOutcome.RETRY, Failure.LOGIN, refused.code, refused.message)
        except aiosmtplib.SMTPSenderRefused as refused:
            # 530: the server wants a login before it takes anything.
            failure = Failure.LOGIN if refused.code == 530 else Failure.SENDER
            return SmtpResult(EmailOutcome.RETRY, failure, refused.code, refused.message)
        except aiosmtplib.SMTPDataError as refused:
            return SmtpResult(EmailOutcome.RETRY, Failure.MESSAGE, refused.code, refused.message)
        except aiosmtplib.SMTPNotSupported as missing:
            return SmtpResult(EmailOutcome.RETRY, Failure.TLS, None, str(missing))
        except aiosmtplib.SMTPTimeoutError as slow:
            return SmtpResult(EmailOutcome.RETRY, Failure.TIMEOUT, None, str(slow))
        except aiosmtplib.SMTPResponseException as refused:
            return SmtpResult(EmailOutcome.RETRY, Failure.OTHER, refused.code, refused.message)
        except (aiosmtplib.SMTPConnectError, aiosmtplib.SMTPServerDisconnected) as down:
            return SmtpResult(EmailOutcome.RETRY, Failure.CONNECT, None, str(down))
        except aiosmtplib.SMTPException as failure:
            kind = Failure.TLS if "TLS" in str(failure) else Failure.OTHER
            return SmtpResult(EmailOutcome.RETRY, kind, None, str(failure))
        except OSError as failure:  # TLS handshake, DNS: the server could not be talked to
            kind = Failure.TLS if "ssl" in type(failure).__name__.lower() else Failure.CONNECT
            return SmtpResult(EmailOutcome.RETRY, kind, None, str(failure))
        return SmtpResult(EmailOutcome.SENT)
