"""``roadmap-bot person export`` / ``forget``: one person's data written out, then removed
from the database file, the evidence store and the logs; the school's reports stay."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiogram.fsm.storage.base import DefaultKeyBuilder, StorageKey
from aiogram.fsm.storage.redis import RedisStorage
from sqlalchemy import select, update

from bot.redis_conversations import forget_conversations, is_conversation_of
from bot.settings import RedisSection, Settings
from cli.person import run_person
from demo.documents import seed_document, to_docx
from domain.roles import Role
from standin import StandInServer
from storage.models import ConversationState, EmailMessage, Person, StatusReport
from storage.usecases.personal_data import FORGOTTEN_NAME
from tests.conftest import make_settings, start_bot
from tests.replicas import REDIS_URL
from tests.support import MutableClock

NAME = "Иванова Мария Петровна"
EMAIL = "ivanova.m@school1.example.ru"
PHONE = "+7 914 000-11-22"


def args(command: str, name: str, **more: object) -> argparse.Namespace:
    given = {"person_command": command, "name": name, "id": None, "out": None} | more
    return argparse.Namespace(**given)


async def test_forgotten_means_found_nowhere_and_the_report_stays(
    standin: StandInServer,
    clock: MutableClock,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.INFO)  # the level the bot runs at (LOG_LEVEL)
    database = tmp_path / "roadmap.sqlite3"
    settings: Settings = make_settings(
        standin, f"sqlite+aiosqlite:///{database}", tmp_path / "evidence"
    )
    async with start_bot(standin, settings, clock) as bot:
        coordinator = await bot.join_as("Анна", "Антипина Анна Михайловна", Role.COORDINATOR, "УО")
        maria = await bot.join_as("Мария", NAME, Role.RESPONSIBLE, "СОШ № 1")
        await coordinator.upload(to_docx(seed_document("ust_kut")), "карта.docx")
        await coordinator.next_message()
        await coordinator.press("Подтвердить")
        await coordinator.next_message()
        bot.clock.set(datetime(2026, 4, 3, 2, 0, tzinfo=UTC))
        await maria.next_message(timeout=15)
        await maria.press("Выполнено")
        await maria.next_message()
        await maria.ask("Дорожная карта направлена в УО")
        await maria.upload(b"%PDF-1.4 school roadmap", "Дорожная карта.pdf", "application/pdf")
        await maria.next_message()
        await maria.press("Сохранить")
        await maria.next_message()
        async with bot.session_factory() as session:
            await session.execute(
                update(Person).where(Person.full_name == NAME).values(email=EMAIL, phone=PHONE)
            )
            (person_id,) = await session.scalars(select(Person.id).where(Person.full_name == NAME))
            session.add(  # a conversation left half-way, as the bot keeps it
                ConversationState(
                    key=f"fsm:1:{maria.id}:{maria.id}:default",
                    state="Report:text",
                    data={"draft": f"{NAME}, {PHONE}"},
                    updated_at=clock.now(),
                )
            )
            session.add(
                EmailMessage(
                    person_id=person_id,
                    kind="daily",
                    key=f"daily:{person_id}:2026-04-03",
                    to_address=EMAIL,
                    subject=f"{NAME}: сроки",
                    message=f"To: {EMAIL}\n\nЗдравствуйте, {NAME}!".encode(),
                    state="sent",
                    next_attempt_at=clock.now(),
                    created_at=clock.now(),
                )
            )
            await session.commit()
    messenger_ids = {str(maria.id)}  # a private chat's id is the user's

    # Export: everything, readable.
    out = tmp_path / "export.json"
    assert await run_person(settings, args("export", "иванова мария", out=out)) == 0
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert exported["person"]["full_name"] == NAME and exported["person"]["email"] == EMAIL
    assert exported["person"]["phone"] == PHONE
    assert exported["messenger_accounts"][0]["user_id"] == maria.id
    assert exported["reports"][0]["text"] == "Дорожная карта направлена в УО"
    assert exported["emails"][0]["to"] == EMAIL
    assert exported["conversation_state"]
    out.unlink()

    assert await run_person(settings, args("forget", NAME)) == 0
    assert "their reports stay with their school" in capsys.readouterr().out

    secrets = [NAME, "Иванова", EMAIL, PHONE, *messenger_ids]
    stored = [database, *database.parent.glob("roadmap.sqlite3-*")]
    stored += [p for p in (tmp_path / "evidence").rglob("*") if p.is_file()]
    for path in stored:
        content = path.read_bytes()
        for secret in secrets:
            assert secret.encode() not in content, (secret, path.name)
    logs = caplog.text + "\n".join(str(r.__dict__) for r in caplog.records)
    for secret in secrets:
        assert secret not in logs, secret

    # The school's report stays, with its file, attributed to a person who is no one.
    async with start_bot(standin, settings, clock) as bot:
        async with bot.session_factory() as session:
            (report,) = await session.scalars(select(StatusReport))
            author = await session.get(Person, report.person_id)
        assert report.text == "Дорожная карта направлена в УО" and report.evidence_sha256
        assert author is not None and author.full_name == FORGOTTEN_NAME
        assert author.organisation_id is not None and not author.is_active
        answer = await maria.ask("/start")  # her old account is a stranger now
        assert "Иванова" not in str(answer.get("text"))


async def test_a_name_of_two_people_asks_which_and_changes_nothing(
    standin: StandInServer,
    clock: MutableClock,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings = make_settings(
        standin, f"sqlite+aiosqlite:///{tmp_path / 'roadmap.sqlite3'}", tmp_path / "evidence"
    )
    async with start_bot(standin, settings, clock) as bot:
        await bot.invite("Иванова Мария Петровна", Role.RESPONSIBLE, "СОШ № 1")
        await bot.invite("Иванова Мария Сергеевна", Role.RESPONSIBLE, "СОШ № 5")
    capsys.readouterr()
    assert await run_person(settings, args("forget", "Иванова Мария")) == 2
    error = capsys.readouterr().err
    assert "matches 2 people; nothing was changed" in error
    assert "Иванова Мария Петровна (responsible, СОШ № 1)" in error
    assert "Иванова Мария Сергеевна (responsible, СОШ № 5)" in error
    chosen = int(error.split("--id ")[3].split()[0])  # the second one listed
    assert await run_person(settings, args("forget", "Иванова Мария", id=chosen)) == 0
    async with start_bot(standin, settings, clock) as bot, bot.session_factory() as session:
        names = sorted(await session.scalars(select(Person.full_name)))
    assert names == [FORGOTTEN_NAME, "Иванова Мария Петровна"]


@pytest.mark.skipif(not REDIS_URL, reason="needs Redis: make test sets TEST_REDIS_URL")
async def test_forget_removes_the_conversation_kept_in_redis(tmp_path: Path) -> None:
    """With several replicas the conversation lives in Redis, not the database: a head's
    half-written report there goes with the rest of her data; another head's stays."""
    prefix = f"forget-test-{tmp_path.name}"
    section = RedisSection(url=REDIS_URL, prefix=prefix)
    storage = RedisStorage.from_url(
        REDIS_URL, key_builder=DefaultKeyBuilder(prefix=prefix, with_destiny=True)
    )
    maria, other = StorageKey(7, 5001, 5001), StorageKey(7, 5002, 5002)
    try:
        for key in (maria, other):
            await storage.set_state(key, "Report:text")
            await storage.set_data(key, {"draft": f"{NAME}, {PHONE}"})
        assert await forget_conversations(section, {5001}) == 2  # its state and its data
        assert await storage.get_state(maria) is None and await storage.get_data(maria) == {}
        assert await storage.get_state(other) == "Report:text"
    finally:
        await storage.set_state(other, None)
        await storage.set_data(other, {})
        await storage.close()


def test_no_redis_configured_means_nothing_to_forget_there() -> None:
    assert asyncio.run(forget_conversations(RedisSection(), {5001})) == 0
    assert is_conversation_of("roadmap:5001:5001:default:state", "roadmap", {5001})
    assert not is_conversation_of("roadmap:5002:5002:default:state", "roadmap", {5001})
    assert not is_conversation_of("other:5001:5001:default:state", "roadmap", {5001})
