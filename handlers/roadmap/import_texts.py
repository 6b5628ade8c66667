"""What an import found, and what is wrong with a file, in the reader's language."""

from __future__ import annotations

from domain.labels import shorten
from domain.roadmap.columns import Column, ColumnUse, Source
from domain.roadmap.draft import (
    AssigneeKind,
    ImportProblemError,
    ProblemCode,
    RoadmapDraft,
)
from handlers.common.translation import N_
from handlers.common.translation import gettext as _
from handlers.roadmap.indicator_texts import indicator_preview_lines

MAX_LISTED = 12

PROBLEMS: dict[ProblemCode, str] = {
    ProblemCode.TOO_LARGE: N_(
        "The file is larger than 10 MB. Please send the roadmap as a smaller .docx, .xlsx, "
        ".odt or .ods file (for example, without pictures)."
    ),
    ProblemCode.UNSUPPORTED_TYPE: N_(
        "I can't read this type of file. Please send the roadmap as a Word document (.docx "
        "or .doc), an Excel spreadsheet (.xlsx), an OpenDocument file (.odt, .ods) or a PDF. "
        "An old .xls file can be re-saved in the new format with «Save as»."
    ),
    ProblemCode.ENCRYPTED: N_(
        "The file is protected with a password, so I can't read it. Please save a copy "
        "without the password (in Word: File → Info → Protect Document) and send that copy."
    ),
    ProblemCode.CORRUPT: N_(
        "The file seems to be damaged and cannot be opened. Please open it in Word or Excel, "
        "save it again and send it once more."
    ),
    ProblemCode.ZIP_BOMB: N_(
        "The file unpacks to an unreasonable size, so it was refused for safety. Please save "
        "the roadmap again in Word or Excel and send the new file."
    ),
    ProblemCode.NO_TABLE: N_(
        "I couldn't find the table of measures in this file. The roadmap must be a table with "
        "columns such as «Мероприятие», «Срок реализации», «Ответственные». You can also fill "
        "in the template: send /template."
    ),
    ProblemCode.NEEDS_COLUMNS: N_(
        "I found the table, but not which column holds the measures or their deadlines. "
        "Please point them out, or name the columns «Мероприятие» and «Срок исполнения»."
    ),
    ProblemCode.NEEDS_INDICATOR_COLUMNS: N_(
        "I found a table of target indicators, but no column with their planned values: "
        "neither columns for years («2025», «2026») nor a column such as «Целевое значение». "
        "Please point out the column that holds the targets."
    ),
    ProblemCode.BAD_COLUMN: N_(
        "The table has no column with that number. Please check the columns and try again."
    ),
    ProblemCode.TOO_MANY_ROWS: N_(
        "The table has more than 3,000 rows, which is more than a roadmap can hold. Please "
        "check that the file is the roadmap, or split it into parts and send them one by one."
    ),
    ProblemCode.TOO_BIG_TABLE: N_(
        "The spreadsheet is too big to open: I read at most 20,000 rows and 400,000 cells. "
        "Please keep only the table itself (delete other sheets and empty formatted rows) and "
        "send it again, or send the roadmap as a Word document (.docx)."
    ),
    ProblemCode.NEEDS_LIBREOFFICE: N_(
        "I can't read .doc and .rtf files on this server yet: the LibreOffice program is not "
        "installed. Please send the roadmap as .docx (in Word: File → Save as → Word Document), "
        "or ask the bot's administrator to install the libreoffice-writer package."
    ),
    ProblemCode.CONVERSION_FAILED: N_(
        "I couldn't open this file: reading it took too long or failed. Please open it in Word, "
        "save it as .docx and send that file."
    ),
    ProblemCode.SCANNED_PDF: N_(
        "This PDF is a scan: it holds pictures of the pages, not text, so I can't read the "
        "table. Please send the file the roadmap was printed from: a Word document (.docx) or "
        "an Excel spreadsheet (.xlsx)."
    ),
    ProblemCode.ENCRYPTED_PDF: N_(
        "The PDF is protected with a password, so I can't read it. Please send the roadmap as "
        "a Word document (.docx) or an Excel spreadsheet (.xlsx), or a PDF without a password."
    ),
    ProblemCode.TOO_MANY_PAGES: N_(
        "The PDF has more than 200 pages, which is more than a roadmap holds. Please send the "
        "roadmap itself, as a Word document (.docx) or an Excel spreadsheet (.xlsx)."
    ),
    ProblemCode.NO_MEASURES: N_(
        "The table has a header but no measures under it. Please check the file and send it again."
    ),
}


