"""The coordinator's weekly digest, as data: what is late, what is coming, who cannot be reached,
what waits for the coordinator."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from domain.progress.standing import WORST_FIRST, Standing


@dataclass(frozen=True, slots=True)
class DigestItem:
    organisation_key: str  # what the «open» button carries: "o<id>" or "p<id>"
    organisation: str
    measure_number: str
    measure_title: str
    due_on: date
    days_overdue: int
    # Whose plan the measure is: a department running several roadmaps reads the digest
    # grouped under each roadmap's title (measure numbers repeat across roadmaps).
    roadmap_id: int
    roadmap_title: str


@dataclass(frozen=True, slots=True)
class MeasureGroup:
    """One measure and one deadline, with every organisation it is listed for: the digest's
    line, so thirty schools late on the same measure make one line, not thirty."""

    measure_number: str
    measure_title: str
    due_on: date
    organisations: tuple[str, ...]
    days_overdue: int


def by_measure(items: Iterable[DigestItem]) -> list[MeasureGroup]:
    """Items grouped by measure and deadline, earliest deadline first (then as they came). Two
    roadmaps' «1.1» due the same day stay two lines."""
    groups: dict[tuple[int, str, date], list[DigestItem]] = {}
    for item in items:
        groups.setdefault((item.roadmap_id, item.measure_number, item.due_on), []).append(item)
    ordered = sorted(groups.values(), key=lambda group: group[0].due_on)
    return [
        MeasureGroup(
            measure_number=group[0].measure_number,
            measure_title=group[0].measure_title,
            due_on=group[0].due_on,
            organisations=tuple(dict.fromkeys(item.organisation for item in group)),
            days_overdue=group[0].days_overdue,
        )
        for group in ordered
    ]


@dataclass(frozen=True, slots=True)
class Unreachable:
    name: str
    organisation: str | None
    never_joined: bool  # else: joined, then blocked the bot or lost the account
    # The messengers («Telegram», «MAX») where they joined and blocked the bot, when known.
    blocked_in: tuple[str, ...] = ()
    # Where the day's e-mail reaches them instead; None: no address, unsubscribed or bounced.
    email: str | None = None
    email_bounced: bool = False
    phone: str | None = None  # to call them: the one way left when the e-mail is gone too


@dataclass(frozen=True, slots=True)
class ReportWaiting:
    report_id: int
    measure_number: str
    organisation: str
    author: str
    # Whose measure: with several active roadmaps the list is grouped under their titles.
    roadmap_id: int
    roadmap_title: str


@dataclass(frozen=True, slots=True)
class ExtensionWaiting:
    request_id: int
    measure_number: str
    organisation: str
    requested_on: date
    roadmap_id: int  # grouped by roadmap as the reports waiting are
    roadmap_title: str


@dataclass(frozen=True, slots=True)
class OpenRequest:
    """A coordinator's request still open: how many answered, who has not."""

    number: str
    text: str
    due_on: date
    answered: int
    total: int
    missing: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class IndicatorBehind:
    """A target indicator behind its target, or still missing some schools' figures."""

    number: str
    name: str
    value: float | None  # None: no figures yet
    percent: bool
    target: str | None  # as printed
    answered: int
    expected: int
    behind: bool  # the value is short of the target (else only figures are missing)
    roadmap_id: int  # whose target it is: grouped under its roadmap like the measures
    roadmap_title: str


@dataclass
class Digest:
    as_of: date
    totals: Counter[Standing] = field(default_factory=Counter)
    by_organisation: dict[str, Counter[Standing]] = field(default_factory=dict)
    overdue: list[DigestItem] = field(default_factory=list)
    not_done: list[DigestItem] = field(default_factory=list)  # the school answered «не выполнено»
    due_soon: list[DigestItem] = field(default_factory=list)
    unreachable: list[Unreachable] = field(default_factory=list)
    reports_waiting: list[ReportWaiting] = field(default_factory=list)
    extensions_waiting: list[ExtensionWaiting] = field(default_factory=list)
    requests: list[OpenRequest] = field(default_factory=list)
    # Responsible people the bot reaches, by the messenger it writes to them in.
    reached_in: dict[str, int] = field(default_factory=dict)
    # Reached, but blocked the bot in another messenger: (name, organisation, blocked in).
    blocked_elsewhere: list[tuple[str, str | None, str]] = field(default_factory=list)
    indicators: list[IndicatorBehind] = field(default_factory=list)
    # The department's active roadmaps (id, title) in the order every list shows them, when it
    # runs more than one: the items are then grouped under each one's title. Empty with one
    # roadmap: the digest reads as it always has, with no heading.
    roadmaps: list[tuple[int, str]] = field(default_factory=list)

    def count(self, organisation: str, what: Standing) -> None:
        self.totals[what] += 1
        self.by_organisation.setdefault(organisation, Counter())[what] += 1

    @property
    def is_quiet(self) -> bool:
        """Nothing late, nothing due this week, nobody unreachable, nothing to decide."""
        return not (
            self.overdue
            or self.not_done
            or self.due_soon
            or self.unreachable
            or self.reports_waiting
            or self.extensions_waiting
            or self.requests
            or self.indicators
        )

    def roadmap_order(self) -> list[tuple[int, str]]:
        """The roadmaps the items are grouped under: the active ones in list order, then any
        other an item names (the requests' holder, or an archived roadmap whose measure has
        a request under it or a report still to decide), by id. Empty when nothing is to be
        grouped."""
        if not self.roadmaps:
            return []
        known = dict(self.roadmaps)
        others: dict[int, str] = {}
        named = [(i.roadmap_id, i.roadmap_title) for i in (*self.overdue, *self.not_done)]
        named += [(i.roadmap_id, i.roadmap_title) for i in self.due_soon]
        named += [(i.roadmap_id, i.roadmap_title) for i in self.indicators]
        named += [(i.roadmap_id, i.roadmap_title) for i in self.reports_waiting]
        named += [(i.roadmap_id, i.roadmap_title) for i in self.extensions_waiting]
        for roadmap_id, title in named:
            if roadmap_id not in known:
                others.setdefault(roadmap_id, title)
        return [*self.roadmaps, *sorted(others.items())]

    def worst_first(self) -> list[tuple[str, Counter[Standing]]]:
        """Organisations ordered by overdue, then not done, ... (ties by name)."""
        return sorted(
            self.by_organisation.items(),
            key=lambda item: (*(-item[1][s] for s in WORST_FIRST[:-1]), item[0]),
        )
