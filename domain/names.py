"""People's and schools' names as Russian speaks them.

A person is greeted by name and patronymic («Здравствуйте, Анна Михайловна!»), whichever order
the roadmap or the people sheet wrote the full name in; the full name is kept for where a third
person is named. A school's official name is cut to the abbreviation everyone uses
(«МБОУ СОШ № 2») where a line is short: a chart's label, a button.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Patronymics end so (Михайлович, Ильич, Михайловна, Ильинична, Кузьмична); «-оглы» and «-кызы»
# are written as separate words after the name.
_PATRONYMIC = re.compile(r"(ович|евич|ич|овна|евна|ична|инична)$", re.IGNORECASE)
_PATRONYMIC_WORDS = frozenset({"оглы", "кызы", "улы", "уулу"})
_INITIAL = re.compile(r"^(?:[A-ZА-ЯЁ]\.)+$")


@dataclass(frozen=True)
class PersonName:
    """The parts of a full name that could be told apart; an unknown part is empty."""

    full: str
    given: str = ""
    patronymic: str = ""

    @property
    def address(self) -> str:
        """How a letter or a greeting names the person: «Анна Михайловна», or the whole name
        when its parts cannot be told (initials only, a name without patronymic)."""
        if self.given and self.patronymic:
            return f"{self.given} {self.patronymic}"
        return self.given or self.full


def split_full_name(full_name: str) -> PersonName:
    """«Антипина Анна Михайловна», «Анна Михайловна Антипина», «Антипина А. М.», «Анна»."""
    words = full_name.split()
    full = " ".join(words)
    if not words:
        return PersonName(full="")
    if len(words) == 1:
        return PersonName(full=full, given=full if not _INITIAL.match(full) else "")
    if any(_INITIAL.match(word) for word in words):
        return PersonName(full=full)
    for index, word in enumerate(words):
        if index == 0:
            continue
        lowered = word.lower()
        if lowered in _PATRONYMIC_WORDS and index >= 2:
            # «Алиев Рашид Гусейн оглы»: the patronymic is the father's name and the word.
            return PersonName(
                full=full, given=words[index - 2], patronymic=f"{words[index - 1]} {word}"
            )
        if _PATRONYMIC.search(lowered) and len(word) > 4:
            return PersonName(full=full, given=words[index - 1], patronymic=word)
    return PersonName(full=full)


def address_name(full_name: str) -> str:
    """The name to greet a person by: name and patronymic when they can be told."""
    return split_full_name(full_name).address


# Official words of a school's legal form and kind, and their abbreviations. Longer phrases come
# first so «средняя общеобразовательная школа» is taken before «общеобразовательная».
_ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    ("муниципальное бюджетное общеобразовательное учреждение", "МБОУ"),
    ("муниципальное казённое общеобразовательное учреждение", "МКОУ"),
    ("муниципальное казенное общеобразовательное учреждение", "МКОУ"),
    ("муниципальное автономное общеобразовательное учреждение", "МАОУ"),
    ("муниципальное общеобразовательное учреждение", "МОУ"),
    ("муниципальное бюджетное дошкольное образовательное учреждение", "МБДОУ"),
    ("муниципальное казённое дошкольное образовательное учреждение", "МКДОУ"),
    ("муниципальное казенное дошкольное образовательное учреждение", "МКДОУ"),
    ("муниципальное автономное дошкольное образовательное учреждение", "МАДОУ"),
    ("муниципальное дошкольное образовательное учреждение", "МДОУ"),
    ("муниципальное бюджетное учреждение дополнительного образования", "МБУ ДО"),
    ("муниципальное казённое учреждение дополнительного образования", "МКУ ДО"),
    ("муниципальное казенное учреждение дополнительного образования", "МКУ ДО"),
    ("муниципальное автономное учреждение дополнительного образования", "МАУ ДО"),
    ("муниципальное бюджетное учреждение", "МБУ"),
    ("муниципальное казённое учреждение", "МКУ"),
    ("муниципальное казенное учреждение", "МКУ"),
    ("муниципальное автономное учреждение", "МАУ"),
    ("средняя общеобразовательная школа", "СОШ"),
    ("основная общеобразовательная школа", "ООШ"),
    ("начальная общеобразовательная школа", "НОШ"),
    ("детский сад", "д/с"),
    ("центр развития ребёнка", "ЦРР"),
    ("центр развития ребенка", "ЦРР"),
)
_QUOTES = re.compile(r"[«»\"“”„]")
_NUMBER = re.compile(r"№\s*(\d)")


def short_school_name(name: str) -> str:
    """«Муниципальное бюджетное общеобразовательное учреждение "Средняя общеобразовательная
    школа № 2"» → «МБОУ СОШ № 2». A name already short, or not of these words, is kept."""
    text = " ".join(_QUOTES.sub(" ", name).split())
    for words, abbreviation in _ABBREVIATIONS:
        text = re.sub(re.escape(words), abbreviation, text, flags=re.IGNORECASE)
    text = _NUMBER.sub(r"№ \1", text)
    return " ".join(text.split()).strip(" ,.;") or " ".join(name.split())


_DIGITS = re.compile(r"(\d+)")


def name_order(name: str) -> tuple[str | int, ...]:
    """The key that lists «СОШ № 2» before «СОШ № 10», as people count: thirty schools read in
    the order of their numbers, not of their digits («№ 1, № 10, № 11 … № 19, № 2»). Case and
    spacing do not count."""
    parts = _DIGITS.split(" ".join(name.casefold().replace("№", "№ ").split()))
    return tuple(int(part) if index % 2 else part for index, part in enumerate(parts))
