"""A school's filled copy of a request's form checked against the form's template: when the
head sends it (handlers/report/evidence.py) and again before «Принять все» accepts it
(handlers/requests/checked_answers.py)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from formats.request_forms.answer_check import FormProblem, Problem, check_against, too_large
from formats.worker import ParsingAbortedError, run_bounded
from storage.evidence import evidence_path


async def form_problems(
    template_sha: str, answer_sha: str | None, file_name: str | None, directory: Path
) -> list[FormProblem]:
    """What keeps the file from being merged; empty when it is the form, filled in."""
    if answer_sha is None:  # a link or nothing
        return [FormProblem(Problem.NOT_A_SPREADSHEET)]
    template = evidence_path(directory, template_sha).read_bytes()
    answer = evidence_path(directory, answer_sha).read_bytes()
    # Measured here first (milliseconds, whatever it unpacks to); opened, if it may be, in a
    # worker process, where openpyxl cannot hold up the other chats' answers.
    if await asyncio.to_thread(too_large, answer):
        return [FormProblem(Problem.TOO_LARGE)]
    try:
        return await run_bounded(check_against, template, answer, file_name or "form.xlsx")
    except ParsingAbortedError:
        return [FormProblem(Problem.TOO_LARGE)]
