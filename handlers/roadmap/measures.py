"""/measures: the coordinator looks through the roadmap and corrects deadlines and assignees."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router
from aiogram.filters import Command as CommandFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from domain.access import may_change
from domain.clock import Clock
from domain.roles import Command, Role
from handlers.common.access import refuse_change, refuse_unless
from handlers.common.callbacks import MeasureCb, MeasureEditCb, RoadmapPickCb, SectionCb
from handlers.common.filters import HasText, Joined, in_state
from handlers.common.roadmap_picker import archived_note, chosen, only_or_picker
from handlers.roadmap.measure_card import measure_card
from handlers.roadmap.schedule_text import describe_schedule
from storage.models import Measure, Person, Roadmap
from storage.unit_of_work import UnitOfWork
from storage.usecases.measures import change_deadline, change_responsible

BUTTON_TEXT = 60
MAX_DEADLINE_TEXT = 300
MAX_RESPONSIBLE_TEXT = 1000
MEASURES_VIEW = "measures"


class MeasureEditForm(StatesGroup):
    deadline = State()
    assignees = State()


def build_router() -> Router:
    router = Router(name="measures")
    router.message.register(cmd_measures, CommandFilter(Command.MEASURES.value), Joined())
    router.callback_query.register(
        on_roadmap_chosen, RoadmapPickCb.filter(F.view == MEASURES_VIEW), Joined()
    )
    router.callback_query.register(on_section, SectionCb.filter(), Joined())
    router.callback_query.register(on_measure, MeasureCb.filter(), Joined())
    router.callback_query.register(on_edit, MeasureEditCb.filter(), Joined())
    router.message.register(
        on_new_deadline, in_state(MeasureEditForm.deadline), HasText(), Joined()
    )
    router.message.register(
        on_new_assignees, in_state(MeasureEditForm.assignees), HasText(), Joined()
    )
    return router


def _short(text: str) -> str:
    return text if len(text) <= BUTTON_TEXT else text[: BUTTON_TEXT - 1] + "…"


async def cmd_measures(
    message: Message, person: Person, uow: UnitOfWork, clock: Clock, timezone: ZoneInfo
) -> None:
    if refusal := await refuse_unless(uow, clock, person, Command.MEASURES, "measures.list"):
        await message.answer(refusal)
        return
    today = clock.now().astimezone(timezone).date()
    entries, question = await only_or_picker(uow, today, MEASURES_VIEW)
    roadmap = await uow.roadmaps.get(entries[0].id) if entries else None
    if roadmap is None:
        await message.answer(_("There is no roadmap yet. Send /import to add one."))
        return
    if question is not None:
        text, keyboard = question
        await message.answer(text, reply_markup=keyboard)
        return
    text, keyboard = await _sections(uow, roadmap)
    await message.answer(text, reply_markup=keyboard)


async def on_roadmap_chosen(
    query: CallbackQuery,
    callback_data: RoadmapPickCb,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    timezone: ZoneInfo,
) -> None:
    today = clock.now().astimezone(timezone).date()
    picked = await chosen(
        query, person, uow, clock, callback_data.roadmap_id, today, Command.MEASURES
    )
    if picked is None:
        return
    roadmap, entry = picked
    text, keyboard = await _sections(uow, roadmap)
    if entry.archived:  # still readable and correctable: history, and said so
        text = archived_note(roadmap.title) + "\n\n" + text
    if query.message is not None:
        await query.message.answer(text, reply_markup=keyboard)


async def _sections(uow: UnitOfWork, roadmap: Roadmap) -> tuple[str, InlineKeyboardMarkup]:
    """The roadmap's title and a button per section (and the order's own instructions)."""
    rows = [
        [
            InlineKeyboardButton(
                text=_short(f"{s.number}. {s.title}"),
                callback_data=SectionCb(roadmap_id=roadmap.id, section_id=s.id).pack(),
            )
        ]
        for s in await uow.roadmaps.sections(roadmap.id)
    ]
    if await uow.roadmaps.measures_in_section(None, roadmap.id):
        rows.append(
            [
                InlineKeyboardButton(
                    text=_("Instructions of the order"),
                    callback_data=SectionCb(roadmap_id=roadmap.id, section_id=0).pack(),
                )
            ]
        )
    return (
        _("{title}\nChoose a section:").format(title=roadmap.title),
        InlineKeyboardMarkup(inline_keyboard=rows),
    )


async def _stale(query: CallbackQuery) -> None:
    await query.answer(_("This button is no longer valid. Send /measures again."), show_alert=True)


async def on_section(
    query: CallbackQuery, callback_data: SectionCb, person: Person, uow: UnitOfWork, clock: Clock
) -> None:
    if refusal := await refuse_unless(uow, clock, person, Command.MEASURES, "measures.section"):
        await query.answer(refusal, show_alert=True)
        return
    section_id = callback_data.section_id or None
    section = await uow.roadmaps.get_section(section_id) if section_id else None
    if section_id and (section is None or section.roadmap_id != callback_data.roadmap_id):
        await _stale(query)
        return
    measures = await uow.roadmaps.measures_in_section(section_id, callback_data.roadmap_id)
    if not measures:
        await _stale(query)
        return
    rows = [
        [
            InlineKeyboardButton(
                text=_short(f"{m.number}. {m.title}"),
                callback_data=MeasureCb(measure_id=m.id).pack(),
            )
        ]
        for m in measures
    ]
    title = f"{section.number}. {section.title}" if section else _("Instructions of the order")
    await query.answer()
    if query.message is not None:
        await query.message.answer(
            title[:1000], reply_markup=InlineKeyboardMarkup(inline_keyboard=rows)
        )


async def _show(
    bot: Bot,
    chat_id: int,
    uow: UnitOfWork,
    measure: Measure,
    clock: Clock,
    i18n: I18n,
    timezone: ZoneInfo,
    person: Person,
) -> None:
    today = clock.now().astimezone(timezone).date()
    editable = may_change(Role(person.role), Command.MEASURES)
    text, keyboard = await measure_card(
        uow, measure, today=today, locale=i18n.current_locale, editable=editable
    )
    await bot.send_message(chat_id, text, reply_markup=keyboard)


async def on_measure(
    query: CallbackQuery,
    callback_data: MeasureCb,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    i18n: I18n,
    timezone: ZoneInfo,
    bot: Bot,
) -> None:
    if refusal := await refuse_unless(uow, clock, person, Command.MEASURES, "measures.open"):
        await query.answer(refusal, show_alert=True)
        return
    measure = await uow.roadmaps.get_measure(callback_data.measure_id)
    if measure is None:
        await _stale(query)
        return
    await query.answer()
    if query.message is not None:
        await _show(bot, query.message.chat.id, uow, measure, clock, i18n, timezone, person)


async def on_edit(
    query: CallbackQuery,
    callback_data: MeasureEditCb,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    state: FSMContext,
) -> None:
    if refusal := await refuse_change(uow, clock, person, Command.MEASURES, "measures.edit"):
        await query.answer(refusal, show_alert=True)
        return
    measure = await uow.roadmaps.get_measure(callback_data.measure_id)
    if measure is None or callback_data.field not in ("deadline", "assignees"):
        await _stale(query)
        return
    await state.set_state(
        MeasureEditForm.deadline if callback_data.field == "deadline" else MeasureEditForm.assignees
    )
    await state.update_data(measure_id=measure.id)
    await query.answer()
    prompt = (
        _(
            "Send the new deadline as it should read, for example «до 17 апреля 2026 г.», "
            "«ежегодно до 1 ноября» or «17.04.2026, 01.11.2026»."
        )
        if callback_data.field == "deadline"
        else _(
            "Send who is responsible, separated by commas, for example «Руководители ОО, "
            "Иванова М.П. - методист, УО»."
        )
    )
    if query.message is not None:
        await query.message.answer(prompt)


async def _edited_measure(state: FSMContext, uow: UnitOfWork) -> Measure | None:
    measure_id = (await state.get_data()).get("measure_id")
    await state.clear()
    return await uow.roadmaps.get_measure(int(measure_id)) if measure_id else None


async def on_new_deadline(
    message: Message,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    state: FSMContext,
    i18n: I18n,
    timezone: ZoneInfo,
    bot: Bot,
) -> None:
    if refusal := await refuse_change(uow, clock, person, Command.MEASURES, "measures.deadline"):
        await message.answer(refusal)
        return
    text = " ".join((message.text or "").split())[:MAX_DEADLINE_TEXT]
    measure = await _edited_measure(state, uow)
    schedule = (
        await change_deadline(uow, measure, text, person_id=person.id, now=clock.now())
        if measure
        else None
    )
    if measure is None or schedule is None:
        await message.answer(_("This measure no longer exists. Send /measures again."))
        return
    await uow.commit()
    await message.answer(
        _("Saved. I read it as: {reading}").format(
            reading=describe_schedule(schedule, i18n.current_locale)
        )
    )
    await _show(bot, message.chat.id, uow, measure, clock, i18n, timezone, person)


async def on_new_assignees(
    message: Message,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    state: FSMContext,
    i18n: I18n,
    timezone: ZoneInfo,
    bot: Bot,
) -> None:
    if refusal := await refuse_change(uow, clock, person, Command.MEASURES, "measures.assignees"):
        await message.answer(refusal)
        return
    text = (message.text or "").strip()[:MAX_RESPONSIBLE_TEXT]
    measure = await _edited_measure(state, uow)
    if measure is None:
        await message.answer(_("This measure no longer exists. Send /measures again."))
        return
    await change_responsible(uow, measure, text, person_id=person.id, now=clock.now())
    await uow.commit()
    await message.answer(_("Saved."))
    await _show(bot, message.chat.id, uow, measure, clock, i18n, timezone, person)
