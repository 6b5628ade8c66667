"""A person's accounts in the messengers, and which one the bot writes to.

Everything that sends reads ``people.chat_address``: the account in use. It is the one the
person chose with /settings, else the one they wrote from last. An account that blocked the
bot is unreachable on its own: the bot falls back to the person's other account, and only
when none is left is the person unreachable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from domain.messengers import Messenger, messenger_of
from storage.models import MessengerAccount, Person, Reminder
from storage.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class AccountView:
    messenger: Messenger
    joined_at: datetime
    unreachable: bool
    in_use: bool


async def accounts_of(uow: UnitOfWork, person: Person) -> list[AccountView]:
    rows = await uow.session.scalars(
        select(MessengerAccount)
        .where(MessengerAccount.person_id == person.id)
        .order_by(MessengerAccount.messenger.desc())  # Telegram, then MAX
    )
    return [
        AccountView(
            Messenger(row.messenger),
            row.joined_at,
            row.unreachable_since_at is not None,
            row.user_address == person.user_address,
        )
        for row in rows
    ]


async def accounts_by_person(
    uow: UnitOfWork, person_ids: list[int]
) -> dict[int, list[tuple[Messenger, bool]]]:
    """Per person: (messenger, reachable) of each account, for the coordinator's lists."""
    found: dict[int, list[tuple[Messenger, bool]]] = {}
    if not person_ids:
        return found
    rows = await uow.session.execute(
        select(
            MessengerAccount.person_id,
            MessengerAccount.messenger,
            MessengerAccount.unreachable_since_at,
        )
        .where(MessengerAccount.person_id.in_(person_ids))
        .order_by(MessengerAccount.person_id, MessengerAccount.messenger.desc())
    )
    for person_id, messenger, unreachable in rows:
        found.setdefault(person_id, []).append((Messenger(messenger), unreachable is None))
    return found


async def person_by_account(uow: UnitOfWork, user_address: int) -> Person | None:
    """Whoever this account belongs to, in use or not."""
    person = await uow.people.get_by_user_address(user_address)
    if person is not None:
        return person
    return await uow.session.scalar(
        select(Person)
        .join(MessengerAccount, MessengerAccount.person_id == Person.id)
        .where(MessengerAccount.user_address == user_address)
    )


async def account_in(uow: UnitOfWork, person: Person, messenger: Messenger) -> int | None:
    """The person's user address in ``messenger``, if they joined there."""
    found = await uow.session.scalar(
        select(MessengerAccount.user_address).where(
            MessengerAccount.person_id == person.id,
            MessengerAccount.messenger == messenger.value,
        )
    )
    joined_before = person.user_address is not None and found is None
    if joined_before and messenger_of(person.user_address or 0) is messenger:
        return person.user_address  # joined before accounts were kept per messenger
    return found


async def bind_account(
    uow: UnitOfWork,
    person: Person,
    *,
    user_address: int,
    chat_address: int,
    username: str | None,
    now: datetime,
) -> MessengerAccount:
    """The person opened an invitation in a messenger: that account is theirs, and in use
    unless they chose the other messenger and it still reaches them."""
    messenger = messenger_of(user_address)
    account = await uow.session.scalar(
        select(MessengerAccount).where(
            MessengerAccount.person_id == person.id,
            MessengerAccount.messenger == messenger.value,
        )
    )
    if account is None:
        account = MessengerAccount(
            person_id=person.id,
            messenger=messenger.value,
            user_address=user_address,
            chat_address=chat_address,
            joined_at=now,
            last_used_at=now,
        )
        uow.session.add(account)
    account.user_address = user_address
    account.chat_address = chat_address
    account.username = username
    account.last_used_at = now
    account.unreachable_since_at = None
    account.unreachable_reason = None
    await uow.session.flush()
    chosen = person.messenger_choice
    if chosen not in (None, messenger.value):
        kept = await uow.session.scalar(
            select(MessengerAccount).where(
                MessengerAccount.person_id == person.id,
                MessengerAccount.messenger == chosen,
                MessengerAccount.unreachable_since_at.is_(None),
            )
        )
        if kept is not None:
            _use(person, kept)
            return account
    _use(person, account)
    return account


