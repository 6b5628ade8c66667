"""The approving order's own numbered instructions that carry a deadline are measures too.

«3. Руководителям общеобразовательных организаций: 3.2. Направить ... в срок до 17 апреля
2026 г.» is a measure for every school, due 17 April 2026.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from domain.roadmap.cells import clean_cell, one_line

_ITEM = re.compile(r"^\s*[-–•]?\s*(\d{1,2}(?:\.\d{1,2})?)\.?\s+(.+)$")
_MONTHS = r"(?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)"
_DEADLINE = re.compile(
    rf"(?:ежегодно\s+)?(?:в\s+срок\s+)?(?:до|не\s+позднее)\s+\d{{1,2}}\s+{_MONTHS}"
    rf"(?:\s+\d{{4}}\s*(?:г\.?|года)?)?(?:\s+текущего\s+года)?",
    re.IGNORECASE,
)
_ORDER_START = re.compile(r"п\s*р\s*и\s*к\s*а\s*з\s*ы\s*в\s*а\s*ю", re.IGNORECASE)
_ADDRESSEE = re.compile(r"^(.{3,200}?):\s*$")


@dataclass(frozen=True, slots=True)
class OrderItem:
    number: str
    text: str
    deadline_text: str
    addressee: str  # to whom the instruction (or its parent item) is addressed


def read_order_items(paragraphs: tuple[str, ...]) -> list[OrderItem]:
    lines = [one_line(clean_cell(p)) for p in paragraphs]
    start = next((i for i, line in enumerate(lines) if _ORDER_START.search(line)), None)
    if start is None:
        return []
    items: list[OrderItem] = []
    addressees: dict[str, str] = {}
    for line in lines[start + 1 :]:
        match = _ITEM.match(line)
        if not match:
            if items or addressees:
                break  # the signature or the appendix: the instructions are over
            continue
        number, body = match[1], match[2]
        parent = number.split(".")[0]
        if head := _ADDRESSEE.match(body):
            addressees[number] = head[1]
            continue
        deadline = _DEADLINE.search(body)
        if deadline is None:
            continue
        addressee = addressees.get(parent, "") if "." in number else ""
        items.append(
            OrderItem(
                number, body, deadline[0].removeprefix("в срок ").strip(), addressee or _own(body)
            )
        )
    return items


def _own(body: str) -> str:
    """«Ответственный: методист Парилов С.В.» inside the instruction itself."""
    match = re.search(r"ответственн\w*\s*:\s*(.+)$", body, re.IGNORECASE)
    return match[1] if match else ""
