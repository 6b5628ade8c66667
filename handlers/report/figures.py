"""A head answers an indicator with numbers: one question a message (or «103 из 1000» in one
line), each answer checked before anything is kept, figures far from the school's own a year
before confirmed, then saved as the occurrence's report with its figures in one transaction."""

from __future__ import annotations

import secrets
from zoneinfo import ZoneInfo

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from domain.access import may_command
from domain.clock import Clock
from domain.indicators.answers import (
    Problem,
    Refused,
    check_share,
    is_unusual,
    read_figures,
)
from domain.roles import Command, Role
from handlers.common.access import refuse_button
from handlers.common.callbacks import FiguresCb, FiguresStepCb
from handlers.report.confirm import (
    answer_stale_report,
    drop_buttons,
    refuse_archived,
    still_theirs,
)
from handlers.report.figures_texts import (
    figures_text,
    first_question,
    one_number_text,
    over_total_text,
    problem_text,
    saved_text,
    unusual_text,
)
from handlers.report.keyboards import figures_step_buttons, review_buttons
from handlers.report.notify import notify_coordinators, report_summary
from handlers.report.states import FiguresForm
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.access import may_act_on_occurrence
from storage.usecases.indicator_figures import AskedFigures, asked_figures, last_year, save_figures
from storage.usecases.outbox.buttons import reminder_message_ids
from storage.usecases.reports.announcements import coordinator_chats
from storage.usecases.reports.reportable import reportable

# Units whose values are not counts of people or things: a decimal part is allowed.
_MEASURED_UNITS = ("балл", "руб", "тыс", "млн", "час", "кв", "км", "кг")


async def start_figures(
    message: Message,
    state: FSMContext,
    asked: AskedFigures,
    i18n: I18n,
    buttons_message: int | None = None,
) -> None:
    """Ask the first question. A new save key for this answer: a save that comes again finds
    its report instead of saving a second one."""
    await state.clear()
    await state.update_data(
        occurrence_id=asked.occurrence_id,
        save_key=secrets.token_hex(16),
        buttons_message=buttons_message,
    )
    await state.set_state(FiguresForm.numerator)
    await message.answer(first_question(asked, i18n.current_locale))


async def on_figures_button(
    query: CallbackQuery,
    callback_data: FiguresCb,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    state: FSMContext,
    i18n: I18n,
    timezone: ZoneInfo,
) -> None:
    occurrence_id = callback_data.occurrence_id
    if not await may_act_on_occurrence(uow, person, occurrence_id):
        await refuse_button(query, uow, clock, person, "figures.start", occurrence_id=occurrence_id)
        return
    view = await reportable(uow, occurrence_id, person)
    asked = await asked_figures(uow, occurrence_id)
    if view is None or asked is None:
        await answer_stale_report(query)
        return
    today = clock.now().astimezone(timezone).date()
    if await refuse_archived(
        query, uow, clock, person, view.measure_id, occurrence_id, today, "figures.start"
    ):
        return
    await query.answer()
    if isinstance(query.message, Message):
        await start_figures(query.message, state, asked, i18n, query.message.message_id)


async def on_numerator(
    message: Message,
    state: FSMContext,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    bot: Bot,
    report_notifications: str,
) -> None:
    asked = await _asked(message, state, person, uow, clock)
    if asked is None:
        return
    read = read_figures(message.text or "", counts=_counts(asked))
    if isinstance(read, Refused):
        await message.answer(problem_text(read.problem, asked.numerator_question))
        return
    if not asked.share and read.second is not None:
        await message.answer(one_number_text(asked.numerator_question))
        return
    if not asked.share or read.second is not None:  # a count, or both numbers in one line
        await _finish(
            message,
            state,
            person,
            uow,
            clock,
            bot,
            report_notifications,
            asked,
            read.first,
            read.second,
        )
        return
    await state.update_data(numerator=read.first)
    await state.set_state(FiguresForm.denominator)
    await message.answer(asked.denominator_question or "")


async def on_denominator(
    message: Message,
    state: FSMContext,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    bot: Bot,
    report_notifications: str,
) -> None:
    asked = await _asked(message, state, person, uow, clock)
    if asked is None:
        return
    question = asked.denominator_question or ""
    read = read_figures(message.text or "", counts=_counts(asked))
    if isinstance(read, Refused):
        await message.answer(problem_text(read.problem, question))
        return
    if read.second is not None:
        await message.answer(one_number_text(question))
        return
    numerator = float((await state.get_data())["numerator"])
    await _finish(
        message, state, person, uow, clock, bot, report_notifications, asked, numerator, read.first
    )


