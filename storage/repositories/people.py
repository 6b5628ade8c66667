from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.keys import name_key
from storage.models import Person


class PersonRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, person_id: int) -> Person | None:
        return await self._session.get(Person, person_id)

    async def get_by_user_address(self, user_address: int) -> Person | None:
        return await self._session.scalar(select(Person).where(Person.user_address == user_address))

    async def find(self, full_name: str, organisation_id: int | None) -> Person | None:
        return await self._session.scalar(
            select(Person).where(
                Person.name_key == name_key(full_name),
                Person.organisation_id.is_(None)
                if organisation_id is None
                else Person.organisation_id == organisation_id,
            )
        )

    async def named(self, full_name: str) -> list[Person]:
        """Everyone with this name, in any organisation (names are not unique)."""
        return list(
            await self._session.scalars(
                select(Person).where(Person.name_key == name_key(full_name)).order_by(Person.id)
            )
        )

    async def add(
        self,
        *,
        full_name: str,
        role: str,
        now: datetime,
        organisation_id: int | None = None,
        position: str | None = None,
    ) -> Person:
        person = Person(
            full_name=" ".join(full_name.split()),
            name_key=name_key(full_name),
            role=role,
            organisation_id=organisation_id,
            position=position,
            created_at=now,
            is_active=True,
        )
        self._session.add(person)
        await self._session.flush()
        return person

    def mark_joined(
        self,
        person: Person,
        *,
        user_address: int,
        chat_id: int,
        username: str | None,
        locale: str | None,
        now: datetime,
    ) -> None:
        person.user_address = user_address
        person.chat_address = chat_id
        person.telegram_username = username
        person.joined_at = now
        person.unreachable_since_at = None
        person.unreachable_reason = None
        if person.locale is None:
            person.locale = locale

    def set_locale(self, person: Person, locale: str) -> None:
        person.locale = locale

    async def list_joined(self) -> list[Person]:
        return list(
            await self._session.scalars(
                select(Person).where(Person.user_address.is_not(None)).order_by(Person.id)
            )
        )

    async def count(self) -> int:
        return int(await self._session.scalar(select(func.count(Person.id))) or 0)
