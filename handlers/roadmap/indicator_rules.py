"""/indicators: each target indicator with what the schools are asked for it. The coordinator
changes who reports (every school, chosen schools or a tag, the department itself), one number
or two, the questions and the as-of dates, then confirms: the schools are asked from then on."""

from __future__ import annotations

import dataclasses
import re

from aiogram import Router
from aiogram.filters import Command as CommandFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from domain.access import may_command
from domain.clock import Clock
from domain.indicators.collection import (
    ReporterKind,
    Reporters,
    Shape,
    questions,
    read_dates,
)
from domain.labels import shorten
from domain.roles import Command, Role
from handlers.common.access import refuse_button, refuse_unless
from handlers.common.callbacks import IndicatorCb
from handlers.common.filters import Joined, in_state
from handlers.roadmap.indicator_rule_texts import card_text, list_text, schools_text
from storage.models import Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.indicator_collection import (
    CollectionView,
    NoReportersError,
    change_rule,
    collection_of,
    collections,
    reporters_of,
    save_rule,
    schools,
)

MAX_QUESTION = 500
LIST_BUTTONS = 40


class RuleForm(StatesGroup):
    numerator = State()
    denominator = State()
    dates = State()
    schools = State()


def build_router() -> Router:
    router = Router(name="indicator_rules")
    router.message.register(cmd_indicators, CommandFilter(Command.INDICATORS.value), Joined())
    router.callback_query.register(on_indicator, IndicatorCb.filter(), Joined())
    router.message.register(on_numerator_question, in_state(RuleForm.numerator), Joined())
    router.message.register(on_denominator_question, in_state(RuleForm.denominator), Joined())
    router.message.register(on_dates, in_state(RuleForm.dates), Joined())
    router.message.register(on_schools, in_state(RuleForm.schools), Joined())
    return router


async def cmd_indicators(message: Message, person: Person, uow: UnitOfWork, clock: Clock) -> None:
    if refusal := await refuse_unless(uow, clock, person, Command.INDICATORS, "indicators.list"):
        await message.answer(refusal)
        return
    items = await collections(uow)
    await uow.commit()  # the rules proposed for indicators imported before rules existed
    if not items:
        await message.answer(
            _("There are no target indicators yet: import a roadmap that has a table of them.")
        )
        return
    rows = [
        [
            InlineKeyboardButton(
                text=shorten(f"{item.number} · {item.name}", 60),
                callback_data=IndicatorCb(indicator_id=item.indicator_id, action="open").pack(),
            )
        ]
        for item in items[:LIST_BUTTONS]
    ]
    await message.answer(
        list_text(items)[:4000], reply_markup=InlineKeyboardMarkup(inline_keyboard=rows)
    )


async def on_indicator(
    query: CallbackQuery,
    callback_data: IndicatorCb,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    state: FSMContext,
) -> None:
    if not may_command(Role(person.role), Command.INDICATORS):
        await refuse_button(
            query, uow, clock, person, "indicators.rule", indicator_id=callback_data.indicator_id
        )
        return
    view = await collection_of(uow, callback_data.indicator_id)
    if view is None or not isinstance(query.message, Message):
        await query.answer(_("This button is no longer valid."), show_alert=True)
        return
    await query.answer()
    action, rule = callback_data.action, view.rule
    asks = {
        "questions": (RuleForm.numerator, _("Send the question for the first number.")),
        "dates": (
            RuleForm.dates,
            _("Send the dates the figures are as of, for example: 20.12.2026, 20.12.2027"),
        ),
    }
    if action in asks:
        target, prompt = asks[action]
        await state.set_state(target)
        await state.update_data(indicator_id=view.indicator_id)
        await query.message.answer(prompt)
        return
    if action == "schools":
        await state.set_state(RuleForm.schools)
        await state.update_data(indicator_id=view.indicator_id)
        await query.message.answer(schools_text(await schools(uow))[:4000])
        return
    if action == "confirm":
        try:
            saved = await save_rule(
                uow, view.indicator_id, rule, person_id=person.id, now=clock.now()
            )
        except NoReportersError:
            await query.message.answer(
                _("Nobody matches: there are no such schools yet. Choose who reports again.")
            )
            return
        await uow.commit()
        await query.message.answer(await _card(uow, saved), reply_markup=card_buttons(saved))
        return
    changes = {
        "all": lambda: dataclasses.replace(rule, reporters=Reporters(ReporterKind.ALL)),
        "department": lambda: dataclasses.replace(
            rule, reporters=Reporters(ReporterKind.DEPARTMENT)
        ),
        "count": lambda: dataclasses.replace(rule, shape=Shape.COUNT, denominator_question=None),
        "share": lambda: dataclasses.replace(
            rule,
            shape=Shape.SHARE,
            denominator_question=rule.denominator_question or questions(view.name, share=True)[1],
        ),
    }
    if action in changes:
        await change_rule(uow, view.indicator_id, changes[action]())
        await uow.commit()
        view = await collection_of(uow, view.indicator_id) or view
    await query.message.answer(await _card(uow, view), reply_markup=card_buttons(view))


