"""Private chats only: a command typed into a group, in Telegram or MAX, through the real
Dispatcher, is answered one polite line and changes nothing (issue 26, finding 7).

The stand-ins have no group chats, so the group's updates are fed to the running bot's
Dispatcher with a bot whose session records what would have been sent."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.methods import AnswerCallbackQuery, SendMessage, TelegramMethod
from aiogram.types import Chat, Message, Update
from sqlalchemy import select

from domain.messengers import (
    MAX_OFFSET,
    Messenger,
    is_group_address,
    max_group_address,
    messenger_of,
    native_id,
)
from domain.roles import Role
from messengers.max.convert import convert_update
from storage.models import ConversationState, Invitation, Person
from tests.conftest import RunningBot
from tests.support import audit_actions, row_counts

GROUP = -1001234567890  # a Telegram supergroup's id
POLITE = "только в личной переписке"


class RecordingSession(BaseSession):
    """What the bot would send, kept instead of sent."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[TelegramMethod[Any]] = []

    async def close(self) -> None:
        return None

    async def make_request(
        self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None
    ) -> Any:
        self.calls.append(method)
        chat_id = getattr(method, "chat_id", None)
        if isinstance(chat_id, int):
            chat = Chat(id=chat_id, type="group" if chat_id < 0 else "private")
            return Message(message_id=len(self.calls), date=datetime.now(UTC), chat=chat)
        return True

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        raise NotImplementedError  # nothing in a group is downloaded
        yield b""


def recorder() -> tuple[Bot, RecordingSession]:
    session = RecordingSession()
    return Bot("42:recording", session=session), session


def group_command(user_id: int, text: str, chat_id: int = GROUP, update_id: int = 9001) -> Update:
    command = text.split()[0]
    return Update.model_validate(
        {
            "update_id": update_id,
            "message": {
                "message_id": 7,
                "date": 0,
                "chat": {"id": chat_id, "type": "supergroup", "title": "Руководители ОО"},
                "from": {"id": user_id, "is_bot": False, "first_name": "Анна"},
                "text": text,
                "entities": [{"type": "bot_command", "offset": 0, "length": len(command)}],
            },
        }
    )


def texts(session: RecordingSession) -> list[tuple[int | str, str]]:
    return [(c.chat_id, c.text) for c in session.calls if isinstance(c, SendMessage)]


async def test_a_coordinators_digest_typed_into_a_group_posts_nothing_there(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    anna = await bot.join_as("Анна", "Антипина Анна Михайловна", Role.COORDINATOR, "УО УКМО")
    before = await row_counts(bot.session_factory)
    audit_before = await audit_actions(bot.session_factory)
    fake, session = recorder()

    await bot.app.dispatcher.feed_update(fake, group_command(anna.id, "/digest"))

    assert [type(c).__name__ for c in session.calls] == ["SendMessage"]  # no chart, no digest
    ((chat, text),) = texts(session)
    assert chat == GROUP and POLITE in text
    assert await row_counts(bot.session_factory) == before
    assert await audit_actions(bot.session_factory) == audit_before


async def test_an_invitation_opened_in_a_group_joins_no_one_and_is_still_usable(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    token = await bot.invite("Иванова Мария Петровна", Role.RESPONSIBLE, "СОШ № 1")
    before = await row_counts(bot.session_factory)
    fake, session = recorder()

    await bot.app.dispatcher.feed_update(fake, group_command(555_001, f"/start {token}"))
    await bot.app.dispatcher.feed_update(
        fake, group_command(555_001, "просто разговор в группе", update_id=9002)
    )

    ((chat, text),) = texts(session)  # the chatter after it gets nothing
    assert chat == GROUP and POLITE in text
    assert await row_counts(bot.session_factory) == before
    async with bot.session_factory() as db:
        assert (await db.scalars(select(ConversationState))).all() == []
        (invitation,) = (await db.scalars(select(Invitation))).all()
        assert invitation.used_at is None
    # The person opens it where it belongs, in her own chat, and her chat is the one kept.
    maria = bot.user("Мария")
    welcome = await maria.ask(f"/start {token}")
    assert "Вы подключились к боту" in welcome["text"]
    async with bot.session_factory() as db:
        (person,) = (await db.scalars(select(Person))).all()
    assert person.chat_address == maria.id


async def test_a_button_pressed_in_a_group_is_refused_with_an_alert(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    anna = await bot.join_as("Анна", "Антипина Анна Михайловна", Role.COORDINATOR, "УО УКМО")
    before = await row_counts(bot.session_factory)
    fake, session = recorder()
    press = Update.model_validate(
        {
            "update_id": 9003,
            "callback_query": {
                "id": "cb-1",
                "from": {"id": anna.id, "is_bot": False, "first_name": "Анна"},
                "chat_instance": "x",
                "data": "v1rep:1:done",
                "message": {
                    "message_id": 3,
                    "date": 0,
                    "chat": {"id": GROUP, "type": "supergroup", "title": "Руководители ОО"},
                    "text": "…",
                },
            },
        }
    )

    await bot.app.dispatcher.feed_update(fake, press)

    (answer,) = session.calls
    assert isinstance(answer, AnswerCallbackQuery) and POLITE in (answer.text or "")
    assert await row_counts(bot.session_factory) == before


async def test_a_command_in_a_max_group_is_answered_in_that_group_and_changes_nothing(
    two_messenger_bot: RunningBot,
) -> None:
    bot = two_messenger_bot
    maria = await bot.join_in_max("Мария", "Иванова Мария Петровна", Role.RESPONSIBLE, "СОШ № 1")
    before = await row_counts(bot.session_factory)
    raw = {
        "update_type": "message_created",
        "timestamp": 1_775_000_000_000,
        "user_locale": "ru",
        "message": {
            "sender": {"user_id": maria.id, "first_name": "Мария", "is_bot": False},
            "recipient": {"chat_id": -68_000_123, "chat_type": "chat"},
            "timestamp": 1_775_000_000_000,
            "body": {"mid": "mid.group.1", "seq": 11, "text": "/report"},
        },
    }
    converted = convert_update(raw, 9004)
    assert converted is not None
    update = Update.model_validate(converted.update)
    assert update.message is not None and update.message.chat.type == "group"
    fake, session = recorder()

    await bot.app.dispatcher.feed_update(fake, update)

    ((chat, text),) = texts(session)
    assert POLITE in text
    assert isinstance(chat, int) and chat == max_group_address(-68_000_123)
    assert await row_counts(bot.session_factory) == before


def test_a_max_group_address_says_max_and_gives_back_the_groups_own_id() -> None:
    address = max_group_address(-68_000_123)
    assert is_group_address(address) and address <= -MAX_OFFSET
    assert messenger_of(address) is Messenger.MAX
    assert native_id(address) == -68_000_123
    assert messenger_of(GROUP) is Messenger.TELEGRAM and native_id(GROUP) == GROUP
