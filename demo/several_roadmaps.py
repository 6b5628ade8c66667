"""The demo's step for a department running several roadmaps: the ШНОР roadmap of another
district imported from the command line (its period 2024-2025 has ended, so it is archived:
no reminders, still exported), /export asking which roadmap, and each roadmap's own report
from the command line with ``--roadmap``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from demo.documents import ROADMAP_SEEDS, SEEDS
from standin import SimulatedUser, World

Cli = Callable[..., Awaitable[str]]
FileOf = Callable[[World, dict[str, object], str], bytes]


async def several_roadmaps(
    anna: SimulatedUser, world: World, env: dict[str, str], outdir: Path, cli: Cli, file_of: FileOf
) -> None:
    await cli(env, "import", str(SEEDS / ROADMAP_SEEDS["ust_ilimsk"]))
    await cli(env, "roadmaps")
    picker = await anna.ask("/export")
    first = next(
        button["text"]
        for row in (picker.get("reply_markup") or {}).get("inline_keyboard", [])
        for button in row
    )
    await anna.press(first)  # the roadmap to 2030, first in the list
    await anna.next_message()
    await anna.press("Таблица (.xlsx)")
    exported = await anna.next_message()
    (outdir / "Отчет (выбор дорожной карты в чате).xlsx").write_bytes(
        file_of(world, exported, "document")
    )
    for words, name in (("Усть-Кутском", "до 2030 года"), ("Усть-Илимский", "ШНОР, архив")):
        await cli(
            env,
            "export",
            "--roadmap",
            words,
            "--as-of",
            "2026-04-20",
            "--out",
            str(outdir / f"Отчет ({name}).xlsx"),
        )
