"""The coordinator's overdue digest: /digest, and every week on a schedule; a chart of each
organisation's standings; an organisation opened in detail with a button."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from aiogram import Bot, Router
from aiogram.filters import Command as CommandFilter
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from aiogram.utils.i18n import I18n, ngettext
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.clock import Clock
from domain.names import short_school_name
from domain.progress import (
    Digest,
    DigestItem,
    ExtensionWaiting,
    OpenRequest,
    ReportWaiting,
    Standing,
    Unreachable,
    split_into_messages,
)
from domain.progress.digest import MeasureGroup, by_measure
from domain.roles import Command, Role
from formats.charts import standings_chart
from handlers.common.access import refuse_unless
from handlers.common.callbacks import DigestOrgCb
from handlers.common.coordinators import tell_each_coordinator
from handlers.common.filters import Joined
from handlers.common.roadmap_picker import by_roadmap, roadmap_heading
from handlers.common.texts import standing_name
from handlers.digest.indicators import indicator_entries
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.progress import DUE_SOON_DAYS, current_facts, digests_of, load_digest
from storage.usecases.roadmap_choice import active_roadmaps
from storage.usecases.roadmap_coordinators import active_coordinators, roadmaps_of

ITEMS_PER_ORGANISATION = 25  # the rest behind the organisation's button
NAMED_ORGANISATIONS = 3  # more late on one measure: counted, each behind its button
MAX_BUTTONS = 30
TITLE_CHARS = 70


def build_router() -> Router:
    router = Router(name="digest")
    router.message.register(cmd_digest, CommandFilter(Command.DIGEST.value), Joined())
    router.callback_query.register(on_organisation, DigestOrgCb.filter(), Joined())
    return router


async def cmd_digest(
    message: Message, person: Person, uow: UnitOfWork, clock: Clock, timezone: ZoneInfo, bot: Bot
) -> None:
    if refusal := await refuse_unless(uow, clock, person, Command.DIGEST, "digest.open"):
        await message.answer(refusal)
        return
    # A coordinator reads the roadmaps she answers for; an observer reads every roadmap.
    theirs = await roadmaps_of(uow, person.id) if person.role == Role.COORDINATOR.value else None
    digest = await load_digest(uow, clock.now().astimezone(timezone).date(), theirs)
    await uow.commit()
    await send_digest(bot, message.chat.id, digest)


async def on_organisation(
    query: CallbackQuery,
    callback_data: DigestOrgCb,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    timezone: ZoneInfo,
) -> None:
    if refusal := await refuse_unless(uow, clock, person, Command.DIGEST, "digest.detail"):
        await query.answer(refusal, show_alert=True)
        return
    key = callback_data.key
    if key[:1] not in ("o", "p") or not key[1:].isdigit():
        await query.answer(
            _("This button is no longer valid. Send /digest again."), show_alert=True
        )
        return
    today = clock.now().astimezone(timezone).date()
    facts = await current_facts(uow, today, organisation_key=key)
    await uow.commit()
    await query.answer()
    if query.message is None:
        return
    if not facts:
        await query.message.answer(_("Nothing is due for them this week, and nothing is late."))
        return
    entries = [_("{name}: measures due so far and this week").format(name=facts[0].organisation)]
    several = len(await active_roadmaps(uow, today)) > 1  # then under each one's title
    for _roadmap_id, group in by_roadmap(facts, lambda fact: fact.roadmap_id):
        lines = [
            f"{fact.measure_number} {_shorten(fact.measure_title)} — {fact.due_on:%d.%m.%Y} — "
            f"{standing_name(fact.standing(today))}"
            + (f"\n   «{_shorten(fact.latest_text)}»" if fact.latest_text else "")
            for fact in group
        ]
        if several:
            lines[0] = "\n" + roadmap_heading(group[0].roadmap_title) + "\n" + lines[0]
        entries.extend(lines)
    for text in split_into_messages(entries):
        await query.message.answer(text)


async def send_digest(bot: Bot, chat_id: int, digest: Digest) -> None:
    """Chart first (if there is anything to draw), then the text, buttons on its last part."""
    if (chart := digest_chart(digest)) is not None:
        await bot.send_photo(
            chat_id, BufferedInputFile(chart, f"digest-{digest.as_of:%Y-%m-%d}.png")
        )
    parts = split_into_messages(digest_entries(digest))
    pages = button_pages(digest)
    for number, text in enumerate(parts, start=1):
        last = number == len(parts)
        await bot.send_message(chat_id, text, reply_markup=pages[0] if last and pages else None)
    for page in pages[1:]:  # every late organisation keeps its button, a screenful at a time
        await bot.send_message(
            chat_id, _("More organisations with something overdue:"), reply_markup=page
        )


def digest_chart(digest: Digest) -> bytes | None:
    """Each organisation's standings as a PNG, in the current language; nothing to draw: None."""
    if not digest.by_organisation:
        return None
    return standings_chart(
        digest.worst_first(),
        {what: standing_name(what) for what in Standing},
        _("Measures by organisation on {date}").format(date=f"{digest.as_of:%d.%m.%Y}"),
    )


