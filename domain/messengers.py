"""Which messenger a chat is in, read from its address alone.

Handlers, conversation states and the scheduler work with one integer per user and per chat,
as aiogram gives them. A Telegram id is used as it is: Telegram promises at most 52
significant bits. A MAX id is shifted past that range by ``MAX_OFFSET``. So an address says
which messenger it belongs to, and nothing above ``bot/`` has to ask. Group chats are
negative, as Telegram's are: a MAX group chat is ``-(MAX_OFFSET + |chat id|)``; the bot
only ever tells a group that it works in private chats.
"""

from __future__ import annotations

from enum import StrEnum

MAX_OFFSET = 1 << 53
_LARGEST = (1 << 63) - 1  # a signed 64-bit column


class Messenger(StrEnum):
    TELEGRAM = "telegram"
    MAX = "max"


class AddressOutOfRangeError(ValueError):
    """A MAX id too large to shift into a 64-bit address."""


def messenger_of(address: int) -> Messenger:
    return Messenger.MAX if abs(address) >= MAX_OFFSET else Messenger.TELEGRAM


def max_address(native_id: int) -> int:
    """A MAX user or chat id as an address."""
    if native_id < 0 or native_id > _LARGEST - MAX_OFFSET:
        raise AddressOutOfRangeError(native_id)
    return MAX_OFFSET + native_id


def max_group_address(chat_id: int) -> int:
    """A MAX group chat's id (negative in MAX) as an address."""
    magnitude = abs(chat_id)
    if magnitude > _LARGEST - MAX_OFFSET:
        raise AddressOutOfRangeError(chat_id)
    return -(MAX_OFFSET + magnitude)


def is_group_address(address: int) -> bool:
    """A group chat's address, in either messenger (a person's own chat is positive)."""
    return address < 0


def native_id(address: int) -> int:
    """The id the address's own messenger knows."""
    if address >= MAX_OFFSET:
        return address - MAX_OFFSET
    if address <= -MAX_OFFSET:
        return address + MAX_OFFSET  # a MAX group chat: its negative id
    return address


def messenger_label(messenger: Messenger) -> str:
    """The name people know the messenger by (the same in every language)."""
    return "MAX" if messenger is Messenger.MAX else "Telegram"
