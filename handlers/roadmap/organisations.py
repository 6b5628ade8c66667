"""/organisations: the coordinator renames an organisation, or merges two that are one («УО
УКМО» imported before anyone asked); people, assignments, reports and history go with it."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command as CommandFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from domain.access import may_command
from domain.clock import Clock
from domain.labels import shorten
from domain.roles import Command
from handlers.common.access import refuse_button, refuse_unless
from handlers.common.callbacks import OrganisationCb
from handlers.common.filters import HasText, Joined, in_state
from storage.models import Organisation, Person
from storage.unit_of_work import UnitOfWork
from storage.usecases.access import actor_of
from storage.usecases.organisation_changes import (
    NameTakenError,
    merge_organisations,
    rename_organisation,
)

LISTED = 60
NAME_LIMIT = 300


class OrganisationForm(StatesGroup):
    new_name = State()


def build_router() -> Router:
    router = Router(name="organisations")
    router.message.register(cmd_organisations, CommandFilter(Command.ORGANISATIONS.value), Joined())
    router.callback_query.register(on_organisation, OrganisationCb.filter(), Joined())
    router.message.register(on_new_name, in_state(OrganisationForm.new_name), HasText(), Joined())
    return router


def _button(text: str, action: str, organisation_id: int) -> list[InlineKeyboardButton]:
    return [
        InlineKeyboardButton(
            text=text,
            callback_data=OrganisationCb(action=action, organisation_id=organisation_id).pack(),
        )
    ]


async def cmd_organisations(
    message: Message, person: Person, uow: UnitOfWork, clock: Clock, state: FSMContext
) -> None:
    if refusal := await refuse_unless(uow, clock, person, Command.ORGANISATIONS, "org.list"):
        await message.answer(refusal)
        return
    await state.clear()
    organisations = await uow.organisations.list_all()
    # Schools are named by the schools list; the bodies a roadmap names come first.
    organisations.sort(key=lambda o: (o.kind == "school", o.name.lower()))
    await message.answer(
        _("Which organisation? Choose it to rename it or to merge it with another one."),
        reply_markup=InlineKeyboardMarkup(
            inline_keyboard=[
                _button(shorten(o.name, 60), "open", o.id) for o in organisations[:LISTED]
            ]
        ),
    )


async def _may_change(uow: UnitOfWork, person: Person) -> bool:
    """The one rule, with the role as the database has it now: only a coordinator."""
    actor = await actor_of(uow, person)
    return actor is not None and may_command(actor.role, Command.ORGANISATIONS)


async def on_organisation(
    query: CallbackQuery,
    callback_data: OrganisationCb,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    state: FSMContext,
) -> None:
    if not await _may_change(uow, person):
        await state.clear()
        await refuse_button(
            query,
            uow,
            clock,
            person,
            "org." + callback_data.action[:20],
            organisation_id=callback_data.organisation_id,
        )
        return
    chosen = await uow.organisations.get(callback_data.organisation_id)
    message = query.message if isinstance(query.message, Message) else None
    if chosen is None or message is None:
        await query.answer(_("This button is no longer valid."), show_alert=True)
        return
    await query.answer()
    action = callback_data.action
    if action == "open":
        await state.clear()
        await message.answer(
            _("«{name}»: what should be done with it?").format(name=chosen.name),
            reply_markup=InlineKeyboardMarkup(
                inline_keyboard=[
                    _button(_("Rename"), "rename", chosen.id),
                    _button(_("Merge with another organisation"), "merge", chosen.id),
                ]
            ),
        )
    elif action == "rename":
        await state.set_state(OrganisationForm.new_name)
        await state.update_data(organisation_id=chosen.id)
        await message.answer(
            _(
                "Write the new name of «{name}». The old name will still be recognised in roadmaps."
            ).format(name=chosen.name)
        )
    elif action == "merge":
        await _offer_targets(message, uow, state, chosen)
    elif action == "into":
        await _confirm_merge(message, uow, state, chosen)
    elif action == "do":
        await _merge(message, uow, clock, state, person, chosen)


async def _offer_targets(
    message: Message, uow: UnitOfWork, state: FSMContext, gone: Organisation
) -> None:
    await state.clear()
    await state.update_data(merge_from=gone.id)
    others = [o for o in await uow.organisations.list_all() if o.id != gone.id]
    others.sort(key=lambda o: (o.kind == "school", o.name.lower()))
    await message.answer(
        _(
            "«{name}» is the same organisation as which one? That one stays, with both "
            "organisations' people, measures and reports."
        ).format(name=gone.name),
        reply_markup=InlineKeyboardMarkup(
            inline_keyboard=[_button(shorten(o.name, 60), "into", o.id) for o in others[:LISTED]]
        ),
    )


async def _confirm_merge(
    message: Message, uow: UnitOfWork, state: FSMContext, keep: Organisation
) -> None:
    gone_id = (await state.get_data()).get("merge_from")
    gone = await uow.organisations.get(gone_id) if isinstance(gone_id, int) else None
    if gone is None or gone.id == keep.id:
        await message.answer(_("This button is no longer valid. Send /organisations again."))
        return
    await state.update_data(merge_into=keep.id)
    await message.answer(
        _(
            "Merge «{gone}» into «{keep}»? «{keep}» stays; «{gone}» will be recognised in "
            "roadmaps as its other name."
        ).format(gone=gone.name, keep=keep.name),
        reply_markup=InlineKeyboardMarkup(
            inline_keyboard=[
                _button(_("Merge"), "do", keep.id),
                _button(_("Cancel"), "open", gone.id),
            ]
        ),
    )


async def _merge(
    message: Message,
    uow: UnitOfWork,
    clock: Clock,
    state: FSMContext,
    person: Person,
    keep: Organisation,
) -> None:
    data = await state.get_data()
    gone_id = data.get("merge_from")
    if data.get("merge_into") != keep.id or not isinstance(gone_id, int):
        await message.answer(_("This button is no longer valid. Send /organisations again."))
        return
    await state.clear()
    result = await merge_organisations(uow, keep.id, gone_id, by_id=person.id, now=clock.now())
    if result is None:
        await message.answer(_("This button is no longer valid. Send /organisations again."))
        return
    await uow.commit()
    lines = [
        _("Done: «{gone}» is now «{keep}».").format(gone=result.merged, keep=result.kept),
        ngettext(
            "{count} measure moved over.", "{count} measures moved over.", result.assignments_moved
        ).format(count=result.assignments_moved),
    ]
    if result.both_reported:
        lines.append(
            ngettext(
                "Both organisations had reported on {count} deadline: both reports are kept, "
                "the later one counts.",
                "Both organisations had reported on {count} deadlines: both reports are kept, "
                "the later one counts.",
                len(result.both_reported),
            ).format(count=len(result.both_reported))
        )
    await message.answer("\n".join(lines))


async def on_new_name(
    message: Message, person: Person, uow: UnitOfWork, clock: Clock, state: FSMContext
) -> None:
    organisation_id = (await state.get_data()).get("organisation_id")
    if not await _may_change(uow, person) or not isinstance(organisation_id, int):
        await state.clear()
        await message.answer(
            _("This is not part of your role. If you think you need it, ask the coordinator.")
        )
        return
    name = " ".join((message.text or "").split())
    if not name or len(name) > NAME_LIMIT:
        await message.answer(
            _("Please write the name in one line, up to {limit} characters.").format(
                limit=NAME_LIMIT
            )
        )
        return
    try:
        renamed = await rename_organisation(
            uow, organisation_id, name, by_id=person.id, now=clock.now()
        )
    except NameTakenError:
        await message.answer(
            _(
                "Another organisation is already called «{name}». If they are one, merge "
                "them: send /organisations."
            ).format(name=name)
        )
        return
    await state.clear()
    if renamed is None:
        await message.answer(_("This organisation is no longer there. Send /organisations again."))
        return
    await uow.commit()
    await message.answer(_("Renamed: now «{name}».").format(name=renamed.name))
