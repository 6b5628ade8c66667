"""Print the Redis URL for the test suite if a server answers on this machine.

``make test`` runs this beside ``tests.pg_probe``: when it prints a URL, the tests of several
replicas sharing conversation state (and the two-replica end-to-end test) run against it.
"""

from __future__ import annotations

import asyncio
import os

DEFAULT = "redis://127.0.0.1:6379/0"


async def answers(url: str) -> bool:
    from redis.asyncio import Redis
    from redis.exceptions import RedisError

    client = Redis.from_url(url, socket_connect_timeout=2)
    try:
        return bool(await client.ping())
    except (RedisError, OSError):
        return False
    finally:
        await client.aclose()


def main() -> None:
    url = os.environ.get("TEST_REDIS_URL") or DEFAULT
    if asyncio.run(answers(url)):
        print(url)


if __name__ == "__main__":
    main()