def digest_entries(digest: Digest) -> list[str]:
    """The digest as entries, each kept whole when the text is split into messages."""
    day = f"{digest.as_of:%d.%m.%Y}"
    if digest.is_quiet:
        return [
            _("{date}: nothing is overdue or due this week, nothing waits for you.").format(
                date=day
            )
        ]
    totals = " · ".join(f"{standing_name(what)}: {digest.totals[what]}" for what in _TOTALS_ORDER)
    counted = _(
        "Deadlines up to {date}, one per organisation and deadline (what the words mean: /help):"
    ).format(date=f"{digest.as_of + timedelta(days=DUE_SOON_DAYS):%d.%m.%Y}")
    entries = [_("Digest on {date}").format(date=day) + "\n" + counted + "\n" + totals]
    if roadmaps := digest.roadmap_order():
        entries.extend(_by_roadmap(digest, roadmaps))
    else:
        entries.extend(_measure_entries(digest.overdue, digest.not_done, digest.due_soon))
    if digest.requests:
        entries.append(_("Open requests ({count}):").format(count=len(digest.requests)))
        entries.extend(_request_line(request, digest.as_of) for request in digest.requests)
    if digest.indicators and not roadmaps:
        entries.extend(indicator_entries(digest.indicators))
    if digest.unreachable:
        entries.append(_("Cannot be reached ({count}):").format(count=len(digest.unreachable)))
        entries.extend(_unreachable_line(who) for who in digest.unreachable)
    if len(digest.reached_in) > 1 or digest.blocked_elsewhere:
        entries.append(_reached_lines(digest))
    if digest.reports_waiting:
        entries.append(
            _("Reports waiting for your decision ({count}):").format(
                count=len(digest.reports_waiting)
            )
        )
        entries.extend(
            _under_roadmaps(
                digest.reports_waiting,
                lambda r: f"• {r.measure_number} · {r.organisation} · {r.author}",
                roadmaps,
            )
        )
    if digest.extensions_waiting:
        entries.append(
            _("Requests to move a deadline ({count}):").format(count=len(digest.extensions_waiting))
        )
        entries.extend(
            _under_roadmaps(
                digest.extensions_waiting,
                lambda e: f"• {e.measure_number} · {e.organisation} → {e.requested_on:%d.%m.%Y}",
                roadmaps,
            )
        )
    return entries


Waiting = TypeVar("Waiting", ReportWaiting, ExtensionWaiting)


