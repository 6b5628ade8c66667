"""What schools are asked for an indicator, proposed from its wording: a share of two numbers
(«Доля …», «Удельный вес …», a unit of percent) or one count; the questions a head
understands, made from the indicator's own words; who reports (every school, or the department
when the wording is about the municipality or counts schools themselves); and as of which
dates (the roadmap's annual report day in every year with a target, or the day the wording
states: «по состоянию на 1 сентября»)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Shape(StrEnum):
    COUNT = "count"  # one number
    SHARE = "share"  # a numerator and a denominator


class ReporterKind(StrEnum):
    ALL = "all"  # every school
    TAG = "tag"  # the schools with a tag
    ORGANISATIONS = "organisations"  # chosen organisations
    DEPARTMENT = "department"  # the department enters the municipal value itself


@dataclass(frozen=True, slots=True)
class Reporters:
    kind: ReporterKind
    tag: str = ""
    organisation_ids: tuple[int, ...] = ()

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.kind.value,
            "tag": self.tag,
            "organisation_ids": list(self.organisation_ids),
        }

    @classmethod
    def from_json(cls, data: dict[str, object] | None) -> Reporters:
        data = data or {}
        ids = data.get("organisation_ids") or []
        return cls(
            ReporterKind(str(data.get("kind") or ReporterKind.ALL.value)),
            str(data.get("tag") or ""),
            tuple(int(i) for i in ids) if isinstance(ids, list) else (),
        )


@dataclass(frozen=True, slots=True)
class CollectionRule:
    reporters: Reporters
    shape: Shape
    numerator_question: str
    denominator_question: str | None  # None for a count
    as_of: tuple[date, ...] = field(default=())

    @property
    def aggregate(self) -> str:
        """Σ numerators / Σ denominators for a share (never a mean of percentages); a sum of
        counts; the department's own entry when only it reports."""
        if self.reporters.kind is ReporterKind.DEPARTMENT:
            return "manual"
        return "ratio" if self.shape is Shape.SHARE else "sum"


_SHARE_START = re.compile(r"^\s*(?:доля|удельный\s+вес)\s+", re.IGNORECASE)
_COUNT_START = re.compile(r"^\s*(?:количество|число|численность)\s+", re.IGNORECASE)
# «…, в общей численности обучающихся», «… от общего числа педагогов»
_WHOLE = re.compile(
    r"[,\s]+(?:в|от|к)\s+общей\s+(?:численности|количестве|количеству)\s+(?P<whole>.+)$"
    r"|[,\s]+(?:в|от|к)\s+общ(?:ем|его|ему)\s+(?:числ[ае]|количеств[ае]|количеству)\s+(?P<whole2>.+)$",
    re.IGNORECASE,
)
# The municipality as a whole, or schools themselves counted: the department reports.
_MUNICIPAL = re.compile(
    r"муниципальн\w*\s+(?:образовани|район|округ|систем)|\bв\s+(?:районе|округе|городе|муниципалитете)\b"
    r"|^(?:доля|удельный\s+вес|количество|число)\s+(?:обще)?(?:образовательных\s+)?"
    r"(?:школ|организаций|учреждений)\b",
    re.IGNORECASE,
)
_AS_OF = re.compile(
    r"(?:по\s+состоянию\s+)?на\s+(?P<day>\d{1,2})\s+(?P<month>января|февраля|марта|апреля|мая|"
    r"июня|июля|августа|сентября|октября|ноября|декабря)",
    re.IGNORECASE,
)
_MONTHS = [
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
]
# Participles as the indicator prints them (genitive plural) and the verb a question asks with.
_VERB_ENDINGS = (
    ("едших", "ли"),  # прошедших -> прошли
    ("вшихся", "лись"),  # обучавшихся -> обучались
    ("вших", "ли"),  # получивших -> получили
    ("ющихся", "ются"),  # занимающихся -> занимаются
    ("ящихся", "ятся"),
    ("ащихся", "атся"),
    ("ющих", "ют"),  # участвующих -> участвуют
    ("ящих", "ят"),
    ("ащих", "ат"),
    ("ённых", "ены"),  # вовлечённых -> вовлечены
    ("енных", "ены"),  # охваченных -> охвачены
    ("анных", "аны"),
    ("янных", "яны"),
    ("тых", "ты"),  # занятых -> заняты
)


def is_share(name: str, unit: str) -> bool:
    return bool(_SHARE_START.match(name)) or "%" in unit or unit.lower().startswith("процент")


def is_municipal(name: str) -> bool:
    return bool(_MUNICIPAL.search(name))


