"""organisation aliases: the other names an organisation is written by («УО УКМО»)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "organisation_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("key", sa.String(length=500), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_organisation_aliases_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_aliases")),
        sa.UniqueConstraint("key", name=op.f("uq_organisation_aliases_key")),
    )
    op.create_index(
        op.f("ix_organisation_aliases_organisation_id"),
        "organisation_aliases",
        ["organisation_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_organisation_aliases_organisation_id"), table_name="organisation_aliases"
    )
    op.drop_table("organisation_aliases")
