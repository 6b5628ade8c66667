"""What the bot no longer needs, deleted: each function one kind of row, older than a moment
the caller gives; the caller commits. The nightly job (``scheduler.purge``) lists them."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import CursorResult, delete, update

from storage.models import AuditEvent, ConversationState, EmailMessage
from storage.unit_of_work import UnitOfWork
from storage.usecases.invitations import purge_spent_invitations
from storage.usecases.tokens import purge_spent_tokens


async def forget_conversations(uow: UnitOfWork, before: datetime) -> int:
    """Conversation states untouched since ``before``: they already read as empty
    (``storage.usecases.conversations``), and may hold half a report's text."""
    result = await uow.session.execute(
        delete(ConversationState).where(ConversationState.updated_at < before)
    )
    return cast(CursorResult[tuple[()]], result).rowcount or 0


async def forget_strangers(uow: UnitOfWork, before: datetime) -> int:
    """Audit rows about strangers (a chat address that was nobody's) from before ``before``:
    who wrote when is worth keeping for a while to see an attack, not for ever."""
    result = await uow.session.execute(
        delete(AuditEvent).where(
            AuditEvent.person_id.is_(None),
            AuditEvent.user_address.is_not(None),
            AuditEvent.at < before,
        )
    )
    return cast(CursorResult[tuple[()]], result).rowcount or 0


async def forget_spent_invitations(uow: UnitOfWork, before: datetime) -> int:
    """Invitations used, revoked or run out by ``before``: they open nothing any more, and a
    copy of the database need not hold them (the audit log keeps who joined when)."""
    return await purge_spent_invitations(uow.session, before)


async def forget_spent_tokens(uow: UnitOfWork, before: datetime) -> int:
    """Calendar and unsubscribe tokens run out or revoked by ``before``."""
    return await purge_spent_tokens(uow.session, before)


async def forget_email_bodies(uow: UnitOfWork, before: datetime) -> int:
    """E-mails done with (sent, given up, bounced) since before ``before``: their text, subject
    and address go (names, links, deadlines); the row stays, so the day's e-mail still knows
    which deadlines it already told of and is never composed twice."""
    result = await uow.session.execute(
        update(EmailMessage)
        .where(
            EmailMessage.state.in_(("sent", "failed", "bounced")),
            EmailMessage.created_at < before,
            EmailMessage.to_address != "",
        )
        .values(message=b"", subject="", to_address="", last_error=None)
    )
    return cast(CursorResult[tuple[()]], result).rowcount or 0
