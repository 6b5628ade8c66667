"""column choices: a coordinator's answer to «which column is the deadline?» is remembered

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "column_choices",
        sa.Column("signature", sa.String(length=64), nullable=False),
        sa.Column("columns", sa.JSON(), nullable=False),
        sa.Column("chosen_by_id", sa.Integer(), nullable=True),
        sa.Column("chosen_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["chosen_by_id"],
            ["people.id"],
            name=op.f("fk_column_choices_chosen_by_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("signature", name=op.f("pk_column_choices")),
    )


def downgrade() -> None:
    op.drop_table("column_choices")
