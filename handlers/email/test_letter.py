"""The test e-mail of ``roadmap-bot email test``: its words without loading the chat's
machinery (the stdlib's gettext over the same catalogs), so a wrong setting is told at once."""

from __future__ import annotations

from formats.email_message import Letter, Paragraph
from handlers.common.translation import gettext as _


def test_letter(server: str, locale: str) -> Letter:
    return Letter(
        _("Roadmap bot: test e-mail"),
        [
            Paragraph(
                _(
                    "This e-mail was sent by «roadmap-bot email test» through {server}. If you "
                    "are reading it, the bot can send e-mail."
                ).format(server=server)
            )
        ],
        language=locale,
    )
