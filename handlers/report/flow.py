"""A school head reports: status → what was done → evidence → confirm. Also /report, /my, /cancel
and «Перенести срок».

This module registers the handlers in the order updates must meet them; they live in ``entry``,
``evidence``, ``confirm`` and ``extension``."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command as CommandFilter

from domain.roles import Command
from handlers.common.callbacks import (
    FiguresCb,
    FiguresStepCb,
    PickCb,
    ReportCb,
    ReportStartCb,
    ReportStepCb,
)
from handlers.common.filters import Joined, in_state
from handlers.report.confirm import on_step
from handlers.report.entry import (
    cmd_cancel,
    cmd_my,
    cmd_report,
    on_pick,
    on_report_button,
    on_report_start,
    on_text,
)
from handlers.report.evidence import on_evidence
from handlers.report.extension import on_extension_date, on_extension_reason
from handlers.report.figures import (
    on_denominator,
    on_figures_button,
    on_figures_step,
    on_numerator,
)
from handlers.report.states import ExtensionForm, FiguresForm, ReportForm


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
    router.callback_query.register(on_figures_button, FiguresCb.filter(), Joined())
    router.message.register(on_numerator, in_state(FiguresForm.numerator), Joined())
    router.message.register(on_denominator, in_state(FiguresForm.denominator), Joined())
    router.callback_query.register(on_figures_step, FiguresStepCb.filter(), Joined())
    return router
