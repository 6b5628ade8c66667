"""Print what happens in the stand-in as a chat transcript a person can read."""

from __future__ import annotations

import textwrap

from standin.world import Happenings, JournalEntry, World

INDENT = "      "


class Transcript:
    current_step = "before the first step"

    def __init__(self, world: World) -> None:
        self._names: dict[tuple[str, int], str] = {}
        self.watch(world, "Telegram")

    def watch(self, world: Happenings, messenger: str) -> None:
        """Print what happens in ``world`` too (the MAX stand-in beside Telegram's)."""
        world.listeners.append(lambda entry: self._on_entry(entry, messenger))

    def name(self, chat_id: int, label: str, messenger: str = "Telegram") -> None:
        self._names[(messenger, chat_id)] = label

    @staticmethod
    def step(title: str) -> None:
        Transcript.current_step = title  # named again when the demo fails
        print(f"\n── {title} " + "─" * max(0, 70 - len(title)), flush=True)

    @staticmethod
    def note(text: str) -> None:
        print(textwrap.indent(text, "   "), flush=True)

    def _who(self, chat_id: int | None, messenger: str) -> str:
        return self._names.get((messenger, chat_id or 0), str(chat_id))

    def _on_entry(self, entry: JournalEntry, messenger: str) -> None:
        who = self._who(entry.chat_id, messenger)
        if entry.kind == "user_text":
            print(f"👤 {who}: {entry.text}")
        elif entry.kind == "user_file":
            print(f"👤 {who}: 📎 {entry.text}")
        elif entry.kind == "press":
            print(f"👤 {who} presses [{entry.text}]")
        elif entry.kind in ("bot_text", "edit"):
            marker = "🤖 ✎" if entry.kind == "edit" else "🤖"
            print(f"{marker} → {who}:")
            print(textwrap.indent(entry.text, INDENT))
            buttons = _buttons(entry.extra.get("markup"))
            if buttons:
                print(INDENT + "  ".join(f"[{b}]" for b in buttons))
        elif entry.kind == "bot_file":
            print(
                f"🤖 → {who}: 📎 {entry.extra.get('file_name')} ({entry.extra.get('size')} bytes)"
            )
            if entry.text:
                print(textwrap.indent(entry.text, INDENT))
        elif entry.kind == "alert":
            print(f"🤖 ⚠ pop-up for {who}: {entry.text}")
        elif entry.kind == "commands" and entry.chat_id is not None:
            print(f"☰ {who}'s command menu is now: {entry.text}")
        elif entry.kind == "error":
            print(f"⚡ {messenger} said to the bot: {entry.text}")


def _buttons(markup: object) -> list[str]:
    if not isinstance(markup, dict):
        return []
    return [button["text"] for row in markup.get("inline_keyboard", []) for button in row]
