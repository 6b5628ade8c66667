"""max: people's accounts per messenger, the messenger they chose, MAX message ids

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("messenger_choice", sa.String(length=16), nullable=True))
    op.create_table(
        "messenger_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("messenger", sa.String(length=16), nullable=False),
        sa.Column("user_address", sa.BigInteger(), nullable=False),
        sa.Column("chat_address", sa.BigInteger(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=True),
        sa.Column("joined_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("unreachable_since_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("unreachable_reason", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_messenger_accounts_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messenger_accounts")),
        sa.UniqueConstraint("user_address", name=op.f("uq_messenger_accounts_user_address")),
        sa.UniqueConstraint(
            "person_id", "messenger", name=op.f("uq_messenger_accounts_person_id_messenger")
        ),
    )
    op.create_index(
        op.f("ix_messenger_accounts_person_id"), "messenger_accounts", ["person_id"], unique=False
    )
    # Everyone who joined so far joined in Telegram.
    op.execute(
        "INSERT INTO messenger_accounts (person_id, messenger, user_address, chat_address, "
        "username, joined_at, last_used_at, unreachable_since_at, unreachable_reason) "
        "SELECT id, 'telegram', telegram_user_id, telegram_chat_id, telegram_username, "
        "COALESCE(joined_at, created_at), COALESCE(joined_at, created_at), "
        "unreachable_since_at, unreachable_reason FROM people "
        "WHERE telegram_user_id IS NOT NULL AND telegram_chat_id IS NOT NULL"
    )
    op.create_table(
        "max_messages",
        sa.Column("chat_address", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("mid", sa.String(length=128), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("chat_address", "message_id", name=op.f("pk_max_messages")),
    )
    op.create_index(
        op.f("ix_max_messages_created_at"), "max_messages", ["created_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_max_messages_created_at"), table_name="max_messages")
    op.drop_table("max_messages")
    op.drop_index(op.f("ix_messenger_accounts_person_id"), table_name="messenger_accounts")
    op.drop_table("messenger_accounts")
    with op.batch_alter_table("people") as batch:
        batch.drop_column("messenger_choice")
