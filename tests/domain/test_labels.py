"""Labels are shortened at a word, and the cut is visible."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from domain.labels import shorten


def test_short_text_is_kept_on_one_line() -> None:
    assert shorten("П3.2 ·  Разработка\nплана", 60) == "П3.2 · Разработка плана"


def test_long_text_is_cut_after_a_whole_word_with_an_ellipsis() -> None:
    title = "П3.2 · 17.04.2026 · Разработка муниципальной программы наставничества педагогов"
    label = shorten(title, 60)
    assert label == "П3.2 · 17.04.2026 · Разработка муниципальной программы…"
    assert len(label) <= 60


def test_one_endless_word_is_cut_inside_it() -> None:
    assert shorten("а" * 100, 10) == "а" * 9 + "…"


@given(st.text(min_size=0, max_size=300), st.integers(min_value=5, max_value=120))
def test_never_longer_than_the_limit_and_marks_every_cut(text: str, limit: int) -> None:
    label = shorten(text, limit)
    assert len(label) <= limit
    if label != " ".join(text.split()):
        assert label.endswith("…")
