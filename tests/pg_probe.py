"""Print the PostgreSQL URL for the test suite if a server answers on this machine.

``make test`` runs this: when it prints a URL, every database test also runs on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import os

DEFAULT = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"


async def answers(url: str) -> bool:
    try:
        import asyncpg
    except ImportError:
        return False
    try:
        connection = await asyncpg.connect(url.replace("+asyncpg", ""), timeout=2)
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return False
    await connection.close()
    return True


def main() -> None:
    url = os.environ.get("TEST_POSTGRES_URL") or DEFAULT
    if asyncio.run(answers(url)):
        print(url)


if __name__ == "__main__":
    main()
