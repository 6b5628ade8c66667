"""The municipality's schools and heads, from a spreadsheet: one row per school."""

from __future__ import annotations

import re
from dataclasses import dataclass

from domain.email_address import read_address
from domain.roadmap.cells import clean_cell, one_line
from domain.roadmap.draft import ImportProblemError, ProblemCode, SourceDocument

_COLUMNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("email", re.compile(r"почт|e-?mail")),
    ("phone", re.compile(r"телефон|тел\.")),
    ("position", re.compile(r"должност")),
    ("tag", re.compile(r"шнор|низк\w* результат|признак|категори")),
    ("name", re.compile(r"ф\.?\s*и\.?\s*о|фамили|руководител|директор")),
    ("school", re.compile(r"школ|организац|учрежден|^оо$|наименован")),
)
MAX_PEOPLE = 5_000


@dataclass(frozen=True, slots=True)
class SchoolHead:
    school: str
    full_name: str
    position: str
    email: str | None
    phone: str | None
    low_results: bool  # the school is on the ШНОР list
    # What was typed in the e-mail cell when it is not an address (the list says so).
    email_problem: str | None = None


def read_people(document: SourceDocument) -> list[SchoolHead]:
    for table in document.tables:
        for index, row in enumerate(table[:20]):
            columns = _header(tuple(clean_cell(c) for c in row.cells))
            if columns is not None:
                return _rows(columns, [r.cells for r in table[index + 1 :]])
    raise ImportProblemError(ProblemCode.NO_TABLE)


def _header(cells: tuple[str, ...]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        text = one_line(cell).lower()
        for name, pattern in _COLUMNS:
            if text and pattern.search(text) and name not in found:
                found[name] = index
                break
    return found if {"school", "name"} <= found.keys() else None


def _rows(columns: dict[str, int], rows: list[tuple[str, ...]]) -> list[SchoolHead]:
    heads = []
    for cells in rows[:MAX_PEOPLE]:

        def cell(name: str, cells: tuple[str, ...] = cells) -> str:
            index = columns.get(name)
            return (
                one_line(clean_cell(cells[index]))
                if index is not None and index < len(cells)
                else ""
            )

        school, name = cell("school"), cell("name")
        if not school or not name:
            continue
        email = read_address(cell("email"))
        tag = cell("tag").lower()
        heads.append(
            SchoolHead(
                school=school[:500],
                full_name=name[:300],
                position=cell("position")[:300] or "директор",
                email=email.address,
                email_problem=email.problem,
                phone=cell("phone")[:50] or None,
                low_results=tag in {"да", "+", "шнор", "yes", "1", "x", "х"},
            )
        )
    return heads