def problem_text(problem: ImportProblemError) -> str:
    return _(PROBLEMS[problem.code]) + "\n" + _("Nothing was saved.")


COLUMN_ROLES: dict[Column, str] = {
    Column.NUMBER: N_("number"),
    Column.TITLE: N_("measure"),
    Column.DEADLINE: N_("deadline"),
    Column.RESPONSIBLE: N_("responsible"),
    Column.COORDINATION: N_("coordination"),
    Column.RESULT: N_("planned result"),
    Column.CONTROL: N_("control"),
    Column.SECTION: N_("section"),
    Column.UNUSED: N_("not used"),
}


def column_lines(uses: tuple[ColumnUse, ...]) -> list[str]:
    """«Столбец «Сроки» → срок исполнения», one line per column, as the import understood it."""
    lines = []
    for use in uses:
        label = shorten(use.label, 60) or _("column {number}").format(number=use.index + 1)
        role = _(COLUMN_ROLES[use.column])
        if use.source is Source.CONTENT and use.column is not Column.UNUSED:
            role = _("{role} (judged by its cells)").format(role=role)
        lines.append(_("Column «{label}» → {role}").format(label=label, role=role))
    return lines


def preview_text(draft: RoadmapDraft, *, updates_existing: bool) -> str:
    details = draft.details
    measures = draft.measures
    read = sum(1 for m in measures if not m.schedule.needs_dates)
    lines = [_("Roadmap: {title}").format(title=details.title or "—")]
    if details.order_number or details.order_date:
        lines.append(
            _("Order № {number} of {date}").format(
                number=details.order_number or "—",
                date=details.order_date.strftime("%d.%m.%Y") if details.order_date else "—",
            )
        )
    due = details.annual_due
    lines.append(
        _("Period: {period}; yearly report by {day}").format(
            period=draft.period.label().replace("-", "–"),
            day=f"{due.day:02d}.{due.month:02d}" if due else "31.12",
        )
    )
    if details.coordinator:
        lines.append(_("Coordinator: {name}").format(name=details.coordinator))
    lines.extend(column_lines(draft.columns))
    lines.append(
        _(
            "Sections: {sections}, measures: {measures}, deadlines read: {read} of {measures}"
        ).format(sections=len(draft.sections), measures=len(measures), read=read)
    )
    lines.extend(indicator_preview_lines(draft.indicators, draft.indicator_tables))
    need_dates = [m.number for m in measures if m.schedule.needs_dates]
    if need_dates:
        lines.append(
            _("Need dates from you ({count}): {numbers}").format(
                count=len(need_dates), numbers=_listed(need_dates)
            )
        )
    unmapped_by_key = {
        a.text.lower(): a.text
        for m in measures
        for a in m.assignees
        if a.kind is AssigneeKind.UNMAPPED
    }
    unmapped = sorted(unmapped_by_key.values(), key=str.lower)
    if unmapped:
        lines.append(
            _("Responsible texts I could not match ({count}): {texts}").format(
                count=len(unmapped), texts=_listed([f"«{t}»" for t in unmapped])
            )
        )
    lines.append(
        _("This updates the roadmap imported earlier; reports already collected are kept.")
        if updates_existing
        else _("This creates a new roadmap.")
    )
    return "\n".join(lines)


def _listed(items: list[str]) -> str:
    shown = ", ".join(items[:MAX_LISTED])
    return shown + (f" … (+{len(items) - MAX_LISTED})" if len(items) > MAX_LISTED else "")
