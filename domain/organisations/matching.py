"""Is this written name one of the organisations we know? Sure (the same words, perhaps in
another order, with other hyphens or case), unsure (an abbreviation, a qualifier in brackets,
a typo: a person is asked), or not at all."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from domain.organisations.names import (
    base,
    distance,
    initials,
    is_abbreviated,
    letters,
    numbers,
    plain,
    qualifier,
    words,
)

# A typo is a letter or two in a long name; in a short one it is another name («РМО», «ШМО»).
TYPO_MIN_LENGTH = 8
LONG_NAME = 20


class Reason(StrEnum):
    SAME = "same"  # case, «ё», quotes, hyphens, spacing
    WORD_ORDER = "word_order"
    ABBREVIATION = "abbreviation"  # «УО УКМО» ↔ «Управление образованием УКМО»
    QUALIFIER = "qualifier"  # «МКУ РЦ УО УКМО (методический кабинет)» ↔ «МКУ РЦ УО УКМО»
    TYPO = "typo"  # «ЦОММКиМКО» ↔ «ЦОПМКиМКО»

    @property
    def sure(self) -> bool:
        return self in (Reason.SAME, Reason.WORD_ORDER)


# When a name is like several organisations, the likeliest first.
_PREFERENCE = (Reason.SAME, Reason.WORD_ORDER, Reason.ABBREVIATION, Reason.QUALIFIER, Reason.TYPO)


def compare(written: str, known: str) -> Reason | None:
    """How ``written`` may be ``known``; ``None``: two different names."""
    if plain(written) == plain(known):
        return Reason.SAME
    if numbers(written) != numbers(known):
        return None  # «СОШ № 1» is never «СОШ № 2»
    if sorted(words(written)) == sorted(words(known)):
        return Reason.WORD_ORDER
    same_qualifier = qualifier(written) == qualifier(known)
    if _abbreviates(written, known) or _abbreviates(known, written):
        return Reason.ABBREVIATION
    if not same_qualifier and _same_words(base(written), base(known)):
        return Reason.QUALIFIER
    if _typo(plain(written), plain(known)):
        return Reason.TYPO
    return None


def _same_words(left: str, right: str) -> bool:
    return bool(left) and sorted(words(left)) == sorted(words(right))


def _abbreviates(short: str, full: str) -> bool:
    """«УО УКМО» written for «Управление образованием УКМО»: the short one is all
    abbreviations, the full one is not, and the letters agree."""
    if not is_abbreviated(short) or is_abbreviated(full):
        return False
    if qualifier(short) and qualifier(full) and qualifier(short) != qualifier(full):
        return False
    return len(letters(short)) >= 2 and letters(short) in initials(full)


def _typo(left: str, right: str) -> bool:
    shorter = min(len(left), len(right))
    if shorter < TYPO_MIN_LENGTH:
        return False
    limit = 2 if shorter >= LONG_NAME else 1
    return distance(left, right, limit) <= limit


@dataclass(frozen=True, slots=True)
class Known:
    """An organisation as it may be written: its name, and the other names it is known by."""

    organisation_id: int
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Match:
    organisation_id: int
    name: str  # the organisation's own name
    reason: Reason


def best_match(written: str, known: Iterable[Known]) -> Match | None:
    """The organisation ``written`` most likely is, with how sure that is."""
    best: Match | None = None
    for organisation in known:
        for spelling in (organisation.name, *organisation.aliases):
            reason = compare(written, spelling)
            if reason is None:
                continue
            if best is None or _PREFERENCE.index(reason) < _PREFERENCE.index(best.reason):
                best = Match(organisation.organisation_id, organisation.name, reason)
            if reason.sure:
                return best
    return best


# The answers a coordinator gave, by ``answer_key`` of the text and the name it was asked
# about: True, «yes, the same»; False, «no, another organisation».
Answers = dict[str, bool]


def answer_key(text: str, candidate: str) -> str:
    return f"{plain(text)}|{plain(candidate)}"


@dataclass(frozen=True, slots=True)
class Question:
    """«УО УКМО — это Управление образованием УКМО?»"""

    text: str
    candidate: str  # the known organisation's name, or another text of the same document
    reason: Reason

    @property
    def key(self) -> str:
        return answer_key(self.text, self.candidate)


@dataclass(frozen=True, slots=True)
class Plan:
    """What a document's texts become. ``matched``: text → known organisation's id;
    ``joined``: text → the new organisation it is another spelling of; ``new``: the
    organisations to create, as first written; ``questions``: still to be answered."""

    matched: dict[str, int]
    joined: dict[str, str]
    new: tuple[str, ...]
    questions: tuple[Question, ...]


def plan(texts: Sequence[str], known: Sequence[Known], answers: Answers) -> Plan:
    """Each distinct text, in the document's order: a known organisation when sure or when
    the coordinator said so; else another spelling of a text met before; else new. A «no»
    is never asked again, and nothing unsure is ever joined without a «yes»."""
    matched: dict[str, int] = {}
    joined: dict[str, str] = {}
    new: list[str] = []
    questions: list[Question] = []
    seen: set[str] = set()
    for text in texts:
        key = plain(text)
        if not key or key in seen:
            continue
        seen.add(key)
        match = best_match(text, known)
        if match is not None:
            answer = answers.get(answer_key(text, match.name))
            if match.reason.sure or answer is True:
                matched[text] = match.organisation_id
                continue
            if answer is None:
                questions.append(Question(text, match.name, match.reason))
                continue
        twin = _twin(text, new)
        if twin is not None:
            answer = answers.get(answer_key(text, twin[0]))
            if twin[1].sure or answer is True:
                joined[text] = twin[0]
                continue
            if answer is None:
                questions.append(Question(text, twin[0], twin[1]))
                continue
        new.append(text)
    return Plan(matched, joined, tuple(new), tuple(questions))


def _twin(text: str, new: Sequence[str]) -> tuple[str, Reason] | None:
    found = best_match(text, [Known(index, name) for index, name in enumerate(new)])
    return (found.name, found.reason) if found is not None else None
