"""Several processes compile the catalogs at once (replicas starting, test workers): each
writes its own temporary file and replaces the .mo whole; none fails, none reads half."""

from __future__ import annotations

import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from babel.messages.mofile import read_mo

from bot.i18n import LOCALES_DIR, compile_catalogs


def test_processes_compiling_at_once_all_succeed(tmp_path: Path) -> None:
    locales = tmp_path / "locales"
    shutil.copytree(LOCALES_DIR, locales, ignore=shutil.ignore_patterns("*.mo"))
    with ProcessPoolExecutor(4) as pool:
        for _ in range(3):  # a fresh .po each round, so every process compiles again
            for po in locales.glob("*/LC_MESSAGES/messages.po"):
                po.touch()
                po.with_suffix(".mo").unlink(missing_ok=True)
            list(pool.map(compile_catalogs, [locales] * 8))
    for mo in locales.glob("*/LC_MESSAGES/messages.mo"):
        with mo.open("rb") as handle:
            assert len(read_mo(handle)) > 100
    assert list(locales.glob("*/LC_MESSAGES/*.tmp")) == []
