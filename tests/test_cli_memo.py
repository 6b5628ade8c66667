"""``roadmap-bot memo --out DIR``: the heads' памятка with each one's own links (MAX first) and
the coordinator's guide, written to the folder; the links are invitations kept in the database."""

from __future__ import annotations

import asyncio
import io
import re
from pathlib import Path

import docx
import pytest
from sqlalchemy import select

from bot.settings import load_settings
from cli.memo import run_memo
from domain.invitations import token_digest
from domain.roles import Role
from storage.engine import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.models import Invitation
from storage.unit_of_work import UnitOfWork
from storage.usecases.invitations import issue_invitation
from tests.support import MutableClock


async def _database(url: str) -> None:
    engine = create_engine(url)
    await upgrade(engine)
    async with create_session_factory(engine)() as session:
        uow = UnitOfWork(session)
        await issue_invitation(
            uow,
            full_name="Иванова Мария Петровна",
            role=Role.RESPONSIBLE,
            organisation="МОУ СОШ № 1",
            now=MutableClock().now(),
        )
        await uow.commit()
    await engine.dispose()


async def _kept(url: str, token: str) -> bool:
    engine = create_engine(url)
    async with create_session_factory(engine)() as session:
        found = await session.scalar(
            select(Invitation.id).where(Invitation.token_digest == token_digest(token))
        )
    await engine.dispose()
    return found is not None


def test_memo_writes_both_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
    asyncio.run(_database(url))
    monkeypatch.setenv("DB__URL", url)
    monkeypatch.setenv("BOT__USERNAME", "uo_roadmap_bot")
    monkeypatch.setenv("MAX__USERNAME", "uo_roadmap")
    monkeypatch.setenv("MAX__ENABLED", "true")
    out = tmp_path / "памятки"

    assert asyncio.run(run_memo(load_settings(), out)) == 0

    heads = docx.Document(io.BytesIO((out / "Памятка руководителю ОО.docx").read_bytes()))
    text = "\n".join(p.text for p in heads.paragraphs)
    assert "Иванова Мария Петровна" in text
    assert text.index("MAX: https://max.ru/uo_roadmap?start=") < text.index(
        "Telegram: https://t.me/uo_roadmap_bot?start="
    )
    token = re.search(r"t\.me/uo_roadmap_bot\?start=(\S+)", text)
    assert token is not None and asyncio.run(_kept(url, token[1]))
    assert (out / "Памятка координатора.docx").stat().st_size > 0