async def on_figures_step(
    query: CallbackQuery,
    callback_data: FiguresStepCb,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    state: FSMContext,
    bot: Bot,
    report_notifications: str,
) -> None:
    if not may_command(Role(person.role), Command.REPORT):
        await state.clear()
        await refuse_button(query, uow, clock, person, "figures.step")
        return
    data = await state.get_data()
    if await state.get_state() != FiguresForm.unusual.state or "numerator" not in data:
        await query.answer(
            _("This button is no longer valid. Send /report to start again."), show_alert=True
        )
        return
    occurrence_id = int(data["occurrence_id"])
    if not await may_act_on_occurrence(uow, person, occurrence_id):
        await state.clear()
        await refuse_button(query, uow, clock, person, "figures.step", occurrence_id=occurrence_id)
        return
    asked = await asked_figures(uow, occurrence_id)
    if asked is None or not isinstance(query.message, Message):
        await state.clear()
        await answer_stale_report(query)
        return
    await query.answer()
    if callback_data.action == "again":
        await state.set_state(FiguresForm.numerator)
        await query.message.answer(asked.numerator_question)
        return
    if callback_data.action != "keep":
        await state.clear()
        await query.message.answer(_("Stopped. Nothing was saved."))
        return
    denominator = data.get("denominator")
    await _save(
        query.message,
        state,
        person,
        uow,
        clock,
        bot,
        report_notifications,
        asked,
        float(data["numerator"]),
        float(denominator) if denominator is not None else None,
        unusual=True,
    )


async def _asked(
    message: Message, state: FSMContext, person: Person, uow: UnitOfWork, clock: Clock
) -> AskedFigures | None:
    """The occurrence still theirs and still an indicator's, else the conversation ends."""
    if not await still_theirs(message, state, person, uow, clock):
        return None
    occurrence_id = int((await state.get_data()).get("occurrence_id") or 0)
    asked = await asked_figures(uow, occurrence_id)
    if asked is None or await reportable(uow, occurrence_id, person) is None:
        await state.clear()
        await message.answer(_("This report can no longer be changed, or it is not yours."))
        return None
    return asked


def _counts(asked: AskedFigures) -> bool:
    unit = asked.unit.lower()
    return asked.share or not any(word in unit for word in _MEASURED_UNITS)


async def _finish(
    message: Message,
    state: FSMContext,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    bot: Bot,
    report_notifications: str,
    asked: AskedFigures,
    numerator: float,
    denominator: float | None,
) -> None:
    """Check the pair, then the school's last year; save, or ask to confirm first."""
    if denominator is not None:
        problem = check_share(numerator, denominator)
        if problem is Problem.NUMERATOR_OVER_DENOMINATOR:
            await state.set_state(FiguresForm.numerator)
            await message.answer(over_total_text(asked, numerator, denominator))
            return
        if problem is not None:
            await message.answer(problem_text(problem, asked.denominator_question or ""))
            return
    last = await last_year(uow, asked)
    if last is not None and is_unusual(numerator, denominator, last.numerator, last.denominator):
        await state.update_data(numerator=numerator, denominator=denominator)
        await state.set_state(FiguresForm.unusual)
        await message.answer(
            unusual_text(numerator, denominator, last),
            reply_markup=figures_step_buttons(
                (_("Yes, they are right"), "keep"), (_("Enter again"), "again")
            ),
        )
        return
    await _save(
        message, state, person, uow, clock, bot, report_notifications, asked, numerator, denominator
    )


async def _save(
    message: Message,
    state: FSMContext,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    bot: Bot,
    report_notifications: str,
    asked: AskedFigures,
    numerator: float,
    denominator: float | None,
    *,
    unusual: bool = False,
) -> None:
    data = await state.get_data()
    view = await reportable(uow, asked.occurrence_id, person)
    if view is None:
        await state.clear()
        await message.answer(_("This report can no longer be changed, or it is not yours."))
        return
    instant = report_notifications == "instant"
    card = await save_figures(
        uow,
        view,
        asked,
        person,
        numerator,
        denominator,
        figures_text(numerator, denominator),
        clock.now(),
        notified=instant,
        save_key=data.get("save_key"),
        unusual=unusual,
    )
    if card is None:  # saved already by this very answer; only the confirmation was lost
        await uow.rollback()
        await state.clear()
        await message.answer(saved_text(asked.indicator_number, numerator, denominator))
        return
    coordinators = await coordinator_chats(uow, view.roadmap_id) if instant else []
    outdated = await reminder_message_ids(uow, view.occurrence_id, person.id)
    await uow.commit()
    await state.clear()
    await drop_buttons(bot, message.chat.id, {*outdated, data.get("buttons_message")})
    await message.answer(saved_text(asked.indicator_number, numerator, denominator))
    await notify_coordinators(
        bot, coordinators, lambda: report_summary(card), lambda: review_buttons(card.report_id)
    )
