"""school staff: a deputy who reports for the school, and who of its staff is reminded

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.add_column(
            sa.Column("deputy", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(sa.Column("reminded", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("organisations") as batch:
        batch.drop_column("reminded")
    with op.batch_alter_table("people") as batch:
        batch.drop_column("deputy")
