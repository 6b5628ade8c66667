"""Reminders as people read them, and «напомнить завтра / через 3 дня»."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from aiogram import Router
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import I18n, ngettext
from aiogram.utils.i18n import gettext as _
from babel.dates import format_date

from domain.clock import Clock
from domain.labels import shorten
from domain.reminders.calendar import russian_calendar
from domain.reminders.plan import snooze_until
from domain.reminders.policy import ReminderPolicy
from handlers.common.access import refuse_button
from handlers.common.callbacks import PickCb, SnoozeCb
from handlers.common.filters import Joined
from handlers.report import figures_texts
from handlers.report.keyboards import figures_buttons, report_buttons
from storage.models import INDICATOR_MEASURE, REQUEST_MEASURE, Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.access import may_act_on_occurrence
from storage.usecases.indicator_collection import CARRIER_PREFIX
from storage.usecases.outbox.buttons import is_open, occurrence_timezone, snooze
from storage.usecases.outbox.claim import ReminderView
from storage.usecases.outbox.reachability import UnreachablePerson
from storage.usecases.requests.lifecycle import REQUEST_CHANGED, REQUEST_SENT

MAX_RESULT = 400
SNOOZE_DAYS = (1, 3)
# A summary lists at most this many measures per message: ~20 lines of up to ~250 characters
# stay far below Telegram's 4,096, and a keyboard of 20 buttons still fits a phone's screen.
SUMMARY_ITEMS = 20
SUMMARY_TITLE = 150
BUTTON_LABEL = 60


class ReminderTexts:
    """The scheduler's ReminderRenderer: words reminders in each reader's language."""

    def __init__(self, i18n: I18n) -> None:
        self._i18n = i18n

    def reminder(
        self, view: ReminderView, today_local: date
    ) -> tuple[str, InlineKeyboardMarkup | None]:
        locale = view.locale or self._i18n.default_locale
        with self._i18n.context(), self._i18n.use_locale(locale):
            if view.measure_kind == INDICATOR_MEASURE:
                return reminder_text(view, today_local, locale), figures_buttons(
                    view.occurrence_id, snooze=True
                )
            request = view.measure_kind == REQUEST_MEASURE
            return reminder_text(view, today_local, locale), report_buttons(
                view.occurrence_id,
                snooze=True,
                form=request and bool(view.planned_result),
                request=request,
                due_passed=view.due_on <= today_local,
            )

    def summary(
        self, views: list[ReminderView], today_local: date
    ) -> list[tuple[str, InlineKeyboardMarkup | None]]:
        locale = views[0].locale or self._i18n.default_locale
        with self._i18n.context(), self._i18n.use_locale(locale):
            return summary_messages(views, today_local, locale)

    def unreachable(self, person: UnreachablePerson, locale: str | None) -> str:
        with self._i18n.context(), self._i18n.use_locale(locale or self._i18n.default_locale):
            who = (
                f"{person.full_name} ({person.organisation})"
                if person.organisation
                else person.full_name
            )
            return unreachable_text(who, person.email, person.phone)


def unreachable_text(who: str, email: str | None, phone: str | None) -> str:
    """The same story the digest tells: reminders go by e-mail where there is an address; the
    phone, where known, for calling."""
    if email:
        text = _(
            "⚠ {who}: the bot is blocked or the messenger account is deleted, so reminders in "
            "the chat are stopped. Reminders now go by e-mail to {address}."
        ).format(who=who, address=email)
    else:
        text = _(
            "⚠ {who}: the bot is blocked or the messenger account is deleted, so reminders in "
            "the chat are stopped, and the bot has no e-mail address for them."
        ).format(who=who)
    if phone:
        return text + "\n" + _("Phone: {phone}").format(phone=phone)
    if not email:
        return text + "\n" + _("Please contact them yourself and ask them to open the bot again.")
    return text


def reminder_text(view: ReminderView, today: date, locale: str) -> str:
    due = format_date(view.due_on, "d MMMM y", locale=locale)
    when = days_word(view.due_on, today)
    if view.measure_kind == REQUEST_MEASURE:
        return _request_text(view, due, when)
    if view.measure_kind == INDICATOR_MEASURE:
        return figures_texts.reminder_text(
            view.measure_number.removeprefix(CARRIER_PREFIX), view.measure_title, due, when
        )
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
    if view.stands_in_for:
        lines += [
            "",
            _(
                "The measure is given to {name}, who has not joined the bot yet, so the "
                "reminder comes to you. Report on it yourself, or ask them to open their "
                "invitation."
            ).format(name=view.stands_in_for),
        ]
    return "\n".join(lines)


def _request_text(view: ReminderView, due: str, when: str) -> str:
    if view.kind == REQUEST_SENT:
        heading = _("📨 A request from the education department, № {number}")
    elif view.kind.startswith(REQUEST_CHANGED):
        heading = _("✏️ Request № {number} has changed: here it is as it stands now")
    else:
        heading = _("⏰ Reminder: request № {number}")
    lines = [heading.format(number=view.measure_number), view.measure_title, ""]
    if view.planned_result:  # the form's file name
        lines.append(
            _(
                "Fill in the form «{form}» (button «📎 The form to fill»), then press «Done» "
                "and send the filled file."
            ).format(form=view.planned_result)
        )
    lines.append(_("Due: {date} — {when}").format(date=due, when=when))
    return "\n".join(lines)


def summary_messages(
    views: list[ReminderView], today: date, locale: str
) -> list[tuple[str, InlineKeyboardMarkup | None]]:
    """What is overdue and what is due soon, each with a button that opens its report; past
    ``SUMMARY_ITEMS`` lines, the rest follows in further messages of the same shape."""
    ordered = sorted(views, key=lambda v: (v.due_on, v.measure_number))
    overdue = [v for v in ordered if v.due_on < today]
    soon = [v for v in ordered if v.due_on >= today]
    items = [(v, True) for v in overdue] + [(v, False) for v in soon]
    messages: list[tuple[str, InlineKeyboardMarkup | None]] = []
    for start in range(0, len(items), SUMMARY_ITEMS):
        part = items[start : start + SUMMARY_ITEMS]
        lines = [_("📋 Your roadmap measures that need attention now")] if start == 0 else []
        heading = None
        for view, late in part:
            if late != heading:
                lines += ["", _("Overdue:") if late else _("Due soon:")]
                heading = late
            lines.append(_summary_line(view, today, locale))
        if any(view.stands_in_for for view, _late in part):
            lines += [
                "",
                _(
                    "Measures marked «not in the bot yet» are given to people who have not "
                    "joined: report on them yourself, or ask them to open their invitation."
                ),
            ]
        lines += ["", _("To report, press the button with the measure's number.")]
        buttons = [
            [
                InlineKeyboardButton(
                    text=shorten(f"{view.measure_number} · {view.measure_title}", BUTTON_LABEL),
                    callback_data=PickCb(occurrence_id=view.occurrence_id).pack(),
                )
            ]
            for view, _late in part
        ]
        messages.append(("\n".join(lines), InlineKeyboardMarkup(inline_keyboard=buttons)))
    return messages


def _summary_line(view: ReminderView, today: date, locale: str) -> str:
    due = format_date(view.due_on, "d MMMM y", locale=locale)
    line = _("• {number} {title} — due {date}, {when}").format(
        number=view.measure_number,
        title=shorten(view.measure_title, SUMMARY_TITLE),
        date=due,
        when=days_word(view.due_on, today),
    )
    if view.stands_in_for:
        line += " " + _("(given to {name}, not in the bot yet)").format(name=view.stands_in_for)
    return line


def days_word(due_on: date, today: date) -> str:
    days = (due_on - today).days
    if days > 0:
        return ngettext("{n} day left", "{n} days left", days).format(n=days)
    if days == 0:
        return _("due today")
    return ngettext("overdue by {n} day", "overdue by {n} days", -days).format(n=-days)


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
    if not await may_act_on_occurrence(uow, person, callback_data.occurrence_id):
        await refuse_button(
            query, uow, clock, person, "reminder.snooze", occurrence_id=callback_data.occurrence_id
        )
        return
    timezone = await occurrence_timezone(uow, callback_data.occurrence_id)
    if (
        callback_data.days not in SNOOZE_DAYS
        or timezone is None
        or not await is_open(uow, callback_data.occurrence_id)
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
