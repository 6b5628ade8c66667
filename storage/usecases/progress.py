"""What the digest and the export read: each occurrence with its school and latest report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Select, and_, func, or_, select, true
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import ScalarSelect

from domain.messengers import messenger_label, messenger_of
from domain.names import name_order
from domain.progress import (
    Digest,
    DigestItem,
    ExtensionWaiting,
    OpenRequest,
    ReportWaiting,
    Standing,
    Unreachable,
    standing,
)
from storage.models import (
    Assignment,
    ExtensionRequest,
    Measure,
    Occurrence,
    Organisation,
    Person,
    Roadmap,
    StatusReport,
)
from storage.unit_of_work import UnitOfWork
from storage.usecases.accounts import accounts_by_person
from storage.usecases.indicator_table import indicators_behind
from storage.usecases.occurrence_context import in_context, whose
from storage.usecases.requests.answers import open_requests
from storage.usecases.roadmap_choice import active_roadmaps, reminded_condition
from storage.usecases.roadmap_coordinators import roadmaps_of

DUE_SOON_DAYS = 7


@dataclass(frozen=True, slots=True)
class OccurrenceFact:
    occurrence_id: int
    measure_id: int
    measure_number: str
    measure_title: str
    organisation_key: str
    organisation: str
    due_on: date
    closed: bool
    latest_report: str | None
    latest_text: str | None
    latest_at: datetime | None
    roadmap_id: int  # whose plan: the digest groups by it when the department runs several
    roadmap_title: str

    def standing(self, today: date) -> Standing:
        return standing(self.due_on, self.latest_report, self.closed, today)


def _latest_report_id(before: datetime | None, since: datetime | None) -> ScalarSelect[int | None]:
    query = select(func.max(StatusReport.id)).where(StatusReport.occurrence_id == Occurrence.id)
    if before is not None:
        query = query.where(StatusReport.created_at < before)
    if since is not None:
        query = query.where(StatusReport.created_at >= since)
    return query.correlate(Occurrence).scalar_subquery()


def facts_query(*, before: datetime | None = None, since: datetime | None = None) -> Select:  # type: ignore[type-arg]
    """Live occurrences (not cancelled) with who they belong to and the latest report made
    in [``since``, ``before``) (no bound where ``None``)."""
    columns = select(
        Occurrence.id,
        Measure.id,
        Measure.number,
        Measure.title,
        Assignment.organisation_id,
        Assignment.person_id,
        whose(),
        Occurrence.due_on,
        Occurrence.status,
        StatusReport.status,
        StatusReport.text,
        StatusReport.created_at,
        Measure.roadmap_id,
        Roadmap.title,
    ).select_from(Occurrence)
    return (
        in_context(columns)
        .join(Roadmap, Roadmap.id == Measure.roadmap_id)
        .outerjoin(StatusReport, StatusReport.id == _latest_report_id(before, since))
        .where(Occurrence.status != "cancelled")
    )


def fact_from_row(row: tuple) -> OccurrenceFact:  # type: ignore[type-arg]
    (occurrence_id, measure_id, number, title, org_id, person_id, label, due_on, status) = row[:9]
    return OccurrenceFact(
        occurrence_id=occurrence_id,
        measure_id=measure_id,
        measure_number=number,
        measure_title=title,
        organisation_key=f"o{org_id}" if org_id is not None else f"p{person_id}",
        organisation=label or "—",
        due_on=due_on,
        closed=status == "closed",
        latest_report=row[9],
        latest_text=row[10],
        latest_at=row[11],
        roadmap_id=row[12],
        roadmap_title=row[13],
    )


async def current_facts(
    uow: UnitOfWork, today: date, *, organisation_key: str | None = None
) -> list[OccurrenceFact]:
    """Occurrences that matter this week: due by ``today`` + 7 days, or already answered.
    An archived roadmap's measures are history, not this week's business: left out (a request
    is live whichever roadmap holds it)."""
    query = facts_query().where(
        or_(
            Occurrence.due_on <= today + timedelta(days=DUE_SOON_DAYS),
            StatusReport.id.is_not(None),
        ),
        reminded_condition(today),
    )
    if organisation_key is not None:
        kind, ident = organisation_key[:1], int(organisation_key[1:])
        column = Assignment.organisation_id if kind == "o" else Assignment.person_id
        query = query.where(column == ident)
    rows = await uow.session.execute(query.order_by(Occurrence.due_on, Measure.position))
    return [fact_from_row(tuple(row)) for row in rows]


async def load_digest(uow: UnitOfWork, today: date, roadmap_ids: set[int] | None = None) -> Digest:
    """The digest of ``roadmap_ids`` (a coordinator's own roadmaps), of every roadmap without."""
    digest = Digest(as_of=today)
    for fact in await current_facts(uow, today):
        if roadmap_ids is not None and fact.roadmap_id not in roadmap_ids:
            continue
        where = fact.standing(today)
        digest.count(fact.organisation, where)
        item = DigestItem(
            organisation_key=fact.organisation_key,
            organisation=fact.organisation,
            measure_number=fact.measure_number,
            measure_title=fact.measure_title,
            due_on=fact.due_on,
            days_overdue=(today - fact.due_on).days,
            roadmap_id=fact.roadmap_id,
            roadmap_title=fact.roadmap_title,
        )
        if where is Standing.OVERDUE:
            digest.overdue.append(item)
        elif where is Standing.NOT_DONE:
            digest.not_done.append(item)
        elif where is not Standing.DONE and fact.due_on >= today:
            digest.due_soon.append(item)
    # Organisations as people count them: «СОШ № 2» before «СОШ № 10».
    digest.overdue.sort(key=lambda i: (name_order(i.organisation), i.due_on, i.measure_number))
    digest.not_done.sort(key=lambda i: (name_order(i.organisation), i.due_on, i.measure_number))
    digest.unreachable = await _unreachable(uow)
    digest.reached_in, digest.blocked_elsewhere = await _reached(uow)
    mine = Measure.roadmap_id.in_(roadmap_ids) if roadmap_ids is not None else true()
    digest.reports_waiting = await _reports_waiting(uow, mine)
    digest.extensions_waiting = await _extensions_waiting(uow, mine)
    digest.requests = [
        OpenRequest(r.number, r.text, r.due_on, r.answered, r.total, tuple(r.missing))
        for r in await open_requests(uow, roadmap_ids=roadmap_ids)
    ]
    digest.indicators = [
        behind
        for behind in await indicators_behind(uow, today)
        if roadmap_ids is None or behind.roadmap_id in roadmap_ids
    ]
    active = [
        (entry.id, entry.title)
        for entry in await active_roadmaps(uow, today)
        if roadmap_ids is None or entry.id in roadmap_ids
    ]
    digest.roadmaps = active if len(active) > 1 else []
    return digest


async def digests_of(
    uow: UnitOfWork, today: date, coordinators: Sequence[Person]
) -> dict[int, tuple[Digest, set[int] | None]]:
    """Each coordinator's digest, of the roadmaps she answers for (with them, ``None`` for
    every roadmap); coordinators who answer for the same roadmaps share one, loaded once."""
    loaded: dict[frozenset[int] | None, Digest] = {}
    theirs: dict[int, tuple[Digest, set[int] | None]] = {}
    for coordinator in coordinators:
        roadmap_ids = await roadmaps_of(uow, coordinator.id)
        key = None if roadmap_ids is None else frozenset(roadmap_ids)
        if key not in loaded:
            loaded[key] = await load_digest(uow, today, roadmap_ids)
        theirs[coordinator.id] = (loaded[key], roadmap_ids)
    return theirs


async def _unreachable(uow: UnitOfWork) -> list[Unreachable]:
    rows = await uow.session.execute(
        select(
            Person.id,
            Person.full_name,
            Organisation.name,
            Person.user_address,
            Person.email,
            Person.email_opt_out_at,
            Person.email_unreachable_at,
            Person.phone,
        )
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .where(
            Person.is_active.is_(True),
            Person.role == "responsible",
            or_(Person.user_address.is_(None), Person.unreachable_since_at.is_not(None)),
        )
        .order_by(Organisation.name, Person.full_name)
    )
    found = rows.all()
    accounts = await accounts_by_person(uow, [row[0] for row in found])
    return [
        Unreachable(
            name,
            org,
            never_joined=tid is None,
            blocked_in=tuple(
                messenger_label(messenger)
                for messenger, reachable in accounts.get(person_id, [])
                if not reachable
            ),
            email=email if opted_out is None and bounced is None else None,
            email_bounced=bounced is not None,
            phone=phone,
        )
        for person_id, name, org, tid, email, opted_out, bounced, phone in found
    ]


async def _reached(
    uow: UnitOfWork,
) -> tuple[dict[str, int], list[tuple[str, str | None, str]]]:
    """Reachable responsible people by the messenger in use, and those of them who blocked
    the bot in their other messenger."""
    rows = (
        await uow.session.execute(
            select(Person.id, Person.full_name, Organisation.name, Person.chat_address)
            .outerjoin(Organisation, Organisation.id == Person.organisation_id)
            .where(
                Person.is_active.is_(True),
                Person.role == "responsible",
                Person.chat_address.is_not(None),
                Person.unreachable_since_at.is_(None),
            )
            .order_by(Organisation.name, Person.full_name)
        )
    ).all()
    counts: dict[str, int] = {}
    for *_person, chat in rows:
        label = messenger_label(messenger_of(chat or 0))
        counts[label] = counts.get(label, 0) + 1
    accounts = await accounts_by_person(uow, [row[0] for row in rows])
    elsewhere: list[tuple[str, str | None, str]] = [
        (name, org, messenger_label(messenger))
        for person_id, name, org, _chat in rows
        for messenger, reachable in accounts.get(person_id, [])
        if not reachable
    ]
    return counts, elsewhere


def _where_label() -> ColumnElement[str]:
    return func.coalesce(whose(), "—")


async def _reports_waiting(uow: UnitOfWork, mine: ColumnElement[bool]) -> list[ReportWaiting]:
    newer = aliased(StatusReport)
    rows = await uow.session.execute(
        in_context(
            select(
                StatusReport.id,
                Measure.number,
                _where_label(),
                Person.full_name,
                Measure.roadmap_id,
                Roadmap.title,
            ).join(Occurrence, Occurrence.id == StatusReport.occurrence_id)
        )
        .join(Roadmap, Roadmap.id == Measure.roadmap_id)
        .join(Person, Person.id == StatusReport.person_id)
        .outerjoin(
            newer,
            and_(newer.occurrence_id == StatusReport.occurrence_id, newer.id > StatusReport.id),
        )
        .where(StatusReport.review == "pending", newer.id.is_(None), mine)
        .order_by(StatusReport.id)
    )
    return [ReportWaiting(*row) for row in rows]


async def _extensions_waiting(uow: UnitOfWork, mine: ColumnElement[bool]) -> list[ExtensionWaiting]:
    rows = await uow.session.execute(
        in_context(
            select(
                ExtensionRequest.id,
                Measure.number,
                _where_label(),
                ExtensionRequest.requested_on,
                Measure.roadmap_id,
                Roadmap.title,
            ).join(Occurrence, Occurrence.id == ExtensionRequest.occurrence_id)
        )
        .join(Roadmap, Roadmap.id == Measure.roadmap_id)
        .where(ExtensionRequest.state == "pending", mine)
        .order_by(ExtensionRequest.id)
    )
    return [ExtensionWaiting(*row) for row in rows]
