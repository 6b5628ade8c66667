"""Lists of schools read in the order of their numbers, as people count («СОШ № 2» before
«СОШ № 10»): the invitations sheet, the памятки and a request's late schools."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.people_sheet import SchoolHead
from domain.requests import AddresseeKind, Addressees
from storage.usecases.memo import memo_heads
from storage.usecases.people import import_school_heads, invite_everyone
from storage.usecases.requests.answers import open_requests
from storage.usecases.requests.lifecycle import send_request
from tests.support import unit_of_work

NOW = datetime(2026, 4, 3, 2, 0, tzinfo=UTC)
SCHOOLS = ("МОУ СОШ № 10", "МОУ СОШ № 2", "МОУ СОШ № 1", "МОУ СОШ № 11")
COUNTED = ["МОУ СОШ № 1", "МОУ СОШ № 2", "МОУ СОШ № 10", "МОУ СОШ № 11"]


async def test_school_lists_follow_the_schools_numbers(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with unit_of_work(session_factory) as uow:
        heads = [
            SchoolHead(school, f"Директор Школы {n}", "директор", None, None, False)
            for n, school in enumerate(SCHOOLS)
        ]
        await import_school_heads(uow, heads, now=NOW)
        invitations = await invite_everyone(uow, now=NOW)
        memos = await memo_heads(uow, now=NOW, ttl=timedelta(days=14))
        await send_request(
            uow,
            text="Пришлите план",
            due_text="до 30.04.2026",
            due_on=date(2026, 4, 30),
            addressees=Addressees(AddresseeKind.ALL),
            now=NOW,
        )
        (request,) = await open_requests(uow)
        await uow.commit()
    assert [line.organisation for line in invitations] == COUNTED
    assert [memo.organisation for memo in memos] == COUNTED
    assert list(request.missing) == COUNTED
