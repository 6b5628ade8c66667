"""Saving the indicators read with a roadmap, in the import's own transaction: an indicator
imported before is found again by its number and name (or by its name when renumbered) and
updated in place, so that its id, and the figures that will hang on it, stay."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select

from domain.indicators.draft import IndicatorDraft
from storage.models import Indicator, IndicatorTarget
from storage.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class SavedIndicators:
    added: int
    updated: int
    kept: int  # in the database but no longer in the document: kept, not deleted


def _key(name: str) -> str:
    return " ".join(name.split()).lower().replace("ё", "е")


async def save_indicators(
    uow: UnitOfWork, roadmap_id: int, drafts: tuple[IndicatorDraft, ...]
) -> SavedIndicators:
    existing = list(
        (
            await uow.session.scalars(
                select(Indicator).where(Indicator.roadmap_id == roadmap_id).order_by(Indicator.id)
            )
        ).all()
    )
    added = updated = 0
    for position, draft in enumerate(drafts):
        indicator = _take(existing, draft)
        if indicator is None:
            indicator = Indicator(roadmap_id=roadmap_id)
            uow.session.add(indicator)
            added += 1
        else:
            updated += 1
        _fill(indicator, draft, position)
        await uow.session.flush()
        await uow.session.execute(
            delete(IndicatorTarget).where(IndicatorTarget.indicator_id == indicator.id)
        )
        for order, target in enumerate(draft.targets):
            uow.session.add(
                IndicatorTarget(
                    indicator_id=indicator.id, position=order, year=target.year, value=target.value
                )
            )
    await uow.session.flush()
    return SavedIndicators(added, updated, len(existing))


def _take(existing: list[Indicator], draft: IndicatorDraft) -> Indicator | None:
    """The same indicator imported before: same number and name, else the same name alone."""
    name = _key(draft.name)
    same_name = [i for i in existing if _key(i.name) == name]
    found = next((i for i in same_name if i.number == draft.number), None)
    if found is None and same_name:
        found = same_name[0]
    if found is not None:
        existing.remove(found)
    return found


def _fill(indicator: Indicator, draft: IndicatorDraft, position: int) -> None:
    indicator.number = draft.number
    indicator.position = position
    indicator.name = draft.name
    indicator.unit = draft.unit
    indicator.base_year = draft.base.year if draft.base else None
    indicator.base_value = draft.base.value if draft.base else None
    indicator.direction = draft.direction.value if draft.direction else None
    indicator.direction_inferred = draft.direction_inferred
    indicator.measure_number = draft.measure
