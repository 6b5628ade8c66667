"""Organisations as the department knows them: what an import's texts become (known ones,
other spellings of each other, new ones), the answers the coordinator gave to «is this that
one?», and the names each organisation is known by."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from domain.organisations.matching import Answers, Known, Plan, best_match, plan
from domain.organisations.names import plain
from domain.roadmap.draft import AssigneeKind, RoadmapDraft
from storage.models import Organisation, OrganisationAlias
from storage.unit_of_work import UnitOfWork


def body_texts(draft: RoadmapDraft) -> list[str]:
    """The bodies a roadmap names («УО УКМО», «РМО учителей-предметников»), in its order."""
    return [
        spec.name or spec.text
        for measure in draft.measures
        for spec in measure.assignees
        if spec.kind is AssigneeKind.BODY
    ]


async def known_organisations(uow: UnitOfWork) -> list[Known]:
    aliases: dict[int, list[str]] = {}
    for alias in await uow.organisations.aliases():
        aliases.setdefault(alias.organisation_id, []).append(alias.name)
    return [
        Known(o.id, o.name, tuple(aliases.get(o.id, ())))
        for o in await uow.organisations.list_all()
    ]


async def organisation_plan(uow: UnitOfWork, texts: Iterable[str], answers: Answers) -> Plan:
    return plan(list(texts), await known_organisations(uow), answers)


async def add_alias(uow: UnitOfWork, organisation: Organisation, name: str, now: datetime) -> None:
    """Remember ``name`` as another name of ``organisation`` (a name that is already its own,
    or already known, is left as it is)."""
    key = plain(name)
    if not key or key == plain(organisation.name):
        return
    existing = await uow.organisations.get_by_name(name)
    if existing is not None:
        return
    uow.session.add(
        OrganisationAlias(
            organisation_id=organisation.id, name=" ".join(name.split()), key=key, created_at=now
        )
    )
    await uow.session.flush()


async def settle_organisations(
    uow: UnitOfWork, texts: Iterable[str], answers: Answers, now: datetime
) -> list[str]:
    """Before an import's assignments: create the new organisations, and remember each other
    spelling the coordinator confirmed (or that was the same for sure) as an alias, so every
    later lookup finds the organisation. Anything still unanswered becomes an organisation of
    its own: nothing is joined without a «yes». Returns the names created."""
    result = await organisation_plan(uow, texts, answers)
    created: list[str] = []
    unanswered = [question.text for question in result.questions]
    for name in (*result.new, *unanswered):
        if await uow.organisations.get_by_name(name) is None:
            created.append(" ".join(name.split()))
        await uow.organisations.get_or_add(name, kind="body", now=now)
    for text, organisation_id in result.matched.items():
        organisation = await uow.organisations.get(organisation_id)
        if organisation is not None:
            await add_alias(uow, organisation, text, now)
    for text, twin in result.joined.items():
        organisation = await uow.organisations.get_or_add(twin, kind="body", now=now)
        await add_alias(uow, organisation, text, now)
    return created


async def find_body(uow: UnitOfWork, text: str, now: datetime) -> Organisation:
    """The organisation a roadmap's text names: by name or alias, else the one it is surely
    another spelling of, else a new one."""
    found = await uow.organisations.get_by_name(text)
    if found is not None:
        return found
    match = best_match(text, await known_organisations(uow))
    if match is not None and match.reason.sure:
        organisation = await uow.organisations.get(match.organisation_id)
        if organisation is not None:
            await add_alias(uow, organisation, text, now)
            return organisation
    return await uow.organisations.get_or_add(text, kind="body", now=now)
