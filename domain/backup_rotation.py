"""Which backups to keep: the newest of each of the last N days, N weeks and N months.

A department that loses a file today finds it in yesterday's archive; one that notices a
mistake after a holiday finds last month's. Pure: the archives' moments in, the kept out.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from datetime import datetime


def archives_to_keep(
    moments: Iterable[datetime], *, days: int, weeks: int, months: int
) -> set[datetime]:
    """The moments to keep: for each of the ``days`` most recent days that have an archive,
    its newest; likewise per ISO week and per month. The newest archive is always kept."""
    newest_first = sorted(set(moments), reverse=True)
    kept: set[datetime] = set(newest_first[:1])
    kept |= _newest_per(newest_first, lambda m: m.date(), days)
    kept |= _newest_per(newest_first, lambda m: m.isocalendar()[:2], weeks)
    kept |= _newest_per(newest_first, lambda m: (m.year, m.month), months)
    return kept


def _newest_per(
    newest_first: list[datetime], period: Callable[[datetime], Hashable], count: int
) -> set[datetime]:
    chosen: dict[Hashable, datetime] = {}
    for moment in newest_first:
        if len(chosen) >= count and period(moment) not in chosen:
            break
        chosen.setdefault(period(moment), moment)
    return set(chosen.values())
