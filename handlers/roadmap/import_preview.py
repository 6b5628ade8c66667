"""The preview of a roadmap read from a file, with «Confirm», «Cancel» and «Columns read wrong»
under it."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from domain.roadmap.draft import RoadmapDraft
from handlers.common.callbacks import ImportCb
from handlers.roadmap.import_states import RoadmapImportForm
from handlers.roadmap.import_texts import preview_text
from storage.unit_of_work import UnitOfWork


async def show_preview(
    message: Message, uow: UnitOfWork, state: FSMContext, draft: RoadmapDraft
) -> None:
    existing = await uow.roadmaps.find_same(
        draft.details.title, draft.details.order_number, draft.details.order_date
    )
    await uow.commit()
    await state.set_state(RoadmapImportForm.confirming)
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
    if any(not table.in_measures for table in draft.indicator_tables):
        rows.append(
            [
                InlineKeyboardButton(
                    text=_("Indicator columns read wrong"),
                    callback_data=ImportCb(action="indicators").pack(),
                )
            ]
        )
    keyboard = InlineKeyboardMarkup(inline_keyboard=rows)
    await message.answer(
        preview_text(draft, updates_existing=existing is not None), reply_markup=keyboard
    )
