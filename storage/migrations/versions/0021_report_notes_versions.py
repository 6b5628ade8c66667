"""report notes' versions: each typed section of the report («Пояснительная записка»,
«Выводы и предложения») with its version, author and time, so that of two coordinators editing
it in the chat at once the later is told

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-14 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SECTIONS = ("explanatory", "conclusions")


def upgrade() -> None:
    with op.batch_alter_table("report_notes") as batch:
        for section in SECTIONS:
            batch.add_column(
                sa.Column(f"{section}_version", sa.Integer(), server_default="0", nullable=False)
            )
            batch.add_column(sa.Column(f"{section}_by_id", sa.Integer(), nullable=True))
            batch.add_column(sa.Column(f"{section}_at", UTCDateTime(), nullable=True))
            batch.create_foreign_key(
                op.f(f"fk_report_notes_{section}_by_id_people"),
                "people",
                [f"{section}_by_id"],
                ["id"],
                ondelete="SET NULL",
            )
    # A section written before versions existed is at version 1: a chat editor who opened it
    # saw that, and a save over an empty one starts from 0.
    for section in SECTIONS:
        op.execute(
            f"UPDATE report_notes SET {section}_version = 1, {section}_at = updated_at "
            f"WHERE {section} <> ''"
        )


def downgrade() -> None:
    with op.batch_alter_table("report_notes") as batch:
        for section in reversed(SECTIONS):
            batch.drop_constraint(
                op.f(f"fk_report_notes_{section}_by_id_people"), type_="foreignkey"
            )
            batch.drop_column(f"{section}_at")
            batch.drop_column(f"{section}_by_id")
            batch.drop_column(f"{section}_version")
