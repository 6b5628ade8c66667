"""Several roadmaps at once: which are archived, and which one a person's words name.

A roadmap whose period has ended is archived (no reminders, still in exports and history)
unless the coordinator keeps it active; the coordinator may also archive one early."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

ARCHIVED = "archived"  # the coordinator archived it, whatever its period says
KEPT_ACTIVE = "active"  # the coordinator restored it after its period ended


@dataclass(frozen=True, slots=True)
class RoadmapEntry:
    """A roadmap as the lists and pickers show it; ``number`` counts from 1 in list order."""

    number: int
    id: int
    title: str
    period_start_on: date
    period_end_on: date
    archived: bool


def is_archived(choice: str | None, period_end_on: date, today: date) -> bool:
    if choice == ARCHIVED:
        return True
    if choice == KEPT_ACTIVE:
        return False
    return period_end_on < today


def choice_to_archive() -> str:
    return ARCHIVED


def choice_to_restore(period_end_on: date, today: date) -> str | None:
    """Restoring a roadmap whose period has ended keeps it active on purpose; one still in its
    period simply follows its period again."""
    return KEPT_ACTIVE if period_end_on < today else None


def ordered(entries: list[RoadmapEntry]) -> list[RoadmapEntry]:
    """Active roadmaps first, then archived ones; numbered from 1 in that order."""
    ranked = sorted(entries, key=lambda e: (e.archived, e.period_start_on, e.id))
    return [
        RoadmapEntry(i, e.id, e.title, e.period_start_on, e.period_end_on, e.archived)
        for i, e in enumerate(ranked, start=1)
    ]


def named(entries: list[RoadmapEntry], words: str) -> list[RoadmapEntry]:
    """The roadmaps ``words`` name: its number in the list, its id («id:7» or a number that is
    no list number), or a part of its title, case-insensitive. An exact match of number or id
    wins over title parts."""
    text = " ".join(words.split()).casefold()
    if not text:
        return []
    if text.startswith("id:") and text[3:].strip().isdigit():
        wanted = int(text[3:].strip())
        return [e for e in entries if e.id == wanted]
    if text.isdigit():
        value = int(text)
        by_number = [e for e in entries if e.number == value]
        return by_number or [e for e in entries if e.id == value]
    return [e for e in entries if text in " ".join(e.title.split()).casefold()]


def outside_period(since: date | None, until: date, start: date, end: date) -> bool:
    """Whether the report window [``since``, ``until``] misses the roadmap's period entirely
    (a window that overlaps it is reported on as far as it goes)."""
    return until < start or (since is not None and since > end)
