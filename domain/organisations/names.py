"""What a written organisation name comes down to: its plain key (case, «ё», quotes, hyphens
and spacing ignored), its words, its qualifier in brackets, and its letters as an abbreviation."""

from __future__ import annotations

import re

_QUOTES = re.compile(r"[«»\"“”„'`]")
_DASHES = re.compile(r"\s*[-‐‑–—]+\s*")
_NUMBER_SIGN = re.compile(r"№\s*")
_QUALIFIER = re.compile(r"\(([^()]*)\)")
_EDGE_PUNCTUATION = " .,;:"
# Words an abbreviation may or may not give a letter to: «Центр оценки и мониторинга» is
# written «ЦОиМ» by one department and «ЦОМ» by another.
_FUNCTION_WORDS = frozenset({"и", "по", "в", "во", "на", "с", "со", "для", "при", "о", "об"})


def plain(name: str) -> str:
    """The key two spellings of one name share: «РМО учителей - предметников» and «рмо
    учителей-предметников» give the same."""
    text = name.replace("ё", "е").replace("Ё", "Е").lower()
    text = _QUOTES.sub(" ", text)
    text = _DASHES.sub(" ", text)
    text = _NUMBER_SIGN.sub("№ ", text)
    return " ".join(text.split()).strip(_EDGE_PUNCTUATION)


def base(name: str) -> str:
    """The name without its qualifier: «МКУ РЦ УО УКМО (методический кабинет)» → «МКУ РЦ УО
    УКМО»."""
    return " ".join(_QUALIFIER.sub(" ", name).split()).strip(_EDGE_PUNCTUATION)


def qualifier(name: str) -> str:
    """The plain text in brackets, if any: «методический кабинет»."""
    found = _QUALIFIER.findall(name)
    return plain(" ".join(found)) if found else ""


def words(name: str) -> tuple[str, ...]:
    """The plain words in their order, brackets left out (they are punctuation here)."""
    return tuple(plain(name.replace("(", " ").replace(")", " ")).split())


def numbers(name: str) -> tuple[str, ...]:
    """The numbers in a name: «СОШ № 1» and «СОШ № 2» are two schools, however alike."""
    return tuple(re.findall(r"\d+", name))


def _is_abbreviation(token: str) -> bool:
    letters = [c for c in token if c.isalpha()]
    capitals = sum(1 for c in letters if c.isupper())
    return len(letters) >= 2 and capitals >= 2 and capitals * 2 > len(letters)


def _tokens(name: str) -> list[str]:
    text = _QUOTES.sub(" ", name)
    text = _DASHES.sub(" ", text)
    return [t.strip(_EDGE_PUNCTUATION) for t in text.split() if t.strip(_EDGE_PUNCTUATION)]


def is_abbreviated(name: str) -> bool:
    """Whether every word of the name is an abbreviation: «УО УКМО», «ГАУ ДПО ИРО»."""
    tokens = [t for t in _tokens(base(name)) if any(c.isalpha() for c in t)]
    return bool(tokens) and all(_is_abbreviation(t) for t in tokens)


def letters(name: str) -> str:
    """An abbreviated name's letters, run together: «УО УКМО» → «УОУКМО»."""
    return "".join(c for c in base(name).upper().replace("Ё", "Е") if c.isalpha())


def initials(name: str) -> frozenset[str]:
    """The abbreviations a full name can be written as: «Управление образованием УКМО» →
    «УОУКМО» (an abbreviation inside the name stays whole); with and without the letters of
    «и», «по» and the like."""
    with_all, without = [""], [""]
    for token in _tokens(base(name)):
        if not any(c.isalpha() for c in token):
            continue
        if _is_abbreviation(token):
            piece = "".join(c for c in token.upper() if c.isalpha())
            with_all.append(piece)
            without.append(piece)
            continue
        first = token.replace("ё", "е").replace("Ё", "Е")[0].upper()
        with_all.append(first)
        if token.lower() not in _FUNCTION_WORDS:
            without.append(first)
    return frozenset({"".join(with_all), "".join(without)})


def distance(left: str, right: str, limit: int) -> int:
    """Levenshtein distance, or ``limit + 1`` as soon as it is known to exceed ``limit``."""
    if abs(len(left) - len(right)) > limit:
        return limit + 1
    previous = list(range(len(right) + 1))
    for i, a in enumerate(left, 1):
        current = [i]
        for j, b in enumerate(right, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]
