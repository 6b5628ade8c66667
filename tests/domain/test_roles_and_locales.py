from __future__ import annotations

from domain.locales import pick_locale
from domain.roles import Command, Role, commands_for, may_use


def test_only_the_coordinator_may_invite() -> None:
    assert may_use(Role.COORDINATOR, Command.INVITE)
    assert not may_use(Role.RESPONSIBLE, Command.INVITE)
    assert not may_use(Role.OBSERVER, Command.INVITE)
    assert not may_use(None, Command.INVITE)


def test_strangers_may_only_start_and_ask_for_help() -> None:
    assert commands_for(None) == (Command.START, Command.HELP)


def test_every_member_can_change_language() -> None:
    assert all(may_use(role, Command.LANG) for role in Role)


def test_the_chosen_language_wins_and_otherwise_russian() -> None:
    assert pick_locale("en", "ru") == "en"
    assert pick_locale(None, "ru") == "ru"
    assert pick_locale("xx", "ru") == "ru"
