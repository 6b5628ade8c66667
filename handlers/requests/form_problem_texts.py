"""What a head is told about a filled form that cannot be taken, in words a head understands:
«на листе «Сведения», строка 7, столбец «Количество учащихся»: нужно число»."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from formats.request_forms.answer_check import MAX_FORM_ROWS, MAX_PROBLEMS, FormProblem, Problem
from formats.sheet_measure import FORM_LIMITS


def form_problems_text(problems: list[FormProblem], form_name: str) -> str:
    lines = [
        _("The form cannot be taken yet. Please correct it and send the file again:"),
        *(f"• {_problem_line(problem)}" for problem in problems[:MAX_PROBLEMS]),
    ]
    if len(problems) > MAX_PROBLEMS:
        lines.append(_("… and {count} more").format(count=len(problems) - MAX_PROBLEMS))
    lines.append(
        _("The form to fill is «{form}» (button «📎 The form to fill»).").format(form=form_name)
    )
    return "\n".join(lines)


def _problem_line(problem: FormProblem) -> str:
    where = _where(problem)
    found = problem.found[:60]
    texts = {
        Problem.NOT_A_SPREADSHEET: _(
            "this is not an Excel workbook (.xlsx); fill in the form that came with the request"
        ),
        Problem.TOO_LARGE: too_large_form_text(),
        Problem.MACROS: _(
            "the file contains macros (.xlsm); save it as an ordinary Excel workbook (.xlsx)"
        ),
        Problem.HIDDEN_SHEET: _("the sheet «{sheet}» is hidden; delete it or show it").format(
            sheet=problem.sheet
        ),
        Problem.MISSING_SHEET: _(
            "there is no sheet «{sheet}»; fill in the form that came with the request"
        ).format(sheet=problem.sheet),
        Problem.HEADER_CHANGED: _(
            "{where}: the table header was changed (now: {found}); keep the columns as in the form"
        ).format(where=where, found=found),
        Problem.FIXED_CHANGED: _("{where}: this cell must stay «{found}» as in the form").format(
            where=where, found=found
        ),
        Problem.FORMULA: _("{where}: a formula; type the value itself").format(where=where),
        Problem.MERGED: _("{where}: merged cells ({found}) in the table; unmerge them").format(
            where=where, found=found
        ),
        Problem.TOO_MANY_ROWS: _("on the sheet «{sheet}» there are more than {limit} rows").format(
            sheet=problem.sheet, limit=f"{MAX_FORM_ROWS:,}".replace(",", " ")
        ),
        Problem.NEEDS_NUMBER: _("{where}: a number is needed, not «{found}»").format(
            where=where, found=found
        ),
        Problem.NEEDS_DATE: _("{where}: a date is needed (like 10.12.2026), not «{found}»").format(
            where=where, found=found
        ),
        Problem.EMPTY: _("the form is empty; fill in the table"),
    }
    return texts[problem.problem]


def too_large_form_text() -> str:
    """Why a workbook too large to open is refused, with the limits, and what to send."""
    return _(
        "the file is too large to check: a form may hold at most {rows} rows and {cells} "
        "filled cells; keep only the form's table (delete other sheets and empty formatted "
        "rows) and send it again"
    ).format(**form_limits())


def form_limits() -> dict[str, str]:
    """The rows and cells a form may hold, as numbers are written in the texts."""
    return {
        "rows": f"{MAX_FORM_ROWS:,}".replace(",", " "),
        "cells": f"{FORM_LIMITS.cells:,}".replace(",", " "),
    }


def _where(problem: FormProblem) -> str:
    if problem.column:
        return _("on the sheet «{sheet}», row {row}, column «{column}»").format(
            sheet=problem.sheet, row=problem.row, column=problem.column
        )
    return _("on the sheet «{sheet}», row {row}").format(sheet=problem.sheet, row=problem.row)
