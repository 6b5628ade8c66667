"""Every user-visible string is translated, and none escapes gettext."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import LOCALES_DIR, build_i18n

ROOT = Path(__file__).resolve().parent.parent
PRODUCT_PACKAGES = (
    "bot",
    "cli",
    "messengers",
    "handlers",
    "scheduler",
    "storage",
    "formats",
    "domain",
)
KEYWORDS = {"_": None, "__": None, "N_": None, "lazy_gettext": None}
# Methods whose text argument reaches a person in Telegram.
SENDING_CALLS = {
    "answer",
    "reply",
    "send_message",
    "edit_text",
    "edit_message_text",
    "send_document",
}


def catalog(locale: str):  # type: ignore[no-untyped-def]
    with (LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=locale)


def source_msgids() -> set[str]:
    ids: set[str] = set()
    for package in PRODUCT_PACKAGES:
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / package, keywords=KEYWORDS
        ):
            ids.add(message if isinstance(message, str) else message[0])
    return ids


@pytest.mark.parametrize("locale", ["ru", "en"])
def test_catalog_is_complete_and_not_fuzzy(locale: str) -> None:
    entries = [message for message in catalog(locale) if message.id]
    untranslated = [m.id for m in entries if not _translated(m.string)]
    fuzzy = [m.id for m in entries if m.fuzzy]
    assert untranslated == [] and fuzzy == []


def _translated(string: object) -> bool:
    forms = string if isinstance(string, tuple) else (string,)
    return all(forms)


@pytest.mark.parametrize("locale", ["ru", "en"])
def test_catalog_covers_every_string_in_the_code(locale: str) -> None:
    known = {_key(message.id) for message in catalog(locale) if message.id}
    missing = source_msgids() - known
    assert missing == set(), "run `make locales` and translate the new entries"


def _key(message_id: object) -> str:
    return str(message_id[0] if isinstance(message_id, tuple) else message_id)


def test_placeholders_survive_translation() -> None:
    for message in catalog("ru"):
        if not message.id:
            continue
        source = _placeholders(_key(message.id))
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        for form in forms:
            assert source == _placeholders(str(form)), message.id


def _placeholders(text: str) -> set[str]:
    import re

    return set(re.findall(r"\{(\w+)\}", text))


def test_russian_is_really_russian() -> None:
    i18n = build_i18n("ru")
    assert i18n.gettext("Cancel", locale="ru") == "Отмена"
    assert i18n.gettext("Cancel", locale="en") == "Cancel"


def test_no_literal_text_is_sent_without_gettext() -> None:
    offenders: list[str] = []
    for package in ("handlers", "bot", "scheduler"):
        for path in (ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                    continue
                if node.func.attr not in SENDING_CALLS:
                    continue
                for argument in [*node.args, *(k.value for k in node.keywords if k.arg == "text")]:
                    if isinstance(argument, ast.Constant | ast.JoinedStr) and (
                        not isinstance(argument, ast.Constant) or isinstance(argument.value, str)
                    ):
                        offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
