"""Whether a name as a roadmap writes it («Парилов С.В.», «С.В. Парилов») is a person the bot
knows by their full name («Парилов Сергей Викторович»)."""

from __future__ import annotations

import re


def _norm(word: str) -> str:
    return word.replace("ё", "е").replace("Ё", "Е").lower()


def _parts(written: str) -> tuple[str, tuple[str, ...]] | None:
    """«Парилов С.В.» or «С.В. Парилов» → («парилов», («с», «в»)); anything else: ``None``."""
    words = written.replace(".", ". ").split()
    initials = [w for w in words if re.fullmatch(r"[А-ЯЁA-Z]\.", w)]
    others = [w for w in words if w not in initials]
    if len(others) != 1 or not 1 <= len(initials) <= 2:
        return None
    return _norm(others[0]), tuple(_norm(i[0]) for i in initials)


def same_person(written: str, full_name: str) -> bool:
    """«Парилов С.В.» is «Парилов Сергей Викторович»: the surname and every initial agree.
    A full name written out is compared whole, case and «ё» aside."""
    full = full_name.split()
    if not full:
        return False
    parts = _parts(written)
    if parts is None:
        return [_norm(w) for w in written.split()] == [_norm(w) for w in full]
    surname, initials = parts
    given = tuple(_norm(w[0]) for w in full[1:])
    return _norm(full[0]) == surname and given[: len(initials)] == initials
