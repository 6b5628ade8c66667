"""The form step of /ask: the form to fill that the request carries (an .xlsx, checked for its
table, or a .docx), stored by its hash."""

from __future__ import annotations

from pathlib import Path

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from domain.roadmap.draft import ImportProblemError
from formats.request_forms.template import (
    FormTemplateError,
    FormTooLargeError,
    UnreadableFormError,
    read_template,
)
from formats.worker import ParsingAbortedError, run_bounded
from handlers.requests.form_problem_texts import form_limits
from handlers.requests.sending import preview_request
from handlers.roadmap.import_reading import fetch_file
from storage.evidence import EvidenceRefusedError, store_evidence
from storage.models import Person


async def on_form(
    message: Message, state: FSMContext, bot: Bot, evidence_dir: Path, person: Person
) -> None:
    document = message.document
    assert document is not None
    name = document.file_name or "form.xlsx"
    if not name.lower().endswith((".xlsx", ".docx")):
        await message.answer(_("A form must be an Excel table (.xlsx) or a Word document (.docx)."))
        return
    try:
        data = await fetch_file(bot, document.file_id, document.file_size)
        if name.lower().endswith(".xlsx"):
            await run_bounded(read_template, data, name)  # a worker process: see there
        digest, _size = store_evidence(evidence_dir, name, data)
    except (FormTooLargeError, ParsingAbortedError):
        await message.answer(
            _(
                "The file is too large: a form may hold at most {rows} rows and {cells} filled "
                "cells. Please keep only the form's table (delete other sheets and empty "
                "formatted rows) and send it again."
            ).format(**form_limits())
        )
        return
    except (ImportProblemError, EvidenceRefusedError, UnreadableFormError):
        await message.answer(_("I could not read this file. Please send the form again."))
        return
    except FormTemplateError:
        await message.answer(
            _(
                "I found no table in this workbook: a form needs a header row with the names "
                "of its columns. Please send it again."
            )
        )
        return
    await state.update_data(form_name=name, form_sha=digest)
    await preview_request(message, state, person)
