"""The report's last step: the answers shown back for checking, then «Save», «Cancel», or
«Without a file or link» at the evidence step. Saving tells the coordinators and takes the
measure's status buttons away, so they do not invite a second report. Also the answers every
step gives a button that can no longer start a report (stale, or its roadmap archived)."""

from __future__ import annotations

import logging
import secrets
from datetime import date
from pathlib import Path

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from domain.access import may_command
from domain.clock import Clock
from domain.labels import shorten
from domain.requests import is_request_number
from domain.roles import Command, Role
from handlers.common.access import refuse_button, refuse_foreign
from handlers.common.callbacks import ReportStepCb
from handlers.common.texts import status_name
from handlers.report.keyboards import review_buttons, step_buttons
from handlers.report.notify import notify_coordinators, report_summary
from handlers.report.states import ReportForm
from handlers.requests.merged_answers import send_when_complete
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.access import may_act_on_occurrence
from storage.usecases.outbox.buttons import reminder_message_ids
from storage.usecases.reports.announcements import coordinator_chats
from storage.usecases.reports.reportable import reportable
from storage.usecases.reports.saving import Evidence, save_report
from storage.usecases.roadmap_choice import archived_title

ALERT_TITLE = 60  # a button's answer holds 200 characters, the roadmap's title among them

logger = logging.getLogger(__name__)


async def answer_stale_report(query: CallbackQuery) -> None:
    await query.answer(
        _("This report can no longer be changed, or it is not yours."), show_alert=True
    )


async def refuse_archived(
    query: CallbackQuery,
    uow: UnitOfWork,
    clock: Clock,
    person: Person,
    measure_id: int,
    occurrence_id: int,
    today: date,
    action: str,
) -> bool:
    """A button shown before its roadmap was archived (a line of /my or /report, a reminder's
    status buttons): said so, and nothing starts. ``False`` when the roadmap is active."""
    title = await archived_title(uow, measure_id, today)
    if title is None:
        return False
    uow.audit.add(
        at=clock.now(),
        action=action,
        outcome="refused",
        person_id=person.id,
        details={"occurrence_id": occurrence_id, "archived": True},
    )
    await uow.commit()
    await query.answer(
        _(
            "«{title}» is in the archive: reports on its measures are no longer taken. "
            "What still waits for your report is in /my."
        ).format(title=shorten(title, ALERT_TITLE)),
        show_alert=True,
    )
    return True


async def still_theirs(
    message: Message, state: FSMContext, person: Person, uow: UnitOfWork, clock: Clock
) -> bool:
    """Every step of a report asks the rule again: a conversation begun before the person's
    role or school changed ends at its next step, with nothing kept."""
    occurrence_id = int((await state.get_data()).get("occurrence_id") or 0)
    if await may_act_on_occurrence(uow, person, occurrence_id):
        return True
    await state.clear()
    await message.answer(
        await refuse_foreign(uow, clock, person, "report.step", occurrence_id=occurrence_id)
    )
    return False


async def ask_to_confirm(message: Message, state: FSMContext) -> None:
    data = await state.get_data()
    evidence = data.get("evidence") or {}
    attached = evidence.get("file_name") or evidence.get("url") or _("none")
    # A new key for this summary's «Save»: stored with the report, it makes a press that comes
    # again (redelivered after a crash, or pressed twice) find its report instead of saving
    # a second one.
    await state.update_data(save_key=secrets.token_hex(16))
    await state.set_state(ReportForm.confirm)
    await message.answer(
        _(
            "Please check your report:\nStatus: {status}\nResult: {text}\nEvidence: {evidence}"
        ).format(status=status_name(data["status"]), text=data["text"], evidence=attached),
        reply_markup=step_buttons((_("Save"), "save"), (_("Cancel"), "cancel")),
    )


async def on_step(
    query: CallbackQuery,
    callback_data: ReportStepCb,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    state: FSMContext,
    bot: Bot,
    report_notifications: str,
    evidence_dir: Path,
    i18n: I18n,
) -> None:
    if not may_command(Role(person.role), Command.REPORT):
        await state.clear()
        await refuse_button(query, uow, clock, person, "report.step")
        return
    current = await state.get_state()
    if callback_data.action == "cancel":
        await state.clear()
        await query.answer(_("Cancelled."))
        if query.message is not None:
            await query.message.answer(_("Stopped. Nothing was saved."))
        return
    if callback_data.action == "skip_evidence" and current == ReportForm.evidence.state:
        data = await state.get_data()
        if data.get("form_sha") and data.get("status") == "done":
            await query.answer(
                _("This request needs the filled form: send it as a file."), show_alert=True
            )
            return
        await query.answer()
        await state.update_data(evidence=None)
        if isinstance(query.message, Message):
            await ask_to_confirm(query.message, state)
        return
    if callback_data.action != "save" or current != ReportForm.confirm.state:
        await query.answer(
            _("This button is no longer valid. Send /report to start again."), show_alert=True
        )
        return
    data = await state.get_data()
    occurrence_id = int(data["occurrence_id"])
    if not await may_act_on_occurrence(uow, person, occurrence_id):
        await state.clear()
        await refuse_button(query, uow, clock, person, "report.save", occurrence_id=occurrence_id)
        return
    view = await reportable(uow, occurrence_id, person)
    if view is None:
        await state.clear()
        await answer_stale_report(query)
        return
    evidence = Evidence(**(data.get("evidence") or {}))
    instant = report_notifications == "instant"
    card = await save_report(
        uow,
        view,
        person,
        data["status"],
        data["text"],
        evidence,
        clock.now(),
        notified=instant,
        save_key=data.get("save_key"),
    )
    if card is None:
        # Saved already by this very press; only the confirmation was lost: say it again.
        await uow.rollback()
        await state.clear()
        await query.answer(_("Saved."))
        if query.message is not None:
            await query.message.answer(saved_text(view.measure_number, data["status"]))
        return
    coordinators = await coordinator_chats(uow, view.roadmap_id) if instant else []
    outdated = await reminder_message_ids(uow, view.occurrence_id, person.id)
    await uow.commit()
    await state.clear()
    await query.answer(_("Saved."))
    if query.message is not None:
        await drop_buttons(bot, query.message.chat.id, {*outdated, data.get("buttons_message")})
    if query.message is not None:
        await query.message.answer(saved_text(view.measure_number, data["status"]))
    await notify_coordinators(
        bot, coordinators, lambda: report_summary(card), lambda: review_buttons(card.report_id)
    )
    if data.get("form_sha") and data["status"] == "done":
        await send_when_complete(bot, i18n, uow, view.occurrence_id, evidence_dir)


def saved_text(number: str, status: str) -> str:
    if is_request_number(number):
        saved = _("Your answer to request {number} is saved and sent to the coordinator.")
        still_open = _("The request stays open; reminders continue.")
    else:
        saved = _("Your report on {number} is saved and sent to the coordinator.")
        still_open = _("The measure stays open; reminders continue.")
    return saved.format(number=number) + ("" if status == "done" else "\n" + still_open)


async def drop_buttons(bot: Bot, chat_id: int, message_ids: set[int | None]) -> None:
    """The status buttons of a measure just reported on would only invite a second report."""
    for message_id in message_ids:
        if message_id is None:
            continue
        try:
            await bot.edit_message_reply_markup(
                chat_id=chat_id, message_id=message_id, reply_markup=None
            )
        except TelegramAPIError as error:  # «message is not modified», too old: nothing to do
            logger.info("buttons left on a message: %s", error)
