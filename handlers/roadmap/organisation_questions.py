"""The coordinator's answer to «УО УКМО — это Управление образованием УКМО?» under an import's
preview: kept in the conversation, then the next question (or none) above the preview's own
buttons. Nothing is created here: «Confirm» saves it all at once."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _

from domain.clock import Clock
from domain.roles import Command
from handlers.common.access import refuse_unless
from handlers.common.callbacks import ImportOrgCb
from handlers.roadmap.column_questions import close_question
from handlers.roadmap.import_preview import preview_keyboard
from handlers.roadmap.import_states import RoadmapImportForm
from handlers.roadmap.organisation_texts import organisation_lines, question_text
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.organisations import organisation_plan


async def on_organisation_answer(
    query: CallbackQuery,
    callback_data: ImportOrgCb,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    state: FSMContext,
) -> None:
    if refusal := await refuse_unless(uow, clock, person, Command.IMPORT, "roadmap.organisation"):
        await query.answer(refusal, show_alert=True)
        return
    data = await state.get_data()
    texts = data.get("import_org_texts")
    answers: dict[str, bool] = dict(data.get("import_org_answers") or {})
    if texts is None or await state.get_state() != RoadmapImportForm.confirming.state:
        await query.answer(
            _("There is no import waiting. Send the roadmap file again."), show_alert=True
        )
        return
    plan = await organisation_plan(uow, texts, answers)
    if not plan.questions or callback_data.asked != len(answers):
        await query.answer(_("This button is no longer valid."), show_alert=True)
        return
    asked = plan.questions[0]
    answers[asked.key] = callback_data.same
    await state.update_data(import_org_answers=answers)
    plan = await organisation_plan(uow, texts, answers)
    names = {o.id: o.name for o in await uow.organisations.list_all()}
    await uow.commit()
    await query.answer()
    said = (
        _("«{text}» is «{name}».")
        if callback_data.same
        else _("«{text}» is another organisation, not «{name}».")
    ).format(text=asked.text, name=asked.candidate)
    await close_question(query, said)
    if query.message is None:
        return
    # The next question alone; once none is left, what becomes of every organisation.
    lines = (
        [question_text(plan.questions[0], len(answers) + 1, len(answers) + len(plan.questions))]
        if plan.questions
        else [*organisation_lines(plan, names), _("Everything is ready to be saved.")]
    )
    await query.message.answer(
        "\n".join(lines),
        reply_markup=preview_keyboard(
            bool(data.get("import_indicator_buttons")), plan, len(answers)
        ),
    )
