"""Invitation links: MAX first wherever both messengers are offered (the schools moved there)."""

from __future__ import annotations

from bot.join_links import BotNames
from handlers.common.join_links import links_text


def test_max_comes_before_telegram_in_every_invitation() -> None:
    links = BotNames(telegram="roadmap_bot", max="roadmap_max_bot").links("TOKEN")

    assert [link.messenger for link in links] == ["MAX", "Telegram"]
    text = links_text(links)
    assert text.index("MAX: https://max.ru/") < text.index("Telegram: https://t.me/")
