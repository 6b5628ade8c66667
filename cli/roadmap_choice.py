"""``--roadmap``: which roadmap a command is about, when the department runs several.

Every command about one roadmap (export, ask, calendar, indicators, roadmaps) calls
:func:`choose_roadmap`. With one roadmap nothing needs choosing; with several and no
``--roadmap``, the command lists them and exits 2, as it does when the words name no roadmap
or more than one."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import NoReturn, TextIO

from domain.roadmap.archive import RoadmapEntry, named
from storage.models import Roadmap
from storage.unit_of_work import UnitOfWork
from storage.usecases.roadmap_choice import roadmap_entries

NOT_CHOSEN = 2  # the exit status when no single roadmap is chosen


class RoadmapNotChosenError(Exception):
    """Why was already printed on stderr; the command exits with :data:`NOT_CHOSEN`."""


def add_roadmap_argument(parser: argparse.ArgumentParser, *, sub: bool = False) -> None:
    """``sub``: on a subcommand whose parent takes ``--roadmap`` too, so that either place
    works (``indicators --roadmap X collect 1`` and ``indicators collect 1 --roadmap X``); the
    subcommand's absent option must not erase the parent's (argparse would set it to None)."""
    parser.add_argument(
        "--roadmap",
        default=argparse.SUPPRESS if sub else None,
        help="which roadmap, when there are several: its number in «roadmap-bot roadmaps», "
        "its id (id:7) or a part of its title, e.g. «ШНОР»",
    )


def roadmap_lines(entries: list[RoadmapEntry]) -> list[str]:
    """One line a roadmap: number, id, period, title, and «archived» for the archived ones."""
    lines = []
    for entry in entries:
        period = f"{entry.period_start_on:%d.%m.%Y}–{entry.period_end_on:%d.%m.%Y}"
        mark = "  [archived]" if entry.archived else ""
        title = " ".join(entry.title.split())
        lines.append(f"{entry.number:>3}  id:{entry.id:<5} {period}  {title}{mark}")
    return lines


def print_roadmaps(entries: list[RoadmapEntry], stream: TextIO) -> None:
    for line in roadmap_lines(entries):
        print(line, file=stream)


async def choose_roadmap(
    uow: UnitOfWork, words: str | None, *, today: date, command: str
) -> Roadmap | None:
    """The roadmap ``words`` (the ``--roadmap`` option) name; ``None`` when no roadmap has
    been imported at all. Raises :class:`RoadmapNotChosenError` after explaining on stderr
    when there are several and no words, or the words name none or several."""
    entries = await roadmap_entries(uow, today)
    if not entries:
        return None
    if words is None or not words.strip():
        if len(entries) == 1:
            return await uow.roadmaps.get(entries[0].id)
        _refuse(
            command,
            f"the department runs {len(entries)} roadmaps; choose one with --roadmap "
            "(its number, id:ID or a part of its title):",
            entries,
        )
    found = named(entries, words or "")
    if not found:
        _refuse(command, f"--roadmap «{words}» names no roadmap; the roadmaps are:", entries)
    if len(found) > 1:
        _refuse(
            command,
            f"--roadmap «{words}» names {len(found)} roadmaps; give more of the title, "
            "its number or id:ID:",
            found,
        )
    return await uow.roadmaps.get(found[0].id)


def _refuse(command: str, message: str, entries: list[RoadmapEntry]) -> NoReturn:
    print(f"roadmap-bot {command}: {message}", file=sys.stderr)
    print_roadmaps(entries, sys.stderr)
    raise RoadmapNotChosenError


async def the_roadmap(
    uow: UnitOfWork, words: str | None, *, today: date, command: str
) -> Roadmap | int:
    """The roadmap a command is about, or the exit code once the reason is on stderr:
    ``NOT_CHOSEN`` (the roadmaps listed) or 1 (none imported yet)."""
    try:
        roadmap = await choose_roadmap(uow, words, today=today, command=command)
    except RoadmapNotChosenError:
        return NOT_CHOSEN
    if roadmap is None:
        print(f"roadmap-bot {command}: no roadmap imported yet", file=sys.stderr)
        return 1
    return roadmap
