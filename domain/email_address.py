"""E-mail addresses as people type them into a spreadsheet cell."""

from __future__ import annotations

import re
from dataclasses import dataclass

# The local part in the dot-atom form every mail server accepts; quoted local parts and
# Cyrillic mailboxes exist in the RFCs but not in school address books.
_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")
# Several addresses in one cell are separated like this («a@x.ru; b@y.ru», «a@x.ru, b@y.ru»).
_SEPARATORS = re.compile(r"[;,\s]+")


@dataclass(frozen=True, slots=True)
class AddressReading:
    address: str | None  # the first usable address, as it will be written to
    problem: str | None  # the cell's text when something was typed but nothing usable


def read_address(cell: str) -> AddressReading:
    """The first well-formed address in a cell; an empty cell is no problem, a typo is."""
    text = cell.strip()
    if not text:
        return AddressReading(None, None)
    for candidate in _SEPARATORS.split(text):
        address = normalise(candidate.removeprefix("mailto:").strip("<>()\"'"))
        if address is not None:
            return AddressReading(address, None)
    return AddressReading(None, text[:200])


def normalise(text: str) -> str | None:
    """``local@domain`` with the domain lower-cased and a Cyrillic domain (школа.рф) in its
    ASCII form, or ``None`` when it cannot be an address."""
    local, at, domain = text.rpartition("@")
    if not at or not local or len(local) > 64 or not _LOCAL.fullmatch(local):
        return None
    try:
        ascii_domain = domain.lower().encode("idna").decode("ascii")
    except UnicodeError:
        return None
    labels = ascii_domain.split(".")
    if len(labels) < 2 or len(ascii_domain) > 253:
        return None
    if not all(_LABEL.fullmatch(label) for label in labels) or labels[-1].isdigit():
        return None
    return f"{local}@{ascii_domain}"
