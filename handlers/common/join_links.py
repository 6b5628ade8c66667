"""Invitation links, one per messenger the bot is in: whichever a person opens binds them
there. The composition root (``bot/``) knows the messengers; handlers get the links."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from domain.messengers import Messenger


@dataclass(frozen=True, slots=True)
class JoinLink:
    messenger: str  # «Telegram», «MAX»
    url: str


JoinLinks = Callable[[str], Awaitable[list[JoinLink]]]


def links_text(links: list[JoinLink]) -> str:
    """One link as it is; several, each on its line after its messenger's name."""
    if len(links) == 1:
        return links[0].url
    return "\n".join(f"{link.messenger}: {link.url}" for link in links)


def messenger_of_label(label: str) -> Messenger:
    """The messenger a link's label («MAX», «Telegram») names."""
    return Messenger.MAX if label == "MAX" else Messenger.TELEGRAM
