"""Cell text as a person reads it: no HTML left-overs, no stray whitespace."""

from __future__ import annotations

import html
import re

_BREAK_TAGS = re.compile(r"<\s*(?:br|/p|/li|li)\b[^>]*>", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]{0,500}>")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_SPACES = re.compile(r"[ \t\u00a0]+")
_MARKDOWN_BOLD = re.compile(r"\*\*")


def clean_cell(text: str) -> str:
    cleaned = _AUTOLINK.sub(r"\1", text)
    cleaned = _BREAK_TAGS.sub("\n", cleaned)
    cleaned = _TAGS.sub(" ", cleaned)
    cleaned = html.unescape(cleaned)
    cleaned = _MARKDOWN_BOLD.sub("", cleaned)
    lines = [_SPACES.sub(" ", line).strip() for line in cleaned.splitlines()]
    return "\n".join(line for line in lines if line)


def one_line(text: str) -> str:
    return " ".join(text.split())
