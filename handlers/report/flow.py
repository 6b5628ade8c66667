"""A school head reports: status → what was done → evidence → confirm. Also /report, /my, /cancel
and «Перенести срок»."""

from __future__ import annotations

import asyncio
import logging
import re
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command as CommandFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.labels import shorten
from domain.roles import Command
from formats.request_forms.answer_check import FormProblem, Problem, check_answer
from formats.request_forms.template import read_template
from handlers.common.access import refuse_unless
from handlers.common.callbacks import PickCb, ReportCb, ReportStartCb, ReportStepCb
from handlers.common.downloads import DownloadError, download
from handlers.common.filters import Joined, in_state
from handlers.common.texts import status_name
from handlers.report.keyboards import (
    extension_buttons,
    report_buttons,
    review_buttons,
    step_buttons,
)
from handlers.report.notify import notify_coordinators, report_summary
from handlers.requests.form_problem_texts import form_problems_text
from handlers.requests.merged_answers import send_when_complete
from storage.evidence import (
    MAX_EVIDENCE_BYTES,
    EvidenceRefusedError,
    check_evidence,
    evidence_path,
    store_evidence,
)
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.outbox.buttons import reminder_message_ids
from storage.usecases.reports.announcements import coordinator_chats
from storage.usecases.reports.extensions import request_extension
from storage.usecases.reports.reportable import (
    STATUSES,
    my_occurrences,
    reportable,
    reporting_choices,
)
from storage.usecases.reports.saving import Evidence, save_report
from storage.usecases.requests.answers import request_of_occurrence

logger = logging.getLogger(__name__)
MAX_TEXT = 2000
REPORT_CHOICES = 40  # buttons under /report: the soonest first
MY_HORIZON_DAYS = 60
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*\.[^\s]{2,}$", re.IGNORECASE)
_DATE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")


class ReportForm(StatesGroup):
    text = State()
    evidence = State()
    confirm = State()


class ExtensionForm(StatesGroup):
    date = State()
    reason = State()


def build_router() -> Router:
    router = Router(name="report_flow")
    router.message.register(cmd_cancel, CommandFilter(Command.CANCEL.value), Joined())
    router.message.register(cmd_my, CommandFilter(Command.MY.value), Joined())
    router.message.register(cmd_report, CommandFilter(Command.REPORT.value), Joined())
    router.callback_query.register(on_report_start, ReportStartCb.filter(), Joined())
    router.callback_query.register(on_pick, PickCb.filter(), Joined())
    router.callback_query.register(on_report_button, ReportCb.filter(), Joined())
    router.message.register(on_text, in_state(ReportForm.text), Joined())
    router.message.register(on_evidence, in_state(ReportForm.evidence), Joined())
    router.callback_query.register(on_step, ReportStepCb.filter(), Joined())
    router.message.register(on_extension_date, in_state(ExtensionForm.date), Joined())
    router.message.register(on_extension_reason, in_state(ExtensionForm.reason), Joined())
    return router


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
    items = await my_occurrences(uow, person, limit=500)
    horizon = clock.now().astimezone(timezone).date() + timedelta(days=MY_HORIZON_DAYS)
    near = [item for item in items if item.due_on <= horizon]
    if not near:
        await message.answer(_("You have no open measures right now."))
        return
    lines = [
        _("Your measures for the next {days} days and overdue ones:").format(days=MY_HORIZON_DAYS)
    ]
    for item in near[:40]:
        state = status_name(item.last_report) if item.last_report else _("no report yet")
        lines.append(f"{item.measure_number} — {item.due_on:%d.%m.%Y} — {state}")
    if len(items) > len(near):
        lines.append(_("Later this period: {count} more.").format(count=len(items) - len(near)))
    await message.answer("\n".join(lines)[:4000])


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
    await query.answer()
    if isinstance(query.message, Message):
        await cmd_report(query.message, person, uow, clock, timezone)


