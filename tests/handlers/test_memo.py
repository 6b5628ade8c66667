"""/memo: a page per school head with their own links (MAX first, with the button each
messenger shows), a link that really lets that head in, the coordinator's guide; refused to a
head. ``roadmap-bot memo`` writes the same files (tests/test_cli_memo.py is its process test)."""

from __future__ import annotations

import io
import re

import docx

from domain.roles import Role
from tests.conftest import RunningBot
from tests.handlers.test_digest_export import next_with


def _text(bot: RunningBot, message: dict[str, object]) -> tuple[str, str]:
    document = message["document"]
    assert isinstance(document, dict)
    content = bot.world.files[document["file_id"]].content
    body = docx.Document(io.BytesIO(content))
    return str(document["file_name"]), "\n".join(p.text for p in body.paragraphs)


async def test_each_head_gets_a_page_with_links_that_work(two_messenger_bot: RunningBot) -> None:
    bot = two_messenger_bot
    anna = await bot.join_as("Анна", "Антипина Анна Михайловна", Role.COORDINATOR, "УО УКМО")
    await bot.join_as("Пётр", "Петров Пётр Петрович", Role.RESPONSIBLE, "МОУ СОШ № 2")
    await bot.invite("Иванова Мария Петровна", Role.RESPONSIBLE, "МОУ СОШ № 1")

    await anna.send("/memo")
    heads = await next_with(anna, "document")
    name, text = _text(bot, heads)
    assert name == "Памятка руководителю ОО.docx"
    assert "личными ссылками" in str(heads["caption"])
    assert text.count("Памятка руководителю образовательной организации") == 2
    assert "Иванова Мария Петровна" in text and "МОУ СОШ № 1" in text
    assert "Вы уже подключены" in text  # Пётр joined: no link for him
    # MAX first, each with the button its messenger shows.
    max_at, telegram_at = text.index("MAX: https://max.ru/"), text.index("Telegram: https://t.me/")
    assert max_at < telegram_at
    assert "нажмите «Начать»" in text and "нажмите «Запустить»" in text
    assert "По вопросам: Антипина Анна Михайловна" in text

    guide = await next_with(anna, "document")
    name, text = _text(bot, guide)
    assert name == "Памятка координатора.docx"
    assert "Загрузите дорожную карту" in text and "/export" in text
    assert "Когда меняются люди" in text and "передать свою роль" in text

    # Мария's own link lets her in.
    token = re.search(r"t\.me/\S+\?start=(\S+)", text_of_heads := _text(bot, heads)[1])
    assert token is not None, text_of_heads
    maria = bot.user("Мария")
    welcome = await maria.ask(f"/start {token[1]}")
    assert "Мария Петровна" in str(welcome["text"]) or "Иванова" in str(welcome["text"])


async def test_a_head_cannot_have_the_memo(running_bot: RunningBot) -> None:
    head = await running_bot.join_as("Пётр", "Петров Пётр Петрович", Role.RESPONSIBLE, "СОШ 2")
    reply = await head.ask("/memo")
    assert "координатор" in str(reply["text"])
    assert "document" not in reply


async def test_no_heads_yet_still_gives_the_coordinators_guide(running_bot: RunningBot) -> None:
    anna = await running_bot.join_as("Анна", "Антипина Анна", Role.COORDINATOR, "УО")
    reply = await anna.ask("/memo")
    assert "пока нет руководителей школ" in str(reply["text"])
    name, _ = _text(running_bot, await next_with(anna, "document"))
    assert name == "Памятка координатора.docx"
