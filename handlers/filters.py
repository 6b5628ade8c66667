from __future__ import annotations

from aiogram.filters import Filter
from aiogram.types import TelegramObject

from storage.models import Person


class Joined(Filter):
    """Passes for people who joined by invitation; strangers fall through to the fallback."""

    async def __call__(self, event: TelegramObject, person: Person | None = None) -> bool:
        return person is not None
