"""Strangers (people who joined nobody): one answer per quiet spell, no word of theirs kept.

Anyone can write to the bot. What a stranger wrote is not the department's to keep, so the
audit log records only that a stranger wrote (their address and when), never the text; and
a stranger who sends ten messages gets one polite answer and one audit row, not ten: the
next answer and row come after ``QUIET`` without one. The audit log itself tells whether a
stranger was answered lately, so every replica agrees without a table of its own.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from storage.models import AuditEvent
from storage.unit_of_work import UnitOfWork

QUIET = timedelta(minutes=15)
STRANGER_ACTIONS = ("stranger.message", "stranger.start", "stranger.button")


async def answer_stranger(
    uow: UnitOfWork, user_address: int | None, action: str, now: datetime
) -> bool:
    """Whether to answer this stranger now; if so, the audit row is added (the caller
    commits). ``action`` is one of ``STRANGER_ACTIONS``."""
    if user_address is not None:
        recent = await uow.session.scalar(
            select(AuditEvent.id)
            .where(
                AuditEvent.user_address == user_address,
                AuditEvent.action.in_(STRANGER_ACTIONS),
                AuditEvent.at > now - QUIET,
            )
            .limit(1)
        )
        if recent is not None:
            return False
    uow.audit.add(at=now, action=action, outcome="refused", user_address=user_address)
    return True
