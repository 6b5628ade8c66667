"""/calendar: the person's open deadlines as an .ics file for their calendar app; for the
coordinator, every school's."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from aiogram import Bot, Router
from aiogram.filters import Command as CommandFilter
from aiogram.filters import CommandObject
from aiogram.types import BufferedInputFile, Message
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.roles import Command
from formats.calendar_file import calendar_file
from handlers.calendar.texts import calendar_texts
from handlers.common.access import refuse_unless
from handlers.common.filters import Joined
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.calendar import calendar_of, calendar_token


def build_router() -> Router:
    router = Router(name="calendar")
    router.message.register(cmd_calendar, CommandFilter(Command.CALENDAR.value), Joined())
    return router


async def cmd_calendar(
    message: Message,
    command: CommandObject,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    bot: Bot,
    timezone: ZoneInfo,
    calendar_url: str | None,
    calendar_ttl: timedelta,
) -> None:
    if refusal := await refuse_unless(uow, clock, person, Command.CALENDAR, "calendar"):
        await message.answer(refusal)
        return
    reset = (command.args or "").strip().lower() == "reset"
    today = clock.now().astimezone(timezone).date()
    events = await calendar_of(uow, person, today=today)
    # Only the address's digest is kept: it is shown when it is made (the first time, after
    # a reset, once the old one ran out), never again.
    token = (
        await calendar_token(uow, person, now=clock.now(), ttl=calendar_ttl, renew=reset)
        if calendar_url
        else None
    )
    uow.audit.add(
        at=clock.now(), action="calendar.reset" if reset else "calendar", person_id=person.id
    )
    await uow.commit()
    if token is not None:
        await message.answer(subscription_text(f"{calendar_url}/{token}.ics", reset=reset))
    elif calendar_url:
        await message.answer(
            _(
                "Your private calendar address was sent to you earlier in this chat and still "
                "works. If you cannot find it, or it got into the wrong hands, send "
                "/calendar reset for a new one (the old one stops working)."
            )
        )
    if not events:
        await message.answer(_("You have no open deadlines, so there is nothing to add."))
        return
    me = await bot.me()
    link = f"https://t.me/{me.username}" if me.username else None
    data = calendar_file(events, calendar_texts(), timezone=timezone.key, bot_link=link)
    await message.answer_document(
        BufferedInputFile(data, _("Deadlines.ics")),
        caption=_(
            "Deadlines in the file: {count}. Open the file on your phone or computer, or "
            "import it in Яндекс Календарь, Outlook or Google Calendar: each deadline is an "
            "all-day event with a reminder at 9:00 the day before. Send /calendar again after "
            "new deadlines appear; the events are updated, not doubled."
        ).format(count=len(events)),
    )


def subscription_text(url: str, *, reset: bool) -> str:
    lines = [
        _("A new private address; the old one no longer works.")
        if reset
        else _("Your private calendar address (keep it to yourself):"),
        url,
        _(
            "Add it in your calendar app as a subscription («Добавить календарь по ссылке» / "
            "«Subscribe from web»): the deadlines then stay up to date by themselves. If the "
            "address got into the wrong hands, send /calendar reset for a new one."
        ),
    ]
    return "\n".join(lines)
