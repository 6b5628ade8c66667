"""Each indicator's collection rule: proposed from the document at import, confirmed (or changed)
by the coordinator. Confirming gives the indicator a carrier measure of kind «indicator», the
reporters their assignments and one occurrence per as-of date, so the reminder policy,
catch-ups, the day's e-mail, extensions, review and the digest apply to figures unchanged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, func, select

from domain.indicators.collection import (
    CollectionRule,
    ReporterKind,
    Reporters,
    Shape,
    propose_rule,
)
from domain.roadmap.draft import AssigneeKind
from storage.models import (
    INDICATOR_MEASURE,
    Assignment,
    Indicator,
    IndicatorCollection,
    IndicatorTarget,
    Measure,
    Occurrence,
    Organisation,
    Roadmap,
    StatusReport,
)
from storage.unit_of_work import UnitOfWork
from storage.usecases.assignments import materialise_assignments
from storage.usecases.planning import plan_due_reminders, sync_occurrences

# A carrier measure's number: «П-1» for indicator 1, in digests and summaries.
CARRIER_PREFIX = "П-"
# Carrier measures sort after every measure and request of their roadmap.
_POSITION_BASE = 2_000_000


class NoReportersError(ValueError):
    """The rule names nobody: no schools yet, no school with that tag, unknown ids."""


@dataclass(frozen=True, slots=True)
class CollectionView:
    indicator_id: int
    number: str
    name: str
    unit: str
    rule: CollectionRule
    confirmed: bool
    measure_id: int | None
    reporters_count: int  # organisations asked (0 for the department)


def rule_of(collection: IndicatorCollection) -> CollectionRule:
    return CollectionRule(
        Reporters.from_json(collection.reporters),
        Shape(collection.shape),
        collection.numerator_question,
        collection.denominator_question if collection.shape == Shape.SHARE.value else None,
        tuple(date.fromisoformat(d) for d in collection.as_of or []),
    )


async def propose_collections(uow: UnitOfWork, roadmap_id: int) -> int:
    """An unconfirmed rule for every indicator of the roadmap that has none yet; a rule the
    coordinator confirmed, and the figures behind it, stay as they are on a re-import."""
    roadmap = await uow.session.get(Roadmap, roadmap_id)
    assert roadmap is not None
    have = select(IndicatorCollection.indicator_id)
    indicators = (
        await uow.session.scalars(
            select(Indicator).where(Indicator.roadmap_id == roadmap_id, Indicator.id.not_in(have))
        )
    ).all()
    for indicator in indicators:
        years = list(
            await uow.session.scalars(
                select(IndicatorTarget.year).where(IndicatorTarget.indicator_id == indicator.id)
            )
        )
        rule = propose_rule(
            indicator.name,
            indicator.unit,
            years,
            report_month=roadmap.annual_due_month,
            report_day=roadmap.annual_due_day,
            period=(roadmap.period_start_on.year, roadmap.period_end_on.year),
        )
        collection = IndicatorCollection(indicator_id=indicator.id)
        _write_rule(collection, rule)
        uow.session.add(collection)
    await uow.session.flush()
    return len(indicators)


async def collections(uow: UnitOfWork, roadmap_id: int | None = None) -> list[CollectionView]:
    """Every indicator of the roadmap (when none is named, the newest roadmap that has
    indicators: a plan imported later without any does not hide them) with its rule."""
    if roadmap_id is None:
        roadmap_id = await _newest_with_indicators(uow)
        if roadmap_id is None:
            return []
    await propose_collections(uow, roadmap_id)
    rows = await uow.session.execute(
        select(Indicator, IndicatorCollection)
        .join(IndicatorCollection, IndicatorCollection.indicator_id == Indicator.id)
        .where(Indicator.roadmap_id == roadmap_id)
        .order_by(Indicator.position, Indicator.id)
    )
    found = []
    for indicator, collection in rows:
        count = 0
        if collection.measure_id is not None:
            count = (
                await uow.session.scalar(
                    select(func.count(Assignment.id)).where(
                        Assignment.measure_id == collection.measure_id
                    )
                )
                or 0
            )
        found.append(
            CollectionView(
                indicator.id,
                indicator.number,
                indicator.name,
                indicator.unit,
                rule_of(collection),
                collection.confirmed_at is not None,
                collection.measure_id,
                count,
            )
        )
    return found


async def collection_of(uow: UnitOfWork, indicator_id: int) -> CollectionView | None:
    indicator = await uow.session.get(Indicator, indicator_id)
    if indicator is None:
        return None
    return next(
        (c for c in await collections(uow, indicator.roadmap_id) if c.indicator_id == indicator_id),
        None,
    )


async def indicator_by_number(
    uow: UnitOfWork, number: str, roadmap_id: int | None = None
) -> int | None:
    """The indicator with this number of this roadmap, or of the newest roadmap that has
    indicators."""
    if roadmap_id is None:
        roadmap_id = await _newest_with_indicators(uow)
    return await uow.session.scalar(
        select(Indicator.id).where(Indicator.roadmap_id == roadmap_id, Indicator.number == number)
    )


async def _newest_with_indicators(uow: UnitOfWork) -> int | None:
    return await uow.session.scalar(select(func.max(Indicator.roadmap_id)))


async def save_rule(
    uow: UnitOfWork,
    indicator_id: int,
    rule: CollectionRule,
    *,
    person_id: int | None,
    now: datetime,
) -> CollectionView:
    """Confirm the rule: its carrier measure, the reporters' assignments, one occurrence each
    per as-of date, and their reminders. Raises ``NoReportersError`` before writing anything
    when the rule names nobody. Occurrences already answered stay, with their figures."""
    indicator = await uow.session.get(Indicator, indicator_id)
    assert indicator is not None
    organisations = await reporters_of(uow, rule.reporters)
    if rule.reporters.kind is not ReporterKind.DEPARTMENT and not organisations:
        raise NoReportersError(rule.reporters.kind.value)
    collection = await uow.session.scalar(
        select(IndicatorCollection).where(IndicatorCollection.indicator_id == indicator_id)
    )
    if collection is None:
        collection = IndicatorCollection(indicator_id=indicator_id)
        uow.session.add(collection)
    _write_rule(collection, rule)
    collection.confirmed_by_id = person_id
    collection.confirmed_at = now
    measure = await _carrier(uow, indicator, collection, rule)
    await uow.session.flush()
    if measure is not None:
        if rule.reporters.kind in (ReporterKind.ALL, ReporterKind.TAG):
            # As a measure for «every school» does: a school added later is asked too.
            measure.assignee_specs = [_schools_spec(rule.reporters.tag)]
            await materialise_assignments(uow, measure, now)
        else:
            measure.assignee_specs = None
            await _assign(uow, measure.id, organisations)
        await sync_occurrences(uow, [measure.id])
        await plan_due_reminders(uow, now, [measure.id])
    uow.audit.add(
        at=now,
        action="indicator.collect",
        person_id=person_id,
        details={"indicator_id": indicator_id, "reporters": len(organisations)},
    )
    view = await collection_of(uow, indicator_id)
    assert view is not None
    return view


async def reporters_of(uow: UnitOfWork, reporters: Reporters) -> list[int]:
    """The organisations a rule asks: schools (all, by tag) or the ones chosen."""
    if reporters.kind is ReporterKind.DEPARTMENT:
        return []
    rows = list(
        await uow.session.execute(
            select(Organisation.id, Organisation.tags, Organisation.kind).order_by(Organisation.id)
        )
    )
    if reporters.kind is ReporterKind.ORGANISATIONS:
        wanted = set(reporters.organisation_ids)
        return [i for i, _tags, _kind in rows if i in wanted]
    schools = [(i, tags) for i, tags, kind in rows if kind == "school"]
    if reporters.kind is ReporterKind.TAG:
        return [i for i, tags in schools if reporters.tag in (tags or [])]
    return [i for i, _tags in schools]


def _write_rule(collection: IndicatorCollection, rule: CollectionRule) -> None:
    collection.reporters = rule.reporters.as_json()
    collection.shape = rule.shape.value
    collection.numerator_question = rule.numerator_question
    collection.denominator_question = rule.denominator_question
    collection.aggregate = rule.aggregate
    collection.as_of = [d.isoformat() for d in rule.as_of]


async def _carrier(
    uow: UnitOfWork, indicator: Indicator, collection: IndicatorCollection, rule: CollectionRule
) -> Measure | None:
    """The measure that carries the reporters' occurrences (none while only the department
    enters the value: its measure, if any, keeps no dates)."""
    measure = (
        await uow.session.get(Measure, collection.measure_id)
        if collection.measure_id is not None
        else None
    )
    due = [d.isoformat() for d in rule.as_of]
    if rule.reporters.kind is ReporterKind.DEPARTMENT:
        # The schools are no longer asked: what they have not answered goes; what they have
        # stays, with its figures, on the measure the collection keeps.
        if measure is not None:
            measure.schedule_due = []
            measure.assignee_specs = None
            await uow.session.flush()
            await _assign(uow, measure.id, [])
            await sync_occurrences(uow, [measure.id])
        return None
    if measure is None:
        number = f"{CARRIER_PREFIX}{indicator.number}"[:20]
        taken = await uow.session.scalar(
            select(Measure.id).where(
                Measure.roadmap_id == indicator.roadmap_id, Measure.number == number
            )
        )
        measure = Measure(
            roadmap_id=indicator.roadmap_id,
            number=f"{CARRIER_PREFIX}{indicator.id}" if taken else number,
            position=_POSITION_BASE + indicator.position,
            kind=INDICATOR_MEASURE,
        )
        uow.session.add(measure)
    measure.title = indicator.name
    measure.deadline_text = ""
    measure.schedule_kind = "once" if len(due) == 1 else "recurring"
    measure.schedule_due = due
    measure.responsible_text = ""
    measure.result_text = ""
    await uow.session.flush()
    collection.measure_id = measure.id
    return measure


def _schools_spec(tag: str) -> dict[str, str]:
    return {
        "kind": AssigneeKind.SCHOOLS.value,
        "text": "",
        "name": "",
        "position": "",
        "tag": tag,
        "capacity": "responsible",
    }


async def _assign(uow: UnitOfWork, measure_id: int, organisations: list[int]) -> None:
    """The reporters' assignments: new ones added; one no longer asked removed, unless its
    school has already answered on it (its figures stay)."""
    existing = dict(
        (
            await uow.session.execute(
                select(Assignment.organisation_id, Assignment.id).where(
                    Assignment.measure_id == measure_id
                )
            )
        ).all()
    )
    for organisation_id in organisations:
        if organisation_id not in existing:
            uow.session.add(Assignment(measure_id=measure_id, organisation_id=organisation_id))
    answered = set(
        await uow.session.scalars(
            select(Occurrence.assignment_id)
            .join(StatusReport, StatusReport.occurrence_id == Occurrence.id)
            .where(Occurrence.measure_id == measure_id)
        )
    )
    gone = [
        assignment_id
        for organisation_id, assignment_id in existing.items()
        if organisation_id not in organisations and assignment_id not in answered
    ]
    if gone:
        await uow.session.execute(delete(Assignment).where(Assignment.id.in_(gone)))
    await uow.session.flush()


async def change_rule(uow: UnitOfWork, indicator_id: int, rule: CollectionRule) -> None:
    """A coordinator's change not yet confirmed: kept with the indicator and shown on its card;
    the schools are asked by it once «Подтвердить сбор» confirms it (``save_rule``)."""
    collection = await uow.session.scalar(
        select(IndicatorCollection).where(IndicatorCollection.indicator_id == indicator_id)
    )
    if collection is None:
        collection = IndicatorCollection(indicator_id=indicator_id)
        uow.session.add(collection)
    _write_rule(collection, rule)
    collection.confirmed_at = None
    await uow.session.flush()


async def schools(uow: UnitOfWork) -> list[tuple[int, str, list[str]]]:
    """(id, name, tags) of every school, by name: what a coordinator chooses reporters from."""
    rows = await uow.session.execute(
        select(Organisation.id, Organisation.name, Organisation.tags)
        .where(Organisation.kind == "school")
        .order_by(Organisation.name)
    )
    return [(i, name, list(tags or [])) for i, name, tags in rows]
