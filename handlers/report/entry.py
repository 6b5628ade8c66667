"""Where a head's report begins: /report (and its button), /my, /cancel, picking a measure, the
status buttons under a reminder, and the answer to «what was done»."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.labels import shorten
from domain.requests import is_request_number
from domain.roles import Command
from handlers.common.access import refuse_button, refuse_unless
from handlers.common.callbacks import PickCb, ReportCb
from handlers.common.roadmap_picker import by_roadmap, headings, roadmap_heading
from handlers.report.confirm import answer_stale_report, refuse_archived, still_theirs
from handlers.report.figures import start_figures
from handlers.report.keyboards import report_buttons, step_buttons
from handlers.report.my_list import my_list
from handlers.report.states import MAX_TEXT, ExtensionForm, ReportForm
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.access import may_act_on_occurrence
from storage.usecases.indicator_figures import asked_figures
from storage.usecases.reports.reportable import (
    STATUSES,
    my_occurrences,
    reportable,
    reporting_choices,
)
from storage.usecases.requests.answers import request_of_occurrence

REPORT_CHOICES = 40  # buttons under /report: the soonest first


MY_HORIZON_DAYS = 60


async def cmd_cancel(message: Message, state: FSMContext) -> None:
    had = await state.get_state()
    await state.clear()
    await message.answer(
        _("Stopped. Nothing was saved.") if had else _("There was nothing to stop.")
    )


async def cmd_my(
    message: Message, person: Person, uow: UnitOfWork, clock: Clock, timezone: ZoneInfo
) -> None:
    if refusal := await refuse_unless(uow, clock, person, Command.MY, "report.my"):
        await message.answer(refusal)
        return
    today = clock.now().astimezone(timezone).date()
    items = await my_occurrences(uow, person, limit=500, today=today)
    horizon = today + timedelta(days=MY_HORIZON_DAYS)
    titles = headings((i.roadmap_id, i.roadmap_title, not i.request) for i in items)
    text, keyboard = my_list(items, horizon, MY_HORIZON_DAYS, titles)
    await message.answer(text, reply_markup=keyboard)


async def cmd_report(
    message: Message, person: Person, uow: UnitOfWork, clock: Clock, timezone: ZoneInfo
) -> None:
    if refusal := await refuse_unless(uow, clock, person, Command.REPORT, "report.start"):
        await message.answer(refusal)
        return
    await offer_measures(message, person, uow, clock, timezone)


async def on_report_start(
    query: CallbackQuery, person: Person, uow: UnitOfWork, clock: Clock, timezone: ZoneInfo
) -> None:
    if refusal := await refuse_unless(uow, clock, person, Command.REPORT, "report.start"):
        await query.answer(refusal, show_alert=True)
        return
    await query.answer()
    if isinstance(query.message, Message):
        await offer_measures(query.message, person, uow, clock, timezone)


async def offer_measures(
    message: Message, person: Person, uow: UnitOfWork, clock: Clock, timezone: ZoneInfo
) -> None:
    items = await reporting_choices(uow, person, clock.now().astimezone(timezone).date())
    if not items:
        await message.answer(_("You have no open measures right now."))
        return
    groups = by_roadmap(items[:REPORT_CHOICES], lambda item: item.roadmap_id)
    titles = headings((i.roadmap_id, i.roadmap_title, not i.request) for i in items)
    # Several roadmaps: the buttons come roadmap by roadmap, each marked with the roadmap's
    # number in the list above them (measure numbers repeat across roadmaps).
    shown = [roadmap_id for roadmap_id, _mine in groups if roadmap_id in titles]
    marks = {roadmap_id: f"{n}) " for n, roadmap_id in enumerate(shown, start=1)}
    rows = [
        [
            InlineKeyboardButton(
                text=shorten(
                    f"{marks.get(i.roadmap_id, '')}{i.measure_number} · {i.due_on:%d.%m.%Y} · "
                    f"{i.measure_title}",
                    60,
                ),
                callback_data=PickCb(occurrence_id=i.occurrence_id).pack(),
            )
        ]
        for _roadmap_id, mine in groups
        for i in mine
    ]
    text = _("Which measure are you reporting on?")
    if titles:
        text += "\n" + "\n".join(
            f"{marks[roadmap_id]}{roadmap_heading(titles[roadmap_id])}" for roadmap_id in shown
        )
    await message.answer(text, reply_markup=InlineKeyboardMarkup(inline_keyboard=rows))


async def on_pick(
    query: CallbackQuery,
    callback_data: PickCb,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    state: FSMContext,
    i18n: I18n,
    timezone: ZoneInfo,
) -> None:
    if not await may_act_on_occurrence(uow, person, callback_data.occurrence_id):
        await refuse_button(
            query, uow, clock, person, "report.pick", occurrence_id=callback_data.occurrence_id
        )
        return
    view = await reportable(uow, callback_data.occurrence_id, person)
    if view is None:
        await answer_stale_report(query)
        return
    today = clock.now().astimezone(timezone).date()
    if await refuse_archived(
        query, uow, clock, person, view.measure_id, view.occurrence_id, today, "report.pick"
    ):
        return
    await query.answer()
    asked = await asked_figures(uow, view.occurrence_id)
    if asked is not None and isinstance(query.message, Message):  # an indicator asks numbers
        await start_figures(query.message, state, asked, i18n)
        return
    if query.message is not None:
        await query.message.answer(
            f"{view.measure_number}. {view.measure_title}"[:3500]
            + "\n"
            + _("How is it going? Choose an answer below."),
            reply_markup=report_buttons(
                view.occurrence_id, snooze=False, request=is_request_number(view.measure_number)
            ),
        )


async def on_report_button(
    query: CallbackQuery,
    callback_data: ReportCb,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    state: FSMContext,
    i18n: I18n,
    timezone: ZoneInfo,
) -> None:
    if not await may_act_on_occurrence(uow, person, callback_data.occurrence_id):
        await refuse_button(
            query, uow, clock, person, "report.button", occurrence_id=callback_data.occurrence_id
        )
        return
    view = await reportable(uow, callback_data.occurrence_id, person)
    if view is None or callback_data.action not in (*STATUSES, "extend"):
        uow.audit.add(
            at=clock.now(),
            action="report.button",
            outcome="refused",
            person_id=person.id,
            details={"occurrence_id": callback_data.occurrence_id},
        )
        await uow.commit()
        await answer_stale_report(query)
        return
    today = clock.now().astimezone(timezone).date()
    if await refuse_archived(
        query, uow, clock, person, view.measure_id, view.occurrence_id, today, "report.button"
    ):
        return
    current = await state.get_data()
    if await state.get_state() is not None and current.get("occurrence_id") not in (
        None,
        view.occurrence_id,
    ):
        await query.answer(
            _("You are in the middle of another report. Finish it or send /cancel."),
            show_alert=True,
        )
        return
    await state.clear()
    asked = await asked_figures(uow, view.occurrence_id)
    if asked is not None and callback_data.action != "extend":
        # An indicator's status buttons (under a returned report) ask for its figures again.
        await query.answer()
        if isinstance(query.message, Message):
            await start_figures(query.message, state, asked, i18n)
        return
    request = await request_of_occurrence(uow, view.occurrence_id)
    await state.update_data(
        occurrence_id=view.occurrence_id,
        status=callback_data.action,
        buttons_message=query.message.message_id if isinstance(query.message, Message) else None,
        # «Done» on a request with a spreadsheet form: the answer is the filled form.
        form_sha=request.form_sha256 if request and _is_sheet(request.form_name) else None,
        form_name=request.form_name if request else None,
    )
    await query.answer()
    if query.message is None:
        return
    if callback_data.action == "extend":
        await state.set_state(ExtensionForm.date)
        await query.message.answer(_("Which date do you ask for? Write it as 30.04.2026."))
        return
    form_sha = request.form_sha256 if request and _is_sheet(request.form_name) else None
    if form_sha and callback_data.action == "done":
        # The filled form is the answer: asked for first, with no sentence before it.
        await state.update_data(
            text=_("Filled form «{form}»").format(form=request.form_name if request else "")
        )
        await state.set_state(ReportForm.evidence)
        await query.message.answer(
            _("Now send the filled form «{form}» as a file (.xlsx).").format(
                form=request.form_name if request else ""
            ),
            reply_markup=step_buttons((_("Cancel"), "cancel")),
        )
        return
    await state.set_state(ReportForm.text)
    prompts = {
        "done": _("Briefly: what was done? (the actual result, a sentence is enough)"),
        "in_progress": _("What has been done so far, and what is still left?"),
        "not_done": _("Why was it not done? A sentence is enough."),
    }
    await query.message.answer(prompts[callback_data.action])


async def on_text(
    message: Message, state: FSMContext, person: Person, uow: UnitOfWork, clock: Clock
) -> None:
    if not await still_theirs(message, state, person, uow, clock):
        return
    text = (message.text or "").strip()
    if not message.text:
        await message.answer(_("Please answer with text: a few words about the result."))
        return
    if not text:
        await message.answer(_("The answer is empty. Please write a few words."))
        return
    if len(text) > MAX_TEXT:
        await message.answer(
            _("That is longer than {limit} characters. Please shorten it.").format(limit=MAX_TEXT)
        )
        return
    await state.update_data(text=text)
    await state.set_state(ReportForm.evidence)
    data = await state.get_data()
    if data.get("form_sha") and data.get("status") == "done":
        await message.answer(
            _("Now send the filled form «{form}» as a file (.xlsx).").format(
                form=data["form_name"]
            ),
            reply_markup=step_buttons((_("Cancel"), "cancel")),
        )
        return
    await message.answer(
        _(
            "Attach evidence if you have it: a file, a photo or a link to a page. If not, press «Without a file or link»."
        ),
        reply_markup=step_buttons((_("Without a file or link"), "skip_evidence")),
    )


def _is_sheet(name: str | None) -> bool:
    return bool(name) and str(name).lower().endswith(".xlsx")
