"""Reminders as people read them, and «напомнить завтра / через 3 дня»."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from aiogram import Router
from aiogram.types import CallbackQuery, InlineKeyboardMarkup
from aiogram.utils.i18n import I18n, ngettext
from aiogram.utils.i18n import gettext as _
from babel.dates import format_date

from domain.clock import Clock
from domain.reminders.calendar import russian_calendar
from domain.reminders.plan import snooze_until
from domain.reminders.policy import ReminderPolicy
from handlers.callbacks import SnoozeCb
from handlers.filters import Joined
from handlers.report_keyboards import report_buttons
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.outbox import (
    ReminderView,
    UnreachablePerson,
    is_recipient,
    occurrence_timezone,
    snooze,
)

MAX_RESULT = 400
SNOOZE_DAYS = (1, 3)


class ReminderTexts:
    """The scheduler's ReminderRenderer: words reminders in each reader's language."""

    def __init__(self, i18n: I18n) -> None:
        self._i18n = i18n

    def reminder(
        self, view: ReminderView, today_local: date
    ) -> tuple[str, InlineKeyboardMarkup | None]:
        locale = view.locale or self._i18n.default_locale
        with self._i18n.context(), self._i18n.use_locale(locale):
            return reminder_text(view, today_local, locale), report_buttons(
                view.occurrence_id, snooze=True
            )

    def unreachable(self, person: UnreachablePerson, locale: str | None) -> str:
        with self._i18n.context(), self._i18n.use_locale(locale or self._i18n.default_locale):
            who = (
                f"{person.full_name} ({person.organisation})"
                if person.organisation
                else person.full_name
            )
            return _(
                "⚠ Reminders cannot be delivered to {who}: they blocked the bot or their "
                "Telegram account is gone. Reminders to them are stopped; please contact them "
                "by phone or e-mail."
            ).format(who=who)


def reminder_text(view: ReminderView, today: date, locale: str) -> str:
    days = (view.due_on - today).days
    due = format_date(view.due_on, "d MMMM y", locale=locale)
    if days > 0:
        when = ngettext("{n} day left", "{n} days left", days).format(n=days)
    elif days == 0:
        when = _("due today")
    else:
        when = ngettext("overdue by {n} day", "overdue by {n} days", -days).format(n=-days)
    lines = [
        _("⏰ Reminder: measure {number}").format(number=view.measure_number),
        view.measure_title,
        "",
    ]
    if view.planned_result:
        result = view.planned_result[:MAX_RESULT] + (
            "…" if len(view.planned_result) > MAX_RESULT else ""
        )
        lines.append(_("Expected: {result}").format(result=result))
    lines.append(_("Due: {date} — {when}").format(date=due, when=when))
    return "\n".join(lines)


def build_router() -> Router:
    router = Router(name="reminders")
    router.callback_query.register(on_snooze, SnoozeCb.filter(), Joined())
    return router


async def on_snooze(
    query: CallbackQuery,
    callback_data: SnoozeCb,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    i18n: I18n,
) -> None:
    timezone = await occurrence_timezone(uow, callback_data.occurrence_id)
    if (
        callback_data.days not in SNOOZE_DAYS
        or timezone is None
        or not await is_recipient(uow, callback_data.occurrence_id, person)
    ):
        uow.audit.add(
            at=clock.now(),
            action="reminder.snooze",
            outcome="refused",
            person_id=person.id,
            details={"occurrence_id": callback_data.occurrence_id},
        )
        await uow.commit()
        await query.answer(_("This reminder is no longer current."), show_alert=True)
        return
    now = clock.now()
    zone = ZoneInfo(timezone)
    local_year = now.astimezone(zone).year
    until = snooze_until(
        now,
        callback_data.days,
        ReminderPolicy(),
        russian_calendar(local_year, local_year + 1),
        zone,
    )
    await snooze(uow, callback_data.occurrence_id, person.id, until, now)
    await uow.commit()
    day = format_date(until.astimezone(zone).date(), "d MMMM", locale=i18n.current_locale)
    await query.answer(_("OK, I will remind you on {day}.").format(day=day))
