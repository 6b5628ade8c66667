"""Case- and spacing-insensitive keys for names, computed in Python (SQLite's lower() is ASCII)."""

from __future__ import annotations


def name_key(name: str) -> str:
    return " ".join(name.replace("ё", "е").replace("Ё", "Е").lower().split())
