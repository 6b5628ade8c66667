"""Filters for handler registration.

aiogram runs every *synchronous* filter (a bare ``State``, an ``F.…`` magic filter) in a worker
thread, one thread hop per message per handler it is checked against. Everything here is a
coroutine, so checking which handler a message belongs to stays on the event loop.
"""

from __future__ import annotations

from aiogram.filters import Filter, StateFilter
from aiogram.fsm.state import State
from aiogram.types import Message, TelegramObject

from storage.models import Person


class Joined(Filter):
    """Passes for people who joined by invitation; strangers fall through to the fallback."""

    async def __call__(self, event: TelegramObject, person: Person | None = None) -> bool:
        return person is not None


def in_state(state: State) -> StateFilter:
    """The conversation is at ``state`` (use instead of passing the bare ``State``)."""
    return StateFilter(state)


class HasText(Filter):
    async def __call__(self, message: Message) -> bool:
        return message.text is not None


class TypedText(Filter):
    """Text that is not a command: a command typed while a name is awaited goes to its own
    handler (it is nobody's name)."""

    async def __call__(self, message: Message) -> bool:
        return message.text is not None and not message.text.startswith("/")


class HasDocument(Filter):
    async def __call__(self, message: Message) -> bool:
        return message.document is not None


class FromUser(Filter):
    async def __call__(self, message: Message) -> bool:
        return message.from_user is not None
