"""A measure on one screen: its deadline and how it was read, who is responsible, reports."""

from __future__ import annotations

from datetime import date

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from domain.deadlines import Schedule, ScheduleKind
from domain.progress.columns import ACTUAL, PLANNED_SHORT
from handlers.common.accept_all import accept_all_button
from handlers.common.callbacks import AskCb, MeasureEditCb, SectionCb
from handlers.roadmap.actual_result import actual_button
from handlers.roadmap.schedule_text import describe_schedule
from storage.models import Measure
from storage.unit_of_work import UnitOfWork
from storage.usecases.actual_results import current_result
from storage.usecases.reports.accept_all import pending_answers
from storage.usecases.requests.answers import requests_under

MAX_NAMES = 15
MAX_RESULT = 600


def schedule_of(measure: Measure) -> Schedule:
    return Schedule(
        ScheduleKind(measure.schedule_kind),
        tuple(date.fromisoformat(day) for day in measure.schedule_due),
        measure.schedule_start_on,
    )


async def measure_card(
    uow: UnitOfWork, measure: Measure, *, today: date, locale: str, editable: bool = True
) -> tuple[str, InlineKeyboardMarkup]:
    """The card, and its buttons: an observer (``editable`` false) is shown only the way back."""
    schedule = schedule_of(measure)
    lines = [f"{measure.number}. {measure.title}", ""]
    lines.append(
        _("Deadline: «{text}» — {reading}").format(
            text=measure.deadline_text or "—", reading=describe_schedule(schedule, locale)
        )
    )
    upcoming = [day for day in schedule.due if day >= today]
    if upcoming:
        lines.append(_("Next due date: {date}").format(date=upcoming[0].strftime("%d.%m.%Y")))
    names = await uow.roadmaps.assignee_names(measure.id)
    schools = [name for name, kind, _capacity in names if kind == "school"]
    others = [name for name, kind, _capacity in names if kind != "school"]
    if others:
        lines.append(_("Responsible: {names}").format(names="; ".join(others[:MAX_NAMES])))
    if schools:
        lines.append(
            _("Schools ({count}): {names}").format(
                count=len(schools), names="; ".join(schools[:MAX_NAMES])
            )
        )
    unmapped = [s["text"] for s in measure.assignee_specs or [] if s.get("kind") == "unmapped"]
    if unmapped:
        lines.append(
            _("Not matched yet: {texts}").format(texts="; ".join(f"«{t}»" for t in unmapped))
        )
    if not names:
        lines.append(_("Nobody is assigned yet."))
    # The official columns' names (domain/progress/columns.py), as the report prints them.
    if measure.result_text:
        lines.append(f"{PLANNED_SHORT}: {measure.result_text[:MAX_RESULT]}")
    actual = await current_result(uow, measure.id)
    if actual.text:
        lines.append(f"{ACTUAL}: {actual.text[:MAX_RESULT]}")
    reports = await uow.roadmaps.report_count(measure.id)
    lines.append(
        _("Reports received: {count}").format(count=reports) if reports else _("No reports yet.")
    )
    requests = await requests_under(uow, measure.id)
    if requests:
        lines.append(_("Requests made under this measure:"))
        lines.extend(
            _("• № {number} — due {date}: answered {answered} of {total}").format(
                number=r.number, date=f"{r.due_on:%d.%m.%Y}", answered=r.answered, total=r.total
            )
            for r in requests[:MAX_NAMES]
        )
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=_("Set dates") if schedule.needs_dates else _("Change deadline"),
                    callback_data=MeasureEditCb(measure_id=measure.id, field="deadline").pack(),
                ),
                InlineKeyboardButton(
                    text=_("Change responsible"),
                    callback_data=MeasureEditCb(measure_id=measure.id, field="assignees").pack(),
                ),
            ],
            [
                InlineKeyboardButton(
                    text=_("Ask the schools"),
                    callback_data=AskCb(action="measure", value=measure.id).pack(),
                )
            ],
            [actual_button(measure.id)],
            [
                InlineKeyboardButton(
                    text=_("« Back to the section"),
                    callback_data=SectionCb(
                        roadmap_id=measure.roadmap_id, section_id=measure.section_id or 0
                    ).pack(),
                )
            ],
        ]
    )
    if not editable:
        keyboard = InlineKeyboardMarkup(inline_keyboard=keyboard.inline_keyboard[-1:])
    elif pending := await pending_answers(uow, measure.id):
        lines.append(_("Awaiting your review: {count}").format(count=pending.count))
        keyboard.inline_keyboard.insert(0, [accept_all_button(measure.id, pending)])
    return "\n".join(lines)[:4000], keyboard
