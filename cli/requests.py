"""``roadmap-bot ask …`` and ``roadmap-bot collect REQUEST_ID --out FILE``: requests from the
terminal or a script, the same as /ask and /requests in the chat."""

from __future__ import annotations

import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.clock import SystemClock
from bot.settings import Settings
from cli.roadmap_choice import NOT_CHOSEN, RoadmapNotChosenError, choose_roadmap
from domain.requests import AddresseeKind, Addressees, read_request_due
from formats.request_forms.template import FormTemplateError, read_template
from handlers.requests.merged_answers import merged_workbook
from storage.engine import create_engine, create_session_factory
from storage.evidence import EvidenceRefusedError, store_evidence
from storage.migrate import upgrade
from storage.models import ROADMAP_MEASURE, Measure
from storage.unit_of_work import UnitOfWork
from storage.usecases.requests.lifecycle import Form, NoAddresseesError, send_request


def _fail(message: str) -> int:
    print(f"roadmap-bot: {message}", file=sys.stderr)
    return 2


async def run_ask(
    settings: Settings,
    *,
    text: str,
    to: str,
    due: str,
    form_file: Path | None,
    measure: str | None,
    roadmap_words: str | None = None,
) -> int:
    now = SystemClock().now()
    today = now.astimezone(ZoneInfo(settings.timezone)).date()
    reading = read_request_due(due, today)
    if reading.due_on is None or reading.problem is not None:
        when = f" ({reading.due_on:%d.%m.%Y} has passed)" if reading.due_on else ""
        return _fail(f"--due «{due}» is not one date from today on{when}; e.g. «до 18.12»")
    if not text.strip():
        return _fail("--text is empty")
    form = None
    if form_file is not None:
        stored = _store_form(settings, form_file)
        if isinstance(stored, str):
            return _fail(stored)
        form = stored
    engine = create_engine(settings.db.url)
    try:
        await upgrade(engine)
        async with create_session_factory(engine)() as session:
            uow = UnitOfWork(session)
            addressees = await _addressees(uow, to)
            if addressees is None:
                return _fail(f"--to «{to}»: use all, tag:ШНОР or org:NAME[;NAME…]")
            parent = None
            if measure or roadmap_words:  # a request under no measure needs no roadmap
                try:
                    roadmap = await choose_roadmap(uow, roadmap_words, today=today, command="ask")
                except RoadmapNotChosenError:
                    return NOT_CHOSEN
                if roadmap is None:
                    return _fail("--measure: no roadmap imported yet")
                if not measure:
                    return _fail("--roadmap goes with --measure: the measure the request is under")
                parent = await _measure_id(uow, roadmap.id, measure)
                if parent is None:
                    return _fail(f"--measure «{measure}»: no such measure in «{roadmap.title}»")
            try:
                sent = await send_request(
                    uow,
                    text=text.strip(),
                    due_text=due,
                    due_on=reading.due_on,
                    addressees=addressees,
                    now=now,
                    form=form,
                    parent_measure_id=parent,
                    timezone=settings.timezone,
                )
            except NoAddresseesError:
                return _fail(f"--to «{to}»: no school matches (load them with roadmap-bot people)")
            await uow.commit()
    finally:
        await engine.dispose()
    print(
        f"request {sent.number} (id {sent.request_id}) sent to {sent.organisations} addressees, "
        f"due {reading.due_on:%d.%m.%Y}; {sent.told_now} in the chat have it now. "
        f"Merged answers: roadmap-bot collect {sent.request_id} --out answers.xlsx"
    )
    return 0


def _store_form(settings: Settings, form_file: Path) -> Form | str:
    """The form kept with the evidence files, or what is wrong with it."""
    try:
        data = form_file.read_bytes()
        if form_file.suffix.lower() == ".xlsx":
            read_template(data, form_file.name)
        elif form_file.suffix.lower() != ".docx":
            return "--form must be an .xlsx or a .docx file"
        digest, _size = store_evidence(Path(settings.evidence_dir), form_file.name, data)
    except OSError as error:
        return f"cannot read {form_file}: {error.strerror}"
    except (FormTemplateError, EvidenceRefusedError):
        return f"{form_file.name}: no table with a header row to fill in"
    return Form(form_file.name, digest)


async def _addressees(uow: UnitOfWork, to: str) -> Addressees | None:
    kind, _sep, value = to.partition(":")
    if kind == "all" and not value:
        return Addressees(AddresseeKind.ALL)
    if kind == "tag" and value:
        return Addressees(AddresseeKind.TAG, value.strip())
    if kind == "org" and value:
        ids = []
        for name in filter(None, (part.strip() for part in value.split(";"))):
            organisation = await uow.organisations.get_by_name(name)
            if organisation is None:
                return None
            ids.append(organisation.id)
        return Addressees(AddresseeKind.ORGANISATIONS, None, tuple(ids))
    return None


async def _measure_id(uow: UnitOfWork, roadmap_id: int, number: str) -> int | None:
    return await uow.session.scalar(
        select(Measure.id).where(
            Measure.roadmap_id == roadmap_id,
            Measure.number == number,
            Measure.kind == ROADMAP_MEASURE,
        )
    )


async def run_collect(settings: Settings, request_id: int, out: Path | None) -> int:
    engine = create_engine(settings.db.url)
    try:
        await upgrade(engine)
        async with create_session_factory(engine)() as session:
            merged = await merged_workbook(
                UnitOfWork(session), request_id, Path(settings.evidence_dir)
            )
    finally:
        await engine.dispose()
    if merged is None:
        return _fail(f"request {request_id}: no such request, or it has no .xlsx form to merge")
    name, data, answered, missing = merged
    target = out or Path(name)
    target.write_bytes(data)
    print(f"{target}: {answered} answers merged, {missing} not answered")
    return 0
