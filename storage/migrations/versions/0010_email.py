"""e-mail: the outbox of composed e-mails, and each person's e-mail settings

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("email_token", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("email_opt_out_at", UTCDateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column("digest_by_email", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch.add_column(
            sa.Column("email_unreachable_at", UTCDateTime(timezone=True), nullable=True)
        )
        batch.add_column(
            sa.Column("email_unreachable_reason", sa.String(length=200), nullable=True)
        )
        batch.create_unique_constraint(op.f("uq_people_email_token"), ["email_token"])
    op.create_table(
        "emails",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("day_on", sa.Date(), nullable=True),
        sa.Column("occurrences", sa.JSON(), nullable=True),
        sa.Column("to_address", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("message", sa.LargeBinary(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("sent_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_emails_person_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_emails")),
        sa.UniqueConstraint("key", name=op.f("uq_emails_key")),
    )
    op.create_index(
        "ix_emails_pending_next_attempt_at",
        "emails",
        ["next_attempt_at"],
        unique=False,
        sqlite_where=sa.text("state = 'pending'"),
        postgresql_where=sa.text("state = 'pending'"),
    )
    op.create_index(
        "ix_emails_person_id_kind_day_on", "emails", ["person_id", "kind", "day_on"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_emails_person_id_kind_day_on", table_name="emails")
    op.drop_index("ix_emails_pending_next_attempt_at", table_name="emails")
    op.drop_table("emails")
    with op.batch_alter_table("people") as batch:
        batch.drop_constraint(op.f("uq_people_email_token"), type_="unique")
        batch.drop_column("email_unreachable_reason")
        batch.drop_column("email_unreachable_at")
        batch.drop_column("digest_by_email")
        batch.drop_column("email_opt_out_at")
        batch.drop_column("email_token")
