"""The late schools, with their head's phone and e-mail to call, and «Напомнить всем сейчас»:
within the messengers' limits (the outbox paces it) and the sending window (at night it is
held, and the coordinator is told when it goes)."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from domain.clock import Clock
from domain.reminders.calendar import russian_calendar
from domain.reminders.window import SendingWindow
from handlers.common.callbacks import StaffCb
from storage.unit_of_work import UnitOfWork
from storage.usecases.late_schools import late_schools
from storage.usecases.remind_now import remind_late_now

SHOWN = 40


async def show_late_schools(message: Message, uow: UnitOfWork, today: date) -> None:
    late = await late_schools(uow, today)
    if not late:
        await message.answer(_("No school is late with a report."))
        return
    lines = [_("Late with reports ({count}):").format(count=len(late))]
    for school in late[:SHOWN]:
        lines.append(
            _("{school} — overdue: {count}").format(school=school.school, count=school.overdue)
        )
        lines.extend(
            "   " + ", ".join((name, phone or _("no phone"), email or _("no e-mail")))
            for name, phone, email in school.heads
        )
    button = InlineKeyboardButton(
        text=_("Remind everyone late now"), callback_data=StaffCb(action="late_remind").pack()
    )
    await message.answer(
        "\n".join(lines)[:4000], reply_markup=InlineKeyboardMarkup(inline_keyboard=[[button]])
    )


async def remind_now_text(
    uow: UnitOfWork, clock: Clock, timezone: ZoneInfo, window: SendingWindow
) -> str:
    now = clock.now()
    today = now.astimezone(timezone).date()
    written, people = await remind_late_now(uow, today=today, now=now)
    await uow.commit()
    if not written:
        return _(
            "Nobody new to remind: everyone late has been reminded today already, or nobody "
            "is late."
        )
    who = ngettext(
        "{count} person will be reminded", "{count} people will be reminded", people
    ).format(count=people)
    opening = window.next_opening(now, russian_calendar(today.year, today.year + 1), timezone)
    if opening <= now:
        return _("{who} now; each gets one message with everything overdue.").format(who=who)
    local = opening.astimezone(timezone)
    when = (
        _("at {time}").format(time=f"{local:%H:%M}")
        if local.date() == today
        else _("on {date} at {time}").format(date=f"{local:%d.%m.%Y}", time=f"{local:%H:%M}")
    )
    return _(
        "Reminders are not sent outside working hours. I will remind them {when}: {who}."
    ).format(when=when, who=who)
