"""roadmap coordinators: who answers for each roadmap when a department runs several

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-08 00:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "roadmap_coordinators",
        sa.Column("roadmap_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["roadmap_id"],
            ["roadmaps.id"],
            name=op.f("fk_roadmap_coordinators_roadmap_id_roadmaps"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_roadmap_coordinators_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("roadmap_id", "person_id", name=op.f("pk_roadmap_coordinators")),
    )


def downgrade() -> None:
    op.drop_table("roadmap_coordinators")
