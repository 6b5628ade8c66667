"""Cell texts of an indicator: its unit at the end of its name, a printed year, a value that
is no value («-», «х»), and the direction its targets and wording point to."""

from __future__ import annotations

import re

from domain.indicators.draft import Direction, Value

_UNITS = (
    r"%|процент\w*|чел\.?|человек\w*|ед\.?|единиц\w*|шт\.?|штук\w*|руб\.?|рубл\w*|"
    r"тыс\.\s*\w+\.?|млн\.?\s*\w+\.?|балл\w*|мест\w*|час\w*|дн\w*|лет|год\w*|раз|кв\.\s*м\.?|"
    r"м2|км|кг"
)
# «…, %», «…, процентов», «… (%)», «… (человек)»
_UNIT_AT_END = re.compile(
    rf"^(?P<name>.+?)(?:\s*,\s*(?P<comma>{_UNITS})|\s*\((?:в\s+)?(?P<paren>{_UNITS})\))\s*\.?$",
    re.IGNORECASE | re.DOTALL,
)
_NO_VALUE = re.compile(r"^[-–—х×x*/\\.]*$", re.IGNORECASE)
NUMBER_AT_START = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})[.)]?\s+(?=\S)")
_NUMBER = re.compile(r"-?\d+(?:[ \u00a0]\d{3})*(?:[.,]\d+)?")
_DOWN_WORDS = re.compile(
    r"снижени|сокращени|уменьшени|\bне\s+(?:сдавш|получивш|прошедш|достигш|охвачен)|"
    r"неудовлетвор|отсев|просроч|пропущ|аварийн|очередност|вторую\s+смену|травм|"
    r"правонарушени|нуждающ",
    re.IGNORECASE,
)
AT_LEAST = re.compile(r"не\s+менее|не\s+ниже|не\s+меньше|≥|>=", re.IGNORECASE)
AT_MOST = re.compile(r"не\s+более|не\s+выше|не\s+больше|≤|<=", re.IGNORECASE)
_UP_MARK = re.compile(r"возраст|увелич|рост|повыш|↑|^\+$|максим|больше", re.IGNORECASE)
_DOWN_MARK = re.compile(r"убыв|сниж|уменьш|↓|^-$|миним|меньше", re.IGNORECASE)


def one_line(text: str) -> str:
    return " ".join(text.split())


def printed(text: str) -> str | None:
    """A value as printed, or None for an empty cell or a dash standing for «no value»."""
    value = one_line(text)
    return None if _NO_VALUE.match(value) else value


def unit_from_name(name: str) -> tuple[str, str]:
    """(name, unit) when the name ends with its unit, else (name, "")."""
    match = _UNIT_AT_END.match(name)
    if not match or len(match["name"]) < 10:
        return name, ""
    return one_line(match["name"]).rstrip(" ,"), match["comma"] or match["paren"] or ""


def unit_from_targets(values: list[str]) -> str:
    """«не менее 80 %»: a percent sign after a number in the targets."""
    return "%" if any(re.search(r"\d\s*%", v) for v in values) else ""


def year_of(text: str) -> int | None:
    match = re.search(r"(?<![\d.,])((?:19|20)\d{2})(?![\d.,])", text)
    return int(match[1]) if match else None


def direction_mark(text: str) -> Direction | None:
    """A direction column's cell: «Возрастание», «Убывание», «↑», «+»."""
    value = one_line(text)
    if _DOWN_MARK.search(value):
        return Direction.DOWN
    if _UP_MARK.search(value):
        return Direction.UP
    return None


def infer_direction(name: str, base: Value | None, targets: tuple[Value, ...]) -> Direction | None:
    """From «не менее» / «не более», then the wording («снижение доли …»), then the figures
    (the last target against the base or the first target)."""
    texts = " ".join(t.value for t in targets)
    if AT_MOST.search(texts):
        return Direction.DOWN
    if AT_LEAST.search(texts):
        return Direction.UP
    if _DOWN_WORDS.search(name):
        return Direction.DOWN
    values = ((base,) if base else ()) + targets
    figures = [f for f in (_figure(v.value) for v in values) if f is not None]
    if len(figures) >= 2 and figures[-1] != figures[0]:
        return Direction.UP if figures[-1] > figures[0] else Direction.DOWN
    return None


def _figure(text: str) -> float | None:
    match = _NUMBER.search(text)
    if not match:
        return None
    return float(match[0].replace(" ", "").replace("\u00a0", "").replace(",", "."))
