"""An e-mail composed and read back with the standard library's ``email`` package."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage

from formats.email_message import (
    XLSX,
    Attachment,
    Bullets,
    Envelope,
    Image,
    Letter,
    Link,
    Links,
    Paragraph,
    compose,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
NOW = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)


def parsed(data: bytes) -> EmailMessage:
    message = message_from_bytes(data, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def test_plain_and_html_carry_the_same_words_and_user_text_stays_text() -> None:
    letter = Letter(
        "Дорожная карта: 2 мероприятия",
        [
            Paragraph("Здравствуйте, <b>Мария</b> & коллеги!"),
            Bullets("Просрочено (1):", ["1.2 «Неделя» <script>alert(1)</script>"]),
            Links([Link("Telegram", "https://t.me/bot?start=abc&x=1")]),
        ],
        footer=[Paragraph("Отписаться можно в боте.")],
    )
    message = parsed(
        compose(letter, Envelope("Управление образования <bot@edu.ru>", "m@s.ru"), NOW)
    )

    assert message["Subject"] == "Дорожная карта: 2 мероприятия"
    assert message["From"].addresses[0].display_name == "Управление образования"
    assert message["To"] == "m@s.ru"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Message-ID"].endswith("@edu.ru>")
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None and html is not None
    text, markup = plain.get_content(), html.get_content()
    assert "<b>Мария</b> & коллеги" in text
    assert "• 1.2 «Неделя» <script>alert(1)</script>" in text
    assert "Telegram: https://t.me/bot?start=abc&x=1" in text
    assert "<script>" not in markup and "&lt;script&gt;" in markup
    assert "&lt;b&gt;Мария&lt;/b&gt; &amp; коллеги" in markup
    assert 'href="https://t.me/bot?start=abc&amp;x=1"' in markup
    assert "List-Unsubscribe" not in message  # no link given: the text says how instead


def test_the_chart_is_inline_the_report_attached_and_unsubscribe_in_the_headers() -> None:
    letter = Letter(
        "Сводка",
        [Paragraph("Сводка на 07.12.2026"), Image("chart@roadmap-bot", PNG, "Диаграмма")],
        attachments=[Attachment("Отчет о реализации.xlsx", b"PK\x03\x04data", *XLSX)],
    )
    url = "https://bot.example.ru/email/unsubscribe/TOKEN"
    message = parsed(compose(letter, Envelope("bot@edu.ru", "c@edu.ru", url), NOW))

    assert message["List-Unsubscribe"] == f"<{url}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = message.get_body(("related", "html"))
    assert html is not None and html.get_content_type() == "multipart/related"
    image = next(part for part in message.walk() if part.get_content_type() == "image/png")
    assert image["Content-ID"] == "<chart@roadmap-bot>"
    assert image.get_payload(decode=True) == PNG
    assert 'src="cid:chart@roadmap-bot"' in str(message.get_body(("html",)).get_content())  # type: ignore[union-attr]
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == "Отчет о реализации.xlsx"
    assert attachment.get_payload(decode=True) == b"PK\x03\x04data"
    assert "[Диаграмма]" in message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
