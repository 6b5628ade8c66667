from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from domain.invitations import (
    InvitationFacts,
    Purpose,
    RedeemOutcome,
    deep_link,
    judge_redemption,
    looks_like_token,
    new_token,
    token_digest,
)

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def facts(**overrides: object) -> InvitationFacts:
    values: dict[str, object] = {
        "expires_at": NOW + timedelta(days=1),
        "used_at": None,
        "person_id": 7,
        "person_address": None,
    }
    values.update(overrides)
    return InvitationFacts(**values)  # type: ignore[arg-type]


def test_tokens_fit_telegram_start_payload_and_do_not_repeat() -> None:
    tokens = {new_token() for _ in range(1000)}
    assert len(tokens) == 1000
    for token in tokens:
        assert re.fullmatch(r"[A-Za-z0-9_-]{32}", token)
        assert looks_like_token(token)


def test_only_the_digest_is_stored_and_it_is_stable() -> None:
    token = new_token()
    assert token_digest(token) == token_digest(token)
    assert token not in token_digest(token)


def test_deep_link() -> None:
    assert deep_link("my_bot", "abc") == "https://t.me/my_bot?start=abc"


@pytest.mark.parametrize(
    ("invitation", "joined", "now", "outcome"),
    [
        (facts(), None, NOW, RedeemOutcome.OK),
        (None, None, NOW, RedeemOutcome.UNKNOWN),
        (facts(), None, NOW + timedelta(days=1), RedeemOutcome.EXPIRED),
        (facts(used_at=NOW), None, NOW, RedeemOutcome.USED),
        (facts(person_address=555), None, NOW, RedeemOutcome.USED),
        (facts(), 7, NOW, RedeemOutcome.ALREADY_JOINED),
        (facts(used_at=NOW), 7, NOW, RedeemOutcome.ALREADY_JOINED),
        (facts(), 8, NOW, RedeemOutcome.ACCOUNT_TAKEN),
        # Once the person joined anywhere, a plain invitation makes nobody them.
        (facts(has_account=True), None, NOW, RedeemOutcome.HAS_ACCOUNT),
        (facts(revoked=True), None, NOW, RedeemOutcome.USED),
        # Another messenger only by the link the person asked for, in that messenger.
        (facts(has_account=True, purpose=Purpose.LINK), None, NOW, RedeemOutcome.OK),
        (
            facts(has_account=True, purpose=Purpose.LINK, person_address=555),
            None,
            NOW,
            RedeemOutcome.USED,
        ),
        (facts(purpose=Purpose.LINK), None, NOW, RedeemOutcome.USED),
        (
            facts(has_account=True, purpose=Purpose.LINK),
            None,
            NOW + timedelta(days=1),
            RedeemOutcome.EXPIRED,
        ),
    ],
)
def test_judge_redemption(
    invitation: InvitationFacts | None, joined: int | None, now: datetime, outcome: RedeemOutcome
) -> None:
    assert judge_redemption(invitation, 1001, joined, now) is outcome


@pytest.mark.parametrize("text", ["", "short", "a b c d e f g h i j k", "x" * 65, "токен" * 5])
def test_malformed_tokens_are_rejected_before_any_lookup(text: str) -> None:
    assert not looks_like_token(text)