async def offer_measures(
    message: Message, person: Person, uow: UnitOfWork, clock: Clock, timezone: ZoneInfo
) -> None:
    items = await reporting_choices(uow, person, clock.now().astimezone(timezone).date())
    if not items:
        await message.answer(_("You have no open measures right now."))
        return
    rows = [
        [
            InlineKeyboardButton(
                text=shorten(f"{i.measure_number} · {i.due_on:%d.%m.%Y} · {i.measure_title}", 60),
                callback_data=PickCb(occurrence_id=i.occurrence_id).pack(),
            )
        ]
        for i in items[:REPORT_CHOICES]
    ]
    await message.answer(
        _("Which measure are you reporting on?"),
        reply_markup=InlineKeyboardMarkup(inline_keyboard=rows),
    )


async def _stale(query: CallbackQuery) -> None:
    await query.answer(
        _("This report can no longer be changed, or it is not yours."), show_alert=True
    )


async def on_pick(
    query: CallbackQuery, callback_data: PickCb, person: Person, uow: UnitOfWork
) -> None:
    view = await reportable(uow, callback_data.occurrence_id, person)
    if view is None:
        await _stale(query)
        return
    await query.answer()
    if query.message is not None:
        await query.message.answer(
            f"{view.measure_number}. {view.measure_title}"[:3500]
            + "\n"
            + _("How is it going? Choose an answer below."),
            reply_markup=report_buttons(view.occurrence_id, snooze=False),
        )


async def on_report_button(
    query: CallbackQuery,
    callback_data: ReportCb,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    state: FSMContext,
) -> None:
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
        await _stale(query)
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
    await state.set_state(ReportForm.text)
    prompts = {
        "done": _("Briefly: what was done? (the actual result, a sentence is enough)"),
        "in_progress": _("What has been done so far, and what is still left?"),
        "not_done": _("Why was it not done? A sentence is enough."),
    }
    await query.message.answer(prompts[callback_data.action])


async def on_text(message: Message, state: FSMContext) -> None:
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


async def on_evidence(message: Message, state: FSMContext, bot: Bot, evidence_dir: Path) -> None:
    try:
        evidence = await _evidence(message, bot, evidence_dir)
    except EvidenceRefusedError as refused:
        await message.answer(_evidence_refusal(str(refused)))
        return
    if evidence is None:
        await message.answer(
            _(
                "That is not a link. Send a file, a photo, a link starting with https://, or press «Without a file or link»."
            )
        )
        return
    data = await state.get_data()
    if data.get("form_sha") and data.get("status") == "done":
        problems = await _form_problems(evidence, str(data["form_sha"]), evidence_dir)
        if problems is not None:
            await message.answer(form_problems_text(problems, str(data.get("form_name") or "")))
            return
    await state.update_data(evidence=_as_dict(evidence))
    await _ask_to_confirm(message, state)


async def _form_problems(
    evidence: Evidence, template_sha: str, directory: Path
) -> list[FormProblem] | None:
    """What keeps the file from being merged; ``None`` when it is the form, filled in."""
    if evidence.sha256 is None:  # a link or a photo
        return [FormProblem(Problem.NOT_A_SPREADSHEET)]
    template_file = evidence_path(directory, template_sha)
    answer_file = evidence_path(directory, evidence.sha256)

    def check() -> list[FormProblem]:
        template = read_template(template_file.read_bytes())
        return check_answer(template, answer_file.read_bytes(), evidence.file_name or "form.xlsx")

    problems = await asyncio.to_thread(check)
    return problems or None


def _is_sheet(name: str | None) -> bool:
    return bool(name) and str(name).lower().endswith(".xlsx")


def _evidence_refusal(reason: str) -> str:
    if reason == "too_large":
        return _("This file is larger than 20 MB. Please send a smaller file or a link.")
    if reason == "unreadable":
        return _("I could not fetch this file. Please send it again.")
    return _("Programs and scripts are not accepted. Please send a document, a photo or a link.")


def _as_dict(evidence: Evidence) -> dict[str, object]:
    return {
        key: getattr(evidence, key) for key in ("file_id", "file_name", "sha256", "size", "url")
    }


async def _evidence(message: Message, bot: Bot, directory: Path) -> Evidence | None:
    if message.document is not None:
        name = message.document.file_name or "document"
        return await _download(
            bot, message.document.file_id, name, message.document.file_size, directory
        )
    if message.photo:
        photo = message.photo[-1]
        return await _download(bot, photo.file_id, "photo.jpg", photo.file_size, directory)
    text = (message.text or "").strip()
    if _URL.match(text):
        return Evidence(url=text)
    return None


