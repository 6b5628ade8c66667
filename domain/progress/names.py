"""Names as official documents print them: «А.М. Антипина» under a signature, «Антипина А.М.»
in a table's cell."""

from __future__ import annotations

import re

_COLUMN_LABEL = re.compile(r"^[^:\n]{1,40}:\s*")


def _parts(full_name: str) -> tuple[str, str]:
    words = full_name.split()
    if len(words) < 2 or any(word.endswith(".") for word in words[1:]):
        return full_name.strip(), ""  # one word, or already «Антипина А.М.»
    initials = "".join(f"{word[0]}." for word in words[1:3] if word[0].isalpha())
    return words[0], initials


def signature_name(full_name: str) -> str:
    """«Антипина Анна Михайловна» → «А.М. Антипина»."""
    surname, initials = _parts(full_name)
    return f"{initials} {surname}" if initials else surname


def table_name(full_name: str) -> str:
    """«Антипина Анна Михайловна» → «Антипина А.М.»."""
    surname, initials = _parts(full_name)
    return f"{surname} {initials}" if initials else surname


def responsible_cell(responsible_text: str, people: list[tuple[str, str | None]]) -> str:
    """Column 4: the bodies the roadmap names, then each responsible person's name and
    position («Антипина А.М., заместитель начальника Управления образованием УКМО»). The
    roadmap's own column labels («Координация:», «Участие:») are the import's, not the form's."""
    bodies: list[str] = []
    for line in responsible_text.splitlines():
        body = _COLUMN_LABEL.sub("", line.strip()) if ":" in line else line.strip()
        if body and body not in bodies:
            bodies.append(body)
    persons = [
        ", ".join(part for part in (table_name(name), (position or "").strip()) if part)
        for name, position in people
    ]
    return "; ".join(part for part in ("; ".join(bodies), "; ".join(persons)) if part)
