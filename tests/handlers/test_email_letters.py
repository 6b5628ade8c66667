"""The day's e-mail as a head reads it: plural forms of its subject, name and patronymic."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.i18n import build_i18n
from handlers.common.join_links import JoinLink
from handlers.email.letters import daily_letter
from storage.usecases.email.daily import DailyDeadline, DailyRecipient

TODAY = date(2026, 11, 23)


def _letter(overdue: int) -> str:
    deadlines = [
        DailyDeadline(n, f"1.{n}", "Педсовет", "", date(2026, 11, 1)) for n in range(overdue)
    ]
    deadlines.append(DailyDeadline(99, "2.1", "Семинар", "", date(2026, 11, 30)))
    recipient = DailyRecipient(1, "Антипина Анна Михайловна", "a@uo.ru", None, "Карта", deadlines)
    links = [JoinLink("MAX", "https://max.ru/bot?start=x")]
    i18n = build_i18n("ru")
    with i18n.context(), i18n.use_locale("ru"):
        letter = daily_letter(
            recipient, TODAY, links, datetime(2026, 12, 7, tzinfo=UTC), None, "ru"
        )
    return letter.subject + "\n" + "\n".join(str(block) for block in letter.blocks)


@pytest.mark.parametrize(
    ("overdue", "words"),
    [(1, "(1 просроченное)"), (2, "(2 просроченных)"), (5, "(5 просроченных)")],
)
def test_the_subject_counts_overdue_measures_in_right_russian(overdue: int, words: str) -> None:
    subject, _rest = _letter(overdue).split("\n", 1)
    assert subject.endswith(words), subject


def test_the_letter_greets_by_name_and_patronymic_and_names_maxs_button() -> None:
    text = _letter(1)
    assert "Здравствуйте, Анна Михайловна!" in text
    assert "нажмите «Начать»" in text and "Запустить" not in text  # only a MAX link here
