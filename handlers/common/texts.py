"""Texts shared by several handlers. Module-level texts are only marked here with ``N_`` and
translated where they are shown, in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable

from aiogram.utils.i18n import gettext as _

from domain.messengers import Messenger, messenger_of
from domain.roles import Command, Role
from handlers.common.translation import N_

COMMAND_DESCRIPTIONS: dict[Command, str] = {
    Command.START: N_("Join the bot with your invitation link"),
    Command.HELP: N_("What I can do for you"),
    Command.LANG: N_("Change language"),
    Command.INVITE: N_("Invite a school head, methodist or observer"),
    Command.IMPORT: N_("Import a roadmap from a Word or Excel file"),
    Command.MEASURES: N_("Measures of the roadmap by section"),
    Command.INDICATORS: N_("Target indicators: what the schools are asked and as of when"),
    Command.ROADMAPS: N_("Every roadmap: archive one or restore it"),
    Command.TEMPLATE: N_("Templates to fill in: roadmap, schools and heads"),
    Command.MEMO: N_("One-page guides: for each school head with their links, and yours"),
    Command.PEOPLE: N_("Schools, heads and coordinators: import, invite, replace"),
    Command.REPORT: N_("Report on a measure"),
    Command.MY: N_("My measures and their deadlines"),
    Command.CANCEL: N_("Stop what you are doing now"),
    Command.DIGEST: N_("Who is late: the overdue digest with a chart"),
    Command.EXPORT: N_("Spreadsheet of all answers, laid out like the official report"),
    Command.CALENDAR: N_("Deadlines for your calendar app (.ics)"),
    Command.EMAIL: N_("Your e-mail address and which e-mails you get"),
    Command.ASK: N_("Ask the schools for something by a date, with a form to fill"),
    Command.REQUESTS: N_("Open requests: who has answered, the merged answers"),
    Command.SETTINGS: N_("MAX or Telegram: where the bot writes to you"),
    Command.ORGANISATIONS: N_("Organisations: rename, or merge two that are one"),
}

ROLE_NAMES: dict[Role, str] = {
    Role.COORDINATOR: N_("coordinator"),
    Role.RESPONSIBLE: N_("responsible person"),
    Role.OBSERVER: N_("observer"),
}


def role_name(role: Role) -> str:
    return _(ROLE_NAMES[role])


# The button a messenger shows under a bot's first screen, as its Russian app names it:
# Telegram's «Запустить», MAX's «Начать».
START_BUTTONS: dict[Messenger, str] = {
    Messenger.MAX: N_("Begin"),
    Messenger.TELEGRAM: N_("Start"),
}


def press_start(messengers: Iterable[Messenger]) -> str:
    """«нажмите «Начать»» in one messenger; in both, MAX first: «нажмите «Начать» в MAX или
    «Запустить» в Telegram»."""
    found = set(messengers)
    if len(found) == 1:
        (messenger,) = found
        return _("press «{button}»").format(button=_(START_BUTTONS[messenger]))
    return _("press «{max_button}» in MAX or «{telegram_button}» in Telegram").format(
        max_button=_(START_BUTTONS[Messenger.MAX]),
        telegram_button=_(START_BUTTONS[Messenger.TELEGRAM]),
    )


def how_to_join(address: int | None = None) -> str:
    """For a stranger: how to join. ``address`` is where they write from (its messenger's start
    button is named); unknown, both are."""
    messengers = [messenger_of(address)] if address is not None else list(Messenger)
    return _(
        "Hello! This bot reminds school heads and methodists about the measures of the "
        "education department's roadmap and collects their reports.\n\n"
        "You can join only with a personal invitation link. Ask the roadmap coordinator at the "
        "education department for one, then open the link and {press_start}."
    ).format(press_start=press_start(messengers))


STATUS_NAMES: dict[str, str] = {
    "done": N_("Done"),
    "in_progress": N_("In progress"),
    "not_done": N_("Not done"),
}


STANDING_NAMES: dict[str, str] = {
    "done": N_("Done"),
    "in_progress": N_("In progress"),
    "not_done": N_("Not done"),
    "overdue": N_("Overdue"),
    "no_answer": N_("No answer yet"),
}


REVIEW_NAMES: dict[str, str] = {
    "pending": N_("Waiting for review"),
    "accepted": N_("Accepted"),
    "returned": N_("Returned"),
}


def export_names() -> dict[str, str]:
    """Words the spreadsheet uses for standings, statuses and review states, translated."""
    return {key: _(text) for key, text in {**STANDING_NAMES, **REVIEW_NAMES}.items()}


def standing_name(standing: str) -> str:
    return _(STANDING_NAMES.get(standing, standing))


def status_name(status: str) -> str:
    return _(STATUS_NAMES.get(status, status))
