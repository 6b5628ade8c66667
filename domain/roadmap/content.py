"""What a column's cells hold: deadlines, people and bodies, numbers, long texts.

A header the vocabulary does not know is decided by its cells. The deadline column is the one
whose cells the project's own deadline reader understands; the responsible column holds
surnames with initials, positions and bodies; the measure is the long text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from domain.deadlines import Period, ScheduleKind, read_deadline
from domain.roadmap.cells import one_line

MEASURE_NUMBER = re.compile(r"^(\d{1,3}(?:\.\d{1,3}){0,3})[.)]?$")  # «1», «1.2.», «3)»
_SAMPLE_PERIOD = Period(date(2026, 1, 1), date(2030, 12, 31))
_INITIALS = re.compile(
    r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?\s*[А-ЯЁ]\.\s*(?:[А-ЯЁ]\.)?|[А-ЯЁ]\.\s*[А-ЯЁ]\.\s*[А-ЯЁ][а-яё]+"
)
_RESPONSIBLE_WORDS = re.compile(
    r"директор|руководител|заместител|начальник|специалист|методист|педагог|учител|"
    r"заведующ|председател|инспектор|консультант|главн\w+\s+специал|координатор|"
    r"управлени|отдел\b|отдела|комитет|департамент|администрац|центр\b|центра|кабинет|"
    r"служб|совет|\bоо\b|\bоу\b|\bдоу\b|\bуо\b|\bмку\b|\bмбоу\b|\bмоу\b|\bмкоу\b|\bрмо\b|\bшмо\b|"
    r"\bммс\b|образовательн\w+\s+организац|школ",
    re.IGNORECASE,
)
_LONG = 60


@dataclass(frozen=True, slots=True)
class ColumnProfile:
    """Shares of a column's filled cells (0..1) that read as each kind, and their mean length."""

    filled: int
    deadline: float
    responsible: float
    number: float
    long_text: float
    distinct: float  # distinct values / filled cells: low for a column merged down over rows

    @property
    def empty(self) -> bool:
        return self.filled == 0


def profile(cells: Sequence[str]) -> ColumnProfile:
    texts = [one_line(cell) for cell in cells if cell.strip()]
    if not texts:
        return ColumnProfile(0, 0.0, 0.0, 0.0, 0.0, 0.0)
    count = len(texts)

    def share(test: Callable[[str], bool]) -> float:
        return sum(1 for text in texts if test(text)) / count

    return ColumnProfile(
        filled=count,
        deadline=share(reads_as_deadline),
        responsible=share(reads_as_responsible),
        number=share(lambda text: bool(MEASURE_NUMBER.match(text))),
        long_text=share(lambda text: len(text) >= _LONG),
        distinct=len(set(texts)) / count,
    )


@lru_cache(maxsize=4096)
def reads_as_deadline(text: str) -> bool:
    if not text or len(text) > 160 or MEASURE_NUMBER.match(text):
        return False
    return read_deadline(text, _SAMPLE_PERIOD).kind is not ScheduleKind.UNKNOWN


def reads_as_responsible(text: str) -> bool:
    if len(text) > 400 or reads_as_deadline(text):
        return False
    return bool(_INITIALS.search(text) or _RESPONSIBLE_WORDS.search(text))