async def _download(
    bot: Bot, file_id: str, name: str, declared_size: int | None, directory: Path
) -> Evidence:
    check_evidence(name, declared_size)  # refuse programs before fetching anything
    try:
        data = await download(bot, file_id, declared_size, MAX_EVIDENCE_BYTES)
    except DownloadError as error:
        raise EvidenceRefusedError("too_large" if error.too_large else "unreadable") from None
    digest, size = store_evidence(directory, name, data)
    return Evidence(file_id=file_id, file_name=name, sha256=digest, size=size)


async def _ask_to_confirm(message: Message, state: FSMContext) -> None:
    data = await state.get_data()
    evidence = data.get("evidence") or {}
    attached = evidence.get("file_name") or evidence.get("url") or _("none")
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
            await _ask_to_confirm(query.message, state)
        return
    if callback_data.action != "save" or current != ReportForm.confirm.state:
        await query.answer(
            _("This button is no longer valid. Send /report to start again."), show_alert=True
        )
        return
    data = await state.get_data()
    view = await reportable(uow, int(data["occurrence_id"]), person)
    if view is None:
        await state.clear()
        await _stale(query)
        return
    evidence = Evidence(**(data.get("evidence") or {}))
    instant = report_notifications == "instant"
    card = await save_report(
        uow, view, person, data["status"], data["text"], evidence, clock.now(), notified=instant
    )
    coordinators = await coordinator_chats(uow) if instant else []
    outdated = await reminder_message_ids(uow, view.occurrence_id, person.id)
    await uow.commit()
    await state.clear()
    await query.answer(_("Saved."))
    if query.message is not None:
        await drop_buttons(bot, query.message.chat.id, {*outdated, data.get("buttons_message")})
    if query.message is not None:
        await query.message.answer(
            _("Your report on {number} is saved and sent to the coordinator.").format(
                number=view.measure_number
            )
            + (
                ""
                if data["status"] == "done"
                else "\n" + _("The measure stays open; reminders continue.")
            )
        )
    await notify_coordinators(
        bot, coordinators, lambda: report_summary(card), lambda: review_buttons(card.report_id)
    )
    if data.get("form_sha") and data["status"] == "done":
        await send_when_complete(bot, i18n, uow, view.occurrence_id, evidence_dir)


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


def _parse_date(text: str) -> date | None:
    match = _DATE.match(text)
    if not match:
        return None
    try:
        return date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        return None


async def on_extension_date(
    message: Message, state: FSMContext, clock: Clock, timezone: ZoneInfo
) -> None:
    asked = _parse_date(message.text or "")
    today = clock.now().astimezone(timezone).date()
    if asked is None or asked <= today or asked.year > today.year + 5:
        await message.answer(_("Please write a future date as 30.04.2026."))
        return
    await state.update_data(new_date=asked.isoformat())
    await state.set_state(ExtensionForm.reason)
    await message.answer(_("Why is more time needed? A sentence is enough."))


async def on_extension_reason(
    message: Message,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    state: FSMContext,
    bot: Bot,
) -> None:
    reason = (message.text or "").strip()
    if not reason or len(reason) > MAX_TEXT:
        await message.answer(
            _("Please write the reason as text, up to {limit} characters.").format(limit=MAX_TEXT)
        )
        return
    data = await state.get_data()
    view = await reportable(uow, int(data["occurrence_id"]), person)
    await state.clear()
    if view is None:
        await message.answer(_("This report can no longer be changed, or it is not yours."))
        return
    request = await request_extension(
        uow, view, person, date.fromisoformat(data["new_date"]), reason, clock.now()
    )
    coordinators = await coordinator_chats(uow)
    await uow.commit()
    await message.answer(
        _("Your request is sent to the coordinator. I will tell you the decision.")
    )

    def render() -> str:
        return _(
            "{name} asks to move the deadline of {number} from {old} to {new}: {reason}"
        ).format(
            name=person.full_name,
            number=view.measure_number,
            old=f"{view.due_on:%d.%m.%Y}",
            new=f"{request.requested_on:%d.%m.%Y}",
            reason=reason,
        )

    await notify_coordinators(bot, coordinators, render, lambda: extension_buttons(request.id))
