"""The preview of a roadmap read from a file, with «Confirm», «Cancel» and «Columns read wrong»
under it; or, while an organisation it names may be one already known, the question about it
(``organisation_questions``) in their place."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from domain.roadmap.draft import RoadmapDraft
from handlers.common.callbacks import ImportCb
from handlers.roadmap.import_states import RoadmapImportForm
from handlers.roadmap.import_texts import preview_text
from handlers.roadmap.organisation_texts import organisation_lines, question_keyboard
from storage.unit_of_work import UnitOfWork
from storage.usecases.organisations import body_texts, organisation_plan


def preview_keyboard(indicator_tables: bool) -> InlineKeyboardMarkup:
    rows = [
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
    await uow.commit()
    await state.set_state(RoadmapImportForm.confirming)
    indicator_tables = any(not table.in_measures for table in draft.indicator_tables)
    await state.update_data(
        import_org_texts=texts,
        import_org_answers=answers,
        import_indicator_buttons=indicator_tables,
    )
    text = "\n".join(
        [preview_text(draft, updates_existing=existing is not None), *organisation_lines(plan)]
    )
    keyboard = (
        question_keyboard(plan.questions[0], len(answers))
        if plan.questions
        else preview_keyboard(indicator_tables)
    )
    await message.answer(text[:4000], reply_markup=keyboard)
