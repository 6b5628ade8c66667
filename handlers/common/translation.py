"""Texts shown both in the chat and by the command line.

While the bot runs they are translated by aiogram's I18n, in the reader's language. A command
such as ``roadmap-bot import`` must not load aiogram (it takes a second to import), so it
translates with the standard library's gettext and the same compiled catalogs.
"""

from __future__ import annotations

import gettext as stdlib_gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

_catalog: ContextVar[stdlib_gettext.NullTranslations | None] = ContextVar(
    "command_line_catalog", default=None
)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, don't translate"
    return message


def gettext(message: str) -> str:
    catalog = _catalog.get()
    if catalog is not None:
        return catalog.gettext(message)
    from aiogram.utils.i18n import gettext as chat_gettext  # the bot's runtime has it loaded

    return chat_gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    catalog = _catalog.get()
    if catalog is not None:
        return catalog.ngettext(singular, plural, count)
    from aiogram.utils.i18n import ngettext as chat_ngettext

    return chat_ngettext(singular, plural, count)


@contextmanager
def command_line_locale(locale: str, locales_dir: Path, domain: str) -> Iterator[None]:
    catalog = stdlib_gettext.translation(domain, locales_dir, languages=[locale], fallback=True)
    token = _catalog.set(catalog)
    try:
        yield
    finally:
        _catalog.reset(token)
