"""decisions: who withdrew a request; a report's save key (one report per pressed «Сохранить»)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("requests") as batch:
        batch.add_column(sa.Column("withdrawn_by_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_requests_withdrawn_by_id_people"),
            "people",
            ["withdrawn_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("status_reports") as batch:
        batch.add_column(sa.Column("save_key", sa.String(length=32), nullable=True))
        batch.create_unique_constraint(op.f("uq_status_reports_save_key"), ["save_key"])


def downgrade() -> None:
    with op.batch_alter_table("status_reports") as batch:
        batch.drop_constraint(op.f("uq_status_reports_save_key"), type_="unique")
        batch.drop_column("save_key")
    with op.batch_alter_table("requests") as batch:
        batch.drop_constraint(op.f("fk_requests_withdrawn_by_id_people"), type_="foreignkey")
        batch.drop_column("withdrawn_by_id")
