"""«Принять все» under a request with a spreadsheet form: the answers shown are sorted into
those whose filled form passes the form's check (accepted in one tap) and those left for the
coordinator to look at, each with why. The check is the one a head's file passes when it is
sent (handlers/requests/form_check.py), run again: an answer is never accepted on trust."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from handlers.requests.form_check import form_problems
from storage.evidence import evidence_path
from storage.unit_of_work import UnitOfWork
from storage.usecases.reports.accept_all import shown_answers, spreadsheet_form

LISTED = 30  # schools named in the answer; a municipality has about thirty


class Why(StrEnum):
    """Why an answer is left for the coordinator."""

    NO_FORM = "no_form"  # «В работе», «Не выполнено», or done with no file
    NO_FILE = "no_file"  # its file is not in the bot's storage (a restore without files)
    FAILED = "failed"  # the filled form does not pass the check


@dataclass(frozen=True, slots=True)
class Sorted:
    accept: list[int]  # report ids
    left: list[tuple[str, Why]]  # (school, why)


async def sort_shown(
    uow: UnitOfWork, measure_id: int, upto: int, evidence_dir: Path
) -> Sorted | None:
    """The shown answers sorted, or ``None`` when the measure is no request with a
    spreadsheet form (its answers are accepted as they are). The database is read first and
    its transaction ended before any file is opened: checking thirty forms takes seconds, and
    no other chat may wait for them."""
    form = await spreadsheet_form(uow, measure_id)
    if form is None:
        return None
    answers = await shown_answers(uow, measure_id, upto)
    await uow.commit()  # nothing written: the transaction ends before the files are read
    accept: list[int] = []
    left: list[tuple[str, Why]] = []
    for answer in answers:
        if answer.status != "done" or answer.evidence_sha256 is None:
            left.append((answer.addressee, Why.NO_FORM))
        elif not evidence_path(evidence_dir, answer.evidence_sha256).exists():
            left.append((answer.addressee, Why.NO_FILE))
        elif await form_problems(
            form[1], answer.evidence_sha256, answer.evidence_file_name, evidence_dir
        ):
            left.append((answer.addressee, Why.FAILED))
        else:
            accept.append(answer.report_id)
    return Sorted(accept, left)


def left_text(left: list[tuple[str, Why]]) -> str:
    """«Ещё 2 ответа оставлены вам для проверки: • СОШ № 3: …», or nothing."""
    if not left:
        return ""
    reasons = {
        Why.NO_FORM: _("no filled form attached"),
        Why.NO_FILE: _("the form's file is missing from the bot's storage"),
        Why.FAILED: _("the filled form does not pass the check"),
    }
    lines = [
        ngettext(
            "{count} answer is left for you to look at and decide yourself:",
            "{count} answers are left for you to look at and decide yourself:",
            len(left),
        ).format(count=len(left))
    ]
    lines += [f"• {school}: {reasons[why]}" for school, why in left[:LISTED]]
    if len(left) > LISTED:
        lines.append(_("… and {count} more").format(count=len(left) - LISTED))
    return "\n".join(lines)
