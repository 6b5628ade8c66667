"""indicators: target indicators read from the roadmap document, and their targets by year

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("roadmap_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=False),
        sa.Column("base_year", sa.Integer(), nullable=True),
        sa.Column("base_value", sa.Text(), nullable=True),
        sa.Column("direction", sa.String(length=8), nullable=True),
        sa.Column("direction_inferred", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("measure_number", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(
            ["roadmap_id"],
            ["roadmaps.id"],
            name=op.f("fk_indicators_roadmap_id_roadmaps"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicators")),
    )
    op.create_index(op.f("ix_indicators_roadmap_id"), "indicators", ["roadmap_id"], unique=False)
    op.create_table(
        "indicator_targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("value", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicators.id"],
            name=op.f("fk_indicator_targets_indicator_id_indicators"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_targets")),
    )
    op.create_index(
        op.f("ix_indicator_targets_indicator_id"),
        "indicator_targets",
        ["indicator_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_indicator_targets_indicator_id"), table_name="indicator_targets")
    op.drop_table("indicator_targets")
    op.drop_index(op.f("ix_indicators_roadmap_id"), table_name="indicators")
    op.drop_table("indicators")
