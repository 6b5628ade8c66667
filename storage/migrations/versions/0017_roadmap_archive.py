"""roadmap archive: the coordinator's word on archiving a roadmap (several run at once)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 14:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("roadmaps") as batch:
        batch.add_column(sa.Column("archive_choice", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("roadmaps") as batch:
        batch.drop_column("archive_choice")
