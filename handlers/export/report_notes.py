"""«Пояснительная записка» and «Выводы и предложения» typed in the chat: the two sections of the
written report (/export's .docx) the coordinator writes herself, per roadmap and report year.
An empty section is left out of the document.

/export shows a button for each next to the report. The coordinator sees the section's text (or
that it is empty and left out), then types the new one, in one message or in several (a
messenger cuts a long text into parts), and presses «Сохранить»; or keeps the old text, or
clears it. An observer reads the text and changes nothing; anyone else is refused. The text is
kept as typed: one that begins with «=» is text in the document, never a formula.

Two coordinators editing the same section at once: the save names the version its editor saw
(``storage.usecases.actual_results:save_note``), as «Фактический результат» does
(``handlers.roadmap.actual_result``); the later one is told who saved first, and is shown her
own text back so nothing she typed is lost. A roadmap archived or removed meanwhile: nothing
changes, and she is told why.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from domain.access import may_change, may_command
from domain.clock import Clock
from domain.progress import split_text
from domain.roadmap.archive import is_archived
from domain.roles import Command, Role
from handlers.common.access import refuse_change, refuse_unless
from handlers.common.callbacks import ExportCb, NotesCb
from handlers.common.filters import Joined, TypedText, in_state
from storage.models import Person, Roadmap
from storage.unit_of_work import UnitOfWork
from storage.usecases.actual_results import (
    MAX_NOTE,
    NOTE_SECTIONS,
    SavedText,
    current_note,
    save_note,
)
from storage.usecases.roadmap_choice import roadmap_entries

ACTIONS = ("open", "keep", "clear", "save")


class NotesForm(StatesGroup):
    text = State()  # the new text, in one message or several, until «Сохранить»


def build_router() -> Router:
    router = Router(name="report_notes")
    router.callback_query.register(on_button, NotesCb.filter(), Joined())
    router.message.register(on_text, in_state(NotesForm.text), TypedText(), Joined())
    return router


def section_title(section: str) -> str:
    """The section's heading as the document prints it."""
    return _("Explanatory note") if section == "explanatory" else _("Conclusions and proposals")


def notes_row(person: Person, roadmap: Roadmap, today: date) -> list[InlineKeyboardButton]:
    """/export's buttons of the two sections, next to the report: for those who read or write
    them (a coordinator, an observer), and only for a roadmap not in the archive."""
    if not may_command(Role(person.role), Command.MEASURES):
        return []
    if is_archived(roadmap.archive_choice, roadmap.period_end_on, today):
        return []
    return [
        InlineKeyboardButton(
            text=section_title(section),
            callback_data=NotesCb(
                roadmap_id=roadmap.id, section=section, action="open", year=today.year
            ).pack(),
        )
        for section in NOTE_SECTIONS
    ]


def notes_hint(person: Person, today: date) -> str:
    """The line under /export's question that says what the two buttons are for."""
    names = {
        "explanatory": section_title("explanatory"),
        "conclusions": section_title("conclusions"),
    }
    if may_change(Role(person.role), Command.MEASURES):
        return _(
            "«{explanatory}» and «{conclusions}» of the document for {year} are written by "
            "you: the buttons below show them and let you change them."
        ).format(year=today.year, **names)
    return _(
        "The buttons below show «{explanatory}» and «{conclusions}» of the document for {year}."
    ).format(year=today.year, **names)


def _stale() -> str:
    return _("This button is no longer valid. Send /{command} again.").format(command="export")


def _characters(count: int) -> str:
    """«20 000»: a count as a document writes it, thousands apart."""
    return f"{count:,}".replace(",", "\u00a0")


async def _roadmap(uow: UnitOfWork, data: NotesCb, today: date) -> Roadmap | None:
    """The roadmap a button names, or ``None`` for a button no /export showed today: another
    section or action than ours, another year's report, a roadmap removed since (or never
    listed, as the holder of requests)."""
    if data.section not in NOTE_SECTIONS or data.action not in ACTIONS or data.year != today.year:
        return None
    listed = {entry.id for entry in await roadmap_entries(uow, today)}
    return await uow.roadmaps.get(data.roadmap_id) if data.roadmap_id in listed else None


async def _ours(
    state: FSMContext, roadmap_id: int, section: str, year: int
) -> dict[str, Any] | None:
    """The conversation's data when it is the editing of this very section, else ``None``."""
    if await state.get_state() != NotesForm.text.state:
        return None
    data = await state.get_data()
    if (data.get("roadmap_id"), data.get("section"), data.get("year")) != (
        roadmap_id,
        section,
        year,
    ):
        return None
    return data


