"""calendar tokens: a private, revocable subscription URL per person

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("calendar_token", sa.String(length=64), nullable=True))
        batch.create_unique_constraint(op.f("uq_people_calendar_token"), ["calendar_token"])


def downgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.drop_constraint(op.f("uq_people_calendar_token"), type_="unique")
        batch.drop_column("calendar_token")
