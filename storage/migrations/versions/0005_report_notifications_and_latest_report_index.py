"""report notifications (hourly batch), index for the latest report of an occurrence

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 21:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("status_reports", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("notified_at", storage.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(
            "ix_status_reports_occurrence_id", ["occurrence_id", "id"], unique=False
        )
        batch_op.create_index(
            "ix_status_reports_unnotified",
            ["id"],
            unique=False,
            sqlite_where=sa.text("notified_at IS NULL"),
            postgresql_where=sa.text("notified_at IS NULL"),
        )
    # Reports saved before this version were sent to the coordinators at once.
    op.execute("UPDATE status_reports SET notified_at = created_at")


def downgrade() -> None:
    with op.batch_alter_table("status_reports", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_status_reports_unnotified",
            sqlite_where=sa.text("notified_at IS NULL"),
            postgresql_where=sa.text("notified_at IS NULL"),
        )
        batch_op.drop_index("ix_status_reports_occurrence_id")
        batch_op.drop_column("notified_at")
