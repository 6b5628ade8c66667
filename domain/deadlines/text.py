"""Cleaning a deadline cell and spotting the words that decide its kind."""

from __future__ import annotations

import re

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_HTML_TAG = re.compile(r"<[^>]{0,200}>")
_APPENDIX = re.compile(r"\(\s*(?:см\.\s*)?приложени[еяи][^)]{0,40}\)")
_DASHES = re.compile(r"[‐‑‒–—―−]")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Lower case, one kind of dash, no URLs, tags, footnote marks or appendix references."""
    cleaned = _HTML_TAG.sub(" ", text)
    cleaned = _URL.sub(" ", cleaned)
    cleaned = cleaned.lower().replace("ё", "е").replace("\xa0", " ")
    cleaned = _DASHES.sub("-", cleaned)
    cleaned = _APPENDIX.sub(" ", cleaned)
    cleaned = cleaned.replace("*", " ")
    return _SPACES.sub(" ", cleaned).strip()


def squeeze(text: str) -> str:
    """The text without spaces, so a word split by a stray space («ежего дно») still matches."""
    return text.replace(" ", "")


# Each marker is tried on the text and on its squeezed form; patterns avoid spaces for that.
ON_REQUEST = re.compile(
    r"позапрос|понеобходимост|померенеобходимост|принеобходимост|потребовани|пообращени"
    r"|померепоступлени|померепотребност|померевозникновени"
)
EXTERNAL = re.compile(
    r"пографик|поплан|поотдельн|согласнографик|согласноплан|пораспис|посрокам"
    r"|всоответствиис\w{0,60}?(?:график|план|распис|срок|приказ|регламент|порядк)"
    r"|послеполучени|всроки,?установл|вустановленн\w*срок|помереполучени|поитогам"
)
CONTINUOUS = re.compile(
    r"постоянн|втечение(?:всего|учебного)?(?:периода|года|срока)|втечение\d{4}"
    r"|весьпериод|систематическ|ежедневн|еженедельн"
)
ANNUAL = re.compile(r"ежегодн|каждыйгод|(?<!\d)развгод|1развгод|однаждывгод")
MONTHLY = re.compile(r"ежемесячн|каждыймесяц|каждогомесяца|развмесяц")
QUARTERLY = re.compile(r"ежекварт|развквартал|каждыйквартал|каждогоквартала")
HALF_YEARLY = re.compile(r"ежеполугод|развполугоди|каждоеполугоди|2раза?вгод|дваразавгод")


def has(marker: re.Pattern[str], text: str) -> bool:
    return bool(marker.search(squeeze(text)))
