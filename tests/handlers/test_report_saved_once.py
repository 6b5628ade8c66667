"""«Сохранить» saves one report however often it arrives. When the process dies after the
report's commit but before its conversation is ended (the conversation's row is written after
the handler), the press comes again — delivered again, or pressed again by a head who saw no
answer — and finds its report saved: one report, and the head is told it is saved.

The crash is stood in for here by losing the conversation's last write; the real ``kill -9``,
twenty times, is ``tests/e2e/test_crash_report_process.py``."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from bot import conversation_store
from demo.documents import seed_document, to_docx
from domain.roles import Role
from storage.models import StatusReport
from tests.conftest import RunningBot


async def test_save_pressed_again_after_a_lost_conversation_end_saves_one_report(
    running_bot: RunningBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = running_bot
    anna = await bot.join_as("Анна", "Антипина Анна Михайловна", Role.COORDINATOR, "УО")
    maria = await bot.join_as("Мария", "Иванова Мария Петровна", Role.RESPONSIBLE, "СОШ № 1")
    await anna.upload(to_docx(seed_document("ust_kut")), "карта.docx")
    await anna.next_message()
    await anna.press("Подтвердить")
    await anna.next_message()
    bot.clock.set(datetime(2026, 4, 3, 2, 0, tzinfo=UTC))
    await maria.next_message(timeout=15)
    await maria.press("В работе")
    await maria.next_message()
    await maria.ask("Работа идёт")
    await maria.press("Без файла и ссылки")
    await maria.next_message()
    anna.skip_unread()

    async def lost(*_args: Any, **_kwargs: Any) -> None:
        """The process died before the conversation's end was written."""

    monkeypatch.setattr(conversation_store, "forget_conversation", lost)
    first = await maria.press("Сохранить")
    await maria.next_message()
    await anna.next_message()  # the handler's last word: its conversation is ended after it
    await asyncio.sleep(0.3)
    monkeypatch.undo()
    again = await maria.press("Сохранить")
    confirmation = await maria.next_message()

    async with bot.session_factory() as session:
        texts = list(await session.scalars(select(StatusReport.text)))
    assert texts == ["Работа идёт"]
    assert first["text"] == again["text"] == "Сохранено."
    assert "сохранён и отправлен координатору" in confirmation["text"]
    assert anna.unread() == []  # the coordinator is told of it once
