"""Inviting people and letting them join by their link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.invitations import (
    DEFAULT_TTL,
    InvitationFacts,
    Purpose,
    RedeemOutcome,
    judge_redemption,
    looks_like_token,
    new_token,
    token_digest,
)
from domain.messengers import messenger_of
from domain.roles import Role
from storage.models import Invitation, MessengerAccount, Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.accounts import account_in, bind_account, person_by_account
from storage.usecases.assignments import reach_every_school
from storage.usecases.planning import sync_occurrences


@dataclass(frozen=True, slots=True)
class IssuedInvitation:
    person_id: int
    full_name: str
    role: Role
    organisation: str | None
    token: str
    expires_at: datetime


async def issue_invitation(
    uow: UnitOfWork,
    *,
    full_name: str,
    role: Role,
    now: datetime,
    organisation: str | None = None,
    position: str | None = None,
    created_by_id: int | None = None,
    ttl: timedelta = DEFAULT_TTL,
) -> IssuedInvitation:
    """Create the person if they are new (same name in the same organisation is the same
    person) and a fresh single-use token for them."""
    organisation_id = None
    if organisation:
        # A responsible person usually heads a school; coordinators and observers work at the
        # department. The schools list (/people) corrects the kind of any organisation it names.
        kind = "school" if role is Role.RESPONSIBLE else "department"
        org = await uow.organisations.get_or_add(organisation, kind=kind, now=now)
        organisation_id = org.id
        if org.kind == "school":  # a school new since the import gets its measures and dates
            added = await reach_every_school(uow, now)
            if added:
                await uow.session.flush()
                await sync_occurrences(uow, list(added))
    person = await uow.people.find(full_name, organisation_id)
    if person is None:
        person = await uow.people.add(
            full_name=full_name,
            role=role,
            now=now,
            organisation_id=organisation_id,
            position=position,
        )
    token = new_token()
    expires_at = now + ttl
    await uow.invitations.add(
        token_digest=token_digest(token),
        person_id=person.id,
        created_by_id=created_by_id,
        now=now,
        expires_at=expires_at,
    )
    uow.audit.add(
        at=now,
        action="invitation.issue",
        person_id=created_by_id,
        details={"invitee_id": person.id, "role": role.value},
    )
    return IssuedInvitation(
        person_id=person.id,
        full_name=person.full_name,
        role=Role(person.role),
        organisation=organisation,
        token=token,
        expires_at=expires_at,
    )


async def has_joined(uow: UnitOfWork, full_name: str, organisation: str | None) -> bool:
    """Whether the person an invitation would be for has joined already: a plain link would be
    refused (another messenger is added from their own /settings), so none is issued."""
    organisation_id = None
    if organisation:
        org = await uow.organisations.get_by_name(organisation)
        if org is None:
            return False
        organisation_id = org.id
    person = await uow.people.find(full_name, organisation_id)
    return person is not None and person.user_address is not None


@dataclass(frozen=True, slots=True)
class Redemption:
    outcome: RedeemOutcome
    person: Person | None  # the person who joined (or had already joined)
    # A messenger added to someone who had joined elsewhere: their accounts there, to be told
    # (chat addresses), and the new account, which «Это не я» unlinks.
    told_chats: tuple[int, ...] = ()
    new_account_id: int | None = None


async def redeem_invitation(
    uow: UnitOfWork,
    *,
    token: str,
    user_address: int,
    chat_id: int,
    username: str | None,
    locale: str | None,
    now: datetime,
) -> Redemption:
    """Join ``user_address`` as the invited person, or explain why not.

    Every attempt is audited but a stranger's unknown token (see below); nothing else changes
    unless the outcome is OK.
    """
    invitation = (
        await uow.invitations.get_by_digest(token_digest(token))
        if looks_like_token(token)
        else None
    )
    # The person's row is locked until the commit: two of their links opened at once (one in
    # each messenger) are judged one after the other, and the second sees the first's join.
    invitee = (
        await uow.session.scalar(
            select(Person)
            .where(Person.id == invitation.person_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        if invitation
        else None
    )
    joined = await person_by_account(uow, user_address)
    before = await chats_of(uow, invitee) if invitee is not None else ()
    facts = (
        InvitationFacts(
            expires_at=invitation.expires_at,
            used_at=invitation.used_at,
            person_id=invitation.person_id,
            person_address=await account_in(uow, invitee, messenger_of(user_address)),
            purpose=Purpose(invitation.purpose),
            has_account=bool(before),
            revoked=invitation.revoked_at is not None,
        )
        if invitation is not None and invitee is not None and invitee.is_active
        else None
    )
    outcome = judge_redemption(facts, user_address, joined.id if joined else None, now)
    if outcome is RedeemOutcome.UNKNOWN and joined is None:
        # A stranger's made-up token: audited (and answered) once per quiet spell by the
        # caller through ``storage.usecases.strangers``, not once per attempt.
        return Redemption(outcome, None)
    uow.audit.add(
        at=now,
        action="invitation.redeem",
        outcome=outcome.value,
        person_id=joined.id if joined else None,
        user_address=user_address,
        details={"invitation_id": invitation.id} if invitation else None,
    )
    if outcome is not RedeemOutcome.OK:
        return Redemption(outcome, joined if outcome is RedeemOutcome.ALREADY_JOINED else None)

    assert invitation is not None and invitee is not None
    uow.invitations.mark_used(invitation, user_address=user_address, now=now)
    await uow.invitations.revoke_others(invitation, now)
    uow.people.mark_joined(
        invitee,
        user_address=user_address,
        chat_id=chat_id,
        username=username,
        locale=locale,
        now=now,
    )
    account = await bind_account(
        uow, invitee, user_address=user_address, chat_address=chat_id, username=username, now=now
    )
    if not before:
        return Redemption(outcome, invitee)
    uow.audit.add(
        at=now,
        action="account.link",
        person_id=invitee.id,
        user_address=user_address,
        details={"account_id": account.id, "messenger": account.messenger},
    )
    return Redemption(outcome, invitee, before, account.id)


async def invite_person(
    uow: UnitOfWork,
    person_id: int,
    *,
    now: datetime,
    ttl: timedelta = DEFAULT_TTL,
    purpose: Purpose = Purpose.JOIN,
) -> tuple[str, datetime]:
    """A fresh single-use link for someone already known (the day's e-mail carries one; with
    ``Purpose.LINK``, the person's own link to add another messenger); the token and when it
    expires."""
    token = new_token()
    expires_at = now + ttl
    await uow.invitations.add(
        token_digest=token_digest(token),
        person_id=person_id,
        created_by_id=person_id if purpose is Purpose.LINK else None,
        now=now,
        expires_at=expires_at,
        purpose=purpose.value,
    )
    action = "invitation.link" if purpose is Purpose.LINK else "invitation.email"
    uow.audit.add(at=now, action=action, person_id=None, details={"for": person_id})
    return token, expires_at


async def chats_of(uow: UnitOfWork, person: Person) -> tuple[int, ...]:
    """The chats of every account the person has, the one in use first."""
    rows = await uow.session.scalars(
        select(MessengerAccount.chat_address).where(MessengerAccount.person_id == person.id)
    )
    chats = [person.chat_address] if person.chat_address is not None else []
    return tuple(chats + [chat for chat in rows if chat not in chats])


async def purge_spent_invitations(session: AsyncSession, now: datetime) -> int:
    """Invitations that were used, revoked or ran out open nothing any more: delete them
    (the audit log keeps who joined when). The caller commits."""
    result = await session.execute(
        delete(Invitation).where(
            or_(
                Invitation.used_at.is_not(None),
                Invitation.revoked_at.is_not(None),
                Invitation.expires_at <= now,
            )
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)
