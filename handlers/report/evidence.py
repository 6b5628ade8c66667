"""The report's evidence step: a file, a photo or a link; files are downloaded within the
limits and stored by their hash, and a filled form a request asked for is checked against it."""

from __future__ import annotations

import re
from pathlib import Path

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from formats.request_forms.answer_check import FormProblem
from handlers.common.downloads import DownloadError, download
from handlers.report.confirm import ask_to_confirm, still_theirs
from handlers.requests.form_check import form_problems
from handlers.requests.form_problem_texts import form_problems_text
from storage.evidence import (
    MAX_EVIDENCE_BYTES,
    EvidenceRefusedError,
    check_evidence,
    store_evidence,
)
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.reports.saving import Evidence

_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*\.[^\s]{2,}$", re.IGNORECASE)


async def on_evidence(
    message: Message,
    state: FSMContext,
    bot: Bot,
    evidence_dir: Path,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
) -> None:
    if not await still_theirs(message, state, person, uow, clock):
        return  # before anything is downloaded
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
    await ask_to_confirm(message, state)


async def _form_problems(
    evidence: Evidence, template_sha: str, directory: Path
) -> list[FormProblem] | None:
    """What keeps the file from being merged; ``None`` when it is the form, filled in."""
    problems = await form_problems(template_sha, evidence.sha256, evidence.file_name, directory)
    return problems or None


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
