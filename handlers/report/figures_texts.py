"""The words of an indicator's figures: its reminder, the question asked, what is wrong with an
answer (always with what is asked), and the figures as a report's text («103 из 1 000»)."""

from __future__ import annotations

from datetime import date

from aiogram.utils.i18n import gettext as _
from babel.dates import format_date

from domain.indicators.answers import Problem, plain
from storage.usecases.indicator_figures import AskedFigures, LastFigures

MAX_NAME = 600


def reminder_text(number: str, name: str, due: str, when: str) -> str:
    """An indicator's reminder asks for the figures, not for a status."""
    return "\n".join(
        [
            _("📊 Figures are needed for indicator {number}").format(number=number),
            name[:MAX_NAME],
            "",
            _("As of {date} — {when}").format(date=due, when=when),
            _("Press «Enter the figures» and answer the questions with numbers."),
        ]
    )


def first_question(asked: AskedFigures, locale: str) -> str:
    lines = [
        _("Indicator {number}. {name}").format(
            number=asked.indicator_number, name=asked.indicator_name[:MAX_NAME]
        ),
        _("As of {date}.").format(date=format_date(asked.as_of_on, "d MMMM y", locale=locale)),
        "",
        asked.numerator_question,
    ]
    if asked.share:
        lines.append(
            _("Answer with a number. You may send both numbers at once, for example: 103 of 1000.")
        )
    else:
        lines.append(_("Answer with a number."))
    return "\n".join(lines)


def problem_text(problem: Problem, question: str) -> str:
    """What is wrong, then what is asked, so the head can answer at once."""
    said = {
        Problem.NOT_A_NUMBER: _("A number is needed here, written in digits."),
        Problem.NEGATIVE: _("The number cannot be negative."),
        Problem.FRACTION: _("A whole number is needed here: this counts people or things."),
        Problem.PERCENT: _(
            "Please send the numbers themselves, not a percentage: the bot calculates the "
            "percentage."
        ),
        Problem.TOO_BIG: _("That number is too large. Please check it."),
        Problem.ZERO_DENOMINATOR: _("The total cannot be zero."),
        Problem.NUMERATOR_OVER_DENOMINATOR: _(
            "The first number is a part of the second and cannot be larger."
        ),
    }[problem]
    return _("{problem}\nThe question: {question}").format(problem=said, question=question)


def over_total_text(asked: AskedFigures, numerator: float, denominator: float) -> str:
    return _(
        "{numerator} is more than the total {denominator}. The first number is a part of the "
        "second. Nothing is saved; please answer again.\n{question}"
    ).format(
        numerator=plain(numerator),
        denominator=plain(denominator),
        question=asked.numerator_question,
    )


def one_number_text(question: str) -> str:
    return _("Only one number is asked here.\nThe question: {question}").format(question=question)


def figures_text(numerator: float, denominator: float | None) -> str:
    """The report's text: «103 из 1 000», or the count alone."""
    if denominator is None:
        return plain(numerator)
    return _("{numerator} of {denominator}").format(
        numerator=plain(numerator), denominator=plain(denominator)
    )


def unusual_text(numerator: float, denominator: float | None, last: LastFigures) -> str:
    return _(
        "These figures are far from the school's own a year before: {now} now, {before} then. "
        "Are they right?"
    ).format(
        now=figures_text(numerator, denominator),
        before=figures_text(last.numerator, last.denominator),
    )


def saved_text(number: str, numerator: float, denominator: float | None) -> str:
    return _(
        "The figures for indicator {number} are saved and sent to the coordinator: {figures}."
    ).format(number=number, figures=figures_text(numerator, denominator))


def as_of_day(day: date, locale: str) -> str:
    return format_date(day, "d MMMM y", locale=locale)
