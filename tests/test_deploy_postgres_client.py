"""The Docker image can back up and restore the PostgreSQL server compose.yaml runs: it carries
postgresql-client of that server's major version (pg_dump refuses a newer server, and an older
psql than the dump's pg_restore may not read its script). Building the image needs Docker Hub,
which these machines cannot reach; this keeps the two versions from drifting apart."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_image_has_the_postgresql_tools_of_composes_server() -> None:
    compose = (ROOT / "compose.yaml").read_text(encoding="utf-8")
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    (server,) = re.findall(r"image: postgres:(\d+)", compose)
    (client,) = re.findall(r"^ARG PG_MAJOR=(\d+)$", dockerfile, flags=re.M)
    assert client == server
    install = dockerfile.split("ARG PG_MAJOR=", 1)[1].split("\n\n", 1)[0]
    assert "apt.postgresql.org.sh -y" in install
    assert '"postgresql-client-${PG_MAJOR}"' in install
    assert dockerfile.index("ARG PG_MAJOR=") < dockerfile.index("USER roadmap")  # as root
