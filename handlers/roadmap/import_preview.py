"""The preview of a roadmap read from a file, with «Confirm», «Cancel» and «Columns read wrong»
under it, and, while an organisation it names may be one already known, the question about it
(answered in ``organisation_questions``) above them."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from domain.organisations.matching import Plan
from domain.roadmap.draft import RoadmapDraft
from handlers.common.callbacks import ImportCb
from handlers.roadmap.import_states import RoadmapImportForm
from handlers.roadmap.import_texts import preview_text
from handlers.roadmap.organisation_texts import organisation_lines, question_rows
from storage.unit_of_work import UnitOfWork
from storage.usecases.organisations import body_texts, organisation_plan


def preview_keyboard(
    indicator_tables: bool, plan: Plan | None = None, answered: int = 0
) -> InlineKeyboardMarkup:
    """«Confirm», «Cancel», «Columns read wrong»; above them, while an organisation the roadmap
    names may be one already known, «Yes» and «No, it is another organisation»."""
    rows = question_rows(plan.questions[0], answered) if plan and plan.questions else []
    rows += [
        [
            InlineKeyboardButton(
                text=_("Confirm"), callback_data=ImportCb(action="confirm").pack()
            ),
            InlineKeyboardButton(text=_("Cancel"), callback_data=ImportCb(action="cancel").pack()),
        ],
        [
            InlineKeyboardButton(
                text=_("Columns read wrong"), callback_data=ImportCb(action="columns").pack()
            )
        ],
    ]
    if indicator_tables:
        rows.append(
            [
                InlineKeyboardButton(
                    text=_("Indicator columns read wrong"),
                    callback_data=ImportCb(action="indicators").pack(),
                )
            ]
        )
    return InlineKeyboardMarkup(inline_keyboard=rows)


async def show_preview(
    message: Message, uow: UnitOfWork, state: FSMContext, draft: RoadmapDraft
) -> None:
    existing = await uow.roadmaps.find_same(
        draft.details.title, draft.details.order_number, draft.details.order_date
    )
    texts = body_texts(draft)
    data = await state.get_data()
    answers: dict[str, bool] = data.get("import_org_answers") or {}
    plan = await organisation_plan(uow, texts, answers)
    names = {o.id: o.name for o in await uow.organisations.list_all()}
    await uow.commit()
    await state.set_state(RoadmapImportForm.confirming)
    indicator_tables = any(not table.in_measures for table in draft.indicator_tables)
    await state.update_data(
        import_org_texts=texts,
        import_org_answers=answers,
        import_indicator_buttons=indicator_tables,
    )
    text = "\n".join(
        [
            preview_text(draft, updates_existing=existing is not None),
            *organisation_lines(plan, names),
        ]
    )
    await message.answer(
        text[:4000], reply_markup=preview_keyboard(indicator_tables, plan, len(answers))
    )