def _under_roadmaps(
    items: list[Waiting], line: Callable[[Waiting], str], roadmaps: list[tuple[int, str]]
) -> list[str]:
    """What waits for the coordinator, a line each; with several active roadmaps (``roadmaps``
    not empty), under each one's short title in the digest's order, as the measures are: the
    measure numbers alone would not say whose «1.1» it is. The title rides on its group's first
    line, never alone at a message's end."""
    if not roadmaps:
        return [line(item) for item in items]
    order = {roadmap_id: position for position, (roadmap_id, _title) in enumerate(roadmaps)}
    groups = sorted(
        by_roadmap(items, lambda item: item.roadmap_id),
        key=lambda group: order.get(group[0], len(order)),
    )
    entries = []
    for _roadmap_id, group in groups:
        lines = [line(item) for item in group]
        lines[0] = roadmap_heading(group[0].roadmap_title) + "\n" + lines[0]
        entries.extend(lines)
    return entries


def _measure_entries(
    overdue: list[DigestItem], not_done: list[DigestItem], due_soon: list[DigestItem]
) -> list[str]:
    entries = []
    if overdue:
        late = by_measure(overdue)
        entries.append(_("Overdue ({count}):").format(count=len(late)))
        entries.extend(_measure_line(group, late=True) for group in late)
    if not_done:
        refused = by_measure(not_done)
        entries.append(_("Reported «Not done» ({count}):").format(count=len(refused)))
        entries.extend(_measure_line(group) for group in refused)
    if due_soon:
        coming = by_measure(due_soon)
        entries.append(_("Due in the next 7 days ({count}):").format(count=len(coming)))
        entries.extend(_measure_line(group) for group in coming)
    return entries


def _by_roadmap(digest: Digest, roadmaps: list[tuple[int, str]]) -> list[str]:
    """A department running several roadmaps: each one's short title, then its measures
    (late, «not done», due soon) and its target indicators; a roadmap with nothing to say
    this week is left out. The heading rides on its first entry, never alone at a message's
    end."""
    entries = []
    for roadmap_id, title in roadmaps:
        block = _measure_entries(
            [item for item in digest.overdue if item.roadmap_id == roadmap_id],
            [item for item in digest.not_done if item.roadmap_id == roadmap_id],
            [item for item in digest.due_soon if item.roadmap_id == roadmap_id],
        )
        indicators = [i for i in digest.indicators if i.roadmap_id == roadmap_id]
        if indicators:
            block.extend(indicator_entries(indicators))
        if block:
            block[0] = "\n" + roadmap_heading(title) + "\n" + block[0]
            entries.extend(block)
    return entries


def _request_line(request: OpenRequest, today: date) -> str:
    line = _("• № {number} «{text}» — due {date}: answered {answered} of {total}").format(
        number=request.number,
        text=_shorten(request.text),
        date=f"{request.due_on:%d.%m.%Y}",
        answered=request.answered,
        total=request.total,
    )
    if request.missing and request.due_on < today:
        shown = "; ".join(request.missing[:ITEMS_PER_ORGANISATION])
        more = len(request.missing) - ITEMS_PER_ORGANISATION
        line += (
            "\n  " + _("late: {names}").format(names=shown) + (f" … (+{more})" if more > 0 else "")
        )
    return line


def _unreachable_line(who: Unreachable) -> str:
    if who.never_joined:
        state = _("has not joined the bot")
    elif who.blocked_in:
        state = _("blocked the bot in {messengers}").format(messengers=", ".join(who.blocked_in))
    else:
        state = _("blocked the bot")
    line = "• " + who.name + (f" ({who.organisation})" if who.organisation else "") + " — " + state
    if who.email:
        line += "; " + _("reminders go by e-mail to {address}").format(address=who.email)
    elif who.email_bounced:
        line += "; " + _("the mail server refused their e-mail address")
    if who.phone:
        line += "; " + _("phone {phone}").format(phone=who.phone)
    return line


