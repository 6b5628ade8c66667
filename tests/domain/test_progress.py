"""Standings, the digest's ordering and message splitting, the summary grid."""

from __future__ import annotations

from collections import Counter
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from domain.progress import (
    Digest,
    Standing,
    SummaryGrid,
    on_time_share,
    split_into_messages,
    split_text,
    standing,
)

TODAY = date(2026, 11, 23)


def test_standing_rules() -> None:
    past, future = date(2026, 11, 1), date(2026, 11, 30)
    assert standing(past, "done", closed=False, today=TODAY) is Standing.DONE
    assert standing(past, None, closed=True, today=TODAY) is Standing.DONE
    assert standing(past, "in_progress", closed=False, today=TODAY) is Standing.OVERDUE
    assert standing(past, None, closed=False, today=TODAY) is Standing.OVERDUE
    assert standing(TODAY, None, closed=False, today=TODAY) is Standing.NO_ANSWER  # due today
    assert standing(future, "in_progress", closed=False, today=TODAY) is Standing.IN_PROGRESS
    assert standing(future, "not_done", closed=False, today=TODAY) is Standing.NOT_DONE
    # What the school said stays apart from silence: «not done» past the date is not «overdue».
    assert standing(past, "not_done", closed=False, today=TODAY) is Standing.NOT_DONE


def test_on_time_share() -> None:
    due = date(2026, 11, 1)
    assert on_time_share([]) is None
    assert on_time_share([(due, due), (due, date(2026, 11, 2)), (due, None), (due, None)]) == 0.25


def test_organisations_worst_first() -> None:
    digest = Digest(as_of=TODAY)
    for organisation, what in [
        ("СОШ № 1", Standing.DONE),
        ("СОШ № 2", Standing.OVERDUE),
        ("СОШ № 3", Standing.NOT_DONE),
        ("СОШ № 3", Standing.OVERDUE),
        ("СОШ № 4", Standing.NO_ANSWER),
    ]:
        digest.count(organisation, what)
    assert [name for name, _ in digest.worst_first()] == [
        "СОШ № 3",
        "СОШ № 2",
        "СОШ № 4",
        "СОШ № 1",
    ]
    assert digest.totals == Counter(
        {Standing.OVERDUE: 2, Standing.DONE: 1, Standing.NOT_DONE: 1, Standing.NO_ANSWER: 1}
    )
    assert digest.is_quiet  # counts alone ask nothing of the coordinator


def test_the_summary_keeps_the_worst_of_a_measures_occurrences() -> None:
    grid = SummaryGrid()
    grid.put("СОШ № 1", "1.3", Standing.DONE)
    grid.put("СОШ № 1", "1.3", Standing.OVERDUE)
    grid.put("СОШ № 1", "1.3", Standing.IN_PROGRESS)
    assert grid.rows["СОШ № 1"]["1.3"] is Standing.OVERDUE


def test_splitting_keeps_entries_whole() -> None:
    entries = [f"entry {n}: " + "x" * 300 for n in range(40)]
    messages = split_into_messages(entries)
    assert len(messages) > 1 and all(len(m) <= 4096 for m in messages)
    assert "\n".join(messages).split("\n") == entries
    assert split_into_messages(["y" * 5000]) == ["y" * 4095 + "…"]
    assert split_into_messages([]) == []


@given(st.lists(st.text(alphabet="абв \t", min_size=1, max_size=900), max_size=60))
def test_splitting_never_exceeds_the_limit(entries: list[str]) -> None:
    clean = [e.replace("\n", " ") for e in entries]
    messages = split_into_messages(clean, limit=1000)
    assert all(len(m) <= 1000 for m in messages)
    assert sum(m.count("\n") + 1 for m in messages) == len(clean)


def test_a_long_text_is_split_whole_at_line_breaks_then_spaces() -> None:
    paragraphs = ["а" * 3000, "б" * 3000, "в" * 100]
    assert split_text("\n".join(paragraphs)) == ["а" * 3000, "б" * 3000 + "\n" + "в" * 100]
    words = " ".join(["слово"] * 2000)  # 11 999 characters, no line break
    parts = split_text(words)
    assert all(len(part) <= 4096 for part in parts) and " ".join(parts) == words
    assert split_text("г" * 5000) == ["г" * 4096, "г" * 904]
    assert split_text("  ") == []


@given(st.text(alphabet="аб \n", max_size=5000))
def test_splitting_a_text_loses_only_the_whitespace_at_the_cuts(text: str) -> None:
    parts = split_text(text, limit=700)
    assert all(0 < len(part) <= 700 for part in parts)
    assert "".join("".join(parts).split()) == "".join(text.split())
