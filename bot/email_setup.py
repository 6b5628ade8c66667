"""E-mail wiring shared by the running bot and the command line: the SMTP server from the
settings and the composer."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.settings import EmailSection, Settings
from scheduler.smtp import SmtpServer

if TYPE_CHECKING:  # composing e-mails loads aiogram; `email test` needs only the server
    from aiogram.utils.i18n import I18n
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from domain.clock import Clock
    from handlers.email.jobs import EmailComposer


def smtp_server(email: EmailSection) -> SmtpServer:
    assert email.host is not None and email.sender is not None
    return SmtpServer(
        host=email.host,
        port=email.port,
        sender=email.sender,
        user=email.user,
        password=email.password.get_secret_value() if email.password else None,
        starttls=email.starttls,
        tls=email.tls,
        timeout=email.timeout,
    )


def email_composer(
    settings: Settings,
    session_factory: async_sessionmaker[AsyncSession],
    i18n: I18n,
    clock: Clock,
    *,
    unsubscribe_base: str | None,
) -> EmailComposer:
    from handlers.email.jobs import EmailComposer

    assert settings.email.sender is not None
    return EmailComposer(
        session_factory,
        i18n,
        clock,
        ZoneInfo(settings.timezone),
        sender=settings.email.sender,
        unsubscribe_base=unsubscribe_base,
        invite_ttl=timedelta(days=settings.invite_ttl_days),
        unsubscribe_ttl=timedelta(days=settings.unsubscribe_token_days),
    )
