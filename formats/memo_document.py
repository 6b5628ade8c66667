"""One-page памятки as .docx: for each school head, their own links and what to press; for
the coordinator, what she does in the chat, in order. Portrait A4, large type: heads read it
on paper or on a phone.

The words arrive already in the reader's language; this module only lays them out.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import docx
import docx.document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Cm, Pt


@dataclass(frozen=True, slots=True)
class MemoLink:
    messenger: str  # «MAX», «Telegram»
    url: str
    press: str  # «нажмите «Начать»»


@dataclass(frozen=True, slots=True)
class HeadPage:
    """One head's page: their school, their name, their own links (none once joined)."""

    organisation: str
    full_name: str
    links: Sequence[MemoLink]
    joined_note: str | None  # said instead of links to someone already in the bot


@dataclass(frozen=True, slots=True)
class MemoTexts:
    title: str  # «Памятка руководителю образовательной организации»
    intro: str
    open_heading: str  # «1. Подключитесь к боту»
    steps: Sequence[str]  # the numbered steps after the links, whole sentences
    valid_until: str | None  # «Ссылки действуют до 06.01.2027 и только для вас.»
    contact: str  # «Вопросы: Антипина Анна Михайловна, +7 …»


def heads_memo(texts: MemoTexts, pages: Sequence[HeadPage]) -> bytes:
    document = _portrait_document()
    for index, page in enumerate(pages):
        if index:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _heading(document, texts.title)
        _line(document, page.organisation, bold=True, centred=True)
        _line(document, page.full_name, centred=True)
        document.add_paragraph()
        _line(document, texts.intro)
        _line(document, texts.open_heading, bold=True)
        if page.joined_note:
            _line(document, page.joined_note)
        for link in page.links:
            paragraph = document.add_paragraph(style="List Bullet")
            paragraph.add_run(f"{link.messenger}: ").bold = True
            paragraph.add_run(link.url)
            paragraph.add_run(f" — {link.press}")
        if page.links and texts.valid_until:
            _line(document, texts.valid_until, italic=True)
        for step in texts.steps:
            _line(document, step)
        document.add_paragraph()
        _line(document, texts.contact, italic=True)
    return _bytes(document)


def coordinator_memo(title: str, steps: Sequence[tuple[str, str]], closing: str) -> bytes:
    """``steps``: (what she does, how), in the order of her work."""
    document = _portrait_document()
    _heading(document, title)
    for number, (what, how) in enumerate(steps, start=1):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{number}. {what}").bold = True
        document.add_paragraph(how).paragraph_format.left_indent = Cm(0.6)
    document.add_paragraph()
    _line(document, closing, italic=True)
    return _bytes(document)


def _portrait_document() -> docx.document.Document:
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.0))
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    return document


def _heading(document: docx.document.Document, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = True
    run.font.size = Pt(15)


def _line(
    document: docx.document.Document,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    centred: bool = False,
) -> None:
    paragraph = document.add_paragraph()
    if centred:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = bold
    run.italic = italic


def _bytes(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
