"""The merged workbook of a request's answers: every checked form stacked under the template's
header with the school first, and who has not answered. Shared by /requests and the CLI."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from pathlib import Path

from formats.request_forms import Answer, merge_answers, read_template
from storage.evidence import evidence_path
from storage.unit_of_work import UnitOfWork
from storage.usecases.requests import collect_answers


async def merged_workbook(
    uow: UnitOfWork, request_id: int, evidence_dir: Path
) -> tuple[str, bytes, int, int] | None:
    """(file name, .xlsx bytes, schools merged, schools missing), or ``None`` when there is no
    such request or it carries no spreadsheet form."""
    collected = await collect_answers(uow, request_id)
    if collected is None or not collected.form_sha256:
        return None
    if not (collected.form_name or "").lower().endswith(".xlsx"):
        return None
    template_file = evidence_path(evidence_dir, collected.form_sha256)
    answers = [(name, evidence_path(evidence_dir, sha)) for name, sha in collected.answers]
    readable = [(name, path) for name, path in answers if path.exists()]
    missing = collected.missing + [name for name, path in answers if not path.exists()]

    def merge() -> bytes:
        template = read_template(template_file.read_bytes())

        def stream() -> Iterator[Answer]:  # one file in memory at a time
            for name, path in readable:
                yield Answer(name, path.read_bytes())

        buffer = io.BytesIO()
        merge_answers(template, stream(), sorted(missing), buffer)
        return buffer.getvalue()

    data = await asyncio.to_thread(merge)
    return f"Запрос № {collected.number} — ответы.xlsx", data, len(readable), len(missing)
