"""The buttons of a report: on a reminder, while reporting, for the coordinator."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from handlers.common.callbacks import (
    ExtensionCb,
    FiguresCb,
    FiguresStepCb,
    FormCb,
    ReportCb,
    ReportStepCb,
    ReviewCb,
    SnoozeCb,
)


def report_buttons(
    occurrence_id: int,
    *,
    snooze: bool,
    form: bool = False,
    request: bool = False,
    due_passed: bool = True,
) -> InlineKeyboardMarkup:
    """``form``: the request carries a form to fill; a button sends it. ``request``: only what
    answering a request needs (the answer, more time, tomorrow). ``due_passed`` (a measure's
    reminder): «Не выполнено» only once the deadline has come; before it the question is
    whether the work is done or under way, and «Перенести срок» is the honest «not in time».
    A reminder keeps to one «later» button: a head on a phone reads every button."""

    def button(text: str, action: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            text=text, callback_data=ReportCb(occurrence_id=occurrence_id, action=action).pack()
        )

    done = button(_("Done"), "done")
    extend = button(_("Move the deadline"), "extend")
    if request:
        rows = [[done, extend]]
    elif not due_passed:
        rows = [[done, button(_("In progress"), "in_progress")], [extend]]
    else:
        rows = [
            [done, button(_("In progress"), "in_progress")],
            [button(_("Not done"), "not_done"), extend],
        ]
    if form:
        rows.insert(
            0,
            [
                InlineKeyboardButton(
                    text=_("📎 The form to fill"),
                    callback_data=FormCb(occurrence_id=occurrence_id).pack(),
                )
            ],
        )
    if snooze:
        tomorrow = InlineKeyboardButton(
            text=_("Remind me tomorrow"),
            callback_data=SnoozeCb(occurrence_id=occurrence_id, days=1).pack(),
        )
        if len(rows[-1]) == 1:
            rows[-1].append(tomorrow)
        else:
            rows.append([tomorrow])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def figures_buttons(occurrence_id: int, *, snooze: bool) -> InlineKeyboardMarkup:
    """Under an indicator's reminder: the figures are entered, not a status chosen."""
    rows = [
        [
            InlineKeyboardButton(
                text=_("Enter the figures"),
                callback_data=FiguresCb(occurrence_id=occurrence_id).pack(),
            ),
            InlineKeyboardButton(
                text=_("Move the deadline"),
                callback_data=ReportCb(occurrence_id=occurrence_id, action="extend").pack(),
            ),
        ]
    ]
    if snooze:
        rows.append(
            [
                InlineKeyboardButton(
                    text=_("Remind me tomorrow"),
                    callback_data=SnoozeCb(occurrence_id=occurrence_id, days=1).pack(),
                )
            ]
        )
    return InlineKeyboardMarkup(inline_keyboard=rows)


def figures_step_buttons(*actions: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text=text, callback_data=FiguresStepCb(action=action).pack())
                for text, action in actions
            ]
        ]
    )


def step_buttons(*actions: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text=text, callback_data=ReportStepCb(action=action).pack())
                for text, action in actions
            ]
        ]
    )


def review_buttons(report_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=_("Accept"),
                    callback_data=ReviewCb(report_id=report_id, action="accept").pack(),
                ),
                InlineKeyboardButton(
                    text=_("Return with a comment"),
                    callback_data=ReviewCb(report_id=report_id, action="return").pack(),
                ),
            ]
        ]
    )


def extension_buttons(request_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=_("Approve"),
                    callback_data=ExtensionCb(request_id=request_id, action="approve").pack(),
                ),
                InlineKeyboardButton(
                    text=_("Reject"),
                    callback_data=ExtensionCb(request_id=request_id, action="reject").pack(),
                ),
            ]
        ]
    )
