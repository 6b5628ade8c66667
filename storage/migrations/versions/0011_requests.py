"""requests: the coordinator's requests to schools, each riding on a measure of kind «request»

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("measures") as batch:
        batch.add_column(
            sa.Column("kind", sa.String(length=16), server_default="roadmap", nullable=False)
        )
    op.create_table(
        "requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("parent_measure_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("due_text", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("addressees", sa.JSON(), nullable=False),
        sa.Column("form_name", sa.String(length=300), nullable=True),
        sa.Column("form_sha256", sa.String(length=64), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["measure_id"],
            ["measures.id"],
            name=op.f("fk_requests_measure_id_measures"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["parent_measure_id"],
            ["measures.id"],
            name=op.f("fk_requests_parent_measure_id_measures"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["people.id"],
            name=op.f("fk_requests_created_by_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_requests")),
        sa.UniqueConstraint("measure_id", name=op.f("uq_requests_measure_id")),
    )
    op.create_index(
        op.f("ix_requests_parent_measure_id"), "requests", ["parent_measure_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_requests_parent_measure_id"), table_name="requests")
    op.drop_table("requests")
    with op.batch_alter_table("measures") as batch:
        batch.drop_column("kind")
