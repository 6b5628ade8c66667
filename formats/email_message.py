"""An e-mail as people's mail programs expect it: the same content as plain text and as HTML,
an inline image, attachments, and the headers that make «Отписаться» work.

The content is a list of blocks, rendered twice; user text (measure titles, names) is escaped
in the HTML part here, in one place, never interpreted.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid, parseaddr


@dataclass(frozen=True, slots=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    strong: bool = False


@dataclass(frozen=True, slots=True)
class Bullets:
    title: str
    items: Sequence[str]


@dataclass(frozen=True, slots=True)
class Links:
    items: Sequence[Link]


@dataclass(frozen=True, slots=True)
class Image:
    """An image shown in the HTML part (the text part says what it shows)."""

    content_id: str  # without the angle brackets
    data: bytes
    alt: str


Block = Paragraph | Bullets | Links | Image


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    data: bytes
    maintype: str
    subtype: str


@dataclass(frozen=True, slots=True)
class Letter:
    subject: str
    blocks: Sequence[Block]
    footer: Sequence[Block] = ()
    attachments: Sequence[Attachment] = field(default_factory=tuple)
    language: str = "ru"


@dataclass(frozen=True, slots=True)
class Envelope:
    sender: str  # «Управление образования <bot@edu.example.ru>» or a bare address
    to: str
    unsubscribe_url: str | None = None
    reply_to: str | None = None  # the coordinator: a head's reply reaches a person


XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def compose(letter: Letter, envelope: Envelope, now: datetime) -> bytes:
    """The whole message, ready for SMTP (CRLF line ends, encoded headers)."""
    message = EmailMessage(policy=SMTP)
    message["Subject"] = letter.subject
    message["From"] = _address(envelope.sender)
    message["To"] = envelope.to
    message["Date"] = format_datetime(now)
    if envelope.reply_to:
        message["Reply-To"] = _address(envelope.reply_to)
    domain = parseaddr(envelope.sender)[1].rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(domain=domain)
    # RFC 3834: an automatic message, so out-of-office replies do not answer it.
    message["Auto-Submitted"] = "auto-generated"
    if envelope.unsubscribe_url:
        # RFC 2369 and RFC 8058: mail programs show their own «Отписаться» button.
        message["List-Unsubscribe"] = f"<{envelope.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    blocks = [*letter.blocks, *letter.footer]
    message.set_content(plain_text(letter.blocks, letter.footer))
    message.add_alternative(
        html_text(letter.blocks, letter.footer, letter.language), subtype="html"
    )
    html_part = message.get_body(("html",))
    assert isinstance(html_part, EmailMessage)
    for block in blocks:
        if isinstance(block, Image):
            html_part.add_related(
                block.data, "image", "png", cid=f"<{block.content_id}>", filename=None
            )
    for attachment in letter.attachments:
        message.add_attachment(
            attachment.data,
            maintype=attachment.maintype,
            subtype=attachment.subtype,
            filename=attachment.filename,
        )
    # After the content: setting the content drops every Content-* header set before.
    message["Content-Language"] = letter.language
    return message.as_bytes()


def _address(sender: str) -> str | Address:
    name, address = parseaddr(sender)
    if not address or "@" not in address:
        return sender
    user, _, domain = address.rpartition("@")
    return Address(display_name=name, username=user, domain=domain)


def plain_text(blocks: Sequence[Block], footer: Sequence[Block]) -> str:
    parts = [_plain(block) for block in blocks]
    if footer:
        parts.append("—")
        parts.extend(_plain(block) for block in footer)
    return "\n\n".join(part for part in parts if part) + "\n"


def _plain(block: Block) -> str:
    if isinstance(block, Paragraph):
        return block.text
    if isinstance(block, Bullets):
        return "\n".join([block.title, *(f"• {item}" for item in block.items)])
    if isinstance(block, Links):
        return "\n".join(f"{link.label}: {link.url}" for link in block.items)
    return f"[{block.alt}]"


def html_text(blocks: Sequence[Block], footer: Sequence[Block], language: str) -> str:
    body = "".join(_html(block) for block in blocks)
    if footer:
        body += '<hr style="border:none;border-top:1px solid #ccc">'
        body += '<div style="color:#666;font-size:13px">'
        body += "".join(_html(block) for block in footer) + "</div>"
    return (
        f'<!DOCTYPE html><html lang="{html.escape(language)}"><head><meta charset="utf-8">'
        '</head><body style="font-family:Arial,sans-serif;font-size:15px;line-height:1.4">'
        f"{body}</body></html>"
    )


def _html(block: Block) -> str:
    if isinstance(block, Paragraph):
        text = _lines(block.text)
        return f"<p><b>{text}</b></p>" if block.strong else f"<p>{text}</p>"
    if isinstance(block, Bullets):
        items = "".join(f"<li>{_lines(item)}</li>" for item in block.items)
        return f"<p><b>{_lines(block.title)}</b></p><ul>{items}</ul>"
    if isinstance(block, Links):
        return "".join(
            f'<p>{html.escape(link.label)}: <a href="{html.escape(link.url, quote=True)}">'
            f"{html.escape(link.url)}</a></p>"
            for link in block.items
        )
    return (
        f'<p><img src="cid:{html.escape(block.content_id, quote=True)}" '
        f'alt="{html.escape(block.alt, quote=True)}" style="max-width:100%"></p>'
    )


def _lines(text: str) -> str:
    return "<br>".join(html.escape(line) for line in text.split("\n"))
