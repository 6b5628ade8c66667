"""Roadmap details stated in the document: title, order, period, coordinator, report date."""

from __future__ import annotations

import re
from datetime import date

from domain.deadlines import MonthDay, Period
from domain.roadmap.cells import clean_cell, one_line
from domain.roadmap.draft import RoadmapDetails

_MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
_MONTH_WORD = "|".join(_MONTHS_GENITIVE)
_ORDER_NUMBER = re.compile(r"(?:№|N)\s*(\d[\w/-]*)")
_WORD_DATE = re.compile(rf"«?\s*(\d{{1,2}})\s*»?\s+({_MONTH_WORD})\s+(\d{{4}})", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"(?<![\d.])(\d{2})\.(\d{2})\.(\d{4})(?![\d])")
_PERIOD_RANGE = re.compile(
    r"(?:на|в|срок\w*\s+реализации[^:\n]{0,40}:?)\s+(?:период\s+)?(?:с\s+)?(\d{4})\s*"
    r"(?:[-–—]|по|до)\s*(\d{4})\s*(?:гг|годы|годах|год|г)",
    re.IGNORECASE,
)
# «в 2025/2026 учебном году», «на 2025-2026 учебный год»: a school year, September to August.
_SCHOOL_YEAR = re.compile(r"(\d{4})\s*[-–—/]\s*(\d{4})\s*учебн\w*\s+год", re.IGNORECASE)
_PERIOD_UNTIL = re.compile(r"(?:на\s+период\s+)?до\s+(\d{4})\s+год", re.IGNORECASE)
_PERIOD_YEAR = re.compile(r"(?:на|в)\s+(\d{4})\s+(?:год|г\.)", re.IGNORECASE)
_ANNUAL_DUE = re.compile(
    rf"ежегодно\s+(?:в\s+срок\s+)?до\s+(\d{{1,2}})\s+({_MONTH_WORD})", re.IGNORECASE
)
_COORDINATOR = re.compile(
    r"координатор\w*.{0,120}?((?:[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?\s+){2}[А-ЯЁ][а-яё]+(?:вн|вич|ичн)\w*)",
    re.DOTALL,
)
# Orders name the document in the genitive or accusative: «Об утверждении Комплекса мер».
_TITLE_CASES = (
    (re.compile(r"^Комплекса мер"), "Комплекс мер"),
    (re.compile(r"^Дорожной карты"), "Дорожная карта"),
    (re.compile(r"^Муниципальной дорожной карты"), "Муниципальная дорожная карта"),
    (re.compile(r"^Плана"), "План"),
)
_TITLE_START = re.compile(
    r"^(?:муниципальная\s+|муниципальный\s+)?(?:дорожн\w+\s+карт\w*|комплекс\s+мер|план\b)",
    re.IGNORECASE,
)
_APPROVAL = re.compile(r"^об\s+утверждении\s+", re.IGNORECASE)


def read_details(paragraphs: tuple[str, ...]) -> RoadmapDetails:
    lines = [one_line(clean_cell(p)) for p in paragraphs]
    lines = [line for line in lines if line]
    text = "\n".join(lines)
    header = "\n".join(lines[:25])
    title = _title(lines)
    return RoadmapDetails(
        title=title,
        order_number=_order_number(header),
        order_date=_order_date(header),
        period=_period(title, text, _order_date(header)),
        coordinator=_coordinator(text),
        annual_due=_annual_due(text),
        issuer=_issuer(lines),
    )


_ORDER_WORD = re.compile(
    r"^(?:П\s*Р\s*И\s*К\s*А\s*З|Р\s*А\s*С\s*П\s*О\s*Р\s*Я\s*Ж\s*Е\s*Н\s*И\s*Е)\s*$"
)
_BODY_START = re.compile(r"^(?:Управлени|Комитет|Отдел|Департамент|Администраци|Министерств)")


def _issuer(lines: list[str]) -> str | None:
    """The letterhead above «ПРИКАЗ»: the lines from the first that names a body
    («Управление образованием», «Комитет по образованию») up to the word."""
    plain = [line.replace("*", "").strip() for line in lines[:12]]
    for index, line in enumerate(plain):
        if _ORDER_WORD.match(line.upper()):
            head = plain[:index]
            starts = [i for i, text in enumerate(head) if _BODY_START.match(text)]
            if not starts:
                return None
            body = " ".join(head[starts[0] :]).strip()
            return body[:300] or None
    return None


def _title(lines: list[str]) -> str:
    for line in lines:
        if _TITLE_START.match(line) and len(line) > 20:
            return line
    for line in lines:
        if _APPROVAL.match(line):
            rest = _APPROVAL.sub("", line).strip().rstrip(".")
            rest = rest[:1].upper() + rest[1:]
            for pattern, replacement in _TITLE_CASES:
                rest = pattern.sub(replacement, rest)
            return rest
    return lines[0] if lines else ""


def _order_number(header: str) -> str | None:
    match = _ORDER_NUMBER.search(header)
    return match[1] if match else None


def _order_date(header: str) -> date | None:
    candidates = []
    for match in _WORD_DATE.finditer(header):
        candidates.append(
            (match.start(), _safe_date(int(match[3]), _month(match[2]), int(match[1])))
        )
    for match in _NUMERIC_DATE.finditer(header):
        candidates.append((match.start(), _safe_date(int(match[3]), int(match[2]), int(match[1]))))
    found = [day for _position, day in sorted(candidates) if day is not None]
    return found[0] if found else None


def _period(title: str, text: str, order_date: date | None) -> Period | None:
    for source in (title, text):
        if (match := _SCHOOL_YEAR.search(source)) and int(match[2]) == int(match[1]) + 1:
            return Period(date(int(match[1]), 9, 1), date(int(match[2]), 8, 31))
        if match := _PERIOD_RANGE.search(source):
            first, last = int(match[1]), int(match[2])
            if first <= last:
                return Period(date(first, 1, 1), date(last, 12, 31))
        if match := _PERIOD_UNTIL.search(source):
            last = int(match[1])
            first = order_date.year if order_date and order_date.year <= last else last
            return Period(date(first, 1, 1), date(last, 12, 31))
        if match := _PERIOD_YEAR.search(source):
            year = int(match[1])
            return Period(date(year, 1, 1), date(year, 12, 31))
    return None


def _coordinator(text: str) -> str | None:
    match = _COORDINATOR.search(text)
    return nominative(match[1]) if match else None


def _annual_due(text: str) -> MonthDay | None:
    match = _ANNUAL_DUE.search(text)
    if not match:
        return None
    try:
        return MonthDay(_month(match[2]), int(match[1]))
    except ValueError:
        return None


def nominative(name: str) -> str:
    """«Антипину Анну Михайловну» -> «Антипина Анна Михайловна» (orders name people in the
    accusative). Only the regular feminine endings are turned back; the coordinator checks."""
    words = name.split()
    if words and words[-1].endswith("вну"):
        return " ".join(word[:-1] + "а" if word.endswith("у") else word for word in words)
    return name


def _month(word: str) -> int:
    return _MONTHS_GENITIVE.index(word.lower()) + 1


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
