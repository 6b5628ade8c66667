"""``roadmap-bot staff …``: people who change. A school's head replaced, a deputy added and
who is reminded, someone deactivated, a coordinator added or the role handed over. Each prints
the new person's invitation links; a refused change writes nothing and exits with 1."""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta

from bot.clock import SystemClock
from bot.join_links import BotNames, links_lines
from bot.settings import Settings
from domain.roles import Role
from domain.school_staff import Reminded, StaffChangeError, StaffProblem
from storage.engine import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.unit_of_work import UnitOfWork
from storage.usecases.invitations import IssuedInvitation
from storage.usecases.staff import (
    add_coordinator,
    add_deputy,
    deactivate,
    hand_over,
    replace_head,
    set_reminded,
)

PROBLEMS = {
    StaffProblem.NO_SCHOOL: "no school is named «{detail}» (see the list imported by `people`)",
    StaffProblem.HEADS_ANOTHER_SCHOOL: "this person already heads «{detail}»; replace that "
    "school's head first",
    StaffProblem.ALREADY_HEAD: "this person already heads «{detail}»",
    StaffProblem.NO_PERSON: "nobody active is named so{detail}",
    StaffProblem.SAME_PERSON: "the role cannot be handed over to oneself",
    StaffProblem.LAST_COORDINATOR: "this is the only coordinator: add another one first",
    StaffProblem.ALREADY_COORDINATOR: "«{detail}» is a coordinator already",
    StaffProblem.NOBODY_LEFT: "«{detail}» has not joined, and nobody else coordinates",
}


async def run_staff(settings: Settings, args: argparse.Namespace, names: BotNames | None) -> int:
    if args.staff_command == "email-invitations":
        return await _email_invitations(settings, names)
    engine = create_engine(settings.db.url)
    try:
        await upgrade(engine)
        async with create_session_factory(engine)() as session:
            uow = UnitOfWork(session)
            try:
                issued = await _change(uow, settings, args)
            except StaffChangeError as refused:
                text = PROBLEMS[refused.problem].format(detail=refused.detail)
                print(f"roadmap-bot staff: {text}; nothing was changed", file=sys.stderr)
                return 1
            await uow.commit()
    finally:
        await engine.dispose()
    if issued is not None:
        print(f"invitation for {issued.full_name}, valid until {issued.expires_at:%d.%m.%Y}:")
        if names is not None:
            print(links_lines(names.links(issued.token)))
    print("done")
    return 0


async def _change(
    uow: UnitOfWork, settings: Settings, args: argparse.Namespace
) -> IssuedInvitation | None:
    now = SystemClock().now()
    ttl = timedelta(days=settings.invite_ttl_days)
    command = args.staff_command
    if command == "replace-head":
        replaced = await replace_head(
            uow,
            school_name=args.school,
            full_name=args.name,
            email=args.email,
            phone=args.phone,
            now=now,
            by_id=None,
            ttl=ttl,
        )
        return replaced.invitation
    if command == "add-deputy":
        return await add_deputy(
            uow,
            school_name=args.school,
            full_name=args.name,
            email=args.email,
            phone=args.phone,
            now=now,
            by_id=None,
            ttl=ttl,
        )
    if command == "remind":
        await set_reminded(
            uow, school_name=args.school, choice=Reminded(args.who), now=now, by_id=None
        )
        return None
    if command == "add-coordinator":
        return await add_coordinator(
            uow, full_name=args.name, organisation=args.org, now=now, by_id=None, ttl=ttl
        )
    person = await _one_active(uow, args.from_name if command == "hand-over" else args.name, args)
    if command == "deactivate":
        await deactivate(uow, person, now=now, by_id=None)
        return None
    if person.role != Role.COORDINATOR.value:
        raise StaffChangeError(StaffProblem.NO_PERSON, " among the coordinators")
    return await hand_over(uow, from_person=person, full_name=args.to_name, now=now, ttl=ttl)


async def _one_active(uow: UnitOfWork, full_name: str, args: argparse.Namespace):  # type: ignore[no-untyped-def]
    org = getattr(args, "org", None)
    people = [p for p in await uow.people.named(full_name) if p.is_active]
    if org:
        organisation = await uow.organisations.get_by_name(org)
        people = [p for p in people if organisation and p.organisation_id == organisation.id]
    if len(people) != 1:
        more = " (give --org)" if people else ""
        raise StaffChangeError(StaffProblem.NO_PERSON, more)
    return people[0]


async def _email_invitations(settings: Settings, names: BotNames | None) -> int:
    """Composed into the e-mail outbox, which the running bot sends (and retries)."""
    if problem := settings.email.problem():
        print(f"roadmap-bot staff: {problem}", file=sys.stderr)
        return 2
    if names is None:
        return 2
    from bot.email_setup import email_composer
    from bot.i18n import build_i18n
    from handlers.common.join_links import JoinLink
    from handlers.people.invitation_emails import InvitationEmails

    async def links(token: str) -> list[JoinLink]:
        return names.links(token)

    engine = create_engine(settings.db.url)
    try:
        await upgrade(engine)
        sessions = create_session_factory(engine)
        composer = email_composer(
            settings, sessions, build_i18n(settings.default_locale), SystemClock(),
            unsubscribe_base=None,
        )  # fmt: skip
        async with sessions() as session:
            uow = UnitOfWork(session)
            done = await InvitationEmails(composer, links).queue(uow)
            await uow.commit()
    finally:
        await engine.dispose()
    print(f"invitations e-mailed: {done.sent}; the running bot sends them")
    for name in done.no_address:
        print(f"no e-mail address: {name}", file=sys.stderr)
    return 0