async def on_button(
    query: CallbackQuery,
    callback_data: NotesCb,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    state: FSMContext,
    timezone: ZoneInfo,
) -> None:
    if callback_data.action == "open":
        refusal = await refuse_unless(uow, clock, person, Command.MEASURES, "notes.open")
    else:
        refusal = await refuse_change(uow, clock, person, Command.MEASURES, "notes.edit")
    if refusal:
        await query.answer(refusal, show_alert=True)
        return
    today = clock.now().astimezone(timezone).date()
    section, year = callback_data.section, callback_data.year
    roadmap = await _roadmap(uow, callback_data, today)
    if roadmap is None or not isinstance(query.message, Message):
        if await _ours(state, callback_data.roadmap_id, section, year) is not None:
            await state.clear()  # her own roadmap removed meanwhile: nothing left to edit
        await query.answer(_stale(), show_alert=True)
        return
    archived = is_archived(roadmap.archive_choice, roadmap.period_end_on, today)
    if archived and callback_data.action in ("clear", "save"):
        if await _ours(state, roadmap.id, section, year) is not None:
            await state.clear()
        await query.answer()  # an alert holds 200 characters: a title alone may take more
        await query.message.answer(_archived(roadmap))
        return
    await query.answer()
    message = query.message
    if callback_data.action == "open":
        await _open(message, uow, person, roadmap, section, year, state, archived=archived)
        return
    ours = await _ours(state, roadmap.id, section, year)
    if callback_data.action == "keep":
        if ours is not None:
            await state.clear()
        await message.answer(_("Nothing was changed."))
        return
    if callback_data.action == "clear":
        if ours is not None:
            await state.clear()
        await _save(
            message, uow, clock, timezone, person, roadmap, section, year, "", callback_data.version
        )
        return
    parts = [part for part in (ours or {}).get("parts", []) if isinstance(part, str)]
    if ours is None or not parts:
        await message.answer(
            _(
                "There is nothing to save: this text has been saved or put aside already. To "
                "change the section, open it again with /export."
            )
            if ours is None
            else _("Send the text first, then press «Save».")
        )
        return
    version = ours.get("version")
    await state.clear()
    await _save(
        message,
        uow,
        clock,
        timezone,
        person,
        roadmap,
        section,
        year,
        "\n".join(parts),
        version if isinstance(version, int) else 0,
    )


def _archived(roadmap: Roadmap) -> str:
    return _(
        "«{title}» is in the archive: its report is kept as history, and its sections no "
        "longer change. Nothing was changed."
    ).format(title=" ".join(roadmap.title.split()))


def _heading(roadmap: Roadmap, section: str, year: int) -> str:
    return _("«{section}» of the report for {year}\n«{roadmap}»").format(
        section=section_title(section), year=year, roadmap=" ".join(roadmap.title.split())
    )


def _now_reads(current: SavedText) -> str:
    if not current.text:
        return _("The section is empty for now: the document leaves it out.")
    return _("Now the section reads:") + "\n" + current.text


async def _open(
    message: Message,
    uow: UnitOfWork,
    person: Person,
    roadmap: Roadmap,
    section: str,
    year: int,
    state: FSMContext,
    *,
    archived: bool,
) -> None:
    current = await current_note(uow, roadmap.id, year, section)
    texts = [_heading(roadmap, section, year), _now_reads(current)]
    keyboard = None
    if archived:  # a button shown before the roadmap went to the archive
        texts.append(_archived(roadmap))
    elif not may_change(Role(person.role), Command.MEASURES):
        texts.append(_("Only the coordinator can change this text."))
    else:
        texts.append(
            _(
                "Send the new text: in one message or in several in a row, up to {limit} "
                "characters in all. Then press «Save». The document prints it as you write it."
            ).format(limit=_characters(MAX_NOTE))
        )
        await state.set_state(NotesForm.text)
        await state.update_data(
            roadmap_id=roadmap.id, section=section, year=year, version=current.version, parts=[]
        )
        rows = [_button(_("Keep it as it is"), roadmap.id, section, "keep", year, current)]
        if current.text:
            rows.append(
                _button(
                    _("Clear: leave the section out"), roadmap.id, section, "clear", year, current
                )
            )
        keyboard = InlineKeyboardMarkup(inline_keyboard=rows)
    await _send(message, "\n\n".join(texts), keyboard)


def _button(
    text: str, roadmap_id: int, section: str, action: str, year: int, current: SavedText
) -> list[InlineKeyboardButton]:
    data = NotesCb(
        roadmap_id=roadmap_id, section=section, action=action, year=year, version=current.version
    )
    return [InlineKeyboardButton(text=text, callback_data=data.pack())]


async def _send(message: Message, text: str, keyboard: InlineKeyboardMarkup | None) -> None:
    """``text`` whole, in as many messages as it takes; the buttons under the last."""
    parts = split_text(text)
    for number, part in enumerate(parts, start=1):
        await message.answer(part, reply_markup=keyboard if number == len(parts) else None)


