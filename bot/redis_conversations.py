"""Conversation state kept in Redis (several replicas), forgotten for one person.

``roadmap-bot person forget`` deletes a person's conversation rows from the database; with
``REDIS__URL`` set the state and its data live in Redis instead, under keys that
``aiogram``'s ``DefaultKeyBuilder`` makes: ``<prefix>:<chat>:[<thread>:]<user>:<destiny>:<part>``.
A half-written report there holds the person's own words, so it goes too.
"""

from __future__ import annotations

from collections.abc import Iterable

from redis.asyncio import Redis

from bot.settings import RedisSection


def is_conversation_of(key: str, prefix: str, addresses: Iterable[int]) -> bool:
    """Whether a key under ``prefix`` is a conversation of one of these chats or users."""
    if not key.startswith(f"{prefix}:"):
        return False
    wanted = {str(address) for address in addresses}
    return any(part in wanted for part in key[len(prefix) + 1 :].split(":"))


async def forget_conversations(redis: RedisSection, addresses: Iterable[int]) -> int:
    """Delete every conversation key of these chats or users; how many were deleted (0 with no
    Redis configured)."""
    found = set(addresses)
    if not redis.url or not found:
        return 0
    client = Redis.from_url(redis.url)
    try:
        keys = [
            key
            async for key in client.scan_iter(match=f"{redis.prefix}:*", count=500)
            if is_conversation_of(key.decode(), redis.prefix, found)
        ]
        return int(await client.delete(*keys)) if keys else 0
    finally:
        await client.aclose()