async def on_numerator_question(
    message: Message, state: FSMContext, person: Person, uow: UnitOfWork, clock: Clock
) -> None:
    view = await _editing(message, state, person, uow, clock)
    if view is None or (text := await _question(message)) is None:
        return
    rule = dataclasses.replace(view.rule, numerator_question=text)
    await change_rule(uow, view.indicator_id, rule)
    await uow.commit()
    if rule.shape is Shape.SHARE:
        await state.set_state(RuleForm.denominator)
        await message.answer(_("Now the question for the second number (the total)."))
        return
    await _show(message, state, uow, view.indicator_id)


async def on_denominator_question(
    message: Message, state: FSMContext, person: Person, uow: UnitOfWork, clock: Clock
) -> None:
    view = await _editing(message, state, person, uow, clock)
    if view is None or (text := await _question(message)) is None:
        return
    await change_rule(
        uow, view.indicator_id, dataclasses.replace(view.rule, denominator_question=text)
    )
    await uow.commit()
    await _show(message, state, uow, view.indicator_id)


async def on_dates(
    message: Message, state: FSMContext, person: Person, uow: UnitOfWork, clock: Clock
) -> None:
    view = await _editing(message, state, person, uow, clock)
    if view is None:
        return
    dates = read_dates(message.text or "")
    if dates is None:
        await message.answer(
            _("I could not read these dates. Please write them like this: 20.12.2026, 20.12.2027")
        )
        return
    await change_rule(uow, view.indicator_id, dataclasses.replace(view.rule, as_of=dates))
    await uow.commit()
    await _show(message, state, uow, view.indicator_id)


async def on_schools(
    message: Message, state: FSMContext, person: Person, uow: UnitOfWork, clock: Clock
) -> None:
    """A tag («ШНОР») or the numbers of schools in the list shown («1, 4, 7»)."""
    view = await _editing(message, state, person, uow, clock)
    if view is None:
        return
    text = " ".join((message.text or "").split())
    listed = await schools(uow)
    tags = {tag.lower(): tag for _i, _name, school_tags in listed for tag in school_tags}
    reporters: Reporters | None = None
    if text.lower() in tags:
        reporters = Reporters(ReporterKind.TAG, tag=tags[text.lower()])
    elif re.fullmatch(r"\d+(?:\s*[,;]\s*\d+|\s+\d+)*", text):
        numbers = [int(n) for n in re.findall(r"\d+", text)]
        if all(1 <= n <= len(listed) for n in numbers):
            ids = tuple(sorted({listed[n - 1][0] for n in numbers}))
            reporters = Reporters(ReporterKind.ORGANISATIONS, organisation_ids=ids)
    if reporters is None:
        await message.answer(
            _(
                "Please send a tag from the list, or the numbers of schools in the list "
                "separated by commas, for example: 1, 4, 7"
            )
        )
        return
    await change_rule(uow, view.indicator_id, dataclasses.replace(view.rule, reporters=reporters))
    await uow.commit()
    await _show(message, state, uow, view.indicator_id)


async def _editing(
    message: Message, state: FSMContext, person: Person, uow: UnitOfWork, clock: Clock
) -> CollectionView | None:
    """The indicator being edited, while its editor is still a coordinator."""
    if refusal := await refuse_unless(uow, clock, person, Command.INDICATORS, "indicators.edit"):
        await state.clear()
        await message.answer(refusal)
        return None
    view = await collection_of(uow, int((await state.get_data()).get("indicator_id") or 0))
    if view is None:
        await state.clear()
        await message.answer(_("This indicator is no longer in the roadmap."))
    return view


async def _question(message: Message) -> str | None:
    text = " ".join((message.text or "").split())
    if not text:
        await message.answer(_("Please send the question as text."))
        return None
    if len(text) > MAX_QUESTION:
        await message.answer(
            _("That is longer than {limit} characters. Please shorten it.").format(
                limit=MAX_QUESTION
            )
        )
        return None
    return text


async def _show(message: Message, state: FSMContext, uow: UnitOfWork, indicator_id: int) -> None:
    await state.clear()
    view = await collection_of(uow, indicator_id)
    if view is not None:
        await message.answer(await _card(uow, view), reply_markup=card_buttons(view))


async def _card(uow: UnitOfWork, view: CollectionView) -> str:
    return card_text(view, len(await reporters_of(uow, view.rule.reporters)))[:4000]


def card_buttons(view: CollectionView) -> InlineKeyboardMarkup:
    def button(text: str, action: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            text=text,
            callback_data=IndicatorCb(indicator_id=view.indicator_id, action=action).pack(),
        )

    share = view.rule.shape is Shape.SHARE
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                button(_("Every school"), "all"),
                button(_("Choose schools"), "schools"),
                button(_("The department"), "department"),
            ],
            [
                button(
                    _("One number") if share else _("Two numbers"), "count" if share else "share"
                ),
                button(_("Edit the questions"), "questions"),
            ],
            [button(_("Edit the dates"), "dates"), button(_("Confirm the collection"), "confirm")],
        ]
    )
