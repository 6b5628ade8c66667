"""actual results: the coordinator's consolidated «Фактический результат» of each measure, the
report's typed sections per roadmap and year, and the roadmap's issuing body

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("roadmaps") as batch:
        batch.add_column(sa.Column("issuer", sa.Text(), nullable=True))
    op.create_table(
        "actual_results",
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["measure_id"],
            ["measures.id"],
            name=op.f("fk_actual_results_measure_id_measures"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["people.id"],
            name=op.f("fk_actual_results_updated_by_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("measure_id", name=op.f("pk_actual_results")),
    )
    op.create_table(
        "report_notes",
        sa.Column("roadmap_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("explanatory", sa.Text(), nullable=False),
        sa.Column("conclusions", sa.Text(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["roadmap_id"],
            ["roadmaps.id"],
            name=op.f("fk_report_notes_roadmap_id_roadmaps"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("roadmap_id", "year", name=op.f("pk_report_notes")),
    )


def downgrade() -> None:
    op.drop_table("report_notes")
    op.drop_table("actual_results")
    with op.batch_alter_table("roadmaps") as batch:
        batch.drop_column("issuer")
