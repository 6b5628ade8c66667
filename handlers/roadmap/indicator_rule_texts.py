"""The words of /indicators: the list of indicators with who reports, an indicator's card, and
the schools to choose from."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from domain.indicators.collection import ReporterKind, Reporters, Shape
from domain.labels import shorten
from storage.usecases.indicator_collection import CollectionView

NAME_IN_LIST = 120


def who_text(reporters: Reporters, count: int) -> str:
    if reporters.kind is ReporterKind.DEPARTMENT:
        return _("the department enters the value itself")
    if reporters.kind is ReporterKind.TAG:
        return ngettext(
            "schools tagged «{tag}» ({n} school)", "schools tagged «{tag}» ({n} schools)", count
        ).format(tag=reporters.tag, n=count)
    if reporters.kind is ReporterKind.ORGANISATIONS:
        return ngettext(
            "chosen organisations ({n} organisation)",
            "chosen organisations ({n} organisations)",
            count,
        ).format(n=count)
    return ngettext("every school ({n} school)", "every school ({n} schools)", count).format(
        n=count
    )


def dates_text(view: CollectionView) -> str:
    return ", ".join(f"{d:%d.%m.%Y}" for d in view.rule.as_of) or _("not set")


def list_text(items: list[CollectionView]) -> str:
    lines = [_("Target indicators and what the schools are asked:"), ""]
    for item in items:
        state = _("confirmed") if item.confirmed else _("not confirmed yet")
        shape = _("two numbers") if item.rule.shape is Shape.SHARE else _("one number")
        lines.append(
            f"{item.number}. {shorten(item.name, NAME_IN_LIST)} — {shape}, {dates_text(item)} — {state}"
        )
    lines += ["", _("Press an indicator to see or change what is asked.")]
    return "\n".join(lines)


def card_text(view: CollectionView, reporters: int) -> str:
    lines = [
        _("Indicator {number}. {name}").format(number=view.number, name=view.name),
        "",
        _("Who reports: {who}").format(who=who_text(view.rule.reporters, reporters)),
    ]
    if view.rule.shape is Shape.SHARE:
        lines += [
            _("What is asked: two numbers, the share is calculated from their sums"),
            f"1) {view.rule.numerator_question}",
            f"2) {view.rule.denominator_question or ''}",
        ]
    else:
        lines += [_("What is asked: one number"), f"1) {view.rule.numerator_question}"]
    lines.append(_("As of: {dates}").format(dates=dates_text(view)))
    lines.append("")
    if view.confirmed:
        lines.append(_("Confirmed: the schools are asked by these questions."))
    else:
        lines.append(
            _("Not confirmed yet: nobody is asked until you press «Confirm the collection».")
        )
    return "\n".join(lines)


def schools_text(schools: list[tuple[int, str, list[str]]]) -> str:
    if not schools:
        return _("There are no schools yet: add them with /people first.")
    tags = sorted({tag for _i, _name, school_tags in schools for tag in school_tags})
    lines = [
        _(
            "Send the numbers of the schools that report, separated by commas (for example: "
            "1, 4, 7), or a tag."
        ),
        "",
    ]
    lines += [f"{n}. {name}" for n, (_i, name, _tags) in enumerate(schools, start=1)]
    if tags:
        lines += ["", _("Tags: {tags}").format(tags=", ".join(tags))]
    return "\n".join(lines)