def propose_rule(
    name: str,
    unit: str,
    target_years: list[int | None],
    *,
    report_month: int,
    report_day: int,
    period: tuple[int, int],
) -> CollectionRule:
    """The rule a coordinator is shown to confirm."""
    share = is_share(name, unit)
    numerator, denominator = questions(name, share=share)
    reporters = Reporters(ReporterKind.DEPARTMENT if is_municipal(name) else ReporterKind.ALL)
    return CollectionRule(
        reporters,
        Shape.SHARE if share else Shape.COUNT,
        numerator,
        denominator,
        as_of_dates(name, target_years, report_month, report_day, period),
    )


def as_of_dates(
    name: str,
    target_years: list[int | None],
    report_month: int,
    report_day: int,
    period: tuple[int, int],
) -> tuple[date, ...]:
    """A date in every year of the period that has a target (every year of the period when no
    target names its year); the day the wording states, else the annual report day."""
    stated = _AS_OF.search(name)
    if stated:
        month, day = _MONTHS.index(stated["month"].lower()) + 1, int(stated["day"])
    else:
        month, day = report_month, report_day
    first, last = period
    years = sorted({y for y in target_years if y is not None and first <= y <= last})
    if not years:
        years = list(range(first, last + 1))
    found: list[date] = []
    for year in years:
        try:
            found.append(date(year, month, day))
        except ValueError:  # 29 February in a common year
            found.append(date(year, month, 28))
    return tuple(found)


def questions(name: str, *, share: bool) -> tuple[str, str | None]:
    """(the numerator's question, the denominator's or None) from the indicator's wording.

    «Доля педагогических работников, прошедших диагностику профессиональных дефицитов» asks
    «Сколько педагогических работников прошли диагностику профессиональных дефицитов?» and
    «Сколько всего педагогических работников в школе?»."""
    text = " ".join(name.split()).rstrip(" .;")
    text = re.sub(r"\s*(?:,\s*%|\(\s*%\s*\)|,\s*процент\w*)$", "", text)
    rest = _SHARE_START.sub("", text) if share else _COUNT_START.sub("", text)
    whole = None
    match = _WHOLE.search(rest)
    if match:
        whole = (match["whole"] or match["whole2"] or "").strip(" ,")
        rest = rest[: match.start()].strip(" ,")
    subject, clause = _split_subject(rest)
    asked = f"{subject} {_as_verbs(clause)}".strip() if clause else subject
    numerator = f"Сколько {asked}?"
    if not share:
        return _capital(numerator), None
    denominator = f"Сколько всего {whole or subject} в школе?"
    return _capital(numerator), _capital(denominator)


def _split_subject(text: str) -> tuple[str, str]:
    """«педагогов, прошедших диагностику» -> («педагогов», «прошедших диагностику»); with no
    comma, the first participle starts the clause."""
    if "," in text:
        subject, clause = text.split(",", 1)
        return subject.strip(), clause.strip()
    words = text.split()
    for index, word in enumerate(words[1:], start=1):
        if any(word.lower().endswith(ending) for ending, _verb in _VERB_ENDINGS):
            return " ".join(words[:index]), " ".join(words[index:])
    return text, ""


def _as_verbs(clause: str) -> str:
    """The clause's leading participle as a verb: «прошедших курсы» -> «прошли курсы»."""
    words = clause.split()
    if not words:
        return clause
    first = words[0]
    for ending, verb in _VERB_ENDINGS:
        if first.lower().endswith(ending):
            words[0] = first[: -len(ending)] + verb
            break
    return " ".join(words)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def read_reporters(text: str) -> Reporters | None:
    """``all``, ``tag:NAME``, ``org:ID,ID`` or ``department``, as typed at the command line."""
    value = text.strip()
    if value.lower() in ("all", ReporterKind.DEPARTMENT.value):
        return Reporters(ReporterKind(value.lower()))
    if value.lower().startswith("tag:") and value[4:].strip():
        return Reporters(ReporterKind.TAG, tag=value[4:].strip())
    if value.lower().startswith("org:"):
        try:
            ids = tuple(int(part) for part in value[4:].split(",") if part.strip())
        except ValueError:
            return None
        return Reporters(ReporterKind.ORGANISATIONS, organisation_ids=ids) if ids else None
    return None


def read_dates(text: str) -> tuple[date, ...] | None:
    """«2026-12-20,2027-12-20» or «20.12.2026, 20.12.2027»: None when any is no date."""
    found = []
    for part in re.split(r"[,;\s]+", text.strip()):
        if not part:
            continue
        match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", part)
        try:
            found.append(
                date(int(match[3]), int(match[2]), int(match[1]))
                if match
                else date.fromisoformat(part)
            )
        except ValueError:
            return None
    return tuple(sorted(set(found))) or None
