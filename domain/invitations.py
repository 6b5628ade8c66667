"""Invitation rules: unguessable single-use tokens that expire."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

# Telegram allows at most 64 characters of A-Za-z0-9_- in a /start payload, MAX 128.
# 24 random bytes give 32 url-safe characters: 192 bits, far beyond guessing.
_TOKEN_BYTES = 24
_TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
DEFAULT_TTL = timedelta(days=14)
# A calendar subscription is re-issued on demand (/calendar) once it runs out; an unsubscribe
# link only has to outlive the e-mail it came in.
CALENDAR_TTL = timedelta(days=365)
UNSUBSCRIBE_TTL = timedelta(days=90)


class Purpose(StrEnum):
    """What an invitation is for. A person who has joined gets no second identity from a plain
    invitation: another messenger is linked only by a link they asked for themselves."""

    JOIN = "join"
    LINK = "link"


def new_token() -> str:
    return secrets.token_urlsafe(_TOKEN_BYTES)


def token_digest(token: str) -> str:
    """Only the digest is stored, so a copy of the database cannot be used to join."""
    return hashlib.sha256(token.encode()).hexdigest()


def looks_like_token(text: str) -> bool:
    return bool(_TOKEN_PATTERN.match(text))


def deep_link(bot_username: str, token: str) -> str:
    return f"https://t.me/{bot_username}?start={token}"


def max_deep_link(bot_username: str, token: str) -> str:
    """Opening it in MAX sends the bot ``bot_started`` with the token as its payload."""
    return f"https://max.ru/{bot_username}?start={token}"


class RedeemOutcome(StrEnum):
    OK = "ok"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"
    ALREADY_JOINED = "already_joined"
    ACCOUNT_TAKEN = "account_taken"
    # A plain invitation for someone who already joined, opened from an account not theirs.
    HAS_ACCOUNT = "has_account"


@dataclass(frozen=True, slots=True)
class InvitationFacts:
    """What the rules need to know about an invitation and the people around it."""

    expires_at: datetime
    used_at: datetime | None
    person_id: int
    # The invitee's account in the messenger the link is opened in, if they joined there.
    person_address: int | None
    purpose: Purpose = Purpose.JOIN
    # Whether the invitee joined in any messenger already.
    has_account: bool = False
    revoked: bool = False


def judge_redemption(
    invitation: InvitationFacts | None,
    user_address: int,
    joined_person_id: int | None,
    now: datetime,
) -> RedeemOutcome:
    """Decide whether ``user_address`` may join with this invitation at ``now``.

    ``joined_person_id`` is the person this Telegram account already belongs to, if any.
    """
    if invitation is None:
        return RedeemOutcome.UNKNOWN
    if joined_person_id is not None:
        # Pressing one's own link twice is harmless; a joined account cannot become someone else.
        if joined_person_id == invitation.person_id:
            return RedeemOutcome.ALREADY_JOINED
        return RedeemOutcome.ACCOUNT_TAKEN
    if invitation.used_at is not None or invitation.revoked:
        return RedeemOutcome.USED
    if invitation.person_address is not None and invitation.person_address != user_address:
        return RedeemOutcome.USED
    if now >= invitation.expires_at:
        return RedeemOutcome.EXPIRED
    if invitation.has_account and invitation.purpose is not Purpose.LINK:
        # Whoever holds a leftover plain link is not the person: only a link the person asked
        # for from their own account adds a messenger.
        return RedeemOutcome.HAS_ACCOUNT
    if not invitation.has_account and invitation.purpose is Purpose.LINK:
        return RedeemOutcome.USED  # a link to add a messenger, for someone with none: void
    return RedeemOutcome.OK
