"""The router tree of every feature's handlers, in the order updates must meet them."""

from __future__ import annotations

from aiogram import Router

from handlers import fallback
from handlers.calendar import deadlines_file
from handlers.common import errors
from handlers.digest import weekly
from handlers.email import settings as email_settings
from handlers.export import report_files, report_notes
from handlers.people import (
    coordinator_changes,
    help,
    invitations,
    language,
    memo,
    messenger_settings,
    school_heads,
    staff_changes,
    start,
)
from handlers.report import accept_all, flow, reminders, review
from handlers.requests import ask, open_requests
from handlers.roadmap import (
    actual_result,
    archive,
    importing,
    indicator_rules,
    measures,
    organisations,
)
from handlers.roadmap import coordinators as roadmap_coordinators


def build_router() -> Router:
    """A fresh router tree per Dispatcher: module-level routers can be attached only once."""
    root = Router(name="root")
    root.include_routers(
        start.build_router(),
        help.build_router(),
        language.build_router(),
        invitations.build_router(),
        memo.build_router(),
        # Conversations first: their handlers wait for a state, and a file sent as evidence
        # must not be taken for a roadmap.
        review.build_router(),
        accept_all.build_router(),
        flow.build_router(),
        ask.build_router(),  # before the roadmap import: it takes a form file after /ask
        open_requests.build_router(),
        school_heads.build_router(),  # before the roadmap import: it takes files after /people
        staff_changes.build_router(),
        coordinator_changes.build_router(),
        importing.build_router(),
        measures.build_router(),
        indicator_rules.build_router(),
        actual_result.build_router(),
        organisations.build_router(),
        archive.build_router(),
        roadmap_coordinators.build_router(),
        weekly.build_router(),
        report_files.build_router(),
        report_notes.build_router(),
        deadlines_file.build_router(),
        email_settings.build_router(),
        messenger_settings.build_router(),
        reminders.build_router(),
        fallback.build_router(),  # last: catches whatever nobody else handled
    )
    # Errors bubble up from the router that raised them, so the handler sits on the root.
    errors.setup(root)
    return root
