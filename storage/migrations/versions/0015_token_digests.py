"""token digests: calendar and unsubscribe tokens kept only as SHA-256, expiring and revocable;
invitations with a purpose and revocation; sent e-mails' bodies cleared

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 04:30:00
"""

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The lifetimes the settings default to: existing links keep working that long from now.
_KEPT = {"calendar_token": ("calendar", 365), "email_token": ("unsubscribe", 90)}


def upgrade() -> None:
    # Read the plain tokens first: on SQLite the people table is rebuilt below, and dropping
    # the old one would cascade to any row that already referred to it.
    connection = op.get_bind()
    now = datetime.now(UTC)
    kept = {
        column: connection.execute(
            sa.text(f"SELECT id, {column} FROM people WHERE {column} IS NOT NULL")
        ).all()
        for column in _KEPT
    }
    with op.batch_alter_table("people") as batch:
        batch.drop_constraint(op.f("uq_people_calendar_token"), type_="unique")
        batch.drop_constraint(op.f("uq_people_email_token"), type_="unique")
        batch.drop_column("calendar_token")
        batch.drop_column("email_token")
    op.create_table(
        "access_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_access_tokens_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_tokens")),
        sa.UniqueConstraint("digest", name=op.f("uq_access_tokens_digest")),
    )
    op.create_index(
        op.f("ix_access_tokens_person_id"), "access_tokens", ["person_id"], unique=False
    )
    # Existing plain tokens become digests: the links already handed out keep working.
    tokens = sa.table(
        "access_tokens",
        sa.column("person_id", sa.Integer()),
        sa.column("purpose", sa.String()),
        sa.column("digest", sa.String()),
        sa.column("created_at", UTCDateTime(timezone=True)),
        sa.column("expires_at", UTCDateTime(timezone=True)),
    )
    for column, (purpose, days) in _KEPT.items():
        if kept[column]:
            op.bulk_insert(
                tokens,
                [
                    {
                        "person_id": person_id,
                        "purpose": purpose,
                        "digest": hashlib.sha256(token.encode()).hexdigest(),
                        "created_at": now,
                        "expires_at": now + timedelta(days=days),
                    }
                    for person_id, token in kept[column]
                ],
            )
    with op.batch_alter_table("invitations") as batch:
        batch.add_column(
            sa.Column("purpose", sa.String(length=16), server_default="join", nullable=False)
        )
        batch.add_column(sa.Column("revoked_at", UTCDateTime(timezone=True), nullable=True))
    # A person who joined: their other open links stop working (whoever holds one is not them).
    op.execute(
        sa.text(
            "UPDATE invitations SET revoked_at = :now WHERE used_at IS NULL AND person_id IN "
            "(SELECT id FROM people WHERE telegram_user_id IS NOT NULL)"
        ).bindparams(sa.bindparam("now", now, type_=UTCDateTime(timezone=True)))
    )
    # Sent e-mails carried join and unsubscribe links: keep only who, what and when.
    op.execute("UPDATE emails SET message = '' WHERE state NOT IN ('pending', 'sending')")


def downgrade() -> None:
    # The plain tokens cannot be recovered: people get new calendar and unsubscribe links.
    with op.batch_alter_table("invitations") as batch:
        batch.drop_column("revoked_at")
        batch.drop_column("purpose")
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("calendar_token", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("email_token", sa.String(length=64), nullable=True))
        batch.create_unique_constraint(op.f("uq_people_calendar_token"), ["calendar_token"])
        batch.create_unique_constraint(op.f("uq_people_email_token"), ["email_token"])
    op.drop_index(op.f("ix_access_tokens_person_id"), table_name="access_tokens")
    op.drop_table("access_tokens")
