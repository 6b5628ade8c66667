"""The coordinator sends the roadmap document; the bot shows what it read; Confirm saves it.

This module: /import, the document, the decision under the preview, and the router; reading
the file is in ``import_reading``, the column questions in ``column_questions``."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router
from aiogram.filters import Command as CommandFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.indicators.draft import Role as IndicatorRole
from domain.roadmap.build import NeedsIndicatorColumnsError
from domain.roadmap.draft import ImportProblemError
from domain.roadmap.recognise import NeedsColumnsError
from domain.roles import Command, Role, may_use
from handlers.common.access import refuse_unless
from handlers.common.callbacks import ImportCb, ImportColumnCb, ImportOrgCb
from handlers.common.filters import HasDocument, Joined
from handlers.common.lost_conversation import lost_conversation_hint, start_report_button
from handlers.roadmap.column_questions import (
    answer_in_chat,
    ask_corrections,
    column_question,
    column_question_state,
    loaded_columns,
    on_column_chosen,
    stored_columns,
)
from handlers.roadmap.import_preview import show_preview
from handlers.roadmap.import_reading import (
    loaded_indicator_columns,
    read_draft,
    read_with_memory,
)
from handlers.roadmap.import_states import RoadmapImportForm
from handlers.roadmap.import_texts import problem_text
from handlers.roadmap.indicator_questions import PREFIX as INDICATOR_PREFIX
from handlers.roadmap.indicator_questions import (
    ask_indicator_column,
    ask_indicator_corrections,
    on_indicator_column_chosen,
)
from handlers.roadmap.organisation_questions import on_organisation_answer
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.planning import replan
from storage.usecases.roadmaps import save_roadmap


def build_router() -> Router:
    router = Router(name="roadmap_import")
    router.message.register(cmd_import, CommandFilter(Command.IMPORT.value), Joined())
    router.message.register(on_document, HasDocument(), Joined())
    router.callback_query.register(on_decision, ImportCb.filter(), Joined())
    router.callback_query.register(on_organisation_answer, ImportOrgCb.filter(), Joined())
    router.callback_query.register(
        on_indicator_column_chosen,
        ImportColumnCb.filter(F.role.startswith(INDICATOR_PREFIX)),
        Joined(),
    )
    router.callback_query.register(on_column_chosen, ImportColumnCb.filter(), Joined())
    return router


async def cmd_import(message: Message, person: Person, uow: UnitOfWork, clock: Clock) -> None:
    if refusal := await refuse_unless(uow, clock, person, Command.IMPORT, "roadmap.import"):
        await message.answer(refusal)
        return
    await message.answer(
        _(
            "Send me the approved roadmap as a file: a Word document (.docx), an Excel "
            "spreadsheet (.xlsx) or an OpenDocument file (.odt, .ods), up to 10 MB. I will show "
            "what I read before saving anything. No file at hand? Send /template for a "
            "spreadsheet to fill in."
        )
    )


async def on_document(
    message: Message,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    bot: Bot,
    state: FSMContext,
    timezone: ZoneInfo,
) -> None:
    document = message.document
    assert document is not None  # guaranteed by the HasDocument filter
    person_role = Role(person.role)
    if may_use(person_role, Command.REPORT) and not may_use(person_role, Command.IMPORT):
        # A school head's file belongs to a report that is not (or no longer) in progress.
        await message.answer(lost_conversation_hint(message), reply_markup=start_report_button())
        return
    if refusal := await refuse_unless(uow, clock, person, Command.IMPORT, "roadmap.upload"):
        await message.answer(refusal)
        return
    file_name = document.file_name or "roadmap"
    await state.set_data({})
    try:
        draft, chosen = await read_with_memory(
            uow, bot, document.file_id, file_name, clock, timezone, document.file_size
        )
    except NeedsColumnsError as needs:
        await uow.commit()
        await state.set_state(RoadmapImportForm.choosing_column)
        uses, role = needs.recognition.uses, needs.recognition.missing[0]
        await state.update_data(
            import_file_id=document.file_id,
            import_file_name=file_name,
            import_columns={},
            **column_question_state(uses, role),
        )
        await message.answer(**column_question(uses, role, not_understood=True))
        return
    except NeedsIndicatorColumnsError as needs:
        await uow.commit()
        await state.update_data(
            import_file_id=document.file_id, import_file_name=file_name, import_columns={}
        )
        await ask_indicator_column(
            message, state, needs.table, IndicatorRole.TARGET_TEXT, not_found=True
        )
        return
    except ImportProblemError as problem:
        uow.audit.add(
            at=clock.now(),
            action="roadmap.upload",
            outcome=problem.code.value,
            person_id=person.id,
            details={"file": file_name[:100]},
        )
        await uow.commit()
        await message.answer(problem_text(problem))
        return
    await state.update_data(
        import_file_id=document.file_id,
        import_file_name=file_name,
        import_columns=stored_columns(chosen or {}),
    )
    await show_preview(message, uow, state, draft)


async def on_decision(
    query: CallbackQuery,
    callback_data: ImportCb,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    bot: Bot,
    state: FSMContext,
    timezone: ZoneInfo,
) -> None:
    if refusal := await refuse_unless(uow, clock, person, Command.IMPORT, "roadmap.confirm"):
        await query.answer(refusal, show_alert=True)
        return
    pending = await state.get_data()
    file_id = pending.get("import_file_id")
    if file_id is None or await state.get_state() != RoadmapImportForm.confirming.state:
        await query.answer(
            _("There is no import waiting. Send the roadmap file again."), show_alert=True
        )
        return
    if callback_data.action == "columns":
        await ask_corrections(query, pending, clock, bot, state, timezone)
        return
    if callback_data.action == "indicators":
        await ask_indicator_corrections(query, pending, clock, bot, state, timezone)
        return
    # A question left unanswered makes an organisation of its own, as the preview said.
    answers = pending.get("import_org_answers") or {}
    await state.clear()
    if callback_data.action != "confirm":
        await query.answer(_("Cancelled."))
        await answer_in_chat(query, _("Import cancelled. Nothing was saved."))
        return
    await query.answer(_("Saving…"))
    try:
        draft = await read_draft(
            bot,
            file_id,
            pending.get("import_file_name", "roadmap"),
            clock,
            timezone,
            columns=loaded_columns(pending.get("import_columns")),
            indicator_columns=loaded_indicator_columns(pending.get("import_indicator_columns")),
        )
    except ImportProblemError as problem:
        await answer_in_chat(query, problem_text(problem))
        return
    saved = await save_roadmap(
        uow,
        draft,
        now=clock.now(),
        timezone=timezone.key,
        imported_by_id=person.id,
        organisation_answers=answers,
    )
    await replan(uow, clock.now(), saved.measure_ids)
    await uow.commit()
    await answer_in_chat(
        query,
        _(
            "Saved. Measures added: {added}, updated: {updated}. Send /measures to look "
            "through them and set the dates that are missing."
        ).format(added=saved.measures_added, updated=saved.measures_updated)
        + (
            "\n"
            + _("Target indicators added: {added}, updated: {updated}.").format(
                added=saved.indicators_added, updated=saved.indicators_updated
            )
            + "\n"
            + _("Send /indicators to confirm what the schools are asked for each of them.")
            if draft.indicators
            else ""
        )
        + (
            "\n"
            + _("Organisations added: {names}.").format(
                names=", ".join(f"«{name}»" for name in saved.organisations_created)
            )
            if saved.organisations_created
            else ""
        ),
    )