def _reached_lines(digest: Digest) -> str:
    """Where the heads are reached, when the bot is in more than one messenger."""
    counts = ", ".join(f"{name}: {count}" for name, count in sorted(digest.reached_in.items()))
    lines = [_("Heads reached in the chat: {counts}").format(counts=counts or "0")]
    lines.extend(
        "• "
        + _(
            "{name}{organisation} blocked the bot in {messenger}; reminders go to the other"
        ).format(
            name=name,
            organisation=f" ({organisation})" if organisation else "",
            messenger=messenger,
        )
        for name, organisation, messenger in digest.blocked_elsewhere
    )
    return "\n".join(lines)


_TOTALS_ORDER = (
    Standing.DONE,
    Standing.IN_PROGRESS,
    Standing.NOT_DONE,
    Standing.OVERDUE,
    Standing.NO_ANSWER,
)


def _measure_line(group: MeasureGroup, *, late: bool = False) -> str:
    """«• 01.11 1.1 Педсовет — 12 организаций, просрочено на 22 дня»: a measure once, with
    the organisations named when there are few of them and counted when there are many."""
    names = group.organisations
    if len(names) <= NAMED_ORGANISATIONS:
        who = ", ".join(short_school_name(name) for name in names)
    else:
        who = ngettext("{count} organisation", "{count} organisations", len(names)).format(
            count=len(names)
        )
    line = f"• {group.due_on:%d.%m} {group.measure_number} {_shorten(group.measure_title)} — {who}"
    if late:
        line += ", " + ngettext("{n} day late", "{n} days late", group.days_overdue).format(
            n=group.days_overdue
        )
    return line


def button_pages(digest: Digest) -> list[InlineKeyboardMarkup]:
    """A button per organisation with something overdue, in the digest's order, at most
    ``MAX_BUTTONS`` to a message: the first under the digest, the rest in messages of their own."""
    keys: dict[str, str] = {}
    for item in digest.overdue:
        keys.setdefault(item.organisation_key, item.organisation)
    rows = [
        [InlineKeyboardButton(text=name[:60], callback_data=DigestOrgCb(key=key).pack())]
        for key, name in keys.items()
    ]
    return [
        InlineKeyboardMarkup(inline_keyboard=rows[start : start + MAX_BUTTONS])
        for start in range(0, len(rows), MAX_BUTTONS)
    ]


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TITLE_CHARS else text[: TITLE_CHARS - 1] + "…"


class WeeklyDigest:
    """The scheduled digest: every coordinator, each in their language."""

    def __init__(
        self,
        bot: Bot,
        session_factory: async_sessionmaker[AsyncSession],
        i18n: I18n,
        clock: Clock,
        timezone: ZoneInfo,
    ) -> None:
        self._bot = bot
        self._sessions = session_factory
        self._i18n = i18n
        self._clock = clock
        self._timezone = timezone

    def today(self) -> date:
        return self._clock.now().astimezone(self._timezone).date()

    async def send(self) -> int:
        """Each coordinator gets the digest of the roadmaps they answer for; coordinators who
        answer for the same roadmaps share one digest, loaded once."""
        async with self._sessions() as session:
            uow = UnitOfWork(session)
            coordinators = [c for c in await active_coordinators(uow) if c.chat_address]
            theirs = await digests_of(uow, self.today(), coordinators)
            await uow.commit()
        groups: dict[int, tuple[Digest, list[tuple[int, str | None]]]] = {}
        for coordinator in coordinators:
            digest, _roadmaps = theirs[coordinator.id]
            assert coordinator.chat_address is not None  # kept above
            chats = groups.setdefault(id(digest), (digest, []))[1]
            chats.append((coordinator.chat_address, coordinator.locale))
        digests = list(groups.values())
        reached = 0
        for digest, chats in digests:

            async def send(chat_id: int, digest: Digest = digest) -> None:
                await send_digest(self._bot, chat_id, digest)

            reached += await tell_each_coordinator(self._i18n, chats, send)
        return reached
