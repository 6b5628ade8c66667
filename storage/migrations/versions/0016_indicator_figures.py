"""indicator figures: how each indicator is collected, and the figures reporters send

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "indicator_collections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=True),
        sa.Column("reporters", sa.JSON(), nullable=False),
        sa.Column("shape", sa.String(length=16), nullable=False),
        sa.Column("numerator_question", sa.Text(), nullable=False),
        sa.Column("denominator_question", sa.Text(), nullable=True),
        sa.Column("aggregate", sa.String(length=16), nullable=False),
        sa.Column("as_of", sa.JSON(), nullable=False),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        sa.Column("confirmed_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicators.id"],
            name=op.f("fk_indicator_collections_indicator_id_indicators"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["measure_id"],
            ["measures.id"],
            name=op.f("fk_indicator_collections_measure_id_measures"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["confirmed_by_id"],
            ["people.id"],
            name=op.f("fk_indicator_collections_confirmed_by_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_collections")),
        sa.UniqueConstraint("indicator_id", name=op.f("uq_indicator_collections_indicator_id")),
        sa.UniqueConstraint("measure_id", name=op.f("uq_indicator_collections_measure_id")),
    )
    op.create_table(
        "indicator_figures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("as_of_on", sa.Date(), nullable=False),
        sa.Column("numerator", sa.Float(), nullable=False),
        sa.Column("denominator", sa.Float(), nullable=True),
        sa.Column("status_report_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("confirmed_unusual", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("counted", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicators.id"],
            name=op.f("fk_indicator_figures_indicator_id_indicators"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_indicator_figures_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["status_report_id"],
            ["status_reports.id"],
            name=op.f("fk_indicator_figures_status_report_id_status_reports"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_indicator_figures_person_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_figures")),
        sa.UniqueConstraint("status_report_id", name=op.f("uq_indicator_figures_status_report_id")),
    )
    op.create_index(
        "ix_indicator_figures_sums",
        "indicator_figures",
        ["indicator_id", "as_of_on", "counted", "organisation_id", "numerator", "denominator"],
        unique=False,
    )
    op.create_index(
        "ix_occurrences_measure_due",
        "occurrences",
        ["measure_id", "due_on", "status"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_occurrences_measure_due", table_name="occurrences")
    op.drop_index("ix_indicator_figures_sums", table_name="indicator_figures")
    op.drop_table("indicator_figures")
    op.drop_table("indicator_collections")
