"""Responsible text -> who must act: named people, bodies, or every school."""

from __future__ import annotations

import re

from domain.roadmap.cells import one_line
from domain.roadmap.draft import AssigneeKind, AssigneeSpec

_UPPER = "А-ЯЁ"
_LOWER = "а-яё"
_SURNAME = rf"[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?"
_INITIALS = rf"[{_UPPER}]\.\s?[{_UPPER}]\."
# «Ананина А.Н.» or «А.Н. Ананина», optionally followed by «- заместитель начальника УО».
_PERSON = re.compile(
    rf"(?P<name>{_SURNAME}\s+{_INITIALS}|{_INITIALS}\s?{_SURNAME})"
    rf"(?:\s*[-–—,]\s*(?P<position>[{_LOWER}][^,;\n]*?))?(?=\s*(?:[,;\n]|$|{_SURNAME}\s+{_INITIALS}))"
)
_SCHOOL_GROUP = re.compile(
    r"(?<![а-яё])(?:оо|оу|моу|школ\w*|шнор|образовательн\w+\s+(?:организац|учрежден)\w*"
    r"|общеобразовательн\w+(?:\s+(?:организац|учрежден)\w*)?)(?![а-яё])",
    re.IGNORECASE,
)
_BODY = re.compile(
    r"(?<![а-яё])(?:уо|управлени\w*|отдел\w*|служб\w*|кабинет\w*|центр\w*|гау|мку|мбу|мау|иро"
    r"|министерств\w*|рмо|шмо|ммс|комитет\w*|администраци\w*|департамент\w*)(?![а-яё])",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"[;\n]|,(?![^(«\"]*[)»\"])")


def read_responsible(text: str, capacity: str = "responsible") -> list[AssigneeSpec]:
    specs: list[AssigneeSpec] = []
    remainder = text
    for match in _PERSON.finditer(text):
        position = one_line(match["position"] or "").rstrip(" .-")
        specs.append(
            AssigneeSpec(
                AssigneeKind.PERSON,
                one_line(match[0]),
                name=_name(match["name"]),
                position=position,
                capacity=capacity,
            )
        )
        remainder = remainder.replace(match[0], "\n")
    for piece in _SPLIT.split(remainder):
        cleaned = one_line(piece).strip(" .-–")
        if cleaned:
            specs.append(_classify(cleaned, capacity))
    return _unique(specs)


def _classify(piece: str, capacity: str) -> AssigneeSpec:
    lowered = piece.lower().replace("ё", "е")
    if _SCHOOL_GROUP.search(lowered) and _is_about_schools(lowered):
        tag = "ШНОР" if "шнор" in lowered else ""
        return AssigneeSpec(AssigneeKind.SCHOOLS, piece, tag=tag, capacity=capacity)
    if _BODY.search(lowered):
        return AssigneeSpec(AssigneeKind.BODY, piece, name=piece, capacity=capacity)
    return AssigneeSpec(AssigneeKind.UNMAPPED, piece, capacity=capacity)


_SCHOOLS_ALONE = re.compile(
    r"^(?:оо|оу|шнор|школ[аыи]?|(?:обще)?образовательн\w+\s+(?:организац|учрежден)\w*)(?:\s+шнор)?$"
)
_SCHOOL_HEADS = re.compile(
    r"^(?:руководител\w*|директор\w*|управленческ\w+\s+команд\w*)\s+"
    r"(?:школ\w*|оо|оу|шнор|(?:обще)?образовательн\w+\s+(?:организац|учрежден)\w*)(?![а-яё])"
)


def _is_about_schools(lowered: str) -> bool:
    """«Руководители ОО», «ОО», «руководители школ ШНОР» - but not «Педагоги ШНОР»."""
    return bool(_SCHOOLS_ALONE.match(lowered) or _SCHOOL_HEADS.match(lowered))


def _name(raw: str) -> str:
    return re.sub(r"\.\s+(?=[А-ЯЁ]\.)", ".", one_line(raw))


def _unique(specs: list[AssigneeSpec]) -> list[AssigneeSpec]:
    seen: set[tuple[str, str, str]] = set()
    unique = []
    for spec in specs:
        key = (spec.kind.value, (spec.name or spec.text).lower(), spec.tag)
        if key not in seen:
            seen.add(key)
            unique.append(spec)
    return unique
