"""The router tree of every handler module, in the order updates must meet them."""

from __future__ import annotations

from aiogram import Router

from handlers import (
    ask,
    calendar,
    digest,
    email_settings,
    errors,
    export,
    fallback,
    help,
    invitations,
    lang,
    measures,
    messenger_settings,
    people,
    reminders,
    report_flow,
    report_review,
    requests,
    roadmap_import,
    start,
)


def build_router() -> Router:
    """A fresh router tree per Dispatcher: module-level routers can be attached only once."""
    root = Router(name="root")
    root.include_routers(
        start.build_router(),
        help.build_router(),
        lang.build_router(),
        invitations.build_router(),
        # Conversations first: their handlers wait for a state, and a file sent as evidence
        # must not be taken for a roadmap.
        report_review.build_router(),
        report_flow.build_router(),
        ask.build_router(),  # before the roadmap import: it takes a form file after /ask
        requests.build_router(),
        people.build_router(),  # before the roadmap import: it takes files after /people
        roadmap_import.build_router(),
        measures.build_router(),
        digest.build_router(),
        export.build_router(),
        calendar.build_router(),
        email_settings.build_router(),
        messenger_settings.build_router(),
        reminders.build_router(),
        fallback.build_router(),  # last: catches whatever nobody else handled
    )
    # Errors bubble up from the router that raised them, so the handler sits on the root.
    errors.setup(root)
    return root
