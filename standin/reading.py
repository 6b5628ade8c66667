"""What a simulated person reads, the same in either messenger's stand-in: the bot's messages
in order, the next unread one (waited for), and a question answered by the next reply."""

from __future__ import annotations

import contextlib
from typing import Any

from standin.world import Happenings, Json

# How long a simulated person waits for the bot: generous, because a machine busy with the
# rest of the suite can take seconds to import a roadmap; a wait only ends early on success.
WAIT = 30.0


class ChatReader:
    """Mixed into a simulated user that has ``world``, a ``_seen`` count, ``send`` and
    ``_bot_messages`` (the messenger's own messages, oldest first); ``_view`` gives each in
    the shape tests read."""

    world: Happenings
    _seen: int

    def _bot_messages(self) -> list[Json]:
        raise NotImplementedError

    def _view(self, message: Json) -> Json:
        return message

    def _find_button(self, text: str) -> tuple[Json, str]:
        raise NotImplementedError

    async def _wait_for_button(self, text: str, timeout: float) -> None:
        """A person presses a button once it is on the screen: the bot may answer the last
        press first and edit the message that brings this button a moment later."""

        def shown() -> bool:
            try:
                self._find_button(text)
            except AssertionError:
                return False
            return True

        with contextlib.suppress(TimeoutError):
            await self.world.wait_until(shown, timeout)

    async def send(self, text: str) -> Any:
        raise NotImplementedError

    def inbox(self) -> list[Json]:
        return [self._view(m) for m in self._bot_messages()]

    async def next_message(self, timeout: float = WAIT) -> Json:
        """The next bot message this user has not read yet (waits for it)."""
        await self.world.wait_until(lambda: len(self._bot_messages()) > self._seen, timeout)
        message = self._view(self._bot_messages()[self._seen])
        self._seen += 1
        return message

    async def ask(self, text: str, timeout: float = WAIT) -> Json:
        self.skip_unread()
        await self.send(text)
        return await self.next_message(timeout)

    def unread(self) -> list[Json]:
        """Bot messages that arrived since this user last read (without marking them read)."""
        return self.inbox()[self._seen :]

    def skip_unread(self) -> None:
        self._seen = len(self._bot_messages())