async def on_text(
    message: Message,
    person: Person,
    uow: UnitOfWork,
    clock: Clock,
    state: FSMContext,
) -> None:
    if refusal := await refuse_change(uow, clock, person, Command.MEASURES, "notes.text"):
        await state.clear()
        await message.answer(refusal)
        return
    data = await state.get_data()
    roadmap_id, section, year = data.get("roadmap_id"), data.get("section"), data.get("year")
    if not isinstance(roadmap_id, int) or section not in NOTE_SECTIONS or not isinstance(year, int):
        await state.clear()
        await message.answer(_stale())
        return
    parts = [part for part in data.get("parts", []) if isinstance(part, str)]
    piece = (message.text or "").strip()
    if not piece:
        return
    count = len("\n".join([*parts, piece]))
    seen = data.get("version")
    current = SavedText("", seen if isinstance(seen, int) else 0)
    keep = _button(_("Leave it as it was"), roadmap_id, section, "keep", year, current)
    save = _button(_("Save"), roadmap_id, section, "save", year, current)
    if count > MAX_NOTE:
        if parts:
            reply = _(
                "With this message the text would have {count} characters, and the section "
                "holds up to {limit}. This message was not added. Send a shorter one, or press "
                "«Save» to keep what came before it."
            )
        else:
            reply = _(
                "The text has {count} characters, and the section holds up to {limit}. Please "
                "shorten it and send it again: nothing was saved yet."
            )
        await message.answer(
            reply.format(count=_characters(count), limit=_characters(MAX_NOTE)),
            reply_markup=InlineKeyboardMarkup(inline_keyboard=[save, keep] if parts else [keep]),
        )
        return
    parts.append(piece)
    await state.update_data(parts=parts)
    await message.answer(
        _(
            "Received: {count} characters of {limit}. If the text did not fit in one message, "
            "send the rest. When it is all here, press «Save»."
        ).format(count=_characters(count), limit=_characters(MAX_NOTE)),
        reply_markup=InlineKeyboardMarkup(inline_keyboard=[save, keep]),
    )


async def _save(
    message: Message,
    uow: UnitOfWork,
    clock: Clock,
    timezone: ZoneInfo,
    person: Person,
    roadmap: Roadmap,
    section: str,
    year: int,
    text: str,
    version: int,
) -> None:
    outcome = await save_note(
        uow,
        roadmap.id,
        year,
        section,
        text,
        seen_version=version,
        person_id=person.id,
        now=clock.now(),
    )
    if not outcome.saved:
        roadmap_id = roadmap.id  # the rollback expires every loaded row
        await uow.rollback()
        await _lost(message, timezone, roadmap_id, section, year, outcome.current, text)
        return
    uow.audit.add(at=clock.now(), action="notes.saved", person_id=person.id)
    await uow.commit()
    if not text:
        await message.answer(
            _("«{section}» is cleared: the document for {year} leaves it out.").format(
                section=section_title(section), year=year
            )
        )
        return
    await message.answer(
        _(
            "Saved: «{section}» of the report for {year} now has {count} characters. The "
            "document prints it: press the button below or send /export."
        ).format(section=section_title(section), year=year, count=_characters(len(text))),
        reply_markup=InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    InlineKeyboardButton(
                        text=_("Document (.docx)"),
                        callback_data=ExportCb(fmt="docx", roadmap_id=roadmap.id).pack(),
                    )
                ]
            ]
        ),
    )


async def _lost(
    message: Message,
    timezone: ZoneInfo,
    roadmap_id: int,
    section: str,
    year: int,
    current: SavedText,
    mine: str,
) -> None:
    """The later of two editors: who saved first, what the section says now, and her own
    text back to copy; a button to open the section again."""
    when = f"{current.at.astimezone(timezone):%d.%m.%Y %H:%M}" if current.at else "—"
    title = section_title(section)
    if current.by:
        told = _(
            "{name} changed «{section}» at {when}, while you were editing it, so your change "
            "was not saved."
        ).format(name=current.by, section=title, when=when)
    else:
        told = _(
            "«{section}» was changed at {when} on the server, while you were editing it, so "
            "your change was not saved."
        ).format(section=title, when=when)
    texts = [told, _now_reads(current)]
    texts.append(_("Your text:") + "\n" + mine if mine else _("You wanted to clear the section."))
    texts.append(_("Open the section again to change it."))
    again = NotesCb(roadmap_id=roadmap_id, section=section, action="open", year=year)
    await _send(
        message,
        "\n\n".join(texts),
        InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text=title, callback_data=again.pack())]]
        ),
    )
