"""What the import preview says about organisations: the known ones a text was matched to, the
ones it will create, and the question «УО УКМО — это Управление образованием УКМО?»."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from domain.organisations.matching import Plan, Question
from domain.organisations.names import plain
from handlers.common.callbacks import ImportOrgCb

MAX_LISTED = 15


def organisation_lines(
    plan: Plan, names: dict[int, str] | None = None, answered: int = 0
) -> list[str]:
    """The preview's lines on organisations, and its first open question. ``names``: the
    known organisations' names by id, to show which one a differently written text was taken
    for; ``answered``: how many questions were answered already."""
    lines: list[str] = []
    if plan.new:
        listed = ", ".join(f"«{name}»" for name in plan.new[:MAX_LISTED])
        if len(plan.new) > MAX_LISTED:
            listed += f" … (+{len(plan.new) - MAX_LISTED})"
        lines.append(
            ngettext(
                "New organisation to be created ({count}): {names}",
                "New organisations to be created ({count}): {names}",
                len(plan.new),
            ).format(count=len(plan.new), names=listed)
        )
    elif not plan.questions:
        lines.append(_("No new organisations will be created."))
    for text, twin in plan.joined.items():
        lines.append(_("«{text}» is taken as «{name}».").format(text=text, name=twin))
    for text, organisation_id in (plan.matched if names else {}).items():
        name = (names or {}).get(organisation_id, "")
        if name and plain(name) != plain(text):
            lines.append(_("«{text}» is taken as «{name}».").format(text=text, name=name))
    if plan.questions:
        if not answered:
            lines.append(
                _("Without an answer to a question, the organisation is created on its own.")
            )
        total = answered + len(plan.questions)
        lines.append(question_text(plan.questions[0], answered + 1, total))
    return lines


def question_text(question: Question, number: int, total: int) -> str:
    if total == 1:
        return _("«{text}» — is this «{name}»?").format(text=question.text, name=question.candidate)
    return _("Question {number} of {total}: «{text}» — is this «{name}»?").format(
        number=number, total=total, text=question.text, name=question.candidate
    )


def question_rows(question: Question, answered: int) -> list[list[InlineKeyboardButton]]:
    """«Yes» and «No, it is another organisation» to ``question``; the button carries how many
    were answered before it, so a press on an older question is known to be stale."""
    del question  # the conversation knows which question is asked
    return [
        [
            InlineKeyboardButton(
                text=_("Yes"), callback_data=ImportOrgCb(same=True, asked=answered).pack()
            ),
            InlineKeyboardButton(
                text=_("No, it is another organisation"),
                callback_data=ImportOrgCb(same=False, asked=answered).pack(),
            ),
        ]
    ]
