"""``roadmap-bot email test --to ADDRESS`` and ``roadmap-bot email digest [--to ADDRESS]``."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.settings import Settings
from domain.email_address import normalise

if TYPE_CHECKING:
    from scheduler.smtp import SmtpResult, SmtpServer


async def run_email(settings: Settings, command: str, *, to: str | None) -> int:
    if problem := settings.email.problem():
        print(f"roadmap-bot email: {problem}", file=sys.stderr)
        return 2
    address = normalise(to) if to else None
    if to and address is None:
        print(f"roadmap-bot email: «{to}» is not an e-mail address", file=sys.stderr)
        return 2
    # Loaded only once the settings are known to be usable: composing loads aiogram's i18n.
    from bot.email_setup import smtp_server

    server = smtp_server(settings.email)
    if command == "test":
        assert address is not None
        return await _test(settings, server, address)
    return await _digest(settings, server, address)


async def _test(settings: Settings, server: SmtpServer, to: str) -> int:
    from bot.i18n import DOMAIN, LOCALES_DIR, compile_catalogs
    from formats.email_message import Envelope, compose
    from handlers.common.translation import command_line_locale
    from handlers.email.test_letter import test_letter
    from scheduler.smtp import EmailOutcome, SmtpSender

    compile_catalogs()
    with command_line_locale(settings.default_locale, LOCALES_DIR, DOMAIN):
        letter = test_letter(f"{server.host}:{server.port}", settings.default_locale)
    message = compose(letter, Envelope(server.sender, to), datetime.now(UTC))
    result = await SmtpSender(server).send(to, message)
    if result.outcome is EmailOutcome.SENT:
        print(f"roadmap-bot email test: sent to {to} through {server.host}:{server.port}")
        return 0
    print(f"roadmap-bot email test: not sent. {explain(result, server)}", file=sys.stderr)
    return 1


async def _digest(settings: Settings, server: SmtpServer, to: str | None) -> int:
    from bot.clock import SystemClock
    from bot.email_setup import email_composer
    from bot.i18n import build_i18n
    from handlers.email.jobs import DigestEmails
    from scheduler.email_outbox import EmailOutbox
    from scheduler.smtp import SmtpSender
    from storage.engine import create_engine, create_session_factory
    from storage.migrate import upgrade

    engine = create_engine(settings.db.url)
    try:
        await upgrade(engine)
        sessions = create_session_factory(engine)
        clock = SystemClock()
        composer = email_composer(
            settings, sessions, build_i18n(settings.default_locale), clock, unsubscribe_base=None
        )
        queued = await DigestEmails(composer).queue(to=to)
        if not queued:
            print(
                "roadmap-bot email digest: nobody to send it to. Give --to ADDRESS, or a "
                "coordinator turns «Digest by e-mail» on with /email in the bot.",
                file=sys.stderr,
            )
            return 1
        # Through the outbox, as the scheduled digest goes: what the server refuses now is
        # tried again by the running bot.
        stats = await EmailOutbox(sessions, SmtpSender(server), clock).dispatch()
    finally:
        await engine.dispose()
    print(f"roadmap-bot email digest: {queued} composed, {stats.sent} sent")
    if stats.sent < queued:
        print(
            "Not every e-mail was sent; the running bot tries again later. Last answer: "
            + (stats.last_error or "none"),
            file=sys.stderr,
        )
        return 1
    return 0


def explain(result: SmtpResult, server: SmtpServer) -> str:
    """The SMTP answer in words an administrator can act on."""
    from scheduler.smtp import Failure

    where = f"{server.host}:{server.port}"
    advice = {
        Failure.CONNECT: f"Could not connect to {where}: check EMAIL__HOST and EMAIL__PORT, "
        "and that this machine may reach the mail server.",
        Failure.TIMEOUT: f"{where} did not answer within {server.timeout:g} s: check "
        "EMAIL__HOST and EMAIL__PORT (587 with STARTTLS, 465 with EMAIL__TLS=true).",
        Failure.TLS: f"The encrypted connection to {where} failed: use port 587 with "
        "EMAIL__STARTTLS=true, or 465 with EMAIL__TLS=true.",
        Failure.LOGIN: "The server refused the login: check EMAIL__USER and EMAIL__PASSWORD "
        "(some services need an application password).",
        Failure.SENDER: "The server refused the sender: EMAIL__FROM must be an address this "
        "account may send from.",
        Failure.RECIPIENT: "The server refused the recipient's address.",
        Failure.MESSAGE: "The server refused the message.",
    }.get(result.failure, "The server refused.")
    said = f"{result.error} {result.detail}".strip()
    return f"{advice} (server said: {said})"
