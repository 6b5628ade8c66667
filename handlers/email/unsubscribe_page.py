"""The web page an unsubscribe link opens, in its reader's language. The link itself changes
nothing (mail scanners open links); the button on the page, or a mail program's one-click
«Отписаться» (RFC 8058, a POST), does."""

from __future__ import annotations

import html

from aiogram.utils.i18n import gettext as _

UNSUBSCRIBE = "unsubscribe"
SUBSCRIBE = "subscribe"


def email_page(*, subscribed: bool, changed: bool, language: str) -> str:
    """``subscribed``: the person's setting now; ``changed``: it was just changed."""
    if subscribed:
        heading = (
            _("E-mails are back on.")
            if changed
            else _("Unsubscribe from the roadmap bot's e-mails?")
        )
        text = _(
            "You get reminders of your roadmap deadlines by e-mail while you are not in the "
            "bot's chat, and the weekly digest if you asked for it."
        )
        action, label = UNSUBSCRIBE, _("Unsubscribe")
    else:
        heading = _("You have unsubscribed.") if changed else _("You are unsubscribed.")
        text = _(
            "The bot sends you no more e-mail. Reminders still come in the messenger once you "
            "join; the coordinator sees that e-mail is off for you."
        )
        action, label = SUBSCRIBE, _("Get e-mails again")
    return (
        f'<!DOCTYPE html><html lang="{html.escape(language)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(heading)}</title></head>"
        '<body style="font-family:Arial,sans-serif;max-width:36em;margin:2em auto;padding:0 1em">'
        f'<h1 style="font-size:1.3em">{html.escape(heading)}</h1><p>{html.escape(text)}</p>'
        f'<form method="post"><input type="hidden" name="action" value="{action}">'
        f'<button type="submit" style="font-size:1em;padding:.5em 1em">{html.escape(label)}'
        "</button></form></body></html>"
    )
