"""Column choices remembered per table header: «Этап» is the deadline in this district's files."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from domain.roadmap.columns import Column
from storage.models import ColumnChoiceMemory
from storage.unit_of_work import UnitOfWork


async def remembered_columns(uow: UnitOfWork, signature: str) -> dict[Column, int] | None:
    row = await uow.session.get(ColumnChoiceMemory, signature)
    if row is None:
        return None
    known = {column.value: column for column in Column}
    return {
        known[role]: int(index)
        for role, index in row.columns.items()
        if role in known and isinstance(index, int) and index >= 0
    }


async def remember_columns(
    uow: UnitOfWork,
    signature: str,
    columns: Mapping[Column, int],
    *,
    chosen_by_id: int | None,
    now: datetime,
) -> None:
    row = await uow.session.get(ColumnChoiceMemory, signature)
    values = {role.value: index for role, index in columns.items()}
    if row is None:
        uow.session.add(
            ColumnChoiceMemory(
                signature=signature, columns=values, chosen_by_id=chosen_by_id, chosen_at=now
            )
        )
    else:
        row.columns = values
        row.chosen_by_id = chosen_by_id
        row.chosen_at = now