class UnlinkRefusedError(Exception):
    """The button names an account that is not the presser's to unlink."""


async def unlink_account(
    uow: UnitOfWork, person: Person, account_id: int, *, by_address: int, now: datetime
) -> Messenger | None:
    """«Это не я»: the person, from another of their accounts, says a newly linked account is
    not theirs. It is no longer theirs (whoever holds it is a stranger again), and the bot
    writes to the account they pressed from. ``None`` when the account is gone already;
    ``UnlinkRefusedError`` when it is someone else's, or not one linked after the account pressed
    from (whoever holds a new account must not unlink the person's first one)."""
    account = await uow.session.get(MessengerAccount, account_id)
    if account is None:
        return None
    presser = await _account(uow, by_address)
    if (
        presser is None
        or presser.person_id != person.id
        or account.person_id != person.id
        or account.id <= presser.id  # linked later than the presser's own account
    ):
        raise UnlinkRefusedError
    messenger = Messenger(account.messenger)
    await uow.session.delete(account)
    if person.messenger_choice == messenger.value:
        person.messenger_choice = None
    if person.user_address != by_address:
        _use(person, presser)
    uow.audit.add(
        at=now,
        action="account.unlink",
        person_id=person.id,
        user_address=account.user_address,
        details={"account_id": account.id, "messenger": messenger.value},
    )
    await uow.session.flush()
    return messenger


async def note_use(uow: UnitOfWork, person: Person, user_address: int, now: datetime) -> bool:
    """The person wrote from ``user_address``. Returns whether the account in use changed (to
    this one: the one used last, when they chose none)."""
    account = await _account(uow, user_address)
    if account is None:
        return False
    account.last_used_at = now
    account.unreachable_since_at = None
    account.unreachable_reason = None
    if person.user_address == user_address or person.messenger_choice not in (
        None,
        account.messenger,
    ):
        return False
    _use(person, account)
    return True


async def choose_messenger(uow: UnitOfWork, person: Person, messenger: Messenger | None) -> bool:
    """/settings: reminders in ``messenger`` (``None``: wherever they wrote last). False when
    the person has no account there."""
    if messenger is None:
        person.messenger_choice = None
        return True
    account = await uow.session.scalar(
        select(MessengerAccount).where(
            MessengerAccount.person_id == person.id,
            MessengerAccount.messenger == messenger.value,
        )
    )
    if account is None:
        return False
    person.messenger_choice = messenger.value
    _use(person, account)
    return True


async def fall_back(uow: UnitOfWork, person: Person, reason: str, now: datetime) -> bool:
    """The account in use cannot be reached (blocked, gone). Mark it; move to the person's
    other reachable account if there is one (True), and send what was being sent there."""
    if person.user_address is not None:
        await uow.session.execute(
            update(MessengerAccount)
            .where(MessengerAccount.user_address == person.user_address)
            .values(unreachable_since_at=now, unreachable_reason=reason[:200])
        )
    other = await uow.session.scalar(
        select(MessengerAccount)
        .where(
            MessengerAccount.person_id == person.id,
            MessengerAccount.user_address != person.user_address,
            MessengerAccount.unreachable_since_at.is_(None),
        )
        .order_by(MessengerAccount.last_used_at.desc())
    )
    if other is None:
        return False
    _use(person, other)
    await uow.session.execute(
        update(Reminder)
        .where(Reminder.person_id == person.id, Reminder.state == "sending")
        .values(state="pending", due_at=now)
    )
    uow.audit.add(
        at=now,
        action="person.messenger_fallback",
        person_id=person.id,
        details={"to": other.messenger, "reason": reason[:200]},
    )
    return True


async def _account(uow: UnitOfWork, user_address: int) -> MessengerAccount | None:
    return await uow.session.scalar(
        select(MessengerAccount).where(MessengerAccount.user_address == user_address)
    )


def _use(person: Person, account: MessengerAccount) -> None:
    person.user_address = account.user_address
    person.chat_address = account.chat_address
    person.telegram_username = account.username
